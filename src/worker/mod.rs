//! Runs `Command`s against ECS and sends the results back as `Action`s. It knows nothing
//! of the screen: each command becomes a tokio task, and a new image load aborts the
//! previous one (a new usage pause timer, the previous timer). Changes run through `exec`; `Cancel` stops one in flight and `exec`
//! settles it with one re-read. When the TUI ends with changes in flight,
//! [`Worker::stop_all`] settles them before the process goes.

mod batch;
mod load;
mod local;

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;

use time::macros::format_description;
use time::OffsetDateTime;
use tokio::sync::mpsc::{self, UnboundedReceiver, UnboundedSender};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::app::{Action, AppContext, Command, JobId};
use crate::change::{self, ApplyMode, Change, Facts, Interrupted, ItemOutcome, Landed};
use crate::ecs::client::{RetryNotice, RetryObserver};
use crate::ecs::error::ApiError;
use crate::ecs::model::Image;
use crate::exec::{self, StopHandle};
use crate::session::Session;

pub use crate::change::Stop;
pub use crate::exec::QUICK_REREAD;
pub use local::Connector;

/// The handle the event loop sends commands through.
#[derive(Debug, Clone)]
pub struct Worker {
    commands: UnboundedSender<Command>,
    control: UnboundedSender<Control>,
}

/// What the event loop asks of the worker outside the app's commands.
#[derive(Debug)]
enum Control {
    /// Stop every change in flight and say, once each is settled, what became of it.
    StopAll {
        why: Stop,
        reply: oneshot::Sender<Vec<String>>,
    },
}

/// A change running in a task: what settles it, and what it is for.
struct Running {
    task: JoinHandle<Option<String>>,
    stop: StopHandle,
    image: Image,
}

impl Worker {
    /// Starts the worker on the current tokio runtime, without a way to switch profile.
    pub fn spawn(session: Session, results: UnboundedSender<Action>) -> Worker {
        Worker::spawn_with(session, results, None)
    }

    /// Starts the worker; `connector` builds the session for another profile (`P`).
    pub fn spawn_with(
        session: Session,
        results: UnboundedSender<Action>,
        connector: Option<Connector>,
    ) -> Worker {
        let (commands, inbox) = mpsc::unbounded_channel();
        let (control, control_inbox) = mpsc::unbounded_channel();
        tokio::spawn(run(session, connector, inbox, control_inbox, results));
        Worker { commands, control }
    }

    /// Stops every change in flight because of `why` and waits for each to be settled
    /// with its one quick re-read; a line for stderr per change.
    pub async fn stop_all(&self, why: Stop) -> Vec<String> {
        let (reply, answer) = oneshot::channel();
        if self.control.send(Control::StopAll { why, reply }).is_err() {
            return Vec::new();
        }
        answer.await.unwrap_or_default()
    }

    /// Queues a command; never blocks. `Quit` and `Suspend` are the event loop's, not
    /// the worker's, and are ignored here.
    pub fn send(&self, command: Command) {
        // The worker lives as long as the handle; a closed channel means the runtime is
        // shutting down, when results no longer matter.
        let _ = self.commands.send(command);
    }
}

/// UTC `HH:MM:SS`, for the notices view.
fn now() -> String {
    let format = format_description!("[hour]:[minute]:[second]");
    OffsetDateTime::now_utc()
        .format(&format)
        .unwrap_or_default()
}

/// The session pointed at `region` (the person may have switched since it started).
fn in_region(session: &Session, region: &str) -> Result<Session, ApiError> {
    if session.client.region() == region {
        return Ok(session.clone());
    }
    Ok(Session {
        client: session.client.with_region(region)?,
        ..session.clone()
    })
}

async fn run(
    session: Session,
    connector: Option<Connector>,
    mut inbox: UnboundedReceiver<Command>,
    mut control: UnboundedReceiver<Control>,
    results: UnboundedSender<Action>,
) {
    let mut session = observed(session, &results);
    let mut load: Option<JoinHandle<()>> = None;
    let mut timer: Option<JoinHandle<()>> = None;
    let mut jobs: HashMap<JobId, Running> = HashMap::new();
    loop {
        let command = tokio::select! {
            command = inbox.recv() => match command {
                Some(command) => command,
                None => break,
            },
            Some(Control::StopAll { why, reply }) = control.recv() => {
                let _ = reply.send(stop_all(std::mem::take(&mut jobs), why).await);
                continue;
            }
        };
        jobs.retain(|_, job| !job.task.is_finished());
        let out = results.clone();
        match command {
            Command::LoadImages { region, generation } => restart(
                &mut load,
                load::load_images(session.clone(), region, generation, out),
            ),
            Command::LoadAllImages {
                regions,
                generation,
            } => restart(
                &mut load,
                load::load_all_images(session.clone(), regions, generation, out),
            ),
            Command::LoadRegions => {
                let session = session.clone();
                tokio::spawn(async move {
                    let result = session.client.describe_regions().await;
                    let _ = out.send(Action::Regions {
                        result: Box::new(result),
                        at: now(),
                    });
                });
            }
            Command::LoadFamilyFacts { region, family } => {
                let session = session.clone();
                tokio::spawn(async move {
                    let result = match in_region(&session, &region) {
                        Ok(s) => exec::family_facts(&s, &family).await,
                        Err(e) => Err(e),
                    };
                    let _ = out.send(Action::FamilyFacts {
                        region,
                        family,
                        result: Box::new(result),
                        at: now(),
                    });
                });
            }
            Command::LoadUsage { region, image } => {
                let session = session.clone();
                tokio::spawn(async move {
                    let usage = match in_region(&session, &region) {
                        Ok(s) => crate::usage::check(&s.client, &image).await,
                        Err(e) => crate::usage::unreadable(&e),
                    };
                    let _ = out.send(Action::Usage {
                        region,
                        image_id: image.image_id,
                        usage: Box::new(usage),
                        at: now(),
                    });
                });
            }
            Command::LoadUsages { region, images } => {
                let session = session.clone();
                tokio::spawn(async move {
                    let usages = match in_region(&session, &region) {
                        Ok(s) => crate::usage::check_many(&s.client, &images).await,
                        Err(e) => images
                            .iter()
                            .map(|i| (i.image_id.clone(), crate::usage::unreadable(&e)))
                            .collect(),
                    };
                    let _ = out.send(Action::Usages {
                        region,
                        usages,
                        at: now(),
                    });
                });
            }
            Command::UsageTimer { timer: id, after } => {
                if let Some(previous) = timer.take() {
                    previous.abort();
                }
                timer = Some(tokio::spawn(async move {
                    tokio::time::sleep(after).await;
                    let _ = out.send(Action::UsagePause { timer: id });
                }));
            }
            Command::ApplyChange {
                job,
                region,
                change,
            } => {
                let (stop, signal) = exec::stop_channel();
                let image = change.image().clone();
                let task = tokio::spawn(apply(session.clone(), job, region, change, signal, out));
                jobs.insert(job, Running { task, stop, image });
            }
            Command::RereadImage { region, image_id } => {
                let session = session.clone();
                tokio::spawn(async move {
                    let result = match in_region(&session, &region) {
                        Ok(s) => s.client.describe_image(&image_id).await,
                        Err(e) => Err(e),
                    };
                    let _ = out.send(Action::ImageReread {
                        region,
                        image_id,
                        result: Box::new(result),
                        at: now(),
                    });
                });
            }
            Command::RunBatch(request) => {
                let (stop, signal) = exec::stop_channel();
                let image = batch::placeholder(&request.label, request.pairs.len());
                let job = request.job;
                let task = tokio::spawn(batch::run(session.clone(), request, signal, out));
                jobs.insert(job, Running { task, stop, image });
            }
            Command::LoadBatchUndo { batch } => {
                tokio::spawn(batch::load_undo(session.journal.clone(), batch, out));
            }
            Command::Cancel(job) => {
                if let Some(running) = jobs.get(&job) {
                    running.stop.stop(Stop::Cancelled);
                }
            }
            Command::LoadJournal => {
                let journal = session.journal.clone();
                tokio::spawn(async move {
                    let read = local::read_journal(journal).await;
                    let _ = out.send(Action::Journal {
                        path: read.path,
                        result: Box::new(read.result),
                        damaged: read.damaged,
                        older: read.older,
                    });
                });
            }
            Command::LoadProfiles => {
                let demo = session.demo;
                tokio::spawn(async move {
                    let names = local::profile_names(demo).await;
                    let _ = out.send(Action::Profiles { names });
                });
            }
            Command::SwitchProfile { profile, region } => {
                // Inline, so every command after this one uses the new session. Building
                // it reads a few local files; ECS is not asked anything.
                let result = match local::connect(connector.as_ref(), &profile, &region).await {
                    Ok(next) => {
                        if let Some(previous) = load.take() {
                            previous.abort();
                        }
                        let context = AppContext::from_session(&next);
                        tracing::info!(profile = %next.profile, region = %context.region, "switched profile");
                        session = observed(next, &results);
                        Ok(context)
                    }
                    Err(e) => {
                        tracing::warn!(%profile, error = %e, "cannot switch profile");
                        Err(e)
                    }
                };
                let _ = out.send(Action::ProfileSwitched {
                    profile,
                    result: Box::new(result),
                    at: now(),
                });
            }
            Command::Quit | Command::Suspend | Command::Copy(_) => {}
        }
    }
    if let Some(load) = load {
        load.abort();
    }
    // The event loop is gone without asking to settle: stop what runs, as a quit would.
    stop_all(jobs, Stop::Quit).await;
}

/// A new image load in place of the one running (whose pages would be stale).
fn restart(load: &mut Option<JoinHandle<()>>, work: impl Future<Output = ()> + Send + 'static) {
    if let Some(previous) = load.take() {
        previous.abort();
    }
    *load = Some(tokio::spawn(work));
}

/// Runs one change through `exec` and sends how it ended; for a change stopped because
/// the process is ending, also returns what to tell the person on stderr.
async fn apply(
    session: Session,
    job: JobId,
    region: String,
    change: Change,
    mut stop: exec::StopSignal,
    out: UnboundedSender<Action>,
) -> Option<String> {
    let session = match in_region(&session, &region) {
        Ok(s) => s,
        Err(e) => {
            let error = Box::new(change::ApplyError::Api(e));
            let _ = out.send(Action::ChangeFailed {
                job,
                error,
                at: now(),
            });
            return None;
        }
    };
    let plan = change::plan(&change, |_| Facts::Checking);
    let outcome = exec::run(&session, &plan, ApplyMode::Send, "tui", &mut stop)
        .await
        .pop()
        .unwrap_or(ItemOutcome::NotAttempted);
    let (action, report) = match outcome {
        ItemOutcome::Applied(applied) => (
            Action::ChangeApplied {
                job,
                applied: Box::new(applied),
                at: now(),
            },
            None,
        ),
        ItemOutcome::Failed(error) => (
            Action::ChangeFailed {
                job,
                error: Box::new(error),
                at: now(),
            },
            None,
        ),
        ItemOutcome::Interrupted(interrupted) => {
            let report = interrupted
                .stop
                .ending()
                .then(|| interrupted.report(change.image()));
            (
                Action::Cancelled {
                    job,
                    interrupted: Box::new(interrupted),
                    at: now(),
                },
                report,
            )
        }
        // Stopped before it was sent: ECS holds what it held.
        ItemOutcome::NotAttempted => (
            Action::Cancelled {
                job,
                interrupted: Box::new(Interrupted {
                    stop: Stop::Cancelled,
                    landed: Landed::No,
                    now: Ok(Some(change.image().clone())),
                    journal_error: None,
                }),
                at: now(),
            },
            None,
        ),
    };
    let _ = out.send(action);
    report
}

/// Stops every change in `jobs` and waits for each to be settled (a quick re-read each,
/// side by side); what became of each, for stderr.
async fn stop_all(jobs: HashMap<JobId, Running>, why: Stop) -> Vec<String> {
    for job in jobs.values() {
        job.stop.stop(why);
    }
    // The re-reads are bounded; this bounds the rest (a change cancelled earlier, whose
    // re-read is not).
    let deadline = tokio::time::Instant::now() + exec::QUICK_REREAD * 2;
    let mut reports = Vec::new();
    for (_, job) in jobs {
        match tokio::time::timeout_at(deadline, job.task).await {
            Ok(Ok(Some(report))) => reports.push(report),
            Ok(_) => {}
            Err(_) => reports.push(format!(
                "the change to {} ({}) was in flight and could not be settled in time: the \
                 journal keeps it as may have been applied",
                job.image.image_name, job.image.image_id
            )),
        }
    }
    reports
}

/// The session with a client that tells the screen before each retry ("throttled;
/// retrying in 2 s").
fn observed(session: Session, results: &UnboundedSender<Action>) -> Session {
    let results = results.clone();
    let observer: RetryObserver = Arc::new(move |notice: &RetryNotice| {
        let _ = results.send(Action::Retrying {
            action: notice.action.clone(),
            code: notice.code.clone(),
            request_id: notice.request_id.clone(),
            retry: notice.retry,
            max_retries: notice.max_retries,
            wait_ms: notice.wait.as_millis() as u64,
            at: now(),
        });
    });
    Session {
        client: session.client.with_retry_observer(observer),
        ..session
    }
}

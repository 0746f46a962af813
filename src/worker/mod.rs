//! Runs `Command`s against ECS and sends the results back as `Action`s. It knows nothing
//! of the screen: each command becomes a tokio task; `Cancel` aborts the task of a change
//! in flight, and a new image load aborts the previous one.

mod cancelled;
mod local;

use std::collections::HashMap;
use std::sync::Arc;

use time::macros::format_description;
use time::OffsetDateTime;
use tokio::sync::mpsc::{self, UnboundedReceiver, UnboundedSender};
use tokio::task::JoinHandle;

use crate::app::{Action, AppContext, Command, ImagesPage, JobId};
use crate::ecs::client::{RetryNotice, RetryObserver};
use crate::ecs::error::ApiError;
use crate::ecs::model::{Image, ImageChanges, ImageQuery, ImageStatus};
use crate::ops::{self, ApplyMode};
use crate::session::Session;

pub use local::Connector;

/// The handle the event loop sends commands through.
#[derive(Debug, Clone)]
pub struct Worker {
    commands: UnboundedSender<Command>,
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
        tokio::spawn(run(session, connector, inbox, results));
        Worker { commands }
    }

    /// Queues a command; never blocks. `Quit` and `Suspend` are the event loop's, not
    /// the worker's, and are ignored here.
    pub fn send(&self, command: Command) {
        // The worker lives as long as the handle; a closed channel means the runtime is
        // shutting down, when results no longer matter.
        let _ = self.commands.send(command);
    }
}

/// A change sent to ECS, kept until it ends in case it is cancelled.
#[derive(Debug, Clone)]
struct Change {
    region: String,
    before: Image,
    changes: ImageChanges,
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
    results: UnboundedSender<Action>,
) {
    let mut session = observed(session, &results);
    let mut load: Option<JoinHandle<()>> = None;
    let mut jobs: HashMap<JobId, (JoinHandle<()>, Change)> = HashMap::new();
    while let Some(command) = inbox.recv().await {
        jobs.retain(|_, (handle, _)| !handle.is_finished());
        let out = results.clone();
        match command {
            Command::LoadImages { region, generation } => {
                if let Some(previous) = load.take() {
                    previous.abort();
                }
                load = Some(tokio::spawn(load_images(
                    session.clone(),
                    region,
                    generation,
                    out,
                )));
            }
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
                        Ok(s) => ops::family_facts(&s, &family).await,
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
            Command::ApplyChange {
                job,
                region,
                before,
                changes,
            } => {
                let session = session.clone();
                let change = Change {
                    region: region.clone(),
                    before: before.clone(),
                    changes: changes.clone(),
                };
                let handle = tokio::spawn(async move {
                    let result = match in_region(&session, &region) {
                        Ok(s) => {
                            ops::apply_change(&s, &before, &changes, ApplyMode::Send, "tui").await
                        }
                        Err(e) => Err(ops::ApplyError::Api(e)),
                    };
                    let action = match result {
                        Ok(applied) => Action::ChangeApplied {
                            job,
                            applied: Box::new(applied),
                            at: now(),
                        },
                        Err(error) => Action::ChangeFailed {
                            job,
                            error: Box::new(error),
                            at: now(),
                        },
                    };
                    let _ = out.send(action);
                });
                jobs.insert(job, (handle, change));
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
            Command::Cancel(job) => {
                if let Some((handle, change)) = jobs.remove(&job) {
                    if !handle.is_finished() {
                        handle.abort();
                        // Once aborted the task sends nothing; say so in its place.
                        if handle.await.is_err() {
                            let _ = out.send(Action::Cancelled { job, at: now() });
                            tokio::spawn(cancelled::journal(session.clone(), change));
                        }
                    }
                }
            }
            Command::LoadJournal => {
                let journal = session.journal.clone();
                tokio::spawn(async move {
                    let (path, result) = local::read_journal(journal).await;
                    let _ = out.send(Action::Journal {
                        path,
                        result: Box::new(result),
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
            Command::Quit | Command::Suspend => {}
        }
    }
    if let Some(load) = load {
        load.abort();
    }
    for (_, (job, _)) in jobs {
        job.abort();
    }
}

/// The session with a client that tells the screen before each retry ("throttled;
/// retrying in 2 s").
fn observed(session: Session, results: &UnboundedSender<Action>) -> Session {
    let results = results.clone();
    let observer: RetryObserver = Arc::new(move |notice: &RetryNotice| {
        let _ = results.send(Action::Retrying {
            action: notice.action.clone(),
            code: notice.code.clone(),
            retry: notice.retry,
            max_retries: notice.max_retries,
            wait_ms: notice.wait.as_millis() as u64,
        });
    });
    Session {
        client: session.client.with_retry_observer(observer),
        ..session
    }
}

/// Every custom image of the region, all statuses (ECS sends only Available when
/// `Status` is absent), page by page as they arrive.
async fn load_images(
    session: Session,
    region: String,
    generation: u64,
    results: UnboundedSender<Action>,
) {
    let query = ImageQuery {
        owner_alias: Some("self".to_string()),
        statuses: ImageStatus::BROWSE.to_vec(),
        page_size: 100,
        ..ImageQuery::default()
    };
    let mut count = 0u64;
    let result = match in_region(&session, &region) {
        Ok(s) => {
            s.client
                .describe_all_images_with(&query, |page| {
                    count += page.images.image.len() as u64;
                    let _ = results.send(Action::ImagesPage(ImagesPage {
                        generation,
                        region: region.clone(),
                        request_id: page.request_id.clone(),
                        page_number: page.page_number,
                        total: page.total_count,
                        images: page.images.image.clone(),
                    }));
                })
                .await
        }
        Err(e) => Err(e),
    };
    let _ = results.send(Action::ImagesDone {
        generation,
        region,
        result: Box::new(result.map(|()| count)),
        at: now(),
    });
}

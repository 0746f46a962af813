//! The one place a plan runs, for one image or many: read-only is enforced here,
//! validation is checked again, the journal's intent is written before anything is sent,
//! the request goes out, exactly one re-read tells what ECS holds, and the journal entry is
//! settled. The TUI's worker and the CLI both come here; neither sends a change itself.
//!
//! A plan can be stopped (Esc, `q q`, a signal): the change in flight is abandoned and
//! settled with its one re-read — a quick one when the process is ending — and the images
//! after it are not attempted.

mod batch;
mod limiter;

use std::time::Duration;

use tokio::sync::watch;

use crate::change::{
    judge, plan, settlement, Applied, ApplyError, ApplyMode, Change, Ending, Facts, ImageChanges,
    Interrupted, ItemOutcome, JournalEntry, Landed, Operation, Origin, Outcome, Plan, PlanItem,
    Stop,
};
pub use batch::{new_batch_id, run_batch, BatchSettings, SILENT_IN_A_ROW};
pub use limiter::Limiter;

use crate::ecs::client::{clock, EcsClient};
use crate::ecs::error::ApiError;
use crate::ecs::model::{Image, ImageQuery, ImageStatus};
use crate::rules::FamilyFacts;
use crate::session::Session;

/// How long the re-read that settles a change may take when the process is ending.
pub const QUICK_REREAD: Duration = Duration::from_secs(3);

/// Tells a running plan to stop.
#[derive(Debug, Clone)]
pub struct StopHandle(watch::Sender<Option<Stop>>);

/// What a running plan listens to.
#[derive(Debug, Clone)]
pub struct StopSignal(watch::Receiver<Option<Stop>>);

/// A way to stop a plan, and the signal it listens to.
pub fn stop_channel() -> (StopHandle, StopSignal) {
    let (tx, rx) = watch::channel(None);
    (StopHandle(tx), StopSignal(rx))
}

impl StopHandle {
    /// Stops the plan (the first reason given wins).
    pub fn stop(&self, why: Stop) {
        self.0.send_if_modified(|now| {
            let first = now.is_none();
            if first {
                *now = Some(why);
            }
            first
        });
    }
}

impl StopSignal {
    /// A plan nobody stops.
    pub fn never() -> StopSignal {
        // With its sender gone, `stopped` waits for ever.
        StopSignal(watch::channel(None).1)
    }

    /// Why the plan was stopped, once it was.
    pub fn reason(&self) -> Option<Stop> {
        *self.0.borrow()
    }

    /// Waits until the plan is stopped.
    pub(crate) async fn stopped(&mut self) -> Stop {
        loop {
            if let Some(why) = self.reason() {
                return why;
            }
            if self.0.changed().await.is_err() {
                // Nobody can stop it any more.
                std::future::pending::<()>().await;
            }
        }
    }
}

/// The members of `family` (Available and Deprecated) and what it resolves to today.
pub async fn family_facts(session: &Session, family: &str) -> Result<FamilyFacts, ApiError> {
    let query = ImageQuery {
        family: Some(family.to_string()),
        statuses: vec![ImageStatus::Available, ImageStatus::Deprecated],
        ..ImageQuery::default()
    };
    let (members, resolves_to) = tokio::try_join!(
        session.client.describe_all_images(&query),
        session.client.describe_image_from_family(family)
    )?;
    Ok(FamilyFacts {
        family: family.to_string(),
        members,
        resolves_to,
    })
}

/// Runs `plan` image by image (`source` is "tui" or "cli"); one outcome per item, in
/// order. Once `stop` fires, the image in flight is settled and the rest not attempted.
pub async fn run(
    session: &Session,
    plan: &Plan,
    mode: ApplyMode,
    source: &str,
    stop: &mut StopSignal,
) -> Vec<ItemOutcome> {
    let mut out = Vec::with_capacity(plan.items.len());
    for item in &plan.items {
        if stop.reason().is_some() {
            out.push(ItemOutcome::NotAttempted);
            continue;
        }
        out.push(run_item(session, item, plan.batch.clone(), mode, source, stop).await);
    }
    out
}

/// `operation` on one image: a plan of one, through [`run`].
pub async fn apply_one(
    session: &Session,
    before: &Image,
    operation: &Operation,
    mode: ApplyMode,
    source: &str,
    stop: &mut StopSignal,
) -> ItemOutcome {
    // The family facts decide what the person is asked, not whether the change runs.
    let plan = plan(&Change::one(before.clone(), operation.clone()), |_| {
        Facts::Checking
    });
    run(session, &plan, mode, source, stop)
        .await
        .pop()
        .unwrap_or(ItemOutcome::NotAttempted)
}

/// [`apply_one`] for an edit nobody will stop.
pub async fn apply_change(
    session: &Session,
    before: &Image,
    changes: &ImageChanges,
    mode: ApplyMode,
    source: &str,
) -> Result<Applied, ApplyError> {
    let operation = Operation::Modify(changes.clone());
    match apply_one(
        session,
        before,
        &operation,
        mode,
        source,
        &mut StopSignal::never(),
    )
    .await
    {
        ItemOutcome::Applied(applied) => Ok(applied),
        ItemOutcome::Failed(error) => Err(error),
        // Nobody stops it, so it always runs to an answer.
        ItemOutcome::Interrupted(_) | ItemOutcome::NotAttempted => Err(ApplyError::NoChanges),
    }
}

async fn run_item(
    session: &Session,
    item: &PlanItem,
    batch: Option<String>,
    mode: ApplyMode,
    source: &str,
    stop: &mut StopSignal,
) -> ItemOutcome {
    run_item_via(session, &session.client, item, batch, mode, source, stop).await
}

/// [`run_item`] with the change sent through `sender` (a batch's, which does not retry on
/// its own); the re-read goes through the session's client, which does.
async fn run_item_via(
    session: &Session,
    sender: &EcsClient,
    item: &PlanItem,
    batch: Option<String>,
    mode: ApplyMode,
    source: &str,
    stop: &mut StopSignal,
) -> ItemOutcome {
    let before = &item.before;
    let operation = &item.operation;
    if operation.is_empty() {
        return ItemOutcome::Failed(ApplyError::NoChanges);
    }
    if !item.problems.is_empty() {
        return ItemOutcome::Failed(ApplyError::Invalid(item.problems.clone()));
    }
    let action = operation.action();
    let params = operation.params(&before.image_id);
    if mode == ApplyMode::ApiDryRun {
        // ECS only checks it: nothing changes, so nothing is journaled or re-read.
        return match sender.send_change(action, params, true).await {
            Ok(outcome) => ItemOutcome::Applied(Applied {
                request_id: outcome.request_id,
                after: None,
                verified: false,
                reread_failed: None,
                dry_run: true,
                journal_error: None,
            }),
            Err(e) => ItemOutcome::Failed(ApplyError::Api(e)),
        };
    }
    if session.read_only {
        tracing::warn!(image = %before.image_id, "change refused: read-only");
        return ItemOutcome::Failed(ApplyError::ReadOnly);
    }
    // The intent goes to disk before the request leaves: even a SIGKILL leaves a trail.
    let intent = JournalEntry::intent(origin(session, source, batch), before, operation);
    let mut journal_error = write(session, &intent);
    let sent = tokio::select! {
        biased;
        why = stop.stopped() => Err(why),
        answer = sender.send_change(action, params, false) => Ok(answer),
    };
    match sent {
        Ok(Ok(answer)) => {
            let now = session.client.describe_image(&before.image_id).await;
            let landed = judge(before, operation, now.as_ref().map(Option::as_ref));
            let outcome = settlement(Ending::Accepted, &landed);
            let request_id = Some(answer.request_id.clone());
            journal_error = journal_error.or(settle(session, &intent, outcome, request_id));
            ItemOutcome::Applied(Applied {
                request_id: answer.request_id,
                reread_failed: now.as_ref().err().map(|e| e.code.clone()),
                after: now.ok().flatten(),
                verified: landed == Landed::Yes,
                dry_run: false,
                journal_error,
            })
        }
        Ok(Err(error)) if !error.ambiguous => {
            let refused = Outcome::Refused {
                code: error.code.clone(),
                message: error.message.clone(),
            };
            settle(session, &intent, refused, error.request_id.clone());
            ItemOutcome::Failed(ApplyError::Api(error))
        }
        Ok(Err(error)) => {
            let now = session.client.describe_image(&before.image_id).await;
            let landed = judge(before, operation, now.as_ref().map(Option::as_ref));
            let outcome = settlement(Ending::Ambiguous(&error), &landed);
            journal_error =
                journal_error.or(settle(session, &intent, outcome, error.request_id.clone()));
            if landed == Landed::Yes {
                return ItemOutcome::Applied(Applied {
                    request_id: error.request_id.unwrap_or_default(),
                    after: now.ok().flatten(),
                    verified: true,
                    reread_failed: None,
                    dry_run: false,
                    journal_error,
                });
            }
            ItemOutcome::Failed(ApplyError::Lost { error, landed })
        }
        Err(why) => {
            tracing::warn!(image = %before.image_id, stop = ?why, "change stopped in flight");
            let now = reread(session, &before.image_id, why).await;
            let landed = judge(before, operation, now.as_ref().map(Option::as_ref));
            let outcome = settlement(Ending::Interrupted(why), &landed);
            journal_error = journal_error.or(settle(session, &intent, outcome, None));
            ItemOutcome::Interrupted(Interrupted {
                stop: why,
                landed,
                now,
                journal_error,
            })
        }
    }
}

/// The one re-read after a stop: bounded when the process is ending.
async fn reread(session: &Session, image_id: &str, why: Stop) -> Result<Option<Image>, ApiError> {
    let read = session.client.describe_image(image_id);
    if !why.ending() {
        return read.await;
    }
    tokio::time::timeout(QUICK_REREAD, read)
        .await
        .unwrap_or_else(|_| {
            let mut e = ApiError::transport(
                format!("no answer within {} s", QUICK_REREAD.as_secs()),
                false,
            );
            e.code = "Timeout".into();
            Err(e)
        })
}

/// Who, where and when, with an id the intent and its settlement share.
fn origin(session: &Session, source: &str, batch: Option<String>) -> Origin {
    let time = clock::timestamp(0);
    Origin {
        id: format!(
            "{}-{}-{:08x}",
            time.replace([':', '-'], ""),
            std::process::id(),
            fastrand::u32(..)
        ),
        batch,
        time,
        source: source.to_string(),
        profile: session.profile.clone(),
        region: session.client.region().to_string(),
        endpoint: session.client.endpoint_url().to_string(),
    }
}

/// Writes how `intent` ended.
fn settle(
    session: &Session,
    intent: &JournalEntry,
    outcome: Outcome,
    request_id: Option<String>,
) -> Option<String> {
    write(
        session,
        &intent.settled(outcome, request_id, &clock::timestamp(0)),
    )
}

/// Appends to the journal. A journal that cannot be written does not stop a change — the
/// person is told, with the reason.
fn write(session: &Session, line: &JournalEntry) -> Option<String> {
    let journal = session.journal.as_ref()?;
    let error = journal.append(line).err()?;
    tracing::error!(path = %journal.path().display(), error = %error, "cannot write the journal");
    Some(format!(
        "could not write the journal {}: {error}",
        journal.path().display()
    ))
}

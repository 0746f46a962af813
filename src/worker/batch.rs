//! Batches for the TUI: a change to many images run through `exec::run_batch` in a task
//! of its own, its progress sent back as it goes; and the journal entries "undo batch"
//! needs, read on a blocking thread.

use tokio::sync::mpsc::UnboundedSender;

use crate::app::{Action, BatchRequest};
use crate::change::{images, plan_pairs, ApplyError, BatchItem, BatchReport, Facts, ItemOutcome};
use crate::ecs::model::Image;
use crate::exec::{self, BatchSettings, StopSignal};
use crate::session::Session;
use crate::store::{batch::undoable, Journal};

use super::{in_region, now};

/// Stands for the batch where the worker names the change a job is for.
pub(super) fn placeholder(label: &str, n: usize) -> Image {
    Image {
        image_id: images(n),
        image_name: format!("batch: {label}"),
        ..Image::default()
    }
}

/// Runs the batch and sends its report; for a batch stopped because the process is ending,
/// also returns what to tell the person on stderr.
pub(super) async fn run(
    session: Session,
    batch: BatchRequest,
    mut stop: StopSignal,
    out: UnboundedSender<Action>,
) -> Option<String> {
    let BatchRequest {
        job,
        region,
        label,
        pairs,
        concurrency,
        rate,
    } = batch;
    let session = match in_region(&session, &region) {
        Ok(s) => s,
        Err(e) => {
            // Nothing could be sent: every image fails with why.
            let items = pairs
                .into_iter()
                .map(|(before, _)| BatchItem {
                    before,
                    diff: Vec::new(),
                    outcome: ItemOutcome::Failed(ApplyError::Api(e.clone())),
                    attempts: 0,
                })
                .collect();
            let report = BatchReport {
                batch: exec::new_batch_id(),
                label,
                items,
                stopped: None,
                gave_up: None,
                elapsed: std::time::Duration::ZERO,
                throttled: 0,
            };
            let _ = out.send(Action::BatchDone {
                job,
                report: Box::new(report),
                at: now(),
            });
            return None;
        }
    };
    // The person reviewed the plan with the region's images and the family facts; the
    // executor needs only each image's operation and problems.
    let plan = plan_pairs(label.clone(), pairs, &[], &Default::default(), |_| {
        Facts::Checking
    });
    let settings = BatchSettings {
        concurrency,
        rate,
        ..BatchSettings::default()
    };
    let progress_out = out.clone();
    let mut report = exec::run_batch(&session, plan.plan, &settings, "tui", &mut stop, move |p| {
        let _ = progress_out.send(Action::BatchProgress {
            job,
            progress: Box::new(p.clone()),
        });
    })
    .await;
    report.label = label;
    let ending = report.stopped.filter(|s| s.ending()).map(|_| {
        format!(
            "{}; `ecsimg journal --batch {}` lists every image",
            report.headline(),
            report.batch
        )
    });
    let _ = out.send(Action::BatchDone {
        job,
        report: Box::new(report),
        at: now(),
    });
    ending
}

/// The entries of `batch` undo would put back, or why the journal could not be read.
pub(super) async fn load_undo(
    journal: Option<Journal>,
    batch: String,
    out: UnboundedSender<Action>,
) {
    let result = match journal {
        None => Err("no journal: neither XDG_STATE_HOME nor HOME is set".to_string()),
        Some(journal) => {
            let wanted = batch.clone();
            tokio::task::spawn_blocking(move || {
                journal
                    .entries()
                    .map(|entries| undoable(&entries, &wanted))
                    .map_err(|e| format!("cannot read {}: {e}", journal.path().display()))
            })
            .await
            .unwrap_or_else(|e| Err(format!("reading the journal stopped: {e}")))
        }
    };
    let _ = out.send(Action::BatchUndo {
        batch,
        result: Box::new(result),
    });
}

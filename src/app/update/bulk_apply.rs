//! Apply on a bulk plan: the batch starts in the background (the list stays usable), at
//! once when the plan is ready, or when the checks an Apply was queued behind return —
//! then, if the plan needs more (the count typed, because images are in use), it says so
//! and sends nothing.

use crate::app::bulk::BatchRun;
use crate::app::command::{BatchRequest, Command, JobId};
use crate::app::state::{App, Level, Screen};
use crate::change::{images, Progress};

use super::flash;

/// A check returned while Apply was queued on the plan: the batch starts if the plan
/// needs nothing more, else the plan says what it needs now (the count typed, and why).
pub(super) fn resume_queued(app: &mut App) -> Vec<Command> {
    let Screen::BulkPlan(review) = &app.screen else {
        return Vec::new();
    };
    if !review.queued {
        return Vec::new();
    }
    let plan = app.bulk_plan(review);
    if let Some(what) = plan.waiting_for() {
        flash(
            app,
            Level::Info,
            format!("Apply queued: {what}… (Esc cancels it)"),
        );
        return Vec::new();
    }
    let ready = app.bulk_ready_with(review, &plan);
    if let Screen::BulkPlan(review) = &mut app.screen {
        review.queued = false;
    }
    match ready {
        Ok(()) => {
            flash(
                app,
                Level::Info,
                "the checks are in: the queued Apply was sent",
            );
            start(app)
        }
        Err(why) => {
            let in_use = plan.usage.asks();
            let because = if in_use > 0 {
                format!(
                    " — {in_use} image{} may be in use",
                    if in_use == 1 { "" } else { "s" }
                )
            } else {
                String::new()
            };
            flash(
                app,
                Level::Warning,
                format!("Apply not sent yet: {why}{because}"),
            );
            Vec::new()
        }
    }
}

/// Apply: the batch starts in the background and the list is usable meanwhile.
pub(super) fn start(app: &mut App) -> Vec<Command> {
    let Screen::BulkPlan(review) = std::mem::take(&mut app.screen) else {
        return Vec::new();
    };
    // The plan was opened for one region (`open_review`): the batch goes there, and never
    // to a region guessed for it.
    let region = match app.one_region(review.pairs.iter().map(|(image, _)| &**image)) {
        Ok(region) => region,
        Err(why) => {
            flash(app, Level::Warning, format!("nothing sent: {why}"));
            return Vec::new();
        }
    };
    // The review ends here: its images move into the plan, which hands them to the batch.
    let plan = app.bulk_plan_taking(&review.label, review.pairs);
    let job = JobId(app.next_job);
    app.next_job += 1;
    // Taken from the plan, not copied: a batch of thousands holds each image once here.
    let pairs: Vec<_> = plan
        .plan
        .items
        .into_iter()
        .map(|i| (i.before, i.operation))
        .collect();
    let n = pairs.len();
    started(app, job, review.label.clone(), n);
    flash(
        app,
        Level::Info,
        format!(
            "batch started: {}; B shows progress, Esc stops after the calls in flight",
            images(n)
        ),
    );
    vec![Command::RunBatch(BatchRequest {
        job,
        region,
        label: review.label,
        pairs,
        concurrency: app.bulk.limits.concurrency,
        rate: app.bulk.limits.rate,
    })]
}

pub(super) fn started(app: &mut App, job: JobId, label: String, total: usize) {
    app.bulk.run = Some(BatchRun {
        job,
        label,
        progress: Progress {
            total,
            rate: app.bulk.limits.rate,
            ..Progress::default()
        },
        stopping: false,
    });
}

//! A batch on its way: started, its progress as it arrives, stopped with Esc (after the
//! calls in flight), its report — retry the failed images, undo the applied ones from the
//! journal — and the marks kept true when a refresh no longer finds an image.

use crate::app::bulk::BulkReview;
use crate::app::command::{Command, JobId};
use crate::app::state::{App, Level, Screen};
use crate::change::{
    images, undo_plan, BatchReport, ImageChanges, ItemOutcome, JournalEntry, Operation, Progress,
};
use crate::keys::Intent;

use super::{bulk, flash, notice};

/// Esc on the list while a batch runs: no new image is sent; the ones in flight finish.
pub(super) fn stop(app: &mut App) -> Vec<Command> {
    let Some(run) = &mut app.bulk.run else {
        return Vec::new();
    };
    run.stopping = true;
    let (job, in_flight) = (run.job, run.progress.in_flight);
    flash(
        app,
        Level::Warning,
        format!("stopping the batch: {in_flight} in flight finish, nothing new is sent"),
    );
    vec![Command::Cancel(job)]
}

/// The list while a batch runs: Esc stops it; every other key works as on the list.
pub(super) fn on_list_key(app: &mut App, intent: Option<Intent>) -> Vec<Command> {
    match intent {
        Some(Intent::Back) => stop(app),
        other => super::browser::on_intent(app, other),
    }
}

pub(super) fn on_progress(app: &mut App, job: JobId, progress: Progress) {
    if let Some(run) = app.bulk.run.as_mut().filter(|r| r.job == job) {
        run.progress = progress;
    }
}

pub(super) fn on_done(
    app: &mut App,
    job: JobId,
    mut report: BatchReport,
    at: &str,
) -> Vec<Command> {
    let Some(run) = app.bulk.run.take().filter(|r| r.job == job) else {
        return Vec::new();
    };
    report.label = run.label;
    // Each image as re-read moves into the list: the report says how it went, and a batch
    // of thousands would otherwise hold every image twice.
    for item in &mut report.items {
        if let ItemOutcome::Applied(applied) = &mut item.outcome {
            if let Some(after) = applied.after.take() {
                app.list.update(after);
            }
        }
    }
    // The families the batch touched resolve differently now: read them again when asked.
    app.facts.clear();
    notice(
        app,
        at,
        "ModifyImageAttribute",
        format!("batch {} ({})", report.batch, images(report.items.len())),
        report.headline(),
        report.failed() == 0 && report.not_attempted() == 0,
        None,
    );
    let headline = report.headline();
    let level = if report.failed() > 0 {
        Level::Warning
    } else {
        Level::Info
    };
    app.bulk.report = Some(report);
    match app.screen {
        Screen::Browser | Screen::BatchReport { .. } if app.results.is_empty() => {
            app.screen = Screen::BatchReport { offset: 0 };
        }
        _ => flash(app, level, format!("{headline} — B shows the report")),
    }
    Vec::new()
}

/// The report (`B`): scroll, retry the failed images, undo the batch.
pub(super) fn on_report_key(app: &mut App, intent: Option<Intent>) -> Vec<Command> {
    let lines = app.bulk.report.as_ref().map_or(0, |r| r.items.len() + 8);
    let Screen::BatchReport { offset } = &mut app.screen else {
        return Vec::new();
    };
    match intent {
        Some(Intent::Down) => *offset = (*offset + 1).min(lines),
        Some(Intent::Up) => *offset = offset.saturating_sub(1),
        Some(Intent::PageDown) => *offset = (*offset + app.viewport.list.max(1)).min(lines),
        Some(Intent::PageUp) => *offset = offset.saturating_sub(app.viewport.list.max(1)),
        Some(Intent::Top) => *offset = 0,
        Some(Intent::Bottom) => *offset = lines,
        Some(Intent::Back | Intent::BatchReport) => app.screen = Screen::Browser,
        Some(Intent::RetryFailed) => return retry_failed(app),
        Some(Intent::UndoBatch) => return undo_batch(app),
        _ => {}
    }
    Vec::new()
}

/// Why the report's actions must wait, if they must.
fn not_now(app: &mut App) -> bool {
    if app.bulk.run.is_some() {
        flash(
            app,
            Level::Warning,
            "the batch is still running: wait for its report",
        );
        return true;
    }
    if app.bulk.report.is_none() {
        flash(app, Level::Info, "no batch report yet");
        return true;
    }
    false
}

/// "Retry failed": the same changes, planned again for the images not applied, each as
/// the list holds it now.
fn retry_failed(app: &mut App) -> Vec<Command> {
    if not_now(app) {
        return Vec::new();
    }
    let Some(report) = &app.bulk.report else {
        return Vec::new();
    };
    let pairs: Vec<_> = report
        .items
        .iter()
        .filter(|i| !i.applied())
        .map(|item| {
            let mut changes = ImageChanges::default();
            for c in &item.diff {
                changes.set(c.field, Some(c.after.clone()));
            }
            let now = app.list.get(&item.before.image_id).cloned();
            (
                now.unwrap_or_else(|| (*item.before).clone()),
                Operation::Modify(changes),
            )
        })
        .collect();
    if pairs.is_empty() {
        flash(
            app,
            Level::Info,
            "every image was applied: nothing to retry",
        );
        return Vec::new();
    }
    let label = format!("retry {} of batch {}", pairs.len(), report.batch);
    bulk::open_review(app, BulkReview::new(label, pairs))
}

/// "Undo batch": read the batch's entries from the journal, then plan the undo.
fn undo_batch(app: &mut App) -> Vec<Command> {
    if not_now(app) {
        return Vec::new();
    }
    let Some(report) = &app.bulk.report else {
        return Vec::new();
    };
    let batch = report.batch.clone();
    flash(
        app,
        Level::Info,
        format!("reading batch {batch} from the journal…"),
    );
    vec![Command::LoadBatchUndo { batch }]
}

/// The batch's entries arrived: the undo plan, with undo's drift check per image.
pub(super) fn on_undo_entries(
    app: &mut App,
    batch: String,
    result: Result<Vec<JournalEntry>, String>,
) -> Vec<Command> {
    let entries = match result {
        Ok(entries) => entries,
        Err(why) => {
            flash(
                app,
                Level::Error,
                format!("cannot undo batch {batch}: {why}"),
            );
            return Vec::new();
        }
    };
    let mut notes = Vec::new();
    let mut pairs = Vec::new();
    for entry in &entries {
        let Some(current) = app.list.get(&entry.image_id).cloned() else {
            notes.push(format!(
                "{} is not in the list any more: left out",
                entry.image_id
            ));
            continue;
        };
        let plan = undo_plan(entry, &current);
        for drift in &plan.drifted_fields {
            notes.push(format!(
                "{}: {} was changed since the batch: it is {} now, not {}",
                entry.image_id,
                drift.field.label(),
                drift.found,
                drift.expected
            ));
        }
        pairs.push((current, plan.operation));
    }
    if pairs.is_empty() {
        flash(
            app,
            Level::Info,
            format!("batch {batch} left nothing in place: nothing to undo"),
        );
        return Vec::new();
    }
    let mut review = BulkReview::new(format!("undo batch {batch}"), pairs);
    review.notes = notes;
    bulk::open_review(app, review)
}

/// A load finished: marked images it did not bring back are unmarked, and said so.
pub(super) fn after_load(app: &mut App) {
    let gone: Vec<String> = app
        .bulk
        .marks
        .iter()
        .filter(|id| app.list.get(id).is_none())
        .cloned()
        .collect();
    if gone.is_empty() {
        return;
    }
    for id in &gone {
        app.bulk.marks.remove(id);
    }
    let n = gone.len();
    flash(
        app,
        Level::Warning,
        format!(
            "{n} marked image{} no longer listed ({}): unmarked; {} still marked",
            if n == 1 { " is" } else { "s are" },
            gone.join(", "),
            app.bulk.marks.len()
        ),
    );
}

//! Results from the worker: pages, regions, family facts, changes applied or refused.

use crate::app::action::Action;
use crate::app::changes::{Job, Outcome, ResultPanel};
use crate::app::command::{Command, JobId};
use crate::app::state::{App, Loadable, Retrying};
use crate::change::{Applied, ApplyError, Interrupted, Landed};
use crate::ecs::model::Image;

use super::{explain_last, journal, loading, notice, profile, queue, usage};

pub(super) fn on_result(app: &mut App, action: Action) -> Vec<Command> {
    if let Action::Retrying {
        action,
        code,
        request_id,
        retry,
        max_retries,
        wait_ms,
        at,
    } = action
    {
        let retrying = Retrying {
            action,
            code,
            retry,
            max_retries,
            wait_ms,
        };
        // Every attempt is a request ECS saw (or could have): the notices list it too.
        let outcome = format!("failed: {}", retrying.retry_words());
        let target = format!("try {retry} of at most {}", max_retries + 1);
        notice(
            app,
            &at,
            &retrying.action,
            target,
            outcome,
            false,
            request_id,
        );
        app.retrying = Some(retrying);
        return Vec::new();
    }
    // Any result means the retry it waited for has happened.
    app.retrying = None;
    match action {
        Action::ImagesPage(page) => return loading::on_page(app, page),
        Action::ImagesDone {
            generation,
            region,
            result,
            at,
        } => {
            if generation == app.generation {
                loading::on_done(app, region, *result, &at);
            }
        }
        Action::Regions { result, at } => {
            let result = *result;
            let (outcome, ok, request_id) = match &result {
                Ok(regions) => (format!("{} regions", regions.len()), true, None),
                Err(e) => (format!("failed: {}", e.code), false, e.request_id.clone()),
            };
            notice(
                app,
                &at,
                "DescribeRegions",
                "regions".into(),
                outcome,
                ok,
                request_id,
            );
            if let Err(e) = &result {
                explain_last(app, e);
            }
            app.regions = Some(match result {
                Ok(regions) => Loadable::Ready(regions),
                Err(e) => Loadable::Failed(e),
            });
            super::dialogs::select_current_region(app);
        }
        Action::FamilyFacts {
            region,
            family,
            result,
            at,
        } => {
            let result = *result;
            let (outcome, ok, request_id) = match &result {
                Ok(facts) => (
                    match &facts.resolves_to {
                        Some(i) => format!("resolves to {} ({})", i.image_name, i.image_id),
                        None => "resolves to nothing".to_string(),
                    },
                    true,
                    None,
                ),
                Err(e) => (format!("failed: {}", e.code), false, e.request_id.clone()),
            };
            notice(
                app,
                &at,
                "DescribeImageFromFamily",
                format!("family {family}"),
                outcome,
                ok,
                request_id,
            );
            if let Err(e) = &result {
                explain_last(app, e);
            }
            // The request happened and is listed; its facts answer only for the region
            // the facts are of now.
            if region != app.facts_region {
                return Vec::new();
            }
            app.facts.insert(
                family,
                match result {
                    Ok(f) => Loadable::Ready(f),
                    Err(e) => Loadable::Failed(e),
                },
            );
            return queue::resume(app);
        }
        usage @ (Action::Usage { .. } | Action::Usages { .. } | Action::UsagePause { .. }) => {
            return usage::on_result(app, usage);
        }
        Action::ChangeApplied { job, applied, at } => {
            on_applied(app, job, applied, &at);
            return reload_journal_view(app);
        }
        Action::ChangeFailed { job, error, at } => {
            on_failed(app, job, *error, &at);
            return reload_journal_view(app);
        }
        Action::Cancelled {
            job,
            interrupted,
            at,
        } => on_cancelled(app, job, *interrupted, &at),
        Action::ImageReread {
            region,
            image_id,
            result,
            at,
        } => {
            if let Some(i) = app.rereads.iter().position(|r| *r == image_id) {
                app.rereads.remove(i);
            }
            let result = *result;
            let (outcome, ok, request_id) = match &result {
                Ok(Some(image)) => (format!("status {}", image.status), true, None),
                Ok(None) => ("no longer exists".to_string(), true, None),
                Err(e) => (format!("failed: {}", e.code), false, e.request_id.clone()),
            };
            notice(
                app,
                &at,
                "DescribeImages",
                image_id.clone(),
                outcome,
                ok,
                request_id,
            );
            if let Err(e) = &result {
                explain_last(app, e);
            }
            if app.shows_region(&region) {
                if let Ok(Some(image)) = &result {
                    refresh_image(app, image.clone());
                }
            }
            return journal::on_reread(app, &image_id, &result);
        }
        Action::Journal {
            path,
            result,
            damaged,
            older,
        } => return journal::on_loaded(app, path, *result, damaged, older),
        Action::Profiles { names } => profile::on_listed(app, names),
        Action::BatchProgress { job, progress } => super::batch::on_progress(app, job, *progress),
        Action::BatchDone { job, report, at } => {
            let commands = super::batch::on_done(app, job, *report, &at);
            return commands
                .into_iter()
                .chain(reload_journal_view(app))
                .collect();
        }
        Action::BatchUndo { batch, result } => {
            return super::batch::on_undo_entries(app, batch, *result)
        }
        Action::ProfileSwitched {
            profile,
            result,
            at,
        } => return profile::on_switched(app, profile, *result, &at),
        // The event loop measures a new size and sends the `Viewport` it gives.
        Action::Key(_)
        | Action::Paste(_)
        | Action::Click { .. }
        | Action::Resize(..)
        | Action::Viewport(_)
        | Action::Tick
        | Action::Retrying { .. } => {}
    }
    Vec::new()
}

/// A change ended while the journal is on screen: it has a new line now.
fn reload_journal_view(app: &mut App) -> Vec<Command> {
    if matches!(app.screen, crate::app::state::Screen::Journal(_)) {
        return journal::load(app);
    }
    Vec::new()
}

fn take_job(app: &mut App, job: JobId) -> Option<Job> {
    let i = app.jobs.iter().position(|j| j.id == job)?;
    Some(app.jobs.remove(i))
}

fn describe(image: &Image) -> String {
    format!("{} ({})", image.image_name, image.image_id)
}

fn on_applied(app: &mut App, job: JobId, applied: Box<Applied>, at: &str) {
    let Some(job) = take_job(app, job) else {
        return;
    };
    let before = job.change.image().clone();
    let fields: Vec<String> = job
        .change
        .operation
        .diff_lines(&before)
        .into_iter()
        .map(|l| l.label)
        .collect();
    let verified = match (&applied.verified, &applied.reread_failed) {
        (true, _) => String::new(),
        (false, Some(code)) => format!(" (not verified: the re-read failed: {code})"),
        (false, None) => " (not verified by the re-read)".to_string(),
    };
    notice(
        app,
        at,
        job.change.operation.action(),
        describe(&before),
        format!("applied: {}{verified}", fields.join(", ")),
        true,
        Some(applied.request_id.clone()),
    );
    app.drafts.remove(&before.image_id);
    let moved_to = job
        .change
        .operation
        .changes()
        .and_then(|c| c.image_family.clone());
    let families: Vec<String> = [before.family().map(str::to_string), moved_to]
        .into_iter()
        .flatten()
        .collect();
    if job.region == app.facts_region {
        for family in &families {
            app.facts.remove(family);
        }
    }
    // What a family resolves to decides who launches its images: read them afresh (a
    // family is a family of one region).
    let stale: Vec<String> = app
        .list
        .all()
        .iter()
        .filter(|i| {
            i.image_id == before.image_id
                || (families.contains(&i.image_family) && app.region_of(i) == job.region)
        })
        .map(|i| i.image_id.clone())
        .collect();
    for id in stale {
        app.usage.forget(&id);
    }
    if app.shows_region(&job.region) {
        let after = applied
            .after
            .clone()
            .unwrap_or_else(|| job.change.operation.after(&before));
        app.list.update(after);
    }
    app.results.push_back(ResultPanel {
        change: job.change,
        outcome: Outcome::Applied(applied),
    });
}

fn on_failed(app: &mut App, job: JobId, error: ApplyError, at: &str) {
    let Some(job) = take_job(app, job) else {
        return;
    };
    let (outcome, request_id) = match &error {
        ApplyError::Api(e) => (format!("failed: {}", e.code), e.request_id.clone()),
        ApplyError::Lost { error: e, landed } => (
            match landed {
                Landed::No => format!("not applied: {} (the re-read shows the old values)", e.code),
                _ => format!("may have been applied: {}", e.code),
            },
            e.request_id.clone(),
        ),
        ApplyError::ReadOnly => ("refused: read-only mode".to_string(), None),
        ApplyError::NoChanges => ("not sent: no changes".to_string(), None),
        ApplyError::Invalid(problems) => (
            format!(
                "not sent: {}",
                problems
                    .iter()
                    .map(|p| p.code)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            None,
        ),
    };
    notice(
        app,
        at,
        job.change.operation.action(),
        describe(job.change.image()),
        outcome,
        false,
        request_id,
    );
    if let Some(e) = error.api() {
        explain_last(app, e);
    }
    app.results.push_back(ResultPanel {
        change: job.change,
        outcome: Outcome::Failed(error),
    });
}

/// A change stopped in flight, settled by the worker with one re-read: the panel says
/// what that re-read found, and the list shows what ECS holds.
fn on_cancelled(app: &mut App, job: JobId, interrupted: Interrupted, at: &str) {
    let Some(job) = take_job(app, job) else {
        return;
    };
    let before = job.change.image().clone();
    let found = match &interrupted.landed {
        Landed::Yes => "it reached ECS".to_string(),
        Landed::No => "ECS holds the old values".to_string(),
        Landed::Partly => "ECS holds some of the new values".to_string(),
        Landed::Gone => "the image no longer exists".to_string(),
        Landed::Unknown(code) => format!("the re-read failed ({code})"),
    };
    notice(
        app,
        at,
        job.change.operation.action(),
        describe(&before),
        format!("cancelled: {found}"),
        false,
        None,
    );
    if let Err(e) = &interrupted.now {
        explain_last(app, e);
    }
    if app.shows_region(&job.region) {
        if let Ok(Some(image)) = &interrupted.now {
            refresh_image(app, image.clone());
        }
    }
    app.results.push_back(ResultPanel {
        change: job.change,
        outcome: Outcome::Cancelled(interrupted.landed),
    });
    // The panel tells the rest; "cancelling…" on the bottom line is over.
    if app
        .flash
        .as_ref()
        .is_some_and(|f| f.text.starts_with("cancelling"))
    {
        app.flash = None;
    }
}

/// A fresh copy of an image: the list row, and any form kept for it.
fn refresh_image(app: &mut App, image: Image) {
    if let Some(draft) = app.drafts.get_mut(&image.image_id) {
        draft.rebase(&image);
    }
    app.list.update(image);
}

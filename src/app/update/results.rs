//! Results from the worker: pages, regions, family facts, changes applied or refused.

use crate::app::action::{Action, ImagesPage};
use crate::app::command::{Command, JobId};
use crate::app::state::{
    App, Incomplete, Job, Landed, Level, Loadable, Outcome, ResultPanel, Retrying,
};
use crate::ecs::model::Image;
use crate::ops::{Applied, ApplyError};

use super::{explain_last, flash, journal, notice, notice_failed, profile};

pub(super) fn on_result(app: &mut App, action: Action) -> Vec<Command> {
    if let Action::Retrying {
        action,
        code,
        retry,
        max_retries,
        wait_ms,
    } = action
    {
        app.retrying = Some(Retrying {
            action,
            code,
            retry,
            max_retries,
            wait_ms,
        });
        return Vec::new();
    }
    // Any result means the retry it waited for has happened.
    app.retrying = None;
    match action {
        Action::ImagesPage(page) => return on_page(app, page),
        Action::ImagesDone {
            generation,
            region,
            result,
            at,
        } => {
            if generation != app.generation {
                return Vec::new();
            }
            let Some(loading) = app.loading.take() else {
                return Vec::new();
            };
            match *result {
                Ok(count) => {
                    app.incomplete = None;
                    if loading.pages == 0 {
                        app.list.replace_all(Vec::new());
                    }
                    app.list.settle();
                    notice(
                        app,
                        &at,
                        "DescribeImages",
                        format!("custom images in {region}"),
                        format!(
                            "{count} images in {} page{}",
                            loading.pages,
                            if loading.pages == 1 { "" } else { "s" }
                        ),
                        true,
                        Some(loading.last_request_id),
                    );
                }
                Err(error) => {
                    app.list.settle();
                    if loading.pages > 0 {
                        app.incomplete = Some(Incomplete {
                            received: loading.received,
                            total: loading.total,
                        });
                    }
                    // An empty list shows the failure in full; over a partial list the
                    // header keeps saying it is incomplete.
                    if !app.list.all().is_empty() {
                        flash(
                            app,
                            Level::Error,
                            format!(
                                "loading stopped at {} of {}: {} (r retries, n details)",
                                loading.received, loading.total, error.code,
                            ),
                        );
                    }
                    notice_failed(
                        app,
                        &at,
                        "DescribeImages",
                        format!("custom images in {region}"),
                        &error,
                    );
                    app.load_error = Some(error);
                }
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
                Ok(regions) => {
                    if let crate::app::state::Screen::RegionPicker(picker) = &mut app.screen {
                        if let Some(i) = regions
                            .iter()
                            .position(|r| r.region_id == app.context.region)
                        {
                            picker.selected = i;
                        }
                    }
                    Loadable::Ready(regions)
                }
                Err(e) => Loadable::Failed(e),
            });
        }
        Action::FamilyFacts {
            region,
            family,
            result,
            at,
        } => {
            if region != app.context.region {
                return Vec::new();
            }
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
            app.facts.insert(
                family,
                match result {
                    Ok(f) => Loadable::Ready(f),
                    Err(e) => Loadable::Failed(e),
                },
            );
        }
        Action::ChangeApplied { job, applied, at } => {
            on_applied(app, job, applied, &at);
            return reload_journal_view(app);
        }
        Action::ChangeFailed { job, error, at } => {
            on_failed(app, job, *error, &at);
            return reload_journal_view(app);
        }
        Action::Cancelled { job, at } => return on_cancelled(app, job, &at),
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
            if let Some(panel) = app.results.iter_mut().find(|p| {
                p.image_id == image_id
                    && matches!(p.outcome, Outcome::Cancelled)
                    && p.landed.is_none()
            }) {
                panel.landed = Some(match &result {
                    Ok(image) => Landed::judge(&panel.before, &panel.changes, image.as_ref()),
                    Err(e) => Landed::Unknown(e.code.clone()),
                });
            }
            if region == app.context.region {
                if let Ok(Some(image)) = &result {
                    refresh_image(app, image.clone());
                }
            }
            return journal::on_reread(app, &image_id, &result);
        }
        Action::Journal { path, result } => return journal::on_loaded(app, path, *result),
        Action::Profiles { names } => profile::on_listed(app, names),
        Action::ProfileSwitched {
            profile,
            result,
            at,
        } => return profile::on_switched(app, profile, *result, &at),
        // The event loop measures a new size and sends the `Viewport` it gives.
        Action::Key(_)
        | Action::Paste(_)
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

fn on_page(app: &mut App, page: ImagesPage) -> Vec<Command> {
    if page.generation != app.generation || page.region != app.context.region {
        return Vec::new();
    }
    let Some(loading) = &mut app.loading else {
        return Vec::new();
    };
    let first = loading.pages == 0;
    loading.pages += 1;
    loading.received += page.images.len() as u64;
    loading.total = page.total.max(loading.received);
    loading.last_request_id = page.request_id;
    if first {
        app.list.replace_all(page.images);
    } else {
        app.list.extend(page.images);
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
    let job = take_job(app, job);
    let image_id = applied.before.image_id.clone();
    let fields: Vec<&str> = applied.changes.fields().iter().map(|f| f.label()).collect();
    let verified = if applied.verified {
        ""
    } else {
        " (not verified by the re-read)"
    };
    notice(
        app,
        at,
        "ModifyImageAttribute",
        describe(&applied.before),
        format!("applied: {}{verified}", fields.join(", ")),
        true,
        Some(applied.request_id.clone()),
    );
    app.drafts.remove(&image_id);
    for family in [
        applied.before.family(),
        applied.changes.image_family.as_deref(),
    ]
    .into_iter()
    .flatten()
    {
        app.facts.remove(family);
    }
    let same_region = job.is_none_or(|j| j.region == app.context.region);
    if same_region {
        let after = applied
            .after
            .clone()
            .unwrap_or_else(|| applied.changes.apply_to(&applied.before));
        app.list.update(after);
    }
    app.results.push_back(ResultPanel {
        image_id,
        image_name: applied.before.image_name.clone(),
        before: applied.before.clone(),
        changes: applied.changes.clone(),
        outcome: Outcome::Applied(applied),
        landed: None,
    });
}

fn on_failed(app: &mut App, job: JobId, error: ApplyError, at: &str) {
    let Some(job) = take_job(app, job) else {
        return;
    };
    let (outcome, request_id) = match &error {
        ApplyError::Api(e) => (format!("failed: {}", e.code), e.request_id.clone()),
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
        "ModifyImageAttribute",
        describe(&job.before),
        outcome,
        false,
        request_id,
    );
    if let ApplyError::Api(e) = &error {
        explain_last(app, e);
    }
    app.results.push_back(ResultPanel {
        image_id: job.before.image_id.clone(),
        image_name: job.before.image_name.clone(),
        before: job.before,
        changes: job.changes,
        outcome: Outcome::Failed(error),
        landed: None,
    });
}

/// A cancelled change may still have reached ECS: the image is read again to find out.
fn on_cancelled(app: &mut App, job: JobId, at: &str) -> Vec<Command> {
    let Some(job) = take_job(app, job) else {
        return Vec::new();
    };
    notice(
        app,
        at,
        "ModifyImageAttribute",
        describe(&job.before),
        "cancelled (may have reached ECS; re-reading)".to_string(),
        false,
        None,
    );
    let image_id = job.before.image_id.clone();
    app.rereads.push(image_id.clone());
    let region = job.region.clone();
    app.results.push_back(ResultPanel {
        image_id: image_id.clone(),
        image_name: job.before.image_name.clone(),
        before: job.before,
        changes: job.changes,
        outcome: Outcome::Cancelled,
        landed: None,
    });
    // The panel tells the rest; "cancelling…" on the bottom line is over.
    if app
        .flash
        .as_ref()
        .is_some_and(|f| f.text.starts_with("cancelling"))
    {
        app.flash = None;
    }
    vec![Command::RereadImage { region, image_id }]
}

/// A fresh copy of an image: the list row, and any form kept for it.
fn refresh_image(app: &mut App, image: Image) {
    if let Some(draft) = app.drafts.get_mut(&image.image_id) {
        draft.rebase(&image);
    }
    app.list.update(image);
}

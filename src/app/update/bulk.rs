//! Keys for many images at once: the marks on the list (`space`, `*`, `-`, `v`), the bulk
//! edit (`b`) and a family's retention (`F`), the plan before anything is sent (Cancel
//! focused, the typed word when the plan asks for it, who uses each image it deprecates
//! read as it opens), and Apply, which starts the batch — queued while the plan's checks
//! run, as for one image.

use crate::app::bulk::{BulkForm, BulkKind, BulkReview};
use crate::app::changes::Button;
use crate::app::command::Command;
use crate::app::state::{App, Level, Loadable, Screen};
use crate::change::FamilyFate;
use crate::keys::Intent;

use super::{bulk_apply, flash};

/// The marks' keys on the list (and what uses them).
pub(super) fn on_list_intent(app: &mut App, intent: Intent) -> Vec<Command> {
    match intent {
        Intent::Mark => {
            let Some(id) = app.list.selected().map(|i| i.image_id.clone()) else {
                flash(app, Level::Info, "no image to mark: the list is empty");
                return Vec::new();
            };
            if !app.bulk.marks.remove(&id) {
                app.bulk.marks.insert(id);
            }
            app.list.move_by(1);
        }
        Intent::MarkAll => {
            let shown: Vec<String> = app.list.visible().map(|i| i.image_id.clone()).collect();
            let before = app.bulk.marks.len();
            app.bulk.marks.extend(shown.iter().cloned());
            let added = app.bulk.marks.len() - before;
            flash(
                app,
                Level::Info,
                format!(
                    "marked {added} more ({} shown, {} marked in all)",
                    shown.len(),
                    app.bulk.marks.len()
                ),
            );
        }
        Intent::ClearMarks => {
            let n = app.bulk.marks.len();
            app.bulk.marks.clear();
            let text = if n == 0 {
                "no marks to clear".to_string()
            } else {
                format!("cleared {n} mark{}", if n == 1 { "" } else { "s" })
            };
            flash(app, Level::Info, text);
        }
        Intent::ShowMarks => {
            if app.bulk.marks.is_empty() {
                flash(
                    app,
                    Level::Info,
                    "no marks: space marks the selected image, * every image the filter shows",
                );
            } else {
                app.screen = Screen::Marked { offset: 0 };
            }
        }
        Intent::BulkEdit => return open_bulk_edit(app),
        Intent::Retention => return open_retention(app),
        Intent::BatchReport => open_report(app),
        _ => {}
    }
    Vec::new()
}

/// `B`: the batch's progress while it runs, else the last report.
fn open_report(app: &mut App) {
    if app.bulk.run.is_none() && app.bulk.report.is_none() {
        flash(app, Level::Info, "no batch yet: mark images and press b");
        return;
    }
    app.screen = Screen::BatchReport { offset: 0 };
}

/// Why a new batch cannot start now, if it cannot.
fn busy_with_batch(app: &mut App) -> bool {
    if app.bulk.run.is_some() {
        flash(
            app,
            Level::Warning,
            "a batch is running: B shows its progress, Esc stops it after the calls in flight",
        );
        return true;
    }
    false
}

fn open_bulk_edit(app: &mut App) -> Vec<Command> {
    if busy_with_batch(app) {
        return Vec::new();
    }
    let marked = app.marked_images();
    if marked.is_empty() {
        flash(
            app,
            Level::Info,
            "nothing marked: space marks the selected image, * every image the filter shows",
        );
        return Vec::new();
    }
    let region = match app.one_region(&marked) {
        Ok(region) => region,
        Err(why) => {
            flash(app, Level::Warning, why);
            return Vec::new();
        }
    };
    let ids = marked.into_iter().map(|i| i.image_id).collect();
    app.screen = Screen::BulkEdit(Box::new(BulkForm::marked(ids, region)));
    Vec::new()
}

fn open_retention(app: &mut App) -> Vec<Command> {
    if busy_with_batch(app) {
        return Vec::new();
    }
    let Some((family, region)) = app
        .list
        .selected()
        .and_then(|i| Some((i.family()?.to_string(), app.region_of(i))))
    else {
        flash(
            app,
            Level::Info,
            "the selected image is in no family: F keeps the newest N of a family",
        );
        return Vec::new();
    };
    app.screen = Screen::BulkEdit(Box::new(BulkForm::family(family, region)));
    Vec::new()
}

/// The marked set (`v`).
pub(super) fn on_marked_key(app: &mut App, intent: Option<Intent>) -> Vec<Command> {
    let marked = app.marked_images();
    let Screen::Marked { offset } = &mut app.screen else {
        return Vec::new();
    };
    let last = marked.len().saturating_sub(1);
    match intent {
        Some(Intent::Down) => *offset = (*offset + 1).min(last),
        Some(Intent::Up) => *offset = offset.saturating_sub(1),
        Some(Intent::PageDown) => *offset = (*offset + app.viewport.picker.max(1)).min(last),
        Some(Intent::PageUp) => *offset = offset.saturating_sub(app.viewport.picker.max(1)),
        Some(Intent::Top) => *offset = 0,
        Some(Intent::Bottom) => *offset = last,
        Some(Intent::Mark) => {
            if let Some(image) = marked.get(*offset) {
                app.bulk.marks.remove(&image.image_id);
                *offset = (*offset).min(marked.len().saturating_sub(2));
            }
            if app.bulk.marks.is_empty() {
                app.screen = Screen::Browser;
            }
        }
        Some(Intent::ClearMarks) => {
            app.bulk.marks.clear();
            app.screen = Screen::Browser;
            flash(app, Level::Info, format!("cleared {} marks", marked.len()));
        }
        Some(Intent::BulkEdit) => return open_bulk_edit(app),
        Some(Intent::Back | Intent::ShowMarks) => app.screen = Screen::Browser,
        _ => {}
    }
    Vec::new()
}

/// The bulk edit: Tab picks what to set, the value is typed (or chosen), Enter reviews.
pub(super) fn on_edit_key(
    app: &mut App,
    intent: Option<Intent>,
    typed: Option<char>,
) -> Vec<Command> {
    let Screen::BulkEdit(form) = &mut app.screen else {
        return Vec::new();
    };
    match (intent, typed) {
        (Some(Intent::Back), _) => app.screen = Screen::Browser,
        (Some(Intent::NextField), _) => form.cycle(true),
        (Some(Intent::PrevField), _) => form.cycle(false),
        (Some(Intent::Down | Intent::Up | Intent::Left | Intent::Right), _)
            if form.kind == BulkKind::Status =>
        {
            form.status = (form.status + 1) % 2;
        }
        (Some(Intent::Press), _) => return review(app),
        (Some(other), _) if form.kind.typed() => {
            form.text.apply(other);
        }
        (None, Some(c)) if form.kind.typed() => form.text.insert(c),
        _ => {}
    }
    Vec::new()
}

/// Enter on the bulk edit: the plan, with the facts of every family it touches asked for.
fn review(app: &mut App) -> Vec<Command> {
    let Screen::BulkEdit(form) = &app.screen else {
        return Vec::new();
    };
    let form = form.clone();
    let (label, pairs) = match app.bulk_edit_of(&form) {
        Ok(planned) => planned,
        Err(why) => {
            flash(app, Level::Error, why);
            return Vec::new();
        }
    };
    if pairs.is_empty() {
        flash(app, Level::Info, "no image to change: nothing to review");
        return Vec::new();
    }
    let mut review = BulkReview::new(label, pairs);
    review.back = Some(form);
    open_review(app, review)
}

/// Shows `review` and asks for the facts of the families it touches, in the one region
/// its images are in (refused, and said why, when they are in several).
pub(super) fn open_review(app: &mut App, review: BulkReview) -> Vec<Command> {
    let region = match app.one_region(review.pairs.iter().map(|(image, _)| &**image)) {
        Ok(region) => region,
        Err(why) => {
            flash(app, Level::Warning, format!("nothing planned: {why}"));
            return Vec::new();
        }
    };
    super::edit::facts_in(app, &region);
    let plan = app.bulk_plan(&review);
    let mut commands = Vec::new();
    for family in &plan.families {
        let asked = app
            .facts
            .get(&family.family)
            .is_some_and(|f| !matches!(f, Loadable::Failed(_)));
        if matches!(family.fate, FamilyFate::Checking | FamilyFate::Unknown(_)) && !asked {
            app.facts.insert(family.family.clone(), Loadable::Loading);
            commands.push(Command::LoadFamilyFacts {
                region: region.clone(),
                family: family.family.clone(),
            });
        }
    }
    // Who uses each image it deprecates, in one request: the in-use rule and the shared
    // refusal need it before anything is sent.
    commands.extend(super::usage::want_usages(
        app,
        &region,
        plan.deprecated_images(),
    ));
    app.screen = Screen::BulkPlan(Box::new(review));
    commands
}

/// The plan: scroll, switch button, type the word, Apply starts the batch.
pub(super) fn on_plan_key(
    app: &mut App,
    intent: Option<Intent>,
    typed: Option<char>,
) -> Vec<Command> {
    let (ready, waiting, blocked) = match &app.screen {
        Screen::BulkPlan(review) => {
            let plan = app.bulk_plan(review);
            let waiting = plan.waiting_for();
            // Only the checks stand in the way: what ECS would refuse is refused now.
            let blocked = plan
                .blocked()
                .filter(|why| waiting.as_ref().map(|w| format!("{w}…")).as_ref() != Some(why));
            (app.bulk_ready_with(review, &plan), waiting, blocked)
        }
        _ => return Vec::new(),
    };
    let page = app.viewport.list.max(1);
    let Screen::BulkPlan(review) = &mut app.screen else {
        return Vec::new();
    };
    match (intent, typed) {
        // Esc on a queued Apply cancels the queue; the next one goes back.
        (Some(Intent::Back), _) if review.queued => {
            review.queued = false;
            flash(
                app,
                Level::Info,
                "queued Apply cancelled: nothing was sent (Esc again goes back)",
            );
        }
        (Some(Intent::Back), _) => {
            app.screen = match review.back.take() {
                Some(form) => Screen::BulkEdit(form),
                None => Screen::Browser,
            };
        }
        (Some(Intent::NextField | Intent::PrevField), _) => {
            review.focus = match review.focus {
                Button::Cancel => Button::Apply,
                Button::Apply => Button::Cancel,
            };
        }
        (Some(Intent::Down), _) => review.offset += 1,
        (Some(Intent::Up), _) => review.offset = review.offset.saturating_sub(1),
        (Some(Intent::PageDown), _) => review.offset += page,
        (Some(Intent::PageUp), _) => review.offset = review.offset.saturating_sub(page),
        (Some(Intent::Press), _) => match review.focus {
            Button::Cancel => {
                app.screen = Screen::Browser;
                flash(app, Level::Info, "cancelled: nothing was sent");
            }
            Button::Apply => match ready {
                Ok(()) => return bulk_apply::start(app),
                Err(_) if waiting.is_some() && blocked.is_none() => {
                    review.queued = true;
                    let what = waiting.unwrap_or_default();
                    flash(
                        app,
                        Level::Info,
                        format!("Apply queued: {what} (Esc cancels it)"),
                    );
                }
                // What ECS would refuse is not sent; a word still to type is "not yet".
                Err(why) if blocked.is_some() => {
                    flash(app, Level::Error, format!("not sent: {why}"))
                }
                Err(why) => flash(app, Level::Warning, format!("not yet: {why}")),
            },
        },
        (Some(other), _) => {
            review.typed.apply(other);
        }
        (None, Some(c)) => review.typed.insert(c),
        (None, None) => {}
    }
    Vec::new()
}

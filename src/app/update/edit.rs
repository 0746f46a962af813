//! The edit form, the status picker and the confirm dialog: every path to a change.

use crate::app::changes::{Button, Confirm, Origin, StatusPicker};
use crate::app::command::Command;
use crate::app::form::{Form, FormOutcome};
use crate::app::state::{App, Level, Loadable, Screen};
use crate::app::text::TextInput;
use crate::change::{Change, Operation};
use crate::ecs::model::Image;
use crate::keys::Intent;
use crate::rules;

use super::{flash, queue, usage};

/// `e`/Enter: the form for the selected image — as typed before, if a change of it failed.
pub(super) fn open_form(app: &mut App) -> Vec<Command> {
    let Some(image) = editable_selection(app) else {
        return Vec::new();
    };
    open_form_for(app, &image)
}

pub(super) fn open_form_for(app: &mut App, image: &Image) -> Vec<Command> {
    let form = match app.drafts.get(&image.image_id) {
        Some(draft) => {
            let mut form = draft.clone();
            form.rebase(image);
            form
        }
        None => Form::open(image),
    }
    .with_taken_names(taken_names(app, image));
    app.screen = Screen::Form(Box::new(form));
    want_facts(app, image)
}

/// The names the other images of `image`'s region hold in the list, for the form's check.
fn taken_names(app: &App, image: &Image) -> std::collections::BTreeMap<String, String> {
    let region = app.region_of(image);
    app.list
        .all()
        .iter()
        .filter(|i| i.image_id != image.image_id && app.region_of(i) == region)
        .map(|i| (i.image_name.clone(), i.image_id.clone()))
        .collect()
}

/// `s`: Available / Deprecated for the selected image, with its family's fate.
pub(super) fn open_status_picker(app: &mut App) -> Vec<Command> {
    let Some(image) = editable_selection(app) else {
        return Vec::new();
    };
    app.screen = Screen::StatusPicker(Box::new(StatusPicker::open(&image)));
    let mut commands = want_facts(app, &image);
    if image.status != crate::ecs::model::ImageStatus::Deprecated {
        // Deprecated is one key away: who uses the image is read at once.
        commands.extend(usage::want_usage(app, &image));
    }
    commands
}

/// The selected image, unless there is none or a change of it is in flight.
fn editable_selection(app: &mut App) -> Option<Image> {
    let Some(image) = app.list.selected().cloned() else {
        flash(app, Level::Info, "no image selected");
        return None;
    };
    if app.job_for(&image.image_id).is_some() {
        flash(
            app,
            Level::Warning,
            format!(
                "a change to {} is in flight: wait for its result (Esc cancels it)",
                image.image_name
            ),
        );
        return None;
    }
    Some(image)
}

/// The family facts are to be of `region`: a family belongs to one region, so facts of
/// another region's family of the same name must not answer for this one.
pub(super) fn facts_in(app: &mut App, region: &str) {
    if app.facts_region != region {
        app.facts.clear();
        app.facts_region = region.to_string();
    }
}

/// Fetches the facts of the image's family afresh (they decide the warnings).
pub(super) fn want_facts(app: &mut App, image: &Image) -> Vec<Command> {
    let Some(family) = image.family() else {
        return Vec::new();
    };
    let region = app.region_of(image);
    facts_in(app, &region);
    if app.facts.get(family).is_some_and(Loadable::is_loading) {
        return Vec::new();
    }
    app.facts.insert(family.to_string(), Loadable::Loading);
    vec![Command::LoadFamilyFacts {
        region,
        family: family.to_string(),
    }]
}

pub(super) fn on_form_key(
    app: &mut App,
    intent: Option<Intent>,
    typed: Option<char>,
) -> Vec<Command> {
    let armed = std::mem::take(&mut app.discard_armed);
    let Screen::Form(form) = &mut app.screen else {
        return Vec::new();
    };
    match intent {
        // "Enter keeps editing": the question is answered, nothing else happens.
        Some(Intent::Press) if armed => return Vec::new(),
        Some(Intent::CopyCommand) => return super::copy::copy_command(app),
        _ => {}
    }
    let outcome = match (intent, typed) {
        (Some(intent), _) => form.handle(intent),
        (None, Some(c)) => {
            form.type_char(c);
            FormOutcome::Stay
        }
        (None, None) => FormOutcome::Stay,
    };
    match outcome {
        FormOutcome::Stay => Vec::new(),
        FormOutcome::Cancel => {
            let count = form.changes().fields().len();
            // Esc is easy to press by mistake; the Cancel button is not.
            if intent == Some(Intent::Back) && count > 0 && !armed {
                app.discard_armed = true;
                let s = if count == 1 { "" } else { "s" };
                let text =
                    format!("Discard {count} change{s}? Esc again discards, Enter keeps editing");
                flash(app, Level::Warning, text);
                return Vec::new();
            }
            app.drafts.remove(&form.image.image_id);
            app.screen = Screen::Browser;
            Vec::new()
        }
        FormOutcome::Submit => submit_form(app),
    }
}

/// Refuses while a field is invalid (focusing the first), says "no changes" for an
/// unchanged form, and otherwise asks for confirmation.
fn submit_form(app: &mut App) -> Vec<Command> {
    let Screen::Form(form) = &mut app.screen else {
        return Vec::new();
    };
    let creating = rules::still_creating(&form.image).filter(|_| !form.changes().is_empty());
    if let Some(problem) = creating {
        let text = format!("not sent: {}", problem.reason());
        flash(app, Level::Error, text);
        return Vec::new();
    }
    let count = form.problems().len();
    if let Some(problem) = form.focus_first_problem() {
        let (image, code) = (form.image.clone(), problem.code);
        let text = if count == 1 {
            format!("not sent: {problem} — fix the marked fields first")
        } else {
            let codes: Vec<&str> = form.problems().iter().map(|p| p.code).collect();
            format!(
                "not sent: {count} problems ({}) — fix the marked fields",
                codes.join(", ")
            )
        };
        let text = shared_refusal(app, &image, code).map_or(text, |r| format!("not sent: {r}"));
        flash(app, Level::Error, text);
        return Vec::new();
    }
    let changes = form.changes();
    if changes.is_empty() {
        flash(
            app,
            Level::Info,
            "no changes: every field has its current value",
        );
        return Vec::new();
    }
    let form = form.clone();
    let change = Change::modify(form.image.clone(), changes);
    open_confirm(app, change, Origin::Form(form))
}

pub(super) fn on_status_key(app: &mut App, intent: Option<Intent>) -> Vec<Command> {
    let Screen::StatusPicker(picker) = &mut app.screen else {
        return Vec::new();
    };
    match intent {
        Some(Intent::Down | Intent::Up) => {
            picker.selected = (picker.selected + 1) % picker.options.len();
            picker.problem = None;
        }
        Some(Intent::Back) => app.screen = Screen::Browser,
        Some(Intent::Copy) => return super::copy::copy(app),
        Some(Intent::CopyCommand) => return super::copy::copy_command(app),
        Some(Intent::Press) => {
            let changes = picker.changes();
            if changes.is_empty() {
                let text = format!("no changes: the image is {} already", picker.chosen());
                flash(app, Level::Info, text);
                return Vec::new();
            }
            let operation = Operation::Modify(changes);
            if let Some(problem) = operation.problems(&picker.image).into_iter().next() {
                let image = picker.image.clone();
                let code = problem.code;
                let text = format!("not sent: {}", problem.reason());
                picker.problem = Some(problem);
                let text =
                    shared_refusal(app, &image, code).map_or(text, |r| format!("not sent: {r}"));
                flash(app, Level::Error, text);
                return Vec::new();
            }
            let picker = (**picker).clone();
            let change = Change::one(picker.image.clone(), operation);
            return open_confirm(app, change, Origin::StatusPicker(Box::new(picker)));
        }
        _ => {}
    }
    Vec::new()
}

/// The refusal of a Deprecate of a shared image, naming the accounts when they are known.
fn shared_refusal(app: &App, image: &Image, code: &str) -> Option<String> {
    (code == "ImageUseShared")
        .then(|| crate::change::shared_refusal(image, &app.usage.of(&image.image_id)))
        .flatten()
}

pub(super) fn open_confirm(app: &mut App, change: Change, origin: Origin) -> Vec<Command> {
    let needing: Vec<Image> = app
        .plan(&change)
        .items
        .iter()
        .filter(|i| i.needs_usage())
        .map(|i| Image::clone(&i.before))
        .collect();
    app.screen = Screen::Confirm(Box::new(Confirm {
        change,
        focus: Button::Cancel,
        typed: TextInput::default(),
        origin,
        queued: false,
    }));
    needing
        .iter()
        .flat_map(|image| usage::want_usage(app, image))
        .collect()
}

pub(super) fn on_confirm_key(
    app: &mut App,
    intent: Option<Intent>,
    typed: Option<char>,
) -> Vec<Command> {
    let Screen::Confirm(confirm) = &app.screen else {
        return Vec::new();
    };
    let ready = app.confirm_ready(confirm);
    let needs_typing = app.confirm_needs_typing(confirm);
    let Screen::Confirm(confirm) = &mut app.screen else {
        return Vec::new();
    };
    match (intent, typed) {
        (Some(Intent::NextField), _) => {
            confirm.focus = match confirm.focus {
                Button::Cancel => Button::Apply,
                Button::Apply => Button::Cancel,
            };
        }
        (Some(Intent::Back), _) => {
            // Esc on a queued Apply cancels the queue; the next one closes the dialog.
            let queued = std::mem::take(&mut confirm.queued);
            if queued {
                queue::cancelled(app);
            } else {
                back_to_origin(app);
            }
        }
        (Some(Intent::Press), _) => match confirm.focus {
            Button::Cancel => back_to_origin(app),
            Button::Apply if ready => return queue::apply(app),
            Button::Apply => queue::press_unready(app),
        },
        (Some(other), _) if needs_typing => {
            confirm.typed.apply(other);
            focus_when_typed(confirm);
        }
        (None, Some(c)) if needs_typing => {
            confirm.typed.insert(c);
            focus_when_typed(confirm);
        }
        (Some(Intent::Copy), _) => return super::copy::copy(app),
        (Some(Intent::CopyCommand), _) => return super::copy::copy_command(app),
        _ => {}
    }
    Vec::new()
}

/// Once the typed ID matches, the focus moves to Apply, so Enter presses it. (Should it
/// stop matching, Apply is locked again and Enter on it says why.)
pub(super) fn focus_when_typed(confirm: &mut Confirm) {
    if confirm.typed.value().trim() == confirm.image().image_id {
        confirm.focus = Button::Apply;
    }
}

fn back_to_origin(app: &mut App) {
    let screen = std::mem::replace(&mut app.screen, Screen::Browser);
    if let Screen::Confirm(confirm) = screen {
        app.screen = match confirm.origin {
            Origin::Form(form) => Screen::Form(form),
            Origin::StatusPicker(picker) => Screen::StatusPicker(picker),
            Origin::Undo(undo) => match undo.target.from {
                Some(view) => Screen::Journal(view),
                None => Screen::Browser,
            },
        };
    }
}

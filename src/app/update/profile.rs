//! `P`: pick another credential profile. The worker connects with it; when it answers,
//! everything of the old connection is dropped and the list loads again.

use crate::app::command::Command;
use crate::app::context::AppContext;
use crate::app::profiles::ProfilePicker;
use crate::app::state::{App, Level, Loadable, Screen};
use crate::keys::Intent;

use super::{flash, half, notice, start_load};

/// Opens the picker; the profiles are listed afresh (the demo has only its own).
pub(super) fn open_picker(app: &mut App) -> Vec<Command> {
    app.screen = Screen::ProfilePicker(ProfilePicker::default());
    if app.context.demo {
        app.profiles = Some(Loadable::Ready(Vec::new()));
        return Vec::new();
    }
    if app.profiles.as_ref().is_some_and(Loadable::is_loading) {
        return Vec::new();
    }
    app.profiles = Some(Loadable::Loading);
    vec![Command::LoadProfiles]
}

pub(super) fn on_listed(app: &mut App, names: Vec<String>) {
    app.profiles = Some(Loadable::Ready(names));
}

pub(super) fn on_picker_key(app: &mut App, intent: Option<Intent>) -> Vec<Command> {
    let choices = app.profile_choices();
    let last = choices.len().saturating_sub(1);
    let page = app.viewport.picker.max(1);
    let Screen::ProfilePicker(picker) = &mut app.screen else {
        return Vec::new();
    };
    match intent {
        Some(Intent::Back | Intent::Profile) => app.screen = Screen::Browser,
        Some(Intent::Down) => picker.selected = (picker.selected + 1).min(last),
        Some(Intent::Up) => picker.selected = picker.selected.saturating_sub(1),
        Some(Intent::PageDown) => picker.selected = (picker.selected + page).min(last),
        Some(Intent::PageUp) => picker.selected = picker.selected.saturating_sub(page),
        Some(Intent::HalfPageDown) => picker.selected = (picker.selected + half(page)).min(last),
        Some(Intent::HalfPageUp) => picker.selected = picker.selected.saturating_sub(half(page)),
        Some(Intent::Top) => picker.selected = 0,
        Some(Intent::Bottom) => picker.selected = last,
        Some(Intent::Press) => {
            let Some(profile) = choices.get(picker.selected).cloned() else {
                return Vec::new();
            };
            return switch_to(app, profile);
        }
        _ => {}
    }
    Vec::new()
}

pub(super) fn switch_to(app: &mut App, profile: String) -> Vec<Command> {
    if profile == app.context.profile {
        app.screen = Screen::Browser;
        let text = if app.context.demo {
            "the demo has one profile, demo: it is in use".to_string()
        } else {
            format!("already using profile {profile}")
        };
        flash(app, Level::Info, text);
        return Vec::new();
    }
    let refusal = if app.switching.is_some() {
        Some("a switch is under way: wait for it".to_string())
    } else if !app.jobs.is_empty() {
        Some("a change is in flight: wait for its result before switching profile".to_string())
    } else {
        None
    };
    if let Screen::ProfilePicker(picker) = &mut app.screen {
        picker.error = refusal.clone();
    }
    if refusal.is_some() {
        return Vec::new();
    }
    app.switching = Some(profile.clone());
    vec![Command::SwitchProfile {
        profile,
        region: app.context.region.clone(),
    }]
}

/// The worker connected with `profile` (or could not). On success the old connection's
/// list, family facts, forms and journal go, and the list loads under a new generation,
/// so pages still coming for the old profile are dropped.
pub(super) fn on_switched(
    app: &mut App,
    profile: String,
    result: Result<AppContext, String>,
    at: &str,
) -> Vec<Command> {
    app.switching = None;
    match result {
        Ok(context) => {
            notice(
                app,
                at,
                "SwitchProfile",
                format!("profile {profile}"),
                format!("now {} · {}", context.region, context.endpoint_kind),
                true,
                None,
            );
            app.context = context;
            app.list.clear();
            app.incomplete = None;
            app.facts.clear();
            app.usage.clear();
            app.drafts.clear();
            app.journal = None;
            app.undo = None;
            app.load_error = None;
            if matches!(app.screen, Screen::ProfilePicker(_)) {
                app.screen = Screen::Browser;
            }
            let read_only = if app.context.read_only {
                " (read-only)"
            } else {
                ""
            };
            flash(
                app,
                Level::Info,
                format!("switched to profile {profile}{read_only}"),
            );
            start_load(app)
        }
        Err(message) => {
            notice(
                app,
                at,
                "SwitchProfile",
                format!("profile {profile}"),
                "failed".to_string(),
                false,
                None,
            );
            match &mut app.screen {
                Screen::ProfilePicker(picker) => picker.error = Some(message),
                _ => {
                    let first = message.lines().next().unwrap_or_default().to_string();
                    flash(
                        app,
                        Level::Error,
                        format!("cannot switch to profile {profile}: {first}"),
                    );
                }
            }
            Vec::new()
        }
    }
}

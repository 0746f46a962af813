//! The one place state changes. Pure: no I/O, no clock, no randomness — so every flow of
//! the UI is a plain unit test.

mod batch;
mod browser;
mod bulk;
mod bulk_apply;
mod cmdline;
mod copy;
mod dialogs;
mod edit;
mod journal;
mod loading;
mod profile;
mod queue;
mod results;
mod usage;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind};

use super::action::Action;
use super::command::Command;
use super::journal_view::JournalView;
use super::state::{App, Flash, Level, Notice, Screen};
use super::viewport::Viewport;
use crate::ecs::error::ApiError;
use crate::keys::{self, Context, Intent};

pub use cmdline::{CommandSpec, COMMANDS};
pub use copy::command_line;
use loading::start_load;

/// The commands to run at start: load the region's images.
pub fn init(app: &mut App) -> Vec<Command> {
    start_load(app)
}

/// Applies one action; returns the commands it asks for.
pub fn update(app: &mut App, action: Action) -> Vec<Command> {
    let follows = !matches!(action, Action::Viewport(_) | Action::Tick);
    let mut commands = dispatch(app, action);
    if follows {
        commands.extend(usage::follow_selection(app));
    }
    commands
}

fn dispatch(app: &mut App, action: Action) -> Vec<Command> {
    match action {
        Action::Key(key) => on_key(app, key),
        Action::Paste(text) => on_paste(app, &text),
        Action::Click { row, .. } => {
            browser::on_click(app, row);
            Vec::new()
        }
        Action::Viewport(viewport) => {
            measured(app, viewport);
            Vec::new()
        }
        Action::Tick => {
            if app.busy() {
                app.spinner = app.spinner.wrapping_add(1);
            }
            Vec::new()
        }
        other => {
            let commands = results::on_result(app, other);
            if app.jobs.is_empty() {
                disarm_quit(app);
            }
            commands
        }
    }
}

fn on_key(app: &mut App, key: KeyEvent) -> Vec<Command> {
    if key.kind == KeyEventKind::Release {
        return Vec::new();
    }
    let context = app.key_context();
    let intent = app.keys.intent(context, &key);
    app.flash = None;
    match intent {
        Some(Intent::ForceQuit) => return quit(app),
        Some(Intent::Suspend) => return vec![Command::Suspend],
        Some(Intent::Quit) => {}
        _ => app.quit_armed = false,
    }
    if let Some(help) = &mut app.help {
        let (last, page) = (app.viewport.help_scroll, app.viewport.help_page.max(1));
        match intent {
            Some(Intent::Back | Intent::Help) => app.help = None,
            Some(Intent::Down) => help.offset = (help.offset + 1).min(last),
            Some(Intent::Up) => help.offset = help.offset.saturating_sub(1),
            Some(Intent::PageDown) => help.offset = (help.offset + page).min(last),
            Some(Intent::PageUp) => help.offset = help.offset.saturating_sub(page),
            Some(Intent::Top) => help.offset = 0,
            Some(Intent::Bottom) => help.offset = last,
            _ => {}
        }
        return Vec::new();
    }
    match intent {
        Some(Intent::Help) => {
            app.help = Some(super::state::Help { context, offset: 0 });
            return Vec::new();
        }
        Some(Intent::Quit) => return ask_quit(app),
        _ => {}
    }
    let typed = keys::typed_char(&key).filter(|_| intent.is_none());
    if intent.is_none() && takes_no_text(context) && !quiet(&key) {
        let pressed = keys::Key::of(&key);
        flash(
            app,
            Level::Info,
            format!("{pressed} does nothing here: ? lists this screen's keys"),
        );
        return Vec::new();
    }
    match context {
        Context::Browser => browser::on_intent(app, intent),
        Context::BrowserBusy => browser::on_busy_intent(app, intent),
        Context::Filter => browser::on_filter_key(app, intent, typed),
        Context::CommandLine => cmdline::on_key(app, intent, typed),
        Context::FormText | Context::FormChoice => edit::on_form_key(app, intent, typed),
        Context::StatusPicker => edit::on_status_key(app, intent),
        Context::Confirm | Context::ConfirmTyped => edit::on_confirm_key(app, intent, typed),
        Context::Result => dialogs::on_result_key(app, intent),
        Context::ResultForm => dialogs::on_result_key(
            app,
            intent.map(|i| match i {
                // Closing this panel goes back to the form.
                Intent::Back => Intent::Edit,
                other => other,
            }),
        ),
        Context::Notices => dialogs::on_notices_key(app, intent),
        Context::RegionPicker => dialogs::on_region_key(app, intent, typed),
        Context::Journal => journal::on_journal_key(app, intent),
        Context::JournalEntry => journal::on_entry_key(app, intent),
        Context::ProfilePicker => profile::on_picker_key(app, intent),
        Context::BrowserBatch => batch::on_list_key(app, intent),
        Context::Marked => bulk::on_marked_key(app, intent),
        Context::BulkEdit => bulk::on_edit_key(app, intent, typed),
        Context::BulkPlan | Context::BulkPlanTyped => bulk::on_plan_key(app, intent, typed),
        Context::BatchReport => batch::on_report_key(app, intent),
        Context::Help | Context::Global => Vec::new(),
    }
}

/// Screens whose keys are all commands: a key bound to nothing there says so, instead
/// of doing nothing in silence. (Screens with a text field take such a key as text.)
fn takes_no_text(context: Context) -> bool {
    matches!(
        context,
        Context::Browser
            | Context::BrowserBusy
            | Context::BrowserBatch
            | Context::StatusPicker
            | Context::Result
            | Context::ResultForm
            | Context::Notices
            | Context::Journal
            | Context::JournalEntry
            | Context::ProfilePicker
            | Context::Marked
            | Context::BatchReport
    )
}

/// Keys a person does not press to make something happen: modifiers alone, lock keys,
/// media keys.
fn quiet(key: &KeyEvent) -> bool {
    matches!(
        key.code,
        KeyCode::Modifier(_)
            | KeyCode::Media(_)
            | KeyCode::Null
            | KeyCode::CapsLock
            | KeyCode::NumLock
            | KeyCode::ScrollLock
            | KeyCode::PrintScreen
            | KeyCode::Pause
            | KeyCode::Menu
            | KeyCode::KeypadBegin
    )
}

/// The screen was measured: scrolled views stay within what it can show, so the next
/// key moves them at once (after a resize too).
fn measured(app: &mut App, viewport: Viewport) {
    app.viewport = viewport;
    app.list.set_page(viewport.list);
    app.details_offset = app.details_offset.min(viewport.detail_scroll);
    if let Some(help) = &mut app.help {
        help.offset = help.offset.min(viewport.help_scroll);
    }
    if let Screen::Journal(JournalView {
        open: Some(offset), ..
    }) = &mut app.screen
    {
        *offset = (*offset).min(viewport.entry_scroll);
    }
}

fn on_paste(app: &mut App, text: &str) -> Vec<Command> {
    match app.key_context() {
        Context::CommandLine => cmdline::on_paste(app, text),
        Context::Browser | Context::BrowserBusy | Context::BrowserBatch | Context::Filter => {
            app.list.filtering = true;
            app.list.filter.paste(text);
            app.list.refilter();
        }
        Context::FormText => {
            if let super::state::Screen::Form(form) = &mut app.screen {
                form.paste(text);
            }
        }
        Context::ConfirmTyped => {
            if let super::state::Screen::Confirm(confirm) = &mut app.screen {
                confirm.typed.paste(text);
                edit::focus_when_typed(confirm);
            }
        }
        Context::BulkEdit => {
            if let super::state::Screen::BulkEdit(form) = &mut app.screen {
                form.text.paste(text);
            }
        }
        Context::BulkPlanTyped => {
            if let super::state::Screen::BulkPlan(review) = &mut app.screen {
                review.typed.paste(text);
            }
        }
        Context::RegionPicker => {
            if let super::state::Screen::RegionPicker(picker) = &mut app.screen {
                picker.typed.paste(text);
                picker.selected = 0;
            }
        }
        _ => {}
    }
    Vec::new()
}

fn quit(app: &mut App) -> Vec<Command> {
    app.quit = true;
    vec![Command::Quit]
}

/// `q`: quits, unless a change is in flight — then it asks for a second `q`.
pub(super) fn ask_quit(app: &mut App) -> Vec<Command> {
    if (app.jobs.is_empty() && app.bulk.run.is_none()) || app.quit_armed {
        return quit(app);
    }
    app.quit_armed = true;
    let text = quit_again(app);
    flash(app, Level::Warning, text);
    Vec::new()
}

/// What the first `q` says while a change is in flight, in 80 columns.
fn quit_again(app: &App) -> String {
    let key = |intent| {
        app.keys
            .label_of(Context::BrowserBusy, intent)
            .unwrap_or_default()
    };
    format!(
        "change in flight: {} again quits (it may still reach ECS) · {} cancels it",
        key(Intent::Quit),
        key(Intent::Back)
    )
}

/// The last change ended: a second `q` is no longer needed, and the warning goes.
fn disarm_quit(app: &mut App) {
    if !std::mem::take(&mut app.quit_armed) {
        return;
    }
    if app
        .flash
        .as_ref()
        .is_some_and(|f| f.text == quit_again(app))
    {
        app.flash = None;
    }
}

/// Half of a page of `page` rows (ctrl-d, ctrl-u), never less than one row.
pub(super) fn half(page: usize) -> usize {
    (page / 2).max(1)
}

pub(super) fn flash(app: &mut App, level: Level, text: impl Into<String>) {
    app.flash = Some(Flash {
        text: text.into(),
        level,
    });
}

pub(super) fn notice(
    app: &mut App,
    at: &str,
    action: &str,
    target: String,
    outcome: String,
    ok: bool,
    request_id: Option<String>,
) {
    let seq = app.notices.len() as u64 + 1;
    app.notices.push(Notice {
        seq,
        at: at.to_string(),
        action: action.to_string(),
        target,
        outcome,
        ok,
        request_id: request_id.filter(|r| !r.is_empty()),
        meaning: None,
        recommend: None,
        string_to_sign: None,
    });
}

/// A request that failed: its code, what it means, its RequestId and Recommend link.
pub(super) fn notice_failed(
    app: &mut App,
    at: &str,
    action: &str,
    target: String,
    error: &ApiError,
) {
    notice(
        app,
        at,
        action,
        target,
        format!("failed: {}", error.code),
        false,
        error.request_id.clone(),
    );
    explain_last(app, error);
}

/// Adds what `error` means and its Recommend link to the newest notice.
pub(super) fn explain_last(app: &mut App, error: &ApiError) {
    if let Some(last) = app.notices.last_mut() {
        last.meaning = Some(error.meaning());
        last.recommend = error.recommend.clone().filter(|r| !r.is_empty());
        last.string_to_sign = error.string_to_sign().map(str::to_string);
    }
}

//! Keys on the image list and its filter.

use crate::app::command::Command;
use crate::app::region_picker::RegionPicker;
use crate::app::state::{App, Level, Loadable, Screen};
use crate::keys::Intent;

use super::{cmdline, copy, edit, flash, half, journal, profile, start_load};

pub(super) fn on_intent(app: &mut App, intent: Option<Intent>) -> Vec<Command> {
    let Some(intent) = intent else {
        return Vec::new();
    };
    let page = app.list.page() as isize;
    if app.details_full {
        // Opened out, the pane hides the list: page keys scroll it; a new image starts
        // at its top.
        let (step, max) = (app.viewport.detail.max(1), app.viewport.detail_scroll);
        match intent {
            Intent::PageDown => {
                app.details_offset = (app.details_offset + step).min(max);
                return Vec::new();
            }
            Intent::PageUp => {
                app.details_offset = app.details_offset.saturating_sub(step);
                return Vec::new();
            }
            Intent::Down | Intent::Up | Intent::Top | Intent::Bottom => app.details_offset = 0,
            _ => {}
        }
    }
    match intent {
        Intent::Down => app.list.move_by(1),
        Intent::Up => app.list.move_by(-1),
        Intent::PageDown => app.list.move_by(page),
        Intent::PageUp => app.list.move_by(-page),
        Intent::HalfPageDown => app.list.move_by(half(app.list.page()) as isize),
        Intent::HalfPageUp => app.list.move_by(-(half(app.list.page()) as isize)),
        Intent::Top => app.list.top(),
        Intent::Bottom => app.list.bottom(),
        Intent::Filter => app.list.filtering = true,
        Intent::Edit => return edit::open_form(app),
        Intent::Status => return edit::open_status_picker(app),
        Intent::Refresh => {
            app.facts.clear();
            app.usage.clear();
            return start_load(app);
        }
        Intent::Region => return open_region_picker(app),
        Intent::Sort => {
            let sort = app.list.sort().next();
            app.list.set_sort(sort);
            flash(app, Level::Info, sorted_by(app));
        }
        Intent::Reverse => {
            app.list.toggle_reversed();
            flash(app, Level::Info, sorted_by(app));
        }
        Intent::Details => {
            app.details_full = !app.details_full;
            app.details_offset = 0;
            // Opened out, the pane shows who uses the image: read it now, no pause.
            if let Some(image) = app.list.selected().cloned().filter(|_| app.details_full) {
                return super::usage::want_usage(app, &image);
            }
        }
        Intent::Notices => {
            app.screen = Screen::Notices { offset: 0 };
        }
        Intent::Journal => return journal::open(app),
        Intent::Undo => return journal::undo_last(app),
        Intent::Profile => return profile::open_picker(app),
        Intent::Copy => return copy::copy(app),
        Intent::CopyCommand => return copy::copy_command(app),
        Intent::Command => return cmdline::open(app),
        Intent::Back => return back(app),
        other => return super::bulk::on_list_intent(app, other),
    }
    Vec::new()
}

/// "sorted by name", "sorted by created, oldest first".
fn sorted_by(app: &App) -> String {
    use crate::app::list::SortKey;
    let sort = app.list.sort();
    let way = match (sort, app.list.reversed()) {
        (_, false) => "",
        (SortKey::Name, true) => ", Z to A",
        (SortKey::Created, true) => ", oldest first",
        (SortKey::Family, true) => ", backwards",
    };
    format!("sorted by {}{way}", sort.label())
}

/// A click (with `--mouse`): on a row of the list, selects it; anywhere else, or over a
/// dialog, it does nothing (the keys say what a dialog does).
pub(super) fn on_click(app: &mut App, row: u16) {
    let top = app.viewport.list_top;
    let on_list = matches!(
        app.key_context(),
        crate::keys::Context::Browser | crate::keys::Context::BrowserBusy
    );
    if !on_list || top == 0 || row < top {
        return;
    }
    let index = app.list.offset() + usize::from(row - top);
    if usize::from(row - top) < app.list.page() && index < app.list.visible_len() {
        app.flash = None;
        app.list.select_row(index);
    }
}

/// Esc on the list: clears the filter, then closes the full detail pane.
fn back(app: &mut App) -> Vec<Command> {
    if !app.list.filter.value().is_empty() {
        app.list.filter.clear();
        app.list.refilter();
        return Vec::new();
    }
    app.details_full = false;
    Vec::new()
}

/// The list while a change is in flight: Esc cancels the newest change first, as the
/// hint line says; every other key does what it does on the list.
pub(super) fn on_busy_intent(app: &mut App, intent: Option<Intent>) -> Vec<Command> {
    if intent != Some(Intent::Back) {
        return on_intent(app, intent);
    }
    let Some(job) = app.jobs.iter_mut().rev().find(|j| !j.cancelling) else {
        return back(app);
    };
    job.cancelling = true;
    let (id, name) = (job.id, job.change.image().image_name.clone());
    flash(
        app,
        Level::Warning,
        format!("cancelling the change to {name}…"),
    );
    vec![Command::Cancel(id)]
}

pub(super) fn on_filter_key(
    app: &mut App,
    intent: Option<Intent>,
    typed: Option<char>,
) -> Vec<Command> {
    match (intent, typed) {
        (Some(Intent::Press), _) => app.list.filtering = false,
        (Some(Intent::Back), _) => {
            app.list.filtering = false;
            app.list.filter.clear();
            app.list.refilter();
        }
        (Some(Intent::Down), _) => app.list.move_by(1),
        (Some(Intent::Up), _) => app.list.move_by(-1),
        (Some(other), _) => {
            if app.list.filter.apply(other) {
                app.list.refilter();
            }
        }
        (None, Some(c)) => {
            app.list.filter.insert(c);
            app.list.refilter();
        }
        (None, None) => {}
    }
    Vec::new()
}

fn open_region_picker(app: &mut App) -> Vec<Command> {
    app.screen = Screen::RegionPicker(RegionPicker::default());
    super::dialogs::select_current_region(app);
    if matches!(app.regions, None | Some(Loadable::Failed(_))) {
        app.regions = Some(Loadable::Loading);
        return vec![Command::LoadRegions];
    }
    Vec::new()
}

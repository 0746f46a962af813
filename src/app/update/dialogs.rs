//! The result panel, the notices view and the region picker.

use crate::app::command::Command;
use crate::app::region_picker::{self, RegionChoice};
use crate::app::state::{App, Level, Loadable, Screen};
use crate::keys::Intent;

use super::{copy, edit, flash, half, start_load};

pub(super) fn on_result_key(app: &mut App, intent: Option<Intent>) -> Vec<Command> {
    match intent {
        Some(Intent::Back) => {
            app.results.pop_front();
        }
        Some(Intent::Edit) => {
            let Some(result) = app.results.pop_front() else {
                return Vec::new();
            };
            let before = result.image();
            let image = app
                .list
                .get(&before.image_id)
                .cloned()
                .unwrap_or_else(|| before.clone());
            return edit::open_form_for(app, &image);
        }
        Some(Intent::Notices) => app.screen = Screen::Notices { offset: 0 },
        Some(Intent::Copy) => return copy::copy(app),
        _ => {}
    }
    Vec::new()
}

pub(super) fn on_notices_key(app: &mut App, intent: Option<Intent>) -> Vec<Command> {
    // The top of the last full screen: scrolling further would only empty the view.
    let last = app
        .notices
        .len()
        .saturating_sub(app.viewport.notices_tail.max(1));
    let page = app.viewport.notices.max(1);
    let Screen::Notices { offset } = &mut app.screen else {
        return Vec::new();
    };
    match intent {
        Some(Intent::Back | Intent::Notices) => app.screen = Screen::Browser,
        Some(Intent::Down) => *offset = (*offset + 1).min(last),
        Some(Intent::Up) => *offset = offset.saturating_sub(1),
        Some(Intent::PageDown) => *offset = (*offset + page).min(last),
        Some(Intent::PageUp) => *offset = offset.saturating_sub(page),
        Some(Intent::HalfPageDown) => *offset = (*offset + half(page)).min(last),
        Some(Intent::HalfPageUp) => *offset = offset.saturating_sub(half(page)),
        Some(Intent::Copy) => {
            let offset = *offset;
            return copy::copy_notice(app, offset);
        }
        Some(Intent::Top) => *offset = 0,
        Some(Intent::Bottom) => *offset = last,
        _ => {}
    }
    Vec::new()
}

/// The picker's rows for what was typed so far.
fn region_rows(app: &App) -> Vec<RegionChoice<'_>> {
    let regions = app
        .regions
        .as_ref()
        .and_then(Loadable::ready)
        .map_or(&[][..], Vec::as_slice);
    let typed = match &app.screen {
        Screen::RegionPicker(picker) => picker.typed.value(),
        _ => "",
    };
    region_picker::choices(regions, typed)
}

/// Puts the picker's cursor on what the list shows now: "all regions", or the region.
pub(super) fn select_current_region(app: &mut App) {
    let row = region_rows(app).iter().position(|c| match c {
        RegionChoice::All => app.all_regions.is_some(),
        RegionChoice::Region(r) => app.all_regions.is_none() && r.region_id == app.context.region,
    });
    if let (Screen::RegionPicker(picker), Some(row)) = (&mut app.screen, row) {
        picker.selected = row;
    }
}

pub(super) fn on_region_key(
    app: &mut App,
    intent: Option<Intent>,
    typed: Option<char>,
) -> Vec<Command> {
    let count = region_rows(app).len();
    let page = app.viewport.picker.max(1);
    let Screen::RegionPicker(picker) = &mut app.screen else {
        return Vec::new();
    };
    let last = count.saturating_sub(1);
    match (intent, typed) {
        (Some(Intent::Back), _) => app.screen = Screen::Browser,
        (Some(Intent::Down), _) => picker.selected = (picker.selected + 1).min(last),
        (Some(Intent::Up), _) => picker.selected = picker.selected.saturating_sub(1),
        (Some(Intent::PageDown), _) => picker.selected = (picker.selected + page).min(last),
        (Some(Intent::PageUp), _) => picker.selected = picker.selected.saturating_sub(page),
        (Some(Intent::HalfPageDown), _) => {
            picker.selected = (picker.selected + half(page)).min(last)
        }
        (Some(Intent::HalfPageUp), _) => {
            picker.selected = picker.selected.saturating_sub(half(page))
        }
        (Some(Intent::Press), _) => return choose_region(app),
        (Some(other), _) => {
            let before = picker.typed.value().to_string();
            if picker.typed.apply(other) && picker.typed.value() != before {
                picker.selected = 0;
            }
        }
        (None, Some(c)) => {
            picker.typed.insert(c);
            picker.selected = 0;
        }
        (None, None) => {}
    }
    Vec::new()
}

/// Enter in the picker: the chosen row's images load (nothing when it is what the list
/// shows already).
fn choose_region(app: &mut App) -> Vec<Command> {
    let selected = match &app.screen {
        Screen::RegionPicker(picker) => picker.selected,
        _ => return Vec::new(),
    };
    let chosen = match region_rows(app).get(selected) {
        Some(RegionChoice::All) => None,
        Some(RegionChoice::Region(r)) => Some(r.region_id.clone()),
        None => {
            flash(
                app,
                Level::Info,
                "no region matches what was typed (Backspace to edit)",
            );
            return Vec::new();
        }
    };
    let all: Option<Vec<String>> = match &chosen {
        None => app
            .regions
            .as_ref()
            .and_then(Loadable::ready)
            .map(|r| r.iter().map(|r| r.region_id.clone()).collect()),
        Some(_) => None,
    };
    app.screen = Screen::Browser;
    match chosen {
        Some(region) if app.all_regions.is_none() && region == app.context.region => Vec::new(),
        Some(region) => switch_region(app, region),
        None if app.all_regions.is_some() => Vec::new(),
        None => {
            app.all_regions = all;
            reset_list(app);
            start_load(app)
        }
    }
}

/// Another region: a new load generation, so pages still coming from the old one drop.
pub(super) fn switch_region(app: &mut App, region: String) -> Vec<Command> {
    app.context.region = region;
    app.all_regions = None;
    reset_list(app);
    start_load(app)
}

fn reset_list(app: &mut App) {
    app.list.clear();
    app.incomplete = None;
    app.facts.clear();
    app.usage.clear();
}

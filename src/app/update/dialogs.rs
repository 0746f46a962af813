//! The result panel, the notices view and the region picker.

use crate::app::command::Command;
use crate::app::state::{App, Loadable, Screen};
use crate::keys::Intent;

use super::{copy, edit, half, start_load};

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
    let last = app.notices.len().saturating_sub(1);
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

pub(super) fn on_region_key(app: &mut App, intent: Option<Intent>) -> Vec<Command> {
    let count = app
        .regions
        .as_ref()
        .and_then(Loadable::ready)
        .map_or(0, Vec::len);
    let page = app.viewport.picker.max(1);
    let Screen::RegionPicker(picker) = &mut app.screen else {
        return Vec::new();
    };
    let last = count.saturating_sub(1);
    match intent {
        Some(Intent::Back) => app.screen = Screen::Browser,
        Some(Intent::Down) => picker.selected = (picker.selected + 1).min(last),
        Some(Intent::Up) => picker.selected = picker.selected.saturating_sub(1),
        Some(Intent::PageDown) => picker.selected = (picker.selected + page).min(last),
        Some(Intent::PageUp) => picker.selected = picker.selected.saturating_sub(page),
        Some(Intent::HalfPageDown) => picker.selected = (picker.selected + half(page)).min(last),
        Some(Intent::HalfPageUp) => picker.selected = picker.selected.saturating_sub(half(page)),
        Some(Intent::Top) => picker.selected = 0,
        Some(Intent::Bottom) => picker.selected = last,
        Some(Intent::Press) => {
            let selected = picker.selected;
            let Some(region) = app
                .regions
                .as_ref()
                .and_then(Loadable::ready)
                .and_then(|r| r.get(selected))
                .map(|r| r.region_id.clone())
            else {
                return Vec::new();
            };
            app.screen = Screen::Browser;
            if region == app.context.region {
                return Vec::new();
            }
            return switch_region(app, region);
        }
        _ => {}
    }
    Vec::new()
}

/// Another region: a new load generation, so pages still coming from the old one drop.
pub(super) fn switch_region(app: &mut App, region: String) -> Vec<Command> {
    app.context.region = region;
    app.list.clear();
    app.incomplete = None;
    app.facts.clear();
    app.usage.clear();
    start_load(app)
}

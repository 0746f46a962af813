//! Who uses an image, on the app's side: the pause before the detail pane asks, the
//! request when the status picker, the confirm dialog or `d` needs it now (or a bulk
//! plan, for every image it deprecates at once), and the answer coming back (which may
//! release a queued Apply).

use crate::app::action::Action;
use crate::app::command::Command;
use crate::app::state::App;
use crate::app::usage::USAGE_PAUSE;
use crate::change::{ImageUsage, Usage};
use crate::ecs::model::Image;

use super::{notice, queue};

/// After every action: when the selection moved to another image whose usage is not
/// known, a pause timer starts; only the latest one loads anything. Never a request per
/// j/k.
pub(super) fn follow_selection(app: &mut App) -> Vec<Command> {
    let selected = app.list.selected().map(|i| i.image_id.clone());
    if selected == app.usage.focus {
        return Vec::new();
    }
    app.usage.focus = selected.clone();
    match selected {
        Some(id) if app.usage.entry(&id).is_none() => {
            app.usage.timer += 1;
            vec![Command::UsageTimer {
                timer: app.usage.timer,
                after: USAGE_PAUSE,
            }]
        }
        _ => Vec::new(),
    }
}

/// Reads who uses `image` now, unless it is known or being read.
pub(super) fn want_usage(app: &mut App, image: &Image) -> Vec<Command> {
    if app.usage.entry(&image.image_id).is_some() {
        return Vec::new();
    }
    app.usage.start(&image.image_id);
    // Who launches an image is asked where the image lives (the list may span regions).
    vec![Command::LoadUsage {
        region: app.region_of(image),
        image: image.clone(),
    }]
}

pub(super) fn on_result(app: &mut App, action: Action) -> Vec<Command> {
    match action {
        Action::UsagePause { timer } => {
            if timer != app.usage.timer {
                return Vec::new();
            }
            match app.list.selected().cloned() {
                Some(image) if app.usage.focus.as_deref() == Some(&image.image_id) => {
                    want_usage(app, &image)
                }
                _ => Vec::new(),
            }
        }
        Action::Usage {
            region,
            image_id,
            usage,
            at,
        } => {
            if !app.shows_region(&region) || app.usage.entry(&image_id).is_none() {
                // Another region now, or the list was read again since: a stale answer.
                return Vec::new();
            }
            let name = app.list.get(&image_id).map_or_else(
                || image_id.clone(),
                |i| format!("{} ({image_id})", i.image_name),
            );
            let unchecked = usage.unchecked.len();
            let outcome = if unchecked == 0 {
                usage.summary()
            } else {
                format!("{unchecked} of 4 sources unchecked: {}", usage.summary())
            };
            notice(app, &at, "usage check", name, outcome, unchecked == 0, None);
            app.usage.settle(&image_id, *usage, &at);
            queue::resume(app)
        }
        Action::Usages { region, usages, at } => {
            if !app.shows_region(&region) {
                return Vec::new();
            }
            // Only the images still being read: the list may have been read again since.
            let fresh: Vec<(String, ImageUsage)> = usages
                .into_iter()
                .filter(|(id, _)| app.usage.of(id) == Usage::Checking)
                .collect();
            if fresh.is_empty() {
                return Vec::new();
            }
            let in_use = fresh.iter().filter(|(_, u)| !u.in_use().is_empty()).count();
            let unchecked = fresh
                .iter()
                .filter(|(_, u)| !u.unchecked.is_empty())
                .count();
            let n = fresh.len();
            let mut outcome = format!("{in_use} of {n} in use");
            if unchecked > 0 {
                outcome.push_str(&format!(
                    ", {unchecked} with sources unchecked ({})",
                    unchecked_codes(&fresh)
                ));
            }
            let target = crate::change::images(n);
            notice(
                app,
                &at,
                "usage check",
                target,
                outcome,
                unchecked == 0,
                None,
            );
            for (id, usage) in fresh {
                app.usage.settle(&id, usage, &at);
            }
            queue::resume(app)
        }
        _ => Vec::new(),
    }
}

/// Asks who uses each image the bulk plan deprecates whose usage is not known or being
/// read, in one request for the plan's region.
pub(super) fn want_usages(app: &mut App, region: &str, images: Vec<Image>) -> Vec<Command> {
    let images: Vec<Image> = images
        .into_iter()
        .filter(|i| app.usage.entry(&i.image_id).is_none())
        .collect();
    if images.is_empty() {
        return Vec::new();
    }
    for image in &images {
        app.usage.start(&image.image_id);
    }
    vec![Command::LoadUsages {
        region: region.to_string(),
        images,
    }]
}

/// The codes of the sources that could not be read, each once.
fn unchecked_codes(usages: &[(String, ImageUsage)]) -> String {
    let codes: std::collections::BTreeSet<&str> = usages
        .iter()
        .flat_map(|(_, u)| u.unchecked.iter().map(|c| c.code.as_str()))
        .collect();
    codes.into_iter().collect::<Vec<_>>().join(", ")
}

//! Loading the list: a load started under a new generation, its pages as they arrive
//! (pages of an older generation, or of a region the list no longer shows, dropped), and
//! its end once the last region has answered: complete, or said to be incomplete.

use crate::app::action::ImagesPage;
use crate::app::command::Command;
use crate::app::state::{App, Incomplete, Level, Loading};
use crate::ecs::error::ApiError;

use super::{flash, notice, notice_failed};

/// Starts loading the list's images (the current region's, or every region's) under a
/// new generation.
pub(super) fn start_load(app: &mut App) -> Vec<Command> {
    app.generation += 1;
    let generation = app.generation;
    let (label, waiting, command) = match &app.all_regions {
        Some(regions) => (
            "all regions".to_string(),
            regions.clone(),
            Command::LoadAllImages {
                regions: regions.clone(),
                generation,
            },
        ),
        None => {
            let region = app.context.region.clone();
            (
                region.clone(),
                vec![region.clone()],
                Command::LoadImages { region, generation },
            )
        }
    };
    app.loading = Some(Loading {
        generation,
        region: label,
        waiting,
        failures: Vec::new(),
        received: 0,
        total: 0,
        pages: 0,
        last_request_id: String::new(),
    });
    app.load_error = None;
    vec![command]
}

pub(super) fn on_page(app: &mut App, page: ImagesPage) -> Vec<Command> {
    if page.generation != app.generation || !app.shows_region(&page.region) {
        return Vec::new();
    }
    let Some(loading) = &mut app.loading else {
        return Vec::new();
    };
    let first = loading.pages == 0;
    loading.pages += 1;
    loading.received += page.images.len() as u64;
    // Each region's page 1 comes first and says what that region holds.
    if page.page_number <= 1 {
        loading.total += page.total;
    }
    loading.total = loading.total.max(loading.received);
    loading.last_request_id = page.request_id;
    if first {
        app.list.replace_all(page.images);
    } else {
        app.list.extend(page.images);
    }
    Vec::new()
}

/// One region's listing ended; the load ends with the last region.
pub(super) fn on_done(app: &mut App, region: String, result: Result<u64, ApiError>, at: &str) {
    let spans = app.spans_regions();
    let Some(loading) = &mut app.loading else {
        return;
    };
    loading.waiting.retain(|r| *r != region);
    let pages = loading.pages;
    let last_request_id = loading.last_request_id.clone();
    let target = format!("custom images in {region}");
    match result {
        Ok(count) => {
            let pages = if spans {
                String::new()
            } else {
                format!(" in {pages} page{}", if pages == 1 { "" } else { "s" })
            };
            let request_id = (!spans).then_some(last_request_id);
            notice(
                app,
                at,
                "DescribeImages",
                target,
                format!("{count} images{pages}"),
                true,
                request_id,
            );
        }
        Err(error) => {
            notice_failed(app, at, "DescribeImages", target, &error);
            if let Some(loading) = &mut app.loading {
                loading.failures.push((region, error));
            }
        }
    }
    if !app.loading.as_ref().is_some_and(|l| l.waiting.is_empty()) {
        return;
    }
    let Some(loading) = app.loading.take() else {
        return;
    };
    app.list.settle();
    let Some((_, first)) = loading.failures.first() else {
        app.incomplete = None;
        app.usage.refocus();
        if loading.pages == 0 {
            app.list.replace_all(Vec::new());
        }
        super::batch::after_load(app);
        return;
    };
    if loading.pages > 0 {
        app.incomplete = Some(Incomplete {
            received: loading.received,
            total: loading.total,
        });
    }
    // An empty list shows the failure in full; over a partial list the header keeps
    // saying it is incomplete.
    if !app.list.all().is_empty() {
        let text = if spans {
            let names: Vec<String> = loading
                .failures
                .iter()
                .map(|(r, e)| format!("{r} ({})", e.code))
                .collect();
            format!(
                "{} region{} not listed in full: {} (r retries, n details)",
                names.len(),
                if names.len() == 1 { "" } else { "s" },
                names.join(", ")
            )
        } else {
            format!(
                "{} of {} images loaded: {} (r retries, n details)",
                loading.received, loading.total, first.code,
            )
        };
        flash(app, Level::Error, text);
    }
    app.load_error = Some(first.clone());
}

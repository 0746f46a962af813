//! The body of the image list screen: the list and the detail pane under it, or the
//! detail pane alone (`d`), or the list alone when a failed load left nothing to detail.
//! The split is decided here once, for drawing and for measuring the list's page.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::Frame;

use crate::app::App;

use super::{detail, list, Theme};

pub(super) fn draw(frame: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
    let (area, progress) = progress_row(app, area);
    if let Some(rect) = progress {
        super::batch::draw_progress(frame, rect, app, theme);
    }
    let (list_area, detail_area) = split(app, area);
    if let Some(rect) = list_area {
        list::draw(frame, rect, app, theme);
    }
    if let Some(rect) = detail_area {
        detail::draw(frame, rect, app, theme);
    }
}

/// Rows of images the list shows in `body` (its column titles take one); 1 when the
/// list is not shown, so a page key still moves.
pub(super) fn list_rows(app: &App, body: Rect) -> usize {
    let (body, _) = progress_row(app, body);
    match split(app, body).0 {
        Some(rect) => (rect.height as usize).saturating_sub(1).max(1),
        None => 1,
    }
}

/// The screen row of the list's first image (under the column titles); 0 when the list is
/// not shown.
pub(super) fn list_top(app: &App, body: Rect) -> u16 {
    let (body, _) = progress_row(app, body);
    split(app, body).0.map_or(0, |rect| rect.y + 1)
}

/// While a batch runs, its progress bar takes the body's last row.
fn progress_row(app: &App, body: Rect) -> (Rect, Option<Rect>) {
    if app.bulk.run.is_none() || body.height < 4 {
        return (body, None);
    }
    let [rest, bar] = Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(body);
    (rest, Some(bar))
}

/// Where the list and the detail pane go in `body`.
fn split(app: &App, body: Rect) -> (Option<Rect>, Option<Rect>) {
    if app.details_full {
        return (None, Some(body));
    }
    if app.load_error.is_some() && app.list.all().is_empty() && app.loading.is_none() {
        // Nothing to detail: the failure gets the whole body.
        return (Some(body), None);
    }
    let rows = detail_rows(body.height).min(detail::wanted_rows(body.width));
    let [list, detail] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(rows)]).areas(body);
    (Some(list), Some(detail))
}

/// The most rows of the detail pane in a body `body` rows tall (spare rows go to the
/// list).
fn detail_rows(body: u16) -> u16 {
    (body * 2 / 5).clamp(6.min(body / 2), 16)
}

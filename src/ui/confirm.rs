//! The confirm dialog: the plan of the change — before → after for each field, the
//! family's fate — the image ID to type when the change empties a family, and
//! [Cancel] [Apply] with Cancel focused.

use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::Frame;

use crate::app::{App, Confirm, Origin, UndoOrigin};
use crate::change::shown;

use super::text::{pad, width, window};
use super::{dialog, diff, form, lines_scrolled, popup, title, wrapped, Theme, DIALOG_CHROME};

/// What an undo puts back and what changed since the entry, above the diff.
fn undo_lines<'a>(undo: &UndoOrigin, cells: usize, theme: &Theme) -> Vec<Line<'a>> {
    let entry = &undo.target.entry;
    let mut lines = wrapped(
        &format!(
            "Puts back the values #{} replaced ({} UTC, from {}).",
            undo.target.number,
            super::journal::time(&entry.time),
            entry.source,
        ),
        cells,
        2,
        theme.info(),
        theme,
    );
    for drift in &undo.drift {
        lines.extend(wrapped(
            &format!(
                "{} changed since: {} is now {}, the change set {}",
                theme.mark_bad(),
                drift.field.label(),
                shown(&drift.found),
                shown(&drift.expected)
            ),
            cells,
            2,
            theme.warning(),
            theme,
        ));
    }
    lines.push(Line::raw(""));
    lines
}

pub(super) fn draw(frame: &mut Frame<'_>, area: Rect, app: &App, confirm: &Confirm, theme: &Theme) {
    let width = area.width.min(80);
    let cells = width.saturating_sub(DIALOG_CHROME) as usize;
    let image = confirm.image();
    let plan = app.plan(&confirm.change);
    let undo = match &confirm.origin {
        Origin::Undo(undo) => Some(undo.as_ref()),
        _ => None,
    };
    let mut lines = undo.map_or_else(Vec::new, |u| undo_lines(u, cells, theme));
    for item in &plan.items {
        lines.extend(diff::lines(&item.diff_lines(), cells, theme));
        let usage = super::usage::plan_lines(item, cells, theme);
        let impact = if item.shared_refusal().is_some() {
            Vec::new()
        } else {
            form::impact_lines(&item.family, cells, theme)
        };
        for part in [impact, usage] {
            if !part.is_empty() {
                lines.push(Line::raw(""));
                lines.extend(part);
            }
        }
    }
    if app.context.read_only {
        lines.push(Line::raw(""));
        lines.extend(wrapped(
            "Read-only mode: Apply will be refused and nothing sent.",
            cells,
            0,
            theme.warning(),
            theme,
        ));
    }
    let mut cursor = None;
    let typing = app.confirm_needs_typing(confirm);
    if typing {
        lines.push(Line::raw(""));
        let prompt = "Image ID: ";
        let room = cells.saturating_sub(width_of(prompt) + 5).max(4);
        let skip = confirm.typed.scroll(room);
        let shown = window(confirm.typed.value(), skip, room);
        let matches = confirm.typed.value().trim() == image.image_id;
        let mark = if matches {
            Span::styled(format!(" {}", theme.mark_ok()), theme.ok())
        } else {
            Span::raw("")
        };
        cursor = Some((
            width_of(prompt) + 1 + confirm.typed.cursor_col().saturating_sub(skip),
            lines.len(),
        ));
        lines.push(Line::from(vec![
            Span::styled(prompt, theme.bold()),
            Span::styled("[", theme.dim()),
            Span::styled(pad(&theme.text(&shown), room, ""), theme.input()),
            Span::styled("]", theme.dim()),
            mark,
        ]));
        if !matches {
            lines.extend(wrapped(
                &format!("Apply unlocks when this reads {}.", image.image_id),
                cells,
                2,
                theme.dim(),
                theme,
            ));
        }
    }
    if confirm.queued {
        lines.push(Line::raw(""));
        let what = plan.waiting_for().unwrap_or("the checks");
        lines.extend(wrapped(
            &format!(
                "Apply queued: waiting for {what}; once answered it is sent, or this asks for what it then needs (Esc cancels it)."
            ),
            cells,
            2,
            theme.info(),
            theme,
        ));
    }
    lines.push(Line::raw(""));
    let ready = app.confirm_ready(confirm);
    lines.push(super::buttons::line(confirm.focus, ready, cells, theme));
    let height = (lines.len() as u16 + 2).min(area.height);
    let rect = popup(area, width, height);
    let heading = match undo {
        Some(u) => format!(
            "Undo #{} on {} {} {}?",
            u.target.number,
            image.image_name,
            theme.sep(),
            image.image_id
        ),
        None => format!(
            "{} to {} {} {}?",
            confirm.change.operation.question(),
            image.image_name,
            theme.sep(),
            image.image_id
        ),
    };
    let inner = dialog(frame, rect, title(&heading, rect.width, theme), theme);
    // When the box is too short, keep the buttons (and the ID box) in view.
    let offset = lines.len().saturating_sub(inner.height as usize);
    if let Some((col, row)) = cursor.filter(|_| typing) {
        if row >= offset && (row - offset) < inner.height as usize {
            frame.set_cursor_position(Position::new(
                inner.x + (col as u16).min(inner.width.saturating_sub(1)),
                inner.y + (row - offset) as u16,
            ));
        }
    }
    lines_scrolled(frame, inner, lines, offset, theme);
}

fn width_of(s: &str) -> usize {
    width(s)
}

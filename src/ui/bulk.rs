//! The marked images (`v`) and the bulk edit dialog (`b`, `F`): what to set, the value,
//! and — checked on every keystroke with the same rules as the single form — the names
//! it gives and the problems ECS would refuse, before anything is reviewed.

use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::Frame;

use crate::app::bulk::{BulkForm, BulkKind, BulkScope, BULK_STATUSES};
use crate::app::App;
use crate::change::images;
use crate::change::pattern::PLACEHOLDERS;

use super::text::{fit, pad, window};
use super::{dialog, lines_at, popup, title, view_block, wrapped, Theme, DIALOG_CHROME};

/// The marked set, whole body.
pub(super) fn draw_marked(
    frame: &mut Frame<'_>,
    area: Rect,
    app: &App,
    offset: usize,
    theme: &Theme,
) {
    let marked = app.marked_images();
    let heading = format!(
        " Marked: {} image{} (b edits them all, space unmarks) ",
        marked.len(),
        if marked.len() == 1 { "" } else { "s" }
    );
    let block = view_block(theme).title(Span::styled(
        theme.text(&heading).into_owned(),
        theme.title(),
    ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let cells = inner.width as usize;
    let rows = inner.height as usize;
    let start = offset.saturating_sub(rows.saturating_sub(1));
    let lines: Vec<Line> = marked
        .iter()
        .enumerate()
        .skip(start)
        .take(rows)
        .map(|(i, image)| {
            let text = format!(
                "{} {}  {}  {}  {}",
                if i == offset { ">" } else { " " },
                image.image_id,
                pad(&theme.text(&image.image_name), 28, theme.ellipsis()),
                pad(&theme.text(&image.image_family), 14, theme.ellipsis()),
                image.status
            );
            let line = Line::raw(fit(&text, cells, theme.ellipsis()));
            if i == offset {
                line.patch_style(theme.selected())
            } else {
                line
            }
        })
        .collect();
    lines_at(frame, inner, lines, 0);
}

/// The bulk edit dialog.
pub(super) fn draw_edit(
    frame: &mut Frame<'_>,
    area: Rect,
    app: &App,
    form: &BulkForm,
    theme: &Theme,
) {
    let width = area.width.min(76);
    let cells = width.saturating_sub(DIALOG_CHROME) as usize;
    let heading = match &form.scope {
        BulkScope::Marked(ids) => format!(
            "Bulk edit: {} marked image{}",
            ids.len(),
            if ids.len() == 1 { "" } else { "s" }
        ),
        BulkScope::Family(f) => format!("Family {f}: retention"),
    };
    let mut lines = Vec::new();
    let mut kinds = vec![Span::styled("Set: ", theme.bold())];
    for kind in form.kinds() {
        let on = *kind == form.kind;
        kinds.push(Span::styled(
            format!("{} {}  ", theme.radio(on), kind.label()),
            if on { theme.focused() } else { theme.dim() },
        ));
    }
    lines.push(Line::from(kinds));
    lines.push(Line::raw(""));
    let mut cursor = None;
    match form.kind {
        BulkKind::Status => {
            let (l, r) = theme.choice_arrows();
            let status = &BULK_STATUSES[form.status % 2];
            lines.push(Line::from(vec![
                Span::styled("Status: ", theme.bold()),
                Span::styled(format!("{l} {status} {r}"), theme.input()),
            ]));
        }
        BulkKind::Restore => lines.extend(wrapped(
            "The newest Deprecated image of the family becomes Available again (a rollback, rolled back).",
            cells,
            0,
            theme.dim(),
            theme,
        )),
        kind => {
            let prompt = match kind {
                BulkKind::Family => "Family: ",
                BulkKind::Description => "Description: ",
                BulkKind::Rename => "Name pattern: ",
                _ => "Keep newest: ",
            };
            let room = cells.saturating_sub(prompt.len() + 2).max(4);
            let skip = form.text.scroll(room);
            cursor = Some((prompt.len() + 1 + form.text.cursor_col().saturating_sub(skip), lines.len()));
            lines.push(Line::from(vec![
                Span::styled(prompt, theme.bold()),
                Span::styled("[", theme.dim()),
                Span::styled(
                    pad(&theme.text(&window(form.text.value(), skip, room)), room, ""),
                    theme.input(),
                ),
                Span::styled("]", theme.dim()),
            ]));
            if kind == BulkKind::Rename {
                lines.extend(wrapped(
                    &format!("Placeholders: {PLACEHOLDERS} ({{date}}: the image's creation date; {{n}}: 1, 2, … by name)"),
                    cells,
                    2,
                    theme.dim(),
                    theme,
                ));
            }
        }
    }
    lines.push(Line::raw(""));
    lines.extend(preview(app, form, cells, theme));
    let height = (lines.len() as u16 + 2).min(area.height);
    let rect = popup(area, width, height);
    let inner = dialog(frame, rect, title(&heading, rect.width, theme), theme);
    if let Some((col, row)) = cursor {
        if row < inner.height as usize {
            frame.set_cursor_position(Position::new(
                inner.x + (col as u16).min(inner.width.saturating_sub(1)),
                inner.y + row as u16,
            ));
        }
    }
    lines_at(frame, inner, lines, 0);
}

/// What the edit would do, checked now: a few resulting values, and the problems.
fn preview<'a>(app: &App, form: &BulkForm, cells: usize, theme: &Theme) -> Vec<Line<'a>> {
    let (label, pairs) = match app.bulk_edit_of(form) {
        Ok(planned) => planned,
        Err(why) => {
            return wrapped(
                &format!("{} {why}", theme.mark_bad()),
                cells,
                2,
                theme.error(),
                theme,
            )
        }
    };
    let plan = app.bulk_plan_taking(&label, pairs);
    let mut lines = Vec::new();
    for item in plan.plan.items.iter().take(3) {
        let change = item
            .diff_lines()
            .iter()
            .map(|d| format!("{} {} {}", d.before, theme.arrow(), d.after))
            .collect::<Vec<_>>()
            .join("; ");
        lines.push(Line::styled(
            fit(
                &theme.text(&format!("{}  {change}", item.before.image_id)),
                cells,
                theme.ellipsis(),
            ),
            theme.dim(),
        ));
    }
    let more = plan.plan.items.len().saturating_sub(3);
    if more > 0 {
        lines.push(Line::styled(format!("… and {more} more"), theme.dim()));
    }
    let problems = plan.problems();
    match problems.first() {
        Some((image, problem)) => lines.extend(wrapped(
            &format!(
                "{} {} problem{}: {} {problem}",
                theme.mark_bad(),
                problems.len(),
                if problems.len() == 1 { "" } else { "s" },
                image.image_id
            ),
            cells,
            2,
            theme.error(),
            theme,
        )),
        None if plan.calls() == 0 => lines.push(Line::styled(
            "Nothing to change: every image already holds this.",
            theme.dim(),
        )),
        None => {
            let already = match plan.unchanged.len() {
                0 => String::new(),
                n => format!(" ({n} already so)"),
            };
            lines.push(Line::styled(
                format!(
                    "{} {} can be changed{already}: Enter reviews the plan",
                    theme.mark_ok(),
                    images(plan.calls())
                ),
                theme.ok(),
            ))
        }
    }
    lines
}

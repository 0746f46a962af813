//! The journal (`J`): every change that reached ECS, from the TUI or the CLI, newest
//! first — when, from where, which image, each field before → after, how it ended, the
//! RequestId — and one entry shown whole.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::Frame;

use crate::app::{App, JournalView, Loadable};
use crate::change::{diff_lines, inline, JournalEntry, Outcome};
use crate::keys::{Context, Intent};

use super::text::{fit, pad, width};
use super::{
    dialog, dialog_inner, diff, lines_at, popup, title, view_block, wrapped, Theme, DIALOG_CHROME,
};

const INDENT: usize = 8;

/// Lines one entry takes in the list.
const ENTRY_LINES: usize = 3;

/// Entries the list shows whole in `area`.
pub(super) fn page(area: Rect, theme: &Theme) -> usize {
    (view_block(theme).inner(area).height as usize / ENTRY_LINES).max(1)
}

/// A journal time (`2026-05-01T10:00:00Z`) as the view writes it (UTC).
pub(super) fn time(t: &str) -> String {
    t.trim_end_matches('Z').replacen('T', " ", 1)
}

/// How an entry ended, in a few words.
fn outcome(entry: &JournalEntry, theme: &Theme) -> (String, ratatui::style::Style) {
    let words = entry.outcome.words();
    match &entry.outcome {
        Outcome::Applied { .. } => (format!("{} {words}", theme.mark_ok()), theme.ok()),
        Outcome::Sending | Outcome::Uncertain { .. } => (format!("? {words}"), theme.warning()),
        Outcome::NotApplied { .. } => (format!("{} {words}", theme.mark_bad()), theme.dim()),
        Outcome::Refused { .. } | Outcome::Failed { .. } => {
            (format!("{} {words}", theme.mark_bad()), theme.error())
        }
    }
}

/// The list of entries, in the body.
pub(super) fn draw(
    frame: &mut Frame<'_>,
    area: Rect,
    app: &App,
    view: &JournalView,
    theme: &Theme,
) {
    let entries = app.journal_entries();
    let older = app.journal_older;
    let rows = view.rows(entries, older);
    let heading = match &view.image {
        Some((id, name)) => format!(
            "Journal of {name} {} {id} ({} of {}, newest first, times in UTC)",
            theme.sep(),
            rows.len(),
            entries.len()
        ),
        None if older > 0 => format!(
            "Journal (the newest {} of {} changes, newest first, times in UTC)",
            entries.len(),
            older + entries.len()
        ),
        None => format!(
            "Journal ({} change{}, newest first, times in UTC)",
            entries.len(),
            if entries.len() == 1 { "" } else { "s" }
        ),
    };
    let block = view_block(theme).title(title(&heading, area.width, theme));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let cells = inner.width as usize;
    let path = app.journal_path.as_deref().unwrap_or("the journal");
    let message = |text: String, style| wrapped(&text, cells, 2, style, theme);
    // Damaged lines are named above the list, the first in full: many must not hide it.
    let mut lines: Vec<Line> = match app.journal_damaged.as_slice() {
        [] => Vec::new(),
        [only] => message(format!("  {} {only}", theme.mark_bad()), theme.warning()),
        [first, rest @ ..] => message(
            format!(
                "  {} {} damaged lines skipped; the first: {first}",
                theme.mark_bad(),
                rest.len() + 1
            ),
            theme.warning(),
        ),
    };
    if older > 0 && matches!(app.journal, Some(Loadable::Ready(_))) {
        lines.extend(message(
            format!("  {older} older changes are not shown: `ecsimg journal` lists them all"),
            theme.dim(),
        ));
    }
    lines.extend(match &app.journal {
        None | Some(Loadable::Loading) => message(format!("  reading {path}…"), theme.dim()),
        Some(Loadable::Failed(error)) => {
            let mut lines = message(format!("  {error}"), theme.error());
            let again = app
                .keys
                .label_of(Context::Journal, Intent::Refresh)
                .unwrap_or_default();
            lines.extend(message(format!("  {again} reads it again"), theme.dim()));
            lines
        }
        Some(Loadable::Ready(_)) if rows.is_empty() => match &view.image {
            Some((_, name)) => message(
                format!("  no change of {name} in {path} (i shows every change)"),
                theme.dim(),
            ),
            None => message(format!("  no change recorded yet in {path}"), theme.dim()),
        },
        Some(Loadable::Ready(_)) => {
            let fit_rows = page(area, theme);
            let first = (view.selected + 1).saturating_sub(fit_rows);
            rows.iter()
                .enumerate()
                .skip(first)
                .take(fit_rows + 1)
                .flat_map(|(i, (n, e))| entry_rows(app, *n, e, i == view.selected, cells, theme))
                .collect()
        }
    });
    lines_at(frame, inner, lines, 0);
    if let (Some(offset), Some((n, entry))) = (view.open, view.chosen(entries, older)) {
        draw_entry(frame, area, app, n, entry, offset, theme);
    }
}

/// Three lines: number, time, source, image; the fields before → after; the outcome
/// and the RequestId (and the profile and region when they are not this session's).
fn entry_rows<'a>(
    app: &App,
    n: usize,
    entry: &JournalEntry,
    selected: bool,
    cells: usize,
    theme: &Theme,
) -> Vec<Line<'a>> {
    let ell = theme.ellipsis();
    let marker = if selected { "> " } else { "  " };
    let head = format!(
        "{marker}{:<5} {}  {:<3}  ",
        format!("#{n}"),
        time(&entry.time),
        entry.source
    );
    let id = format!("{}  ", entry.image_id);
    let room = cells.saturating_sub(width(&head) + width(&id));
    let first = format!(
        "{head}{id}{}",
        fit(&theme.text(&entry.image_name), room, ell)
    );
    let first = Line::from(Span::styled(
        pad(&first, cells, ell),
        if selected {
            theme.selected()
        } else {
            theme.bold()
        },
    ));
    let indent = " ".repeat(INDENT);
    let room = cells.saturating_sub(INDENT);
    let changes = inline(&entry.changes, theme.arrow());
    let second = Line::from(vec![
        Span::raw(indent.clone()),
        Span::raw(fit(&theme.text(&changes), room, ell)),
    ]);
    let (word, style) = outcome(entry, theme);
    // Where it was made comes first when it is not here: it decides whether u can undo it.
    let mut rest = Vec::new();
    if entry.profile != app.context.profile {
        rest.push(format!("profile {}", entry.profile));
    }
    if entry.region != app.context.region || app.spans_regions() {
        rest.push(entry.region.clone());
    }
    if let Some(rid) = &entry.request_id {
        rest.push(format!("RequestId {rid}"));
    }
    let rest = rest.join(&format!(" {} ", theme.sep()));
    let word = fit(&word, room, ell);
    let rest_room = room.saturating_sub(width(&word) + 2);
    let mut third = vec![Span::raw(indent), Span::styled(word, style)];
    if !rest.is_empty() && rest_room > 0 {
        third.push(Span::styled(
            format!("  {}", fit(&theme.text(&rest), rest_room, ell)),
            theme.dim(),
        ));
    }
    vec![first, second, Line::from(third)]
}

/// One entry, whole, over the list.
fn draw_entry(
    frame: &mut Frame<'_>,
    area: Rect,
    app: &App,
    n: usize,
    entry: &JournalEntry,
    offset: usize,
    theme: &Theme,
) {
    let (rect, lines) = entry_layout(app, entry, area, theme);
    let heading = format!("Journal #{n} {} {}", theme.sep(), entry.image_name);
    let inner = dialog(frame, rect, title(&heading, rect.width, theme), theme);
    let offset = offset.min(lines.len().saturating_sub(inner.height as usize));
    lines_at(frame, inner, lines, offset);
}

/// How far the open entry scrolls before its last line is in view (0 when none is open).
pub(super) fn entry_scroll(app: &App, view: &JournalView, area: Rect, theme: &Theme) -> usize {
    let (Some(_), Some((_, entry))) = (
        view.open,
        view.chosen(app.journal_entries(), app.journal_older),
    ) else {
        return 0;
    };
    let (rect, lines) = entry_layout(app, entry, area, theme);
    let shown = dialog_inner(rect, theme).height as usize;
    lines.len().saturating_sub(shown)
}

/// The box of one entry shown whole in `area`, and its lines.
fn entry_layout<'a>(
    app: &App,
    entry: &JournalEntry,
    area: Rect,
    theme: &Theme,
) -> (Rect, Vec<Line<'a>>) {
    let box_width = area.width.min(84);
    let cells = box_width.saturating_sub(DIALOG_CHROME) as usize;
    let mut lines: Vec<Line> = Vec::new();
    let field = |label: &str, value: &str, style| {
        wrapped(
            &format!("{} {value}", pad(label, 10, "")),
            cells,
            11,
            style,
            theme,
        )
    };
    lines.extend(field(
        "Time",
        &format!("{} UTC", time(&entry.time)),
        theme.bold(),
    ));
    lines.extend(field(
        "Source",
        &format!("{} {} profile {}", entry.source, theme.sep(), entry.profile),
        theme.bold(),
    ));
    lines.extend(field("Region", &entry.region, theme.bold()));
    lines.extend(field("Endpoint", &entry.endpoint, theme.bold()));
    lines.extend(field("Image", &entry.image_name, theme.bold()));
    lines.extend(field("", &entry.image_id, theme.bold()));
    lines.extend(field(
        "RequestId",
        entry.request_id.as_deref().unwrap_or("(none: no answer)"),
        theme.bold(),
    ));
    if let Some(batch) = &entry.batch {
        lines.extend(field("Batch", batch, theme.bold()));
    }
    let (word, style) = outcome(entry, theme);
    lines.extend(field("Outcome", &word, style));
    if let Some(message) = entry.outcome.message() {
        lines.extend(field("", message, theme.dim()));
    }
    lines.push(Line::raw(""));
    lines.extend(diff::lines(&diff_lines(&entry.changes), cells, theme));
    lines.push(Line::raw(""));
    let undo = app
        .keys
        .label_of(Context::JournalEntry, Intent::Undo)
        .unwrap_or_default();
    let (hint, style) = if !entry.undoable() {
        (
            "It changed nothing, so there is nothing to undo.".to_string(),
            theme.dim(),
        )
    } else if entry.profile != app.context.profile || !app.shows_region(&entry.region) {
        (
            format!(
                "Made with profile {} in {}: undo it from a session there.",
                entry.profile, entry.region
            ),
            theme.dim(),
        )
    } else {
        (
            format!("{undo} puts back the values from before it (you confirm first)."),
            theme.info(),
        )
    };
    lines.extend(wrapped(&hint, cells, 2, style, theme));
    let height = (lines.len() as u16 + 2).min(area.height);
    (popup(area, box_width, height), lines)
}

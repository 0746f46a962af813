//! The session's requests, newest first: when, what, on what, how it ended, and the
//! RequestId to quote to support. A line is one request or one step of several (a change
//! and its re-read, a family check, a listing, a usage check, a batch); every retry of a
//! failed request is a line of its own.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::Frame;

use crate::app::{App, Notice};

use super::text::{fit, width, wrap, wrap_hanging};
use super::{lines_at, title, view_block, Theme};

pub(super) fn draw(frame: &mut Frame<'_>, area: Rect, app: &App, offset: usize, theme: &Theme) {
    let n = app.notices.len();
    let heading = format!(
        "Requests this session ({n} line{}, times in UTC)",
        if n == 1 { "" } else { "s" }
    );
    let block = view_block(theme).title(title(&heading, area.width, theme));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if app.notices.is_empty() {
        lines_at(
            frame,
            inner,
            vec![Line::from(Span::styled("  no requests yet", theme.dim()))],
            0,
        );
        return;
    }
    let cells = inner.width as usize;
    let lines = app
        .notices
        .iter()
        .rev()
        .skip(offset)
        .flat_map(|n| notice_lines(n, cells, theme))
        .collect();
    lines_at(frame, inner, lines, 0);
}

/// Requests shown whole in `area` from `offset` on (at least one, so a page key moves).
pub(super) fn page(app: &App, area: Rect, offset: usize, theme: &Theme) -> usize {
    shown_whole(app.notices.iter().rev().skip(offset), area, theme)
}

/// Requests shown whole in `area` when the oldest is at the bottom (at least one).
pub(super) fn tail(app: &App, area: Rect, theme: &Theme) -> usize {
    shown_whole(app.notices.iter(), area, theme)
}

fn shown_whole<'a>(notices: impl Iterator<Item = &'a Notice>, area: Rect, theme: &Theme) -> usize {
    let inner = view_block(theme).inner(area);
    let mut room = inner.height as usize;
    let mut shown = 0;
    for notice in notices {
        let lines = notice_lines(notice, inner.width as usize, theme).len();
        if lines > room {
            break;
        }
        room -= lines;
        shown += 1;
    }
    shown.max(1)
}

/// One request: when, what, on what; how it ended and its RequestId; what a failure
/// means and its Recommend link.
fn notice_lines<'a>(notice: &Notice, cells: usize, theme: &Theme) -> Vec<Line<'a>> {
    let ell = theme.ellipsis();
    let mut lines = Vec::new();
    let head = format!("{:>4} {:<8} ", notice.seq, notice.at);
    // An action longer than its column still keeps a space before the target.
    let action = format!("{:<23} ", notice.action);
    let room = cells.saturating_sub(width(&head) + width(&action));
    lines.push(Line::from(vec![
        Span::styled(head.clone(), theme.dim()),
        Span::styled(action, theme.bold()),
        Span::raw(fit(&theme.text(&notice.target), room, ell)),
    ]));
    let mark = if notice.ok {
        Span::styled(theme.mark_ok(), theme.ok())
    } else {
        Span::styled(theme.mark_bad(), theme.error())
    };
    let indent = " ".repeat(width(&head));
    let rid = notice
        .request_id
        .as_deref()
        .map(|r| format!("RequestId {}", theme.text(r)))
        .unwrap_or_default();
    let outcome = theme.text(&notice.outcome).into_owned();
    let room = cells.saturating_sub(width(&head) + 2);
    let style = if notice.ok { theme.ok() } else { theme.error() };
    let same_line = width(&outcome) + 2 + width(&rid) <= room;
    // The outcome names the error code: wrapped, never cut.
    for (n, part) in wrap_hanging(&outcome, room, 2).into_iter().enumerate() {
        let lead = if n == 0 {
            mark.clone()
        } else {
            Span::raw(" ".repeat(width(&mark.content)))
        };
        lines.push(Line::from(vec![
            Span::raw(indent.clone()),
            lead,
            Span::raw(" "),
            Span::styled(part, style),
        ]));
    }
    if same_line && !rid.is_empty() {
        if let Some(last) = lines.last_mut() {
            last.spans
                .push(Span::styled(format!("  {rid}"), theme.dim()));
        }
    } else if !rid.is_empty() {
        for part in wrap(&rid, room) {
            lines.push(Line::from(vec![
                Span::raw(format!("{indent}  ")),
                Span::styled(part, theme.dim()),
            ]));
        }
    }
    if let Some(meaning) = &notice.meaning {
        for line in wrap(&theme.text(meaning), room) {
            lines.push(Line::from(vec![
                Span::raw(format!("{indent}  ")),
                Span::raw(line),
            ]));
        }
    }
    if let Some(echo) = &notice.string_to_sign {
        let text = format!("server string to sign: {echo}");
        for line in wrap(&theme.text(&text), room) {
            lines.push(Line::from(vec![
                Span::raw(format!("{indent}  ")),
                Span::styled(line, theme.dim()),
            ]));
        }
    }
    if let Some(link) = &notice.recommend {
        // On lines of its own: one where the width allows, so it copies whole; else
        // across the full width, never cut.
        let link = theme.text(link).into_owned();
        let (pad, room) = if width(&link) <= room {
            (format!("{indent}  "), room)
        } else {
            (String::new(), cells)
        };
        for part in wrap(&link, room) {
            lines.push(Line::from(vec![
                Span::raw(pad.clone()),
                Span::styled(part, theme.info()),
            ]));
        }
    }
    lines
}

//! The bottom line while a `:` command is typed: the line, then what Tab offered or why
//! the last command was refused.

use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::app::cmdline::CommandLine;

use super::text::{fit, width, window};
use super::Theme;

pub(super) fn draw(frame: &mut Frame<'_>, area: Rect, line: &CommandLine, theme: &Theme) {
    let cells = area.width as usize;
    let prompt = ":";
    let (after, style) = match &line.note {
        Some(note) if note.refused => (note.text.clone(), theme.error()),
        Some(note) => (note.text.clone(), theme.info()),
        None if !line.candidates.is_empty() => (line.candidates.join(" "), theme.dim()),
        None => (String::new(), theme.dim()),
    };
    let after = theme.text(&after).into_owned();
    // The line gets at least half the width; what follows it, the rest.
    let room = cells
        .saturating_sub(width(prompt) + 2 + width(&after).min(cells / 2))
        .max(1);
    let input = &line.input;
    let skip = input.scroll(room);
    let shown = theme.text(&window(input.value(), skip, room)).into_owned();
    let used = width(prompt) + width(&shown);
    let gap = 2;
    let rest = fit(&after, cells.saturating_sub(used + gap), theme.ellipsis());
    let spans = vec![
        Span::styled(prompt, theme.title()),
        Span::raw(shown),
        Span::raw(" ".repeat(gap)),
        Span::styled(rest, style),
    ];
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
    let x = area.x
        + (width(prompt) + input.cursor_col().saturating_sub(skip)).min(cells.saturating_sub(1))
            as u16;
    frame.set_cursor_position(Position::new(x, area.y));
}

//! The bottom line: the filter being typed, a message, or the keys of this screen (from
//! the keymap table, so it never goes stale).

use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::app::keymap;
use crate::app::App;

use super::text::{fit, width, window};
use super::Theme;

pub(super) fn draw(frame: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
    let cells = area.width as usize;
    if app.list.filtering && app.help.is_none() && matches!(app.screen, crate::app::Screen::Browser)
    {
        let prompt = "filter /";
        let hint = theme.text(" Enter keep · Esc clear").into_owned();
        let room = cells
            .saturating_sub(width(prompt) + width(&hint) + 1)
            .max(1);
        let filter = &app.list.filter;
        let skip = filter.scroll(room);
        let shown = theme.text(&window(filter.value(), skip, room)).into_owned();
        let shown_w = width(&shown);
        let line = Line::from(vec![
            Span::styled(prompt, theme.title()),
            Span::raw(shown),
            Span::raw(" ".repeat(room.saturating_sub(shown_w) + 1)),
            Span::styled(hint, theme.dim()),
        ]);
        frame.render_widget(Paragraph::new(line), area);
        let x = area.x
            + (width(prompt) + filter.cursor_col() - skip).min(cells.saturating_sub(1)) as u16;
        frame.set_cursor_position(Position::new(x, area.y));
        return;
    }
    if let Some(flash) = &app.flash {
        let text = fit(&theme.text(&flash.text), cells, theme.ellipsis());
        frame.render_widget(
            Paragraph::new(Span::styled(text, theme.level(flash.level))),
            area,
        );
        return;
    }
    if let Some(retrying) = &app.retrying {
        let text = fit(&theme.text(&retrying.text()), cells, theme.ellipsis());
        frame.render_widget(Paragraph::new(Span::styled(text, theme.warning())), area);
        return;
    }
    frame.render_widget(Paragraph::new(hint_line(app, cells, theme)), area);
}

/// "key what" pairs for the current keys, as many as fit.
fn hint_line<'a>(app: &App, cells: usize, theme: &Theme) -> Line<'a> {
    let mut spans = Vec::new();
    let mut used = 0;
    let context = app.key_context();
    if context == keymap::Context::Browser && app.jobs.iter().any(|j| !j.cancelling) {
        used += width("Esc cancel the change  ");
        spans.push(Span::styled("Esc", theme.warning()));
        spans.push(Span::styled(" cancel the change  ", theme.warning()));
    }
    for binding in app.keys.hints(context) {
        let key = theme.text(&binding.label).into_owned();
        let desc = theme.text(binding.desc).into_owned();
        let w = width(&key) + 1 + width(&desc) + 2;
        if used + w > cells {
            break;
        }
        used += w;
        spans.push(Span::styled(key, theme.title()));
        spans.push(Span::styled(format!(" {desc}  "), theme.dim()));
    }
    if spans.is_empty() {
        spans.push(Span::raw(fit("? help", cells, theme.ellipsis())));
    }
    Line::from(spans)
}

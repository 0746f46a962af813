//! The bottom line: the filter being typed, a message, or the keys of this screen (from
//! the key table, so it never goes stale).

use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::app::App;
use crate::keys::{Context, Intent};

use super::text::{fit, width, window};
use super::Theme;

pub(super) fn draw(frame: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
    let cells = area.width as usize;
    if let Some(line) = app.command_line.as_ref().filter(|_| app.help.is_none()) {
        return super::command_line::draw(frame, area, line, theme);
    }
    if app.list.filtering && app.help.is_none() && matches!(app.screen, crate::app::Screen::Browser)
    {
        let prompt = "filter /";
        let key = |intent| {
            app.keys
                .label_of(Context::Filter, intent)
                .unwrap_or_default()
        };
        // A word the filter read otherwise than it looks is said where the person types.
        let (hint, hint_style) = match app.list.filter_notes().first() {
            Some(note) => (format!(" {note}"), theme.warning()),
            None => (
                format!(" {} keep · {} clear", key(Intent::Press), key(Intent::Back)),
                theme.dim(),
            ),
        };
        let hint = theme.text(&hint).into_owned();
        let hint = fit(
            &hint,
            cells.saturating_sub(width(prompt) + 9),
            theme.ellipsis(),
        );
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
            Span::styled(hint, hint_style),
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
        let long = retrying.text();
        let text = if width(&long) <= cells {
            long
        } else {
            retrying.short_text()
        };
        let text = fit(&theme.text(&text), cells, theme.ellipsis());
        frame.render_widget(Paragraph::new(Span::styled(text, theme.warning())), area);
        return;
    }
    frame.render_widget(Paragraph::new(hint_line(app, cells, theme)), area);
}

/// "key what" pairs for the current keys, as many as fit. The first (what this screen is
/// about) and notices, help and quit are always kept; the others fill the room left, in
/// table order.
fn hint_line<'a>(app: &App, cells: usize, theme: &Theme) -> Line<'a> {
    let context = app.key_context();
    let hints: Vec<(String, String, Intent)> = app
        .keys
        .hints(context)
        .into_iter()
        .map(|b| {
            (
                theme.text(&b.label).into_owned(),
                theme.text(b.desc).into_owned(),
                b.intent,
            )
        })
        .collect();
    let cost = |(key, desc, _): &(String, String, Intent)| width(key) + 1 + width(desc) + 2;
    let kept = |i: usize, intent: Intent| {
        i == 0 || matches!(intent, Intent::Notices | Intent::Help | Intent::Quit)
    };
    let mut shown = vec![false; hints.len()];
    let mut used = 0;
    for (i, hint) in hints.iter().enumerate() {
        if kept(i, hint.2) && used + cost(hint) <= cells {
            shown[i] = true;
            used += cost(hint);
        }
    }
    for (i, hint) in hints.iter().enumerate() {
        if !shown[i] && used + cost(hint) <= cells {
            shown[i] = true;
            used += cost(hint);
        }
    }
    let mut spans = Vec::new();
    for (i, (key, desc, intent)) in hints.into_iter().enumerate() {
        if !shown[i] {
            continue;
        }
        let cancel = context == Context::BrowserBusy && intent == Intent::Back;
        let (key_style, desc_style) = if cancel {
            (theme.warning(), theme.warning())
        } else {
            (theme.title(), theme.dim())
        };
        spans.push(Span::styled(key, key_style));
        spans.push(Span::styled(format!(" {desc}  "), desc_style));
    }
    if spans.is_empty() {
        spans.push(Span::raw(fit("? help", cells, theme.ellipsis())));
    }
    Line::from(spans)
}

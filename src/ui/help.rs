//! The `?` overlay, printed from the key table of the screen it was opened on.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::Frame;

use crate::app::filter::FilterField;
use crate::app::{App, Help};
use crate::keys::Context;

use super::text::{fit, pad};
use super::{dialog, dialog_inner, lines_scrolled, popup, title, Theme, DIALOG_CHROME};

pub(super) fn draw(frame: &mut Frame<'_>, area: Rect, app: &App, help: &Help, theme: &Theme) {
    let (rect, lines) = layout(app, help, area, theme);
    let heading = format!("Keys {} {}", theme.sep(), help.context.title());
    let inner = dialog(frame, rect, title(&heading, rect.width, theme), theme);
    let offset = help
        .offset
        .min(lines.len().saturating_sub(inner.height as usize));
    lines_scrolled(frame, inner, lines, offset, theme);
}

/// How far the overlay scrolls before its last line is in view.
pub(super) fn scroll(app: &App, help: &Help, area: Rect, theme: &Theme) -> usize {
    let (rect, lines) = layout(app, help, area, theme);
    let shown = dialog_inner(rect, theme).height as usize;
    lines.len().saturating_sub(shown)
}

/// Rows one PgDn moves the help by: what it shows above its "more lines" marker.
pub(super) fn page(app: &App, help: &Help, area: Rect, theme: &Theme) -> usize {
    let (rect, _) = layout(app, help, area, theme);
    (dialog_inner(rect, theme).height as usize)
        .saturating_sub(1)
        .max(1)
}

/// How the `/` filter reads what is typed, a few short lines.
fn filter_syntax() -> Vec<String> {
    let fields: Vec<String> = FilterField::ALL
        .iter()
        .map(|f| format!("{}:", f.name()))
        .collect();
    vec![
        "Filter: every word must match (name, ID, family, description)".to_string(),
        format!("  {}  one field", fields.join(" ")),
        "  status:dep  family:web  !word leaves out what matches".to_string(),
    ]
}

/// The overlay's box in `area` and its lines.
fn layout<'a>(app: &App, help: &Help, area: Rect, theme: &Theme) -> (Rect, Vec<Line<'a>>) {
    let width = area.width.min(64);
    let cells = width.saturating_sub(DIALOG_CHROME) as usize;
    let rows = app.keys.help_rows(help.context);
    let mut lines: Vec<Line> = rows
        .iter()
        .map(|b| {
            Line::from(vec![
                Span::styled(
                    pad(&theme.text(&b.label), 14, theme.ellipsis()),
                    theme.title(),
                ),
                Span::raw(" "),
                Span::raw(fit(
                    &theme.text(b.desc),
                    cells.saturating_sub(15),
                    theme.ellipsis(),
                )),
            ])
        })
        .collect();
    if matches!(help.context, Context::Browser | Context::Filter) {
        lines.push(Line::raw(""));
        for text in filter_syntax() {
            lines.push(Line::from(Span::raw(fit(
                &theme.text(&text),
                cells,
                theme.ellipsis(),
            ))));
        }
    }
    if matches!(
        help.context,
        Context::Browser | Context::BrowserBusy | Context::CommandLine
    ) {
        // From the table that runs them, so help never names a command that does not.
        lines.push(Line::raw(""));
        lines.push(Line::from(Span::styled("Commands (:)", theme.bold())));
        for spec in crate::app::COMMANDS {
            let usage = format!(":{} {}", spec.name, spec.arg);
            lines.push(Line::from(vec![
                Span::styled(pad(usage.trim_end(), 16, theme.ellipsis()), theme.title()),
                Span::raw(" "),
                Span::raw(fit(
                    &theme.text(spec.desc),
                    cells.saturating_sub(17),
                    theme.ellipsis(),
                )),
            ]));
        }
    }
    lines.push(Line::raw(""));
    let closing = app
        .keys
        .hints(Context::Help)
        .iter()
        .map(|s| format!("{} {}", s.label, s.desc))
        .collect::<Vec<_>>()
        .join(&format!(" {} ", theme.sep()));
    lines.push(Line::from(Span::styled(
        fit(&theme.text(&closing), cells, theme.ellipsis()),
        theme.dim(),
    )));
    let height = (lines.len() as u16 + 2).min(area.height);
    (popup(area, width, height), lines)
}

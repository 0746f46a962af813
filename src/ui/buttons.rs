//! `[ Cancel ]   [ Apply ]` as every confirmation draws it: the focused button shown, Apply
//! dimmed until it may be pressed.

use ratatui::text::{Line, Span};

use crate::app::Button;

use super::text::width;
use super::Theme;

/// `[ Cancel ]   [ Apply ]`, the focused one shown, Apply dimmed until it may be pressed.
pub(super) fn line<'a>(focus: Button, ready: bool, cells: usize, theme: &Theme) -> Line<'a> {
    let cancel = if focus == Button::Cancel {
        theme.focused()
    } else {
        theme.bold()
    };
    let apply = match (focus == Button::Apply, ready) {
        (true, true) => theme.focused(),
        (true, false) => theme.focused().patch(theme.disabled()),
        (false, true) => theme.bold(),
        (false, false) => theme.disabled(),
    };
    let text = "[ Cancel ]   [ Apply ]";
    let indent = cells.saturating_sub(width(text)) / 2;
    Line::from(vec![
        Span::raw(" ".repeat(indent)),
        Span::styled("[ Cancel ]", cancel),
        Span::raw("   "),
        Span::styled("[ Apply ]", apply),
    ])
}

//! Rendering: a function of `App`, nothing else. (Placeholder until the TUI lands.)

use ratatui::Frame;

use crate::app::App;

/// How to draw: colours or not, box-drawing or ASCII.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Theme {
    /// `NO_COLOR` unset.
    pub color: bool,
    /// `--ascii`: plain ASCII borders and symbols.
    pub ascii: bool,
}

pub fn draw(frame: &mut Frame<'_>, app: &App, _theme: &Theme) {
    let text = format!("ecsimg — {} · {}", app.context.profile, app.context.region);
    frame.render_widget(ratatui::widgets::Paragraph::new(text), frame.area());
}

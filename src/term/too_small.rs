//! Below the smallest size the views are laid out for, one plain message instead of a broken
//! screen. It wraps to any size, down to a single cell, and never panics.

use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

use crate::ui::Theme;

/// The smallest terminal the views are drawn in.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

/// Whether `area` is below the minimum.
pub fn applies(area: Rect) -> bool {
    area.width < MIN_WIDTH || area.height < MIN_HEIGHT
}

/// The words, with `x` instead of `×` under `--ascii`.
pub fn text(area: Rect, theme: &Theme) -> String {
    let by = if theme.ascii { "x" } else { "×" };
    format!(
        "terminal too small ({}{by}{}): need {MIN_WIDTH}{by}{MIN_HEIGHT}. Enlarge the window, or press q to quit.",
        area.width, area.height
    )
}

/// Draws the message, vertically centred where there is room.
pub fn draw(frame: &mut Frame<'_>, theme: &Theme) {
    let area = frame.area();
    if area.width == 0 || area.height == 0 {
        return;
    }
    let text = text(area, theme);
    // Word wrapping can take a line more than the plain estimate; the paragraph keeps all the
    // room below its first line, so nothing is cut.
    let estimate =
        u16::try_from(text.width().div_ceil(usize::from(area.width))).unwrap_or(u16::MAX);
    let top = area.height.saturating_sub(estimate) / 2;
    let below = Rect {
        y: area.y + top,
        height: area.height - top,
        ..area
    };
    let paragraph = Paragraph::new(Line::from(text))
        .centered()
        .wrap(Wrap { trim: true });
    frame.render_widget(paragraph, below);
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::backend::TestBackend;
    use ratatui::Terminal;

    fn screen(w: u16, h: u16, theme: Theme) -> String {
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        terminal.draw(|f| draw(f, &theme)).unwrap();
        let buffer = terminal.backend().buffer().clone();
        let mut out = String::new();
        for y in 0..h {
            for x in 0..w {
                out.push_str(buffer[(x, y)].symbol());
            }
            out.push('\n');
        }
        out
    }

    #[test]
    fn forty_by_twelve_says_too_small_and_what_is_needed() {
        let text = screen(40, 12, Theme::default());
        assert!(text.contains("terminal too small"), "{text}");
        assert!(text.contains("need 60×16"), "{text}");
    }

    #[test]
    fn ascii_mode_writes_an_x() {
        let theme = Theme {
            ascii: true,
            ..Theme::default()
        };
        let text = screen(40, 12, theme);
        assert!(text.contains("need 60x16"), "{text}");
        assert!(!text.contains('×'));
    }

    #[test]
    fn tiny_and_empty_sizes_do_not_panic() {
        for (w, h) in [(20, 5), (1, 1), (3, 40), (200, 1)] {
            screen(w, h, Theme::default());
        }
        let mut terminal = Terminal::new(TestBackend::new(0, 0)).unwrap();
        terminal.draw(|f| draw(f, &Theme::default())).unwrap();
    }

    #[test]
    fn the_minimum_is_the_boundary() {
        assert!(!applies(Rect::new(0, 0, MIN_WIDTH, MIN_HEIGHT)));
        assert!(applies(Rect::new(0, 0, MIN_WIDTH - 1, MIN_HEIGHT)));
        assert!(applies(Rect::new(0, 0, MIN_WIDTH, MIN_HEIGHT - 1)));
        assert!(!applies(Rect::new(0, 0, 80, 24)));
    }
}

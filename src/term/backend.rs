//! A ratatui backend that writes as few bytes as a frame needs, into a buffer that
//! `Screen` sends in one piece.
//!
//! Compared with ratatui's crossterm backend, for the same frames:
//! - styles are one SGR with the classic codes (`ESC[0;1;36m`), never `38;5;n` for the 16
//!   ANSI colours, and the closing reset only when a style is still on;
//! - a short hop along a row is a cursor-forward (`ESC[3C`), not an absolute move;
//! - an empty diff writes nothing at all, and cursor show/hide/move sequences that repeat
//!   what the terminal already has are skipped.
//!
//! An ssh link pays for every byte; a keystroke in a form costs a few dozen.

use std::io::{self, Write};

use ratatui::backend::{Backend, ClearType, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};

mod encode;

use super::caps::Colors;
use encode::{advance, Pen};

/// The backend `Screen` draws with.
pub struct LeanBackend {
    out: Vec<u8>,
    /// What the terminal shows now; `None` when unknown.
    cursor_visible: Option<bool>,
    cursor_at: Option<Position>,
    /// The terminal's pen is known to be the default (it is after every frame we draw, but
    /// not after the screen was handed to someone else).
    pen_known: bool,
    /// Fixed size for tests; the terminal's size otherwise.
    fixed_size: Option<Size>,
    /// The colours the terminal knows (see `Pen::basic` and `Pen::mono`).
    colors: Colors,
}

impl LeanBackend {
    /// A backend for the real terminal.
    pub fn new() -> LeanBackend {
        LeanBackend {
            out: Vec::with_capacity(16 * 1024),
            cursor_visible: None,
            cursor_at: None,
            pen_known: false,
            fixed_size: None,
            colors: Colors::Sixteen,
        }
    }

    /// The same backend for a terminal of `colors` (8: the Linux console; none: a
    /// vt100 or a dumb terminal).
    pub fn with_colors(self, colors: Colors) -> LeanBackend {
        LeanBackend { colors, ..self }
    }

    /// A backend of a fixed size, for tests and benchmarks.
    pub fn with_size(width: u16, height: u16) -> LeanBackend {
        LeanBackend {
            fixed_size: Some(Size { width, height }),
            ..LeanBackend::new()
        }
    }

    /// The bytes written since the last call.
    pub fn take(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.out)
    }

    /// Right after `terminal::enter`: the cursor is hidden, and where it is nobody knows.
    pub fn entered(&mut self) {
        self.cursor_visible = Some(false);
        self.cursor_at = None;
        self.pen_known = false;
    }

    fn move_to(&mut self, x: u16, y: u16) {
        if x == 0 && y == 0 {
            self.out.extend_from_slice(b"\x1b[H");
        } else {
            let _ = write!(self.out, "\x1b[{};{}H", y + 1, x + 1);
        }
    }
}

impl Default for LeanBackend {
    fn default() -> LeanBackend {
        LeanBackend::new()
    }
}

impl Backend for LeanBackend {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let mut pen = self.pen_known.then(Pen::default);
        // Where the next character would land without a move, when that is certain.
        let mut at: Option<(u16, u16)> = self.cursor_at.map(|p| (p.x, p.y));
        let mut drew = false;
        for (x, y, cell) in content {
            drew = true;
            match at {
                Some((ax, ay)) if ay == y && ax == x => {}
                Some((ax, ay)) if ay == y && x > ax => {
                    let hop = x - ax;
                    if hop == 1 {
                        self.out.extend_from_slice(b"\x1b[C");
                    } else {
                        let _ = write!(self.out, "\x1b[{hop}C");
                    }
                }
                _ => self.move_to(x, y),
            }
            let want = match self.colors {
                Colors::Sixteen => Pen::of(cell),
                Colors::Eight => Pen::of(cell).basic(),
                Colors::None => Pen::of(cell).mono(),
            };
            if pen != Some(want) {
                want.write_sgr(&mut self.out);
                pen = Some(want);
            }
            let symbol = cell.symbol();
            self.out.extend_from_slice(symbol.as_bytes());
            at = advance(symbol).map(|columns| (x + columns, y));
        }
        if pen.is_some_and(|p| p != Pen::default()) {
            self.out.extend_from_slice(b"\x1b[0m");
        }
        if drew {
            self.cursor_at = None;
            self.pen_known = true;
        }
        Ok(())
    }

    fn append_lines(&mut self, n: u16) -> io::Result<()> {
        self.cursor_at = None;
        for _ in 0..n {
            self.out.push(b'\n');
        }
        Ok(())
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        if self.cursor_visible != Some(false) {
            self.out.extend_from_slice(b"\x1b[?25l");
            self.cursor_visible = Some(false);
        }
        Ok(())
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        if self.cursor_visible != Some(true) {
            self.out.extend_from_slice(b"\x1b[?25h");
            self.cursor_visible = Some(true);
        }
        Ok(())
    }

    /// Never asks the terminal: a query costs a round trip over ssh, and its answer would
    /// arrive on the input thread. ratatui only asks in order to put the cursor back after
    /// clearing, and every frame places the cursor itself.
    fn get_cursor_position(&mut self) -> io::Result<Position> {
        Ok(self.cursor_at.unwrap_or(Position::ORIGIN))
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        let position = position.into();
        if self.cursor_at != Some(position) {
            self.move_to(position.x, position.y);
            self.cursor_at = Some(position);
        }
        Ok(())
    }

    fn clear(&mut self) -> io::Result<()> {
        self.clear_region(ClearType::All)
    }

    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        let sequence: &[u8] = match clear_type {
            ClearType::All => b"\x1b[2J",
            ClearType::AfterCursor => b"\x1b[J",
            ClearType::BeforeCursor => b"\x1b[1J",
            ClearType::CurrentLine => b"\x1b[2K",
            ClearType::UntilNewLine => b"\x1b[K",
        };
        self.out.extend_from_slice(sequence);
        Ok(())
    }

    fn size(&self) -> io::Result<Size> {
        match self.fixed_size {
            Some(size) => Ok(size),
            None => crossterm::terminal::size().map(|(width, height)| Size { width, height }),
        }
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
        let columns_rows = self.size()?;
        let pixels = match self.fixed_size {
            Some(_) => Size::default(),
            None => crossterm::terminal::window_size()
                .map(|w| Size {
                    width: w.width,
                    height: w.height,
                })
                .unwrap_or_default(),
        };
        Ok(WindowSize {
            columns_rows,
            pixels,
        })
    }

    /// Bytes leave only through `take`, so a frame goes out in one write.
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::{Color, Modifier, Style, Stylize};
    use ratatui::text::{Line, Span};
    use ratatui::widgets::{Block, Paragraph};
    use ratatui::Terminal;
    use unicode_width::UnicodeWidthStr;

    /// Draws each frame through the backend into a vt100 terminal and checks the terminal
    /// shows exactly what ratatui's buffer holds: characters, colours and attributes.
    fn round_trip(width: u16, height: u16, frames: &[&dyn Fn(&mut ratatui::Frame<'_>)]) -> usize {
        let mut terminal = Terminal::new(LeanBackend::with_size(width, height)).unwrap();
        let mut parser = vt100::Parser::new(
            std::num::NonZeroU16::new(height).unwrap(),
            std::num::NonZeroU16::new(width).unwrap(),
            0,
        );
        let mut total = 0;
        for frame in frames {
            let buffer = terminal.draw(|f| frame(f)).unwrap().buffer.clone();
            let bytes = terminal.backend_mut().take();
            total += bytes.len();
            parser.process(&bytes);
            let screen = parser.screen();
            for y in 0..height {
                let mut x = 0;
                while x < width {
                    let cell = &buffer[(x, y)];
                    let shown = screen.cell(y, x).unwrap();
                    // A cell never written and a written blank look the same.
                    let shown_text = match shown.contents() {
                        "" => " ",
                        text => text,
                    };
                    assert_eq!(shown_text, cell.symbol(), "character at {x},{y}");
                    assert_eq!(shown.fgcolor(), vt_color(cell.fg), "fg at {x},{y}");
                    assert_eq!(shown.bgcolor(), vt_color(cell.bg), "bg at {x},{y}");
                    assert_eq!(
                        shown.bold(),
                        cell.modifier.contains(Modifier::BOLD),
                        "bold at {x},{y}"
                    );
                    assert_eq!(
                        shown.inverse(),
                        cell.modifier.contains(Modifier::REVERSED),
                        "reverse at {x},{y}"
                    );
                    assert_eq!(
                        shown.underline(),
                        cell.modifier.contains(Modifier::UNDERLINED),
                        "underline at {x},{y}"
                    );
                    x += u16::try_from(cell.symbol().width().max(1)).unwrap();
                }
            }
            // Between frames the terminal's pen is back to the default.
            assert_eq!(screen.fgcolor(), vt100::Color::Default);
            assert!(!screen.bold() && !screen.inverse());
        }
        total
    }

    fn vt_color(color: Color) -> vt100::Color {
        let idx = match color {
            Color::Reset => return vt100::Color::Default,
            Color::Black => 0,
            Color::Red => 1,
            Color::Green => 2,
            Color::Yellow => 3,
            Color::Blue => 4,
            Color::Magenta => 5,
            Color::Cyan => 6,
            Color::Gray => 7,
            Color::DarkGray => 8,
            Color::LightRed => 9,
            Color::LightGreen => 10,
            Color::LightYellow => 11,
            Color::LightBlue => 12,
            Color::LightMagenta => 13,
            Color::LightCyan => 14,
            Color::White => 15,
            Color::Indexed(n) => n,
            Color::Rgb(r, g, b) => return vt100::Color::Rgb(r, g, b),
        };
        vt100::Color::Idx(idx)
    }

    fn list(f: &mut ratatui::Frame<'_>, selected: usize, name: &str) {
        let area = f.area();
        let rows: Vec<Line> = (0..area.height.saturating_sub(2) as usize)
            .map(|i| {
                let text = format!("{i:>3} {name} 镜像-{i} ✓ m-bp1{i:04}");
                if i == selected {
                    Line::from(text).reversed()
                } else if i % 3 == 0 {
                    Line::from(vec![
                        Span::styled("dep ", Style::new().red().bold()),
                        Span::raw(text),
                        Span::styled(" 🚀", Style::new().fg(Color::Indexed(208))),
                    ])
                } else {
                    Line::from(Span::styled(
                        text,
                        Style::new().fg(Color::Rgb(1, 2, 3)).on_blue(),
                    ))
                }
            })
            .collect();
        f.render_widget(
            Paragraph::new(rows).block(Block::bordered().title("images").dark_gray()),
            area,
        );
    }

    #[test]
    fn what_the_terminal_shows_is_what_ratatui_rendered() {
        round_trip(
            50,
            12,
            &[
                &|f| list(f, 0, "web"),
                &|f| list(f, 1, "web"),
                &|f| list(f, 1, "数据库"),
                &|f| {
                    list(
                        f,
                        4,
                        "a-much-longer-name-that-runs-past-the-edge-of-the-box",
                    )
                },
                &|f| f.render_widget(Paragraph::new("cleared"), f.area()),
                &|f| list(f, 2, "web"),
                // A text cursor left in place, then changes near it.
                &|f| {
                    list(f, 2, "web");
                    f.set_cursor_position((5, 3));
                },
                &|f| {
                    list(f, 3, "webx");
                    f.set_cursor_position((7, 4));
                },
                &|f| list(f, 3, "webxy"),
            ],
        );
    }

    #[test]
    fn an_unchanged_frame_writes_nothing_and_a_small_change_little() {
        let mut terminal = Terminal::new(LeanBackend::with_size(80, 24)).unwrap();
        terminal.draw(|f| list(f, 0, "web")).unwrap();
        assert!(!terminal.backend_mut().take().is_empty());
        terminal.draw(|f| list(f, 0, "web")).unwrap();
        assert_eq!(terminal.backend_mut().take(), b"");
        terminal.draw(|f| list(f, 1, "web")).unwrap();
        let moved = terminal.backend_mut().take();
        // Two rows change style (about 2×50 characters plus their moves and styles); the
        // same change through ratatui's crossterm backend costs more.
        assert!(moved.len() < 400, "{} bytes", moved.len());
    }

    #[test]
    fn the_cursor_is_only_moved_or_shown_when_that_changes_something() {
        let mut terminal = Terminal::new(LeanBackend::with_size(20, 4)).unwrap();
        terminal.backend_mut().entered();
        let with_cursor = |f: &mut ratatui::Frame<'_>| {
            f.render_widget(Paragraph::new("name: web"), f.area());
            f.set_cursor_position((9, 0));
        };
        terminal.draw(with_cursor).unwrap();
        let first = terminal.backend_mut().take();
        assert!(
            first.ends_with(b"\x1b[?25h\x1b[1;10H"),
            "{:?}",
            String::from_utf8_lossy(&first)
        );
        terminal.draw(with_cursor).unwrap();
        assert_eq!(terminal.backend_mut().take(), b"");
        terminal
            .draw(|f| f.render_widget(Paragraph::new("name: web"), f.area()))
            .unwrap();
        assert_eq!(terminal.backend_mut().take(), b"\x1b[?25l");
    }
}

//! How a cell becomes bytes: its style as one SGR with the classic codes for the 16 ANSI
//! colours, and how far its symbol moves the cursor (when every terminal agrees on that).

use std::io::Write;

use ratatui::buffer::Cell;
use ratatui::style::{Color, Modifier};
use unicode_width::UnicodeWidthStr;

/// The style a cell is drawn with; the default is the terminal's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Pen {
    fg: Color,
    bg: Color,
    modifier: Modifier,
}

impl Default for Pen {
    fn default() -> Pen {
        Pen {
            fg: Color::Reset,
            bg: Color::Reset,
            modifier: Modifier::empty(),
        }
    }
}

impl Pen {
    pub(super) fn of(cell: &Cell) -> Pen {
        Pen {
            fg: cell.fg,
            bg: cell.bg,
            modifier: cell.modifier,
        }
    }

    /// The same pen for a terminal of 8 colours (the Linux console): bright colours
    /// become their basic ones, grey text half-bright, and italics (shown there as a
    /// colour of its own, or not at all) go.
    pub(super) fn basic(self) -> Pen {
        let mut modifier = self.modifier - Modifier::ITALIC;
        let fg = match self.fg {
            Color::DarkGray => {
                modifier |= Modifier::DIM;
                Color::Reset
            }
            other => basic_color(other),
        };
        let bg = match self.bg {
            Color::DarkGray => Color::Black,
            other => basic_color(other),
        };
        Pen { fg, bg, modifier }
    }

    /// The same pen for a terminal of no colour (a vt100, a dumb terminal): only the
    /// attributes a VT100 draws — bold, underline, reverse video. Half-bright, italics and
    /// strike-through are not among them; the words on screen say what they would add.
    pub(super) fn mono(self) -> Pen {
        Pen {
            fg: Color::Reset,
            bg: Color::Reset,
            modifier: self.modifier & (Modifier::BOLD | Modifier::UNDERLINED | Modifier::REVERSED),
        }
    }

    /// One SGR that resets and then sets everything this pen needs.
    pub(super) fn write_sgr(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(b"\x1b[0");
        const CODES: [(Modifier, &[u8]); 9] = [
            (Modifier::BOLD, b";1"),
            (Modifier::DIM, b";2"),
            (Modifier::ITALIC, b";3"),
            (Modifier::UNDERLINED, b";4"),
            (Modifier::SLOW_BLINK, b";5"),
            (Modifier::RAPID_BLINK, b";6"),
            (Modifier::REVERSED, b";7"),
            (Modifier::HIDDEN, b";8"),
            (Modifier::CROSSED_OUT, b";9"),
        ];
        for (modifier, code) in CODES {
            if self.modifier.contains(modifier) {
                out.extend_from_slice(code);
            }
        }
        write_color(out, self.fg, 30);
        write_color(out, self.bg, 40);
        out.push(b'm');
    }
}

fn basic_color(color: Color) -> Color {
    match color {
        Color::LightRed => Color::Red,
        Color::LightGreen => Color::Green,
        Color::LightYellow => Color::Yellow,
        Color::LightBlue => Color::Blue,
        Color::LightMagenta => Color::Magenta,
        Color::LightCyan => Color::Cyan,
        Color::White => Color::Gray,
        Color::Indexed(_) | Color::Rgb(..) => Color::Reset,
        other => other,
    }
}

/// `base` is 30 for the foreground, 40 for the background.
fn write_color(out: &mut Vec<u8>, color: Color, base: u8) {
    let ansi = |n: u8| -> u8 {
        if n < 8 {
            base + n
        } else {
            base + 60 + (n - 8)
        }
    };
    let code = match color {
        Color::Reset => return,
        Color::Black => ansi(0),
        Color::Red => ansi(1),
        Color::Green => ansi(2),
        Color::Yellow => ansi(3),
        Color::Blue => ansi(4),
        Color::Magenta => ansi(5),
        Color::Cyan => ansi(6),
        Color::Gray => ansi(7),
        Color::DarkGray => ansi(8),
        Color::LightRed => ansi(9),
        Color::LightGreen => ansi(10),
        Color::LightYellow => ansi(11),
        Color::LightBlue => ansi(12),
        Color::LightMagenta => ansi(13),
        Color::LightCyan => ansi(14),
        Color::White => ansi(15),
        Color::Indexed(n) => {
            let _ = write!(out, ";{};5;{n}", base + 8);
            return;
        }
        Color::Rgb(r, g, b) => {
            let _ = write!(out, ";{};2;{r};{g};{b}", base + 8);
            return;
        }
    };
    let _ = write!(out, ";{code}");
}

/// How far printing `symbol` moves the cursor, when every terminal agrees: one column for a
/// single narrow character, two for a single CJK character. Terminals differ on emoji and
/// combined sequences, so after those the next cell is positioned absolutely.
pub(super) fn advance(symbol: &str) -> Option<u16> {
    let mut chars = symbol.chars();
    let (Some(c), None) = (chars.next(), chars.next()) else {
        return None;
    };
    match symbol.width() {
        1 => Some(1),
        2 if is_cjk(c) => Some(2),
        _ => None,
    }
}

/// Hangul, kana, CJK ideographs and punctuation, fullwidth forms: wide on every terminal.
fn is_cjk(c: char) -> bool {
    matches!(
        c,
        '\u{1100}'..='\u{115F}'
            | '\u{2E80}'..='\u{303E}'
            | '\u{3041}'..='\u{33FF}'
            | '\u{3400}'..='\u{4DBF}'
            | '\u{4E00}'..='\u{9FFF}'
            | '\u{A000}'..='\u{A4CF}'
            | '\u{AC00}'..='\u{D7A3}'
            | '\u{F900}'..='\u{FAFF}'
            | '\u{FE30}'..='\u{FE4F}'
            | '\u{FF00}'..='\u{FF60}'
            | '\u{FFE0}'..='\u{FFE6}'
            | '\u{20000}'..='\u{2FFFD}'
            | '\u{30000}'..='\u{3FFFD}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_predictable_characters_are_trusted_to_advance_the_cursor() {
        assert_eq!(advance("a"), Some(1));
        assert_eq!(advance("·"), Some(1));
        assert_eq!(advance("镜"), Some(2));
        assert_eq!(advance("（"), Some(2));
        assert_eq!(advance("한"), Some(2));
        assert_eq!(advance("🚀"), None);
        assert_eq!(advance("e\u{301}"), None);
        assert_eq!(advance(""), None);
    }

    #[test]
    fn sixteen_colours_use_the_classic_codes() {
        let mut out = Vec::new();
        Pen {
            fg: Color::Cyan,
            bg: Color::DarkGray,
            modifier: Modifier::BOLD | Modifier::REVERSED,
        }
        .write_sgr(&mut out);
        assert_eq!(out, b"\x1b[0;1;7;36;100m");
        out.clear();
        Pen::default().write_sgr(&mut out);
        assert_eq!(out, b"\x1b[0m");
    }

    #[test]
    fn eight_colours_have_no_grey_bright_or_italic() {
        let mut out = Vec::new();
        Pen {
            fg: Color::DarkGray,
            bg: Color::LightCyan,
            modifier: Modifier::ITALIC | Modifier::BOLD,
        }
        .basic()
        .write_sgr(&mut out);
        assert_eq!(out, b"\x1b[0;1;2;46m");
    }

    #[test]
    fn no_colour_keeps_only_what_a_vt100_draws() {
        let mut out = Vec::new();
        Pen {
            fg: Color::Yellow,
            bg: Color::DarkGray,
            modifier: Modifier::ITALIC | Modifier::DIM | Modifier::CROSSED_OUT | Modifier::REVERSED,
        }
        .mono()
        .write_sgr(&mut out);
        assert_eq!(out, b"\x1b[0;7m");
    }
}

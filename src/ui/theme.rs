//! How things look: the 16 ANSI colours on the terminal's own background, or no colour at
//! all (`NO_COLOR`); box-drawing or plain ASCII (`--ascii`).

use std::borrow::Cow;

use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::border;

use crate::app::Level;
use crate::rules::Severity;

/// How to draw: colours or not, box-drawing or ASCII.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Theme {
    /// `NO_COLOR` unset.
    pub color: bool,
    /// `--ascii`: plain ASCII borders and symbols.
    pub ascii: bool,
}

const ASCII_BORDER: border::Set<'static> = border::Set {
    top_left: "+",
    top_right: "+",
    bottom_left: "+",
    bottom_right: "+",
    vertical_left: "|",
    vertical_right: "|",
    horizontal_top: "-",
    horizontal_bottom: "-",
};

const SPINNER: &[&str] = &["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
const ASCII_SPINNER: &[&str] = &["|", "/", "-", "\\"];

impl Theme {
    /// How to draw, from everything that has a say. `no_color_env`: `NO_COLOR` is set
    /// and not empty. `config_color`: the config file's `[theme] color`, which wins when
    /// set — no-color.org asks that a configuration file override `NO_COLOR`, and
    /// `color = false` turns colour off as `NO_COLOR` would. `ascii`: `--ascii` or
    /// `[theme] ascii = true`.
    pub fn resolve(no_color_env: bool, config_color: Option<bool>, ascii: bool) -> Theme {
        Theme {
            color: config_color.unwrap_or(!no_color_env),
            ascii,
        }
    }

    fn fg(&self, color: Color) -> Style {
        if self.color {
            Style::new().fg(color)
        } else {
            Style::new()
        }
    }

    /// The selected row: reverse video, which reads with or without colour.
    pub fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    pub fn title(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    pub fn bold(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    /// Labels and secondary text.
    pub fn dim(&self) -> Style {
        if self.color {
            Style::new().fg(Color::DarkGray)
        } else {
            Style::new().add_modifier(Modifier::DIM)
        }
    }

    pub fn border(&self) -> Style {
        self.fg(Color::DarkGray)
    }

    pub fn ok(&self) -> Style {
        self.fg(Color::Green)
    }

    pub fn error(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    pub fn warning(&self) -> Style {
        self.fg(Color::Yellow)
    }

    pub fn info(&self) -> Style {
        self.fg(Color::Cyan)
    }

    /// A Deprecated image's status (the word differs too; this is for colour terminals).
    pub fn deprecated(&self) -> Style {
        if self.color {
            Style::new()
                .fg(Color::Yellow)
                .add_modifier(Modifier::ITALIC)
        } else {
            Style::new().add_modifier(Modifier::ITALIC)
        }
    }

    /// The rest of a Deprecated image's row.
    pub fn deprecated_row(&self) -> Style {
        self.dim()
    }

    pub fn severity(&self, severity: Severity) -> Style {
        match severity {
            Severity::Info => self.info(),
            Severity::Warning => self.warning().add_modifier(Modifier::BOLD),
            Severity::Danger | Severity::Blocked => self.error(),
        }
    }

    pub fn level(&self, level: Level) -> Style {
        match level {
            Level::Info => self.info(),
            Level::Warning => self.warning(),
            Level::Error => self.error(),
        }
    }

    /// The DEMO and RO badges.
    pub fn badge(&self, color: Color) -> Style {
        if self.color {
            Style::new()
                .fg(Color::Black)
                .bg(color)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        }
    }

    /// A focused button.
    pub fn focused(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
    }

    /// A button that cannot be pressed yet.
    pub fn disabled(&self) -> Style {
        self.dim().add_modifier(Modifier::CROSSED_OUT)
    }

    /// A text field's typing area.
    pub fn input(&self) -> Style {
        Style::new().add_modifier(Modifier::UNDERLINED)
    }

    pub fn borders(&self) -> border::Set<'static> {
        if self.ascii {
            ASCII_BORDER
        } else {
            border::PLAIN
        }
    }

    pub fn spinner(&self, frame: usize) -> &'static str {
        let frames = if self.ascii { ASCII_SPINNER } else { SPINNER };
        frames[frame % frames.len()]
    }

    pub fn ellipsis(&self) -> &'static str {
        if self.ascii {
            "~"
        } else {
            "…"
        }
    }

    pub fn arrow(&self) -> &'static str {
        if self.ascii {
            "->"
        } else {
            "→"
        }
    }

    pub fn sep(&self) -> &'static str {
        if self.ascii {
            "|"
        } else {
            "·"
        }
    }

    pub fn mark_ok(&self) -> &'static str {
        if self.ascii {
            "ok"
        } else {
            "✓"
        }
    }

    pub fn mark_bad(&self) -> &'static str {
        if self.ascii {
            "!!"
        } else {
            "✗"
        }
    }

    pub fn radio(&self, on: bool) -> &'static str {
        match (on, self.ascii) {
            (true, false) => "(•)",
            (true, true) => "(*)",
            (false, _) => "( )",
        }
    }

    pub fn choice_arrows(&self) -> (&'static str, &'static str) {
        if self.ascii {
            ("<", ">")
        } else {
            ("◀", "▶")
        }
    }

    /// Text as it goes on screen: through the one sanitiser ([`super::text::sanitize`]:
    /// controls, escape sequences, bidirectional and invisible characters made visible);
    /// with `--ascii`, the symbols of ecsimg's own words become ASCII. Names and
    /// descriptions keep their Chinese.
    pub fn text<'a>(&self, s: &'a str) -> Cow<'a, str> {
        let clean = super::text::sanitize(s);
        if !self.ascii || !clean.chars().any(|c| ascii_for(c).is_some()) {
            return clean;
        }
        let mut out = String::with_capacity(clean.len());
        for c in clean.chars() {
            match ascii_for(c) {
                Some(a) => out.push_str(a),
                None => out.push(c),
            }
        }
        Cow::Owned(out)
    }
}

fn ascii_for(c: char) -> Option<&'static str> {
    Some(match c {
        '…' => "...",
        '→' => "->",
        '←' => "<-",
        '↑' => "Up",
        '↓' => "Down",
        '—' | '–' => "-",
        '·' => "|",
        '×' => "x",
        '✓' => "ok",
        '✗' => "!!",
        '•' => "*",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_keeps_chinese_and_replaces_symbols() {
        let t = Theme {
            color: false,
            ascii: true,
        };
        assert_eq!(t.text("镜像 → 2–128 …"), "镜像 -> 2-128 ...");
        assert_eq!(t.text("j/↓"), "j/Down");
    }

    #[test]
    fn control_characters_never_reach_the_terminal() {
        let t = Theme::default();
        assert_eq!(t.text("a\x1b[2Jb\n"), "a\\x1b[2Jb\\n");
        assert_eq!(t.text("\u{202e}gpj.exe"), "\\u202egpj.exe");
    }

    #[test]
    fn the_config_file_decides_colour_when_it_says_and_no_color_otherwise() {
        assert!(Theme::resolve(false, None, false).color);
        assert!(!Theme::resolve(true, None, false).color);
        assert!(!Theme::resolve(false, Some(false), false).color);
        assert!(Theme::resolve(true, Some(true), false).color);
        assert!(!Theme::resolve(true, Some(false), false).color);
        assert!(Theme::resolve(false, None, true).ascii);
        assert!(!Theme::resolve(false, None, false).ascii);
    }

    #[test]
    fn no_colour_means_no_colour() {
        let t = Theme {
            color: false,
            ascii: false,
        };
        for style in [
            t.title(),
            t.ok(),
            t.error(),
            t.warning(),
            t.deprecated(),
            t.badge(Color::Magenta),
        ] {
            assert_eq!(style.fg, None);
            assert_eq!(style.bg, None);
        }
    }
}

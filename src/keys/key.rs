//! One key: its code and modifiers, normalised the one way (terminals disagree about shift
//! on characters, caps-lock under ctrl, shift-tab), read from a config file's spelling and
//! printed as help, hints and error messages write it.

use std::fmt;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// One key, as the tables match it. Build it with [`Key::new`] (or the `const` helpers for
/// the tables, which are written normalised already).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

/// A key without modifiers.
pub const fn key(code: KeyCode) -> Key {
    Key {
        code,
        mods: KeyModifiers::NONE,
    }
}

/// A character key (`j`, `G`, `?`).
pub const fn ch(c: char) -> Key {
    key(KeyCode::Char(c))
}

/// Control and a lower-case letter.
pub const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        mods: KeyModifiers::CONTROL,
    }
}

/// Control and a key that is not a character (`ctrl-←`).
pub const fn ctrl_key(code: KeyCode) -> Key {
    Key {
        code,
        mods: KeyModifiers::CONTROL,
    }
}

impl Key {
    /// The one normaliser. Shift is part of the character for letters and symbols (`G`,
    /// `?`), so it is folded in; control-letters are matched in lower case whatever
    /// caps-lock says; shift-tab is BackTab however the terminal spells it.
    pub fn new(code: KeyCode, mods: KeyModifiers) -> Key {
        let mut mods = mods & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let code = match code {
            KeyCode::Char(c) => {
                let shifted = mods.contains(KeyModifiers::SHIFT);
                mods.remove(KeyModifiers::SHIFT);
                if mods.contains(KeyModifiers::CONTROL) {
                    KeyCode::Char(c.to_ascii_lowercase())
                } else if shifted {
                    KeyCode::Char(c.to_ascii_uppercase())
                } else {
                    KeyCode::Char(c)
                }
            }
            KeyCode::BackTab => {
                mods.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            KeyCode::Tab if mods.contains(KeyModifiers::SHIFT) => {
                mods.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            other => other,
        };
        Key { code, mods }
    }

    /// The key a press is.
    pub fn of(event: &KeyEvent) -> Key {
        Key::new(event.code, event.modifiers)
    }

    /// Reads a key as a config file writes it: `j`, `G`, `?`, `ctrl-r`, `alt-x`, `shift-g`,
    /// `F5`, `enter`, `esc`, `tab`, `space`, `backspace`, `delete`, `up`, `pgdn` … and the
    /// way help prints keys (`PgDn`, `S-Tab`, `↓`), so a key copied from the help reads.
    pub fn parse(text: &str) -> Result<Key, String> {
        let mut mods = KeyModifiers::NONE;
        let mut rest = text.trim();
        loop {
            let lower = rest.to_ascii_lowercase();
            let (modifier, len) = if lower.starts_with("ctrl-") {
                (KeyModifiers::CONTROL, 5)
            } else if lower.starts_with("alt-") {
                (KeyModifiers::ALT, 4)
            } else if lower.starts_with("shift-") {
                (KeyModifiers::SHIFT, 6)
            } else {
                break;
            };
            // `ctrl-` alone is no key; `-` after a modifier is the minus key.
            if rest.len() == len {
                break;
            }
            mods |= modifier;
            rest = &rest[len..];
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => NAMED
                .iter()
                .find(|(_, code)| label_of_code(*code) == c.to_string())
                .map_or(KeyCode::Char(c), |(_, code)| *code),
            _ => named(rest).ok_or_else(|| {
                format!("{text:?} is not a key: write a character (j, G, ?), ctrl-r, F5, enter, esc, tab, space, up, pgdn …")
            })?,
        };
        Ok(Key::new(code, mods))
    }

    /// Why ecsimg refuses to bind this key, if it does: it quits or suspends, freezes the
    /// terminal (XOFF), or is the tmux/screen prefix.
    pub fn reserved(&self) -> Option<&'static str> {
        let ctrl = self.mods.contains(KeyModifiers::CONTROL);
        match self.code {
            KeyCode::Char('c') if ctrl => Some("ctrl-c always quits"),
            KeyCode::Char('z') if ctrl => Some("ctrl-z always suspends"),
            KeyCode::Char('s' | 'q') if ctrl => {
                Some("the terminal takes it for flow control (XOFF/XON)")
            }
            KeyCode::Char('a' | 'b') if ctrl => Some("it is the screen/tmux prefix key"),
            _ => None,
        }
    }

    /// A character typed as itself (no control, no alt): in a text field it is text.
    pub fn is_plain_char(&self) -> bool {
        matches!(self.code, KeyCode::Char(_))
            && !self
                .mods
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
    }
}

/// The one label printer: `j`, `G`, `ctrl-r`, `F5`, `Esc`, `PgDn`, `↓`, `Space`.
impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.mods.contains(KeyModifiers::CONTROL) {
            f.write_str("ctrl-")?;
        }
        if self.mods.contains(KeyModifiers::ALT) {
            f.write_str("alt-")?;
        }
        if self.mods.contains(KeyModifiers::SHIFT) && !matches!(self.code, KeyCode::Char(_)) {
            f.write_str("shift-")?;
        }
        f.write_str(&label_of_code(self.code))
    }
}

fn label_of_code(code: KeyCode) -> String {
    match code {
        KeyCode::Char(' ') => "Space".into(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::F(n) => format!("F{n}"),
        KeyCode::Enter => "Enter".into(),
        KeyCode::Esc => "Esc".into(),
        KeyCode::Tab => "Tab".into(),
        KeyCode::BackTab => "S-Tab".into(),
        KeyCode::Backspace => "Backspace".into(),
        KeyCode::Delete => "Del".into(),
        KeyCode::Insert => "Ins".into(),
        KeyCode::Up => "↑".into(),
        KeyCode::Down => "↓".into(),
        KeyCode::Left => "←".into(),
        KeyCode::Right => "→".into(),
        KeyCode::Home => "Home".into(),
        KeyCode::End => "End".into(),
        KeyCode::PageUp => "PgUp".into(),
        KeyCode::PageDown => "PgDn".into(),
        _ => "?".into(),
    }
}

/// Keys with names, as a config file writes them.
const NAMED: &[(&str, KeyCode)] = &[
    ("enter", KeyCode::Enter),
    ("esc", KeyCode::Esc),
    ("tab", KeyCode::Tab),
    ("backtab", KeyCode::BackTab),
    ("backspace", KeyCode::Backspace),
    ("delete", KeyCode::Delete),
    ("insert", KeyCode::Insert),
    ("up", KeyCode::Up),
    ("down", KeyCode::Down),
    ("left", KeyCode::Left),
    ("right", KeyCode::Right),
    ("home", KeyCode::Home),
    ("end", KeyCode::End),
    ("pgup", KeyCode::PageUp),
    ("pgdn", KeyCode::PageDown),
];

fn named(text: &str) -> Option<KeyCode> {
    let lower = text.to_ascii_lowercase();
    let alias = match lower.as_str() {
        "return" => "enter",
        "escape" => "esc",
        "del" => "delete",
        "ins" => "insert",
        "s-tab" => "backtab",
        "pageup" => "pgup",
        "pagedown" | "pgdown" => "pgdn",
        "space" => return Some(KeyCode::Char(' ')),
        other => other,
    };
    if let Some((_, code)) = NAMED.iter().find(|(name, _)| *name == alias) {
        return Some(*code);
    }
    let n: u8 = lower.strip_prefix('f')?.parse().ok()?;
    (1..=12).contains(&n).then_some(KeyCode::F(n))
}

/// A printable character typed without control or alt, for text inputs.
pub fn typed_char(event: &KeyEvent) -> Option<char> {
    match event.code {
        KeyCode::Char(c)
            if !event
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
                && !c.is_control() =>
        {
            Some(c)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_config_spelling_reads_and_prints_as_help_writes_it() {
        for (text, shown) in [
            ("j", "j"),
            ("G", "G"),
            ("?", "?"),
            ("/", "/"),
            ("-", "-"),
            ("ctrl-r", "ctrl-r"),
            ("Ctrl-R", "ctrl-r"),
            ("alt-x", "alt-x"),
            ("shift-g", "G"),
            ("F5", "F5"),
            ("f5", "F5"),
            ("enter", "Enter"),
            ("esc", "Esc"),
            ("pgdn", "PgDn"),
            ("PageDown", "PgDn"),
            ("space", "Space"),
            ("down", "↓"),
            ("shift-tab", "S-Tab"),
            ("shift-up", "shift-↑"),
        ] {
            let key = Key::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(key.to_string(), shown, "{text}");
            assert_eq!(Key::parse(shown), Ok(key), "{shown} reads back");
        }
        assert!(Key::parse("hyper-x").is_err());
        assert!(Key::parse("F13").is_err());
    }

    #[test]
    fn a_press_matches_however_the_terminal_reports_shift_and_caps_lock() {
        let g = Key::parse("G").unwrap();
        assert_eq!(
            Key::of(&KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT)),
            g
        );
        assert_ne!(
            Key::of(&KeyEvent::new(KeyCode::Char('g'), KeyModifiers::NONE)),
            g
        );
        let caps_ctrl_r = KeyEvent::new(
            KeyCode::Char('R'),
            KeyModifiers::CONTROL | KeyModifiers::SHIFT,
        );
        assert_eq!(Key::of(&caps_ctrl_r), ctrl('r'));
        let back_tab = KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT);
        assert_eq!(Key::of(&back_tab), key(KeyCode::BackTab));
    }

    #[test]
    fn keys_the_terminal_or_tmux_eat_are_reserved() {
        for text in ["ctrl-c", "ctrl-z", "ctrl-s", "ctrl-q", "ctrl-a", "ctrl-b"] {
            assert!(Key::parse(text).unwrap().reserved().is_some(), "{text}");
        }
        assert_eq!(Key::parse("ctrl-r").unwrap().reserved(), None);
    }
}

//! Key overrides from `[keys]`: action name → key, validated so the TUI can trust them.
//!
//! The TUI's own keymap table is the source of its bindings; this file knows the action
//! names and their default keys (UX.md) so a config file can be checked before the screen
//! opens: unknown actions, unreadable keys, keys the terminal or tmux eat, and two actions
//! on one key are all errors with the line and the fix.

use std::collections::BTreeMap;
use std::fmt;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Every action a key can be bound to, with its default key: the primary key of the
/// TUI's table (`app::keymap`, named after its `Intent`s in snake_case) plus `profile`,
/// `journal` and `undo` from UX.md and issue 6. An override replaces the primary key only;
/// the arrow keys, Home/End and Enter keep working.
pub const ACTIONS: &[(&str, &str)] = &[
    ("down", "j"),
    ("up", "k"),
    ("top", "g"),
    ("bottom", "G"),
    ("page_down", "pgdn"),
    ("page_up", "pgup"),
    ("filter", "/"),
    ("back", "esc"),
    ("edit", "e"),
    ("status", "s"),
    ("refresh", "r"),
    ("region", "R"),
    ("sort", "o"),
    ("details", "d"),
    ("notices", "n"),
    ("profile", "P"),
    ("journal", "J"),
    ("undo", "u"),
    ("help", "?"),
    ("quit", "q"),
];

/// One key, as crossterm reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeySpec {
    pub code: KeyCode,
    /// CONTROL and/or ALT; SHIFT is folded into the character (`G`, not `shift-g`).
    pub modifiers: KeyModifiers,
}

impl KeySpec {
    /// Parses `j`, `G`, `?`, `ctrl-r`, `alt-x`, `F5`, `enter`, `esc`, `tab`, `space`,
    /// `backspace`, `delete`, `up`, `down`, `left`, `right`, `home`, `end`, `pgup`, `pgdn`.
    pub fn parse(text: &str) -> Result<KeySpec, String> {
        let mut modifiers = KeyModifiers::NONE;
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
            if rest.len() == len {
                break;
            }
            modifiers |= modifier;
            rest = &rest[len..];
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => KeyCode::Char(c),
            _ => named_key(rest).ok_or_else(|| {
                format!("{text:?} is not a key: write a character (j, G, ?), ctrl-r, F5, enter, esc, tab, space, up, pgdn …")
            })?,
        };
        Ok(KeySpec::new(code, modifiers))
    }

    /// Folds SHIFT into letters and letters under CONTROL to lower case, the way terminals
    /// report them.
    pub fn new(code: KeyCode, mut modifiers: KeyModifiers) -> KeySpec {
        let code = match code {
            KeyCode::Char(c) if modifiers.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(c.to_ascii_lowercase())
            }
            KeyCode::Char(c) if modifiers.contains(KeyModifiers::SHIFT) => {
                KeyCode::Char(c.to_ascii_uppercase())
            }
            other => other,
        };
        if matches!(code, KeyCode::Char(_)) {
            modifiers.remove(KeyModifiers::SHIFT);
        }
        KeySpec { code, modifiers }
    }

    /// Whether a key press is this key (SHIFT on characters is ignored: `G` is `G`).
    pub fn matches(&self, event: &KeyEvent) -> bool {
        KeySpec::new(event.code, event.modifiers) == *self
    }

    /// Keys ecsimg refuses to bind: they quit or suspend, freeze the terminal (XOFF), or
    /// are the tmux/screen prefixes.
    fn reserved(&self) -> Option<&'static str> {
        let ctrl = self.modifiers.contains(KeyModifiers::CONTROL);
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
}

impl fmt::Display for KeySpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.modifiers.contains(KeyModifiers::CONTROL) {
            f.write_str("ctrl-")?;
        }
        if self.modifiers.contains(KeyModifiers::ALT) {
            f.write_str("alt-")?;
        }
        if self.modifiers.contains(KeyModifiers::SHIFT) {
            f.write_str("shift-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::F(n) => write!(f, "F{n}"),
            code => f.write_str(
                NAMED
                    .iter()
                    .find(|(_, k)| *k == code)
                    .map(|(name, _)| *name)
                    .unwrap_or("?"),
            ),
        }
    }
}

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

fn named_key(text: &str) -> Option<KeyCode> {
    let lower = text.to_ascii_lowercase();
    let alias = match lower.as_str() {
        "return" => "enter",
        "escape" => "esc",
        "del" => "delete",
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

/// The default keys with the config file's overrides on top.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Keymap {
    overrides: BTreeMap<&'static str, KeySpec>,
}

/// A bad `[keys]` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyError {
    pub line: usize,
    pub message: String,
    pub fix: String,
}

impl Keymap {
    /// Validates `((action, line), key)` pairs from a config file.
    pub fn from_overrides<'a>(
        pairs: impl IntoIterator<Item = ((&'a str, usize), &'a str)>,
    ) -> Result<Keymap, KeyError> {
        let names: Vec<&str> = ACTIONS.iter().map(|(name, _)| *name).collect();
        let mut overrides = BTreeMap::new();
        let mut lines = BTreeMap::new();
        for ((action, line), key) in pairs {
            let Some(name) = names.iter().copied().find(|n| *n == action) else {
                let fix = match super::did_you_mean(action, &names) {
                    Some(close) => {
                        format!("did you mean `{close}`? (actions: {})", names.join(", "))
                    }
                    None => format!("remove it (actions: {})", names.join(", ")),
                };
                return Err(KeyError {
                    line,
                    message: format!("unknown action `{action}` in [keys]"),
                    fix,
                });
            };
            let spec = KeySpec::parse(key).map_err(|message| KeyError {
                line,
                message: format!("[keys] {action}: {message}"),
                fix: "write the key as j, G, ?, ctrl-r, F5, enter, esc, pgdn …".to_string(),
            })?;
            if let Some(why) = spec.reserved() {
                return Err(KeyError {
                    line,
                    message: format!("[keys] {action} = {key:?}: {why}"),
                    fix: "choose another key".to_string(),
                });
            }
            overrides.insert(name, spec);
            lines.insert(name, line);
        }
        let keymap = Keymap { overrides };
        let mut seen: BTreeMap<KeySpec, &str> = BTreeMap::new();
        for (name, _) in ACTIONS {
            let key = keymap
                .key_for(name)
                .expect("every action has a default key");
            if let Some(other) = seen.insert(key, name) {
                let (line, mine, theirs) = match lines.get(name) {
                    Some(line) => (*line, *name, other),
                    None => (lines.get(other).copied().unwrap_or(0), other, *name),
                };
                return Err(KeyError {
                    line,
                    message: format!("[keys] `{key}` is bound to both {mine} and {theirs}"),
                    fix: format!("give {mine} another key, or rebind {theirs} too"),
                });
            }
        }
        Ok(keymap)
    }

    /// The key for `action`: the override, else the default. `None` for an unknown action.
    pub fn key_for(&self, action: &str) -> Option<KeySpec> {
        if let Some(key) = self.overrides.get(action) {
            return Some(*key);
        }
        ACTIONS
            .iter()
            .find(|(name, _)| *name == action)
            .map(|(_, key)| KeySpec::parse(key).expect("default keys parse"))
    }

    /// The action `event` triggers under this keymap.
    pub fn action_for(&self, event: &KeyEvent) -> Option<&'static str> {
        ACTIONS
            .iter()
            .map(|(name, _)| *name)
            .find(|name| self.key_for(name).is_some_and(|k| k.matches(event)))
    }

    /// Only what the config file changed.
    pub fn overrides(&self) -> &BTreeMap<&'static str, KeySpec> {
        &self.overrides
    }
}

// BTreeMap keys need an order; any total order will do.
impl PartialOrd for KeySpec {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for KeySpec {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.to_string(), self.modifiers.bits()).cmp(&(other.to_string(), other.modifiers.bits()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn overrides(pairs: &[(&str, &str)]) -> Result<Keymap, KeyError> {
        Keymap::from_overrides(
            pairs
                .iter()
                .enumerate()
                .map(|(i, (a, k))| ((*a, i + 2), *k)),
        )
    }

    #[test]
    fn keys_parse_and_print_back() {
        for text in [
            "j", "G", "?", "/", "ctrl-r", "alt-x", "F5", "enter", "esc", "pgdn", "space",
        ] {
            assert_eq!(KeySpec::parse(text).unwrap().to_string(), text);
        }
        assert_eq!(KeySpec::parse("shift-g").unwrap().to_string(), "G");
        assert_eq!(KeySpec::parse("Ctrl-R").unwrap().to_string(), "ctrl-r");
        assert_eq!(KeySpec::parse("PageDown").unwrap().to_string(), "pgdn");
        assert!(KeySpec::parse("hyper-x").is_err());
        assert!(KeySpec::parse("F13").is_err());
    }

    #[test]
    fn a_capital_letter_matches_what_the_terminal_sends() {
        let g = KeySpec::parse("G").unwrap();
        assert!(g.matches(&KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT)));
        assert!(!g.matches(&KeyEvent::new(KeyCode::Char('g'), KeyModifiers::NONE)));
        let ctrl_r = KeySpec::parse("ctrl-r").unwrap();
        assert!(ctrl_r.matches(&KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL)));
    }

    #[test]
    fn overrides_replace_defaults_and_keep_the_rest() {
        let keymap = overrides(&[("refresh", "F5")]).unwrap();
        let f5 = KeyEvent::new(KeyCode::F(5), KeyModifiers::NONE);
        let r = KeyEvent::new(KeyCode::Char('r'), KeyModifiers::NONE);
        assert_eq!(keymap.action_for(&f5), Some("refresh"));
        assert_eq!(keymap.action_for(&r), None);
        assert_eq!(
            keymap.action_for(&KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE)),
            Some("quit")
        );
    }

    #[test]
    fn a_clash_names_both_actions_and_the_overriding_line() {
        let err = overrides(&[("undo", "x"), ("refresh", "R")]).unwrap_err();
        assert_eq!(err.line, 3);
        assert!(
            err.message.contains("refresh") && err.message.contains("region"),
            "{err:?}"
        );
        // Swapping two keys is fine.
        overrides(&[("refresh", "R"), ("region", "r")]).unwrap();
    }

    #[test]
    fn keys_the_terminal_eats_are_refused() {
        for key in ["ctrl-s", "ctrl-c", "ctrl-a"] {
            let err = overrides(&[("refresh", key)]).unwrap_err();
            assert_eq!(err.fix, "choose another key", "{key}");
        }
    }

    #[test]
    fn every_default_key_parses_and_none_clash() {
        overrides(&[]).unwrap();
    }
}

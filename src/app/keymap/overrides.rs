//! `[keys]` from the config file, applied to the table: an override replaces an action's
//! primary key (the one `config::keys::ACTIONS` names) wherever the table binds that
//! action to it, so the old key stops doing it and the help and hints print the new one.
//! Arrows, Home/End and Enter keep working. In a text field a plain character types
//! itself, so an override to a plain character does not apply there.

use std::borrow::Cow;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{normalize, tables, Binding, Context, Intent, Key};

/// The config file's action names (`config::keys::ACTIONS`) and the intents they name.
pub const ACTION_INTENTS: &[(&str, Intent)] = &[
    ("down", Intent::Down),
    ("up", Intent::Up),
    ("top", Intent::Top),
    ("bottom", Intent::Bottom),
    ("page_down", Intent::PageDown),
    ("page_up", Intent::PageUp),
    ("filter", Intent::Filter),
    ("back", Intent::Back),
    ("edit", Intent::Edit),
    ("status", Intent::Status),
    ("refresh", Intent::Refresh),
    ("region", Intent::Region),
    ("sort", Intent::Sort),
    ("details", Intent::Details),
    ("notices", Intent::Notices),
    ("profile", Intent::Profile),
    ("journal", Intent::Journal),
    ("undo", Intent::Undo),
    ("help", Intent::Help),
    ("quit", Intent::Quit),
];

/// One action moved from its default key to another.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Override {
    intent: Intent,
    default: Key,
    key: Key,
}

/// The key table's overrides; the default value overrides nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyOverrides {
    overrides: Vec<Override>,
}

/// A row of the table as help and hints print it, overrides applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    /// The keys as written (`j/↓`, `F5`).
    pub label: String,
    /// What they do.
    pub desc: &'static str,
    pub intent: Intent,
}

impl KeyOverrides {
    /// The overrides of a validated `[keys]` section.
    pub fn from_config(keymap: &crate::config::Keymap) -> KeyOverrides {
        let mut out = KeyOverrides::default();
        for (action, spec) in keymap.overrides() {
            out.set(
                action,
                Key {
                    code: spec.code,
                    mods: spec.modifiers,
                },
            );
        }
        out
    }

    /// Moves `action` (a `[keys]` name) to `key`; returns false for an unknown action.
    pub fn set(&mut self, action: &str, key: Key) -> bool {
        let Some(intent) = intent_of(action) else {
            return false;
        };
        let Some(default) = crate::config::Keymap::default().key_for(action) else {
            return false;
        };
        let default = Key {
            code: default.code,
            mods: default.modifiers,
        };
        let key = normalize(&KeyEvent::new(key.code, key.mods));
        self.overrides.retain(|o| o.intent != intent);
        if key != default {
            self.overrides.push(Override {
                intent,
                default,
                key,
            });
        }
        true
    }

    /// Nothing is overridden.
    pub fn is_empty(&self) -> bool {
        self.overrides.is_empty()
    }

    /// The intent of a key in `context` (the global keys first); an overriding key wins
    /// over any other binding of the same key.
    pub fn intent(&self, context: Context, event: &KeyEvent) -> Option<Intent> {
        let pressed = normalize(event);
        let rows: Vec<(Context, &Binding)> = [Context::Global, context]
            .into_iter()
            .flat_map(|c| tables(c).into_iter().map(move |t| (c, t)))
            .flat_map(|(c, t)| t.iter().map(move |b| (c, b)))
            .collect();
        let overriding = rows.iter().find(|(c, b)| {
            self.applying(*c, b)
                .any(|o| o.key == pressed && self.keys(*c, b).contains(&pressed))
        });
        overriding
            .or_else(|| {
                rows.iter()
                    .find(|(c, b)| self.keys(*c, b).contains(&pressed))
            })
            .map(|(_, b)| b.intent)
    }

    /// The rows of the hint line for `context`.
    pub fn hints(&self, context: Context) -> Vec<Shown> {
        tables(context)
            .into_iter()
            .flat_map(|t| t.iter())
            .filter(|b| b.hint)
            .map(|b| self.shown(context, b))
            .collect()
    }

    /// Every row the help overlay shows for `context`, then the global ones.
    pub fn help_rows(&self, context: Context) -> Vec<Shown> {
        let rows: Vec<&Binding> = tables(context).into_iter().flat_map(|t| t.iter()).collect();
        rows.iter()
            .enumerate()
            .filter(|(i, b)| !super::shadowed(&rows[..*i], b))
            .map(|(_, b)| self.shown(context, b))
            .chain(
                tables(Context::Global)
                    .into_iter()
                    .flat_map(|t| t.iter())
                    .map(|b| self.shown(Context::Global, b)),
            )
            .collect()
    }

    /// How `intent`'s key is written in `context` (the first binding of it), for text
    /// that names a key ("u undoes this change").
    pub fn label_of(&self, context: Context, intent: Intent) -> Option<String> {
        tables(context)
            .into_iter()
            .flat_map(|t| t.iter())
            .find(|b| b.intent == intent)
            .map(|b| self.shown(context, b).label)
    }

    fn shown(&self, context: Context, binding: &Binding) -> Shown {
        let mut label = Cow::Borrowed(binding.label);
        for o in self.applying(context, binding) {
            label = Cow::Owned(relabel(&label, &key_label(o.default), &key_label(o.key)));
        }
        Shown {
            label: label.into_owned(),
            desc: binding.desc,
            intent: binding.intent,
        }
    }

    /// The keys `binding` answers to in `context`.
    fn keys(&self, context: Context, binding: &Binding) -> Vec<Key> {
        let mut keys = binding.keys.to_vec();
        for o in self.applying(context, binding) {
            for k in &mut keys {
                if *k == o.default {
                    *k = o.key;
                }
            }
        }
        keys
    }

    /// The overrides that change `binding` in `context`.
    fn applying<'a>(
        &'a self,
        context: Context,
        binding: &'a Binding,
    ) -> impl Iterator<Item = &'a Override> + 'a {
        self.overrides.iter().filter(move |o| {
            o.intent == binding.intent
                && binding.keys.contains(&o.default)
                && !(types_text(context) && is_plain_char(o.key))
        })
    }
}

fn intent_of(action: &str) -> Option<Intent> {
    ACTION_INTENTS
        .iter()
        .find(|(name, _)| *name == action)
        .map(|(_, intent)| *intent)
}

fn types_text(context: Context) -> bool {
    matches!(
        context,
        Context::Filter | Context::FormText | Context::ConfirmTyped
    )
}

fn is_plain_char(key: Key) -> bool {
    matches!(key.code, KeyCode::Char(_))
        && !key
            .mods
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
}

/// `label` ("j/↓", "Esc", "/") with the part `from` written as `to`.
fn relabel(label: &str, from: &str, to: &str) -> String {
    if label == from {
        return to.to_string();
    }
    label
        .split('/')
        .map(|part| if part == from { to } else { part })
        .collect::<Vec<_>>()
        .join("/")
}

/// A key as help and hints write it: `j`, `G`, `ctrl-r`, `F5`, `Esc`, `PgDn`, `↓`.
pub fn key_label(key: Key) -> String {
    let mut out = String::new();
    if key.mods.contains(KeyModifiers::CONTROL) {
        out.push_str("ctrl-");
    }
    if key.mods.contains(KeyModifiers::ALT) {
        out.push_str("alt-");
    }
    if key.mods.contains(KeyModifiers::SHIFT) && !matches!(key.code, KeyCode::Char(_)) {
        out.push_str("shift-");
    }
    let name: Cow<str> = match key.code {
        KeyCode::Char(' ') => "Space".into(),
        KeyCode::Char(c) => c.to_string().into(),
        KeyCode::F(n) => format!("F{n}").into(),
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
    };
    out.push_str(&name);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Keymap, ACTIONS};

    fn ev(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn keymap(pairs: &[(&str, &str)]) -> KeyOverrides {
        let keymap =
            Keymap::from_overrides(pairs.iter().enumerate().map(|(i, (a, k))| ((*a, i), *k)))
                .unwrap();
        KeyOverrides::from_config(&keymap)
    }

    #[test]
    fn every_config_action_is_an_intent_bound_to_its_default_key() {
        for (name, default) in ACTIONS {
            let intent = intent_of(name).unwrap_or_else(|| panic!("{name} has no intent"));
            let key = crate::config::KeySpec::parse(default).unwrap();
            let event = KeyEvent::new(key.code, key.modifiers);
            let bound = [Context::Browser, Context::Notices, Context::Help]
                .into_iter()
                .any(|c| super::super::intent(c, &event) == Some(intent));
            assert!(bound, "{name} = {default} is not what the table binds");
            assert_eq!(
                key_label(Key {
                    code: key.code,
                    mods: key.modifiers
                })
                .to_lowercase(),
                default.to_lowercase(),
                "{name}"
            );
        }
        assert_eq!(ACTIONS.len(), ACTION_INTENTS.len());
    }

    #[test]
    fn an_override_moves_the_action_and_frees_the_old_key() {
        let keys = keymap(&[("refresh", "F5"), ("journal", "ctrl-j")]);
        assert_eq!(
            keys.intent(Context::Browser, &ev(KeyCode::F(5))),
            Some(Intent::Refresh)
        );
        assert_eq!(keys.intent(Context::Browser, &ev(KeyCode::Char('r'))), None);
        let ctrl_j = KeyEvent::new(KeyCode::Char('j'), KeyModifiers::CONTROL);
        assert_eq!(
            keys.intent(Context::Browser, &ctrl_j),
            Some(Intent::Journal)
        );
        // Other keys are untouched, and so is `r` where it means something else.
        assert_eq!(
            keys.intent(Context::Browser, &ev(KeyCode::Char('e'))),
            Some(Intent::Edit)
        );
        assert_eq!(
            keys.intent(Context::Journal, &ev(KeyCode::F(5))),
            Some(Intent::Refresh)
        );
    }

    #[test]
    fn help_and_hints_print_the_overriding_key() {
        let keys = keymap(&[("down", "n"), ("notices", "N"), ("undo", "U")]);
        let hints = keys.hints(Context::Browser);
        assert!(hints
            .iter()
            .any(|s| s.label == "U" && s.intent == Intent::Undo));
        let help = keys.help_rows(Context::Browser);
        let down = help.iter().find(|s| s.intent == Intent::Down).unwrap();
        assert_eq!(down.label, "n/↓");
        assert_eq!(
            keys.label_of(Context::Journal, Intent::Undo).as_deref(),
            Some("U")
        );
    }

    #[test]
    fn a_plain_character_still_types_in_text_fields() {
        let keys = keymap(&[("back", "x")]);
        assert_eq!(
            keys.intent(Context::Browser, &ev(KeyCode::Char('x'))),
            Some(Intent::Back)
        );
        assert_eq!(
            keys.intent(Context::FormText, &ev(KeyCode::Char('x'))),
            None
        );
        assert_eq!(
            keys.intent(Context::FormText, &ev(KeyCode::Esc)),
            Some(Intent::Back)
        );
    }

    #[test]
    fn an_overriding_key_wins_over_a_table_key() {
        // Enter edits on the list; bound to the journal, it opens the journal there.
        let keys = keymap(&[("journal", "enter")]);
        assert_eq!(
            keys.intent(Context::Browser, &ev(KeyCode::Enter)),
            Some(Intent::Journal)
        );
        assert_eq!(keys.intent(Context::Browser, &ev(KeyCode::Char('J'))), None);
    }
}

//! The table with the config file's `[keys]` on top. An override moves an action from its
//! default key (the first key the table binds it to, the image list first) to another,
//! wherever the table binds the action to that default key: the old key stops doing it,
//! and help and hints print the new one. Arrows, Home/End and Enter keep working. In a text
//! field a plain character types itself, so an override to one does not apply there.

use super::intent::Intent;
use super::key::Key;
use super::table::{Binding, Context};
use crossterm::event::KeyEvent;

/// One action moved from its default key to another.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Override {
    intent: Intent,
    default: Key,
    key: Key,
}

/// The default table and the overrides of a validated `[keys]` section; the default value
/// overrides nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Keymap {
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

/// A bad `[keys]` line (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyError {
    /// `action` names nothing a key can be moved to; `known` are the names that do.
    UnknownAction {
        line: usize,
        action: String,
        known: Vec<String>,
    },
    /// Anything else: what is wrong, and the fix.
    Invalid {
        line: usize,
        message: String,
        fix: String,
    },
}

/// The names `[keys]` takes, in table order.
pub fn action_names() -> Vec<String> {
    let mut names: Vec<Intent> = Vec::new();
    for binding in Context::ALL.into_iter().flat_map(Context::bindings) {
        if binding.intent.configurable() && !names.contains(&binding.intent) {
            names.push(binding.intent);
        }
    }
    names.iter().map(Intent::to_string).collect()
}

/// The key `intent` has by default: the first key of its first row, the image list first.
pub fn default_key(intent: Intent) -> Option<Key> {
    Context::ALL
        .into_iter()
        .flat_map(Context::bindings)
        .find(|b| b.intent == intent)
        .and_then(|b| b.keys.first().copied())
}

impl Keymap {
    /// Validates `((action, line), key)` pairs from a config file: known actions, keys that
    /// read, none the terminal or tmux eat, and no two actions on one key.
    pub fn from_config<'a>(
        pairs: impl IntoIterator<Item = ((&'a str, usize), &'a str)>,
    ) -> Result<Keymap, KeyError> {
        let mut keymap = Keymap::default();
        let mut lines: Vec<(Intent, usize)> = Vec::new();
        for ((action, line), text) in pairs {
            let intent = Intent::from_name(action).ok_or_else(|| KeyError::UnknownAction {
                line,
                action: action.to_string(),
                known: action_names(),
            })?;
            if !intent.configurable() {
                let keys = Keymap::default().label_in_any(intent);
                return Err(KeyError::Invalid {
                    line,
                    message: format!("[keys] {action} keeps its keys ({keys})"),
                    fix: format!("remove it (actions: {})", action_names().join(", ")),
                });
            }
            let key = Key::parse(text).map_err(|message| KeyError::Invalid {
                line,
                message: format!("[keys] {action}: {message}"),
                fix: "write the key as j, G, ?, ctrl-r, F5, enter, esc, pgdn …".to_string(),
            })?;
            if let Some(why) = key.reserved() {
                return Err(KeyError::Invalid {
                    line,
                    message: format!("[keys] {action} = {text:?}: {why}"),
                    fix: "choose another key".to_string(),
                });
            }
            keymap.set(intent, key);
            lines.push((intent, line));
        }
        keymap.check_clashes(&lines)?;
        Ok(keymap)
    }

    /// Two actions whose keys are now the same: the error names the overriding line.
    fn check_clashes(&self, lines: &[(Intent, usize)]) -> Result<(), KeyError> {
        let line_of = |i: Intent| lines.iter().find(|(l, _)| *l == i).map(|(_, n)| *n);
        let mut seen: Vec<(Key, Intent)> = Vec::new();
        for name in action_names() {
            let intent = Intent::from_name(&name).expect("action names are intents");
            let Some(key) = self.key_for(intent) else {
                continue;
            };
            if let Some((_, other)) = seen.iter().find(|(k, _)| *k == key) {
                let (line, mine, theirs) = match line_of(intent) {
                    Some(line) => (line, intent, *other),
                    None => (line_of(*other).unwrap_or(0), *other, intent),
                };
                return Err(KeyError::Invalid {
                    line,
                    message: format!("[keys] `{key}` is bound to both {mine} and {theirs}"),
                    fix: format!("give {mine} another key, or rebind {theirs} too"),
                });
            }
            seen.push((key, intent));
        }
        Ok(())
    }

    /// Moves `intent` from its default key to `key` (back to the default undoes it).
    pub fn set(&mut self, intent: Intent, key: Key) {
        let Some(default) = default_key(intent) else {
            return;
        };
        let key = Key::new(key.code, key.mods);
        self.overrides.retain(|o| o.intent != intent);
        if key != default {
            self.overrides.push(Override {
                intent,
                default,
                key,
            });
        }
    }

    /// Nothing is overridden.
    pub fn is_empty(&self) -> bool {
        self.overrides.is_empty()
    }

    /// The key `intent` has now: the override, else the default.
    pub fn key_for(&self, intent: Intent) -> Option<Key> {
        match self.overrides.iter().find(|o| o.intent == intent) {
            Some(o) => Some(o.key),
            None => default_key(intent),
        }
    }

    /// The intent of a key in `context` (the global keys first); an overriding key wins
    /// over any other binding of the same key.
    pub fn intent(&self, context: Context, event: &KeyEvent) -> Option<Intent> {
        let pressed = Key::of(event);
        let rows: Vec<(Context, &Binding)> = [Context::Global, context]
            .into_iter()
            .flat_map(|c| c.bindings().map(move |b| (c, b)))
            .collect();
        let answers = |c: Context, b: &Binding| self.keys(c, b).any(|k| k == pressed);
        let overriding = rows
            .iter()
            .find(|(c, b)| self.applying(*c, b).any(|o| o.key == pressed) && answers(*c, b));
        overriding
            .or_else(|| rows.iter().find(|(c, b)| answers(*c, b)))
            .map(|(_, b)| b.intent)
    }

    /// The rows of the hint line for `context`.
    pub fn hints(&self, context: Context) -> Vec<Shown> {
        context
            .bindings()
            .filter(|b| b.hint)
            .map(|b| self.shown(context, b))
            .collect()
    }

    /// Every row the help overlay shows for `context`, then the global ones; a row whose
    /// keys an earlier row already takes is left out (it never fires there).
    pub fn help_rows(&self, context: Context) -> Vec<Shown> {
        let rows: Vec<(Context, &Binding)> = [context, Context::Global]
            .into_iter()
            .flat_map(|c| c.bindings().map(move |b| (c, b)))
            .collect();
        let mut taken: Vec<Key> = Vec::new();
        let mut shown = Vec::new();
        for (c, b) in rows {
            let keys: Vec<Key> = self.keys(c, b).collect();
            if keys.iter().any(|k| !taken.contains(k)) {
                shown.push(self.shown(c, b));
            }
            taken.extend(keys);
        }
        shown
    }

    /// How `intent`'s key is written in `context` (its first row there), for text that
    /// names a key ("u undoes this change").
    pub fn label_of(&self, context: Context, intent: Intent) -> Option<String> {
        context
            .bindings()
            .find(|b| b.intent == intent)
            .map(|b| self.shown(context, b).label)
    }

    /// The label of `intent`'s first row in any context.
    fn label_in_any(&self, intent: Intent) -> String {
        Context::ALL
            .into_iter()
            .find_map(|c| self.label_of(c, intent))
            .unwrap_or_default()
    }

    fn shown(&self, context: Context, binding: &Binding) -> Shown {
        let label = binding
            .keys
            .iter()
            .map(|k| self.moved(context, binding, *k).to_string())
            .collect::<Vec<_>>()
            .join("/");
        Shown {
            label,
            desc: binding.desc,
            intent: binding.intent,
        }
    }

    /// Every key `binding` answers to in `context`, printed or not.
    fn keys<'a>(
        &'a self,
        context: Context,
        binding: &'a Binding,
    ) -> impl Iterator<Item = Key> + 'a {
        binding
            .keys
            .iter()
            .chain(binding.also)
            .map(move |k| self.moved(context, binding, *k))
    }

    /// `key` of `binding`, or the key an override moved it to.
    fn moved(&self, context: Context, binding: &Binding, key: Key) -> Key {
        self.applying(context, binding)
            .find(|o| o.default == key)
            .map_or(key, |o| o.key)
    }

    /// The overrides that change `binding` in `context`.
    fn applying<'a>(
        &'a self,
        context: Context,
        binding: &'a Binding,
    ) -> impl Iterator<Item = &'a Override> + 'a {
        self.overrides.iter().filter(move |o| {
            o.intent == binding.intent
                && (binding.keys.contains(&o.default) || binding.also.contains(&o.default))
                && !(context.types_text() && o.key.is_plain_char())
        })
    }
}

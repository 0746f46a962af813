//! The vocabulary's promises: names that round-trip, a default key wherever an intent is
//! bound, overrides that move the key and its help, and the `[keys]` names and defaults
//! config files already use.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;

/// Every intent. The match below stops compiling when one is added and not listed here.
const ALL: &[Intent] = &[
    Intent::ForceQuit,
    Intent::Suspend,
    Intent::Quit,
    Intent::Back,
    Intent::Help,
    Intent::Up,
    Intent::Down,
    Intent::Top,
    Intent::Bottom,
    Intent::PageUp,
    Intent::PageDown,
    Intent::HalfPageDown,
    Intent::HalfPageUp,
    Intent::Left,
    Intent::Right,
    Intent::Filter,
    Intent::Edit,
    Intent::Status,
    Intent::Refresh,
    Intent::Region,
    Intent::Notices,
    Intent::Profile,
    Intent::Journal,
    Intent::Undo,
    Intent::ImageOnly,
    Intent::Sort,
    Intent::Reverse,
    Intent::Details,
    Intent::Copy,
    Intent::CopyCommand,
    Intent::Command,
    Intent::Mark,
    Intent::MarkAll,
    Intent::ClearMarks,
    Intent::ShowMarks,
    Intent::BulkEdit,
    Intent::Retention,
    Intent::BatchReport,
    Intent::RetryFailed,
    Intent::UndoBatch,
    Intent::NextField,
    Intent::PrevField,
    Intent::Press,
    Intent::Submit,
    Intent::Text(TextOp::Home),
    Intent::Text(TextOp::End),
    Intent::Text(TextOp::WordLeft),
    Intent::Text(TextOp::WordRight),
    Intent::Text(TextOp::DeleteBack),
    Intent::Text(TextOp::DeleteForward),
    Intent::Text(TextOp::DeleteWord),
    Intent::Text(TextOp::DeleteLine),
    Intent::Text(TextOp::DeleteToEnd),
];

#[allow(dead_code)]
fn listed(intent: Intent) {
    use Intent::*;
    match intent {
        ForceQuit | Suspend | Quit | Back | Help | Up | Down | Top | Bottom | PageUp | PageDown
        | HalfPageDown | HalfPageUp | Left | Right | Filter | Edit | Status | Refresh | Region
        | Notices | Profile | Journal | Undo | ImageOnly | Sort | Reverse | Details | Copy
        | CopyCommand | Command | NextField | PrevField | Press | Submit | Mark | MarkAll
        | ClearMarks | ShowMarks | BulkEdit | Retention | BatchReport | RetryFailed | UndoBatch => {
        }
        Text(
            TextOp::Home
            | TextOp::End
            | TextOp::WordLeft
            | TextOp::WordRight
            | TextOp::DeleteBack
            | TextOp::DeleteForward
            | TextOp::DeleteWord
            | TextOp::DeleteLine
            | TextOp::DeleteToEnd,
        ) => {}
    }
}

/// The `[keys]` names and default keys config files were written against.
const CONFIG_NAMES: &[(&str, &str)] = &[
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
    ("reverse", "O"),
    ("details", "d"),
    ("notices", "n"),
    ("profile", "P"),
    ("journal", "J"),
    ("undo", "u"),
    ("help", "?"),
    ("quit", "q"),
];

fn ev(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn keymap(pairs: &[(&str, &str)]) -> Result<Keymap, KeyError> {
    Keymap::from_config(
        pairs
            .iter()
            .enumerate()
            .map(|(i, (a, k))| ((*a, i + 2), *k)),
    )
}

fn line_of(err: &KeyError) -> usize {
    match err {
        KeyError::UnknownAction { line, .. } | KeyError::Invalid { line, .. } => *line,
    }
}

fn invalid(err: KeyError) -> (String, String) {
    match err {
        KeyError::Invalid { message, fix, .. } => (message, fix),
        other => panic!("{other:?}"),
    }
}

#[test]
fn serde_names_round_trip_and_are_unique() {
    let mut names = Vec::new();
    for intent in ALL {
        let name = intent.to_string();
        assert_eq!(Intent::from_name(&name), Some(*intent), "{name}");
        let json = serde_json::to_string(intent).unwrap();
        assert_eq!(json, format!("\"{name}\""));
        assert_eq!(serde_json::from_str::<Intent>(&json).unwrap(), *intent);
        assert!(!names.contains(&name), "{name} twice");
        names.push(name);
    }
    assert_eq!(Intent::PageDown.to_string(), "page_down");
    assert_eq!(Intent::Text(TextOp::DeleteLine).to_string(), "delete_line");
    assert_eq!(Intent::from_name("refrsh"), None);
}

#[test]
fn every_intent_has_a_default_key_in_every_context_it_is_used() {
    for intent in ALL {
        let default = default_key(*intent).unwrap_or_else(|| panic!("{intent} has no key"));
        for context in Context::ALL {
            let rows: Vec<&Binding> = context.bindings().filter(|b| b.intent == *intent).collect();
            if rows.is_empty() {
                continue;
            }
            assert!(
                rows.iter().all(|b| !b.keys.is_empty()),
                "{intent} in {context:?} prints no key"
            );
            // An override replaces the default key: a screen without it would keep the old
            // key there. Only a text field may lack it, where the letter types.
            let typed = context.types_text() && default.is_plain_char();
            let answers = rows
                .iter()
                .any(|b| b.keys.contains(&default) || b.also.contains(&default));
            assert!(
                !intent.configurable() || answers || typed,
                "{intent} in {context:?} does not answer to {default}"
            );
        }
    }
}

#[test]
fn the_config_files_names_and_default_keys_still_hold() {
    for (name, key) in CONFIG_NAMES {
        let intent = Intent::from_name(name).unwrap_or_else(|| panic!("{name}"));
        assert!(intent.configurable(), "{name}");
        assert_eq!(default_key(intent), Key::parse(key).ok(), "{name}");
        let event = KeyEvent::new(default_key(intent).unwrap().code, KeyModifiers::NONE);
        let bound = [Context::Browser, Context::Notices, Context::Help]
            .into_iter()
            .any(|c| Keymap::default().intent(c, &event) == Some(intent));
        assert!(bound, "{name} = {key} is not what the table binds");
    }
    let names = action_names();
    for (name, _) in CONFIG_NAMES {
        assert!(names.iter().any(|n| n == name), "{name}");
    }
}

#[test]
fn an_override_moves_the_key_in_help_and_hints() {
    let keys = keymap(&[("refresh", "F5"), ("down", "n"), ("notices", "N")]).unwrap();
    let hints = keys.hints(Context::Browser);
    let refresh = hints.iter().find(|s| s.intent == Intent::Refresh).unwrap();
    assert_eq!(refresh.label, "F5");
    let help = keys.help_rows(Context::Browser);
    let down = help.iter().find(|s| s.intent == Intent::Down).unwrap();
    assert_eq!(down.label, "n/↓");
    assert!(help.iter().any(|s| s.label == "N" && s.desc == "notices"));
    assert!(!help.iter().any(|s| s.label == "r"));
    // Everywhere the table binds it to its default key.
    assert_eq!(
        keys.label_of(Context::Journal, Intent::Refresh).as_deref(),
        Some("F5")
    );
    let defaults = Keymap::default();
    assert_eq!(
        defaults
            .label_of(Context::Journal, Intent::Refresh)
            .as_deref(),
        Some("r")
    );
}

#[test]
fn an_override_moves_the_action_and_frees_the_old_key() {
    let keys = keymap(&[("refresh", "F5"), ("journal", "ctrl-j")]).unwrap();
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
fn a_plain_character_still_types_in_text_fields() {
    let keys = keymap(&[("back", "x")]).unwrap();
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
    let keys = keymap(&[("journal", "enter")]).unwrap();
    assert_eq!(
        keys.intent(Context::Browser, &ev(KeyCode::Enter)),
        Some(Intent::Journal)
    );
    assert_eq!(keys.intent(Context::Browser, &ev(KeyCode::Char('J'))), None);
}

#[test]
fn shifted_letters_and_control_keys_match() {
    let keys = Keymap::default();
    let shift_r = KeyEvent::new(KeyCode::Char('R'), KeyModifiers::SHIFT);
    assert_eq!(
        keys.intent(Context::Browser, &shift_r),
        Some(Intent::Region)
    );
    let caps_ctrl_c = KeyEvent::new(
        KeyCode::Char('C'),
        KeyModifiers::CONTROL | KeyModifiers::SHIFT,
    );
    assert_eq!(
        keys.intent(Context::FormText, &caps_ctrl_c),
        Some(Intent::ForceQuit)
    );
    let back_tab = KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT);
    assert_eq!(
        keys.intent(Context::FormText, &back_tab),
        Some(Intent::PrevField)
    );
}

#[test]
fn letters_in_text_fields_are_typed_not_bound() {
    let keys = Keymap::default();
    let q = ev(KeyCode::Char('q'));
    assert_eq!(keys.intent(Context::FormText, &q), None);
    assert_eq!(keys.intent(Context::Filter, &q), None);
    assert_eq!(typed_char(&q), Some('q'));
    assert_eq!(keys.intent(Context::Browser, &q), Some(Intent::Quit));
}

#[test]
fn no_core_action_on_multiplexer_prefixes_or_alt() {
    for context in Context::ALL {
        for b in context.bindings() {
            for k in b.keys.iter().chain(b.also) {
                assert!(!k.mods.contains(KeyModifiers::ALT), "{b:?}");
                if b.intent != Intent::ForceQuit && b.intent != Intent::Suspend {
                    assert_eq!(k.reserved(), None, "{b:?} in {context:?}");
                }
            }
        }
    }
}

#[test]
fn every_context_has_a_way_back_and_hints() {
    let keys = Keymap::default();
    for context in Context::ALL.into_iter().filter(|c| *c != Context::Global) {
        assert!(!keys.hints(context).is_empty(), "{context:?}");
        assert_eq!(
            keys.intent(context, &ev(KeyCode::Esc)),
            Some(Intent::Back),
            "{context:?}"
        );
    }
}

#[test]
fn a_key_means_one_thing_on_each_screen() {
    for context in Context::ALL {
        let rows: Vec<&Binding> = context.bindings().collect();
        for (i, b) in rows.iter().enumerate() {
            for k in b.keys.iter().chain(b.also) {
                let first = rows[..i]
                    .iter()
                    .find(|e| e.keys.contains(k) || e.also.contains(k));
                // A later row may repeat an earlier one's key only to be shadowed by it
                // with the same meaning (the list's keys under a change in flight).
                if let Some(first) = first {
                    assert_eq!(first.intent, b.intent, "{k} in {context:?}");
                }
            }
        }
    }
}

#[test]
fn a_clash_names_both_actions_and_the_overriding_line() {
    let err = keymap(&[("undo", "x"), ("refresh", "R")]).unwrap_err();
    assert_eq!(line_of(&err), 3);
    let (message, _) = invalid(err);
    assert!(
        message.contains("refresh") && message.contains("region"),
        "{message}"
    );
    // Swapping two keys is fine.
    keymap(&[("refresh", "R"), ("region", "r")]).unwrap();
}

#[test]
fn keys_the_terminal_eats_are_refused() {
    for key in ["ctrl-s", "ctrl-c", "ctrl-a"] {
        let (_, fix) = invalid(keymap(&[("refresh", key)]).unwrap_err());
        assert_eq!(fix, "choose another key", "{key}");
    }
}

#[test]
fn unknown_unmovable_and_unreadable_lines_say_which() {
    match keymap(&[("refrsh", "x")]).unwrap_err() {
        KeyError::UnknownAction {
            line,
            action,
            known,
        } => {
            assert_eq!((line, action.as_str()), (2, "refrsh"));
            assert!(known.iter().any(|k| k == "refresh"));
            assert!(!known.iter().any(|k| k == "force_quit"));
        }
        other => panic!("{other:?}"),
    }
    let (message, _) = invalid(keymap(&[("submit", "F3")]).unwrap_err());
    assert!(message.contains("ctrl-o/F2"), "{message}");
    let (message, _) = invalid(keymap(&[("refresh", "hyper-x")]).unwrap_err());
    assert!(message.contains("is not a key"), "{message}");
}

#[test]
fn every_default_key_reads_and_none_clash() {
    assert!(keymap(&[]).unwrap().is_empty());
    // An override to the default key overrides nothing.
    assert!(keymap(&[("refresh", "r")]).unwrap().is_empty());
}

#[test]
fn the_readme_names_every_action_keys_takes() {
    let readme = include_str!("../../README.md");
    let start = readme
        .find("`[keys]` moves an action")
        .expect("the [keys] paragraph");
    let paragraph = &readme[start
        ..readme[start..]
            .find("\n\n")
            .map_or(readme.len(), |e| start + e)];
    for name in action_names() {
        assert!(paragraph.contains(&format!("`{name}`")), "{name} missing");
    }
}

//! The one table of keys. It decides what a key does on each screen, and the `?` help
//! overlay and the bottom hint line are printed from it, so they never go stale.
//!
//! No core action sits on ctrl-a, ctrl-b, ctrl-s (tmux and screen prefixes, XOFF) or on an
//! alt-combination. Submitting a form is ctrl-o or F2, or Enter on the [Submit] button:
//! ctrl-enter does not survive most terminals and tmux.

mod overrides;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

pub use overrides::{key_label, KeyOverrides, Shown, ACTION_INTENTS};

/// Which table applies: the screen, or the part of it that has focus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// Everywhere, before any screen's own keys.
    Global,
    Browser,
    /// The image list while a change is in flight: Esc cancels it first.
    BrowserBusy,
    /// Typing into the list filter.
    Filter,
    /// The edit form, with a text field focused.
    FormText,
    /// The edit form, with a picker or a button focused.
    FormChoice,
    StatusPicker,
    Confirm,
    /// The confirm dialog's "type the image ID" box.
    ConfirmTyped,
    Result,
    /// The result panel of a failed change whose form is kept: Enter/Esc go back to it.
    ResultForm,
    Notices,
    RegionPicker,
    /// The journal of changes (`J`).
    Journal,
    /// One journal entry, whole.
    JournalEntry,
    ProfilePicker,
    Help,
}

/// What a key asks for. Each screen interprets the intents its table holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    ForceQuit,
    Suspend,
    Quit,
    Back,
    Help,
    Up,
    Down,
    Top,
    Bottom,
    PageUp,
    PageDown,
    Left,
    Right,
    Filter,
    Open,
    Edit,
    Status,
    Refresh,
    Region,
    Notices,
    /// `P`: switch credential profile.
    Profile,
    /// `J`: the journal of changes.
    Journal,
    /// `u`: undo a journaled change.
    Undo,
    /// Show only the changes of the image selected in the list.
    ImageOnly,
    Sort,
    Details,
    NextField,
    PrevField,
    /// Enter: move on, or press the focused button.
    Press,
    Submit,
    Text(TextOp),
}

/// An edit inside a one-line text input; printable characters are inserted without a
/// table entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextOp {
    Home,
    End,
    WordLeft,
    WordRight,
    DeleteBack,
    DeleteForward,
    DeleteWord,
    DeleteLine,
    DeleteToEnd,
}

/// One key, as the table matches it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

const fn key(code: KeyCode) -> Key {
    Key {
        code,
        mods: KeyModifiers::NONE,
    }
}

const fn ch(c: char) -> Key {
    key(KeyCode::Char(c))
}

const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        mods: KeyModifiers::CONTROL,
    }
}

/// One row of the table.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub keys: &'static [Key],
    /// How the keys are written in help and hints.
    pub label: &'static str,
    pub intent: Intent,
    /// What it does, in a few words.
    pub desc: &'static str,
    /// Shown on the bottom hint line (help shows every row).
    pub hint: bool,
}

const fn bind(
    keys: &'static [Key],
    label: &'static str,
    intent: Intent,
    desc: &'static str,
    hint: bool,
) -> Binding {
    Binding {
        keys,
        label,
        intent,
        desc,
        hint,
    }
}

use Intent::*;
use KeyCode as K;

const GLOBAL: &[Binding] = &[
    bind(&[ctrl('c')], "ctrl-c", ForceQuit, "quit", false),
    bind(
        &[ctrl('z')],
        "ctrl-z",
        Suspend,
        "suspend (fg resumes)",
        false,
    ),
];

const MOVE: &[Binding] = &[
    bind(&[ch('j'), key(K::Down)], "j/↓", Down, "down", false),
    bind(&[ch('k'), key(K::Up)], "k/↑", Up, "up", false),
    bind(&[ch('g'), key(K::Home)], "g/Home", Top, "top", false),
    bind(&[ch('G'), key(K::End)], "G/End", Bottom, "bottom", false),
    bind(&[key(K::PageUp)], "PgUp", PageUp, "page up", false),
    bind(&[key(K::PageDown)], "PgDn", PageDown, "page down", false),
];

const BROWSER: &[Binding] = &[
    bind(&[ch('/')], "/", Filter, "filter", true),
    bind(&[ch('e')], "e", Edit, "edit", true),
    bind(&[key(K::Enter)], "Enter", Edit, "edit", false),
    bind(&[ch('s')], "s", Status, "status", true),
    bind(&[ch('r')], "r", Refresh, "refresh", true),
    bind(&[ch('u')], "u", Undo, "undo last", true),
    bind(&[ch('J')], "J", Journal, "journal", true),
    bind(&[ch('R')], "R", Region, "region", false),
    bind(&[ch('P')], "P", Profile, "profile", false),
    bind(&[ch('o')], "o", Sort, "sort", false),
    bind(&[ch('d')], "d", Details, "details", false),
    bind(&[ch('n')], "n", Notices, "notices", false),
    bind(&[ch('?')], "?", Help, "help", true),
    bind(
        &[key(K::Esc)],
        "Esc",
        Back,
        "clear filter / close details",
        false,
    ),
    bind(&[ch('q')], "q", Quit, "quit", true),
];

/// Over the list's own keys while a change is in flight: Esc cancels it (before it
/// clears a filter), and where the results go stays in view.
const BROWSER_BUSY: &[Binding] = &[
    bind(&[key(K::Esc)], "Esc", Back, "cancel the change", true),
    bind(&[ch('n')], "n", Notices, "notices", true),
];

const TEXT: &[Binding] = &[
    bind(&[key(K::Left)], "←", Left, "cursor left", false),
    bind(&[key(K::Right)], "→", Right, "cursor right", false),
    bind(
        &[key(K::Home)],
        "Home",
        Text(TextOp::Home),
        "start of field",
        false,
    ),
    bind(
        &[key(K::End), ctrl('e')],
        "End",
        Text(TextOp::End),
        "end of field",
        false,
    ),
    bind(
        &[Key {
            code: K::Left,
            mods: KeyModifiers::CONTROL,
        }],
        "ctrl-←",
        Text(TextOp::WordLeft),
        "word left",
        false,
    ),
    bind(
        &[Key {
            code: K::Right,
            mods: KeyModifiers::CONTROL,
        }],
        "ctrl-→",
        Text(TextOp::WordRight),
        "word right",
        false,
    ),
    bind(
        &[key(K::Backspace), ctrl('h')],
        "Backspace",
        Text(TextOp::DeleteBack),
        "delete left",
        false,
    ),
    bind(
        &[key(K::Delete)],
        "Del",
        Text(TextOp::DeleteForward),
        "delete right",
        false,
    ),
    bind(
        &[ctrl('w')],
        "ctrl-w",
        Text(TextOp::DeleteWord),
        "delete word",
        false,
    ),
    bind(
        &[ctrl('u')],
        "ctrl-u",
        Text(TextOp::DeleteLine),
        "clear field",
        false,
    ),
    bind(
        &[ctrl('k')],
        "ctrl-k",
        Text(TextOp::DeleteToEnd),
        "delete to end",
        false,
    ),
];

const FILTER: &[Binding] = &[
    bind(&[key(K::Enter)], "Enter", Press, "keep filter", true),
    bind(&[key(K::Esc)], "Esc", Back, "clear filter", true),
    bind(&[key(K::Down)], "↓", Down, "down", true),
    bind(&[key(K::Up)], "↑", Up, "up", true),
];

const FORM_NAV: &[Binding] = &[
    bind(
        &[key(K::Tab), key(K::Down)],
        "Tab/↓",
        NextField,
        "next field",
        true,
    ),
    bind(
        &[
            key(K::BackTab),
            Key {
                code: K::BackTab,
                mods: KeyModifiers::SHIFT,
            },
            key(K::Up),
        ],
        "S-Tab/↑",
        PrevField,
        "previous field",
        false,
    ),
    bind(
        &[key(K::Enter)],
        "Enter",
        Press,
        "next field / press button",
        false,
    ),
    bind(
        &[ctrl('o'), key(K::F(2))],
        "ctrl-o/F2",
        Submit,
        "submit",
        true,
    ),
    bind(&[key(K::Esc)], "Esc", Back, "cancel edit", true),
];

const FORM_CHOICE: &[Binding] = &[
    bind(
        &[key(K::Left), ch('h')],
        "←/h",
        Left,
        "previous choice",
        false,
    ),
    bind(
        &[key(K::Right), ch('l'), ch(' ')],
        "→/l/Space",
        Right,
        "next choice",
        true,
    ),
    // No `q` here: one stray key must not throw away a form being filled in (ctrl-c
    // still quits).
    bind(&[ch('?')], "?", Help, "help", false),
];

const STATUS_PICKER: &[Binding] = &[
    bind(
        &[
            ch('j'),
            ch('k'),
            key(K::Down),
            key(K::Up),
            key(K::Left),
            key(K::Right),
            key(K::Tab),
        ],
        "j/k/←/→",
        Down,
        "choose",
        true,
    ),
    bind(&[key(K::Enter)], "Enter", Press, "review the change", true),
    bind(&[key(K::Esc)], "Esc", Back, "back", true),
    bind(&[ch('?')], "?", Help, "help", false),
    bind(&[ch('q')], "q", Quit, "quit", false),
];

const CONFIRM: &[Binding] = &[
    bind(
        &[key(K::Tab), key(K::BackTab), key(K::Left), key(K::Right)],
        "Tab/←/→",
        NextField,
        "switch button",
        true,
    ),
    bind(
        &[key(K::Enter)],
        "Enter",
        Press,
        "press the focused button",
        true,
    ),
    bind(&[key(K::Esc)], "Esc", Back, "cancel", true),
    bind(&[ch('?')], "?", Help, "help", false),
];

const CONFIRM_TYPED: &[Binding] = &[
    bind(
        &[key(K::Tab), key(K::BackTab)],
        "Tab",
        NextField,
        "switch button",
        true,
    ),
    bind(
        &[key(K::Enter)],
        "Enter",
        Press,
        "press the focused button",
        true,
    ),
    bind(&[key(K::Esc)], "Esc", Back, "cancel", true),
];

const RESULT: &[Binding] = &[
    bind(
        &[key(K::Enter), key(K::Esc)],
        "Enter/Esc",
        Back,
        "close",
        true,
    ),
    bind(&[ch('e')], "e", Edit, "edit this image again", true),
    bind(&[ch('n')], "n", Notices, "notices", true),
    bind(&[ch('?')], "?", Help, "help", false),
    bind(&[ch('q')], "q", Quit, "quit", false),
];

const RESULT_FORM: &[Binding] = &[
    bind(
        &[key(K::Enter), key(K::Esc)],
        "Enter/Esc",
        Back,
        "back to the form",
        true,
    ),
    bind(&[ch('e')], "e", Edit, "back to the form", false),
    bind(&[ch('n')], "n", Notices, "notices", true),
    bind(&[ch('?')], "?", Help, "help", true),
    bind(&[ch('q')], "q", Quit, "quit", false),
];

const NOTICES: &[Binding] = &[
    bind(&[key(K::Esc)], "Esc", Back, "back", true),
    bind(&[ch('n')], "n", Notices, "back", false),
    bind(&[ch('?')], "?", Help, "help", true),
    bind(&[ch('q')], "q", Quit, "quit", true),
];

const JOURNAL: &[Binding] = &[
    bind(&[key(K::Enter)], "Enter", Press, "open", true),
    bind(&[ch('u')], "u", Undo, "undo it", true),
    bind(&[ch('i')], "i", ImageOnly, "only the list's image", true),
    bind(&[ch('r')], "r", Refresh, "read the journal again", false),
    bind(&[key(K::Esc)], "Esc", Back, "back", true),
    bind(&[ch('J')], "J", Journal, "back", false),
    bind(&[ch('?')], "?", Help, "help", true),
    bind(&[ch('q')], "q", Quit, "quit", false),
];

const JOURNAL_ENTRY: &[Binding] = &[
    bind(
        &[key(K::Esc), key(K::Enter)],
        "Esc/Enter",
        Back,
        "back to the journal",
        true,
    ),
    bind(&[ch('u')], "u", Undo, "undo it", true),
    bind(&[ch('j'), key(K::Down)], "j/↓", Down, "scroll down", true),
    bind(&[ch('k'), key(K::Up)], "k/↑", Up, "scroll up", true),
    bind(&[ch('?')], "?", Help, "help", false),
    bind(&[ch('q')], "q", Quit, "quit", false),
];

const PROFILE_PICKER: &[Binding] = &[
    bind(
        &[key(K::Enter)],
        "Enter",
        Press,
        "switch to this profile",
        true,
    ),
    bind(&[key(K::Esc)], "Esc", Back, "back", true),
    bind(&[ch('P')], "P", Profile, "back", false),
    bind(&[ch('?')], "?", Help, "help", false),
    bind(&[ch('q')], "q", Quit, "quit", false),
];

const REGION_PICKER: &[Binding] = &[
    bind(
        &[key(K::Enter)],
        "Enter",
        Press,
        "switch to this region",
        true,
    ),
    bind(&[key(K::Esc)], "Esc", Back, "back", true),
    bind(&[ch('?')], "?", Help, "help", false),
    bind(&[ch('q')], "q", Quit, "quit", false),
];

const HELP: &[Binding] = &[
    bind(&[key(K::Esc), ch('q')], "Esc/q", Back, "close help", true),
    bind(&[ch('?')], "?", Help, "close help", false),
    bind(&[ch('j'), key(K::Down)], "j/↓", Down, "scroll down", true),
    bind(&[ch('k'), key(K::Up)], "k/↑", Up, "scroll up", true),
];

/// The tables of a context, in lookup order (the first match wins).
pub fn tables(context: Context) -> Vec<&'static [Binding]> {
    match context {
        Context::Global => vec![GLOBAL],
        Context::Browser => vec![MOVE, BROWSER],
        Context::BrowserBusy => vec![BROWSER_BUSY, MOVE, BROWSER],
        Context::Filter => vec![FILTER, TEXT],
        Context::FormText => vec![FORM_NAV, TEXT],
        Context::FormChoice => vec![FORM_NAV, FORM_CHOICE],
        Context::StatusPicker => vec![STATUS_PICKER],
        Context::Confirm => vec![CONFIRM],
        Context::ConfirmTyped => vec![CONFIRM_TYPED, TEXT],
        Context::Result => vec![RESULT],
        Context::ResultForm => vec![RESULT_FORM],
        Context::Notices => vec![MOVE, NOTICES],
        Context::RegionPicker => vec![MOVE, REGION_PICKER],
        Context::Journal => vec![MOVE, JOURNAL],
        Context::JournalEntry => vec![JOURNAL_ENTRY],
        Context::ProfilePicker => vec![MOVE, PROFILE_PICKER],
        Context::Help => vec![HELP],
    }
}

/// The binding a key has in `context` (the global keys first).
pub fn lookup(context: Context, event: &KeyEvent) -> Option<&'static Binding> {
    let pressed = normalize(event);
    [Context::Global, context]
        .into_iter()
        .flat_map(tables)
        .flat_map(|t| t.iter())
        .find(|b| b.keys.contains(&pressed))
}

/// The intent of a key in `context`, if it has one.
pub fn intent(context: Context, event: &KeyEvent) -> Option<Intent> {
    lookup(context, event).map(|b| b.intent)
}

/// The rows of the hint line for `context`.
pub fn hints(context: Context) -> Vec<&'static Binding> {
    tables(context)
        .into_iter()
        .flat_map(|t| t.iter())
        .filter(|b| b.hint)
        .collect()
}

/// Every row the help overlay shows for `context`, then the global ones; a row whose
/// keys an earlier row already takes is left out (it never fires here).
pub fn help_rows(context: Context) -> Vec<&'static Binding> {
    let rows: Vec<&'static Binding> = tables(context)
        .into_iter()
        .chain(tables(Context::Global))
        .flat_map(|t| t.iter())
        .collect();
    rows.iter()
        .enumerate()
        .filter(|(i, b)| !shadowed(&rows[..*i], b))
        .map(|(_, b)| *b)
        .collect()
}

/// Every key of `binding` is taken by one of `earlier`.
pub(crate) fn shadowed(earlier: &[&Binding], binding: &Binding) -> bool {
    binding
        .keys
        .iter()
        .all(|k| earlier.iter().any(|e| e.keys.contains(k)))
}

/// A short title for a context, for the help overlay.
pub fn title(context: Context) -> &'static str {
    match context {
        Context::Global => "Everywhere",
        Context::Browser => "Image list",
        Context::BrowserBusy => "Image list (a change in flight)",
        Context::Filter => "Filter",
        Context::FormText => "Edit form (text field)",
        Context::FormChoice => "Edit form",
        Context::StatusPicker => "Status picker",
        Context::Confirm => "Confirm",
        Context::ConfirmTyped => "Confirm (type the image ID)",
        Context::Result => "Result",
        Context::ResultForm => "Result (the form is kept)",
        Context::Notices => "Notices",
        Context::RegionPicker => "Regions",
        Context::Journal => "Journal",
        Context::JournalEntry => "Journal entry",
        Context::ProfilePicker => "Profiles",
        Context::Help => "Help",
    }
}

/// Shift is part of the character for letters and symbols (`R`, `?`), so it is dropped
/// there; control-letters are matched in lower case whatever caps-lock says.
fn normalize(event: &KeyEvent) -> Key {
    let mut mods =
        event.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
    let mut code = event.code;
    if let KeyCode::Char(c) = code {
        mods.remove(KeyModifiers::SHIFT);
        if mods.contains(KeyModifiers::CONTROL) {
            code = KeyCode::Char(c.to_ascii_lowercase());
        }
    }
    if code == KeyCode::BackTab {
        mods.remove(KeyModifiers::SHIFT);
    }
    Key { code, mods }
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

    const ALL: [Context; 16] = [
        Context::ResultForm,
        Context::Browser,
        Context::BrowserBusy,
        Context::Filter,
        Context::FormText,
        Context::FormChoice,
        Context::StatusPicker,
        Context::Confirm,
        Context::ConfirmTyped,
        Context::Result,
        Context::Notices,
        Context::RegionPicker,
        Context::Journal,
        Context::JournalEntry,
        Context::ProfilePicker,
        Context::Help,
    ];

    fn ev(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn shifted_letters_and_control_keys_match() {
        let shift_r = ev(KeyCode::Char('R'), KeyModifiers::SHIFT);
        assert_eq!(intent(Context::Browser, &shift_r), Some(Intent::Region));
        let caps_ctrl_c = ev(
            KeyCode::Char('C'),
            KeyModifiers::CONTROL | KeyModifiers::SHIFT,
        );
        assert_eq!(
            intent(Context::FormText, &caps_ctrl_c),
            Some(Intent::ForceQuit)
        );
        let back_tab = ev(KeyCode::BackTab, KeyModifiers::SHIFT);
        assert_eq!(
            intent(Context::FormText, &back_tab),
            Some(Intent::PrevField)
        );
    }

    #[test]
    fn letters_in_text_fields_are_typed_not_bound() {
        let q = ev(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(intent(Context::FormText, &q), None);
        assert_eq!(intent(Context::Filter, &q), None);
        assert_eq!(typed_char(&q), Some('q'));
        assert_eq!(intent(Context::Browser, &q), Some(Intent::Quit));
    }

    #[test]
    fn no_core_action_on_multiplexer_prefixes_or_alt() {
        for context in ALL {
            for b in help_rows(context) {
                for k in b.keys {
                    assert!(!k.mods.contains(KeyModifiers::ALT), "{b:?}");
                    if k.mods.contains(KeyModifiers::CONTROL) {
                        assert!(
                            !matches!(k.code, KeyCode::Char('a' | 'b' | 's')),
                            "{b:?} in {context:?}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn every_context_has_a_way_back_and_hints() {
        for context in ALL {
            assert!(!hints(context).is_empty(), "{context:?}");
            let esc = ev(KeyCode::Esc, KeyModifiers::NONE);
            assert!(
                matches!(intent(context, &esc), Some(Intent::Back)),
                "{context:?}"
            );
        }
    }
}

//! The default table: for each screen (a [`Context`]), which keys mean which [`Intent`],
//! what they do in a few words, and whether the bottom hint line names them. Adding a key
//! is one row here; its help line, hint, `[keys]` name and override all follow from it.
//!
//! No core action sits on ctrl-a, ctrl-b, ctrl-s (tmux and screen prefixes, XOFF) or on an
//! alt-combination. Submitting a form is ctrl-o or F2, or Enter on the [Submit] button:
//! ctrl-enter does not survive most terminals and tmux.

use crossterm::event::KeyCode as K;

use super::binding::bind;
pub use super::binding::Binding;
use super::bulk_table::{
    BATCH_REPORT, BROWSER_BATCH, BROWSER_MARKS, BULK_EDIT, BULK_PLAN, BULK_PLAN_TYPED, MARKED,
};
use super::intent::{Intent::*, TextOp};
use super::key::{ch, ctrl, ctrl_key, key};

/// Which table applies: the screen, or the part of it that has focus.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Context {
    /// Everywhere, before any screen's own keys.
    Global,
    Browser,
    /// The image list while a change is in flight: Esc cancels it first.
    BrowserBusy,
    /// Typing into the list filter.
    Filter,
    /// Typing a `:` command.
    CommandLine,
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
    /// The image list while a batch runs: Esc stops it first.
    BrowserBatch,
    /// The marked images (`v`).
    Marked,
    /// The bulk edit of the marked images (or a family's retention).
    BulkEdit,
    /// The plan of a change to many images.
    BulkPlan,
    /// That plan, with a word to type before Apply.
    BulkPlanTyped,
    /// A batch's progress and report.
    BatchReport,
    Help,
}

impl Context {
    /// Every context; the image list first, so an intent's default key is the one the
    /// list binds it to.
    pub const ALL: [Context; 24] = [
        Context::Browser,
        Context::BrowserBusy,
        Context::BrowserBatch,
        Context::Filter,
        Context::CommandLine,
        Context::FormText,
        Context::FormChoice,
        Context::StatusPicker,
        Context::Confirm,
        Context::ConfirmTyped,
        Context::Result,
        Context::ResultForm,
        Context::Notices,
        Context::RegionPicker,
        Context::Journal,
        Context::JournalEntry,
        Context::ProfilePicker,
        Context::Marked,
        Context::BulkEdit,
        Context::BulkPlan,
        Context::BulkPlanTyped,
        Context::BatchReport,
        Context::Help,
        Context::Global,
    ];

    /// A short title, for the help overlay.
    pub fn title(self) -> &'static str {
        match self {
            Context::Global => "Everywhere",
            Context::Browser => "Image list",
            Context::BrowserBusy => "Image list (a change in flight)",
            Context::Filter => "Filter",
            Context::CommandLine => "Command line",
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
            Context::BrowserBatch => "Image list (a batch running)",
            Context::Marked => "Marked images",
            Context::BulkEdit => "Bulk edit",
            Context::BulkPlan => "Plan",
            Context::BulkPlanTyped => "Plan (type to confirm)",
            Context::BatchReport => "Batch report",
            Context::Help => "Help",
        }
    }

    /// A plain character typed here is text, not a key of the table.
    pub fn types_text(self) -> bool {
        matches!(
            self,
            Context::Filter
                | Context::CommandLine
                | Context::FormText
                | Context::ConfirmTyped
                | Context::BulkEdit
                | Context::BulkPlanTyped
                | Context::RegionPicker
        )
    }

    /// The tables of the context, in lookup order (the first match wins).
    pub fn tables(self) -> &'static [&'static [Binding]] {
        match self {
            Context::Global => &[GLOBAL],
            Context::Browser => &[MOVE, BROWSER, BROWSER_MARKS],
            Context::BrowserBusy => &[BROWSER_BUSY, MOVE, BROWSER, BROWSER_MARKS],
            Context::BrowserBatch => &[BROWSER_BATCH, MOVE, BROWSER, BROWSER_MARKS],
            Context::Filter => &[FILTER, TEXT],
            Context::CommandLine => &[COMMAND_LINE, TEXT],
            Context::FormText => &[FORM_NAV, TEXT],
            Context::FormChoice => &[FORM_NAV, FORM_CHOICE],
            Context::StatusPicker => &[STATUS_PICKER],
            Context::Confirm => &[CONFIRM],
            Context::ConfirmTyped => &[CONFIRM_TYPED, TEXT],
            Context::Result => &[RESULT],
            Context::ResultForm => &[RESULT_FORM],
            Context::Notices => &[MOVE, NOTICES],
            Context::RegionPicker => &[REGION_PICKER, TEXT],
            Context::Journal => &[MOVE, JOURNAL],
            Context::JournalEntry => &[JOURNAL_ENTRY],
            Context::ProfilePicker => &[MOVE, PROFILE_PICKER],
            Context::Marked => &[MOVE, MARKED],
            Context::BulkEdit => &[BULK_EDIT, TEXT],
            Context::BulkPlan => &[BULK_PLAN],
            Context::BulkPlanTyped => &[BULK_PLAN_TYPED, TEXT],
            Context::BatchReport => &[MOVE, BATCH_REPORT],
            Context::Help => &[HELP],
        }
    }

    /// The rows of the context, in lookup order.
    pub fn bindings(self) -> impl Iterator<Item = &'static Binding> {
        self.tables().iter().flat_map(|t| t.iter())
    }
}

const GLOBAL: &[Binding] = &[
    bind(&[ctrl('c')], ForceQuit, "quit", false),
    bind(&[ctrl('z')], Suspend, "suspend (fg resumes)", false),
];

const MOVE: &[Binding] = &[
    bind(&[ch('j'), key(K::Down)], Down, "down", false),
    bind(&[ch('k'), key(K::Up)], Up, "up", false),
    bind(&[ch('g'), key(K::Home)], Top, "top", false),
    bind(&[ch('G'), key(K::End)], Bottom, "bottom", false),
    bind(&[key(K::PageUp)], PageUp, "page up", false),
    bind(&[key(K::PageDown)], PageDown, "page down", false),
    bind(&[ctrl('d')], HalfPageDown, "half a page down", false),
    bind(&[ctrl('u')], HalfPageUp, "half a page up", false),
];

const BROWSER: &[Binding] = &[
    bind(&[ch('/')], Filter, "filter", true),
    bind(&[ch('e')], Edit, "edit", true),
    bind(&[key(K::Enter)], Edit, "edit", false),
    bind(&[ch('s')], Status, "status", true),
    bind(&[ch('r')], Refresh, "refresh", true),
    bind(&[ch('u')], Undo, "undo last", true),
    bind(&[ch('J')], Journal, "journal", true),
    bind(&[ch('R')], Region, "region", false),
    bind(&[ch('P')], Profile, "profile", false),
    bind(&[ch('o')], Sort, "sort", false),
    bind(&[ch('O')], Reverse, "reverse the sort", false),
    bind(&[ch('d')], Details, "details", false),
    bind(&[ch('n')], Notices, "notices", false),
    bind(&[ch('y')], Copy, "copy the image ID", false),
    bind(
        &[ch('Y')],
        CopyCommand,
        "copy the command of a change",
        false,
    ),
    bind(&[ch(':')], Command, "command line", false),
    bind(&[ch('?')], Help, "help", true),
    bind(&[key(K::Esc)], Back, "clear filter / close details", false),
    bind(&[ch('q')], Quit, "quit", true),
];

/// Over the list's own keys while a change is in flight: Esc cancels it (before it
/// clears a filter), and where the results go stays in view.
const BROWSER_BUSY: &[Binding] = &[
    bind(&[key(K::Esc)], Back, "cancel the change", true),
    bind(&[ch('n')], Notices, "notices", true),
];

const TEXT: &[Binding] = &[
    bind(&[key(K::Left)], Left, "cursor left", false),
    bind(&[key(K::Right)], Right, "cursor right", false),
    bind(&[key(K::Home)], Text(TextOp::Home), "start of field", false),
    bind(&[key(K::End)], Text(TextOp::End), "end of field", false).also(&[ctrl('e')]),
    bind(
        &[ctrl_key(K::Left)],
        Text(TextOp::WordLeft),
        "word left",
        false,
    ),
    bind(
        &[ctrl_key(K::Right)],
        Text(TextOp::WordRight),
        "word right",
        false,
    ),
    bind(
        &[key(K::Backspace)],
        Text(TextOp::DeleteBack),
        "delete left",
        false,
    )
    .also(&[ctrl('h')]),
    bind(
        &[key(K::Delete)],
        Text(TextOp::DeleteForward),
        "delete right",
        false,
    ),
    bind(&[ctrl('w')], Text(TextOp::DeleteWord), "delete word", false),
    bind(&[ctrl('u')], Text(TextOp::DeleteLine), "clear field", false),
    bind(
        &[ctrl('k')],
        Text(TextOp::DeleteToEnd),
        "delete to end",
        false,
    ),
];

const FILTER: &[Binding] = &[
    bind(&[key(K::Enter)], Press, "keep filter", true),
    bind(&[key(K::Esc)], Back, "clear filter", true),
    bind(&[key(K::Down)], Down, "down", true),
    bind(&[key(K::Up)], Up, "up", true),
];

const COMMAND_LINE: &[Binding] = &[
    bind(&[key(K::Enter)], Press, "run the command", true),
    bind(&[key(K::Tab)], NextField, "complete", true),
    bind(&[key(K::Up)], Up, "previous command", true),
    bind(&[key(K::Down)], Down, "next command", false),
    bind(&[key(K::Esc)], Back, "close", true),
];

const FORM_NAV: &[Binding] = &[
    bind(&[key(K::Tab), key(K::Down)], NextField, "next field", true),
    bind(
        &[key(K::BackTab), key(K::Up)],
        PrevField,
        "previous field",
        false,
    ),
    bind(&[key(K::Enter)], Press, "next field / press button", false),
    bind(&[ctrl('o'), key(K::F(2))], Submit, "submit", true),
    bind(&[key(K::Esc)], Back, "cancel edit", true),
];

const FORM_CHOICE: &[Binding] = &[
    bind(&[key(K::Left), ch('h')], Left, "previous choice", false),
    bind(
        &[key(K::Right), ch('l'), ch(' ')],
        Right,
        "next choice",
        true,
    ),
    bind(&[ch('Y')], CopyCommand, "copy the command", false),
    // No `q` here: one stray key must not throw away a form being filled in (ctrl-c
    // still quits).
    bind(&[ch('?')], Help, "help", false),
];

const STATUS_PICKER: &[Binding] = &[
    bind(
        &[ch('j'), ch('k'), key(K::Left), key(K::Right)],
        Down,
        "choose",
        true,
    )
    .also(&[key(K::Down), key(K::Up), key(K::Tab)]),
    bind(&[key(K::Enter)], Press, "review the change", true),
    bind(&[key(K::Esc)], Back, "back", true),
    bind(&[ch('y')], Copy, "copy the image ID", false),
    bind(&[ch('Y')], CopyCommand, "copy the command", false),
    bind(&[ch('?')], Help, "help", false),
    bind(&[ch('q')], Quit, "quit", false),
];

const CONFIRM: &[Binding] = &[
    bind(
        &[key(K::Tab), key(K::Left), key(K::Right)],
        NextField,
        "switch button",
        true,
    )
    .also(&[key(K::BackTab)]),
    bind(&[key(K::Enter)], Press, "press the focused button", true),
    bind(&[key(K::Esc)], Back, "cancel", true),
    bind(&[ch('Y')], CopyCommand, "copy the command", false),
    bind(&[ch('y')], Copy, "copy the image ID", false),
    bind(&[ch('?')], Help, "help", false),
];

const CONFIRM_TYPED: &[Binding] = &[
    bind(&[key(K::Tab)], NextField, "switch button", true).also(&[key(K::BackTab)]),
    bind(&[key(K::Enter)], Press, "press the focused button", true),
    bind(&[key(K::Esc)], Back, "cancel", true),
];

const RESULT: &[Binding] = &[
    bind(&[key(K::Enter), key(K::Esc)], Back, "close", true),
    bind(&[ch('e')], Edit, "edit this image again", true),
    bind(&[ch('y')], Copy, "copy the RequestId", true),
    bind(&[ch('n')], Notices, "notices", true),
    bind(&[ch('?')], Help, "help", false),
    bind(&[ch('q')], Quit, "quit", false),
];

const RESULT_FORM: &[Binding] = &[
    bind(
        &[key(K::Enter), key(K::Esc)],
        Back,
        "back to the form",
        true,
    ),
    bind(&[ch('e')], Edit, "back to the form", false),
    bind(&[ch('y')], Copy, "copy the RequestId", true),
    bind(&[ch('n')], Notices, "notices", true),
    bind(&[ch('?')], Help, "help", true),
    bind(&[ch('q')], Quit, "quit", false),
];

const NOTICES: &[Binding] = &[
    bind(&[key(K::Esc)], Back, "back", true),
    bind(&[ch('n')], Notices, "back", false),
    bind(&[ch('y')], Copy, "copy the top RequestId", false),
    bind(&[ch('?')], Help, "help", true),
    bind(&[ch('q')], Quit, "quit", true),
];

const JOURNAL: &[Binding] = &[
    bind(&[key(K::Enter)], Press, "open", true),
    bind(&[ch('u')], Undo, "undo it", true),
    bind(&[ch('i')], ImageOnly, "only the list's image", true),
    bind(&[ch('r')], Refresh, "read the journal again", false),
    bind(&[key(K::Esc)], Back, "back", true),
    bind(&[ch('J')], Journal, "back", false),
    bind(&[ch('?')], Help, "help", true),
    bind(&[ch('q')], Quit, "quit", false),
];

const JOURNAL_ENTRY: &[Binding] = &[
    bind(
        &[key(K::Esc), key(K::Enter)],
        Back,
        "back to the journal",
        true,
    ),
    bind(&[ch('u')], Undo, "undo it", true),
    bind(&[ch('j'), key(K::Down)], Down, "scroll down", true),
    bind(&[ch('k'), key(K::Up)], Up, "scroll up", true),
    bind(&[ch('?')], Help, "help", false),
    bind(&[ch('q')], Quit, "quit", false),
];

const PROFILE_PICKER: &[Binding] = &[
    bind(&[key(K::Enter)], Press, "switch to this profile", true),
    bind(&[key(K::Esc)], Back, "back", true),
    bind(&[ch('P')], Profile, "back", false),
    bind(&[ch('?')], Help, "help", false),
    bind(&[ch('q')], Quit, "quit", false),
];

/// Typing narrows the list (type-ahead), so letters are text here: the arrows move.
const REGION_PICKER: &[Binding] = &[
    bind(&[key(K::Enter)], Press, "switch to this region", true),
    bind(&[key(K::Esc)], Back, "back", true),
    bind(&[key(K::Down)], Down, "down", false),
    bind(&[key(K::Up)], Up, "up", false),
    bind(&[key(K::PageDown)], PageDown, "page down", false),
    bind(&[key(K::PageUp)], PageUp, "page up", false),
    bind(&[ch('?')], Help, "help", false),
];

const HELP: &[Binding] = &[
    bind(&[key(K::Esc), ch('q')], Back, "close help", true),
    bind(&[ch('?')], Help, "close help", false),
    bind(&[ch('j'), key(K::Down)], Down, "scroll down", true),
    bind(&[ch('k'), key(K::Up)], Up, "scroll up", true),
    bind(&[key(K::PageDown)], PageDown, "page down", false),
    bind(&[key(K::PageUp)], PageUp, "page up", false),
    bind(&[ch('g'), key(K::Home)], Top, "top", false),
    bind(&[ch('G'), key(K::End)], Bottom, "bottom", false),
];

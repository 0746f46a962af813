//! The application: `App` (everything the screen shows, as data), `Action` (what
//! happened), `Command` (what to do about it) and the pure `update` between them.
//!
//! Keys are read through one table ([`keymap`]) that also prints the help overlay and the
//! hint line. The worker answers commands with actions; `update` never does I/O, never
//! reads a clock and never draws.

mod action;
mod changes;
mod command;
mod context;
pub mod form;
mod journal_view;
pub mod keymap;
pub mod list;
mod profiles;
mod state;
pub mod text;
mod update;

pub use crate::change::{ImpactView, Landed};
pub use action::{Action, ImagesPage};
pub use changes::{Button, Confirm, Job, Origin, Outcome, ResultPanel, StatusPicker};
pub use command::{Command, JobId};
pub use context::{endpoint_label, AppContext};
pub use journal_view::{JournalView, UndoOrigin, UndoPending, UndoTarget, JOURNAL_ENTRY_LINES};
pub use keymap::KeyOverrides;
pub use profiles::ProfilePicker;
pub use state::{
    detail_rows, list_rows, App, Flash, Help, Incomplete, Level, Loadable, Loading, Notice,
    RegionPicker, Retrying, Screen,
};
pub use update::{init, update};

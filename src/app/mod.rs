//! The application: `App` (everything the screen shows, as data), `Action` (what
//! happened), `Command` (what to do about it) and the pure `update` between them.
//!
//! Keys are read through the one key table ([`crate::keys`]) that also prints the help
//! overlay and the hint line. The worker answers commands with actions; `update` never
//! does I/O, never reads a clock and never draws; how much of each view the screen shows
//! arrives as an action too ([`Viewport`], measured by `ui`).

mod action;
pub mod bulk;
mod bulk_plan;
mod changes;
pub mod cmdline;
mod command;
mod context;
pub mod filter;
pub mod form;
mod journal_view;
pub mod list;
mod profiles;
pub mod region_picker;
mod sort;
mod state;
pub mod text;
mod update;
mod usage;
mod viewport;
mod widths;

pub use crate::change::{ImpactView, Landed};
pub use action::{Action, ImagesPage};
pub use changes::{Button, Confirm, Job, Origin, Outcome, ResultPanel, StatusPicker};
pub use command::{BatchRequest, Command, JobId};
pub use context::{endpoint_label, AppContext};
pub use journal_view::{JournalView, UndoOrigin, UndoPending, UndoTarget};
pub use profiles::ProfilePicker;
pub use region_picker::{RegionChoice, RegionPicker};
pub use state::{App, Flash, Help, Incomplete, Level, Loadable, Loading, Notice, Retrying, Screen};
pub use update::{command_line, init, update, CommandSpec, COMMANDS};
pub use usage::{UsageBook, UsageEntry, USAGE_PAUSE};
pub use viewport::Viewport;

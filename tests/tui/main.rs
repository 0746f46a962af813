//! The TUI without a terminal: key flows through the pure `update`, screens rendered on a
//! `TestBackend` (insta snapshots in `snapshots/`), and the real worker against the
//! simulator.

#[path = "../support/mod.rs"]
mod support;

mod across_regions;
mod browse;
mod bulk;
mod bulk_usage;
mod daily;
pub(crate) mod flow;
mod hostile_text;
mod profile_keys;
mod render;
mod screens;
mod undo;
mod update;
mod usage_flow;

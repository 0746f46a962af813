//! The rows of the screens for many images at once: the marked set (`v`), the bulk edit,
//! its plan, the batch while it runs, and its report. Kept beside `table`, whose
//! `Context::tables` names them.

use crossterm::event::KeyCode as K;

use super::binding::{bind, Binding};
use super::intent::Intent::*;
use super::key::{ch, key};

/// Over the list's own keys while a batch runs: Esc stops it after the calls in flight.
pub(super) const BROWSER_BATCH: &[Binding] = &[
    bind(&[key(K::Esc)], Back, "stop the batch", true),
    bind(&[ch('B')], BatchReport, "progress", true),
];

/// On the list: the marks and what uses them.
pub(super) const BROWSER_MARKS: &[Binding] = &[
    bind(&[ch(' ')], Mark, "mark", false),
    bind(&[ch('*')], MarkAll, "mark all shown", false),
    bind(&[ch('-')], ClearMarks, "clear marks", false),
    bind(&[ch('v')], ShowMarks, "marked", false),
    bind(&[ch('b')], BulkEdit, "bulk edit", false),
    bind(&[ch('F')], Retention, "family: keep newest N", false),
    bind(&[ch('B')], BatchReport, "last batch report", false),
];

/// The marked set (`v`).
pub(super) const MARKED: &[Binding] = &[
    bind(&[ch(' ')], Mark, "unmark", true),
    bind(&[ch('b')], BulkEdit, "bulk edit", true),
    bind(&[ch('-')], ClearMarks, "clear marks", true),
    bind(&[key(K::Esc)], Back, "back", true),
    bind(&[ch('v')], ShowMarks, "back", false),
    bind(&[ch('?')], Help, "help", false),
    bind(&[ch('q')], Quit, "quit", false),
];

/// The bulk edit: what to set, and its value (typed, or chosen for a status).
pub(super) const BULK_EDIT: &[Binding] = &[
    bind(&[key(K::Tab)], NextField, "what to set", true).also(&[key(K::BackTab)]),
    bind(&[key(K::Up), key(K::Down)], Down, "choose status", false),
    bind(&[key(K::Enter)], Press, "review the plan", true),
    bind(&[key(K::Esc)], Back, "cancel", true),
];

/// The plan of a change to many images: Cancel focused, scrolling, the buttons.
pub(super) const BULK_PLAN: &[Binding] = &[
    bind(
        &[key(K::Tab), key(K::Left), key(K::Right)],
        NextField,
        "switch button",
        true,
    )
    .also(&[key(K::BackTab)]),
    bind(&[key(K::Enter)], Press, "press the focused button", true),
    bind(&[ch('j'), key(K::Down)], Down, "scroll down", true),
    bind(&[ch('k'), key(K::Up)], Up, "scroll up", false),
    bind(&[key(K::PageDown)], PageDown, "page down", false),
    bind(&[key(K::PageUp)], PageUp, "page up", false),
    bind(&[key(K::Esc)], Back, "cancel", true),
    bind(&[ch('?')], Help, "help", false),
];

/// The plan when a word must be typed first: letters go to the box.
pub(super) const BULK_PLAN_TYPED: &[Binding] = &[
    bind(&[key(K::Tab)], NextField, "switch button", true).also(&[key(K::BackTab)]),
    bind(&[key(K::Enter)], Press, "press the focused button", true),
    bind(&[key(K::Down)], Down, "scroll down", false),
    bind(&[key(K::Up)], Up, "scroll up", false),
    bind(&[key(K::PageDown)], PageDown, "page down", false),
    bind(&[key(K::PageUp)], PageUp, "page up", false),
    bind(&[key(K::Esc)], Back, "cancel", true),
];

/// A batch's report (and its progress while it runs).
pub(super) const BATCH_REPORT: &[Binding] = &[
    bind(&[ch('f')], RetryFailed, "retry failed", true),
    bind(&[ch('X')], UndoBatch, "undo batch", true),
    bind(&[key(K::Esc)], Back, "back", true),
    bind(&[ch('B')], BatchReport, "back", false),
    bind(&[ch('?')], Help, "help", false),
    bind(&[ch('q')], Quit, "quit", false),
];

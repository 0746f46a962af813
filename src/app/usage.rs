//! Who uses each image, as read while the app runs: one entry per image, with the time it
//! was read, dropped with the list on `r` (and on a region or profile switch).
//!
//! The detail pane asks only once the selection has stayed on an image for
//! [`USAGE_PAUSE`]: a key that moves the selection starts a timer (the worker's, so
//! `update` never reads a clock) and only the timer of the latest selection loads anything.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::change::{ImageUsage, Usage};

/// How long the selection stays on an image before its usage is read.
pub const USAGE_PAUSE: Duration = Duration::from_millis(400);

/// What is known of one image's usage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageEntry {
    pub usage: Usage,
    /// UTC `HH:MM:SS` the answer came back; `None` while it is being read.
    pub read_at: Option<String>,
}

/// Every image's usage read so far, and which selection the pause timer is for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UsageBook {
    entries: BTreeMap<String, UsageEntry>,
    /// The image the selection is on, as last seen.
    pub(super) focus: Option<String>,
    /// The pause timer in force; older timers are stale.
    pub(super) timer: u64,
}

impl UsageBook {
    /// What is known of `image_id`'s usage.
    pub fn entry(&self, image_id: &str) -> Option<&UsageEntry> {
        self.entries.get(image_id)
    }

    /// The usage of `image_id`, `NotChecked` when nothing asked yet.
    pub fn of(&self, image_id: &str) -> Usage {
        self.entries
            .get(image_id)
            .map_or(Usage::NotChecked, |e| e.usage.clone())
    }

    /// Some image's usage is being read.
    pub fn loading(&self) -> bool {
        self.checking() > 0
    }

    /// How many images' usage is being read.
    pub fn checking(&self) -> usize {
        self.entries
            .values()
            .filter(|e| e.usage == Usage::Checking)
            .count()
    }

    pub(super) fn start(&mut self, image_id: &str) {
        self.entries.insert(
            image_id.to_string(),
            UsageEntry {
                usage: Usage::Checking,
                read_at: None,
            },
        );
    }

    pub(super) fn settle(&mut self, image_id: &str, usage: ImageUsage, at: &str) {
        self.entries.insert(
            image_id.to_string(),
            UsageEntry {
                usage: Usage::Known(usage),
                read_at: Some(at.to_string()),
            },
        );
    }

    pub(super) fn forget(&mut self, image_id: &str) {
        self.entries.remove(image_id);
    }

    /// Drops every entry (the list is read again, or another region or profile). The
    /// selected image is read again after the pause once the new list is in.
    pub(super) fn clear(&mut self) {
        self.entries.clear();
    }

    /// The list was (re)loaded: the selection is followed afresh.
    pub(super) fn refocus(&mut self) {
        self.focus = None;
    }
}

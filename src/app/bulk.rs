//! Many images at once, as data: the marks (image IDs, so they survive filtering, sorting
//! and a refresh), the bulk edit being filled in, the plan under review, the batch
//! running, and the last batch's report. The plan itself is always asked of `change`.

use std::collections::BTreeSet;
use std::sync::Arc;

use crate::change::{BatchReport, Operation, Progress};
use crate::ecs::model::{Image, ImageStatus};

use super::changes::Button;
use super::command::JobId;
use super::text::TextInput;

/// How a batch runs: from the config file's `[batch]` (and the defaults).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BulkLimits {
    pub concurrency: usize,
    /// Calls a second; `None` for no limit.
    pub rate: Option<f64>,
}

impl Default for BulkLimits {
    fn default() -> Self {
        BulkLimits {
            concurrency: 4,
            rate: Some(10.0),
        }
    }
}

/// A batch in flight.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchRun {
    pub job: JobId,
    pub label: String,
    pub progress: Progress,
    /// Esc was pressed: no new image is sent.
    pub stopping: bool,
}

/// The marks, the batch running and the last report.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Bulk {
    pub marks: BTreeSet<String>,
    pub limits: BulkLimits,
    pub run: Option<BatchRun>,
    pub report: Option<BatchReport>,
}

/// What a bulk edit sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BulkKind {
    Status,
    Family,
    Description,
    Rename,
    /// A family's retention: keep the newest N Available images.
    KeepNewest,
    /// A family's retention, reversed: the newest Deprecated image becomes Available.
    Restore,
}

impl BulkKind {
    pub fn label(self) -> &'static str {
        match self {
            BulkKind::Status => "status",
            BulkKind::Family => "family",
            BulkKind::Description => "description",
            BulkKind::Rename => "rename",
            BulkKind::KeepNewest => "keep newest",
            BulkKind::Restore => "restore newest Deprecated",
        }
    }

    /// It takes typed text.
    pub fn typed(self) -> bool {
        !matches!(self, BulkKind::Status | BulkKind::Restore)
    }
}

/// What the bulk edit works on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BulkScope {
    /// The marked images, by ID, in plan order.
    Marked(Vec<String>),
    /// One family (from `F` on the list).
    Family(String),
}

/// The bulk edit being filled in.
#[derive(Debug, Clone, PartialEq)]
pub struct BulkForm {
    pub scope: BulkScope,
    /// The one region it works in (a batch goes to one region).
    pub region: String,
    pub kind: BulkKind,
    /// For a status: Deprecated (0) or Available (1).
    pub status: usize,
    pub text: TextInput,
}

/// The statuses a bulk edit offers.
pub const BULK_STATUSES: [ImageStatus; 2] = [ImageStatus::Deprecated, ImageStatus::Available];

impl BulkForm {
    pub fn marked(ids: Vec<String>, region: String) -> BulkForm {
        BulkForm {
            scope: BulkScope::Marked(ids),
            region,
            kind: BulkKind::Status,
            status: 0,
            text: TextInput::default(),
        }
    }

    pub fn family(family: String, region: String) -> BulkForm {
        BulkForm {
            scope: BulkScope::Family(family),
            region,
            kind: BulkKind::KeepNewest,
            status: 0,
            text: TextInput::new("3"),
        }
    }

    /// The kinds this scope offers, in Tab order.
    pub fn kinds(&self) -> &'static [BulkKind] {
        match self.scope {
            BulkScope::Marked(_) => &[
                BulkKind::Status,
                BulkKind::Family,
                BulkKind::Description,
                BulkKind::Rename,
            ],
            BulkScope::Family(_) => &[BulkKind::KeepNewest, BulkKind::Restore],
        }
    }

    /// Moves to the next (or previous) kind; the text typed is kept.
    pub fn cycle(&mut self, forward: bool) {
        let kinds = self.kinds();
        let at = kinds.iter().position(|k| *k == self.kind).unwrap_or(0);
        let n = kinds.len();
        self.kind = kinds[if forward {
            (at + 1) % n
        } else {
            (at + n - 1) % n
        }];
    }
}

/// The plan of a change to many images, under review.
#[derive(Debug, Clone, PartialEq)]
pub struct BulkReview {
    pub label: String,
    /// One operation per image, each as it was read; shared with every plan made of it.
    pub pairs: Vec<(Arc<Image>, Operation)>,
    /// Said above the plan (fields changed since a batch, images gone).
    pub notes: Vec<String>,
    /// Cancel when it opens.
    pub focus: Button,
    /// The family name or the count, when the plan asks for it.
    pub typed: TextInput,
    pub offset: usize,
    /// Esc goes back to the form it came from.
    pub back: Option<Box<BulkForm>>,
    /// Apply was pressed while the plan's checks ran: it goes when they return.
    pub queued: bool,
}

impl BulkReview {
    pub fn new(label: String, pairs: Vec<(Image, Operation)>) -> BulkReview {
        BulkReview {
            label,
            pairs: pairs.into_iter().map(|(i, o)| (Arc::new(i), o)).collect(),
            notes: Vec::new(),
            focus: Button::Cancel,
            typed: TextInput::default(),
            offset: 0,
            back: None,
            queued: false,
        }
    }
}

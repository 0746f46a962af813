//! Work for the outside world: what `update` asks the worker (or the event loop) to do.

use std::fmt;
use std::sync::Arc;

use crate::change::{Change, Operation};
use crate::ecs::model::Image;

/// Names one piece of background work, so its result (or its cancellation) finds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct JobId(pub u64);

impl fmt::Display for JobId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// Work for the worker or the event loop, returned by `update`.
// A handful of commands live for a moment each; boxing the image would only add noise.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Load every custom image of `region`, page by page. Pages come back tagged with
    /// `generation`; a newer load makes older pages stale.
    LoadImages {
        region: String,
        generation: u64,
    },
    /// Load every custom image of each of `regions`, several regions at once; pages and
    /// one `ImagesDone` per region come back tagged with `generation`.
    LoadAllImages {
        regions: Vec<String>,
        generation: u64,
    },
    /// DescribeRegions, for the region picker.
    LoadRegions,
    /// The members of a family and what it resolves to today.
    LoadFamilyFacts {
        region: String,
        family: String,
    },
    /// Who uses `image`: instances, launch templates, scaling groups, shares.
    LoadUsage {
        region: String,
        image: Image,
    },
    /// Who uses each of `images` (a bulk plan's Deprecates, all in `region`): what every
    /// image shares read once, each image's own sources a bounded number at once.
    LoadUsages {
        region: String,
        images: Vec<Image>,
    },
    /// Answer `Action::UsagePause { timer }` after `after`, unless a newer timer replaces
    /// this one first: the selection has then stayed put.
    UsageTimer {
        timer: u64,
        after: std::time::Duration,
    },
    /// Run a change through `exec` (validated, read-only enforced, journaled, re-read).
    ApplyChange {
        job: JobId,
        region: String,
        change: Change,
    },
    /// Read one image again (before an undo: what does it hold now?).
    RereadImage {
        region: String,
        image_id: String,
    },
    /// Stop a change in flight; the worker settles it with one re-read. For a batch: send
    /// no new image, let the ones in flight finish.
    Cancel(JobId),
    /// Run a change to many images as one batch through `exec` (one operation per image,
    /// planned and confirmed by the person), reporting progress as it goes.
    RunBatch(BatchRequest),
    /// The journal entries of `batch` that may be in place, for "undo batch".
    LoadBatchUndo {
        batch: String,
    },
    /// Read the journal of changes (`session.journal`).
    LoadJournal,
    /// List the credential profiles (the aliyun CLI's config and the credentials file).
    LoadProfiles,
    /// Connect with another credential profile, to `region`, and use that connection
    /// from now on.
    SwitchProfile {
        profile: String,
        region: String,
    },
    /// Put `text` on the clipboard (`y`, `Y`): the terminal layer writes it as OSC 52.
    Copy(String),
    Quit,
    /// ctrl-z: the terminal is restored, the process stops, and `fg` redraws.
    Suspend,
}

/// A change to many images, as the person confirmed it.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchRequest {
    pub job: JobId,
    pub region: String,
    pub label: String,
    /// One operation per image, each as it was read (shared with the plan reviewed).
    pub pairs: Vec<(Arc<Image>, Operation)>,
    pub concurrency: usize,
    /// Calls a second; `None` for no limit.
    pub rate: Option<f64>,
}

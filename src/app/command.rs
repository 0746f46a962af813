//! Work for the outside world: what `update` asks the worker (or the event loop) to do.

use std::fmt;

use crate::change::Change;
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Load every custom image of `region`, page by page. Pages come back tagged with
    /// `generation`; a newer load makes older pages stale.
    LoadImages {
        region: String,
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
    /// Stop a change in flight; the worker settles it with one re-read.
    Cancel(JobId),
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
    Quit,
    /// ctrl-z: the terminal is restored, the process stops, and `fg` redraws.
    Suspend,
}

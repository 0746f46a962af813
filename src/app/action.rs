//! Everything that can happen to the app: a key, a paste, a resize, the screen measured, a
//! spinner tick, or a result the worker sends back. Results carry the time they finished
//! (`at`, UTC `HH:MM:SS`), so `update` never reads a clock.

use crossterm::event::KeyEvent;

use crate::change::{
    Applied, ApplyError, BatchReport, ImageUsage, Interrupted, JournalEntry, Progress,
};
use crate::ecs::error::ApiError;
use crate::ecs::model::{Image, Region};
use crate::rules::FamilyFacts;

use super::command::JobId;
use super::context::AppContext;

/// One page of DescribeImages, as it arrived.
#[derive(Debug, Clone)]
pub struct ImagesPage {
    /// The load it belongs to; pages of an older load are dropped.
    pub generation: u64,
    pub region: String,
    pub request_id: String,
    pub page_number: u64,
    /// How many images the whole load will bring.
    pub total: u64,
    pub images: Vec<Image>,
}

/// Something that happened. Results are boxed so a key press stays a small value.
#[derive(Debug, Clone)]
pub enum Action {
    Key(KeyEvent),
    Paste(String),
    /// A left click at a screen cell (only with `--mouse`): on the list it selects the row.
    Click {
        column: u16,
        row: u16,
    },
    /// The terminal's new size. The event loop measures the screen at it and sends
    /// `Viewport`; `update` needs nothing else from it.
    Resize(u16, u16),
    /// How much of each view the screen shows now, as `ui` measured it.
    Viewport(super::viewport::Viewport),
    /// Spinner frame; sent only while `App::busy()`.
    Tick,
    /// A request failed and the client is about to try it again; shown until the next
    /// result, and listed in the notices as the request it was.
    Retrying {
        action: String,
        code: String,
        /// The failed attempt's RequestId, when ECS answered.
        request_id: Option<String>,
        /// 1 for the first retry.
        retry: u32,
        max_retries: u32,
        wait_ms: u64,
        at: String,
    },
    /// A page of the image list arrived.
    ImagesPage(ImagesPage),
    /// A load ended: every page arrived (`Ok(count)`), or it failed.
    ImagesDone {
        generation: u64,
        region: String,
        result: Box<Result<u64, ApiError>>,
        at: String,
    },
    /// DescribeRegions answered.
    Regions {
        result: Box<Result<Vec<Region>, ApiError>>,
        at: String,
    },
    /// What a family resolves to, for the status picker and the confirm dialog.
    FamilyFacts {
        region: String,
        family: String,
        result: Box<Result<FamilyFacts, ApiError>>,
        at: String,
    },
    /// Who uses an image, every source read (those that failed are in `unchecked`).
    Usage {
        region: String,
        image_id: String,
        usage: Box<ImageUsage>,
        at: String,
    },
    /// Who uses each image of a bulk plan (`Command::LoadUsages`), by image ID.
    Usages {
        region: String,
        usages: Vec<(String, ImageUsage)>,
        at: String,
    },
    /// The usage pause timer `timer` ran out.
    UsagePause {
        timer: u64,
    },
    /// ECS accepted a change (and the image was re-read).
    ChangeApplied {
        job: JobId,
        applied: Box<Applied>,
        at: String,
    },
    /// A change was refused (read-only, invalid, or by ECS), or its answer was lost.
    ChangeFailed {
        job: JobId,
        error: Box<ApplyError>,
        at: String,
    },
    /// An image read again; `None` when it no longer exists.
    ImageReread {
        region: String,
        image_id: String,
        result: Box<Result<Option<Image>, ApiError>>,
        at: String,
    },
    /// A change was stopped before ECS answered, and settled with one re-read.
    Cancelled {
        job: JobId,
        interrupted: Box<Interrupted>,
        at: String,
    },
    /// The journal was read: every entry, oldest first, or why it could not be.
    Journal {
        /// The journal file (`None` when there is no state directory).
        path: Option<String>,
        result: Box<Result<Vec<JournalEntry>, String>>,
        /// Lines skipped as damaged, each named by file and line.
        damaged: Vec<String>,
        /// Changes older than the first of `result`, which were not kept (a long journal:
        /// only its newest are read); the first of `result` is number `older + 1`.
        older: usize,
    },
    /// A batch moved on: an image ended, or its pace changed.
    BatchProgress {
        job: JobId,
        progress: Box<Progress>,
    },
    /// A batch ended: every image's outcome (the ones never sent as not attempted).
    BatchDone {
        job: JobId,
        report: Box<BatchReport>,
        at: String,
    },
    /// The journal entries of a batch that may be in place, or why they could not be read.
    BatchUndo {
        batch: String,
        result: Box<Result<Vec<JournalEntry>, String>>,
    },
    /// The credential profiles the files hold, for the picker.
    Profiles {
        names: Vec<String>,
    },
    /// A switch of credential profile ended: the new connection, or why not.
    ProfileSwitched {
        profile: String,
        result: Box<Result<AppContext, String>>,
        at: String,
    },
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_key_press_is_a_small_value() {
        assert!(std::mem::size_of::<super::Action>() <= 128);
    }
}

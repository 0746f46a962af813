//! Everything the screen shows, as plain data. `update` changes it; `ui::draw` reads it.

use std::collections::{BTreeMap, VecDeque};

use super::usage::UsageBook;
use crate::change::{
    self, Change, Facts, Field, ImageChanges, ImpactView, JournalEntry, Operation, Plan,
};
use crate::ecs::error::ApiError;
use crate::ecs::model::{Image, Region};
use crate::rules::FamilyFacts;

use super::changes::{Confirm, Job, Outcome, ResultPanel, StatusPicker};
use super::cmdline::{CommandLine, History};
use super::context::AppContext;
use super::form::{Form, FormFocus};
use super::journal_view::{JournalView, UndoPending};
use super::list::ImageList;
use super::profiles::ProfilePicker;
use super::region_picker::RegionPicker;
use super::viewport::Viewport;
use crate::keys::{Context, Keymap};

/// Something being fetched; `E` says why it could not be.
#[derive(Debug, Clone, PartialEq)]
pub enum Loadable<T, E = ApiError> {
    Loading,
    Ready(T),
    Failed(E),
}

impl<T, E> Loadable<T, E> {
    pub fn ready(&self) -> Option<&T> {
        match self {
            Loadable::Ready(t) => Some(t),
            _ => None,
        }
    }

    pub fn is_loading(&self) -> bool {
        matches!(self, Loadable::Loading)
    }
}

/// The image list being loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loading {
    pub generation: u64,
    /// The region, or "all regions".
    pub region: String,
    /// The regions whose listing has not ended yet.
    pub waiting: Vec<String>,
    /// The regions whose listing failed (or came back incomplete), and why.
    pub failures: Vec<(String, ApiError)>,
    /// Images received so far in this load.
    pub received: u64,
    /// What the first page said the total is (0 until it arrives).
    pub total: u64,
    pub pages: u64,
    pub last_request_id: String,
}

/// A retry the client is waiting to make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Retrying {
    pub action: String,
    pub code: String,
    pub retry: u32,
    pub max_retries: u32,
    pub wait_ms: u64,
}

impl Retrying {
    /// "DescribeImages: throttled (Throttling.User); retrying in 2 s (retry 1 of 3)".
    pub fn text(&self) -> String {
        use crate::ecs::error::{classify, ErrorKind};
        let what = match classify(&self.code, None) {
            ErrorKind::Throttled => "throttled",
            ErrorKind::Server => "server error",
            ErrorKind::Transport => "no answer",
            _ => "failed",
        };
        let wait = self.wait();
        format!(
            "{}: {what} ({}); retrying in {wait} (retry {} of {})",
            self.action, self.code, self.retry, self.max_retries
        )
    }

    /// "2 s", "0.3 s".
    fn wait(&self) -> String {
        if self.wait_ms < 1000 {
            format!("{:.1} s", self.wait_ms as f64 / 1000.0)
        } else {
            format!("{} s", (self.wait_ms + 500) / 1000)
        }
    }

    /// The same in fewer cells, for a narrow screen: "DescribeImages: ServiceUnavailable;
    /// retrying in 0.3 s (retry 2 of 3)".
    pub fn short_text(&self) -> String {
        format!("{}: {}", self.action, self.retry_words())
    }

    /// "ServiceUnavailable; retrying in 0.3 s (retry 2 of 3)": the one wording of a retry.
    pub fn retry_words(&self) -> String {
        format!(
            "{}; retrying in {} (retry {} of {})",
            self.code,
            self.wait(),
            self.retry,
            self.max_retries
        )
    }
}

/// How much of the region a failed load brought.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Incomplete {
    pub received: u64,
    /// What ECS said the whole region holds.
    pub total: u64,
}

/// The screen under any overlay.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Screen {
    #[default]
    Browser,
    Form(Box<Form>),
    StatusPicker(Box<StatusPicker>),
    Confirm(Box<Confirm>),
    Notices {
        offset: usize,
    },
    RegionPicker(RegionPicker),
    /// The journal of changes (`J`).
    Journal(JournalView),
    /// The credential profiles (`P`).
    ProfilePicker(ProfilePicker),
    /// The marked images (`v`).
    Marked {
        offset: usize,
    },
    /// One edit for every marked image, or a family's retention (`b`, `F`).
    BulkEdit(Box<super::bulk::BulkForm>),
    /// The plan of a change to many images, before anything is sent.
    BulkPlan(Box<super::bulk::BulkReview>),
    /// The running batch's progress, or the last batch's report (`B`).
    BatchReport {
        offset: usize,
    },
}

/// One request of the session, for the notices view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub seq: u64,
    /// UTC `HH:MM:SS`, from the result.
    pub at: String,
    /// The API action (`ModifyImageAttribute`, `DescribeImages`, ...).
    pub action: String,
    /// The image (name and ID) or what was asked for.
    pub target: String,
    pub outcome: String,
    pub ok: bool,
    pub request_id: Option<String>,
    /// For a failure: what the code means, in plain words.
    pub meaning: Option<String>,
    /// For a failure: the Recommend link ECS sent.
    pub recommend: Option<String>,
    /// For a failed signature: the server's string to sign, its secrets masked.
    pub string_to_sign: Option<String>,
}

/// How a one-line message reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Warning,
    Error,
}

/// A message on the bottom line until the next key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flash {
    pub text: String,
    pub level: Level,
}

/// The help overlay, for the keys of `context`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Help {
    pub context: Context,
    pub offset: usize,
}

/// Everything the screen shows.
#[derive(Debug, Default)]
pub struct App {
    pub context: AppContext,
    pub list: ImageList,
    pub screen: Screen,
    pub help: Option<Help>,
    /// The current load generation; pages of another are stale.
    pub generation: u64,
    pub loading: Option<Loading>,
    /// The last load failed.
    pub load_error: Option<ApiError>,
    /// The client is waiting to retry a request (until the next result arrives).
    pub retrying: Option<Retrying>,
    /// The list holds only part of the region: a load failed after some pages arrived.
    /// Kept until a load completes.
    pub incomplete: Option<Incomplete>,
    /// Changes in flight.
    pub jobs: Vec<Job>,
    pub(super) next_job: u64,
    /// Family facts by family name, for the region `facts_region`.
    pub facts: BTreeMap<String, Loadable<FamilyFacts>>,
    /// The region the family facts are of: the region of the image last opened (a family
    /// is a family of one region).
    pub facts_region: String,
    /// Who uses each image, as read so far in the current region.
    pub usage: UsageBook,
    /// Forms as typed, by image ID, kept until the change succeeds.
    pub drafts: BTreeMap<String, Form>,
    /// Results waiting to be seen; the first is shown over the list.
    pub results: VecDeque<ResultPanel>,
    pub notices: Vec<Notice>,
    pub regions: Option<Loadable<Vec<Region>>>,
    /// The list spans these regions (the region picker's "all regions"); `None`: only
    /// `context.region`.
    pub all_regions: Option<Vec<String>>,
    /// Image re-reads in flight, by image ID.
    pub rereads: Vec<String>,
    pub flash: Option<Flash>,
    /// The detail pane takes the whole body.
    pub details_full: bool,
    /// How far the opened-out detail pane is scrolled (PgUp/PgDn), in rows.
    pub details_offset: usize,
    pub spinner: usize,
    /// How much of each view the screen shows, as `ui` last measured it.
    pub viewport: Viewport,
    /// The key table with the config file's `[keys]` overrides.
    pub keys: Keymap,
    /// The journal as last read.
    pub journal: Option<Loadable<Vec<JournalEntry>, String>>,
    /// The lines of the journal that were skipped as damaged, said for a person.
    pub journal_damaged: Vec<String>,
    /// Where the journal lives, as the last read said.
    pub journal_path: Option<String>,
    /// Changes older than the first of `journal`: a long journal is read for its newest
    /// changes only, so numbers start after these.
    pub journal_older: usize,
    /// An undo on its way to the confirm dialog.
    pub undo: Option<UndoPending>,
    /// The credential profiles the files hold (the picker adds the current one).
    pub profiles: Option<Loadable<Vec<String>, String>>,
    /// A switch to this profile is under way.
    pub switching: Option<String>,
    /// The `:` command line, while it is open.
    pub command_line: Option<CommandLine>,
    /// The commands run this session (Up and Down on the command line).
    pub history: History,
    /// Esc was pressed on a form with changes; a second Esc discards them.
    pub(super) discard_armed: bool,
    /// Marks, the batch running, the last report.
    pub bulk: super::bulk::Bulk,
    /// `q` was pressed while a change is in flight; a second `q` quits.
    pub(super) quit_armed: bool,
    pub(super) quit: bool,
}

impl App {
    /// The app for `context`; the screen is measured by the event loop
    /// ([`super::Action::Viewport`]).
    pub fn new(context: AppContext) -> App {
        App {
            context,
            ..App::default()
        }
    }

    /// The same app with the config file's key overrides.
    pub fn with_keys(mut self, keys: Keymap) -> App {
        self.keys = keys;
        self
    }

    pub fn should_quit(&self) -> bool {
        self.quit
    }

    /// Something is in flight (the spinner runs only then).
    pub fn busy(&self) -> bool {
        self.loading.is_some()
            || !self.jobs.is_empty()
            || !self.rereads.is_empty()
            || self.regions.as_ref().is_some_and(Loadable::is_loading)
            || self.facts.values().any(Loadable::is_loading)
            || self.usage.loading()
            || self.journal.as_ref().is_some_and(Loadable::is_loading)
            || self.profiles.as_ref().is_some_and(Loadable::is_loading)
            || self.switching.is_some()
            || self.bulk.run.is_some()
    }

    /// The key table that applies now.
    pub fn key_context(&self) -> Context {
        if self.help.is_some() {
            return Context::Help;
        }
        match &self.screen {
            Screen::Browser if self.command_line.is_some() => Context::CommandLine,
            Screen::Browser if !self.results.is_empty() => {
                if self
                    .results
                    .front()
                    .is_some_and(|r| self.returns_to_form(r))
                {
                    Context::ResultForm
                } else {
                    Context::Result
                }
            }
            Screen::Browser if self.list.filtering => Context::Filter,
            Screen::Browser if self.bulk.run.as_ref().is_some_and(|r| !r.stopping) => {
                Context::BrowserBatch
            }
            Screen::Browser if self.jobs.iter().any(|j| !j.cancelling) => Context::BrowserBusy,
            Screen::Browser => Context::Browser,
            Screen::Form(form) if form.text_focused() => Context::FormText,
            Screen::Form(_) => Context::FormChoice,
            Screen::StatusPicker(_) => Context::StatusPicker,
            Screen::Confirm(c) if self.confirm_needs_typing(c) => Context::ConfirmTyped,
            Screen::Confirm(_) => Context::Confirm,
            Screen::Notices { .. } => Context::Notices,
            Screen::RegionPicker(_) => Context::RegionPicker,
            Screen::Journal(view) if view.open.is_some() => Context::JournalEntry,
            Screen::Journal(_) => Context::Journal,
            Screen::ProfilePicker(_) => Context::ProfilePicker,
            Screen::Marked { .. } => Context::Marked,
            Screen::BulkEdit(_) => Context::BulkEdit,
            Screen::BulkPlan(r) if self.bulk_word(r).is_some() => Context::BulkPlanTyped,
            Screen::BulkPlan(_) => Context::BulkPlan,
            Screen::BatchReport { .. } => Context::BatchReport,
        }
    }

    /// The list holds the images of every region.
    pub fn spans_regions(&self) -> bool {
        self.all_regions.is_some()
    }

    /// Whether the list holds `region`'s images.
    pub fn shows_region(&self, region: &str) -> bool {
        match &self.all_regions {
            Some(regions) => regions.iter().any(|r| r == region),
            None => region == self.context.region,
        }
    }

    /// The region a change to `image` goes to: the one it was read from.
    pub fn region_of(&self, image: &Image) -> String {
        if image.region_id.is_empty() {
            self.context.region.clone()
        } else {
            image.region_id.clone()
        }
    }

    /// What is known of `family`'s facts now.
    pub fn facts_of(&self, family: &str) -> Facts<'_> {
        match self.facts.get(family) {
            Some(Loadable::Ready(facts)) => Facts::Known(facts),
            Some(Loadable::Failed(e)) => Facts::Failed(format!("{}: {}", e.code, e.meaning())),
            Some(Loadable::Loading) | None => Facts::Checking,
        }
    }

    /// The plan of `change`, with the family facts and the usage loaded so far.
    pub fn plan(&self, change: &Change) -> Plan {
        change::plan_with_usage(
            change,
            |family| self.facts_of(family),
            |image| self.usage.of(&image.image_id),
        )
    }

    /// What `changes` do to `image`'s family, with the facts loaded so far.
    pub fn impact(&self, image: &Image, changes: &ImageChanges) -> ImpactView {
        let operation = Operation::Modify(changes.clone());
        change::family_impact(image, &operation, |family| self.facts_of(family))
    }

    /// The confirm dialog wants the image ID typed before Apply.
    pub fn confirm_needs_typing(&self, confirm: &Confirm) -> bool {
        self.plan(&confirm.change).needs_typed_confirmation()
    }

    /// Apply may be pressed: the family facts are in, and the ID is typed when asked.
    pub fn confirm_ready(&self, confirm: &Confirm) -> bool {
        let plan = self.plan(&confirm.change);
        plan.settled()
            && (!plan.needs_typed_confirmation()
                || confirm.typed.value().trim() == confirm.image().image_id)
    }

    /// Closing `result` goes back to the form as typed: the change failed and its form
    /// is kept.
    pub fn returns_to_form(&self, result: &ResultPanel) -> bool {
        matches!(result.outcome, Outcome::Failed(_))
            && self.drafts.contains_key(&result.image().image_id)
    }

    /// The change in flight for `image_id`, if any.
    pub fn job_for(&self, image_id: &str) -> Option<&Job> {
        self.jobs
            .iter()
            .find(|j| j.change.targets.iter().any(|t| t.image_id == image_id))
    }

    /// The form the screen shows, if it shows one.
    pub fn form(&self) -> Option<&Form> {
        match &self.screen {
            Screen::Form(f) => Some(f),
            _ => None,
        }
    }

    /// The journal entries as last read (empty until then).
    pub fn journal_entries(&self) -> &[JournalEntry] {
        self.journal
            .as_ref()
            .and_then(Loadable::ready)
            .map_or(&[], Vec::as_slice)
    }

    /// The profiles the picker offers: the current one first.
    pub fn profile_choices(&self) -> Vec<String> {
        let listed = self
            .profiles
            .as_ref()
            .and_then(Loadable::ready)
            .map_or(&[][..], Vec::as_slice);
        super::profiles::choices(&self.context.profile, listed)
    }

    /// The first field the form shows in error, for the hint line.
    pub fn form_focus_field(&self) -> Option<Field> {
        let form = self.form()?;
        match form.focus {
            FormFocus::Field(i) => form.fields.get(i).map(|f| f.field),
            _ => None,
        }
    }
}

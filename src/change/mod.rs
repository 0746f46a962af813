//! The domain of a change, pure: an [`Operation`] on a target set of images ([`Change`]),
//! and from it, in one place each, the [`Plan`] (before, after, diff, family impact,
//! usage and the in-use rule, problems, reversible), the diff lines every screen and the CLI print, the
//! judgement of whether a change landed, its journal entry and its undo.
//!
//! No I/O, no clock, no randomness: the executor (`exec`) runs a plan and passes in the
//! time and the ids; the screens draw what these functions return.

mod bulk;
mod bulk_sum;
#[cfg(test)]
mod bulk_sum_tests;
mod diff;
mod edit;
mod journal;
mod landed;
mod operation;
pub mod pattern;
mod plan;
mod plan_usage;
mod report;
mod result;
mod retention;
mod usage;

pub use crate::rules::{Field, Problem};
pub use bulk::{plan_edit, plan_pairs, BulkEdit, BulkPlan};
pub use bulk_sum::{images, FamilyFate, FamilySum, UsageSum};
pub use diff::{field_changes, inline, lines as diff_lines, shown, DiffLine, FieldChange};
pub use edit::ImageChanges;
pub use journal::{fold, undo_plan, Drift, JournalEntry, Origin, Outcome, UndoPlan};
pub use landed::{judge, settlement, Ending, Landed, Stop};
pub use operation::{Change, Operation};
pub use plan::{family_impact, plan, Facts, ImpactView, Plan, PlanItem};
pub use plan_usage::{deprecates, plan_with_usage, shared_refusal};
pub use report::{words_for, BatchItem, BatchReport, Progress};
pub use result::{lost_words, Applied, ApplyError, ApplyMode, Interrupted, ItemOutcome};
pub use retention::{family_members, prune_targets, restore_target, FamilyRow};
pub use usage::{
    ImageUsage, InUse, InstanceRef, Instances, ScalingUse, Source, TemplateUse, Unchecked, Usage,
    Via,
};

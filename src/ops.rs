//! The operations both the TUI and the CLI perform, implemented once: reading what a family
//! resolves to, and applying a change — the one place where `--read-only` is enforced and
//! where every change that reached ECS is journaled.

use crate::ecs::error::ApiError;
use crate::ecs::model::{Image, ImageChanges};
use crate::rules::{FamilyFacts, Problem};
use crate::session::Session;

/// Send the change, or ask ECS to check it without applying (`DryRun=true`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApplyMode {
    Send,
    ApiDryRun,
}

/// A change ECS accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub request_id: String,
    /// The fields that were sent.
    pub changes: ImageChanges,
    pub before: Image,
    /// The image as re-read after the change (`None` for a dry run or if it vanished).
    pub after: Option<Image>,
    /// The re-read shows every new value.
    pub verified: bool,
    pub dry_run: bool,
}

/// Why a change was not applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApplyError {
    #[error("read-only mode: changes are refused (drop --read-only to make changes)")]
    ReadOnly,
    #[error("no changes: every field already has that value")]
    NoChanges,
    #[error("invalid input: {}", .0.iter().map(|p| format!("{}: {} ({})", p.field.label(), p.message, p.code)).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<Problem>),
    #[error("{0}")]
    Api(ApiError),
}

/// The members of `family` (Available and Deprecated) and what it resolves to today.
pub async fn family_facts(_session: &Session, _family: &str) -> Result<FamilyFacts, ApiError> {
    todo!("lands with the client")
}

/// Validates, enforces read-only, sends only the fields that differ from `before`,
/// re-reads the image, and journals the outcome (`source` is "tui" or "cli").
pub async fn apply_change(
    _session: &Session,
    _before: &Image,
    _changes: &ImageChanges,
    _mode: ApplyMode,
    _source: &str,
) -> Result<Applied, ApplyError> {
    todo!("lands with the client")
}

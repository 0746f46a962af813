//! The operations both the TUI and the CLI perform, implemented once: reading what a family
//! resolves to, and applying a change — the one place where `--read-only` is enforced and
//! where every change that reached ECS is journaled.

use crate::ecs::client::clock;
use crate::ecs::error::ApiError;
use crate::ecs::model::{Image, ImageChanges, ImageQuery, ImageStatus};
use crate::journal::{JournalEntry, Outcome};
use crate::rules::{self, FamilyFacts, Problem};
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
    /// The change happened but could not be written to the journal (shown to the person).
    pub journal_error: Option<String>,
}

/// Why a change was not applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApplyError {
    #[error(
        "read-only: changes are refused (--read-only, or read_only for this profile in the config)"
    )]
    ReadOnly,
    #[error("no changes: every field already has that value")]
    NoChanges,
    #[error("invalid input: {}", .0.iter().map(|p| format!("{}: {} ({})", p.field.label(), p.message, p.code)).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<Problem>),
    #[error("{0}")]
    Api(ApiError),
}

/// The members of `family` (Available and Deprecated) and what it resolves to today.
pub async fn family_facts(session: &Session, family: &str) -> Result<FamilyFacts, ApiError> {
    let query = ImageQuery {
        family: Some(family.to_string()),
        statuses: vec![ImageStatus::Available, ImageStatus::Deprecated],
        ..ImageQuery::default()
    };
    let (members, resolves_to) = tokio::try_join!(
        session.client.describe_all_images(&query),
        session.client.describe_image_from_family(family)
    )?;
    Ok(FamilyFacts {
        family: family.to_string(),
        members,
        resolves_to,
    })
}

/// Validates, enforces read-only, sends only the fields that differ from `before`,
/// re-reads the image, and journals the outcome (`source` is "tui" or "cli").
pub async fn apply_change(
    session: &Session,
    before: &Image,
    changes: &ImageChanges,
    mode: ApplyMode,
    source: &str,
) -> Result<Applied, ApplyError> {
    let changes = changes.only_differences(before);
    if changes.is_empty() {
        return Err(ApplyError::NoChanges);
    }
    let problems = rules::validate(&changes, before);
    if !problems.is_empty() {
        return Err(ApplyError::Invalid(problems));
    }
    let dry_run = mode == ApplyMode::ApiDryRun;
    if session.read_only && !dry_run {
        tracing::warn!(image = %before.image_id, "change refused: read-only");
        return Err(ApplyError::ReadOnly);
    }
    let result = session
        .client
        .modify_image_attribute(&before.image_id, &changes, dry_run)
        .await;
    if dry_run {
        return result
            .map(|outcome| Applied {
                request_id: outcome.request_id,
                changes,
                before: before.clone(),
                after: None,
                verified: false,
                dry_run: true,
                journal_error: None,
            })
            .map_err(ApplyError::Api);
    }
    let outcome = match result {
        Ok(outcome) => outcome,
        Err(err) => {
            // A refusal changed nothing and is not journaled. A failure that may have
            // reached ECS (a timeout, a cut connection, a 5xx the re-read could not settle)
            // is, so the trail has every change that might be in place.
            if err.ambiguous {
                journal(
                    session,
                    source,
                    before,
                    &changes,
                    err.request_id.clone(),
                    Outcome::Failed {
                        code: err.code.clone(),
                        message: format!("may have been applied: {}", err.message),
                    },
                );
            }
            return Err(ApplyError::Api(err));
        }
    };
    // Verify that ECS holds what we sent; a failed re-read does not undo a success.
    let after = session
        .client
        .describe_image(&before.image_id)
        .await
        .ok()
        .flatten();
    let verified = after.as_ref().is_some_and(|a| changes.held_by(a));
    let journal_error = journal(
        session,
        source,
        before,
        &changes,
        Some(outcome.request_id.clone()),
        Outcome::Applied { verified },
    );
    Ok(Applied {
        request_id: outcome.request_id,
        changes,
        before: before.clone(),
        after,
        verified,
        dry_run: false,
        journal_error,
    })
}

/// A change cancelled while in flight may still have reached ECS. Re-reads the image and
/// journals what ECS holds: the change as applied (verified by that read), or as cancelled.
pub async fn record_cancelled(
    session: &Session,
    before: &Image,
    changes: &ImageChanges,
    source: &str,
) {
    let changes = changes.only_differences(before);
    let outcome = match session.client.describe_image(&before.image_id).await {
        Ok(Some(now)) if changes.held_by(&now) => Outcome::Applied { verified: true },
        Ok(_) => Outcome::Failed {
            code: "Cancelled".to_string(),
            message: "cancelled before ECS answered; a re-read right after showed the old values"
                .to_string(),
        },
        Err(e) => Outcome::Failed {
            code: "Cancelled".to_string(),
            message: format!(
                "cancelled before ECS answered; the re-read failed too ({}), so it may have been applied",
                e.code
            ),
        },
    };
    let _ = journal(session, source, before, &changes, None, outcome);
}

/// Appends to the journal. A journal that cannot be written is not fatal — the change
/// already happened — but the person is told, with the reason.
fn journal(
    session: &Session,
    source: &str,
    before: &Image,
    changes: &ImageChanges,
    request_id: Option<String>,
    outcome: Outcome,
) -> Option<String> {
    let journal = session.journal.as_ref()?;
    let entry = JournalEntry {
        time: clock::timestamp(0),
        source: source.to_string(),
        profile: session.profile.clone(),
        region: session.client.region().to_string(),
        endpoint: session.client.endpoint_url().to_string(),
        image_id: before.image_id.clone(),
        image_name: before.image_name.clone(),
        changes: JournalEntry::field_changes(before, changes),
        request_id,
        outcome,
    };
    let error = journal.append(&entry).err()?;
    tracing::error!(path = %journal.path().display(), error = %error, "cannot write the journal");
    Some(format!(
        "could not write the journal {}: {error}",
        journal.path().display()
    ))
}

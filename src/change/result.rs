//! How running a change ended, for each image, as the executor reports it and the screens
//! and the CLI show it.

use crate::ecs::error::ApiError;
use crate::ecs::model::Image;
use crate::rules::Problem;

use super::landed::{Landed, Stop};

/// Send the change, or ask ECS to check it without applying (`DryRun=true`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApplyMode {
    Send,
    ApiDryRun,
}

/// A change ECS accepted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applied {
    pub request_id: String,
    /// The image as re-read after the change (`None` for a dry run, or if it vanished or
    /// the re-read failed).
    pub after: Option<Image>,
    /// The re-read shows every new value.
    pub verified: bool,
    /// The re-read itself failed: its code (so "not verified" can say why).
    pub reread_failed: Option<String>,
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
    #[error("invalid input: {}", .0.iter().map(Problem::to_string).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<Problem>),
    /// ECS refused it, or nothing was sent.
    #[error("{0}")]
    Api(ApiError),
    /// The request went out but its answer was lost; the re-read did not show it in place.
    #[error("{error}; {}", lost_words(.landed))]
    Lost { error: ApiError, landed: Landed },
}

impl ApplyError {
    /// The API error, when ECS (or the way to it) had a say.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            ApplyError::Api(e) | ApplyError::Lost { error: e, .. } => Some(e),
            _ => None,
        }
    }
}

/// What the re-read after a lost answer found, in words.
pub fn lost_words(landed: &Landed) -> String {
    match landed {
        Landed::Yes => "a re-read shows the new values: it was applied".to_string(),
        Landed::No => "a re-read shows the old values: it was not applied".to_string(),
        Landed::Partly => {
            "a re-read shows some of the new values, not all: it may have been applied".to_string()
        }
        Landed::Gone => "the image no longer exists".to_string(),
        Landed::Unknown(code) => {
            format!("the re-read failed too ({code}): it may have been applied")
        }
    }
}

/// A change stopped before ECS answered, settled with one re-read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interrupted {
    pub stop: Stop,
    pub landed: Landed,
    /// What the re-read returned.
    pub now: Result<Option<Image>, ApiError>,
    pub journal_error: Option<String>,
}

impl Interrupted {
    /// One line for stderr when the process ends: what became of the change to `image`
    /// and what the journal says.
    pub fn report(&self, image: &Image) -> String {
        let journaled = match &self.landed {
            Landed::Yes => "journaled as applied",
            Landed::No => "journaled as not applied",
            _ => "journaled as may have been applied",
        };
        let journaled = match &self.journal_error {
            Some(problem) => format!("not journaled: {problem}"),
            None => journaled.to_string(),
        };
        format!(
            "the change to {} ({}) was in flight; {}; {}",
            image.image_name,
            image.image_id,
            lost_words(&self.landed),
            journaled
        )
    }
}

/// How one image of a plan ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemOutcome {
    Applied(Applied),
    Failed(ApplyError),
    Interrupted(Interrupted),
    /// The plan was stopped before this image's turn: nothing was sent.
    NotAttempted,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_interrupted_change_says_what_the_re_read_found_and_what_was_journaled() {
        let image = Image {
            image_id: "m-1".into(),
            image_name: "web".into(),
            ..Image::default()
        };
        let stopped = Interrupted {
            stop: Stop::Signal {
                name: "SIGTERM",
                number: 15,
            },
            landed: Landed::No,
            now: Ok(Some(image.clone())),
            journal_error: None,
        };
        assert_eq!(
            stopped.report(&image),
            "the change to web (m-1) was in flight; a re-read shows the old values: it was \
             not applied; journaled as not applied"
        );
        assert!(stopped.stop.ending() && !Stop::Cancelled.ending());
        assert_eq!(
            stopped.stop.what(),
            "ecsimg was ended by SIGTERM before ECS answered"
        );
    }
}

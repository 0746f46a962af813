//! Did it land? One judgement, from exactly one re-read of the image after the change was
//! sent, and the journal settlement that follows from it and from how the request ended —
//! answered, lost, or stopped (and why it was stopped).

use crate::ecs::error::ApiError;
use crate::ecs::model::Image;

use super::journal::Outcome;
use super::operation::Operation;

/// What the re-read after a change found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Landed {
    /// ECS holds every new value: the change went through.
    Yes,
    /// ECS holds the old values.
    No,
    /// Some new values are in place, some are not.
    Partly,
    /// The image no longer exists.
    Gone,
    /// The re-read failed (its code).
    Unknown(String),
}

/// What the re-read `now` says about `operation` sent for `before`.
pub fn judge(
    before: &Image,
    operation: &Operation,
    now: Result<Option<&Image>, &ApiError>,
) -> Landed {
    let image = match now {
        Ok(Some(image)) => image,
        Ok(None) => return Landed::Gone,
        Err(e) => return Landed::Unknown(e.code.clone()),
    };
    match operation {
        Operation::Modify(changes) => {
            let missing = changes.only_differences(image);
            if missing.is_empty() {
                Landed::Yes
            } else if missing.fields().len() == changes.fields().len()
                && changes.inverse(before).only_differences(image).is_empty()
            {
                Landed::No
            } else {
                Landed::Partly
            }
        }
    }
}

/// Why a change was stopped before ECS answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// Esc on the change in flight.
    Cancelled,
    /// The person quit the TUI anyway (`q q`).
    Quit,
    /// A signal ended the process: its name and number.
    Signal { name: &'static str, number: i32 },
}

impl Stop {
    /// The code the journal records.
    pub fn code(self) -> &'static str {
        match self {
            Stop::Cancelled => "Cancelled",
            Stop::Quit | Stop::Signal { .. } => "Interrupted",
        }
    }

    /// What happened, in words: "ecsimg was ended by SIGTERM before ECS answered".
    pub fn what(self) -> String {
        match self {
            Stop::Cancelled => "cancelled before ECS answered".to_string(),
            Stop::Quit => "ecsimg was quit before ECS answered".to_string(),
            Stop::Signal { name, .. } => format!("ecsimg was ended by {name} before ECS answered"),
        }
    }

    /// The process is ending: the re-read that settles the change must be quick.
    pub fn ending(self) -> bool {
        !matches!(self, Stop::Cancelled)
    }
}

/// How the request itself ended, before the re-read.
#[derive(Debug, Clone, Copy)]
pub enum Ending<'a> {
    /// ECS answered success.
    Accepted,
    /// The answer was lost, cut off or unreadable: ECS may have acted.
    Ambiguous(&'a ApiError),
    /// It was stopped before ECS answered.
    Interrupted(Stop),
}

/// The journal's settlement of a change that ended as `ending`, given what the re-read
/// found.
pub fn settlement(ending: Ending<'_>, landed: &Landed) -> Outcome {
    let (code, what) = match ending {
        Ending::Accepted => {
            return Outcome::Applied {
                verified: *landed == Landed::Yes,
            }
        }
        Ending::Ambiguous(e) => (e.code.clone(), e.message.clone()),
        Ending::Interrupted(stop) => (stop.code().to_string(), stop.what()),
    };
    match landed {
        Landed::Yes => Outcome::Applied { verified: true },
        Landed::No => Outcome::NotApplied {
            code,
            message: format!("{what}; a re-read right after showed the old values"),
        },
        Landed::Partly => Outcome::Uncertain {
            code,
            message: format!("{what}; a re-read shows some of the new values, not all"),
        },
        Landed::Gone => Outcome::Uncertain {
            code,
            message: format!("{what}; the image no longer exists"),
        },
        Landed::Unknown(reread) => Outcome::Uncertain {
            code,
            message: format!(
                "{what}; the re-read failed too ({reread}), so it may have been applied"
            ),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::change::ImageChanges;
    use crate::ecs::model::ImageStatus;

    fn before() -> Image {
        Image {
            image_id: "m-1".into(),
            image_name: "web".into(),
            status: ImageStatus::Available,
            ..Image::default()
        }
    }

    fn rename_and_deprecate() -> Operation {
        Operation::Modify(ImageChanges {
            image_name: Some("web-2".into()),
            status: Some(ImageStatus::Deprecated),
            ..ImageChanges::default()
        })
    }

    #[test]
    fn one_re_read_tells_whether_it_landed() {
        let op = rename_and_deprecate();
        let all = op.after(&before());
        let mut half = before();
        half.image_name = "web-2".into();
        let mut theirs = before();
        theirs.image_name = "someone-else".into();
        let judged = |now: Result<Option<&Image>, &ApiError>| judge(&before(), &op, now);
        assert_eq!(judged(Ok(Some(&all))), Landed::Yes);
        assert_eq!(judged(Ok(Some(&before()))), Landed::No);
        assert_eq!(judged(Ok(Some(&half))), Landed::Partly);
        assert_eq!(
            judged(Ok(Some(&theirs))),
            Landed::Partly,
            "not ours, not the old"
        );
        assert_eq!(judged(Ok(None)), Landed::Gone);
        let e = ApiError::transport("timed out", true);
        assert_eq!(judged(Err(&e)), Landed::Unknown("Transport".into()));
    }

    #[test]
    fn old_values_after_a_lost_answer_are_not_applied_and_only_doubt_is_uncertain() {
        let lost = ApiError::transport("the connection failed", true);
        let ending = Ending::Ambiguous(&lost);
        assert_eq!(
            settlement(ending, &Landed::Yes),
            Outcome::Applied { verified: true }
        );
        assert!(matches!(
            settlement(ending, &Landed::No),
            Outcome::NotApplied { ref code, ref message }
                if code == "Transport" && message.contains("showed the old values")
        ));
        assert!(matches!(
            settlement(ending, &Landed::Unknown("Timeout".into())),
            Outcome::Uncertain { ref message, .. } if message.contains("re-read failed too (Timeout)")
        ));
        assert!(matches!(
            settlement(
                Ending::Interrupted(Stop::Signal {
                    name: "SIGTERM",
                    number: 15
                }),
                &Landed::No
            ),
            Outcome::NotApplied { ref code, ref message }
                if code == "Interrupted" && message.contains("SIGTERM")
        ));
        assert!(matches!(
            settlement(Ending::Interrupted(Stop::Cancelled), &Landed::Partly),
            Outcome::Uncertain { ref code, .. } if code == "Cancelled"
        ));
        assert_eq!(
            settlement(Ending::Accepted, &Landed::Unknown("Timeout".into())),
            Outcome::Applied { verified: false }
        );
    }
}

//! What the journal records of a change, and what undoing it takes — pure; `store` keeps
//! the file.
//!
//! A change is written twice: its *intent* (what is about to be sent, with the values it
//! replaces) before anything leaves the machine, and its *settlement* once it is known how
//! it ended. Both lines carry the same `id`; [`fold`] keeps one entry per change, in the
//! order the intents were written. An intent nobody settled (the process was killed) reads
//! as "may have been applied". Lines written before intents existed have no `id` and
//! stand alone.

use serde::{Deserialize, Serialize};

use crate::ecs::model::Image;
use crate::rules::Field;

use super::diff::FieldChange;
use super::edit::ImageChanges;
use super::operation::Operation;

/// How a change ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "result")]
pub enum Outcome {
    /// Written before sending; nothing has settled it (yet). Left alone, it means the
    /// process ended while the request was out: it may have been applied.
    Sending,
    /// ECS accepted it (and, when `verified`, a re-read showed the new values).
    Applied { verified: bool },
    /// ECS refused it: nothing changed.
    Refused { code: String, message: String },
    /// It may have reached ECS, but a re-read right after shows the old values.
    NotApplied { code: String, message: String },
    /// It may have been applied: no answer, and no re-read could tell.
    Uncertain { code: String, message: String },
    /// Written by earlier versions: refused, or lost on the way (the message says which).
    Failed { code: String, message: String },
}

impl Outcome {
    /// The change may be in place, so undo may put the old values back (after its drift
    /// check).
    pub fn may_have_changed(&self) -> bool {
        matches!(
            self,
            Outcome::Sending | Outcome::Applied { .. } | Outcome::Uncertain { .. }
        )
    }

    /// The API code of a change that did not simply succeed.
    pub fn code(&self) -> Option<&str> {
        match self {
            Outcome::Refused { code, .. }
            | Outcome::NotApplied { code, .. }
            | Outcome::Uncertain { code, .. }
            | Outcome::Failed { code, .. } => Some(code),
            Outcome::Sending | Outcome::Applied { .. } => None,
        }
    }

    /// What happened, in a few words: "applied, verified", "refused: Code", "may have been
    /// applied (never settled)".
    pub fn words(&self) -> String {
        match self {
            Outcome::Sending => "may have been applied (never settled)".to_string(),
            Outcome::Applied { verified: true } => "applied, verified".to_string(),
            Outcome::Applied { verified: false } => "applied (not verified)".to_string(),
            Outcome::Refused { code, .. } => format!("refused: {code}"),
            Outcome::NotApplied { code, .. } => format!("not applied: {code}"),
            Outcome::Uncertain { code, .. } => format!("may have been applied: {code}"),
            Outcome::Failed { code, .. } => format!("failed: {code}"),
        }
    }

    /// The longer explanation, when there is one.
    pub fn message(&self) -> Option<&str> {
        match self {
            Outcome::Refused { message, .. }
            | Outcome::NotApplied { message, .. }
            | Outcome::Uncertain { message, .. }
            | Outcome::Failed { message, .. } => Some(message),
            Outcome::Sending => Some(
                "ecsimg ended before ECS answered and before it could check: a re-read of \
                 the image tells",
            ),
            Outcome::Applied { .. } => None,
        }
    }
}

/// One change, as the journal holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalEntry {
    /// Shared by the intent and the settlement of one change; absent in older lines.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The batch the change was part of (many images at once); absent for a single change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch: Option<String>,
    /// UTC, `yyyy-MM-ddTHH:mm:ssZ`: when it was sent.
    pub time: String,
    /// When it was settled, if it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settled_at: Option<String>,
    /// `tui` or `cli`.
    pub source: String,
    pub profile: String,
    pub region: String,
    pub endpoint: String,
    pub image_id: String,
    pub image_name: String,
    pub changes: Vec<FieldChange>,
    pub request_id: Option<String>,
    pub outcome: Outcome,
}

/// Who makes a change and where, for its journal entry.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Origin {
    pub id: String,
    pub batch: Option<String>,
    pub time: String,
    pub source: String,
    pub profile: String,
    pub region: String,
    pub endpoint: String,
}

impl JournalEntry {
    /// The intent of `operation` on `before`: written before it is sent.
    pub fn intent(origin: Origin, before: &Image, operation: &Operation) -> JournalEntry {
        JournalEntry {
            id: Some(origin.id),
            batch: origin.batch,
            time: origin.time,
            settled_at: None,
            source: origin.source,
            profile: origin.profile,
            region: origin.region,
            endpoint: origin.endpoint,
            image_id: before.image_id.clone(),
            image_name: before.image_name.clone(),
            changes: operation.diff(before),
            request_id: None,
            outcome: Outcome::Sending,
        }
    }

    /// The settlement of this intent: how it ended, at `at`.
    pub fn settled(&self, outcome: Outcome, request_id: Option<String>, at: &str) -> JournalEntry {
        JournalEntry {
            settled_at: Some(at.to_string()),
            request_id: request_id.filter(|r| !r.is_empty()),
            outcome,
            ..self.clone()
        }
    }

    /// The changes that put the *before* values back.
    pub fn undo_changes(&self) -> ImageChanges {
        let mut undo = ImageChanges::default();
        for c in &self.changes {
            undo.set(c.field, Some(c.before.clone()));
        }
        undo
    }

    /// ECS accepted it.
    pub fn succeeded(&self) -> bool {
        matches!(self.outcome, Outcome::Applied { .. })
    }

    /// Undo may put its *before* values back: it may be in place.
    pub fn undoable(&self) -> bool {
        self.outcome.may_have_changed()
    }
}

/// One entry per change, in the order their intents were written: a settlement replaces
/// its intent (keeping the intent's place and time); lines without an `id` stand alone.
pub fn fold(lines: impl IntoIterator<Item = JournalEntry>) -> Vec<JournalEntry> {
    let mut out: Vec<JournalEntry> = Vec::new();
    let mut at: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for line in lines {
        let Some(id) = line.id.clone() else {
            out.push(line);
            continue;
        };
        match at.get(&id) {
            Some(&i) => {
                let time = std::mem::take(&mut out[i].time);
                out[i] = JournalEntry { time, ..line };
            }
            None => {
                at.insert(id, out.len());
                out.push(line);
            }
        }
    }
    out
}

/// A field whose value today is not what the journal entry left behind: someone (or
/// something) changed it since.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drift {
    pub field: Field,
    /// The value the entry set (its *after*).
    pub expected: String,
    /// The value the image has now.
    pub found: String,
}

/// What undoing an entry would do to the image as it is now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UndoPlan {
    /// The entry's *before* values, for the fields that do not already have them.
    pub operation: Operation,
    /// The fields whose current value differs from the entry's *after*.
    pub drifted_fields: Vec<Drift>,
}

/// The change that restores `entry`'s *before* values on `current`, and the fields that
/// changed since the entry.
pub fn undo_plan(entry: &JournalEntry, current: &Image) -> UndoPlan {
    let drifted_fields = entry
        .changes
        .iter()
        .filter_map(|c| {
            let found = c.field.value_of(current);
            (found != c.after).then(|| Drift {
                field: c.field,
                expected: c.after.clone(),
                found,
            })
        })
        .collect();
    UndoPlan {
        operation: Operation::Modify(entry.undo_changes()).for_image(current),
        drifted_fields,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ecs::model::ImageStatus;

    fn change(field: Field, before: &str, after: &str) -> FieldChange {
        FieldChange {
            field,
            before: before.into(),
            after: after.into(),
        }
    }

    fn entry(changes: Vec<FieldChange>) -> JournalEntry {
        JournalEntry {
            id: None,
            batch: None,
            time: "2026-01-01T00:00:00Z".into(),
            settled_at: None,
            source: "cli".into(),
            profile: "default".into(),
            region: "cn-hangzhou".into(),
            endpoint: "https://ecs.cn-hangzhou.aliyuncs.com/".into(),
            image_id: "m-1".into(),
            image_name: "web".into(),
            changes,
            request_id: Some("R-1".into()),
            outcome: Outcome::Applied { verified: true },
        }
    }

    #[test]
    fn undo_restores_before_values_and_reports_no_drift() {
        let e = entry(vec![
            change(Field::ImageName, "web", "web-2"),
            change(Field::Status, "Available", "Deprecated"),
        ]);
        let current = Image {
            image_id: "m-1".into(),
            image_name: "web-2".into(),
            status: ImageStatus::Deprecated,
            ..Image::default()
        };
        let plan = undo_plan(&e, &current);
        assert!(plan.drifted_fields.is_empty());
        let changes = plan.operation.changes().unwrap();
        assert_eq!(changes.image_name.as_deref(), Some("web"));
        assert_eq!(changes.status, Some(ImageStatus::Available));
    }

    #[test]
    fn someone_elses_change_since_is_reported() {
        let e = entry(vec![change(Field::Description, "old", "mine")]);
        let current = Image {
            description: "theirs".into(),
            ..Image::default()
        };
        let plan = undo_plan(&e, &current);
        assert_eq!(
            plan.drifted_fields,
            [Drift {
                field: Field::Description,
                expected: "mine".into(),
                found: "theirs".into()
            }]
        );
        let changes = plan.operation.changes().unwrap();
        assert_eq!(changes.description.as_deref(), Some("old"));
    }

    #[test]
    fn a_field_already_back_is_not_sent() {
        let e = entry(vec![change(Field::Description, "old", "new")]);
        let current = Image {
            description: "old".into(),
            ..Image::default()
        };
        assert!(undo_plan(&e, &current).operation.is_empty());
    }

    #[test]
    fn the_intent_holds_the_before_values_and_its_settlement_replaces_it_in_place() {
        let before = Image {
            image_id: "m-1".into(),
            image_name: "web".into(),
            ..Image::default()
        };
        let op = Operation::Modify(ImageChanges {
            image_name: Some("web-2".into()),
            ..ImageChanges::default()
        });
        let origin = |id: &str, time: &str| Origin {
            id: id.into(),
            time: time.into(),
            source: "tui".into(),
            ..Origin::default()
        };
        let a = JournalEntry::intent(origin("a", "2026-01-01T00:00:00Z"), &before, &op);
        assert_eq!(a.outcome, Outcome::Sending);
        assert_eq!(a.changes, [change(Field::ImageName, "web", "web-2")]);
        assert!(a.undoable(), "an unsettled change may be in place");
        let b = JournalEntry::intent(origin("b", "2026-01-01T00:00:05Z"), &before, &op);
        let old = entry(vec![]);
        let settled = a.settled(
            Outcome::Applied { verified: true },
            Some("R-9".into()),
            "2026-01-01T00:00:09Z",
        );
        let folded = fold([old.clone(), a, b.clone(), settled]);
        assert_eq!(folded.len(), 3);
        assert_eq!(folded[0], old, "an old line stands alone");
        assert_eq!(folded[1].outcome, Outcome::Applied { verified: true });
        assert_eq!(folded[1].request_id.as_deref(), Some("R-9"));
        assert_eq!(
            folded[1].time, "2026-01-01T00:00:00Z",
            "sent at, not settled at"
        );
        assert_eq!(folded[2], b);
    }

    #[test]
    fn what_may_be_in_place_can_be_undone_and_what_is_not_cannot() {
        let with = |outcome| JournalEntry {
            outcome,
            ..entry(vec![])
        };
        let why = || ("X".to_string(), "m".to_string());
        assert!(with(Outcome::Uncertain {
            code: why().0,
            message: why().1
        })
        .undoable());
        assert!(!with(Outcome::NotApplied {
            code: why().0,
            message: why().1
        })
        .undoable());
        assert!(!with(Outcome::Refused {
            code: why().0,
            message: why().1
        })
        .undoable());
        assert_eq!(
            with(Outcome::Sending).outcome.words(),
            "may have been applied (never settled)"
        );
    }

    #[test]
    fn an_entry_written_before_intents_existed_still_reads() {
        let old = r#"{"time":"2026-05-01T10:00:00Z","source":"cli","profile":"demo","region":"cn-hangzhou","endpoint":"http://127.0.0.1:1/","image_id":"m-1","image_name":"web","changes":[{"field":"Description","before":"a1","after":"b1"}],"request_id":"R-1","outcome":{"result":"applied","verified":true}}"#;
        let e: JournalEntry = serde_json::from_str(old).unwrap();
        assert_eq!(e.id, None);
        assert!(e.undoable());
        let json = serde_json::to_string(&e).unwrap();
        assert!(
            !json.contains("\"id\"") && !json.contains("batch"),
            "{json}"
        );
    }
}

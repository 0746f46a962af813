//! The journal: every change that reached ECS, one JSON object a line, appended and synced.
//! It never holds a secret: only who (profile), where, what changed, and the RequestId.

use std::fs::{self, OpenOptions};
use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::ecs::model::{Field, Image, ImageChanges};

/// One field's value before and after a change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: Field,
    pub before: String,
    pub after: String,
}

/// How a change ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "result")]
pub enum Outcome {
    /// ECS accepted it (and, when `verified`, a re-read showed the new values).
    Applied { verified: bool },
    /// ECS refused it, or it may not have arrived.
    Failed { code: String, message: String },
}

/// One line of the journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalEntry {
    /// UTC, `yyyy-MM-ddTHH:mm:ssZ`.
    pub time: String,
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

impl JournalEntry {
    /// The field changes of `changes` applied to `before`.
    pub fn field_changes(before: &Image, changes: &ImageChanges) -> Vec<FieldChange> {
        changes
            .fields()
            .into_iter()
            .map(|field| FieldChange {
                field,
                before: field.value_of(before),
                after: changes.get(field).unwrap_or_default(),
            })
            .collect()
    }

    /// The changes that put the *before* values back (for undo).
    pub fn undo_changes(&self) -> ImageChanges {
        let mut undo = ImageChanges::default();
        for c in &self.changes {
            undo.set(c.field, Some(c.before.clone()));
        }
        undo
    }

    pub fn succeeded(&self) -> bool {
        matches!(self.outcome, Outcome::Applied { .. })
    }
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
    pub changes: ImageChanges,
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
        changes: entry.undo_changes().only_differences(current),
        drifted_fields,
    }
}

/// The journal file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Journal {
    path: PathBuf,
}

impl Journal {
    pub fn at(path: impl Into<PathBuf>) -> Journal {
        Journal { path: path.into() }
    }

    /// `$XDG_STATE_HOME/ecsimg/journal.jsonl`, else `~/.local/state/ecsimg/journal.jsonl`.
    pub fn default_path() -> Option<PathBuf> {
        state_dir().map(|d| d.join("journal.jsonl"))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one entry and syncs it to disk before returning.
    pub fn append(&self, entry: &JournalEntry) -> io::Result<()> {
        if let Some(dir) = self.path.parent() {
            fs::create_dir_all(dir)?;
        }
        let mut line = serde_json::to_string(entry).map_err(io::Error::other)?;
        line.push('\n');
        let mut options = OpenOptions::new();
        options.create(true).append(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(&self.path)?;
        // One write call per line, so concurrent writers never interleave within a line.
        file.write_all(line.as_bytes())?;
        file.sync_all()
    }

    /// Every entry, oldest first. A missing journal is empty; a damaged line is an error
    /// that names the file and the line.
    pub fn entries(&self) -> io::Result<Vec<JournalEntry>> {
        let file = match fs::File::open(&self.path) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        let mut out = Vec::new();
        for (n, line) in io::BufReader::new(file).lines().enumerate() {
            let line = line?;
            if line.trim().is_empty() {
                continue;
            }
            let entry = serde_json::from_str(&line).map_err(|e| {
                io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!(
                        "{}:{}: not a journal entry ({e}); move the file aside to start a new journal",
                        self.path.display(),
                        n + 1
                    ),
                )
            })?;
            out.push(entry);
        }
        Ok(out)
    }
}

/// ecsimg's XDG state directory.
pub fn state_dir() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_STATE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/state")))?;
    Some(base.join("ecsimg"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ecs::model::ImageStatus;

    fn undo_entry(changes: Vec<FieldChange>, outcome: Outcome) -> JournalEntry {
        JournalEntry {
            changes,
            outcome,
            ..entry("m-1")
        }
    }

    fn change(field: Field, before: &str, after: &str) -> FieldChange {
        FieldChange {
            field,
            before: before.into(),
            after: after.into(),
        }
    }

    fn ok() -> Outcome {
        Outcome::Applied { verified: true }
    }

    fn entry(id: &str) -> JournalEntry {
        let before = Image {
            image_id: id.into(),
            image_name: "old-name".into(),
            ..Image::default()
        };
        let changes = ImageChanges {
            image_name: Some("new-name".into()),
            ..ImageChanges::default()
        };
        JournalEntry {
            time: "2026-01-01T00:00:00Z".into(),
            source: "cli".into(),
            profile: "default".into(),
            region: "cn-hangzhou".into(),
            endpoint: "https://ecs.cn-hangzhou.aliyuncs.com/".into(),
            image_id: id.into(),
            image_name: "old-name".into(),
            changes: JournalEntry::field_changes(&before, &changes),
            request_id: Some("R-1".into()),
            outcome: Outcome::Applied { verified: true },
        }
    }

    #[test]
    fn undo_restores_before_values_and_reports_no_drift() {
        let e = undo_entry(
            vec![
                change(Field::ImageName, "web", "web-2"),
                change(Field::Status, "Available", "Deprecated"),
            ],
            ok(),
        );
        let current = Image {
            image_id: "m-1".into(),
            image_name: "web-2".into(),
            status: ImageStatus::Deprecated,
            ..Image::default()
        };
        let plan = undo_plan(&e, &current);
        assert!(plan.drifted_fields.is_empty());
        assert_eq!(plan.changes.image_name.as_deref(), Some("web"));
        assert_eq!(plan.changes.status, Some(ImageStatus::Available));
    }

    #[test]
    fn someone_elses_change_since_is_reported() {
        let e = undo_entry(vec![change(Field::Description, "old", "mine")], ok());
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
        assert_eq!(plan.changes.description.as_deref(), Some("old"));
    }

    #[test]
    fn a_field_already_back_is_not_sent() {
        let e = undo_entry(vec![change(Field::Description, "old", "new")], ok());
        let current = Image {
            description: "old".into(),
            ..Image::default()
        };
        assert!(undo_plan(&e, &current).changes.is_empty());
    }

    #[test]
    fn appends_and_reads_back_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::at(dir.path().join("sub/journal.jsonl"));
        assert!(journal.entries().unwrap().is_empty());
        journal.append(&entry("m-1")).unwrap();
        journal.append(&entry("m-2")).unwrap();
        let all = journal.entries().unwrap();
        assert_eq!(
            all.iter().map(|e| e.image_id.as_str()).collect::<Vec<_>>(),
            ["m-1", "m-2"]
        );
        assert_eq!(
            all[0].undo_changes().image_name.as_deref(),
            Some("old-name")
        );
    }

    #[test]
    fn a_damaged_line_names_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.jsonl");
        let journal = Journal::at(&path);
        journal.append(&entry("m-1")).unwrap();
        std::fs::write(
            &path,
            format!(
                "{}\n{{oops\n",
                std::fs::read_to_string(&path).unwrap().trim()
            ),
        )
        .unwrap();
        let err = journal.entries().unwrap_err().to_string();
        assert!(err.contains("journal.jsonl:2"), "{err}");
    }
}

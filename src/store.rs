//! The journal file: one JSON object a line, appended and synced, `0600` (its directory
//! `0700` when ecsimg creates it, see `owner_only`),
//! under ecsimg's XDG state directory. It never holds a secret: only who (profile), where,
//! what changed, and the RequestId.
//!
//! The file is only ever appended to. Every append starts on a line of its own, so a line
//! cut short (a full disk, a killed process) damages only itself; a reader skips a damaged
//! line, names it by its number, and keeps everything else. What a line means — intents,
//! settlements, entries of older versions — is `change::journal`'s.

pub mod batch;

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use crate::change::JournalEntry;

mod read;

pub use read::{Entries, MAX_LINE_BYTES, MAX_NAMED_DAMAGED};

/// A line of the journal that is not an entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Damaged {
    /// From 1.
    pub line: usize,
    pub reason: String,
}

/// What reading the journal found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Contents {
    /// One per change, oldest first.
    pub entries: Vec<JournalEntry>,
    /// Lines that were skipped (the first [`MAX_NAMED_DAMAGED`]).
    pub damaged: Vec<Damaged>,
    /// How many more lines were skipped.
    pub damaged_more: usize,
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

    /// Appends one line and syncs it to disk before returning.
    pub fn append(&self, entry: &JournalEntry) -> io::Result<()> {
        let mut line = serde_json::to_string(entry).map_err(io::Error::other)?;
        line.push('\n');
        // 0600 whatever the umask, and an older 0644 journal is tightened.
        let mut file = crate::owner_only::open_append(&self.path)?;
        if !ends_a_line(&mut file)? {
            line.insert(0, '\n');
        }
        // One write call per line, so concurrent writers never interleave within a line.
        file.write_all(line.as_bytes())?;
        file.sync_all()
    }

    /// Every change, oldest first, numbered from 1, read as a stream (see [`Entries`]): a
    /// caller keeps what its view needs. A missing journal is empty.
    pub fn stream(&self) -> io::Result<Entries> {
        match File::open(&self.path) {
            Ok(f) => Entries::open(&self.path, Some(f)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Entries::open(&self.path, None),
            Err(e) => Err(e),
        }
    }

    /// Every entry, oldest first, and the lines that are not entries (the first
    /// [`MAX_NAMED_DAMAGED`]; `damaged_more` counts the rest). Holds every entry: for a
    /// view of part of the journal, [`Journal::stream`] keeps less.
    pub fn read(&self) -> io::Result<Contents> {
        let mut stream = self.stream()?;
        let mut entries = Vec::with_capacity(stream.total);
        for next in stream.by_ref() {
            entries.push(next?.1);
        }
        Ok(Contents {
            entries,
            damaged: std::mem::take(&mut stream.damaged),
            damaged_more: stream.damaged_more,
        })
    }

    /// Every entry, oldest first, skipping damaged lines (see [`Journal::read`]).
    pub fn entries(&self) -> io::Result<Vec<JournalEntry>> {
        Ok(self.read()?.entries)
    }

    /// "FILE:LINE: not a journal entry (why); skipped", for a person.
    pub fn describe(&self, damaged: &Damaged) -> String {
        format!(
            "{}:{}: not a journal entry ({}); skipped, the other lines are read",
            self.path.display(),
            damaged.line,
            damaged.reason
        )
    }
}

/// Whether `file` is empty or ends with a newline.
fn ends_a_line(file: &mut File) -> io::Result<bool> {
    if file.metadata()?.len() == 0 {
        return Ok(true);
    }
    file.seek(SeekFrom::End(-1))?;
    let mut last = [0u8; 1];
    file.read_exact(&mut last)?;
    Ok(last[0] == b'\n')
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
    use crate::change::{ImageChanges, Operation};
    use crate::change::{Origin, Outcome};
    use crate::ecs::model::Image;

    fn intent(id: &str) -> JournalEntry {
        let before = Image {
            image_id: id.into(),
            image_name: "old-name".into(),
            ..Image::default()
        };
        let op = Operation::Modify(ImageChanges {
            image_name: Some("new-name".into()),
            ..ImageChanges::default()
        });
        let origin = Origin {
            id: format!("e-{id}"),
            time: "2026-01-01T00:00:00Z".into(),
            source: "cli".into(),
            profile: "default".into(),
            region: "cn-hangzhou".into(),
            endpoint: "https://ecs.cn-hangzhou.aliyuncs.com/".into(),
            ..Origin::default()
        };
        JournalEntry::intent(origin, &before, &op)
    }

    fn applied(entry: &JournalEntry) -> JournalEntry {
        entry.settled(
            Outcome::Applied { verified: true },
            Some("R-1".into()),
            "2026-01-01T00:00:01Z",
        )
    }

    #[test]
    fn appends_and_reads_back_one_entry_per_change_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::at(dir.path().join("sub/journal.jsonl"));
        assert!(journal.entries().unwrap().is_empty());
        let (one, two) = (intent("m-1"), intent("m-2"));
        journal.append(&one).unwrap();
        journal.append(&two).unwrap();
        journal.append(&applied(&one)).unwrap();
        let all = journal.entries().unwrap();
        assert_eq!(
            all.iter().map(|e| e.image_id.as_str()).collect::<Vec<_>>(),
            ["m-1", "m-2"]
        );
        assert_eq!(all[0].outcome, Outcome::Applied { verified: true });
        assert_eq!(all[1].outcome, Outcome::Sending, "m-2 was never settled");
        assert_eq!(
            all[0].undo_changes().image_name.as_deref(),
            Some("old-name")
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(journal.path())
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn a_damaged_line_is_skipped_and_named_and_the_next_append_starts_a_fresh_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.jsonl");
        let journal = Journal::at(&path);
        journal.append(&applied(&intent("m-1"))).unwrap();
        journal.append(&applied(&intent("m-2"))).unwrap();
        // A few bytes cut off the end, as a full disk or a killed writer leaves it.
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, &text[..text.len() - 7]).unwrap();
        journal.append(&applied(&intent("m-3"))).unwrap();
        let read = journal.read().unwrap();
        assert_eq!(
            read.entries
                .iter()
                .map(|e| e.image_id.as_str())
                .collect::<Vec<_>>(),
            ["m-1", "m-3"]
        );
        assert_eq!(read.damaged.len(), 1);
        assert_eq!(read.damaged[0].line, 2);
        let said = journal.describe(&read.damaged[0]);
        assert!(
            said.contains("journal.jsonl:2: not a journal entry"),
            "{said}"
        );
    }

    #[test]
    fn bytes_that_are_not_text_damage_only_their_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.jsonl");
        let journal = Journal::at(&path);
        journal.append(&applied(&intent("m-1"))).unwrap();
        let mut bytes = std::fs::read(&path).unwrap();
        bytes.extend_from_slice(b"\xff\xfe{\n\n");
        std::fs::write(&path, bytes).unwrap();
        journal.append(&applied(&intent("m-2"))).unwrap();
        let read = journal.read().unwrap();
        assert_eq!(read.entries.len(), 2);
        assert_eq!(read.damaged.iter().map(|d| d.line).collect::<Vec<_>>(), [2]);
    }

    #[test]
    fn the_stream_numbers_changes_by_their_intents_and_hands_them_out_settled_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::at(dir.path().join("journal.jsonl"));
        let (a, b, c) = (intent("m-a"), intent("m-b"), intent("m-c"));
        let mut old = applied(&intent("m-old"));
        old.id = None;
        for line in [&a, &b, &applied(&b), &c, &old, &applied(&a)] {
            journal.append(line).unwrap();
        }
        std::fs::write(
            journal.path(),
            std::fs::read_to_string(journal.path()).unwrap() + "{\"id\": \"cut\n",
        )
        .unwrap();
        let stream = journal.stream().unwrap();
        assert_eq!(stream.total, 4);
        assert_eq!(
            stream.damaged.iter().map(|d| d.line).collect::<Vec<_>>(),
            [7]
        );
        let got: Vec<(usize, String, Outcome)> = stream
            .map(|n| n.unwrap())
            .map(|(n, e)| (n, e.image_id, e.outcome))
            .collect();
        let ok = Outcome::Applied { verified: true };
        assert_eq!(
            got,
            [
                (1, "m-a".to_string(), ok.clone()),
                (2, "m-b".to_string(), ok.clone()),
                (3, "m-c".to_string(), Outcome::Sending),
                (4, "m-old".to_string(), ok),
            ]
        );
        assert_eq!(
            journal.entries().unwrap(),
            crate::change::fold(
                std::fs::read_to_string(journal.path())
                    .unwrap()
                    .lines()
                    .filter_map(|l| serde_json::from_str(l).ok())
            ),
            "the stream folds as fold does"
        );
    }

    #[test]
    fn a_line_longer_than_any_entry_is_damaged_and_not_held() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::at(dir.path().join("journal.jsonl"));
        journal.append(&applied(&intent("m-1"))).unwrap();
        let mut bytes = std::fs::read(journal.path()).unwrap();
        bytes.extend(std::iter::repeat_n(b'x', 3 * MAX_LINE_BYTES as usize));
        bytes.push(b'\n');
        std::fs::write(journal.path(), bytes).unwrap();
        journal.append(&applied(&intent("m-2"))).unwrap();
        let read = journal.read().unwrap();
        assert_eq!(read.entries.len(), 2);
        assert_eq!(read.damaged.len(), 1);
        assert_eq!(read.damaged[0].line, 2);
        assert!(read.damaged[0].reason.contains("longer than 1 MB"));
    }
}

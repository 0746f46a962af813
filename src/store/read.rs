//! Reading the journal as a stream, whatever its size: one change at a time, folded (a
//! settlement replaces its intent, in the intent's place and with its time), numbered from 1
//! in the order the intents were written — without holding the file or its entries.
//!
//! Two passes over the file. The first finds, for each change, the line that settles it
//! last (and the damaged lines); the second hands out each change when that line is reached.
//! A change handed out before an earlier one is settled waits in a small buffer, so the
//! order is the intents' order; only the changes in flight at once (a batch) wait there.
//! The second pass stops where the first ended, so a line appended in between (another
//! ecsimg at work) is left for the next read rather than half seen.

use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek};

use crate::change::JournalEntry;

use super::Damaged;

/// The most damaged lines named one by one; the rest are counted.
pub const MAX_NAMED_DAMAGED: usize = 100;

/// The journal's changes, oldest first, each with its number (from 1).
pub struct Entries {
    /// The file, for [`Entries::restart`] once the reader is done.
    path: Option<std::path::PathBuf>,
    reader: Option<BufReader<File>>,
    /// For each change ID, the number of the last line that carries it.
    last_line: HashMap<String, usize>,
    /// The lines the first pass saw.
    lines: usize,
    line: usize,
    /// Changes whose intent was read and whose last line was not (yet): their number and
    /// what they hold so far.
    pending: HashMap<String, (usize, JournalEntry)>,
    /// Changes complete but not yet handed out: an earlier one is still pending.
    ready: BTreeMap<usize, JournalEntry>,
    assigned: usize,
    next_out: usize,
    buf: Vec<u8>,
    /// Damaged lines, the first [`MAX_NAMED_DAMAGED`] of them.
    pub damaged: Vec<Damaged>,
    /// How many more damaged lines there are.
    pub damaged_more: usize,
    /// How many changes the journal holds (known after the first pass).
    pub total: usize,
}

impl Entries {
    /// Runs the first pass; `None` file (a missing journal) reads as empty.
    pub(super) fn open(path: &std::path::Path, file: Option<File>) -> io::Result<Entries> {
        let mut entries = Entries {
            path: file.is_some().then(|| path.to_path_buf()),
            reader: None,
            last_line: HashMap::new(),
            lines: 0,
            line: 0,
            pending: HashMap::new(),
            ready: BTreeMap::new(),
            assigned: 0,
            next_out: 1,
            buf: Vec::new(),
            damaged: Vec::new(),
            damaged_more: 0,
            total: 0,
        };
        let Some(file) = file else {
            return Ok(entries);
        };
        let mut reader = BufReader::with_capacity(256 * 1024, file);
        let mut number = 0;
        while let Some(parsed) = next_line(&mut reader, &mut entries.buf)? {
            number += 1;
            match parsed {
                Line::Blank => {}
                Line::Entry(entry) => match entry.id {
                    Some(id) => {
                        if !entries.last_line.contains_key(&id) {
                            entries.total += 1;
                        }
                        entries.last_line.insert(id, number);
                    }
                    None => entries.total += 1,
                },
                Line::Damaged(reason) => {
                    if entries.damaged.len() < MAX_NAMED_DAMAGED {
                        entries.damaged.push(Damaged {
                            line: number,
                            reason,
                        });
                    } else {
                        entries.damaged_more += 1;
                    }
                }
            }
        }
        entries.lines = number;
        reader.rewind()?;
        entries.reader = Some(reader);
        Ok(entries)
    }

    /// The same changes again from the first, without the first pass (a table measured,
    /// then printed). The file is read up to where the first pass ended, as before.
    pub fn restart(mut self) -> io::Result<Entries> {
        let mut reader = match self.reader.take() {
            Some(reader) => reader,
            None => match &self.path {
                Some(path) => BufReader::with_capacity(256 * 1024, File::open(path)?),
                None => return Ok(self),
            },
        };
        reader.rewind()?;
        self.reader = Some(reader);
        self.line = 0;
        self.pending.clear();
        self.ready.clear();
        self.assigned = 0;
        self.next_out = 1;
        Ok(self)
    }

    /// Reads lines until a change is complete, or the first pass's end.
    fn advance(&mut self) -> io::Result<bool> {
        let Some(reader) = self.reader.as_mut() else {
            return Ok(false);
        };
        while self.line < self.lines {
            let Some(parsed) = next_line(reader, &mut self.buf)? else {
                break;
            };
            self.line += 1;
            let Line::Entry(entry) = parsed else {
                continue;
            };
            let mut entry = *entry;
            let Some(id) = entry.id.clone() else {
                self.assigned += 1;
                self.ready.insert(self.assigned, entry);
                return Ok(true);
            };
            let is_last = self.last_line.get(&id) == Some(&self.line);
            match self.pending.remove(&id) {
                Some((number, so_far)) => {
                    entry.time = so_far.time;
                    if is_last {
                        self.ready.insert(number, entry);
                        return Ok(true);
                    }
                    self.pending.insert(id, (number, entry));
                }
                None => {
                    self.assigned += 1;
                    if is_last {
                        self.ready.insert(self.assigned, entry);
                        return Ok(true);
                    }
                    self.pending.insert(id, (self.assigned, entry));
                }
            }
        }
        // The end: a change whose last line went missing in between is handed out as far
        // as it was read.
        self.reader = None;
        for (_, (number, entry)) in self.pending.drain() {
            self.ready.insert(number, entry);
        }
        Ok(false)
    }
}

impl Iterator for Entries {
    type Item = io::Result<(usize, JournalEntry)>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(entry) = self.ready.remove(&self.next_out) {
                self.next_out += 1;
                return Some(Ok((self.next_out - 1, entry)));
            }
            if self.reader.is_none() {
                // Only after the end: numbers left out by a change that never completed.
                let (number, entry) = self.ready.pop_first()?;
                self.next_out = number + 1;
                return Some(Ok((number, entry)));
            }
            if let Err(e) = self.advance() {
                self.reader = None;
                self.ready.clear();
                return Some(Err(e));
            }
        }
    }
}

enum Line {
    Blank,
    Entry(Box<JournalEntry>),
    Damaged(String),
}

/// The longest line read as an entry: ecsimg writes a few hundred bytes a change; more than
/// this is not a line it wrote, and holding it would cost what streaming saves.
pub const MAX_LINE_BYTES: u64 = 1024 * 1024;

/// The next line, parsed; `None` at the end of the file.
fn next_line(reader: &mut impl BufRead, buf: &mut Vec<u8>) -> io::Result<Option<Line>> {
    buf.clear();
    if reader
        .by_ref()
        .take(MAX_LINE_BYTES)
        .read_until(b'\n', buf)?
        == 0
    {
        return Ok(None);
    }
    if buf.last() != Some(&b'\n') && buf.len() as u64 == MAX_LINE_BYTES {
        // Skip the rest of the line without keeping it.
        loop {
            let (found, used) = {
                let chunk = reader.fill_buf()?;
                match chunk.iter().position(|b| *b == b'\n') {
                    Some(i) => (true, i + 1),
                    None => (chunk.is_empty(), chunk.len()),
                }
            };
            reader.consume(used);
            if found {
                break;
            }
        }
        return Ok(Some(Line::Damaged(format!(
            "longer than {} MB: not a line ecsimg wrote",
            MAX_LINE_BYTES / (1024 * 1024)
        ))));
    }
    let text = String::from_utf8_lossy(buf);
    let text = text.trim();
    if text.is_empty() {
        return Ok(Some(Line::Blank));
    }
    Ok(Some(match serde_json::from_str::<JournalEntry>(text) {
        Ok(entry) => Line::Entry(Box::new(entry)),
        Err(e) => Line::Damaged(e.to_string()),
    }))
}

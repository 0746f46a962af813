//! `ecsimg journal [--image ID] [--batch ID] [--since WHEN]`: every change that may have reached ECS,
//! from the TUI or the CLI. Needs no credentials: it only reads the local journal file.
//! A damaged line is named on stderr and skipped; the rest is listed.
//!
//! The journal is read as a stream (`store::Entries`) and printed as it is read: a table is
//! measured in one pass and printed in a second, JSON and IDs in one, so a journal of
//! hundreds of thousands of changes costs the memory of a few of them.

use std::cell::RefCell;

use serde::Serialize;
use time::OffsetDateTime;

use crate::change::{inline, JournalEntry, Outcome};
use crate::store::{Entries, Journal};

use super::args::JournalArgs;
use super::durations::{parse_since, parse_time};
use super::exit::CliError;
use super::output::{self, Fit, OutputFormat, Table};

/// `journal --output json`.
#[derive(Serialize)]
pub struct JournalJson<E> {
    pub path: String,
    pub entries: E,
}

/// An entry with the number `ecsimg undo` takes.
#[derive(Debug, Serialize)]
pub struct NumberedEntry<'a> {
    pub index: usize,
    #[serde(flatten)]
    pub entry: &'a JournalEntry,
}

/// What `--image`, `--batch` and `--since` keep.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub image: Option<String>,
    /// A whole batch ID (`--batch` is resolved from its start first).
    pub batch: Option<String>,
    pub since: Option<OffsetDateTime>,
}

impl Filter {
    pub fn keeps(&self, entry: &JournalEntry) -> bool {
        self.image.as_ref().is_none_or(|id| entry.image_id == *id)
            && self
                .batch
                .as_ref()
                .is_none_or(|b| entry.batch.as_ref() == Some(b))
            && match self.since {
                None => true,
                Some(t) => parse_time(&entry.time).is_some_and(|at| at >= t),
            }
    }
}

/// The entries that pass the filters, numbered from 1 in file order.
pub fn select<'a>(
    entries: &'a [JournalEntry],
    image: Option<&str>,
    since: Option<OffsetDateTime>,
) -> Vec<(usize, &'a JournalEntry)> {
    let filter = Filter {
        image: image.map(str::to_string),
        since,
        ..Filter::default()
    };
    entries
        .iter()
        .enumerate()
        .map(|(i, e)| (i + 1, e))
        .filter(|(_, e)| filter.keeps(e))
        .collect()
}

pub fn run(
    args: &JournalArgs,
    demo: bool,
    format: OutputFormat,
    ascii: bool,
) -> Result<(), CliError> {
    let since = args
        .since
        .as_deref()
        .map(|s| parse_since(s, OffsetDateTime::now_utc()))
        .transpose()
        .map_err(CliError::invalid)?;
    let journal = super::session::journal_for(demo)
        .ok_or_else(|| CliError::failure("no journal: neither XDG_STATE_HOME nor HOME is set"))?;
    let mut stream = open(&journal)?;
    let batch = match args.batch.as_deref() {
        Some(wanted) => {
            let id = resolve_batch(&mut stream, wanted)?;
            stream = stream.restart().map_err(read_failed)?;
            Some(id)
        }
        None => None,
    };
    let filter = Filter {
        image: args.image.clone(),
        batch,
        since,
    };
    let total = stream.total;
    let failed: RefCell<Option<std::io::Error>> = RefCell::new(None);
    match format {
        OutputFormat::Ids => {
            let mut out = super::stream::Batched::default();
            for (n, _) in kept(&mut stream, &filter, &failed) {
                out.push(&format!("{n}\n"));
            }
        }
        OutputFormat::Json => {
            let doc = JournalJson {
                path: journal.path().display().to_string(),
                entries: super::json::Lazy::new(
                    kept(&mut stream, &filter, &failed)
                        .map(|(index, entry)| Owned { index, entry }),
                ),
            };
            super::stream::print_json_streamed(&doc);
        }
        OutputFormat::Table => {
            let mut table = table_of();
            let mut count = 0;
            for (n, e) in kept(&mut stream, &filter, &failed) {
                table.measure(&row(n, &e, ascii));
                count += 1;
            }
            if count == 0 {
                if let Some(e) = failed.take() {
                    return Err(read_failed(e));
                }
                output::emit_err(&format!(
                    "no changes recorded{} ({})",
                    if total == 0 { "" } else { " that match" },
                    journal.path().display()
                ));
                return Ok(());
            }
            let widths = table.widths(output::terminal_width());
            let mut out = super::stream::Batched::default();
            out.push(&table.header(&widths, ascii));
            let mut again = stream.restart().map_err(read_failed)?;
            // Only the batch entries shown are kept, to name their batches after the table.
            let mut in_batches = Vec::new();
            for (n, e) in kept(&mut again, &filter, &failed) {
                out.push(&table.line(&widths, &row(n, &e, ascii), ascii));
                if e.batch.is_some() {
                    in_batches.push(e);
                }
            }
            for b in crate::store::batch::batches(&in_batches) {
                out.push(&format!(
                    "batch {}: {} change{} from {}, {} applied — `ecsimg journal --batch {}`, `ecsimg undo --batch {}`\n",
                    b.id,
                    b.entries,
                    if b.entries == 1 { "" } else { "s" },
                    b.time,
                    b.applied,
                    b.id,
                    b.id
                ));
            }
        }
    }
    match failed.take() {
        Some(e) => Err(read_failed(e)),
        None => Ok(()),
    }
}

/// The entries of `stream` that `filter` keeps; a read error midway ends them and is left
/// in `failed`, to be said after what was printed.
fn kept<'a>(
    stream: &'a mut Entries,
    filter: &'a Filter,
    failed: &'a RefCell<Option<std::io::Error>>,
) -> impl Iterator<Item = (usize, JournalEntry)> + 'a {
    stream
        .map_while(move |next| match next {
            Ok(found) => Some(found),
            Err(e) => {
                *failed.borrow_mut() = Some(e);
                None
            }
        })
        .filter(move |(_, e)| filter.keeps(e))
}

/// A numbered entry that owns it, as the stream hands them out.
#[derive(Serialize)]
struct Owned {
    index: usize,
    #[serde(flatten)]
    entry: JournalEntry,
}

/// The whole batch ID `wanted` starts, from one pass over the journal that keeps only the
/// batch entries.
fn resolve_batch(stream: &mut Entries, wanted: &str) -> Result<String, CliError> {
    let mut in_batches = Vec::new();
    for next in stream.by_ref() {
        let (_, entry) = next.map_err(read_failed)?;
        if entry
            .batch
            .as_deref()
            .is_some_and(|b| b.starts_with(wanted))
        {
            in_batches.push(entry);
        }
    }
    crate::store::batch::find_batch(&in_batches, wanted).map_err(CliError::invalid)
}

fn read_failed(e: std::io::Error) -> CliError {
    CliError::failure(format!("cannot read the journal: {e}"))
}

/// The journal as a stream; each damaged line is named on stderr (the first
/// [`crate::store::MAX_NAMED_DAMAGED`], then how many more).
pub fn open(journal: &Journal) -> Result<Entries, CliError> {
    let stream = journal.stream().map_err(read_failed)?;
    for damaged in &stream.damaged {
        output::emit_err(&format!("ecsimg: warning: {}", journal.describe(damaged)));
    }
    if stream.damaged_more > 0 {
        output::emit_err(&format!(
            "ecsimg: warning: and {} more damaged lines in {}, skipped",
            stream.damaged_more,
            journal.path().display()
        ));
    }
    Ok(stream)
}

fn table_of() -> Table {
    Table::new(&[
        ("#", Fit::Fixed),
        ("TIME", Fit::Fixed),
        ("IMAGE", Fit::Fixed),
        ("CHANGES", Fit::Flex { min: 12 }),
        ("RESULT", Fit::Flex { min: 8 }),
        ("BATCH", Fit::Optional),
        ("SOURCE", Fit::Optional),
        ("PROFILE", Fit::Optional),
        ("REGION", Fit::Optional),
        ("REQUEST ID", Fit::Optional),
    ])
}

fn row(n: usize, e: &JournalEntry, ascii: bool) -> Vec<String> {
    let arrow = if ascii { "->" } else { "→" };
    let result = match &e.outcome {
        Outcome::Applied { verified: true } => "verified".to_string(),
        Outcome::Applied { verified: false } => "applied".to_string(),
        Outcome::Failed { code, .. } => format!("failed {code}"),
        other => other.words(),
    };
    vec![
        n.to_string(),
        e.time.clone(),
        e.image_id.clone(),
        inline(&e.changes, arrow),
        result,
        e.batch.clone().unwrap_or_default(),
        e.source.clone(),
        e.profile.clone(),
        e.region.clone(),
        e.request_id.clone().unwrap_or_default(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn entry(id: &str, time: &str) -> JournalEntry {
        JournalEntry {
            id: None,
            batch: None,
            settled_at: None,
            time: time.into(),
            source: "cli".into(),
            profile: "demo".into(),
            region: "cn-hangzhou".into(),
            endpoint: "http://127.0.0.1:1/".into(),
            image_id: id.into(),
            image_name: "web".into(),
            changes: vec![],
            request_id: None,
            outcome: Outcome::Applied { verified: true },
        }
    }

    #[test]
    fn filters_keep_the_file_numbering() {
        let entries = vec![
            entry("m-1", "2026-05-01T00:00:00Z"),
            entry("m-2", "2026-05-03T00:00:00Z"),
            entry("m-1", "2026-05-05T00:00:00Z"),
        ];
        let by_image: Vec<usize> = select(&entries, Some("m-1"), None)
            .iter()
            .map(|(n, _)| *n)
            .collect();
        assert_eq!(by_image, [1, 3]);
        let recent: Vec<usize> = select(&entries, None, Some(datetime!(2026-05-02 0:00 UTC)))
            .iter()
            .map(|(n, _)| *n)
            .collect();
        assert_eq!(recent, [2, 3]);
    }
}

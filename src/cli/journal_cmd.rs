//! `ecsimg journal [--image ID] [--since WHEN]`: every change that may have reached ECS,
//! from the TUI or the CLI. Needs no credentials: it only reads the local journal file.
//! A damaged line is named on stderr and skipped; the rest is listed.

use serde::Serialize;
use time::OffsetDateTime;

use crate::change::{inline, JournalEntry, Outcome};
use crate::store::Journal;

use super::args::JournalArgs;
use super::durations::{parse_since, parse_time};
use super::exit::CliError;
use super::output::{self, Fit, OutputFormat, Table};

/// `journal --output json`.
#[derive(Debug, Serialize)]
pub struct JournalJson<'a> {
    pub path: String,
    pub entries: Vec<NumberedEntry<'a>>,
}

/// An entry with the number `ecsimg undo` takes.
#[derive(Debug, Serialize)]
pub struct NumberedEntry<'a> {
    pub index: usize,
    #[serde(flatten)]
    pub entry: &'a JournalEntry,
}

/// The entries that pass the filters, numbered from 1 in file order.
pub fn select<'a>(
    entries: &'a [JournalEntry],
    image: Option<&str>,
    since: Option<OffsetDateTime>,
) -> Vec<(usize, &'a JournalEntry)> {
    entries
        .iter()
        .enumerate()
        .map(|(i, e)| (i + 1, e))
        .filter(|(_, e)| image.is_none_or(|id| e.image_id == id))
        .filter(|(_, e)| match since {
            None => true,
            Some(t) => parse_time(&e.time).is_some_and(|at| at >= t),
        })
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
    let entries = read(&journal)?;
    let batch = args
        .batch
        .as_deref()
        .map(|b| crate::store::batch::find_batch(&entries, b))
        .transpose()
        .map_err(CliError::invalid)?;
    let mut chosen = select(&entries, args.image.as_deref(), since);
    if let Some(b) = &batch {
        chosen.retain(|(_, e)| e.batch.as_ref() == Some(b));
    }
    match format {
        OutputFormat::Ids => {
            for (n, _) in &chosen {
                output::emit_line(&n.to_string());
            }
        }
        OutputFormat::Json => output::print_json(&JournalJson {
            path: journal.path().display().to_string(),
            entries: chosen
                .iter()
                .map(|(index, entry)| NumberedEntry {
                    index: *index,
                    entry,
                })
                .collect(),
        }),
        OutputFormat::Table => {
            if chosen.is_empty() {
                output::emit_err(&format!(
                    "no changes recorded{} ({})",
                    if entries.is_empty() {
                        ""
                    } else {
                        " that match"
                    },
                    journal.path().display()
                ));
                return Ok(());
            }
            output::emit(&table(&chosen, ascii).render(output::terminal_width(), ascii));
            let shown: Vec<JournalEntry> = chosen.iter().map(|(_, e)| (*e).clone()).collect();
            for b in crate::store::batch::batches(&shown) {
                output::emit_line(&format!(
                    "batch {}: {} change{} from {}, {} applied — `ecsimg journal --batch {}`, `ecsimg undo --batch {}`",
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
    Ok(())
}

/// Every entry of `journal`; each damaged line is named on stderr and skipped.
pub fn read(journal: &Journal) -> Result<Vec<JournalEntry>, CliError> {
    let contents = journal
        .read()
        .map_err(|e| CliError::failure(format!("cannot read the journal: {e}")))?;
    for damaged in &contents.damaged {
        super::output::emit_err(&format!("ecsimg: warning: {}", journal.describe(damaged)));
    }
    Ok(contents.entries)
}

fn table(chosen: &[(usize, &JournalEntry)], ascii: bool) -> Table {
    let arrow = if ascii { "->" } else { "→" };
    let mut table = Table::new(&[
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
    ]);
    for (n, e) in chosen {
        let changes = inline(&e.changes, arrow);
        let result = match &e.outcome {
            Outcome::Applied { verified: true } => "verified".to_string(),
            Outcome::Applied { verified: false } => "applied".to_string(),
            Outcome::Failed { code, .. } => format!("failed {code}"),
            other => other.words(),
        };
        table.push(vec![
            n.to_string(),
            e.time.clone(),
            e.image_id.clone(),
            changes,
            result,
            e.batch.clone().unwrap_or_default(),
            e.source.clone(),
            e.profile.clone(),
            e.region.clone(),
            e.request_id.clone().unwrap_or_default(),
        ]);
    }
    table
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

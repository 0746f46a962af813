//! `ecsimg undo [ENTRY]`: put back the values a journaled change replaced. The image is
//! re-read first; fields someone changed since are shown before the confirmation. A
//! change the journal could not settle ("may have been applied") is undone the same way:
//! the drift check shows what the image holds.
//!
//! The plan itself ([`crate::change::undo_plan`]) is shared with the TUI's `u` key.

use crate::change::{undo_plan, JournalEntry};
use crate::session::Session;

use super::args::UndoArgs;
use super::exit::{CliError, Exit};
use super::images_modify::{review_and_apply, Consent, Mode};
use super::images_show::read_image;
use super::output::shown;
use super::Context;

/// The entry to undo: number `index` (1-based, as `ecsimg journal` shows), or the last one
/// that may be in place. `entries` are numbered as the journal numbers them; `total` is how
/// many it holds. Only the entry looked for is kept, however long the journal.
pub fn pick_entry(
    entries: impl IntoIterator<Item = (usize, JournalEntry)>,
    total: usize,
    index: Option<usize>,
) -> Result<(usize, JournalEntry), String> {
    match index {
        Some(n) => {
            let (_, entry) = entries
                .into_iter()
                .find(|(number, _)| *number == n)
                .ok_or_else(|| {
                    format!("no journal entry #{n}: the journal has {total} (see `ecsimg journal`)")
                })?;
            if !entry.undoable() {
                return Err(format!(
                    "entry #{n} did not change anything ({}): nothing to undo",
                    entry.outcome.words()
                ));
            }
            Ok((n, entry))
        }
        // A batch is put back with `undo --batch`: the default stays the last single change.
        None => {
            let mut last = None;
            let mut a_batch = None;
            for (n, e) in entries {
                if e.batch.is_some() {
                    a_batch = a_batch.or(e.batch);
                } else if e.undoable() {
                    last = Some((n, e));
                }
            }
            last.ok_or_else(|| match a_batch {
                Some(batch) => format!(
                    "the journal has no successful single change to undo; a batch is undone with `ecsimg undo --batch {batch}`"
                ),
                None => "the journal has no successful change to undo".to_string(),
            })
        }
    }
}

/// The entries of the session's journal whose batch ID starts with `prefix` (damaged lines
/// named on stderr), read as a stream: only the batch's own entries are kept.
pub fn batch_entries(session: &Session, prefix: &str) -> Result<Vec<JournalEntry>, CliError> {
    let journal = session
        .journal
        .as_ref()
        .ok_or_else(|| CliError::failure("no journal: neither XDG_STATE_HOME nor HOME is set"))?;
    let mut stream = super::journal_cmd::open(journal)?;
    let mut kept = Vec::new();
    for next in stream.by_ref() {
        let (_, entry) =
            next.map_err(|e| CliError::failure(format!("cannot read the journal: {e}")))?;
        if entry
            .batch
            .as_deref()
            .is_some_and(|b| b.starts_with(prefix))
        {
            kept.push(entry);
        }
    }
    Ok(kept)
}

/// `session` in `region` (itself when it is there already).
pub fn session_in(session: &Session, region: &str) -> Result<Session, CliError> {
    if region == session.client.region() {
        return Ok(session.clone());
    }
    Ok(Session {
        client: session
            .client
            .with_region(region)
            .map_err(|e| CliError::invalid(e.to_string()))?,
        ..session.clone()
    })
}

pub async fn run(ctx: &Context<'_>, args: &UndoArgs) -> Result<(), CliError> {
    let session = ctx.session;
    let journal = session
        .journal
        .as_ref()
        .ok_or_else(|| CliError::failure("no journal: neither XDG_STATE_HOME nor HOME is set"))?;
    let mut stream = super::journal_cmd::open(journal)?;
    let total = stream.total;
    let mut failed = None;
    let numbered = stream
        .by_ref()
        .map_while(|next| next.map_err(|e| failed = Some(e)).ok());
    let picked = pick_entry(numbered, total, args.entry);
    if let Some(e) = failed {
        return Err(CliError::failure(format!("cannot read the journal: {e}")));
    }
    let (n, entry) = picked.map_err(CliError::invalid)?;
    let entry = &entry;
    if entry.profile != session.profile {
        return Err(CliError::invalid(format!(
            "entry #{n} was made with profile {:?}; this session uses {:?}: run with --profile {}",
            entry.profile, session.profile, entry.profile
        )));
    }
    // Undo where the change was made, whatever region this session opened in.
    let in_region = session_in(session, &entry.region)?;
    let ctx = &ctx.with_session(&in_region);
    let session = ctx.session;
    let current = read_image(session, &entry.image_id).await?;
    let plan = undo_plan(entry, &current);

    let mut heading = format!(
        "Undo #{n} ({} from {} in {}, RequestId {}):",
        entry.time,
        entry.source,
        entry.region,
        entry.request_id.as_deref().unwrap_or("-")
    );
    for drift in &plan.drifted_fields {
        heading.push_str(&format!(
            "\n  ! {} was changed since #{n}: it is {} now, not {}",
            drift.field.label(),
            shown(&drift.found),
            shown(&drift.expected)
        ));
    }
    ctx.say(&heading);
    let Some(changes) = plan.operation.changes().filter(|c| !c.is_empty()) else {
        return Err(CliError::new(
            Exit::Ok,
            format!(
                "nothing to undo: {} already has the values from before #{n}",
                entry.image_id
            ),
        ));
    };
    let consent = Consent {
        yes: args.yes,
        force_empty_family: args.force_empty_family,
        force_in_use: args.run.force_in_use,
    };
    review_and_apply(ctx, &current, changes, Mode::Send, consent).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::change::{Field, FieldChange, Outcome};

    fn entry(changes: Vec<FieldChange>, outcome: Outcome) -> JournalEntry {
        JournalEntry {
            id: None,
            batch: None,
            settled_at: None,
            time: "2026-05-01T10:00:00Z".into(),
            source: "cli".into(),
            profile: "demo".into(),
            region: "cn-hangzhou".into(),
            endpoint: "http://127.0.0.1:1/".into(),
            image_id: "m-1".into(),
            image_name: "web".into(),
            changes,
            request_id: Some("R-1".into()),
            outcome,
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

    #[test]
    fn the_last_successful_entry_is_picked_and_failures_are_refused() {
        let failed = Outcome::Failed {
            code: "InvalidImageName.Malformed".into(),
            message: "bad".into(),
        };
        let entries = [
            entry(vec![change(Field::Description, "a1", "b1")], ok()),
            entry(vec![change(Field::Description, "b1", "c1")], failed),
        ];
        let numbered = || entries.iter().cloned().enumerate().map(|(i, e)| (i + 1, e));
        let (n, e) = pick_entry(numbered(), 2, None).unwrap();
        assert_eq!(n, 1);
        assert_eq!(e.changes[0].after, "b1");
        assert!(pick_entry(numbered(), 2, Some(2))
            .unwrap_err()
            .contains("failed"));
        assert!(pick_entry(numbered(), 2, Some(3))
            .unwrap_err()
            .contains("no journal entry #3: the journal has 2"));
        assert!(pick_entry(numbered(), 2, Some(0)).is_err());
        assert!(pick_entry(Vec::new(), 0, None).is_err());
    }
}

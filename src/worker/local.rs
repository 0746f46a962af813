//! What the worker reads from this machine rather than from ECS: the journal, the
//! credential profiles, and a connection with another profile. Files are read on a
//! blocking thread so the runtime keeps serving requests.

use std::sync::Arc;

use crate::change::JournalEntry;
use crate::ecs::credentials::{self, ResolveOptions};
use crate::session::Session;
use crate::store::Journal;

use super::in_region;

/// Builds a session for a credential profile the way the CLI builds its own (the config
/// file, the credential chain, the endpoint type, `read_only` for the profile). Used by
/// `P`; called on a blocking thread. The error is shown to the person as it is.
pub type Connector = Arc<dyn Fn(&str) -> Result<Session, String> + Send + Sync>;

/// The most journal entries the TUI keeps: the newest. A journal of hundreds of thousands
/// of changes is read as a stream and costs the TUI these, not the file; `ecsimg journal`
/// lists every one.
pub const JOURNAL_WINDOW: usize = 10_000;

/// What reading the journal found: where it is, the newest [`JOURNAL_WINDOW`] entries
/// (oldest first) and how many older ones were passed over, and each damaged line, named
/// by file and line.
pub(super) struct JournalRead {
    pub path: Option<String>,
    pub result: Result<Vec<JournalEntry>, String>,
    pub damaged: Vec<String>,
    pub older: usize,
}

pub(super) async fn read_journal(journal: Option<Journal>) -> JournalRead {
    let Some(journal) = journal else {
        return JournalRead {
            path: None,
            result: Err("no journal: neither XDG_STATE_HOME nor HOME is set".to_string()),
            damaged: Vec::new(),
            older: 0,
        };
    };
    let path = journal.path().display().to_string();
    let read = tokio::task::spawn_blocking(move || {
        let mut stream = journal.stream()?;
        let mut damaged: Vec<String> = stream.damaged.iter().map(|d| journal.describe(d)).collect();
        if stream.damaged_more > 0 {
            damaged.push(format!(
                "and {} more damaged lines, skipped",
                stream.damaged_more
            ));
        }
        let mut newest =
            std::collections::VecDeque::with_capacity(JOURNAL_WINDOW.min(stream.total));
        let mut older = 0;
        for next in stream.by_ref() {
            if newest.len() == JOURNAL_WINDOW {
                newest.pop_front();
                older += 1;
            }
            newest.push_back(next?.1);
        }
        Ok::<_, std::io::Error>((Vec::from(newest), damaged, older))
    })
    .await
    .map_err(|e| format!("cannot read the journal: {e}"))
    .and_then(|r| r.map_err(|e| format!("cannot read the journal: {e}")));
    match read {
        Ok((entries, damaged, older)) => JournalRead {
            path: Some(path),
            result: Ok(entries),
            damaged,
            older,
        },
        Err(e) => JournalRead {
            path: Some(path),
            result: Err(e),
            damaged: Vec::new(),
            older: 0,
        },
    }
}

/// The profiles in the aliyun CLI's config and the credentials file; none for the demo.
pub(super) async fn profile_names(demo: bool) -> Vec<String> {
    if demo {
        return Vec::new();
    }
    tokio::task::spawn_blocking(|| credentials::profile_names(&ResolveOptions::default()))
        .await
        .unwrap_or_default()
}

/// A session for `profile`, pointed at `region`.
pub(super) async fn connect(
    connector: Option<&Connector>,
    profile: &str,
    region: &str,
) -> Result<Session, String> {
    let Some(connector) = connector.cloned() else {
        return Err(format!(
            "switching profile is not available in this session: quit and start ecsimg \
             with --profile {profile}"
        ));
    };
    let name = profile.to_string();
    let session = tokio::task::spawn_blocking(move || connector(&name))
        .await
        .map_err(|e| format!("connecting with profile {profile} failed: {e}"))??;
    in_region(&session, region).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::change::Outcome;

    #[tokio::test]
    async fn a_long_journal_costs_the_tui_its_newest_entries_and_says_how_many_are_older() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.jsonl");
        let mut text = String::new();
        for n in 1..=JOURNAL_WINDOW + 3 {
            let entry = JournalEntry {
                id: Some(format!("e-{n}")),
                batch: None,
                time: "2026-01-01T00:00:00Z".into(),
                settled_at: None,
                source: "cli".into(),
                profile: "prod".into(),
                region: "cn-hangzhou".into(),
                endpoint: "https://ecs.cn-hangzhou.aliyuncs.com/".into(),
                image_id: format!("m-{n}"),
                image_name: "web".into(),
                changes: vec![],
                request_id: None,
                outcome: Outcome::Applied { verified: true },
            };
            text.push_str(&serde_json::to_string(&entry).unwrap());
            text.push('\n');
        }
        std::fs::write(&path, text).unwrap();
        let read = read_journal(Some(Journal::at(&path))).await;
        let entries = read.result.unwrap();
        assert_eq!((entries.len(), read.older), (JOURNAL_WINDOW, 3));
        assert_eq!(
            entries[0].image_id, "m-4",
            "the oldest kept is number older + 1"
        );
        assert_eq!(
            entries.last().unwrap().image_id,
            format!("m-{}", JOURNAL_WINDOW + 3)
        );
    }
}

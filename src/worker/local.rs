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

/// What reading the journal found: where it is, every entry (oldest first), and each
/// damaged line, named by file and line.
pub(super) struct JournalRead {
    pub path: Option<String>,
    pub result: Result<Vec<JournalEntry>, String>,
    pub damaged: Vec<String>,
}

pub(super) async fn read_journal(journal: Option<Journal>) -> JournalRead {
    let Some(journal) = journal else {
        return JournalRead {
            path: None,
            result: Err("no journal: neither XDG_STATE_HOME nor HOME is set".to_string()),
            damaged: Vec::new(),
        };
    };
    let path = journal.path().display().to_string();
    let read = tokio::task::spawn_blocking(move || {
        journal.read().map(|contents| {
            let damaged = contents
                .damaged
                .iter()
                .map(|d| journal.describe(d))
                .collect::<Vec<_>>();
            (contents.entries, damaged)
        })
    })
    .await
    .map_err(|e| format!("cannot read the journal: {e}"))
    .and_then(|r| r.map_err(|e| format!("cannot read the journal: {e}")));
    match read {
        Ok((entries, damaged)) => JournalRead {
            path: Some(path),
            result: Ok(entries),
            damaged,
        },
        Err(e) => JournalRead {
            path: Some(path),
            result: Err(e),
            damaged: Vec::new(),
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

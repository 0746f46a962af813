//! What the worker reads from this machine rather than from ECS: the journal, the
//! credential profiles, and a connection with another profile. Files are read on a
//! blocking thread so the runtime keeps serving requests.

use std::sync::Arc;

use crate::ecs::credentials::{self, ResolveOptions};
use crate::journal::{Journal, JournalEntry};
use crate::session::Session;

use super::in_region;

/// Builds a session for a credential profile the way the CLI builds its own (the config
/// file, the credential chain, the endpoint type, `read_only` for the profile). Used by
/// `P`; called on a blocking thread. The error is shown to the person as it is.
pub type Connector = Arc<dyn Fn(&str) -> Result<Session, String> + Send + Sync>;

/// Every journal entry, oldest first; a damaged line is named by file and line.
pub(super) async fn read_journal(
    journal: Option<Journal>,
) -> (Option<String>, Result<Vec<JournalEntry>, String>) {
    let Some(journal) = journal else {
        return (
            None,
            Err("no journal: neither XDG_STATE_HOME nor HOME is set".to_string()),
        );
    };
    let path = journal.path().display().to_string();
    let result = tokio::task::spawn_blocking(move || journal.entries())
        .await
        .map_err(|e| format!("cannot read the journal: {e}"))
        .and_then(|r| r.map_err(|e| format!("cannot read the journal: {e}")));
    (Some(path), result)
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

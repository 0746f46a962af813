//! What a connection is once made, whichever way it was made (flags and the credential
//! chain in `cli::session`, the embedded simulator in `cli::demo`): the session, where its
//! credentials came from, what must stay alive beside it, and the defaults both ways share.

use std::time::Duration;

use crate::ecs::client::{ClientConfig, Endpoint};
use crate::session::Session;
use crate::sim::SimHandle;
use crate::store::{self, Journal};

/// Connect timeout when neither a flag nor a config file sets one.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Read timeout when neither a flag nor a config file sets one.
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// A session, plus what must stay alive as long as it does (the embedded simulator).
pub struct Connected {
    pub session: Session,
    /// Where the credentials came from (for `--log-file` and error messages).
    pub source: String,
    /// Things to fix that do not stop ecsimg (a credentials file readable by others).
    pub warnings: Vec<String>,
    /// The embedded simulator of a `--demo` session; dropping it stops the simulator.
    pub sim: Option<SimHandle>,
}

impl std::fmt::Debug for Connected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connected")
            .field("session", &self.session)
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

/// The journal changes are recorded in: `journal.jsonl` in the XDG state directory, or
/// `demo-journal.jsonl` beside it for `--demo`, so demo changes never mix with real ones.
pub fn journal_for(demo: bool) -> Option<Journal> {
    let name = if demo {
        "demo-journal.jsonl"
    } else {
        "journal.jsonl"
    };
    store::state_dir().map(|dir| Journal::at(dir.join(name)))
}

/// The client's settings for `region` at `endpoint`, with these timeouts.
pub fn client_config(
    region: String,
    endpoint: Endpoint,
    connect_timeout: Duration,
    read_timeout: Duration,
) -> ClientConfig {
    ClientConfig {
        connect_timeout,
        read_timeout,
        ..ClientConfig::new(region, endpoint)
    }
}

//! Who and where: the client, plus what the header shows about the connection.

use crate::ecs::client::EcsClient;
use crate::store::Journal;

/// One connection to one region of one account, as the TUI and the CLI use it.
#[derive(Clone, Debug)]
pub struct Session {
    pub client: EcsClient,
    /// The credential profile's name ("default", "env", "demo").
    pub profile: String,
    /// `public`, `vpc` or `custom`.
    pub endpoint_kind: String,
    /// Against the embedded simulator.
    pub demo: bool,
    /// Every change is refused where changes are executed.
    pub read_only: bool,
    /// Where changes are recorded; `None` only when no state directory can be found.
    pub journal: Option<Journal>,
}

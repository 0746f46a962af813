//! A change cancelled in flight may still have reached ECS, and aborting it also aborted
//! `ops::apply_change` before it could journal; `ops::record_cancelled` settles it.

use crate::ops;
use crate::session::Session;

use super::{in_region, Change};

pub(super) async fn journal(session: Session, change: Change) {
    match in_region(&session, &change.region) {
        Ok(session) => {
            ops::record_cancelled(&session, &change.before, &change.changes, "tui").await
        }
        Err(e) => tracing::warn!(error = %e, "cannot re-read a cancelled change"),
    }
}

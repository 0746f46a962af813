//! A change cancelled in flight may still have reached ECS, and aborting it also aborted
//! `ops::apply_change` before it could journal. So the image is read again and the journal
//! gets what ECS holds: the change as applied (verified by that read), or as cancelled.

use crate::ecs::client::clock;
use crate::journal::{JournalEntry, Outcome};
use crate::session::Session;

use super::{in_region, Change};

pub(super) async fn journal(session: Session, change: Change) {
    let Some(journal) = session.journal.clone() else {
        return;
    };
    let session = match in_region(&session, &change.region) {
        Ok(s) => s,
        Err(e) => {
            tracing::warn!(error = %e, "cannot re-read a cancelled change");
            return;
        }
    };
    let expected = change.changes.apply_to(&change.before);
    let outcome = match session.client.describe_image(&change.before.image_id).await {
        Ok(Some(now))
            if change
                .changes
                .fields()
                .into_iter()
                .all(|f| f.value_of(&now) == f.value_of(&expected)) =>
        {
            Outcome::Applied { verified: true }
        }
        Ok(_) => Outcome::Failed {
            code: "Cancelled".to_string(),
            message: "cancelled before ECS answered; a re-read right after showed the old values"
                .to_string(),
        },
        Err(e) => Outcome::Failed {
            code: "Cancelled".to_string(),
            message: format!(
                "cancelled before ECS answered; the re-read failed too ({}), so it may have been applied",
                e.code
            ),
        },
    };
    let entry = JournalEntry {
        time: clock::timestamp(0),
        source: "tui".to_string(),
        profile: session.profile.clone(),
        region: session.client.region().to_string(),
        endpoint: session.client.endpoint_url().to_string(),
        image_id: change.before.image_id.clone(),
        image_name: change.before.image_name.clone(),
        changes: JournalEntry::field_changes(&change.before, &change.changes),
        request_id: None,
        outcome,
    };
    if let Err(e) = journal.append(&entry) {
        tracing::error!(path = %journal.path().display(), error = %e, "cannot write the journal");
    }
}

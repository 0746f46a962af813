//! `ecsimg undo --batch ID`: put back what every change of a batch replaced, for the
//! images where it may be in place. Each image is re-read first (one read of the region),
//! fields someone changed since are named as `undo` names them, and the whole undo is a
//! batch of its own: the same plan, confirmation, limiter and report.

use crate::change::{images, undo_plan};
use crate::ecs::model::ImageQuery;
use crate::store::batch::{find_batch, undoable};

use super::args::UndoArgs;
use super::exit::{CliError, Exit};
use super::images_bulk::{review_and_run, BulkConsent};
use super::output::shown;
use super::Context;

pub async fn run(ctx: &Context<'_>, args: &UndoArgs) -> Result<(), CliError> {
    let session = ctx.session;
    let wanted = args.batch.as_deref().unwrap_or_default();
    let entries = super::undo::batch_entries(session, wanted)?;
    let batch = find_batch(&entries, wanted).map_err(CliError::invalid)?;
    let undo = undoable(&entries, &batch);
    let Some(first) = undo.first() else {
        return Err(CliError::new(
            Exit::Ok,
            format!("batch {batch} left nothing in place: nothing to undo"),
        ));
    };
    if let Some(other) = undo.iter().find(|e| e.profile != session.profile) {
        return Err(CliError::invalid(format!(
            "batch {batch} was made with profile {:?}; this session uses {:?}: run with --profile {}",
            other.profile, session.profile, other.profile
        )));
    }
    // Undo where the batch was made, whatever region this session opened in.
    let in_region = super::undo::session_in(session, &first.region)?;
    let ctx = &ctx.with_session(&in_region);
    let region = ctx
        .session
        .client
        .describe_all_images(&ImageQuery::default())
        .await?;
    let mut notes = Vec::new();
    let mut pairs = Vec::new();
    for entry in &undo {
        let Some(current) = region.iter().find(|i| i.image_id == entry.image_id) else {
            notes.push(format!(
                "  ! {} no longer exists: it is left out",
                entry.image_id
            ));
            continue;
        };
        let plan = undo_plan(entry, current);
        for drift in &plan.drifted_fields {
            notes.push(format!(
                "  ! {}: {} was changed since the batch: it is {} now, not {}",
                entry.image_id,
                drift.field.label(),
                shown(&drift.found),
                shown(&drift.expected)
            ));
        }
        pairs.push((current.clone(), plan.operation));
    }
    let mut heading = format!(
        "Undo batch {batch} ({} change{} that may be in place, from {}):",
        undo.len(),
        if undo.len() == 1 { "" } else { "s" },
        first.time
    );
    for note in notes {
        heading.push('\n');
        heading.push_str(&note);
    }
    super::images_bulk::say_plan(ctx, &heading);
    let consent = BulkConsent {
        yes: args.yes,
        force_empty_family: args.force_empty_family,
        force_in_use: args.run.force_in_use,
    };
    let what = format!("{} of batch {batch}", images(pairs.len()));
    let label = format!("undo batch {batch}");
    review_and_run(ctx, label, pairs, &region, &what, consent, &args.run).await
}

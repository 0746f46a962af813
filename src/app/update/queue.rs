//! The queued Apply: Apply pressed while the family or the usage check still runs is
//! queued, never dropped and never sent blind. When the checks return it is sent if the
//! plan needs nothing more, or the dialog asks for what it needs now (the typed image ID,
//! saying which rule applied). Esc cancels it. One mechanism for both checks, and for a
//! bulk plan's (`bulk_apply::resume_queued`).

use crate::app::changes::{Job, Origin};
use crate::app::command::{Command, JobId};
use crate::app::state::{App, Level, Screen};
use crate::change::InUse;

use super::flash;

/// Apply was pressed and may not go yet: queue it if a check is running, else say why.
pub(super) fn press_unready(app: &mut App) {
    let Screen::Confirm(confirm) = &app.screen else {
        return;
    };
    let plan = app.plan(&confirm.change);
    let id = confirm.image().image_id.clone();
    if let Some(what) = plan.waiting_for() {
        if let Screen::Confirm(confirm) = &mut app.screen {
            confirm.queued = true;
        }
        flash(
            app,
            Level::Info,
            format!("Apply queued: waiting for {what} (Esc cancels it)"),
        );
    } else if plan.needs_typed_confirmation() {
        flash(
            app,
            Level::Warning,
            format!("type the image ID {id} to enable Apply: {}", why_typed(app)),
        );
    } else {
        let why = plan
            .items
            .iter()
            .find_map(|i| i.shared_refusal())
            .unwrap_or_else(|| "ECS would refuse this change".to_string());
        flash(app, Level::Error, format!("not sent: {why}"));
    }
}

/// Esc cancelled a queued Apply: the dialog stays, and says so.
pub(super) fn cancelled(app: &mut App) {
    flash(
        app,
        Level::Info,
        "queued Apply cancelled: nothing was sent (Esc again closes the dialog)",
    );
}

/// A check returned: a queued Apply goes out, keeps waiting, or asks for what it needs.
pub(super) fn resume(app: &mut App) -> Vec<Command> {
    if let Screen::BulkPlan(_) = &app.screen {
        return super::bulk_apply::resume_queued(app);
    }
    let Screen::Confirm(confirm) = &app.screen else {
        return Vec::new();
    };
    if !confirm.queued {
        return Vec::new();
    }
    let plan = app.plan(&confirm.change);
    if let Some(what) = plan.waiting_for() {
        flash(
            app,
            Level::Info,
            format!("Apply queued: waiting for {what} (Esc cancels it)"),
        );
        return Vec::new();
    }
    let ready = app.confirm_ready(confirm);
    let id = confirm.image().image_id.clone();
    if ready {
        flash(
            app,
            Level::Info,
            "the checks are in: the queued Apply was sent",
        );
        return apply(app);
    }
    let needs_typing = plan.needs_typed_confirmation();
    if let Screen::Confirm(confirm) = &mut app.screen {
        confirm.queued = false;
    }
    if needs_typing {
        let why = why_typed(app);
        flash(
            app,
            Level::Warning,
            format!("Apply not sent yet: {why} — type the image ID {id} to confirm"),
        );
    } else {
        press_unready(app);
    }
    Vec::new()
}

/// Which rule asks for the typed ID, for the bottom line.
fn why_typed(app: &App) -> String {
    let Screen::Confirm(confirm) = &app.screen else {
        return String::new();
    };
    let plan = app.plan(&confirm.change);
    for item in &plan.items {
        let rules = item.in_use();
        if let Some(first) = rules.first() {
            return format!("it is in use ({})", InUse::reason(first));
        }
        if item.family.needs_typed_confirmation() {
            return match item.before.family() {
                Some(f) => format!(
                    "it leaves family {f} resolving to nothing, or that could not be checked"
                ),
                None => "its family could not be checked".to_string(),
            };
        }
        if item.needs_typed_confirmation() {
            return "who uses it was not checked".to_string();
        }
    }
    String::new()
}

/// Apply: the change goes to the worker; the list stays usable while it runs.
pub(super) fn apply(app: &mut App) -> Vec<Command> {
    let screen = std::mem::replace(&mut app.screen, Screen::Browser);
    let Screen::Confirm(confirm) = screen else {
        return Vec::new();
    };
    let confirm = *confirm;
    if let Origin::Form(form) = confirm.origin {
        app.drafts
            .insert(confirm.change.image().image_id.clone(), *form);
    }
    app.next_job += 1;
    let job = JobId(app.next_job);
    // The change goes where the image lives (the list may span every region).
    let region = app.region_of(confirm.change.image());
    app.jobs.push(Job {
        id: job,
        region: region.clone(),
        change: confirm.change.clone(),
        cancelling: false,
    });
    vec![Command::ApplyChange {
        job,
        region,
        change: confirm.change,
    }]
}

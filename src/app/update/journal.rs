//! The journal view (`J`) and undo (`u`): read the journal, pick an entry, read the image
//! again, and confirm putting the old values back — in the same confirm dialog and through
//! the same `ApplyChange` as any edit.

use crate::app::changes::Origin;
use crate::app::command::Command;
use crate::app::journal_view::{JournalView, UndoOrigin, UndoPending, UndoTarget};
use crate::app::state::{App, Level, Loadable, Screen};
use crate::change::{undo_plan, Change, JournalEntry};
use crate::ecs::error::ApiError;
use crate::ecs::model::Image;
use crate::keys::{Context, Intent};

use super::{edit, flash, half};

/// `J`: the journal, read afresh (the CLI may have added to it).
pub(super) fn open(app: &mut App) -> Vec<Command> {
    app.screen = Screen::Journal(JournalView::default());
    load(app)
}

/// Reads the journal again, unless a read is under way.
pub(super) fn load(app: &mut App) -> Vec<Command> {
    if app.journal.as_ref().is_some_and(Loadable::is_loading) {
        return Vec::new();
    }
    app.journal = Some(Loadable::Loading);
    vec![Command::LoadJournal]
}

pub(super) fn on_journal_key(app: &mut App, intent: Option<Intent>) -> Vec<Command> {
    let count = match &app.screen {
        Screen::Journal(view) => view.rows(app.journal_entries(), app.journal_older).len(),
        _ => return Vec::new(),
    };
    let page = app.viewport.journal.max(1);
    let Screen::Journal(view) = &mut app.screen else {
        return Vec::new();
    };
    let last = count.saturating_sub(1);
    match intent {
        Some(Intent::Back | Intent::Journal) => app.screen = Screen::Browser,
        Some(Intent::Down) => view.selected = (view.selected + 1).min(last),
        Some(Intent::Up) => view.selected = view.selected.saturating_sub(1),
        Some(Intent::PageDown) => view.selected = (view.selected + page).min(last),
        Some(Intent::PageUp) => view.selected = view.selected.saturating_sub(page),
        Some(Intent::HalfPageDown) => view.selected = (view.selected + half(page)).min(last),
        Some(Intent::HalfPageUp) => view.selected = view.selected.saturating_sub(half(page)),
        Some(Intent::Top) => view.selected = 0,
        Some(Intent::Bottom) => view.selected = last,
        Some(Intent::Press) if count > 0 => view.open = Some(0),
        Some(Intent::Undo) => return undo_selected(app),
        Some(Intent::ImageOnly) => toggle_image(app),
        Some(Intent::Refresh) => return load(app),
        _ => {}
    }
    Vec::new()
}

/// Keys on one entry shown whole.
pub(super) fn on_entry_key(app: &mut App, intent: Option<Intent>) -> Vec<Command> {
    let scroll = app.viewport.entry_scroll;
    let Screen::Journal(view) = &mut app.screen else {
        return Vec::new();
    };
    let Some(offset) = &mut view.open else {
        return Vec::new();
    };
    match intent {
        Some(Intent::Back) => view.open = None,
        Some(Intent::Down) => *offset = (*offset + 1).min(scroll),
        Some(Intent::Up) => *offset = offset.saturating_sub(1),
        Some(Intent::Undo) => return undo_selected(app),
        _ => {}
    }
    Vec::new()
}

/// `i`: only the changes of the image selected in the list, or all again.
fn toggle_image(app: &mut App) {
    let selected = app
        .list
        .selected()
        .map(|i| (i.image_id.clone(), i.image_name.clone()));
    let Screen::Journal(view) = &mut app.screen else {
        return;
    };
    view.selected = 0;
    if view.image.take().is_some() {
        return;
    }
    match selected {
        Some(image) => view.image = Some(image),
        None => flash(
            app,
            Level::Info,
            "no image is selected in the list: showing every change",
        ),
    }
}

/// The journal arrived. An undo waiting for it (`u` on the list) takes the last change
/// that may be in place.
pub(super) fn on_loaded(
    app: &mut App,
    path: Option<String>,
    result: Result<Vec<JournalEntry>, String>,
    damaged: Vec<String>,
    older: usize,
) -> Vec<Command> {
    app.journal_path = path;
    app.journal_damaged = damaged;
    app.journal_older = older;
    app.journal = Some(match result {
        Ok(entries) => Loadable::Ready(entries),
        Err(message) => Loadable::Failed(message),
    });
    let count = match &app.screen {
        Screen::Journal(view) => view.rows(app.journal_entries(), app.journal_older).len(),
        _ => 0,
    };
    if let Screen::Journal(view) = &mut app.screen {
        view.selected = view.selected.min(count.saturating_sub(1));
        if count == 0 {
            view.open = None;
        }
    }
    if app.undo != Some(UndoPending::Last) {
        return Vec::new();
    }
    app.undo = None;
    let last = match &app.journal {
        // A batch is put back from its report (undo batch): `u` stays the last single change.
        Some(Loadable::Ready(entries)) => match entries
            .iter()
            .rposition(|e| e.undoable() && e.batch.is_none())
        {
            Some(i) => UndoTarget {
                number: app.journal_older + i + 1,
                entry: entries[i].clone(),
                from: None,
            },
            None => {
                let text = match app.journal_damaged.first() {
                    Some(damaged) => format!("nothing to undo in what could be read: {damaged}"),
                    None if entries.iter().any(|e| e.batch.is_some()) => {
                        "nothing to undo outside batches: a batch is undone from its report"
                            .to_string()
                    }
                    None if app.journal_older > 0 => format!(
                        "nothing to undo in the newest {} changes: `ecsimg journal` lists the \
                         {} older ones and `ecsimg undo N` undoes one",
                        entries.len(),
                        app.journal_older
                    ),
                    None => "nothing to undo: the journal has no successful change".to_string(),
                };
                flash(app, Level::Info, text);
                return Vec::new();
            }
        },
        Some(Loadable::Failed(message)) => {
            let text = format!("cannot undo: {message}");
            flash(app, Level::Error, text);
            return Vec::new();
        }
        _ => return Vec::new(),
    };
    start(app, last)
}

/// `u` on the list: the last successful change, once the journal is read.
pub(super) fn undo_last(app: &mut App) -> Vec<Command> {
    if app.undo.is_some() {
        flash(app, Level::Info, "an undo is being prepared already");
        return Vec::new();
    }
    app.undo = Some(UndoPending::Last);
    if app.journal.as_ref().is_some_and(Loadable::is_loading) {
        return Vec::new();
    }
    load(app)
}

/// `u` in the journal: the selected entry.
fn undo_selected(app: &mut App) -> Vec<Command> {
    let Screen::Journal(view) = &app.screen else {
        return Vec::new();
    };
    let Some((number, entry)) = view.chosen(app.journal_entries(), app.journal_older) else {
        flash(app, Level::Info, "no journal entry selected");
        return Vec::new();
    };
    let target = UndoTarget {
        number,
        entry: entry.clone(),
        from: Some(view.clone()),
    };
    start(app, target)
}

/// Reads the image again, unless the entry cannot be undone from here.
fn start(app: &mut App, target: UndoTarget) -> Vec<Command> {
    if let Some(why) = refusal(app, &target) {
        flash(app, Level::Warning, why);
        return Vec::new();
    }
    let region = target.entry.region.clone();
    let image_id = target.entry.image_id.clone();
    app.rereads.push(image_id.clone());
    app.undo = Some(UndoPending::Reading(Box::new(target)));
    vec![Command::RereadImage { region, image_id }]
}

/// Why `target` cannot be undone from this session, in words that say what to do.
fn refusal(app: &App, target: &UndoTarget) -> Option<String> {
    let (n, entry) = (target.number, &target.entry);
    if !entry.undoable() {
        return Some(format!(
            "#{n} {}: it changed nothing, so there is nothing to undo",
            entry.outcome.words()
        ));
    }
    if entry.profile != app.context.profile {
        return Some(format!(
            "#{n} was made with profile {}, this session uses {}: switch profile ({}) to undo it",
            entry.profile,
            app.context.profile,
            key_of(app, Intent::Profile)
        ));
    }
    if !app.shows_region(&entry.region) {
        return Some(format!(
            "#{n} was made in {}, this list is {}: switch region ({}) to undo it",
            entry.region,
            app.context.region,
            key_of(app, Intent::Region)
        ));
    }
    if app.job_for(&entry.image_id).is_some() {
        return Some(format!(
            "a change to {} is in flight: wait for its result",
            entry.image_name
        ));
    }
    None
}

fn key_of(app: &App, intent: Intent) -> String {
    app.keys
        .label_of(Context::Browser, intent)
        .unwrap_or_default()
}

/// An image was read again: if an undo waits for it, compare and open the confirm dialog.
pub(super) fn on_reread(
    app: &mut App,
    image_id: &str,
    result: &Result<Option<Image>, ApiError>,
) -> Vec<Command> {
    match &app.undo {
        Some(UndoPending::Reading(target)) if target.entry.image_id == image_id => {}
        _ => return Vec::new(),
    }
    let Some(UndoPending::Reading(target)) = app.undo.take() else {
        return Vec::new();
    };
    let target = *target;
    let n = target.number;
    let current = match result {
        Ok(Some(current)) => current,
        Ok(None) => {
            let text = format!("cannot undo #{n}: image {image_id} no longer exists");
            flash(app, Level::Error, text);
            return Vec::new();
        }
        Err(e) => {
            let text = format!(
                "cannot undo #{n}: reading {image_id} failed: {} — {}",
                e.code,
                e.meaning()
            );
            flash(app, Level::Error, text);
            return Vec::new();
        }
    };
    if !app.shows_region(&target.entry.region) {
        let text = format!("undo of #{n} set aside: the region changed meanwhile");
        flash(app, Level::Warning, text);
        return Vec::new();
    }
    if !matches!(app.screen, Screen::Browser | Screen::Journal(_)) {
        let text = format!("undo of #{n} set aside: another dialog is open (u again when done)");
        flash(app, Level::Warning, text);
        return Vec::new();
    }
    let plan = undo_plan(&target.entry, current);
    if plan.operation.is_empty() {
        let text = format!(
            "nothing to undo: {} already has the values from before #{n}",
            current.image_name
        );
        flash(app, Level::Info, text);
        return Vec::new();
    }
    if let Some(problem) = plan.operation.problems(current).into_iter().next() {
        let text = format!("cannot undo #{n}: ECS would refuse it: {problem}");
        flash(app, Level::Error, text);
        return Vec::new();
    }
    // The detail pane under the dialog shows the image being changed.
    app.list.select_id(&current.image_id);
    let mut commands = edit::want_facts(app, current);
    let origin = Origin::Undo(Box::new(UndoOrigin {
        target,
        drift: plan.drifted_fields,
    }));
    let change = Change::one(current.clone(), plan.operation);
    commands.extend(edit::open_confirm(app, change, origin));
    commands
}

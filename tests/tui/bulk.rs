//! Many images at once through the pure `update`, keys pressed as a person would: marks
//! that survive filtering, sorting and a refresh; the bulk edit checked live; the plan
//! with Cancel focused and the typed word; the batch's progress, Esc, the report, retry
//! failed and undo batch — and, against the simulator with the real worker, a batch that
//! lands and is journaled under one batch ID.

use std::time::Duration;

use crate::support::tui::{
    self, applied_ok, ch, facts, find, journal_entry, loaded_app, press, render, select, type_text,
    COLOR, REGION, WEB_GONE, WEB_LATEST, WEB_OLD,
};
use crossterm::event::KeyCode;
use ecsimg::app::{self, Action, App, BatchRequest, Command, Screen};
use ecsimg::change::{Applied, BatchItem, BatchReport, Field, ItemOutcome, Progress, Stop};
use ecsimg::ecs::model::ImageStatus;
use ecsimg::keys::Context;

fn marks(app: &App) -> Vec<String> {
    app.bulk.marks.iter().cloned().collect()
}

/// `/web` then `*`: the three web-frontend images marked.
fn mark_web(app: &mut App) {
    press(app, KeyCode::Char('/'));
    type_text(app, "web-frontend");
    press(app, KeyCode::Enter);
    app::update(app, ch('*'));
}

#[test]
fn marks_survive_filtering_sorting_and_a_refresh_and_a_vanished_image_is_said() {
    let mut app = loaded_app();
    mark_web(&mut app);
    let mut web = vec![WEB_OLD, WEB_LATEST, WEB_GONE];
    web.sort();
    assert_eq!(marks(&app), web);
    press(&mut app, KeyCode::Esc); // the filter goes, the marks stay
    app::update(&mut app, ch('o'));
    assert_eq!(app.bulk.marks.len(), 3);
    let screen = render(&app, 80, 24, COLOR);
    assert!(screen.contains("3 marked"), "{screen}");
    assert!(
        screen.contains(">*") || screen.contains(" *"),
        "marked rows show it: {screen}"
    );

    // A refresh that no longer brings one of them back.
    let commands = press(&mut app, KeyCode::Char('r'));
    let generation = match &commands[..] {
        [Command::LoadImages { generation, .. }] => *generation,
        other => panic!("{other:?}"),
    };
    let remaining: Vec<_> = tui::images()
        .into_iter()
        .filter(|i| i.image_id != WEB_GONE)
        .collect();
    let n = remaining.len() as u64;
    app::update(&mut app, tui::page(generation, REGION, 1, n, remaining));
    app::update(&mut app, tui::done(generation, REGION, n));
    assert_eq!(app.bulk.marks.len(), 2);
    let flash = app.flash.as_ref().expect("said").text.clone();
    assert!(
        flash.contains(WEB_GONE) && flash.contains("unmarked"),
        "{flash}"
    );

    // space toggles, - clears, v shows the set.
    select(&mut app, WEB_OLD);
    app::update(&mut app, ch(' '));
    assert_eq!(app.bulk.marks.len(), 1);
    app::update(&mut app, ch('v'));
    assert!(matches!(app.screen, Screen::Marked { .. }));
    assert!(render(&app, 80, 24, COLOR).contains(WEB_LATEST));
    press(&mut app, KeyCode::Esc);
    app::update(&mut app, ch('-'));
    assert!(app.bulk.marks.is_empty());
    app::update(&mut app, ch('b'));
    assert!(
        app.flash.as_ref().unwrap().text.contains("nothing marked"),
        "b with nothing marked says why"
    );
}

#[test]
fn a_rename_giving_two_images_one_name_is_caught_live_and_cannot_be_applied() {
    let mut app = loaded_app();
    mark_web(&mut app);
    app::update(&mut app, ch('b'));
    for _ in 0..3 {
        press(&mut app, KeyCode::Tab);
    }
    type_text(&mut app, "web-same");
    let screen = render(&app, 80, 24, COLOR);
    assert!(screen.contains("problems"), "{screen}");
    assert!(screen.contains("web-same"), "{screen}");
    press(&mut app, KeyCode::Enter);
    assert!(matches!(app.screen, Screen::BulkPlan(_)));
    assert!(render(&app, 80, 24, COLOR).contains("InvalidImageName.Duplicated"));
    press(&mut app, KeyCode::Tab);
    let commands = press(&mut app, KeyCode::Enter);
    assert!(commands.is_empty(), "{commands:?}");
    assert!(app
        .flash
        .as_ref()
        .unwrap()
        .text
        .starts_with("not sent: 3 problems ECS would refuse"));
    // Back to the form as typed, then a pattern that numbers them.
    press(&mut app, KeyCode::Esc);
    let Screen::BulkEdit(form) = &app.screen else {
        panic!("{:?}", app.screen)
    };
    assert_eq!(form.text.value(), "web-same");
    type_text(&mut app, "-{n}");
    press(&mut app, KeyCode::Enter);
    let Screen::BulkPlan(review) = &app.screen else {
        panic!()
    };
    assert!(
        app.bulk_ready(review).is_ok(),
        "{:?}",
        app.bulk_ready(review)
    );
}

#[test]
fn the_bulk_form_counts_one_image_as_one_image() {
    let mut app = loaded_app();
    select(&mut app, WEB_LATEST);
    app::update(&mut app, ch(' '));
    app::update(&mut app, ch('b'));
    let screen = render(&app, 80, 24, COLOR);
    assert!(screen.contains("Bulk edit: 1 marked image "), "{screen}");
    assert!(
        screen.contains("1 image can be changed: Enter reviews the plan"),
        "{screen}"
    );
}

#[test]
fn the_plan_opens_on_cancel_and_enter_there_sends_nothing() {
    let mut app = loaded_app();
    mark_web(&mut app);
    app::update(&mut app, ch('b'));
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "weekly rebuild");
    let commands = press(&mut app, KeyCode::Enter);
    assert!(
        commands.is_empty(),
        "a description touches no family: {commands:?}"
    );
    assert_eq!(app.key_context(), Context::BulkPlan);
    let screen = render(&app, 80, 24, COLOR);
    assert!(screen.contains("3 calls"), "{screen}");
    assert!(screen.contains("at 10 calls/s"), "{screen}");
    let commands = press(&mut app, KeyCode::Enter);
    assert!(commands.is_empty());
    assert!(matches!(app.screen, Screen::Browser));
    assert!(app
        .flash
        .as_ref()
        .unwrap()
        .text
        .contains("nothing was sent"));
}

fn applied(id: &str) -> BatchItem {
    BatchItem {
        before: find(id).into(),
        diff: Vec::new(),
        outcome: ItemOutcome::Applied(Applied {
            request_id: format!("REQ-{id}"),
            after: None,
            verified: true,
            dry_run: false,
            journal_error: None,
            reread_failed: None,
        }),
        attempts: 1,
    }
}

#[test]
fn emptying_a_family_asks_for_its_name_then_the_batch_runs_reports_and_can_be_undone() {
    let mut app = loaded_app();
    select(&mut app, WEB_OLD);
    app::update(&mut app, ch(' '));
    select(&mut app, WEB_LATEST);
    app::update(&mut app, ch(' '));
    app::update(&mut app, ch('b'));
    let commands = press(&mut app, KeyCode::Enter);
    assert!(
        matches!(&commands[..], [Command::LoadFamilyFacts { family, .. }, Command::LoadUsages { .. }] if family == "web-frontend"),
        "{commands:?}"
    );
    facts(&mut app, "web-frontend");
    tui::none_use(&mut app, &commands);
    assert_eq!(app.key_context(), Context::BulkPlanTyped);
    let screen = render(&app, 80, 24, COLOR);
    assert!(screen.contains("RESOLVES TO NOTHING"), "{screen}");
    assert!(screen.contains("Type web-frontend to confirm"), "{screen}");
    press(&mut app, KeyCode::Tab);
    assert!(
        press(&mut app, KeyCode::Enter).is_empty(),
        "not before the name is typed"
    );
    type_text(&mut app, "web-frontend");
    let commands = press(&mut app, KeyCode::Enter);
    let [Command::RunBatch(BatchRequest {
        job,
        pairs,
        concurrency,
        rate,
        ..
    })] = &commands[..]
    else {
        panic!("{commands:?}")
    };
    let job = *job;
    assert_eq!((pairs.len(), *concurrency, *rate), (2, 4, Some(10.0)));

    // Running: the list stays usable, the bar shows, Esc stops after the calls in flight.
    app::update(
        &mut app,
        Action::BatchProgress {
            job,
            progress: Box::new(Progress {
                total: 2,
                done: 1,
                in_flight: 1,
                elapsed: Duration::from_secs(1),
                rate: Some(10.0),
                ..Progress::default()
            }),
        },
    );
    assert_eq!(app.key_context(), Context::BrowserBatch);
    press(&mut app, KeyCode::Down);
    let screen = render(&app, 80, 24, COLOR);
    assert!(screen.contains("1/2 done"), "{screen}");
    assert_eq!(press(&mut app, KeyCode::Esc), [Command::Cancel(job)]);

    let report = BatchReport {
        batch: "b-20260101T000000Z-abcdef".into(),
        label: String::new(),
        items: vec![
            applied(WEB_OLD),
            BatchItem {
                outcome: ItemOutcome::NotAttempted,
                ..applied(WEB_LATEST)
            },
        ],
        stopped: Some(Stop::Cancelled),
        gave_up: None,
        elapsed: Duration::from_secs(2),
        throttled: 0,
    };
    app::update(
        &mut app,
        Action::BatchDone {
            job,
            report: Box::new(report),
            at: tui::AT.into(),
        },
    );
    assert!(matches!(app.screen, Screen::BatchReport { .. }));
    let screen = render(&app, 80, 24, COLOR);
    assert!(
        screen.contains("1 applied, 0 failed, 1 not attempted"),
        "{screen}"
    );
    assert!(screen.contains("NotAttempted × 1"), "{screen}");
    assert!(screen.contains("RequestId REQ-"), "{screen}");

    // Retry failed plans only the one not applied.
    app::update(&mut app, ch('f'));
    let Screen::BulkPlan(review) = &app.screen else {
        panic!("{:?}", app.screen)
    };
    assert_eq!(review.pairs.len(), 1);
    assert_eq!(review.pairs[0].0.image_id, WEB_LATEST);
    press(&mut app, KeyCode::Esc);

    // Undo batch: the journal's entries, then the plan that puts them back.
    app::update(&mut app, ch('B'));
    let commands = app::update(&mut app, ch('X'));
    assert_eq!(
        commands,
        [Command::LoadBatchUndo {
            batch: "b-20260101T000000Z-abcdef".into()
        }]
    );
    let mut now = find(WEB_OLD);
    now.status = ImageStatus::Deprecated;
    assert!(app.list.all().iter().any(|i| i.image_id == WEB_OLD));
    app.list.update(now);
    let entry = journal_entry(
        WEB_OLD,
        "web-frontend-v1.2.0",
        "2026-01-01T00:00:00Z",
        &[(Field::Status, "Available", "Deprecated")],
        applied_ok(),
    );
    app::update(
        &mut app,
        Action::BatchUndo {
            batch: "b-20260101T000000Z-abcdef".into(),
            result: Box::new(Ok(vec![entry])),
        },
    );
    let Screen::BulkPlan(review) = &app.screen else {
        panic!("{:?}", app.screen)
    };
    assert!(review.label.starts_with("undo batch"));
    let changes = review.pairs[0].1.changes().unwrap();
    assert_eq!(changes.status, Some(ImageStatus::Available));

    // `u` stays the last single change: a batch's entries are not it.
    press(&mut app, KeyCode::Esc);
    let mut in_batch = journal_entry(
        WEB_OLD,
        "web-frontend-v1.2.0",
        "2026-01-01T00:00:00Z",
        &[(Field::Status, "Available", "Deprecated")],
        applied_ok(),
    );
    in_batch.batch = Some("b-20260101T000000Z-abcdef".into());
    app::update(&mut app, ch('u'));
    tui::journal_read(&mut app, vec![in_batch]);
    assert!(app.undo.is_none());
    let flash = app.flash.as_ref().unwrap().text.clone();
    assert!(flash.contains("outside batches"), "{flash}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_from_the_marks_lands_in_the_simulator_and_is_journaled_under_one_batch_id() {
    let (sim, mut h, dir) = crate::flow::start().await;
    h.settle().await;
    h.key(KeyCode::Char('/'));
    h.type_text("redis-cache");
    h.key(KeyCode::Enter);
    h.key(KeyCode::Char('*'));
    let marked: Vec<String> = h.app.bulk.marks.iter().cloned().collect();
    assert!(marked.len() >= 3, "{marked:?}");
    h.key(KeyCode::Char('b'));
    h.key(KeyCode::Tab);
    h.key(KeyCode::Tab);
    h.type_text("kept for the audit");
    h.key(KeyCode::Enter);
    h.key(KeyCode::Tab);
    h.key(KeyCode::Enter);
    assert!(h.app.bulk.run.is_some(), "the batch runs in the background");
    h.settle().await;
    let report = h.app.bulk.report.clone().expect("a report");
    assert_eq!(report.applied(), marked.len(), "{}", report.headline());
    assert!(matches!(h.app.screen, Screen::BatchReport { .. }));
    for id in &marked {
        let image = sim.image(tui::REGION, id).unwrap();
        assert_eq!(image.description, "kept for the audit", "{id}");
        let listed = h.app.list.get(id).unwrap();
        assert_eq!(
            listed.description, "kept for the audit",
            "the list shows it"
        );
    }
    let journal = ecsimg::store::Journal::at(dir.path().join("journal.jsonl"));
    let entries = journal.entries().unwrap();
    assert_eq!(entries.len(), marked.len());
    assert!(entries
        .iter()
        .all(|e| e.batch.as_deref() == Some(report.batch.as_str()) && e.succeeded()));
}

#[test]
fn a_journal_entry_of_a_batch_names_its_batch() {
    let mut app = loaded_app();
    let mut entry = journal_entry(
        WEB_OLD,
        "web-frontend-v1.2.0",
        "2026-01-01T00:00:00Z",
        &[(Field::Description, "a1", "b1")],
        applied_ok(),
    );
    entry.batch = Some("b-20260101T000000Z-abcdef".into());
    app::update(&mut app, ch('J'));
    tui::journal_read(&mut app, vec![entry]);
    press(&mut app, KeyCode::Enter);
    let screen = render(&app, 80, 24, COLOR);
    assert!(
        screen.contains("Batch      b-20260101T000000Z-abcdef"),
        "{screen}"
    );
}

#[test]
fn every_bulk_screen_draws_at_the_smallest_size_and_at_80x24() {
    let mut app = loaded_app();
    mark_web(&mut app);
    let sizes = [(60, 16), (80, 24), (200, 50)];
    let mut screens = Vec::new();
    app::update(&mut app, ch('v'));
    screens.push(sizes.map(|(w, h)| render(&app, w, h, tui::ASCII)));
    press(&mut app, KeyCode::Esc);
    app::update(&mut app, ch('b'));
    screens.push(sizes.map(|(w, h)| render(&app, w, h, tui::NO_COLOR)));
    press(&mut app, KeyCode::Enter);
    screens.push(sizes.map(|(w, h)| render(&app, w, h, COLOR)));
    for [small, normal, _] in &screens {
        assert!(!small.contains("too small"), "{small}");
        assert!(!normal.trim().is_empty());
    }
    assert!(
        screens[0][1].contains("Marked: 3 images"),
        "{}",
        screens[0][1]
    );
    assert!(
        screens[1][1].contains("Bulk edit: 3 marked images"),
        "{}",
        screens[1][1]
    );
    assert!(
        screens[2][1].contains("Plan: set status to Deprecated"),
        "{}",
        screens[2][1]
    );
}

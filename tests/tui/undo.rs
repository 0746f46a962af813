//! The journal view (`J`) and undo (`u`), driven through the pure `update`: which entry is
//! undone, what the confirm dialog holds, which button Enter presses, and what is refused.

use crate::support::tui::*;
use crossterm::event::KeyCode;
use ecsimg::app::{self, Action, App, Button, Command, Origin, Screen};
use ecsimg::change::{Field, JournalEntry, Outcome};
use ecsimg::ecs::model::ImageStatus;
use ecsimg::keys::Context;

fn flash(app: &App) -> String {
    app.flash
        .as_ref()
        .map(|f| f.text.clone())
        .unwrap_or_default()
}

fn failed() -> Outcome {
    Outcome::Failed {
        code: "InvalidImageName.Malformed".into(),
        message: "The specified ImageName is wrongly formed.".into(),
    }
}

/// Three changes: a description (#1), a rename of the jump host (#2), a refused rename (#3).
fn entries() -> Vec<JournalEntry> {
    vec![
        journal_entry(
            WEB_OLD,
            "web-frontend-v1.2.0",
            "2026-05-01T09:00:00Z",
            &[(
                Field::Description,
                "old words",
                "前端服务镜像，基于 Ubuntu 22.04，预装 nginx 1.24 与 node 20",
            )],
            applied_ok(),
        ),
        journal_entry(
            LONE,
            "jump-host-old",
            "2026-05-01T10:00:00Z",
            &[(Field::ImageName, "jump-host-old", "jump-host")],
            applied_ok(),
        ),
        journal_entry(
            DB_ONLY,
            "数据库主节点镜像-2024",
            "2026-05-01T11:00:00Z",
            &[(Field::ImageName, "数据库主节点镜像-2024", "1号")],
            failed(),
        ),
    ]
}

fn confirm(app: &App) -> &ecsimg::app::Confirm {
    match &app.screen {
        Screen::Confirm(c) => c,
        other => panic!("expected the confirm dialog, got {other:?}"),
    }
}

/// `u` on the list, the journal read, the image read again.
fn undo_last(app: &mut App, entries: Vec<JournalEntry>, current: ecsimg::ecs::model::Image) {
    assert_eq!(press(app, KeyCode::Char('u')), vec![Command::LoadJournal]);
    assert!(app.busy());
    let commands = journal_read(app, entries);
    assert_eq!(
        commands,
        vec![Command::RereadImage {
            region: REGION.into(),
            image_id: current.image_id.clone()
        }]
    );
    reread(app, current);
}

#[test]
fn u_on_the_list_puts_back_the_last_successful_change_after_confirming() {
    let mut app = loaded_app();
    undo_last(&mut app, entries(), find(LONE));
    let c = confirm(&app);
    assert_eq!(c.image().image_id, LONE);
    let changes = c.change.operation.changes().unwrap();
    assert_eq!(changes.image_name.as_deref(), Some("jump-host-old"));
    assert_eq!(changes.fields(), vec![Field::ImageName], "nothing else");
    assert_eq!(c.focus, Button::Cancel, "Cancel is focused");
    let Origin::Undo(undo) = &c.origin else {
        panic!("{:?}", c.origin)
    };
    assert_eq!(undo.target.number, 2, "the failed #3 is skipped");
    assert!(undo.drift.is_empty());

    // Enter presses Cancel: nothing is sent and the list is back.
    assert!(press(&mut app, KeyCode::Enter).is_empty());
    assert_eq!(app.screen, Screen::Browser);

    undo_last(&mut app, entries(), find(LONE));
    press(&mut app, KeyCode::Tab);
    let commands = press(&mut app, KeyCode::Enter);
    match &commands[..] {
        [Command::ApplyChange { region, change, .. }] => {
            assert_eq!(region, REGION);
            assert_eq!(change.image().image_name, "jump-host");
            let changes = change.operation.changes().unwrap();
            assert_eq!(changes.image_name.as_deref(), Some("jump-host-old"));
        }
        other => panic!("expected one ApplyChange, got {other:?}"),
    }
    assert_eq!(app.screen, Screen::Browser);
}

#[test]
fn a_change_made_since_is_shown_before_confirming() {
    let mut app = loaded_app();
    let entry = journal_entry(
        LONE,
        "jump-host",
        "2026-05-01T10:00:00Z",
        &[(Field::ImageName, "jump-host-old", "jump-host-new")],
        applied_ok(),
    );
    undo_last(&mut app, vec![entry], find(LONE));
    let Origin::Undo(undo) = &confirm(&app).origin else {
        panic!()
    };
    assert_eq!(undo.drift.len(), 1);
    assert_eq!(undo.drift[0].found, "jump-host");
    let screen = render(&app, 80, 24, COLOR);
    assert!(
        screen.contains("changed since: Name is now jump-host, the change set jump-host-new"),
        "{screen}"
    );
    assert!(screen.contains("Undo #1 on jump-host"), "{screen}");
}

#[test]
fn values_already_back_leave_nothing_to_undo() {
    let mut app = loaded_app();
    let entry = journal_entry(
        LONE,
        "jump-host",
        "2026-05-01T10:00:00Z",
        &[(Field::ImageName, "jump-host", "jump-host-new")],
        applied_ok(),
    );
    undo_last(&mut app, vec![entry], find(LONE));
    assert_eq!(app.screen, Screen::Browser);
    assert!(
        flash(&app).starts_with("nothing to undo"),
        "{}",
        flash(&app)
    );
}

#[test]
fn an_empty_or_damaged_journal_says_so() {
    let mut app = loaded_app();
    press(&mut app, KeyCode::Char('u'));
    assert!(journal_read(&mut app, vec![]).is_empty());
    assert!(
        flash(&app).contains("no successful change"),
        "{}",
        flash(&app)
    );

    press(&mut app, KeyCode::Char('u'));
    let damaged = "cannot read the journal: /state/ecsimg/journal.jsonl:2: not a journal entry \
                   (key must be a string at line 1 column 2); move the file aside to start a new journal";
    app::update(
        &mut app,
        Action::Journal {
            path: Some("/state/ecsimg/journal.jsonl".into()),
            result: Box::new(Err(damaged.into())),
            damaged: Vec::new(),
            older: 0,
        },
    );
    assert!(flash(&app).contains("journal.jsonl:2"), "{}", flash(&app));

    // The journal view shows the whole message.
    let commands = press(&mut app, KeyCode::Char('J'));
    assert_eq!(commands, vec![Command::LoadJournal]);
    app::update(
        &mut app,
        Action::Journal {
            path: Some("/state/ecsimg/journal.jsonl".into()),
            result: Box::new(Err(damaged.into())),
            damaged: Vec::new(),
            older: 0,
        },
    );
    let screen = render(&app, 80, 24, COLOR);
    assert!(
        screen.contains("journal.jsonl:2: not a journal entry"),
        "{screen}"
    );
    assert!(screen.contains("move the file aside"), "{screen}");
}

#[test]
fn a_damaged_line_is_named_and_every_other_entry_still_lists_and_undoes() {
    let mut app = loaded_app();
    let damaged = "/state/ecsimg/journal.jsonl:2: not a journal entry (EOF while parsing a \
                   string at line 1 column 80); skipped, the other lines are read";
    let read = |app: &mut App| {
        app::update(
            app,
            Action::Journal {
                path: Some("/state/ecsimg/journal.jsonl".into()),
                result: Box::new(Ok(entries())),
                damaged: vec![damaged.into()],
                older: 0,
            },
        )
    };
    press(&mut app, KeyCode::Char('J'));
    read(&mut app);
    let screen = render(&app, 120, 40, COLOR);
    assert!(
        screen.contains("journal.jsonl:2: not a journal entry"),
        "{screen}"
    );
    assert!(screen.contains("Journal (3 changes"), "{screen}");
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('u'));
    assert_eq!(
        read(&mut app),
        vec![Command::RereadImage {
            region: REGION.into(),
            image_id: LONE.into()
        }],
        "undo takes the last change that may be in place"
    );
}

#[test]
fn the_journal_lists_newest_first_opens_an_entry_and_filters_by_image() {
    let mut app = loaded_app();
    select(&mut app, LONE);
    assert_eq!(
        press(&mut app, KeyCode::Char('J')),
        vec![Command::LoadJournal]
    );
    journal_read(&mut app, entries());
    assert_eq!(app.key_context(), Context::Journal);
    let Screen::Journal(view) = &app.screen else {
        panic!()
    };
    let numbers: Vec<usize> = view
        .rows(app.journal_entries(), 0)
        .iter()
        .map(|(n, _)| *n)
        .collect();
    assert_eq!(numbers, [3, 2, 1]);

    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.key_context(), Context::JournalEntry);
    let screen = render(&app, 80, 24, COLOR);
    assert!(screen.contains("Journal #2"), "{screen}");
    assert!(screen.contains("jump-host-old → jump-host"), "{screen}");
    assert!(screen.contains("REQ-m-bp1lone000000000001"), "{screen}");
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.key_context(), Context::Journal);

    // i: only the image selected in the list; again: every change.
    press(&mut app, KeyCode::Char('i'));
    let Screen::Journal(view) = &app.screen else {
        panic!()
    };
    let shown: Vec<&str> = view
        .rows(app.journal_entries(), 0)
        .iter()
        .map(|(_, e)| e.image_id.as_str())
        .collect();
    assert_eq!(shown, [LONE]);
    assert!(render(&app, 80, 24, COLOR).contains("Journal of jump-host"));
    press(&mut app, KeyCode::Char('i'));
    let Screen::Journal(view) = &app.screen else {
        panic!()
    };
    assert_eq!(view.rows(app.journal_entries(), 0).len(), 3);

    // J (or Esc) goes back to the list.
    press(&mut app, KeyCode::Char('J'));
    assert_eq!(app.screen, Screen::Browser);
}

#[test]
fn only_applied_changes_of_this_profile_and_region_are_undone() {
    let mut app = loaded_app();
    let mut elsewhere = journal_entry(
        API_NEWER,
        "api-gateway-2024.05",
        "2026-05-01T08:00:00Z",
        &[(Field::Status, "Available", "Deprecated")],
        applied_ok(),
    );
    elsewhere.region = "cn-shanghai".into();
    let mut other_profile = elsewhere.clone();
    other_profile.region = REGION.into();
    other_profile.profile = "prod".into();
    let refused = journal_entry(
        LONE,
        "jump-host",
        "2026-05-01T09:00:00Z",
        &[(Field::ImageName, "jump-host", "1")],
        failed(),
    );
    press(&mut app, KeyCode::Char('J'));
    journal_read(&mut app, vec![elsewhere, refused, other_profile]);

    assert!(press(&mut app, KeyCode::Char('u')).is_empty());
    assert!(flash(&app).contains("profile prod"), "{}", flash(&app));
    assert!(flash(&app).contains("(P)"), "{}", flash(&app));
    press(&mut app, KeyCode::Char('j'));
    assert!(press(&mut app, KeyCode::Char('u')).is_empty());
    assert!(flash(&app).contains("nothing to undo"), "{}", flash(&app));
    press(&mut app, KeyCode::Char('j'));
    assert!(press(&mut app, KeyCode::Char('u')).is_empty());
    assert!(
        flash(&app).contains("made in cn-shanghai"),
        "{}",
        flash(&app)
    );
    assert!(flash(&app).contains("(R)"), "{}", flash(&app));
    assert!(!app.busy());
}

#[test]
fn cancel_goes_back_to_the_journal_where_the_undo_started() {
    let mut app = loaded_app();
    press(&mut app, KeyCode::Char('J'));
    journal_read(&mut app, entries());
    press(&mut app, KeyCode::Char('j'));
    let commands = press(&mut app, KeyCode::Char('u'));
    assert_eq!(
        commands,
        vec![Command::RereadImage {
            region: REGION.into(),
            image_id: LONE.into()
        }]
    );
    reread(&mut app, find(LONE));
    assert!(matches!(app.screen, Screen::Confirm(_)));
    press(&mut app, KeyCode::Esc);
    let Screen::Journal(view) = &app.screen else {
        panic!("{:?}", app.screen)
    };
    assert_eq!(view.selected, 1, "the same entry is still selected");
}

#[test]
fn undoing_a_change_that_would_empty_a_family_asks_for_the_image_id() {
    let mut app = loaded_app();
    // #1 made the only image of 数据库 Available again; undoing it deprecates it.
    let entry = journal_entry(
        DB_ONLY,
        "数据库主节点镜像-2024",
        "2026-05-01T10:00:00Z",
        &[(Field::Status, "Deprecated", "Available")],
        applied_ok(),
    );
    press(&mut app, KeyCode::Char('u'));
    journal_read(&mut app, vec![entry]);
    let commands = reread(&mut app, find(DB_ONLY));
    assert_eq!(
        commands,
        vec![
            Command::LoadFamilyFacts {
                region: REGION.into(),
                family: "数据库".into()
            },
            Command::LoadUsage {
                region: REGION.into(),
                image: find(DB_ONLY)
            }
        ],
        "the undo deprecates: who uses the image is read too"
    );
    unused(&mut app, DB_ONLY);
    assert_eq!(
        confirm(&app).change.operation.changes().unwrap().status,
        Some(ImageStatus::Deprecated)
    );
    facts(&mut app, "数据库");
    assert_eq!(app.key_context(), Context::ConfirmTyped);
    press(&mut app, KeyCode::Tab);
    assert!(
        press(&mut app, KeyCode::Enter).is_empty(),
        "not before the ID"
    );
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, DB_ONLY);
    // The ID matches: the focus is on Apply, so Enter presses it.
    assert_eq!(confirm(&app).focus, ecsimg::app::Button::Apply);
    let commands = press(&mut app, KeyCode::Enter);
    assert!(
        matches!(&commands[..], [Command::ApplyChange { .. }]),
        "{commands:?}"
    );
}

#[test]
fn another_images_reread_does_not_open_the_dialog() {
    let mut app = loaded_app();
    press(&mut app, KeyCode::Char('u'));
    journal_read(&mut app, entries());
    reread(&mut app, find(WEB_OLD));
    assert_eq!(app.screen, Screen::Browser);
    reread(&mut app, find(LONE));
    assert!(matches!(app.screen, Screen::Confirm(_)));
}

#[test]
fn a_change_ending_while_the_journal_is_shown_reads_it_again() {
    let mut app = loaded_app();
    undo_last(&mut app, entries(), find(LONE));
    press(&mut app, KeyCode::Tab);
    let commands = press(&mut app, KeyCode::Enter);
    let [Command::ApplyChange { job, change, .. }] = &commands[..] else {
        panic!("{commands:?}")
    };
    press(&mut app, KeyCode::Char('J'));
    journal_read(&mut app, entries());
    let after = change.operation.after(change.image());
    let commands = app::update(
        &mut app,
        Action::ChangeApplied {
            job: *job,
            applied: Box::new(ecsimg::change::Applied {
                request_id: "REQ-UNDO".into(),
                after: Some(after),
                verified: true,
                dry_run: false,
                journal_error: None,
                ..Default::default()
            }),
            at: AT.into(),
        },
    );
    assert_eq!(commands, vec![Command::LoadJournal]);
    assert_eq!(app.list.get(LONE).unwrap().image_name, "jump-host-old");
}

#[test]
fn a_long_journal_shows_its_newest_changes_with_their_numbers_and_says_how_many_are_older() {
    let mut app = loaded_app();
    press(&mut app, KeyCode::Char('J'));
    app::update(
        &mut app,
        Action::Journal {
            path: Some("/state/ecsimg/journal.jsonl".into()),
            result: Box::new(Ok(entries())),
            damaged: Vec::new(),
            older: 40,
        },
    );
    let screen = render(&app, 80, 24, COLOR);
    assert!(screen.contains("the newest 3 of 43 changes"), "{screen}");
    assert!(
        screen.contains("40 older changes are not shown: `ecsimg journal` lists them all"),
        "{screen}"
    );
    assert!(
        screen.contains("#42"),
        "numbers go on after the older ones: {screen}"
    );
    // Undo of the newest that may be in place takes the journal's own number.
    let Screen::Journal(view) = &app.screen else {
        panic!("not the journal");
    };
    assert_eq!(
        view.chosen(app.journal_entries(), app.journal_older)
            .unwrap()
            .0,
        43
    );
}

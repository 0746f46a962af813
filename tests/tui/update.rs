//! Every key flow of the TUI, driven through the pure `update`: no terminal, no network.

use crate::support::tui::*;
use crossterm::event::KeyCode;
use ecsimg::app::form::FormFocus;
use ecsimg::app::{
    self, Action, App, Button, Command, ImpactView, JobId, Landed, Level, Loadable, Outcome, Screen,
};
use ecsimg::change::{Applied, ApplyError};
use ecsimg::change::{Change, Field, ImageChanges, Interrupted, Stop};
use ecsimg::ecs::error::ApiError;
use ecsimg::ecs::model::{ImageStatus, Region};
use ecsimg::rules::FamilyImpact;

fn form(app: &App) -> &ecsimg::app::form::Form {
    app.form().expect("the edit form is open")
}

fn confirm(app: &App) -> &ecsimg::app::Confirm {
    match &app.screen {
        Screen::Confirm(c) => c,
        other => panic!("expected the confirm dialog, got {other:?}"),
    }
}

fn flash(app: &App) -> String {
    app.flash
        .as_ref()
        .map(|f| f.text.clone())
        .unwrap_or_default()
}

/// Opens the form on `id`, clears the name and types `name`.
fn rename(app: &mut App, id: &str, name: &str) -> Vec<Command> {
    select(app, id);
    let mut commands = press(app, KeyCode::Char('e'));
    commands.extend(app::update(app, ctrl('u')));
    commands.extend(type_text(app, name));
    commands
}

/// Submits the open form and presses Apply in the confirm dialog; returns the job.
fn submit_and_apply(app: &mut App) -> (JobId, Command) {
    app::update(app, ctrl('o'));
    assert!(matches!(app.screen, Screen::Confirm(_)), "{:?}", flash(app));
    press(app, KeyCode::Tab);
    let commands = press(app, KeyCode::Enter);
    match &commands[..] {
        [c @ Command::ApplyChange { job, .. }] => (*job, c.clone()),
        other => panic!("expected one ApplyChange, got {other:?}"),
    }
}

fn applied(change: &ecsimg::change::Change) -> Box<Applied> {
    let after = change.operation.after(change.image());
    Box::new(Applied {
        request_id: "REQ-MODIFY-1".into(),
        after: Some(after),
        verified: true,
        dry_run: false,
        journal_error: None,
        ..Default::default()
    })
}

// ---- loading -------------------------------------------------------------------------

#[test]
fn the_list_fills_in_as_pages_arrive() {
    let mut app = new_app(context());
    let commands = app::init(&mut app);
    assert_eq!(
        commands,
        vec![Command::LoadImages {
            region: REGION.into(),
            generation: 1
        }]
    );
    assert!(app.busy());
    let all = images();
    app::update(&mut app, page(1, REGION, 1, 9, all[..5].to_vec()));
    assert_eq!(app.list.visible_len(), 5);
    let loading = app.loading.as_ref().unwrap();
    assert_eq!((loading.received, loading.total), (5, 9));
    app::update(&mut app, page(1, REGION, 2, 9, all[5..].to_vec()));
    app::update(&mut app, done(1, REGION, 9));
    assert_eq!(app.list.visible_len(), 9);
    assert!(!app.busy());
    assert_eq!(app.notices.len(), 1);
    assert_eq!(app.notices[0].request_id.as_deref(), Some("REQ-PAGE-2"));
    assert_eq!(app.notices[0].at, AT);
}

#[test]
fn a_stale_page_from_a_previous_region_is_dropped() {
    let mut app = new_app(context());
    app::init(&mut app);
    // R: the region picker asks for the regions.
    assert_eq!(
        press(&mut app, KeyCode::Char('R')),
        vec![Command::LoadRegions]
    );
    let regions = vec![
        Region {
            region_id: "cn-hangzhou".into(),
            local_name: "华东1（杭州）".into(),
            ..Region::default()
        },
        Region {
            region_id: "cn-shanghai".into(),
            local_name: "华东2（上海）".into(),
            ..Region::default()
        },
    ];
    app::update(
        &mut app,
        Action::Regions {
            result: Box::new(Ok(regions)),
            at: AT.into(),
        },
    );
    press(&mut app, KeyCode::Down);
    let commands = press(&mut app, KeyCode::Enter);
    assert_eq!(
        commands,
        vec![Command::LoadImages {
            region: "cn-shanghai".into(),
            generation: 2
        }]
    );
    assert_eq!(app.context.region, "cn-shanghai");
    // Hangzhou's pages, still on their way, must not land in Shanghai's list.
    app::update(&mut app, page(1, "cn-hangzhou", 1, 9, images()));
    app::update(&mut app, done(1, "cn-hangzhou", 9));
    assert_eq!(app.list.visible_len(), 0);
    assert!(app.loading.is_some(), "the Shanghai load is still running");
    let shanghai = vec![image(
        "m-uf6aaaa0000000000001",
        "上海-web",
        "",
        ImageStatus::Available,
        "2024-01-01T00:00:00Z",
        "",
        "",
        40,
    )];
    app::update(&mut app, page(2, "cn-shanghai", 1, 1, shanghai));
    app::update(&mut app, done(2, "cn-shanghai", 1));
    assert_eq!(app.list.visible_len(), 1);
    assert_eq!(app.list.selected().unwrap().image_name, "上海-web");
}

#[test]
fn refresh_keeps_the_selection_by_image_id() {
    let mut app = loaded_app();
    select(&mut app, DB_ONLY);
    let row_before = app.list.selected_row();
    let commands = press(&mut app, KeyCode::Char('r'));
    assert_eq!(
        commands,
        vec![Command::LoadImages {
            region: REGION.into(),
            generation: 2
        }]
    );
    // The first page of the reload lacks the selected image; the second brings it.
    let all = images();
    let (with, without): (Vec<_>, Vec<_>) = all.into_iter().partition(|i| i.image_id == DB_ONLY);
    app::update(&mut app, page(2, REGION, 1, 9, without));
    app::update(&mut app, page(2, REGION, 2, 9, with));
    app::update(&mut app, done(2, REGION, 9));
    assert_eq!(app.list.selected().unwrap().image_id, DB_ONLY);
    assert_eq!(app.list.selected_row(), row_before);
}

#[test]
fn a_refresh_that_finds_nothing_empties_the_list() {
    let mut app = loaded_app();
    press(&mut app, KeyCode::Char('r'));
    app::update(&mut app, done(2, REGION, 0));
    assert_eq!(app.list.visible_len(), 0);
}

#[test]
fn a_failed_load_says_what_to_do() {
    let mut app = new_app(context());
    app::init(&mut app);
    let mut error = ApiError::from_code("Forbidden.RAM", "User not authorized", Some(403));
    error.request_id = Some("REQ-DENIED".into());
    app::update(&mut app, load_failed(1, REGION, error));
    assert!(!app.busy());
    // The list shows the failure in full (the render tests); the error is kept for it, and
    // the notice explains it.
    assert_eq!(
        app.load_error.as_ref().map(|e| e.code.as_str()),
        Some("Forbidden.RAM")
    );
    let notice = app.notices.last().unwrap();
    assert_eq!(notice.request_id.as_deref(), Some("REQ-DENIED"));
    assert!(notice.meaning.is_some(), "{notice:?}");
    let commands = press(&mut app, KeyCode::Char('r'));
    assert!(
        matches!(commands[..], [Command::LoadImages { .. }]),
        "r retries: {commands:?}"
    );
}

// ---- moving and filtering ---------------------------------------------------------------

#[test]
fn keys_move_the_selection() {
    let mut app = loaded_app();
    press(&mut app, KeyCode::Char('G'));
    assert_eq!(app.list.selected_row(), Some(8));
    press(&mut app, KeyCode::Char('k'));
    assert_eq!(app.list.selected_row(), Some(7));
    press(&mut app, KeyCode::Char('g'));
    assert_eq!(app.list.selected_row(), Some(0));
    press(&mut app, KeyCode::PageDown);
    assert_eq!(
        app.list.selected_row(),
        Some(8),
        "a page is longer than the list"
    );
    press(&mut app, KeyCode::Up);
    press(&mut app, KeyCode::PageUp);
    assert_eq!(app.list.selected_row(), Some(0));
}

#[test]
fn slash_filters_as_you_type_and_esc_clears() {
    let mut app = loaded_app();
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "web");
    assert_eq!(app.list.visible_len(), 3);
    // Letters go to the filter, not to the list's keys.
    assert_eq!(app.screen, Screen::Browser);
    press(&mut app, KeyCode::Backspace);
    press(&mut app, KeyCode::Backspace);
    press(&mut app, KeyCode::Backspace);
    type_text(&mut app, "数据");
    assert_eq!(
        app.list.visible_len(),
        1,
        "the family 数据库 and the Chinese name"
    );
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.list.visible_len(), 9);
    assert!(!app.list.filtering);
}

#[test]
fn enter_keeps_the_filter_and_the_list_keys_come_back() {
    let mut app = loaded_app();
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "api");
    press(&mut app, KeyCode::Enter);
    assert!(!app.list.filtering);
    assert_eq!(app.list.visible_len(), 2);
    press(&mut app, KeyCode::Char('j'));
    assert_eq!(app.list.selected_row(), Some(1));
    // Esc on the list clears a kept filter.
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.list.visible_len(), 9);
}

#[test]
fn the_filter_matches_the_description_and_the_id() {
    let mut app = loaded_app();
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "cve-2024");
    assert_eq!(app.list.selected().unwrap().image_id, WEB_LATEST);
    app::update(&mut app, ctrl('u'));
    app::update(&mut app, Action::Paste(SHARED.into()));
    assert_eq!(app.list.visible_len(), 1);
    assert_eq!(app.list.selected().unwrap().image_id, SHARED);
}

#[test]
fn o_sorts_by_created_then_family() {
    let mut app = loaded_app();
    press(&mut app, KeyCode::Char('o'));
    assert_eq!(app.list.row(0).unwrap().image_id, CREATING, "newest first");
    press(&mut app, KeyCode::Char('o'));
    assert_eq!(app.list.row(0).unwrap().image_family, "api");
    assert!(flash(&app).contains("family"));
}

// ---- the edit form ----------------------------------------------------------------------

#[test]
fn e_opens_the_form_with_the_current_values_and_loads_the_family() {
    let mut app = loaded_app();
    select(&mut app, WEB_LATEST);
    let commands = press(&mut app, KeyCode::Char('e'));
    assert_eq!(
        commands,
        vec![Command::LoadFamilyFacts {
            region: REGION.into(),
            family: "web-frontend".into()
        }]
    );
    let f = form(&app);
    assert_eq!(
        f.field(Field::ImageName).unwrap().value(),
        "web-frontend-v1.3.0"
    );
    assert_eq!(f.field(Field::Status).unwrap().value(), "Available");
    assert_eq!(f.focus, FormFocus::Field(0));
    assert!(f.changes().is_empty());
}

#[test]
fn enter_on_the_list_opens_the_form_too() {
    let mut app = loaded_app();
    press(&mut app, KeyCode::Enter);
    assert!(app.form().is_some());
}

#[test]
fn an_unchanged_form_says_no_changes_and_sends_nothing() {
    let mut app = loaded_app();
    press(&mut app, KeyCode::Char('e'));
    let commands = app::update(&mut app, ctrl('o'));
    assert!(commands.is_empty());
    assert!(flash(&app).starts_with("no changes"), "{}", flash(&app));
    assert!(app.form().is_some(), "the form stays open");
}

#[test]
fn submit_is_refused_while_a_field_is_invalid_and_focus_goes_to_it() {
    let mut app = loaded_app();
    select(&mut app, WEB_LATEST);
    press(&mut app, KeyCode::Char('e'));
    // A valid new name, then a description that starts with http://.
    app::update(&mut app, ctrl('u'));
    type_text(&mut app, "web-frontend-v1.3.1");
    press(&mut app, KeyCode::Tab);
    app::update(&mut app, ctrl('u'));
    type_text(&mut app, "http://example.com");
    let check = form(&app).check(1).unwrap();
    assert_eq!(
        check.problem.as_ref().unwrap().code,
        "InvalidDescription.Malformed"
    );
    // Move away, then submit from the buttons.
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    let commands = app::update(&mut app, ctrl('o'));
    assert!(commands.is_empty());
    assert!(matches!(app.screen, Screen::Form(_)));
    assert_eq!(
        form(&app).focus,
        FormFocus::Field(1),
        "focus on the description"
    );
    let text = flash(&app);
    assert!(text.contains("cannot start with http://"), "{text}");
    assert!(text.contains("InvalidDescription.Malformed"), "{text}");
    assert_eq!(app.flash.as_ref().unwrap().level, Level::Error);
}

#[test]
fn every_keystroke_is_validated_counting_characters_not_bytes() {
    let mut app = loaded_app();
    press(&mut app, KeyCode::Char('e'));
    app::update(&mut app, ctrl('u'));
    type_text(&mut app, "镜");
    let check = form(&app).check(0).unwrap();
    assert_eq!(check.count, 1);
    assert_eq!(check.problem.unwrap().message, "2–128 characters: 1 now");
    type_text(&mut app, "像");
    let check = form(&app).check(0).unwrap();
    assert_eq!(check.count, 2);
    assert_eq!(
        check.problem, None,
        "two Chinese characters are a valid name"
    );
    type_text(&mut app, " 1");
    assert!(form(&app)
        .check(0)
        .unwrap()
        .problem
        .unwrap()
        .message
        .contains("a space"));
}

#[test]
fn text_fields_edit_with_cursor_keys_and_paste() {
    let mut app = loaded_app();
    select(&mut app, LONE);
    press(&mut app, KeyCode::Char('e'));
    press(&mut app, KeyCode::Home);
    type_text(&mut app, "eu-");
    press(&mut app, KeyCode::End);
    app::update(&mut app, Action::Paste("-2024\n".into()));
    assert_eq!(
        form(&app).field(Field::ImageName).unwrap().value(),
        "eu-jump-host-2024"
    );
    app::update(&mut app, ctrl('w'));
    assert_eq!(
        form(&app).field(Field::ImageName).unwrap().value(),
        "eu-jump-host-"
    );
    // q and j are typed, not commands, while a text field has focus.
    type_text(&mut app, "qj");
    assert!(!app.should_quit());
    assert_eq!(
        form(&app).field(Field::ImageName).unwrap().value(),
        "eu-jump-host-qj"
    );
}

#[test]
fn pickers_change_with_left_and_right() {
    let mut app = loaded_app();
    select(&mut app, LONE);
    press(&mut app, KeyCode::Char('e'));
    for _ in 0..4 {
        press(&mut app, KeyCode::Tab);
    }
    assert_eq!(form(&app).focus, FormFocus::Field(4), "boot mode");
    press(&mut app, KeyCode::Right);
    assert_eq!(form(&app).field(Field::BootMode).unwrap().value(), "UEFI");
    press(&mut app, KeyCode::Left);
    press(&mut app, KeyCode::Left);
    assert_eq!(
        form(&app).field(Field::BootMode).unwrap().value(),
        "UEFI-Preferred"
    );
    assert_eq!(form(&app).changes().fields(), vec![Field::BootMode]);
}

#[test]
fn imds_v2_to_v1_is_refused_before_it_is_sent() {
    let mut app = loaded_app();
    select(&mut app, WEB_OLD);
    press(&mut app, KeyCode::Char('e'));
    press(&mut app, KeyCode::BackTab); // Cancel
    press(&mut app, KeyCode::BackTab); // Submit
    press(&mut app, KeyCode::BackTab); // IMDS
    press(&mut app, KeyCode::Left);
    assert_eq!(form(&app).field(Field::ImdsSupport).unwrap().value(), "v1");
    let commands = app::update(&mut app, ctrl('o'));
    assert!(commands.is_empty());
    assert!(flash(&app).contains("InvalidOperation.FeaturesImdsSupportNotMatch"));
}

#[test]
fn esc_leaves_an_untouched_form_at_once() {
    let mut app = loaded_app();
    press(&mut app, KeyCode::Char('e'));
    assert!(press(&mut app, KeyCode::Esc).is_empty());
    assert_eq!(app.screen, Screen::Browser);
}

#[test]
fn esc_on_a_form_with_changes_asks_before_discarding_them() {
    let mut app = loaded_app();
    select(&mut app, LONE);
    press(&mut app, KeyCode::Char('e'));
    type_text(&mut app, "x");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "y");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "fam");
    assert!(press(&mut app, KeyCode::Esc).is_empty());
    assert!(app.form().is_some(), "the first Esc only asks");
    assert_eq!(
        flash(&app),
        "Discard 3 changes? Esc again discards, Enter keeps editing"
    );
    // Enter keeps editing: the focus and the values stay where they were.
    let focus = form(&app).focus;
    press(&mut app, KeyCode::Enter);
    assert_eq!(form(&app).focus, focus);
    assert_eq!(form(&app).field(Field::ImageFamily).unwrap().value(), "fam");
    assert_eq!(flash(&app), "");
    // Asked again, Esc twice discards.
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.screen, Screen::Browser);
    assert!(app.drafts.is_empty());
    // Any other key in between answers "keep editing" too.
    press(&mut app, KeyCode::Char('e'));
    type_text(&mut app, "x");
    press(&mut app, KeyCode::Esc);
    type_text(&mut app, "z");
    press(&mut app, KeyCode::Esc);
    assert!(app.form().is_some(), "z took back the question");
    assert_eq!(form(&app).fields[0].value(), "jump-hostxz");
}

// ---- the confirm dialog -----------------------------------------------------------------

#[test]
fn the_confirm_dialog_opens_with_cancel_focused_and_enter_presses_cancel() {
    let mut app = loaded_app();
    rename(&mut app, LONE, "jump-host-2");
    app::update(&mut app, ctrl('o'));
    let c = confirm(&app);
    assert_eq!(c.focus, Button::Cancel);
    assert_eq!(
        c.change.operation.changes().unwrap().fields(),
        vec![Field::ImageName]
    );
    let commands = press(&mut app, KeyCode::Enter);
    assert!(commands.is_empty(), "Enter pressed Cancel: nothing is sent");
    assert_eq!(
        form(&app).field(Field::ImageName).unwrap().value(),
        "jump-host-2",
        "back in the form, as typed"
    );
}

#[test]
fn y_does_not_bypass_the_confirm_dialog() {
    let mut app = loaded_app();
    rename(&mut app, LONE, "jump-host-2");
    app::update(&mut app, ctrl('o'));
    for c in ['y', 'Y', 'a'] {
        let commands = app::update(&mut app, ch(c));
        assert!(
            commands.iter().all(|c| matches!(c, Command::Copy(_))),
            "{c}: {commands:?}"
        );
    }
    assert_eq!(confirm(&app).focus, Button::Cancel);
    assert!(app.jobs.is_empty());
}

#[test]
fn tab_moves_to_apply_and_enter_sends_only_the_changed_fields() {
    let mut app = loaded_app();
    rename(&mut app, LONE, "jump-host-2");
    app::update(&mut app, ctrl('o'));
    press(&mut app, KeyCode::Right);
    assert_eq!(confirm(&app).focus, Button::Apply);
    press(&mut app, KeyCode::Left);
    assert_eq!(confirm(&app).focus, Button::Cancel);
    press(&mut app, KeyCode::Tab);
    let commands = press(&mut app, KeyCode::Enter);
    assert_eq!(
        commands,
        vec![Command::ApplyChange {
            job: JobId(1),
            region: REGION.into(),
            change: Change::modify(
                find(LONE),
                ImageChanges {
                    image_name: Some("jump-host-2".into()),
                    ..ImageChanges::default()
                }
            ),
        }]
    );
    assert_eq!(app.screen, Screen::Browser);
    assert!(app.busy());
}

#[test]
fn esc_in_the_confirm_dialog_goes_back_to_the_form() {
    let mut app = loaded_app();
    rename(&mut app, LONE, "jump-host-2");
    app::update(&mut app, ctrl('o'));
    press(&mut app, KeyCode::Tab);
    assert!(press(&mut app, KeyCode::Esc).is_empty());
    assert!(app.form().is_some());
}

// ---- the status picker and the family -------------------------------------------------

fn open_status(app: &mut App, id: &str) -> Vec<Command> {
    select(app, id);
    press(app, KeyCode::Char('s'))
}

#[test]
fn deprecating_the_latest_shows_the_rollback_once_the_family_is_checked() {
    let mut app = loaded_app();
    let commands = open_status(&mut app, WEB_LATEST);
    assert_eq!(
        commands,
        vec![
            Command::LoadFamilyFacts {
                region: REGION.into(),
                family: "web-frontend".into()
            },
            Command::LoadUsage {
                region: REGION.into(),
                image: find(WEB_LATEST)
            }
        ]
    );
    press(&mut app, KeyCode::Char('j'));
    let Screen::StatusPicker(picker) = &app.screen else {
        panic!("status picker")
    };
    assert_eq!(*picker.chosen(), ImageStatus::Deprecated);
    let changes = picker.changes();
    assert_eq!(
        app.impact(&picker.image, &changes),
        ImpactView::Checking("web-frontend".into())
    );
    facts(&mut app, "web-frontend");
    let Screen::StatusPicker(picker) = &app.screen else {
        panic!("status picker")
    };
    let ImpactView::Known(impact) = app.impact(&picker.image, &changes) else {
        panic!("facts are in")
    };
    assert!(matches!(impact, FamilyImpact::Rollback { .. }));
    assert!(impact.lines()[0].contains("web-frontend-v1.2.0"));
    unused(&mut app, WEB_LATEST);
    // Enter goes to the confirm dialog; Cancel still has focus.
    press(&mut app, KeyCode::Enter);
    assert_eq!(confirm(&app).focus, Button::Cancel);
    assert!(app.confirm_ready(confirm(&app)));
}

#[test]
fn apply_pressed_while_the_checks_run_is_queued_and_sent_when_they_return() {
    let mut app = loaded_app();
    open_status(&mut app, WEB_LATEST);
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Tab);
    assert!(
        press(&mut app, KeyCode::Enter).is_empty(),
        "nothing goes out blind"
    );
    assert_eq!(
        flash(&app),
        "Apply queued: waiting for the family and usage checks (Esc cancels it)"
    );
    assert!(confirm(&app).queued);
    assert!(
        facts(&mut app, "web-frontend").is_empty(),
        "usage still running"
    );
    assert_eq!(
        flash(&app),
        "Apply queued: waiting for the usage check (Esc cancels it)"
    );
    let commands = unused(&mut app, WEB_LATEST);
    assert!(
        matches!(&commands[..], [Command::ApplyChange { change, .. }]
            if change.operation.changes().unwrap().status == Some(ImageStatus::Deprecated)),
        "{commands:?}"
    );
    assert!(
        flash(&app).contains("queued Apply was sent"),
        "{}",
        flash(&app)
    );
    assert!(matches!(app.screen, Screen::Browser));
}

#[test]
fn esc_cancels_a_queued_apply_and_a_late_answer_sends_nothing() {
    let mut app = loaded_app();
    open_status(&mut app, WEB_LATEST);
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Enter);
    assert!(confirm(&app).queued);
    press(&mut app, KeyCode::Esc);
    assert!(!confirm(&app).queued, "the dialog stays, the queue is gone");
    assert!(
        flash(&app).contains("queued Apply cancelled"),
        "{}",
        flash(&app)
    );
    facts(&mut app, "web-frontend");
    assert!(unused(&mut app, WEB_LATEST).is_empty());
    assert!(app.jobs.is_empty());
}

#[test]
fn a_queued_apply_whose_late_family_check_empties_the_family_asks_for_the_id() {
    let mut app = loaded_app();
    open_status(&mut app, DB_ONLY);
    unused(&mut app, DB_ONLY);
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Tab);
    assert!(press(&mut app, KeyCode::Enter).is_empty());
    assert!(confirm(&app).queued, "{}", flash(&app));
    assert!(
        facts(&mut app, "数据库").is_empty(),
        "the family check says it empties 数据库: nothing goes out"
    );
    assert!(!confirm(&app).queued);
    assert!(app.confirm_needs_typing(confirm(&app)));
    assert_eq!(
        flash(&app),
        format!(
            "Apply not sent yet: it leaves family 数据库 resolving to nothing, or that could not \
             be checked — type the image ID {DB_ONLY} to confirm"
        )
    );
    type_text(&mut app, DB_ONLY);
    let commands = press(&mut app, KeyCode::Enter);
    assert!(
        matches!(&commands[..], [Command::ApplyChange { .. }]),
        "{commands:?}"
    );
}

#[test]
fn emptying_a_family_asks_for_the_image_id_to_be_typed() {
    let mut app = loaded_app();
    open_status(&mut app, DB_ONLY);
    facts(&mut app, "数据库");
    unused(&mut app, DB_ONLY);
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter);
    assert!(app.confirm_needs_typing(confirm(&app)));
    assert_eq!(confirm(&app).focus, Button::Cancel);
    press(&mut app, KeyCode::Tab);
    assert!(
        press(&mut app, KeyCode::Enter).is_empty(),
        "nothing typed yet"
    );
    assert!(flash(&app).contains(DB_ONLY));
    type_text(&mut app, &DB_ONLY[..DB_ONLY.len() - 1]);
    assert!(
        press(&mut app, KeyCode::Enter).is_empty(),
        "one character short"
    );
    type_text(&mut app, &DB_ONLY[DB_ONLY.len() - 1..]);
    let commands = press(&mut app, KeyCode::Enter);
    assert!(
        matches!(&commands[..], [Command::ApplyChange { change, .. }]
            if change.operation.changes().unwrap().status == Some(ImageStatus::Deprecated))
    );
}

#[test]
fn deprecating_a_shared_image_is_refused_in_the_picker() {
    let mut app = loaded_app();
    open_status(&mut app, SHARED);
    press(&mut app, KeyCode::Down);
    let commands = press(&mut app, KeyCode::Enter);
    assert!(commands.is_empty());
    let Screen::StatusPicker(picker) = &app.screen else {
        panic!("stays in the picker")
    };
    assert_eq!(picker.problem.as_ref().unwrap().code, "ImageUseShared");
}

#[test]
fn choosing_the_current_status_is_no_change() {
    let mut app = loaded_app();
    open_status(&mut app, WEB_OLD);
    assert!(press(&mut app, KeyCode::Enter).is_empty());
    assert!(flash(&app).starts_with("no changes"));
}

#[test]
fn restoring_a_newer_image_makes_it_the_latest() {
    let mut app = loaded_app();
    open_status(&mut app, API_NEWER);
    facts(&mut app, "api");
    let Screen::StatusPicker(picker) = &app.screen else {
        panic!()
    };
    assert_eq!(
        *picker.chosen(),
        ImageStatus::Deprecated,
        "starts on the current status"
    );
    press(&mut app, KeyCode::Up);
    let Screen::StatusPicker(picker) = &app.screen else {
        panic!()
    };
    let ImpactView::Known(impact) = app.impact(&picker.image, &picker.changes()) else {
        panic!()
    };
    assert_eq!(impact.lines()[0], "Family api will resolve to this image.");
}

// ---- submitting in the background --------------------------------------------------------

#[test]
fn the_list_stays_usable_while_a_change_runs() {
    let mut app = loaded_app();
    rename(&mut app, LONE, "jump-host-2");
    submit_and_apply(&mut app);
    press(&mut app, KeyCode::Char('g'));
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "web");
    assert_eq!(app.list.visible_len(), 3);
    app::update(&mut app, Action::Tick);
    app::update(&mut app, Action::Tick);
    assert_eq!(app.spinner, 2, "the spinner turns while a change runs");
}

#[test]
fn the_spinner_stays_still_when_idle() {
    let mut app = loaded_app();
    app::update(&mut app, Action::Tick);
    assert_eq!(app.spinner, 0);
    assert!(!app.busy());
}

#[test]
fn success_shows_the_request_id_and_updates_the_row_from_the_re_read() {
    let mut app = loaded_app();
    rename(&mut app, LONE, "jump-host-2");
    let (job, command) = submit_and_apply(&mut app);
    let Command::ApplyChange { change, .. } = command else {
        unreachable!()
    };
    app::update(
        &mut app,
        Action::ChangeApplied {
            job,
            applied: applied(&change),
            at: "08:31:02".into(),
        },
    );
    assert!(!app.busy());
    assert_eq!(app.list.get(LONE).unwrap().image_name, "jump-host-2");
    let result = app.results.front().unwrap();
    assert!(matches!(&result.outcome, Outcome::Applied(a) if a.request_id == "REQ-MODIFY-1"));
    assert!(
        app.drafts.is_empty(),
        "the form is dropped once the change succeeded"
    );
    let notice = app.notices.last().unwrap();
    assert_eq!(notice.action, "ModifyImageAttribute");
    assert_eq!(notice.at, "08:31:02");
    assert_eq!(notice.request_id.as_deref(), Some("REQ-MODIFY-1"));
    assert!(notice.outcome.contains("Name"));
    // Enter closes the result panel.
    press(&mut app, KeyCode::Enter);
    assert!(app.results.is_empty());
}

#[test]
fn a_result_for_an_image_no_longer_selected_updates_that_row_only() {
    let mut app = loaded_app();
    rename(&mut app, LONE, "jump-host-2");
    let (job, command) = submit_and_apply(&mut app);
    select(&mut app, WEB_OLD);
    let Command::ApplyChange { change, .. } = command else {
        unreachable!()
    };
    app::update(
        &mut app,
        Action::ChangeApplied {
            job,
            applied: applied(&change),
            at: AT.into(),
        },
    );
    assert_eq!(app.list.selected().unwrap().image_id, WEB_OLD);
    assert_eq!(
        app.list.selected().unwrap().image_name,
        "web-frontend-v1.2.0",
        "the selected row is untouched"
    );
    assert_eq!(app.list.get(LONE).unwrap().image_name, "jump-host-2");
}

#[test]
fn a_failure_shows_the_error_and_the_form_comes_back_exactly_as_typed() {
    let mut app = loaded_app();
    // A name ECS refuses though the list does not show it taken (another client's).
    rename(&mut app, LONE, "web-frontend-v0.9.9");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::End);
    type_text(&mut app, "（已迁移）");
    let typed = form(&app).clone();
    let (job, _) = submit_and_apply(&mut app);
    let mut error = ApiError::from_code(
        "InvalidImageName.Duplicated",
        "The specified Image name has already bean used.",
        Some(400),
    );
    error.request_id = Some("REQ-DUP".into());
    error.recommend =
        Some("https://api.aliyun.com/troubleshoot?q=InvalidImageName.Duplicated".into());
    app::update(
        &mut app,
        Action::ChangeFailed {
            job,
            error: Box::new(ApplyError::Api(error)),
            at: AT.into(),
        },
    );
    assert_eq!(
        app.list.get(LONE).unwrap().image_name,
        "jump-host",
        "unchanged"
    );
    assert!(matches!(
        &app.results.front().unwrap().outcome,
        Outcome::Failed(ApplyError::Api(e)) if e.code == "InvalidImageName.Duplicated"
    ));
    let notice = app.notices.last().unwrap();
    assert!(!notice.ok);
    assert_eq!(notice.request_id.as_deref(), Some("REQ-DUP"));
    // e in the result panel: the form as typed.
    let commands = press(&mut app, KeyCode::Char('e'));
    assert!(commands.is_empty(), "a family-less image needs no facts");
    let back = form(&app);
    assert_eq!(back.fields, typed.fields);
    assert_eq!(back.changes(), typed.changes());
}

#[test]
fn a_failed_form_also_comes_back_through_e_on_the_list() {
    let mut app = loaded_app();
    rename(&mut app, LONE, "jump-host-2");
    let (job, _) = submit_and_apply(&mut app);
    app::update(
        &mut app,
        Action::ChangeFailed {
            job,
            error: Box::new(ApplyError::Api(ApiError::transport(
                "connection reset",
                true,
            ))),
            at: AT.into(),
        },
    );
    // `n` leaves the panel for the notices; back on the list, `e` brings the form.
    press(&mut app, KeyCode::Char('n'));
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.screen, Screen::Browser);
    select(&mut app, LONE);
    press(&mut app, KeyCode::Char('e'));
    assert_eq!(
        form(&app).field(Field::ImageName).unwrap().value(),
        "jump-host-2"
    );
}

#[test]
fn enter_or_esc_on_a_failure_brings_the_form_back_as_typed() {
    for close in [KeyCode::Enter, KeyCode::Esc] {
        let mut app = loaded_app();
        rename(&mut app, LONE, "jump-host-2");
        let typed = form(&app).clone();
        let (job, _) = submit_and_apply(&mut app);
        app::update(
            &mut app,
            Action::ChangeFailed {
                job,
                error: Box::new(ApplyError::Api(ApiError::from_code(
                    "InvalidImageName.Duplicated",
                    "The specified Image name has already bean used.",
                    Some(400),
                ))),
                at: AT.into(),
            },
        );
        let hints = app.keys.hints(app.key_context());
        assert_eq!(
            (hints[0].label.as_str(), hints[0].desc),
            ("Enter/Esc", "back to the form")
        );
        press(&mut app, close);
        assert!(app.results.is_empty());
        assert_eq!(form(&app).fields, typed.fields, "{close:?}");
    }
}

#[test]
fn a_refused_status_change_closes_its_panel_with_esc() {
    // No form was typed: Esc just closes the panel.
    let mut app = loaded_app();
    select(&mut app, LONE);
    press(&mut app, KeyCode::Char('s'));
    unused(&mut app, LONE);
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Tab);
    let commands = press(&mut app, KeyCode::Enter);
    let [Command::ApplyChange { job, .. }] = &commands[..] else {
        panic!("{commands:?}")
    };
    app::update(
        &mut app,
        Action::ChangeFailed {
            job: *job,
            error: Box::new(ApplyError::Api(ApiError::transport(
                "connection reset",
                true,
            ))),
            at: AT.into(),
        },
    );
    press(&mut app, KeyCode::Esc);
    assert!(app.results.is_empty());
    assert_eq!(app.screen, Screen::Browser);
}

/// The worker's answer to a cancel: the change stopped, settled by one re-read that found
/// `now`.
fn cancelled(job: JobId, landed: Landed, now: ecsimg::ecs::model::Image) -> Action {
    Action::Cancelled {
        job,
        interrupted: Box::new(Interrupted {
            stop: Stop::Cancelled,
            landed,
            now: Ok(Some(now)),
            journal_error: None,
        }),
        at: AT.into(),
    }
}

#[test]
fn esc_cancels_a_change_in_flight_and_the_one_re_read_shows_it_landed() {
    let mut app = loaded_app();
    rename(&mut app, LONE, "jump-host-2");
    let (job, _) = submit_and_apply(&mut app);
    let commands = press(&mut app, KeyCode::Esc);
    assert_eq!(commands, vec![Command::Cancel(job)]);
    assert!(app.jobs[0].cancelling);
    // The re-read that settled it shows the change did land after all.
    let mut landed = find(LONE);
    landed.image_name = "jump-host-2".into();
    let commands = app::update(&mut app, cancelled(job, Landed::Yes, landed));
    assert!(
        commands.is_empty(),
        "the worker's re-read answers it; no second DescribeImages: {commands:?}"
    );
    assert_eq!(
        app.results.front().unwrap().outcome,
        Outcome::Cancelled(Landed::Yes)
    );
    assert_eq!(app.list.get(LONE).unwrap().image_name, "jump-host-2");
    assert!(!app.busy());
}

#[test]
fn a_cancel_that_came_in_time_says_ecs_holds_the_old_values() {
    let mut app = loaded_app();
    rename(&mut app, LONE, "jump-host-2");
    let (job, _) = submit_and_apply(&mut app);
    press(&mut app, KeyCode::Esc);
    assert!(flash(&app).contains("cancelling"));
    app::update(&mut app, cancelled(job, Landed::No, find(LONE)));
    assert!(
        app.flash.is_none(),
        "the bottom line does not stay on cancelling… once the panel shows"
    );
    assert_eq!(
        app.results.front().unwrap().outcome,
        Outcome::Cancelled(Landed::No)
    );
    let screen = render(&app, 80, 24, COLOR);
    assert!(
        screen.contains("ECS still holds the old values"),
        "{screen}"
    );
}

#[test]
fn esc_cancels_a_change_in_flight_before_it_clears_a_kept_filter() {
    let mut app = loaded_app();
    rename(&mut app, LONE, "jump-host-2");
    let (job, _) = submit_and_apply(&mut app);
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "jump");
    press(&mut app, KeyCode::Enter);
    // The hint line offers Esc as "cancel the change"; Esc does that.
    let hints = app.keys.hints(app.key_context());
    assert_eq!(hints[0].label, "Esc");
    assert_eq!(hints[0].desc, "cancel the change");
    assert_eq!(press(&mut app, KeyCode::Esc), vec![Command::Cancel(job)]);
    assert_eq!(app.list.filter.value(), "jump", "the filter is kept");
    // With nothing left to cancel, Esc clears the filter.
    assert!(app
        .keys
        .hints(app.key_context())
        .iter()
        .all(|h| h.desc != "cancel the change"));
    assert!(press(&mut app, KeyCode::Esc).is_empty());
    assert_eq!(app.list.filter.value(), "");
}

#[test]
fn an_image_with_a_change_in_flight_cannot_be_edited_again() {
    let mut app = loaded_app();
    rename(&mut app, LONE, "jump-host-2");
    submit_and_apply(&mut app);
    select(&mut app, LONE);
    assert!(press(&mut app, KeyCode::Char('e')).is_empty());
    assert_eq!(app.screen, Screen::Browser);
    assert!(flash(&app).contains("in flight"));
}

#[test]
fn read_only_submits_and_shows_the_refusal_from_ops() {
    let mut ctx = context();
    ctx.read_only = true;
    let mut app = loaded_app_with(ctx, images());
    rename(&mut app, LONE, "jump-host-2");
    let (job, _) = submit_and_apply(&mut app);
    app::update(
        &mut app,
        Action::ChangeFailed {
            job,
            error: Box::new(ApplyError::ReadOnly),
            at: AT.into(),
        },
    );
    assert!(matches!(
        app.results.front().unwrap().outcome,
        Outcome::Failed(ApplyError::ReadOnly)
    ));
    assert_eq!(
        app.notices.last().unwrap().outcome,
        "refused: read-only mode"
    );
}

// ---- leaving, help, notices --------------------------------------------------------------

#[test]
fn q_quits_from_the_list_and_ctrl_c_from_anywhere() {
    let mut app = loaded_app();
    assert_eq!(press(&mut app, KeyCode::Char('q')), vec![Command::Quit]);
    assert!(app.should_quit());

    let mut app = loaded_app();
    press(&mut app, KeyCode::Char('e'));
    assert_eq!(app::update(&mut app, ctrl('c')), vec![Command::Quit]);
    assert!(app.should_quit());
}

#[test]
fn ctrl_z_suspends() {
    let mut app = loaded_app();
    assert_eq!(app::update(&mut app, ctrl('z')), vec![Command::Suspend]);
    assert!(!app.should_quit());
}

#[test]
fn q_asks_twice_while_a_change_is_in_flight() {
    let mut app = loaded_app();
    rename(&mut app, LONE, "jump-host-2");
    submit_and_apply(&mut app);
    assert!(press(&mut app, KeyCode::Char('q')).is_empty());
    assert!(flash(&app).contains("q again"));
    assert_eq!(press(&mut app, KeyCode::Char('q')), vec![Command::Quit]);
}

#[test]
fn question_mark_opens_help_for_the_screen_and_esc_closes_it() {
    let mut app = loaded_app();
    press(&mut app, KeyCode::Char('?'));
    assert_eq!(app.help.unwrap().context, ecsimg::keys::Context::Browser);
    press(&mut app, KeyCode::Char('j'));
    assert_eq!(
        app.list.selected_row(),
        Some(0),
        "keys go to the help, not the list"
    );
    press(&mut app, KeyCode::Esc);
    assert!(app.help.is_none());
    assert_eq!(app.screen, Screen::Browser);
}

#[test]
fn n_shows_every_request_and_esc_goes_back() {
    let mut app = loaded_app();
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(app.screen, Screen::Notices { offset: 0 });
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.screen, Screen::Browser);
}

#[test]
fn a_region_picker_that_failed_to_load_asks_again() {
    let mut app = loaded_app();
    press(&mut app, KeyCode::Char('R'));
    app::update(
        &mut app,
        Action::Regions {
            result: Box::new(Err(ApiError::transport("timed out", false))),
            at: AT.into(),
        },
    );
    assert!(matches!(app.regions, Some(Loadable::Failed(_))));
    press(&mut app, KeyCode::Esc);
    assert_eq!(
        press(&mut app, KeyCode::Char('R')),
        vec![Command::LoadRegions]
    );
}

#[test]
fn key_releases_are_ignored() {
    use crossterm::event::{KeyEvent, KeyEventKind, KeyModifiers};
    let mut app = loaded_app();
    let mut release = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE);
    release.kind = KeyEventKind::Release;
    assert!(app::update(&mut app, Action::Key(release)).is_empty());
    assert!(!app.should_quit());
}

#[test]
fn q_on_a_picker_of_the_form_does_not_throw_the_form_away() {
    let mut app = loaded_app();
    rename(&mut app, LONE, "jump-host-2");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab); // Status picker
    assert!(press(&mut app, KeyCode::Char('q')).is_empty());
    assert!(!app.should_quit());
    assert_eq!(
        form(&app).field(Field::ImageName).unwrap().value(),
        "jump-host-2"
    );
}

#[test]
fn when_the_family_cannot_be_checked_the_image_id_must_be_typed() {
    let mut app = loaded_app();
    select(&mut app, WEB_LATEST);
    press(&mut app, KeyCode::Char('s'));
    app::update(
        &mut app,
        Action::FamilyFacts {
            region: REGION.into(),
            family: "web-frontend".into(),
            result: Box::new(Err(ApiError::transport("connection refused", false))),
            at: AT.into(),
        },
    );
    unused(&mut app, WEB_LATEST);
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter);
    assert!(app.confirm_needs_typing(confirm(&app)));
    press(&mut app, KeyCode::Tab);
    assert!(press(&mut app, KeyCode::Enter).is_empty());
    type_text(&mut app, WEB_LATEST);
    assert!(matches!(
        &press(&mut app, KeyCode::Enter)[..],
        [Command::ApplyChange { .. }]
    ));
}

#[test]
fn a_retry_is_shown_until_the_next_result() {
    let mut app = new_app(context());
    app::init(&mut app);
    app::update(
        &mut app,
        Action::Retrying {
            action: "DescribeImages".into(),
            code: "Throttling.User".into(),
            request_id: Some("REQ-THROTTLED-1".into()),
            retry: 1,
            max_retries: 3,
            wait_ms: 2000,
            at: AT.into(),
        },
    );
    assert_eq!(
        app.retrying.as_ref().unwrap().text(),
        "DescribeImages: throttled (Throttling.User); retrying in 2 s (retry 1 of 3)"
    );
    // A key does not clear it; the next result does.
    press(&mut app, KeyCode::Down);
    assert!(app.retrying.is_some());
    app::update(&mut app, page(1, REGION, 1, 9, images()));
    assert_eq!(app.retrying, None);
}

#[test]
fn a_refused_imds_change_names_the_field_once() {
    let mut app = loaded_app();
    select(&mut app, WEB_OLD);
    press(&mut app, KeyCode::Char('e'));
    for _ in 0..7 {
        press(&mut app, KeyCode::Tab);
    }
    assert_eq!(app.form_focus_field(), Some(Field::ImdsSupport));
    press(&mut app, KeyCode::Left);
    assert_eq!(form(&app).field(Field::ImdsSupport).unwrap().value(), "v1");
    let commands = app::update(&mut app, ctrl('o'));
    assert!(commands.is_empty());
    assert_eq!(
        flash(&app),
        "not sent: IMDS: cannot go back from v2 to v1; keep v2 \
         (InvalidOperation.FeaturesImdsSupportNotMatch) — fix the marked fields first"
    );
}

//! An operator's daily flow through the pure `update`: the k9s/lazygit habits (`y`, `Y`,
//! `:` commands, ctrl-d/ctrl-u, a click), the questions that keep a form and a typed ID
//! from going wrong, and what the screen says while and after a change runs.

use crate::support::tui::*;
use crossterm::event::KeyCode;
use ecsimg::app::{self, Action, App, Button, Command, JobId, Screen};
use ecsimg::change::{Applied, ApplyError, Field};
use ecsimg::ecs::error::ApiError;
use ecsimg::ecs::model::Region;
use ecsimg::keys::Context;

fn flash(app: &App) -> String {
    app.flash
        .as_ref()
        .map(|f| f.text.clone())
        .unwrap_or_default()
}

fn copied(commands: &[Command]) -> String {
    match commands {
        [Command::Copy(text)] => text.clone(),
        other => panic!("expected one Copy, got {other:?}"),
    }
}

fn selected(app: &App) -> &str {
    app.list.selected().map_or("", |i| i.image_id.as_str())
}

/// Types a `:` command and presses Enter.
fn command(app: &mut App, line: &str) -> Vec<Command> {
    press(app, KeyCode::Char(':'));
    type_text(app, line);
    press(app, KeyCode::Enter)
}

fn line_text(app: &App) -> String {
    app.command_line
        .as_ref()
        .map(|l| l.input.value().to_string())
        .unwrap_or_default()
}

fn regions() -> Action {
    let region = |id: &str| Region {
        region_id: id.into(),
        ..Region::default()
    };
    Action::Regions {
        result: Box::new(Ok(vec![
            region("cn-hangzhou"),
            region("cn-shanghai"),
            region("cn-shenzhen"),
        ])),
        at: AT.into(),
    }
}

/// Renames LONE to `name` and presses Apply; returns the job.
fn rename_and_apply(app: &mut App, name: &str) -> JobId {
    select(app, LONE);
    press(app, KeyCode::Char('e'));
    app::update(app, ctrl('u'));
    type_text(app, name);
    app::update(app, ctrl('o'));
    press(app, KeyCode::Tab);
    match &press(app, KeyCode::Enter)[..] {
        [Command::ApplyChange { job, .. }] => *job,
        other => panic!("expected ApplyChange, got {other:?}"),
    }
}

fn applied_as(app: &mut App, job: JobId, name: &str, reread_failed: Option<&str>) {
    let mut after = find(LONE);
    after.image_name = name.into();
    app::update(
        app,
        Action::ChangeApplied {
            job,
            applied: Box::new(Applied {
                request_id: "REQ-MODIFY-7".into(),
                after: reread_failed.is_none().then_some(after),
                verified: reread_failed.is_none(),
                reread_failed: reread_failed.map(str::to_string),
                ..Applied::default()
            }),
            at: AT.into(),
        },
    );
}

// ---- y and Y -----------------------------------------------------------------------------

#[test]
fn y_copies_the_selected_image_id_and_says_so() {
    let mut app = loaded_app();
    select(&mut app, DB_ONLY);
    let commands = press(&mut app, KeyCode::Char('y'));
    assert_eq!(copied(&commands), DB_ONLY);
    assert!(flash(&app).contains(DB_ONLY), "{}", flash(&app));
    assert!(flash(&app).contains("OSC 52"), "{}", flash(&app));
    assert!(flash(&app).chars().count() <= 80, "{}", flash(&app));
}

#[test]
fn y_on_a_result_panel_copies_the_request_id_and_the_link() {
    let mut app = loaded_app();
    let job = rename_and_apply(&mut app, "jump-host-2");
    let mut e = ApiError::from_code("InvalidImageName.Duplicated", "in use", Some(403));
    let rid = "7C79BCC5-7CB6-B3F3-854E-348F9D3A65AC";
    e.request_id = Some(rid.into());
    e.recommend = Some(format!(
        "https://api.aliyun.com/troubleshoot?q=x&requestId={rid}"
    ));
    app::update(
        &mut app,
        Action::ChangeFailed {
            job,
            error: Box::new(ApplyError::Api(e)),
            at: AT.into(),
        },
    );
    let text = copied(&press(&mut app, KeyCode::Char('y')));
    assert_eq!(
        text,
        format!("RequestId: {rid}\nhttps://api.aliyun.com/troubleshoot?q=x&requestId={rid}")
    );
    // The flash says what went, and how to let it through, whole on an 80-column line.
    assert!(
        flash(&app).starts_with("copied the RequestId and link ("),
        "{}",
        flash(&app)
    );
    assert!(
        flash(&app).ends_with("set-clipboard on)"),
        "{}",
        flash(&app)
    );
    assert!(flash(&app).chars().count() <= 80, "{}", flash(&app));
    assert!(!app.results.is_empty(), "y leaves the panel open");
}

#[test]
fn capital_y_copies_the_ecsimg_command_of_the_change_under_review() {
    let mut app = loaded_app();
    // Nothing under review on the list: Y says how to get something to copy.
    assert!(press(&mut app, KeyCode::Char('Y')).is_empty());
    assert!(flash(&app).contains("e or s"), "{}", flash(&app));

    select(&mut app, LONE);
    press(&mut app, KeyCode::Char('e'));
    app::update(&mut app, ctrl('u'));
    type_text(&mut app, "bastion-镜像");
    press(&mut app, KeyCode::Tab);
    app::update(&mut app, ctrl('u'));
    type_text(&mut app, "it's $(not run)");
    app::update(&mut app, ctrl('o'));
    let text = copied(&press(&mut app, KeyCode::Char('Y')));
    // Shell-quoted: pasted into a shell, it runs nothing but ecsimg.
    assert_eq!(
        text,
        format!(
            "ecsimg images modify {LONE} --name 'bastion-镜像' --description \
             'it'\\''s $(not run)' --region cn-hangzhou"
        )
    );
    assert!(
        matches!(app.screen, Screen::Confirm(_)),
        "Y copies, it does not apply"
    );
    assert!(app.jobs.is_empty());

    // The status picker's choice, from a named profile.
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Esc);
    app.context.profile = "prod".into();
    select(&mut app, WEB_OLD);
    press(&mut app, KeyCode::Char('s'));
    press(&mut app, KeyCode::Down);
    let text = copied(&press(&mut app, KeyCode::Char('Y')));
    assert_eq!(
        text,
        format!("ecsimg images modify {WEB_OLD} --status Deprecated --profile prod --region cn-hangzhou")
    );
}

// ---- the : command line ----------------------------------------------------------------

#[test]
fn colon_region_switches_region_and_tab_completes_it() {
    let mut app = loaded_app();
    press(&mut app, KeyCode::Char(':'));
    assert_eq!(app.key_context(), Context::CommandLine);
    type_text(&mut app, "reg");
    press(&mut app, KeyCode::Tab);
    assert_eq!(line_text(&app), "region ");
    // The regions are not listed yet: Tab asks for them and says so.
    assert_eq!(press(&mut app, KeyCode::Tab), vec![Command::LoadRegions]);
    assert!(app.command_line.as_ref().unwrap().note.is_some());
    app::update(&mut app, regions());
    type_text(&mut app, "cn-s");
    press(&mut app, KeyCode::Tab);
    assert_eq!(line_text(&app), "region cn-sh", "what the two share");
    press(&mut app, KeyCode::Tab);
    assert_eq!(line_text(&app), "region cn-shanghai");
    press(&mut app, KeyCode::Tab);
    assert_eq!(line_text(&app), "region cn-shenzhen", "Tab again steps on");
    press(&mut app, KeyCode::Tab);
    let commands = press(&mut app, KeyCode::Enter);
    assert_eq!(
        commands,
        vec![Command::LoadImages {
            region: "cn-shanghai".into(),
            generation: 2
        }]
    );
    assert_eq!(app.context.region, "cn-shanghai");
    assert!(app.command_line.is_none());
}

#[test]
fn a_refused_command_stays_on_the_line_with_why() {
    let mut app = loaded_app();
    app::update(&mut app, regions());
    assert!(command(&mut app, "region mars-1").is_empty());
    let line = app.command_line.as_ref().expect("the line stays open");
    assert_eq!(line.input.value(), "region mars-1");
    assert!(line.note.as_ref().unwrap().refused);
    assert!(
        line.note.as_ref().unwrap().text.contains("mars-1"),
        "{:?}",
        line.note
    );
    assert_eq!(app.context.region, REGION);
    press(&mut app, KeyCode::Esc);
    assert!(command(&mut app, "frobnicate").is_empty());
    let note = &app
        .command_line
        .as_ref()
        .unwrap()
        .note
        .as_ref()
        .unwrap()
        .text;
    assert!(note.contains(":region") && note.contains(":q"), "{note}");
}

#[test]
fn colon_family_and_status_filter_the_list_and_sort_sorts_it() {
    let mut app = loaded_app();
    command(&mut app, "family web-frontend");
    let shown: Vec<&str> = app.list.visible().map(|i| i.image_id.as_str()).collect();
    assert_eq!(shown.len(), 3, "{shown:?}");
    assert!(app.list.visible().all(|i| i.image_family == "web-frontend"));
    command(&mut app, "status Deprecated");
    let shown: Vec<&str> = app.list.visible().map(|i| i.image_id.as_str()).collect();
    assert_eq!(shown, [WEB_GONE], "both narrow the list");
    // The filter says it; Esc clears it as any filter.
    assert_eq!(
        app.list.filter.value(),
        "family:web-frontend status:Deprecated"
    );
    command(&mut app, "family");
    assert_eq!(app.list.filter.value(), "status:Deprecated");
    assert_eq!(
        app.list.visible_len(),
        2,
        "web-frontend-v1.1.0 and api 2024.05"
    );
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.list.visible_len(), images().len());
    command(&mut app, "sort created");
    assert_eq!(app.list.sort().label(), "created");
    assert_eq!(app.list.row(0).unwrap().image_id, CREATING, "newest first");
    assert!(command(&mut app, "status Bogus").is_empty());
    assert!(
        app.command_line.is_some(),
        "a status that does not exist is refused"
    );
}

#[test]
fn up_and_down_walk_the_command_history() {
    let mut app = loaded_app();
    command(&mut app, "sort created");
    command(&mut app, "sort family");
    press(&mut app, KeyCode::Char(':'));
    press(&mut app, KeyCode::Up);
    assert_eq!(line_text(&app), "sort family");
    press(&mut app, KeyCode::Up);
    assert_eq!(line_text(&app), "sort created");
    press(&mut app, KeyCode::Up);
    assert_eq!(line_text(&app), "sort created", "the oldest stays");
    press(&mut app, KeyCode::Down);
    assert_eq!(line_text(&app), "sort family");
    press(&mut app, KeyCode::Down);
    assert_eq!(line_text(&app), "", "past the newest: a fresh line");
}

#[test]
fn colon_q_quits_and_asks_first_while_a_change_runs() {
    let mut app = loaded_app();
    rename_and_apply(&mut app, "jump-host-2");
    assert!(command(&mut app, "q").is_empty());
    assert!(!app.should_quit());
    assert!(flash(&app).contains("q again quits"), "{}", flash(&app));
    let mut idle = loaded_app();
    assert_eq!(command(&mut idle, "q"), vec![Command::Quit]);
}

#[test]
fn tab_completes_command_names_and_help_lists_every_command() {
    let mut app = loaded_app();
    press(&mut app, KeyCode::Char(':'));
    type_text(&mut app, "s");
    press(&mut app, KeyCode::Tab);
    let line = app.command_line.as_ref().unwrap();
    assert_eq!(line.candidates, ["status", "sort"]);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('?'));
    let screen = render(&app, 80, 60, COLOR);
    for spec in app::COMMANDS {
        assert!(
            screen.contains(&format!(":{}", spec.name)),
            ":{} missing from help:\n{screen}",
            spec.name
        );
    }
}

// ---- half pages, clicks ---------------------------------------------------------------

#[test]
fn ctrl_d_and_ctrl_u_move_half_a_page_where_no_field_has_the_keyboard() {
    let mut app = loaded_app_with(context(), numbered_images(40));
    let page = app.list.page();
    assert!(page >= 4, "{page}");
    app::update(&mut app, ctrl('d'));
    assert_eq!(app.list.selected_row(), Some(page / 2));
    app::update(&mut app, ctrl('d'));
    app::update(&mut app, ctrl('u'));
    assert_eq!(app.list.selected_row(), Some(page / 2));
    // In the filter, ctrl-u still clears what was typed.
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "image-1");
    app::update(&mut app, ctrl('u'));
    assert_eq!(app.list.filter.value(), "");
    press(&mut app, KeyCode::Esc);
    // And in a text field of the form.
    press(&mut app, KeyCode::Char('e'));
    app::update(&mut app, ctrl('u'));
    assert_eq!(app.form().unwrap().fields[0].value(), "");
}

#[test]
fn a_click_on_a_row_selects_it() {
    let mut app = loaded_app();
    let top = app.viewport.list_top;
    assert!(top > 0, "the list is on screen");
    app::update(
        &mut app,
        Action::Click {
            column: 5,
            row: top + 3,
        },
    );
    assert_eq!(app.list.selected_row(), Some(3));
    let third = app.list.row(3).unwrap().image_id.clone();
    assert_eq!(selected(&app), third);
    // Above the rows (the column titles) and under the last one, nothing moves.
    app::update(
        &mut app,
        Action::Click {
            column: 5,
            row: top - 1,
        },
    );
    app::update(
        &mut app,
        Action::Click {
            column: 5,
            row: top + 20,
        },
    );
    assert_eq!(selected(&app), third);
    // Over a dialog the click does not reach the list.
    press(&mut app, KeyCode::Char('e'));
    app::update(
        &mut app,
        Action::Click {
            column: 5,
            row: top,
        },
    );
    assert_eq!(selected(&app), third);
}

// ---- the typed ID, quitting, results -----------------------------------------------------

/// Deprecating the only Available image of 数据库: the confirm dialog asks for the ID.
fn empty_a_family() -> App {
    let mut app = loaded_app();
    select(&mut app, DB_ONLY);
    press(&mut app, KeyCode::Char('s'));
    facts(&mut app, "数据库");
    // Nothing launches from it: the typed ID is asked for the family alone.
    usage_of(&mut app, DB_ONLY, ecsimg::change::ImageUsage::default());
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.key_context(), Context::ConfirmTyped);
    app
}

#[test]
fn once_the_typed_id_matches_enter_presses_apply() {
    let mut app = empty_a_family();
    type_text(&mut app, DB_ONLY);
    let Screen::Confirm(confirm) = &app.screen else {
        panic!("the confirm dialog")
    };
    assert_eq!(confirm.focus, Button::Apply, "the focus moved to Apply");
    let commands = press(&mut app, KeyCode::Enter);
    assert!(
        matches!(&commands[..], [Command::ApplyChange { .. }]),
        "{commands:?}"
    );
}

#[test]
fn enter_on_the_locked_apply_says_why() {
    let mut app = empty_a_family();
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "m-bp1");
    assert!(press(&mut app, KeyCode::Enter).is_empty());
    assert!(flash(&app).contains(DB_ONLY), "{}", flash(&app));
    assert!(matches!(app.screen, Screen::Confirm(_)));
}

#[test]
fn the_quit_question_fits_80_columns_and_goes_when_the_change_ends() {
    let mut app = loaded_app();
    let job = rename_and_apply(&mut app, "jump-host-2");
    assert!(press(&mut app, KeyCode::Char('q')).is_empty());
    let text = flash(&app);
    assert!(text.contains("q again quits"), "{text}");
    assert!(
        text.chars().count() <= 80,
        "{} long: {text}",
        text.chars().count()
    );
    applied_as(&mut app, job, "jump-host-2", None);
    assert_eq!(
        flash(&app),
        "",
        "the change ended: nothing left to quit over"
    );
    // The question was taken back: with the next change in flight, one q only asks again.
    press(&mut app, KeyCode::Esc);
    rename_and_apply(&mut app, "jump-host-3");
    press(&mut app, KeyCode::Char('q'));
    assert!(!app.should_quit(), "an answered question does not count");
    assert!(flash(&app).contains("q again quits"), "{}", flash(&app));
}

#[test]
fn a_failed_re_read_is_named_with_its_code() {
    let mut app = loaded_app();
    let job = rename_and_apply(&mut app, "jump-host-2");
    applied_as(&mut app, job, "jump-host-2", Some("ServiceUnavailable"));
    let screen = render(&app, 80, 24, COLOR);
    assert!(
        screen.contains("the re-read failed: ServiceUnavailable"),
        "{screen}"
    );
    let notice = app.notices.last().unwrap();
    assert!(
        notice
            .outcome
            .contains("the re-read failed: ServiceUnavailable"),
        "{}",
        notice.outcome
    );
}

#[test]
fn the_notices_list_each_retry_with_its_code_in_one_wording() {
    let mut app = loaded_app();
    let before = app.notices.len();
    for retry in 1..=2 {
        app::update(
            &mut app,
            Action::Retrying {
                action: "DescribeImages".into(),
                code: "ServiceUnavailable".into(),
                request_id: Some(format!("REQ-503-{retry}")),
                retry,
                max_retries: 3,
                wait_ms: 300,
                at: AT.into(),
            },
        );
    }
    assert_eq!(
        app.notices.len(),
        before + 2,
        "each failed attempt is a request"
    );
    let last = app.notices.last().unwrap();
    assert!(!last.ok);
    assert_eq!(last.request_id.as_deref(), Some("REQ-503-2"));
    assert_eq!(
        last.outcome,
        "failed: ServiceUnavailable; retrying in 0.3 s (retry 2 of 3)"
    );
    // The bottom line says it the same way, long or short.
    let retrying = app.retrying.as_ref().unwrap();
    assert!(
        retrying.text().ends_with("(retry 2 of 3)"),
        "{}",
        retrying.text()
    );
    assert!(
        retrying.short_text().ends_with("(retry 2 of 3)"),
        "{}",
        retrying.short_text()
    );
    press(&mut app, KeyCode::Char('n'));
    let screen = render(&app, 80, 24, COLOR);
    assert!(
        screen.contains("REQ-503-1") && screen.contains("REQ-503-2"),
        "{screen}"
    );
}

#[test]
fn a_renamed_image_stays_in_view_until_the_filter_changes() {
    let mut app = loaded_app();
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "jump");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.list.visible_len(), 1);
    let job = rename_and_apply(&mut app, "bastion-2");
    applied_as(&mut app, job, "bastion-2", None);
    assert_eq!(
        selected(&app),
        LONE,
        "the selection stays on the renamed image"
    );
    assert_eq!(app.list.selected().unwrap().image_name, "bastion-2");
    assert_eq!(app.list.visible_len(), 1);
    press(&mut app, KeyCode::Esc);
    assert_eq!(
        app.list.visible_len(),
        1,
        "closing the panel changes nothing"
    );
    // A changed filter applies to it again.
    press(&mut app, KeyCode::Char('/'));
    app::update(&mut app, ctrl('u'));
    type_text(&mut app, "jump");
    assert_eq!(app.list.visible_len(), 0);
}

#[test]
fn a_rename_that_sorts_the_first_image_elsewhere_keeps_it_selected() {
    let mut app = loaded_app();
    // The cursor has not moved: it is on the first row, as the list opened.
    let first = app.list.selected().unwrap().clone();
    press(&mut app, KeyCode::Char('e'));
    app::update(&mut app, ctrl('u'));
    type_text(&mut app, "zz-sorts-last");
    app::update(&mut app, ctrl('o'));
    press(&mut app, KeyCode::Tab);
    let [Command::ApplyChange { job, .. }] = press(&mut app, KeyCode::Enter)[..] else {
        panic!("Apply sends the rename")
    };
    let mut after = first.clone();
    after.image_name = "zz-sorts-last".into();
    app::update(
        &mut app,
        Action::ChangeApplied {
            job,
            applied: Box::new(Applied {
                request_id: "REQ-MODIFY-8".into(),
                after: Some(after),
                verified: true,
                ..Applied::default()
            }),
            at: AT.into(),
        },
    );
    press(&mut app, KeyCode::Esc);
    assert_eq!(
        selected(&app),
        first.image_id,
        "the renamed image is still the selected one, at its new place"
    );
    assert_ne!(
        app.list.selected_row(),
        Some(0),
        "sorted by name, it left the first row and the cursor went with it"
    );
}

#[test]
fn a_name_another_image_of_the_region_holds_is_refused_as_it_is_typed() {
    let mut app = loaded_app();
    let taken = find(DB_ONLY).image_name;
    select(&mut app, LONE);
    press(&mut app, KeyCode::Char('e'));
    app::update(&mut app, ctrl('u'));
    type_text(&mut app, &taken);
    let screen = render(&app, 80, 24, COLOR);
    assert!(
        screen.contains("InvalidImageName.Duplicated") && screen.contains(DB_ONLY),
        "the field says whose name it is, before anything is sent:\n{screen}"
    );
    assert!(
        app::update(&mut app, ctrl('o')).is_empty(),
        "the submit is refused"
    );
    let refusal = format!("not sent: Name: taken by {DB_ONLY} (InvalidImageName.Duplicated)");
    assert!(flash(&app).starts_with(&refusal), "{}", flash(&app));
    assert!(
        refusal.chars().count() <= 80,
        "the refusal is whole at 80 columns"
    );
    assert!(
        matches!(app.screen, Screen::Form(_)),
        "the form stays as typed"
    );
    // One more character and the name is free.
    type_text(&mut app, "-2");
    assert!(!render(&app, 80, 24, COLOR).contains("InvalidImageName.Duplicated"));
}

#[test]
fn every_problem_of_a_submit_is_named() {
    let mut app = loaded_app();
    select(&mut app, WEB_OLD);
    press(&mut app, KeyCode::Char('e'));
    app::update(&mut app, ctrl('u'));
    type_text(&mut app, "1bad");
    press(&mut app, KeyCode::Tab);
    app::update(&mut app, ctrl('u'));
    type_text(&mut app, "x");
    assert!(app::update(&mut app, ctrl('o')).is_empty());
    let text = flash(&app);
    assert!(
        text.contains("InvalidImageName.Malformed")
            && text.contains("InvalidDescription.Malformed"),
        "{text}"
    );
    assert_eq!(
        app.form_focus_field(),
        Some(Field::ImageName),
        "the first is focused"
    );
    // The form lists them all, codes whole.
    let screen = render(&app, 80, 40, COLOR);
    assert!(
        screen.contains("2 fields ECS would refuse: InvalidImageName.Malformed,"),
        "{screen}"
    );
}

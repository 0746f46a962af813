//! What the operator sees: the screens rendered on a test terminal, at 80×24 and 120×40,
//! with Chinese data, and without colour or box-drawing where asked.

use crate::support::tui::*;
use crossterm::event::KeyCode;
use ecsimg::app::{self, Action, App};
use ecsimg::change::ImageChanges;
use ecsimg::change::{Applied, ApplyError};
use ecsimg::ecs::error::ApiError;
use ratatui::style::Color;

fn both_sizes(name: &str, app: &App) {
    insta::assert_snapshot!(format!("{name}_80x24"), render(app, 80, 24, COLOR));
    insta::assert_snapshot!(format!("{name}_120x40"), render(app, 120, 40, COLOR));
}

fn browser() -> App {
    let mut app = loaded_app();
    select(&mut app, DB_ONLY);
    app
}

#[test]
fn browser_screen() {
    both_sizes("browser", &browser());
}

#[test]
fn browser_while_loading() {
    let mut app = new_app(context());
    app::init(&mut app);
    app::update(&mut app, page(1, REGION, 1, 340, images()));
    app::update(&mut app, Action::Tick);
    let screen = render(&app, 80, 24, COLOR);
    assert!(
        screen.lines().next().unwrap().contains("loading 9/340"),
        "{screen}"
    );
    insta::assert_snapshot!("browser_loading_80x24", screen);
}

#[test]
fn browser_details_full() {
    let mut app = browser();
    let commands = press(&mut app, KeyCode::Char('d'));
    assert!(
        matches!(&commands[..], [app::Command::LoadUsage { image, .. }] if image.image_id == DB_ONLY),
        "opened out, the pane reads who uses the image at once: {commands:?}"
    );
    usage_of(&mut app, DB_ONLY, in_use());
    let screen = render(&app, 80, 24, COLOR);
    assert!(
        screen.contains("请勿在生产环境外使用"),
        "the description in full"
    );
    assert!(
        screen.contains("Instances   130 (120 Running, 10 Stopped)"),
        "{screen}"
    );
    assert!(screen.contains("PgDn shows more"), "{screen}");
    insta::assert_snapshot!("browser_details_80x24", screen);
    // PgDn scrolls the opened-out pane down to the rest of who uses the image (the event
    // loop measures the screen after every action).
    measure(&mut app, 80, 24);
    press(&mut app, KeyCode::PageDown);
    let screen = render(&app, 80, 24, COLOR);
    assert!(
        screen.contains("web-lt (lt-bp1webfront000001) v3, the default"),
        "{screen}"
    );
    assert!(
        screen.contains("In use      yes: scaling group web-asg"),
        "{screen}"
    );
    assert!(screen.contains("Read        08:30:00 UTC"), "{screen}");
    assert!(
        !screen.contains("PgDn shows more"),
        "the end is in view: {screen}"
    );
    insta::assert_snapshot!("browser_details_scrolled_80x24", screen);
    press(&mut app, KeyCode::PageUp);
    assert!(render(&app, 80, 24, COLOR).contains("Image ID    m-bp1database00000001"));
}

#[test]
fn the_detail_pane_says_who_uses_the_image_once_it_is_read() {
    let mut app = loaded_app();
    select(&mut app, DB_ONLY);
    press(&mut app, KeyCode::Up);
    // Moving only starts a pause timer; only the latest one, run out, reads anything.
    let [app::Command::UsageTimer { timer: stale, .. }] = press(&mut app, KeyCode::Down)[..] else {
        panic!("a move starts the pause timer")
    };
    assert!(render(&app, 80, 24, COLOR).contains("Used by     not read yet"));
    let [app::Command::UsageTimer { timer, .. }] = press(&mut app, KeyCode::Up)[..] else {
        panic!("a move starts the pause timer")
    };
    let [app::Command::UsageTimer { .. }] = press(&mut app, KeyCode::Down)[..] else {
        panic!("a move starts the pause timer")
    };
    assert!(
        app::update(&mut app, Action::UsagePause { timer: stale }).is_empty()
            && app::update(&mut app, Action::UsagePause { timer }).is_empty(),
        "timers of earlier selections read nothing"
    );
    press(&mut app, KeyCode::Up);
    let latest = match press(&mut app, KeyCode::Down)[..] {
        [app::Command::UsageTimer { timer, .. }] => timer,
        ref other => panic!("{other:?}"),
    };
    let commands = app::update(&mut app, Action::UsagePause { timer: latest });
    assert!(
        matches!(&commands[..], [app::Command::LoadUsage { image, .. }] if image.image_id == DB_ONLY),
        "{commands:?}"
    );
    assert!(render(&app, 80, 24, COLOR).contains("Used by     checking…"));
    usage_of(&mut app, DB_ONLY, in_use());
    let screen = render(&app, 80, 24, COLOR);
    assert!(
        screen.contains("Used by     130 instances run it (120 running) · 2 scaling groups"),
        "{screen}"
    );
}

#[test]
fn the_status_picker_and_the_confirm_dialog_say_who_uses_an_image_in_use() {
    let mut app = loaded_app();
    select(&mut app, WEB_LATEST);
    press(&mut app, KeyCode::Char('s'));
    facts(&mut app, "web-frontend");
    usage_of(&mut app, WEB_LATEST, in_use());
    press(&mut app, KeyCode::Down);
    let screen = render(&app, 80, 24, COLOR);
    assert!(screen.contains("This is a rollback"), "{screen}");
    assert!(
        screen.contains("Used by: 130 instances run it (120 running)"),
        "{screen}"
    );
    assert!(
        screen.contains("In use: scaling group web-asg launches it"),
        "{screen}"
    );
    insta::assert_snapshot!("status_in_use_80x24", screen);
    press(&mut app, KeyCode::Enter);
    let screen = render(&app, 80, 24, COLOR);
    assert!(
        screen.contains("Image ID: ["),
        "in use asks for the ID: {screen}"
    );
    assert!(screen.contains("asks for the image ID."), "{screen}");
    insta::assert_snapshot!("confirm_in_use_80x24", screen);
}

#[test]
fn browser_filtered() {
    let mut app = loaded_app();
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "web");
    insta::assert_snapshot!("browser_filtering_80x24", render(&app, 80, 24, COLOR));
}

fn form_with_errors() -> App {
    let mut app = loaded_app();
    select(&mut app, WEB_LATEST);
    press(&mut app, KeyCode::Char('e'));
    facts(&mut app, "web-frontend");
    app::update(&mut app, ctrl('u'));
    type_text(&mut app, "1号镜像");
    press(&mut app, KeyCode::Tab);
    app::update(&mut app, ctrl('u'));
    type_text(&mut app, "https://例子.com/说明");
    press(&mut app, KeyCode::Tab);
    app::update(&mut app, ctrl('u'));
    type_text(&mut app, "aliyun-web");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Right); // Status: Deprecated
    for _ in 0..4 {
        press(&mut app, KeyCode::Tab);
    }
    press(&mut app, KeyCode::Left); // IMDS: v2 -> v1
    app::update(&mut app, ctrl('o'));
    app
}

#[test]
fn form_with_errors_screen() {
    let app = form_with_errors();
    let screen = render(&app, 80, 24, COLOR);
    assert!(screen.contains("must start with a letter or a Chinese character"));
    assert!(screen.contains("InvalidImageName.Malformed"));
    assert!(
        screen.contains("4/128 ✗"),
        "the counter counts characters:\n{screen}"
    );
    both_sizes("form_errors", &app);
}

#[test]
fn form_untouched() {
    let mut app = loaded_app();
    select(&mut app, LONE);
    press(&mut app, KeyCode::Char('e'));
    insta::assert_snapshot!("form_untouched_80x24", render(&app, 80, 24, COLOR));
}

fn status_picker(id: &str, family: Option<&str>, other: bool) -> App {
    let mut app = loaded_app();
    select(&mut app, id);
    press(&mut app, KeyCode::Char('s'));
    if let Some(f) = family {
        facts(&mut app, f);
        if id == SHARED {
            usage_of(&mut app, id, shared_usage());
        } else {
            unused(&mut app, id);
        }
    }
    if other {
        press(&mut app, KeyCode::Down);
    }
    app
}

#[test]
fn status_picker_rollback() {
    let app = status_picker(WEB_LATEST, Some("web-frontend"), true);
    let screen = render(&app, 80, 24, COLOR);
    assert!(screen.contains("This is a rollback"), "{screen}");
    both_sizes("status_rollback", &app);
}

#[test]
fn status_picker_checking_family() {
    let app = status_picker(WEB_LATEST, None, true);
    let screen = render(&app, 80, 24, COLOR);
    assert!(screen.contains("checking family web-frontend…"), "{screen}");
    insta::assert_snapshot!("status_checking_80x24", screen);
}

#[test]
fn status_picker_keeps_resolving() {
    let app = status_picker(WEB_OLD, Some("web-frontend"), true);
    let screen = render(&app, 80, 24, COLOR);
    assert!(
        screen.contains("keeps resolving to web-frontend-v1.3.0"),
        "{screen}"
    );
    both_sizes("status_keeps", &app);
}

#[test]
fn status_picker_empties_family() {
    let app = status_picker(DB_ONLY, Some("数据库"), true);
    let screen = render(&app, 80, 24, COLOR);
    assert!(screen.contains("resolving to nothing"), "{screen}");
    both_sizes("status_empties", &app);
}

#[test]
fn status_picker_becomes_latest() {
    let mut app = status_picker(API_NEWER, Some("api"), false);
    press(&mut app, KeyCode::Up);
    let screen = render(&app, 80, 24, COLOR);
    assert!(
        screen.contains("Family api will resolve to this image."),
        "{screen}"
    );
    both_sizes("status_latest", &app);
}

#[test]
fn status_picker_shared() {
    let mut app = status_picker(SHARED, Some("base"), true);
    press(&mut app, KeyCode::Enter);
    let screen = render(&app, 80, 24, COLOR);
    assert!(screen.contains("unshare it first"), "{screen}");
    assert!(screen.contains("ImageUseShared"), "{screen}");
    both_sizes("status_shared", &app);
}

fn confirm_rename_and_deprecate() -> App {
    let mut app = loaded_app();
    select(&mut app, WEB_LATEST);
    press(&mut app, KeyCode::Char('e'));
    facts(&mut app, "web-frontend");
    app::update(&mut app, ctrl('u'));
    type_text(&mut app, "web-frontend-v1.3.0-回滚");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Right);
    app::update(&mut app, ctrl('o'));
    unused(&mut app, WEB_LATEST);
    app
}

#[test]
fn confirm_dialog() {
    let app = confirm_rename_and_deprecate();
    let screen = render(&app, 80, 24, COLOR);
    assert!(
        screen.contains("web-frontend-v1.3.0 → web-frontend-v1.3.0-回滚"),
        "{screen}"
    );
    assert!(screen.contains("Available → Deprecated"), "{screen}");
    assert!(screen.contains("[ Cancel ]   [ Apply ]"), "{screen}");
    both_sizes("confirm", &app);
}

#[test]
fn confirm_dialog_with_typed_id() {
    let mut app = status_picker(DB_ONLY, Some("数据库"), true);
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "m-bp1data");
    let screen = render(&app, 80, 24, COLOR);
    assert!(screen.contains("Image ID: [m-bp1data "), "{screen}");
    assert!(
        screen.contains("Apply unlocks when this reads m-bp1database00000001."),
        "{screen}"
    );
    both_sizes("confirm_typed", &app);
}

fn after_result(outcome: Result<(), ApplyError>) -> App {
    let mut app = confirm_rename_and_deprecate();
    press(&mut app, KeyCode::Tab);
    let commands = press(&mut app, KeyCode::Enter);
    let [app::Command::ApplyChange { job, change, .. }] = &commands[..] else {
        panic!("{commands:?}")
    };
    let action = match outcome {
        Ok(()) => Action::ChangeApplied {
            job: *job,
            applied: Box::new(Applied {
                request_id: "473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E".into(),
                after: Some(change.operation.after(change.image())),
                verified: true,
                dry_run: false,
                journal_error: None,
                ..Default::default()
            }),
            at: "08:31:02".into(),
        },
        Err(error) => Action::ChangeFailed {
            job: *job,
            error: Box::new(error),
            at: "08:31:02".into(),
        },
    };
    app::update(&mut app, action);
    app
}

#[test]
fn result_applied() {
    let app = after_result(Ok(()));
    let screen = render(&app, 80, 24, COLOR);
    assert!(
        screen.contains("473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E"),
        "{screen}"
    );
    assert!(screen.contains("Verified"), "{screen}");
    both_sizes("result_applied", &app);
}

fn shared_error() -> ApplyError {
    let mut e = ApiError::from_code(
        "ImageUseShared",
        "The specified image has been shared to others, please remove shared accounts first.",
        Some(403),
    );
    e.request_id = Some("8F3E5C2A-1B7D-4E9F-A6C3-2D8B0E4F7A19".into());
    e.recommend = Some(
        "https://api.aliyun.com/troubleshoot?q=ImageUseShared&product=Ecs&requestId=8F3E5C2A-1B7D-4E9F-A6C3-2D8B0E4F7A19"
            .into(),
    );
    ApplyError::Api(e)
}

#[test]
fn result_error() {
    let app = after_result(Err(shared_error()));
    let screen = render(&app, 80, 24, COLOR);
    for needle in [
        "ImageUseShared (HTTP 403)",
        "unshare it before deprecating",
        "ECS said: The specified image has been shared",
        "RequestId: 8F3E5C2A-1B7D-4E9F-A6C3-2D8B0E4F7A19",
        "https://api.aliyun.com/troubleshoot?q=ImageUseShared",
        "Enter or Esc goes back to it",
    ] {
        assert!(screen.contains(needle), "{needle} missing:\n{screen}");
    }
    both_sizes("result_error", &app);
}

#[test]
fn result_read_only() {
    let mut ctx = context();
    ctx.read_only = true;
    ctx.demo = true;
    let mut app = loaded_app_with(ctx, images());
    select(&mut app, LONE);
    press(&mut app, KeyCode::Char('e'));
    type_text(&mut app, "-2");
    app::update(&mut app, ctrl('o'));
    let confirm = render(&app, 80, 24, COLOR);
    assert!(confirm.contains("Read-only mode"), "{confirm}");
    press(&mut app, KeyCode::Tab);
    let commands = press(&mut app, KeyCode::Enter);
    let [app::Command::ApplyChange { job, .. }] = &commands[..] else {
        panic!()
    };
    app::update(
        &mut app,
        Action::ChangeFailed {
            job: *job,
            error: Box::new(ApplyError::ReadOnly),
            at: AT.into(),
        },
    );
    let screen = render(&app, 80, 24, COLOR);
    assert!(screen.lines().next().unwrap().contains(" RO "), "{screen}");
    assert!(
        screen.lines().next().unwrap().contains(" DEMO "),
        "{screen}"
    );
    assert!(
        screen.contains("read-only: changes are refused"),
        "{screen}"
    );
    insta::assert_snapshot!("result_read_only_80x24", screen);
}

#[test]
fn notices_view() {
    let mut app = after_result(Err(shared_error()));
    press(&mut app, KeyCode::Char('n'));
    let screen = render(&app, 80, 24, COLOR);
    assert!(screen.contains("ModifyImageAttribute"), "{screen}");
    assert!(screen.contains("08:31:02"), "{screen}");
    insta::assert_snapshot!("notices_80x24", screen);
}

#[test]
fn region_picker() {
    let mut app = loaded_app();
    press(&mut app, KeyCode::Char('R'));
    let regions = [
        ("cn-qingdao", "华北1（青岛）"),
        ("cn-beijing", "华北2（北京）"),
        ("cn-hangzhou", "华东1（杭州）"),
        ("cn-shanghai", "华东2（上海）"),
        ("ap-southeast-1", "新加坡"),
    ]
    .into_iter()
    .map(|(id, name)| ecsimg::ecs::model::Region {
        region_id: id.into(),
        local_name: name.into(),
        ..Default::default()
    })
    .collect();
    app::update(
        &mut app,
        Action::Regions {
            result: Box::new(Ok(regions)),
            at: AT.into(),
        },
    );
    insta::assert_snapshot!("regions_80x24", render(&app, 80, 24, COLOR));
}

#[test]
fn help_overlay() {
    let mut app = loaded_app();
    press(&mut app, KeyCode::Char('?'));
    // Help and hints come from the same table that handles the keys.
    let tall = render(&app, 120, 40, COLOR);
    let keys = ecsimg::keys::Keymap::default();
    for binding in keys.help_rows(ecsimg::keys::Context::Browser) {
        if binding.desc.len() < 20 {
            assert!(tall.contains(binding.desc), "{} missing", binding.desc);
        }
    }
    insta::assert_snapshot!("help_80x24", render(&app, 80, 24, COLOR));
}

// ---- NO_COLOR and --ascii ------------------------------------------------------------------

#[test]
fn no_color_has_no_colour_and_still_shows_the_selection() {
    for app in [
        browser(),
        form_with_errors(),
        confirm_rename_and_deprecate(),
    ] {
        let buffer = draw(&app, 80, 24, NO_COLOR);
        for cell in buffer.content() {
            assert_eq!(cell.fg, Color::Reset, "{cell:?}");
            assert_eq!(cell.bg, Color::Reset, "{cell:?}");
        }
    }
    let app = browser();
    let screen = render(&app, 80, 24, NO_COLOR);
    let selected = screen
        .lines()
        .find(|l| l.starts_with("> "))
        .expect("the > marker shows the selection");
    assert!(selected.contains("数据库主节点"), "{selected}");
    insta::assert_snapshot!("browser_no_color_80x24", screen);
    insta::assert_snapshot!(
        "confirm_no_color_80x24",
        render(&confirm_rename_and_deprecate(), 80, 24, NO_COLOR)
    );
}

#[test]
fn ascii_has_no_box_drawing() {
    let box_drawing =
        |c: char| ('\u{2500}'..='\u{259F}').contains(&c) || "…→←↑↓·✓✗•◀▶⠋".contains(c);
    let mut app = confirm_rename_and_deprecate();
    let screens = [
        ("browser_ascii_80x24", render(&browser(), 80, 24, ASCII)),
        (
            "form_ascii_80x24",
            render(&form_with_errors(), 80, 24, ASCII),
        ),
        ("confirm_ascii_80x24", render(&app, 80, 24, ASCII)),
    ];
    press(&mut app, KeyCode::Char('?'));
    let help = render(&app, 80, 24, ASCII);
    for (name, screen) in screens.iter().chain([&("help", help)]) {
        assert!(!screen.chars().any(box_drawing), "{name}:\n{screen}");
    }
    for (name, screen) in screens {
        insta::assert_snapshot!(name, screen);
    }
}

// ---- any size ---------------------------------------------------------------------------

#[test]
fn too_small_says_so_and_nothing_panics_at_any_size() {
    let screen = render(&browser(), 59, 24, COLOR);
    assert!(
        screen.contains("terminal too small (need 60×16)"),
        "{screen}"
    );
    let apps = [
        browser(),
        form_with_errors(),
        confirm_rename_and_deprecate(),
        after_result(Err(shared_error())),
        status_picker(DB_ONLY, Some("数据库"), true),
    ];
    for app in &apps {
        for (w, h) in [
            (1, 1),
            (20, 5),
            (2, 40),
            (200, 2),
            (60, 16),
            (61, 17),
            (300, 100),
        ] {
            let _ = render(app, w, h, COLOR);
            let _ = render(app, w, h, ASCII);
        }
    }
}

#[test]
fn the_minimum_size_keeps_the_buttons_in_view() {
    let screen = render(&confirm_rename_and_deprecate(), 60, 16, COLOR);
    assert!(screen.contains("[ Cancel ]"), "{screen}");
    assert!(screen.contains("[ Apply ]"), "{screen}");
    let screen = render(&form_with_errors(), 60, 16, COLOR);
    insta::assert_snapshot!("form_errors_60x16", screen);
}

#[test]
fn chinese_never_misaligns_a_column() {
    let screen = render(&browser(), 80, 24, COLOR);
    let lines: Vec<&str> = screen.lines().collect();
    // The ID column starts at the same cell on every row, whatever the name holds.
    let header = lines[1];
    let id_col = unicode_width::UnicodeWidthStr::width(&header[..header.find("Image ID").unwrap()]);
    for line in &lines[2..11] {
        let at = line.find("m-bp1").expect(line);
        assert_eq!(
            unicode_width::UnicodeWidthStr::width(&line[..at]),
            id_col,
            "{line}"
        );
    }
}

#[test]
fn changes_nothing_means_nothing_is_drawn_differently() {
    // Drawing is a function of the state: two draws of one state are identical.
    let app = browser();
    assert_eq!(draw(&app, 80, 24, COLOR), draw(&app, 80, 24, COLOR));
    let _ = ImageChanges::default();
}

#[test]
fn confirm_when_the_family_could_not_be_checked() {
    let mut app = loaded_app();
    select(&mut app, WEB_LATEST);
    press(&mut app, KeyCode::Char('s'));
    let mut error = ApiError::from_code(
        "Throttling.User",
        "Request was denied due to user flow control.",
        Some(400),
    );
    error.request_id = Some("REQ-THROTTLED".into());
    app::update(
        &mut app,
        Action::FamilyFacts {
            region: REGION.into(),
            family: "web-frontend".into(),
            result: Box::new(Err(error)),
            at: AT.into(),
        },
    );
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter);
    let screen = render(&app, 80, 24, COLOR);
    assert!(
        screen.contains("Could not check family web-frontend: Throttling.User"),
        "{screen}"
    );
    assert!(screen.contains("Image ID: ["), "{screen}");
    insta::assert_snapshot!("confirm_unknown_family_80x24", screen);
}

#[test]
fn a_refused_status_change_does_not_mention_a_form() {
    let mut app = status_picker(WEB_LATEST, Some("web-frontend"), true);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Tab);
    let commands = press(&mut app, KeyCode::Enter);
    let [app::Command::ApplyChange { job, .. }] = &commands[..] else {
        panic!("{commands:?}")
    };
    app::update(
        &mut app,
        Action::ChangeFailed {
            job: *job,
            error: Box::new(ApplyError::ReadOnly),
            at: AT.into(),
        },
    );
    let screen = render(&app, 80, 24, COLOR);
    assert!(
        screen.contains("read-only: changes are refused"),
        "{screen}"
    );
    assert!(!screen.contains("Your form is kept"), "{screen}");
}

// ---- the journal, undo and profiles ---------------------------------------------------------

/// The journal with a Chinese rename, a refused change, a change in another region and a
/// status change with two fields.
fn journal_app() -> App {
    use ecsimg::change::Field;
    use ecsimg::change::Outcome;
    let mut shanghai = journal_entry(
        "m-uf6aaaa0000000000001",
        "上海-web",
        "2026-04-30T23:10:00Z",
        &[(Field::Description, "", "上海的前端")],
        applied_ok(),
    );
    shanghai.region = "cn-shanghai".into();
    shanghai.source = "cli".into();
    let entries = vec![
        shanghai,
        journal_entry(
            DB_ONLY,
            "数据库主节点镜像-2024",
            "2026-05-01T09:30:00Z",
            &[(
                Field::ImageName,
                "数据库主节点镜像-2023",
                "数据库主节点镜像-2024",
            )],
            Outcome::Applied { verified: false },
        ),
        journal_entry(
            LONE,
            "jump-host",
            "2026-05-01T10:00:00Z",
            &[(Field::ImageName, "jump-host", "1号机")],
            Outcome::Failed {
                code: "InvalidImageName.Malformed".into(),
                message: "The specified ImageName is wrongly formed.".into(),
            },
        ),
        journal_entry(
            WEB_LATEST,
            "web-frontend-v1.3.0",
            "2026-05-01T11:45:09Z",
            &[
                (Field::Status, "Available", "Deprecated"),
                (
                    Field::Description,
                    "nightly",
                    "前端服务镜像 v1.3.0：升级 openssl，修复 CVE-2024-0727",
                ),
            ],
            applied_ok(),
        ),
    ];
    let mut app = loaded_app();
    press(&mut app, KeyCode::Char('J'));
    journal_read(&mut app, entries);
    app
}

#[test]
fn journal_view() {
    let app = journal_app();
    let screen = render(&app, 80, 24, COLOR);
    assert!(screen.contains("Journal (4 changes"), "{screen}");
    assert!(
        screen.contains("✗ failed: InvalidImageName.Malformed"),
        "{screen}"
    );
    assert!(screen.contains("applied (not verified)"), "{screen}");
    both_sizes("journal", &app);
}

#[test]
fn journal_entry_whole() {
    let mut app = journal_app();
    press(&mut app, KeyCode::Enter);
    let screen = render(&app, 80, 24, COLOR);
    assert!(
        screen.contains("Status       Available → Deprecated"),
        "{screen}"
    );
    assert!(
        screen.contains("修复 CVE-2024-0727"),
        "the description in full: {screen}"
    );
    assert!(screen.contains("u puts back the values"), "{screen}");
    insta::assert_snapshot!("journal_entry_80x24", screen);
    // A refused change says there is nothing to undo.
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::Enter);
    let screen = render(&app, 80, 24, COLOR);
    assert!(screen.contains("nothing to undo"), "{screen}");
    assert!(screen.contains("wrongly formed"), "{screen}");
}

#[test]
fn undo_confirm_with_a_change_made_since() {
    use ecsimg::change::Field;
    let mut app = loaded_app();
    let entry = journal_entry(
        WEB_LATEST,
        "web-frontend-v1.3.0",
        "2026-05-01T11:45:09Z",
        &[
            (
                Field::ImageName,
                "web-frontend-v1.3.0-rc",
                "web-frontend-v1.3.0-final",
            ),
            (
                Field::Description,
                "候选版本",
                "前端服务镜像 v1.3.0：升级 openssl，修复 CVE-2024-0727",
            ),
        ],
        applied_ok(),
    );
    press(&mut app, KeyCode::Char('u'));
    journal_read(&mut app, vec![entry]);
    reread(&mut app, find(WEB_LATEST));
    let screen = render(&app, 80, 24, COLOR);
    assert!(
        screen.contains("✗ changed since: Name is now web-frontend-v1.3.0, the change set"),
        "{screen}"
    );
    both_sizes("undo_drift", &app);
}

#[test]
fn profile_picker() {
    let mut app = loaded_app();
    press(&mut app, KeyCode::Char('P'));
    app::update(
        &mut app,
        Action::Profiles {
            names: vec!["prod".into(), "default".into(), "开发".into()],
        },
    );
    press(&mut app, KeyCode::Char('j'));
    insta::assert_snapshot!("profiles_80x24", render(&app, 80, 24, COLOR));
}

fn signature_error() -> ApiError {
    let mut e = ApiError::from_code(
        "SignatureDoesNotMatch",
        "Specified signature is not matched with our calculation. server string to sign is:GET&%2F&AccessKeyId%3DLTAI5tDemoEcsimgKey0001",
        Some(400),
    );
    e.request_id = Some("6C1A2B3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D".into());
    e.recommend = Some(
        "https://api.aliyun.com/troubleshoot?q=SignatureDoesNotMatch&product=Ecs&requestId=6C1A2B3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D"
            .into(),
    );
    e
}

fn failed_load() -> App {
    let mut app = new_app(context());
    app::init(&mut app);
    app::update(&mut app, load_failed(1, REGION, signature_error()));
    app
}

#[test]
fn a_failed_load_is_shown_in_full_with_the_link_whole() {
    let app = failed_load();
    for (w, h) in [(80, 24), (120, 40)] {
        let screen = render(&app, w, h, COLOR);
        let e = signature_error();
        for needle in [
            "Could not load the images of cn-hangzhou.",
            "SignatureDoesNotMatch (HTTP 400)",
            "6C1A2B3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D",
            "r to retry",
        ] {
            assert!(
                screen.contains(needle),
                "{needle} missing at {w}x{h}:\n{screen}"
            );
        }
        let meaning = e.meaning();
        let first_words: String = meaning
            .split_whitespace()
            .take(4)
            .collect::<Vec<_>>()
            .join(" ");
        assert!(screen.contains(&first_words), "{first_words}:\n{screen}");
        // The link sits on lines of its own: one, whole, where it fits, so the
        // terminal's selection copies it; where nothing could hold it, wrapped over whole
        // lines — never cut.
        let link = e.recommend.unwrap();
        let lines: Vec<&str> = screen.lines().map(str::trim).collect();
        let start = lines
            .iter()
            .position(|l| l.starts_with("https://"))
            .unwrap_or_else(|| panic!("no link line at {w}x{h}:\n{screen}"));
        if w >= 120 {
            assert_eq!(lines[start], link, "{screen}");
        } else {
            assert!(!screen.contains('…'), "{screen}");
            let joined: String = lines[start..start + 2].concat();
            assert_eq!(joined, link, "{screen}");
        }
    }
    assert!(app.flash.is_none(), "the panel says it; no one-line flash");
    both_sizes("load_failed", &app);
}

#[test]
fn notices_explain_a_failure_and_keep_its_link_whole() {
    let mut app = failed_load();
    press(&mut app, KeyCode::Char('n'));
    let screen = render(&app, 140, 24, COLOR);
    let e = signature_error();
    assert!(screen.contains("failed: SignatureDoesNotMatch"), "{screen}");
    let first_words: String = e
        .meaning()
        .split_whitespace()
        .take(4)
        .collect::<Vec<_>>()
        .join(" ");
    assert!(screen.contains(&first_words), "{screen}");
    assert!(
        screen
            .lines()
            .any(|l| l.trim() == e.recommend.as_deref().unwrap()),
        "{screen}"
    );
    insta::assert_snapshot!("notices_failure_140x24", screen);
}

#[test]
fn a_partial_load_says_so_until_a_load_completes() {
    let mut app = new_app(context());
    app::init(&mut app);
    app::update(&mut app, page(1, REGION, 1, 325, images()));
    let mut error = ApiError::from_code("ServiceUnavailable", "The service is busy.", Some(503));
    error.request_id = Some("REQ-FAILED-PAGE".into());
    app::update(&mut app, load_failed(1, REGION, error));
    let header = render(&app, 80, 24, COLOR)
        .lines()
        .next()
        .unwrap()
        .to_string();
    assert!(
        header.contains("9 of 325 · incomplete (r retries)"),
        "{header}"
    );
    // A key press clears the flash, not the marker.
    press(&mut app, KeyCode::Down);
    let header = render(&app, 80, 24, COLOR)
        .lines()
        .next()
        .unwrap()
        .to_string();
    assert!(header.contains("incomplete"), "{header}");
    // While something else runs, the marker stays beside it.
    press(&mut app, KeyCode::Char('s'));
    let header = render(&app, 120, 40, COLOR)
        .lines()
        .next()
        .unwrap()
        .to_string();
    assert!(header.contains("9 of 325 incomplete"), "{header}");
    press(&mut app, KeyCode::Esc);
    // r loads again; once every page is in, the marker goes.
    let commands = press(&mut app, KeyCode::Char('r'));
    let [app::Command::LoadImages { generation, .. }] = &commands[..] else {
        panic!("{commands:?}")
    };
    let generation = *generation;
    app::update(&mut app, page(generation, REGION, 1, 9, images()));
    app::update(&mut app, done(generation, REGION, 9));
    assert_eq!(app.incomplete, None);
    let header = render(&app, 80, 24, COLOR)
        .lines()
        .next()
        .unwrap()
        .to_string();
    assert!(header.contains("9 images"), "{header}");
    assert!(!header.contains("incomplete"), "{header}");
}

#[test]
fn the_hint_line_keeps_notices_help_and_quit_while_a_change_runs() {
    let mut app = loaded_app();
    select(&mut app, LONE);
    press(&mut app, KeyCode::Char('e'));
    type_text(&mut app, "-2");
    app::update(&mut app, ctrl('o'));
    press(&mut app, KeyCode::Tab);
    let commands = press(&mut app, KeyCode::Enter);
    assert!(matches!(commands[..], [app::Command::ApplyChange { .. }]));
    for (w, h) in [(80, 24), (60, 16), (120, 40)] {
        let screen = render(&app, w, h, COLOR);
        let bottom = screen.lines().last().unwrap();
        for needle in ["Esc cancel the change", "n notices", "? help", "q quit"] {
            assert!(bottom.contains(needle), "{needle} at {w}x{h}: {bottom}");
        }
    }
    insta::assert_snapshot!(
        "browser_change_in_flight_80x24",
        render(&app, 80, 24, COLOR)
    );
}

#[test]
fn a_cancelled_change_says_whether_it_reached_ecs() {
    let mut app = loaded_app();
    select(&mut app, LONE);
    press(&mut app, KeyCode::Char('e'));
    type_text(&mut app, "-2");
    app::update(&mut app, ctrl('o'));
    press(&mut app, KeyCode::Tab);
    let commands = press(&mut app, KeyCode::Enter);
    let [app::Command::ApplyChange { job, .. }] = &commands[..] else {
        panic!("{commands:?}")
    };
    let job = *job;
    press(&mut app, KeyCode::Esc);
    // Until the worker has stopped it and read the image again, the bottom line says so.
    let stopping = render(&app, 80, 24, COLOR);
    assert!(
        stopping.lines().last().unwrap().contains("cancelling"),
        "{stopping}"
    );
    let mut landed = find(LONE);
    landed.image_name = "jump-host-2".into();
    app::update(
        &mut app,
        Action::Cancelled {
            job,
            interrupted: Box::new(ecsimg::change::Interrupted {
                stop: ecsimg::change::Stop::Cancelled,
                landed: ecsimg::change::Landed::Yes,
                now: Ok(Some(landed)),
                journal_error: None,
            }),
            at: AT.into(),
        },
    );
    let screen = render(&app, 80, 24, COLOR);
    assert!(
        !screen.lines().last().unwrap().contains("cancelling"),
        "{screen}"
    );
    assert!(
        screen.contains("but it did reach ECS: the new values are in"),
        "{screen}"
    );
    insta::assert_snapshot!("result_cancelled_landed_80x24", screen);
}

#[test]
fn a_failed_region_list_shows_the_request_id_whole() {
    let mut app = loaded_app();
    press(&mut app, KeyCode::Char('R'));
    app::update(
        &mut app,
        Action::Regions {
            result: Box::new(Err(signature_error())),
            at: AT.into(),
        },
    );
    let screen = render(&app, 80, 24, COLOR);
    assert!(screen.contains("Could not load the regions"), "{screen}");
    assert!(
        screen.contains("RequestId: 6C1A2B3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D"),
        "{screen}"
    );
    assert!(
        screen.contains("https://api.aliyun.com/troubleshoot?q=SignatureDoesNotMatch"),
        "the link starts on a line of its own:\n{screen}"
    );
}

#[test]
fn an_image_still_being_created_says_so_before_anything_is_typed() {
    let mut app = loaded_app();
    select(&mut app, CREATING);
    press(&mut app, KeyCode::Char('e'));
    let screen = render(&app, 80, 24, COLOR);
    assert!(
        screen.contains("Still being created (Creating): it cannot be changed until"),
        "{screen}"
    );
    insta::assert_snapshot!("form_creating_80x24", screen);
    type_text(&mut app, "-x");
    let commands = app::update(&mut app, ctrl('o'));
    assert!(commands.is_empty());
    assert!(
        matches!(app.screen, app::Screen::Form(_)),
        "refused before the confirm dialog"
    );
    let flash = &app.flash.as_ref().unwrap().text;
    assert!(flash.contains("InvalidStatus.ImageIsCreating"), "{flash}");
    // Esc asks before the typed "-x" is thrown away; Esc again throws it away.
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('s'));
    let screen = render(&app, 80, 24, COLOR);
    assert!(screen.contains("Still being created"), "{screen}");
    insta::assert_snapshot!("status_creating_80x24", screen);
}

#[test]
fn the_full_detail_view_has_every_field() {
    use ecsimg::ecs::model::{DiskDeviceMapping, Tag};
    let mut all = images();
    let db = all.iter_mut().find(|i| i.image_id == DB_ONLY).unwrap();
    db.is_copied = true;
    db.is_support_cloudinit = true;
    db.resource_group_id = "rg-acfmzw2jz2z4xyz".into();
    db.tags.tag = vec![
        Tag {
            tag_key: "team".into(),
            tag_value: "数据库".into(),
        },
        Tag {
            tag_key: "env".into(),
            tag_value: "prod".into(),
        },
    ];
    db.disk_device_mappings.disk_device_mapping = vec![DiskDeviceMapping {
        device: "/dev/xvda".into(),
        kind: "system".into(),
        snapshot_id: "s-bp1snapshot0000001".into(),
        size: "100".into(),
        ..DiskDeviceMapping::default()
    }];
    let mut app = loaded_app_with(context(), all);
    select(&mut app, DB_ONLY);
    press(&mut app, KeyCode::Char('d'));
    unused(&mut app, DB_ONLY);
    let screen = render(&app, 80, 24, COLOR);
    for needle in [
        "Arch        x86_64",
        "OS type     linux",
        "Platform    Ubuntu",
        "Copied      yes",
        "Cloud-init  yes",
        "rg-acfmzw2jz2z4xyz",
        "team=数据库, env=prod",
        "/dev/xvda system 100G s-bp1snapshot0000001",
        "请勿在生产环境外使用",
    ] {
        assert!(screen.contains(needle), "{needle} missing:\n{screen}");
    }
    insta::assert_snapshot!("browser_details_every_field_80x24", screen);
}

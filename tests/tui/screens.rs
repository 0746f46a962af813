//! What the screens say, and that nothing is cut without a sign, at 60×20, 80×24, 120×40
//! and 200×50: the status picker's today → after, read-only and CreateFailed said up
//! front, the form that scrolls with a marker, codes and links wrapped, spare width and
//! rows given where text was cut.

use crate::support::tui::*;
use crossterm::event::KeyCode;
use ecsimg::app::{self, App};
use ecsimg::ecs::model::{Image, ImageStatus};
use unicode_width::UnicodeWidthStr;

fn open_status(app: &mut App, id: &str) {
    select(app, id);
    press(app, KeyCode::Char('s'));
}

#[test]
fn the_status_picker_says_what_the_family_resolves_to_today_and_after() {
    let mut app = loaded_app();
    open_status(&mut app, WEB_LATEST);
    press(&mut app, KeyCode::Down);
    let before = render(&app, 80, 24, COLOR);
    assert!(
        !before.contains("today:"),
        "not before the family is checked"
    );
    facts(&mut app, "web-frontend");
    let screen = render(&app, 80, 24, COLOR);
    assert!(
        screen.contains("today: web-frontend-v1.3.0 → after: web-frontend-v1.2.0"),
        "{screen}"
    );
    // Emptying a family: after, it resolves to nothing.
    press(&mut app, KeyCode::Esc);
    open_status(&mut app, DB_ONLY);
    facts(&mut app, "数据库");
    press(&mut app, KeyCode::Down);
    let screen = render(&app, 80, 24, COLOR);
    assert!(
        screen.contains("today: 数据库主节点镜像-2024 → after: nothing"),
        "{screen}"
    );
}

#[test]
fn read_only_is_said_in_the_form_and_the_picker_before_anything_is_chosen() {
    let mut ctx = context();
    ctx.read_only = true;
    let mut app = loaded_app_with(ctx, images());
    open_status(&mut app, WEB_OLD);
    let screen = render(&app, 80, 24, COLOR);
    assert!(screen.contains("Read-only mode"), "{screen}");
    assert!(screen.contains("Apply will be refused"), "{screen}");
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('e'));
    let screen = render(&app, 80, 24, COLOR);
    assert!(screen.contains("Read-only mode"), "{screen}");
}

fn create_failed() -> Image {
    image(
        "m-bp1createfailed00001",
        "broken-build",
        "web-frontend",
        ImageStatus::CreateFailed,
        "2024-06-02T00:00:00Z",
        "import failed",
        "Ubuntu 22.04 64位",
        40,
    )
}

#[test]
fn a_create_failed_image_says_what_that_means_before_it_is_changed() {
    let mut all = images();
    all.push(create_failed());
    let mut app = loaded_app_with(context(), all);
    open_status(&mut app, "m-bp1createfailed00001");
    facts(&mut app, "web-frontend");
    let screen = render(&app, 80, 24, COLOR);
    assert!(
        screen.contains("CreateFailed: ECS could not create this image"),
        "{screen}"
    );
    assert!(
        !screen.contains("family is not affected"),
        "no reassurance that does not hold:\n{screen}"
    );
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('e'));
    let screen = render(&app, 80, 24, COLOR);
    assert!(
        screen.contains("CreateFailed: ECS could not create"),
        "{screen}"
    );
}

#[test]
fn at_60x20_the_form_scrolls_to_its_buttons_with_a_marker() {
    let mut app = loaded_app();
    measure(&mut app, 60, 20);
    select(&mut app, WEB_LATEST);
    press(&mut app, KeyCode::Char('e'));
    facts(&mut app, "web-frontend");
    // A rename and a deprecation: "was:" notes and the rollback's words make it long.
    type_text(&mut app, "-rc");
    for _ in 0..3 {
        press(&mut app, KeyCode::Tab);
    }
    press(&mut app, KeyCode::Right);
    let screen = render(&app, 60, 20, COLOR);
    assert!(screen.contains("more lines below"), "{screen}");
    assert!(!screen.contains("[ Submit ]"), "{screen}");
    // Tab down to the buttons: the form scrolls, and says what is above.
    while !matches!(
        app.form().unwrap().focus,
        ecsimg::app::form::FormFocus::Submit
    ) {
        press(&mut app, KeyCode::Tab);
        let screen = render(&app, 60, 20, COLOR);
        let focused = screen.lines().filter(|l| l.contains("> ")).count();
        assert!(
            focused >= 1 || screen.contains("[ Submit ]"),
            "the focus is on screen:\n{screen}"
        );
    }
    let screen = render(&app, 60, 20, COLOR);
    assert!(screen.contains("[ Submit ]"), "{screen}");
    assert!(screen.contains("more lines above"), "{screen}");
}

#[test]
fn an_unfocused_long_description_shows_its_start() {
    let mut all = images();
    let lone = all.iter_mut().find(|i| i.image_id == LONE).unwrap();
    lone.description = format!("START of the text {}END", "x".repeat(200));
    let mut app = loaded_app_with(context(), all);
    select(&mut app, LONE);
    press(&mut app, KeyCode::Char('e'));
    // Focused, it follows the cursor (at the end); unfocused, it shows its start.
    press(&mut app, KeyCode::Tab);
    let screen = render(&app, 80, 24, COLOR);
    assert!(screen.contains("END"), "{screen}");
    press(&mut app, KeyCode::Tab);
    let screen = render(&app, 80, 24, COLOR);
    assert!(screen.contains("START of the text"), "{screen}");
    assert!(!screen.contains("xEND"), "{screen}");
}

#[test]
fn at_80x24_error_codes_and_links_wrap_and_are_never_cut() {
    let mut app = loaded_app();
    select(&mut app, WEB_OLD);
    press(&mut app, KeyCode::Char('e'));
    for _ in 0..7 {
        press(&mut app, KeyCode::Tab);
    }
    press(&mut app, KeyCode::Left);
    let screen = render(&app, 80, 24, COLOR);
    assert!(
        screen.contains("(InvalidOperation.FeaturesImdsSupportNotMatch)"),
        "{screen}"
    );
    assert!(!screen.contains("InvalidOperat…"), "{screen}");
    for line in screen.lines() {
        assert!(line.width() <= 80, "{line}");
    }
}

#[test]
fn spare_width_goes_to_the_columns_that_were_cut() {
    let mut all = images();
    let lone = all.iter_mut().find(|i| i.image_id == LONE).unwrap();
    lone.os_name_en = "Alibaba Cloud Linux 3.2104 LTS 64 bit ARM Edition".into();
    let app = loaded_app_with(context(), all);
    let screen = render(&app, 200, 50, COLOR);
    assert!(
        screen.contains("Alibaba Cloud Linux 3.2104 LTS 64 bit ARM Edition"),
        "the OS is cut while the name has room to spare:\n{screen}"
    );
    let header = screen.lines().nth(1).unwrap();
    let name_col = header.find("Image ID").unwrap() - header.find("Name").unwrap();
    assert!(
        name_col < 40,
        "the name column holds its longest name, not the spare width ({name_col}):\n{header}"
    );
}

#[test]
fn at_120x40_the_detail_pane_takes_the_rows_it_fills_and_the_list_the_rest() {
    let mut app = loaded_app_with(context(), numbered_images(40));
    measure(&mut app, 120, 40);
    let screen = render(&app, 120, 40, COLOR);
    let lines: Vec<&str> = screen.lines().collect();
    let rule = lines
        .iter()
        .rposition(|l| l.contains("image-00 · m-bp1many"))
        .expect("the detail pane's title");
    let below = &lines[rule + 1..lines.len() - 1];
    let empty = below.iter().filter(|l| l.trim().is_empty()).count();
    assert!(
        empty <= 3,
        "{empty} empty rows in the detail pane:\n{screen}"
    );
    // 38 body rows: the pane's rule, 3 rows of fields, who uses it, 3 of description; the
    // list's column titles take one more.
    assert!(
        app.viewport.list >= 29,
        "the list gets the rows: {}",
        app.viewport.list
    );
    let _ = app::update(&mut app, crate::support::tui::key(KeyCode::PageDown));
    assert_eq!(app.list.selected_row(), Some(app.viewport.list));
}

#[test]
fn the_notices_wrap_a_long_link_over_whole_lines() {
    let mut app = loaded_app();
    let mut e = ecsimg::ecs::error::ApiError::from_code("Throttling.User", "slow down", Some(400));
    e.request_id = Some("REQ-LONG".into());
    e.recommend = Some(format!(
        "https://api.aliyun.com/troubleshoot?q=Throttling.User&product=Ecs&requestId={}",
        "A".repeat(60)
    ));
    let region = app.context.region.clone();
    app::update(
        &mut app,
        app::Action::FamilyFacts {
            region,
            family: "web-frontend".into(),
            result: Box::new(Err(e.clone())),
            at: AT.into(),
        },
    );
    press(&mut app, KeyCode::Char('n'));
    let screen = render(&app, 80, 24, COLOR);
    let link = e.recommend.unwrap();
    let lines: Vec<&str> = screen.lines().map(str::trim).collect();
    let start = lines
        .iter()
        .position(|l| l.starts_with("https://"))
        .unwrap();
    assert_eq!(lines[start..start + 2].concat(), link, "{screen}");
}

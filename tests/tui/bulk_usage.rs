//! Who uses the images of a bulk plan, in the TUI with the real worker against the demo
//! simulator: the plan says "checking who uses N images…" while it reads, an Apply pressed
//! meanwhile is queued (sent when the checks return, or asking for the count typed when
//! they show images in use), and a shared image is refused naming its accounts.

use std::time::Duration;

use crossterm::event::KeyCode;
use ecsimg::app::Screen;
use ecsimg::ecs::model::ImageStatus;
use ecsimg::sim::{FaultSettings, SimConfig, SimHandle, DEMO_REGION};

use crate::flow::{demo_session, latest_two, start_on, Harness};
use crate::support::tui::{render, COLOR};

fn flash(h: &Harness) -> String {
    h.app
        .flash
        .as_ref()
        .map(|f| f.text.clone())
        .unwrap_or_default()
}

/// Every answer a little late, so Apply is pressed before the checks return.
fn slow() -> SimConfig {
    SimConfig::demo().with_faults(FaultSettings {
        latency: Duration::from_millis(150),
        ..FaultSettings::default()
    })
}

/// `F` on the newest image of `family`, keep the newest one, Enter: the plan.
fn keep_newest_one(h: &mut Harness, sim: &SimHandle, family: &str) {
    let (newest, _) = latest_two(sim, family);
    h.select(&newest.image_id);
    h.key(KeyCode::Char('F'));
    h.key(KeyCode::Backspace);
    h.type_text("1");
    h.key(KeyCode::Enter);
    assert!(
        matches!(h.app.screen, Screen::BulkPlan(_)),
        "{:?}",
        h.app.screen
    );
}

fn available(sim: &SimHandle, family: &str) -> usize {
    sim.images(DEMO_REGION)
        .iter()
        .filter(|i| i.image_family == family && i.status == ImageStatus::Available)
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn apply_pressed_while_the_plan_reads_who_uses_its_images_goes_when_they_are_unused() {
    let (sim, mut h, _dir) =
        start_on(slow(), |sim, journal| (demo_session(sim, journal), None)).await;
    h.settle().await;
    // web-frontend's older images: instances, an Inactive configuration and non-default
    // template versions name them, but nothing launches them on its next scale-out.
    keep_newest_one(&mut h, &sim, "web-frontend");
    let screen = render(&h.app, 80, 24, COLOR);
    assert!(screen.contains("checking who uses 3 images…"), "{screen}");
    h.key(KeyCode::Tab);
    h.key(KeyCode::Enter);
    assert!(
        flash(&h).starts_with("Apply queued: checking"),
        "{}",
        flash(&h)
    );
    assert_eq!(
        sim.action_count("ModifyImageAttribute"),
        0,
        "nothing sent blind"
    );
    assert!(render(&h.app, 80, 24, COLOR).contains("Apply queued:"));
    h.settle().await;
    assert_eq!(
        available(&sim, "web-frontend"),
        1,
        "the queued Apply went out"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_queued_bulk_apply_that_turns_out_in_use_asks_for_the_count_and_sends_nothing() {
    let (sim, mut h, _dir) =
        start_on(slow(), |sim, journal| (demo_session(sim, journal), None)).await;
    h.settle().await;
    keep_newest_one(&mut h, &sim, "k8s-worker");
    h.key(KeyCode::Tab);
    h.key(KeyCode::Enter);
    assert!(flash(&h).starts_with("Apply queued"), "{}", flash(&h));
    h.settle().await;
    let Screen::BulkPlan(review) = &h.app.screen else {
        panic!("the plan stays open: {:?}", h.app.screen)
    };
    assert!(!review.queued);
    assert_eq!(
        flash(&h),
        "Apply not sent yet: type 4 to confirm — 2 images may be in use"
    );
    let screen = render(&h.app, 80, 24, COLOR);
    assert!(
        screen.contains("IN USE m-bp1cy154iz6pi78u7g6r: launch template k8s-worker-lt v2"),
        "{screen}"
    );
    assert!(screen.contains("Type 4 to confirm: ["), "{screen}");
    assert_eq!(sim.action_count("ModifyImageAttribute"), 0);

    h.type_text("4"); // Apply keeps the focus it had when it was queued
    h.key(KeyCode::Enter);
    h.settle().await;
    assert_eq!(available(&sim, "k8s-worker"), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bulk_plan_with_a_shared_image_is_refused_naming_its_accounts() {
    let (sim, mut h, dir) = start_on(SimConfig::demo(), |sim, journal| {
        (demo_session(sim, journal), None)
    })
    .await;
    h.settle().await;
    // Both golden-base images marked, then set status Deprecated.
    h.key(KeyCode::Char('/'));
    h.type_text("golden-base");
    h.key(KeyCode::Enter);
    h.key(KeyCode::Char('*'));
    h.key(KeyCode::Char('b'));
    h.key(KeyCode::Enter);
    h.settle().await;
    let screen = render(&h.app, 80, 24, COLOR);
    assert!(
        screen.contains("m-bp1goldensharedbase1 is shared with accounts"),
        "{screen}"
    );
    h.key(KeyCode::Tab);
    h.key(KeyCode::Enter);
    let said = flash(&h);
    assert!(
        said.starts_with("not sent: m-bp1goldensharedbase1 is shared with accounts 1357924680135792, 2468013579246801"),
        "{said}"
    );
    assert!(said.contains("unshare it first"), "{said}");
    assert_eq!(sim.action_count("ModifyImageAttribute"), 0);
    assert!(!dir.path().join("journal.jsonl").exists());
}

#[test]
fn esc_cancels_a_queued_bulk_apply_and_the_answers_then_send_nothing() {
    use crate::support::tui::{
        ch, facts, loaded_app, none_use, press, select, WEB_LATEST, WEB_OLD,
    };
    use ecsimg::app::{self, Command};

    let mut app = loaded_app();
    // The older web image alone: the family keeps resolving to the newest.
    select(&mut app, WEB_OLD);
    app::update(&mut app, ch(' '));
    app::update(&mut app, ch('b'));
    let asked = press(&mut app, KeyCode::Enter);
    let screen = render(&app, 80, 24, COLOR);
    assert!(screen.contains("checking who uses 1 image…"), "{screen}");
    press(&mut app, KeyCode::Tab);
    assert!(
        press(&mut app, KeyCode::Enter).is_empty(),
        "nothing sent blind"
    );
    assert!(app
        .flash
        .as_ref()
        .unwrap()
        .text
        .starts_with("Apply queued: checking"));
    press(&mut app, KeyCode::Esc);
    let Screen::BulkPlan(review) = &app.screen else {
        panic!("the plan stays: {:?}", app.screen)
    };
    assert!(!review.queued);
    assert!(app
        .flash
        .as_ref()
        .unwrap()
        .text
        .starts_with("queued Apply cancelled: nothing was sent"));
    let mut answered = facts(&mut app, "web-frontend");
    answered.extend(none_use(&mut app, &asked));
    assert!(
        !answered.iter().any(|c| matches!(c, Command::RunBatch(_))),
        "{answered:?}"
    );
    // Apply pressed now, with everything read, starts the batch.
    let commands = press(&mut app, KeyCode::Enter);
    assert!(
        matches!(&commands[..], [Command::RunBatch(b)] if b.pairs.len() == 1 && b.pairs[0].0.image_id != WEB_LATEST),
        "{commands:?}"
    );
}

#[test]
fn apply_on_a_plan_ecs_would_refuse_is_refused_at_once_not_queued_behind_the_checks() {
    use crate::support::tui::{ch, loaded_app, press, select, SHARED};
    use ecsimg::app;

    let mut app = loaded_app();
    select(&mut app, SHARED);
    app::update(&mut app, ch(' '));
    app::update(&mut app, ch('b'));
    press(&mut app, KeyCode::Enter);
    assert!(render(&app, 80, 24, COLOR).contains("checking who uses 1 image…"));
    press(&mut app, KeyCode::Tab);
    assert!(press(&mut app, KeyCode::Enter).is_empty());
    let Screen::BulkPlan(review) = &app.screen else {
        panic!("{:?}", app.screen)
    };
    assert!(!review.queued, "the listing already says it is shared");
    let said = &app.flash.as_ref().unwrap().text;
    assert!(
        said.starts_with(&format!("not sent: {SHARED} is shared with other accounts")),
        "{said}"
    );
}

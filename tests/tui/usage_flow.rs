//! Who uses an image, in the TUI with the real worker against the simulator: a shared image
//! refused before anything is sent, naming its accounts; an image in use asking for its
//! typed ID; and Apply pressed while the checks still run, queued and answered late.

use std::time::Duration;

use crossterm::event::KeyCode;
use ecsimg::app::{Outcome, Screen};
use ecsimg::ecs::model::ImageStatus;
use ecsimg::sim::{FaultSettings, SimConfig, DEMO_REGION};

use crate::flow::{demo_session, latest_two, start_on, start_with};
use crate::support::tui::{render, COLOR};

const SHARED: &str = "m-bp1goldensharedbase1";

fn flash(h: &crate::flow::Harness) -> String {
    h.app
        .flash
        .as_ref()
        .map(|f| f.text.clone())
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deprecating_a_shared_image_is_refused_naming_its_accounts() {
    let (sim, mut h, dir) = start_with(|sim, journal| (demo_session(sim, journal), None)).await;
    h.settle().await;
    h.select(SHARED);
    h.key(KeyCode::Char('s'));
    h.settle().await; // the family and who uses the image
    h.key(KeyCode::Down);
    let screen = render(&h.app, 80, 24, COLOR);
    assert!(
        screen.contains("shared with accounts 1357924680135792,"),
        "the picker names the accounts before anything is pressed: {screen}"
    );
    h.key(KeyCode::Enter);
    assert!(
        matches!(h.app.screen, Screen::StatusPicker(_)),
        "no confirm dialog"
    );
    let said = flash(&h);
    assert!(
        said.contains("not sent") && said.contains("1357924680135792, 2468013579246801"),
        "{said}"
    );
    assert!(said.contains("ImageUseShared") && said.contains("unshare it first"));
    assert_eq!(
        sim.action_count("ModifyImageAttribute"),
        0,
        "nothing was sent"
    );
    assert!(!dir.path().join("journal.jsonl").exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deprecating_an_image_in_use_asks_for_its_id_and_says_which_rule_applied() {
    let (sim, mut h, _dir) = start_with(|sim, journal| (demo_session(sim, journal), None)).await;
    h.settle().await;
    let (latest, _) = latest_two(&sim, "web-frontend");
    h.select(&latest.image_id);
    h.key(KeyCode::Char('s'));
    h.settle().await;
    h.key(KeyCode::Down);
    h.key(KeyCode::Enter);
    let screen = render(&h.app, 80, 24, COLOR);
    assert!(
        screen.contains("Used by: 130 instances run it (120 running)"),
        "{screen}"
    );
    assert!(
        screen.contains("In use: scaling group web-frontend-asg launches it"),
        "{screen}"
    );
    assert!(screen.contains("Image ID: ["), "{screen}");
    h.key(KeyCode::Tab);
    h.key(KeyCode::Enter);
    assert!(
        flash(&h).contains("it is in use (scaling group web-frontend-asg"),
        "{}",
        flash(&h)
    );
    assert_eq!(sim.action_count("ModifyImageAttribute"), 0);
    h.type_text(&latest.image_id);
    h.key(KeyCode::Enter);
    h.settle().await;
    assert!(matches!(
        h.app.results.front().map(|r| &r.outcome),
        Some(Outcome::Applied(_))
    ));
    assert_eq!(
        sim.image(DEMO_REGION, &latest.image_id).unwrap().status,
        ImageStatus::Deprecated
    );
}

/// Every answer a little late, so Apply is pressed before the checks return.
fn slow() -> SimConfig {
    SimConfig::demo().with_faults(FaultSettings {
        latency: Duration::from_millis(150),
        ..FaultSettings::default()
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn apply_pressed_before_the_checks_return_goes_out_when_they_do() {
    let (sim, mut h, _dir) =
        start_on(slow(), |sim, journal| (demo_session(sim, journal), None)).await;
    h.settle().await;
    // Not in use: only an Inactive configuration and a non-default version name it.
    let (_, previous) = latest_two(&sim, "web-frontend");
    h.select(&previous.image_id);
    h.key(KeyCode::Char('s'));
    h.key(KeyCode::Down);
    h.key(KeyCode::Enter);
    h.key(KeyCode::Tab);
    h.key(KeyCode::Enter);
    assert!(
        flash(&h).starts_with("Apply queued: waiting for"),
        "{}",
        flash(&h)
    );
    assert_eq!(
        sim.action_count("ModifyImageAttribute"),
        0,
        "nothing sent blind"
    );
    h.settle().await;
    assert!(matches!(
        h.app.results.front().map(|r| &r.outcome),
        Some(Outcome::Applied(_))
    ));
    assert_eq!(
        sim.image(DEMO_REGION, &previous.image_id).unwrap().status,
        ImageStatus::Deprecated
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_queued_apply_that_turns_out_in_use_asks_for_the_id_and_sends_nothing() {
    let (sim, mut h, _dir) =
        start_on(slow(), |sim, journal| (demo_session(sim, journal), None)).await;
    h.settle().await;
    let (latest, _) = latest_two(&sim, "web-frontend");
    h.select(&latest.image_id);
    h.key(KeyCode::Char('s'));
    h.key(KeyCode::Down);
    h.key(KeyCode::Enter);
    h.key(KeyCode::Tab);
    h.key(KeyCode::Enter);
    assert!(flash(&h).starts_with("Apply queued"), "{}", flash(&h));
    h.settle().await;
    let Screen::Confirm(confirm) = &h.app.screen else {
        panic!("the dialog stays open: {:?}", h.app.screen)
    };
    assert!(!confirm.queued);
    assert!(
        flash(&h).starts_with("Apply not sent yet: it is in use"),
        "{}",
        flash(&h)
    );
    assert!(render(&h.app, 80, 24, COLOR).contains("Image ID: ["));
    assert_eq!(sim.action_count("ModifyImageAttribute"), 0);
}

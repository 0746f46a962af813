//! The TUI against the simulator: the real worker, a real HTTP server on 127.0.0.1, keys
//! pressed as a person would. Filter, open an image, rename it, deprecate the latest of a
//! family (seeing the rollback note), confirm — and find the new state on screen and in
//! the simulator.

use std::time::Duration;

use crate::support::patience::scaled;
use crate::support::tui::{ctrl, render, screen_text, COLOR};
use crossterm::event::KeyCode;
use ecsimg::app::{self, Action, App, AppContext, Command, Outcome, Screen};
use ecsimg::ecs::client::{ClientConfig, EcsClient, Endpoint};
use ecsimg::ecs::credentials::Credentials;
use ecsimg::ecs::model::{Image, ImageStatus};
use ecsimg::session::Session;
use ecsimg::sim::{self, SimConfig, SimHandle, DEMO_REGION};
use ecsimg::store::Journal;
use ecsimg::worker::{Connector, Worker};
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver};

pub(crate) struct Harness {
    pub(crate) app: App,
    worker: Worker,
    results: UnboundedReceiver<Action>,
}

impl Harness {
    fn send(&self, commands: Vec<Command>) {
        for command in commands {
            assert!(!matches!(command, Command::Quit | Command::Suspend));
            self.worker.send(command);
        }
    }

    /// One action, then the screen measured as the event loop does.
    pub(crate) fn act(&mut self, action: Action) {
        let commands = app::update(&mut self.app, action);
        crate::support::tui::measure(&mut self.app, 120, 40);
        self.send(commands);
    }

    pub(crate) fn key(&mut self, code: KeyCode) {
        self.act(crate::support::tui::key(code));
    }

    pub(crate) fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.act(crate::support::tui::ch(c));
        }
    }

    /// Feeds results back until nothing is in flight. The timeout only keeps a broken
    /// build from hanging CI; nothing here measures speed.
    pub(crate) async fn settle(&mut self) {
        while self.app.busy() {
            let action =
                tokio::time::timeout(scaled(Duration::from_secs(120)), self.results.recv())
                    .await
                    .expect("the worker answers")
                    .expect("the worker is running");
            self.act(action);
        }
    }

    pub(crate) fn select(&mut self, image_id: &str) {
        self.key(KeyCode::Home);
        for _ in 0..self.app.list.visible_len() {
            if self.app.list.selected().map(|i| i.image_id.as_str()) == Some(image_id) {
                return;
            }
            self.key(KeyCode::Down);
        }
        panic!("{image_id} is not in the filtered list");
    }
}

pub(crate) async fn start() -> (SimHandle, Harness, tempfile::TempDir) {
    start_with(|sim, journal| (demo_session(sim, journal), None)).await
}

/// A demo session against a fresh simulator, journaling into a temporary directory.
pub(crate) fn demo_session(sim: &SimHandle, journal: &std::path::Path) -> Session {
    let client = EcsClient::new(
        ClientConfig::new(DEMO_REGION, Endpoint::Custom(sim.endpoint())),
        Credentials::fixed(sim::demo_access_key()),
    )
    .expect("client");
    Session {
        client,
        profile: "demo".into(),
        endpoint_kind: "custom".into(),
        demo: true,
        read_only: false,
        journal: Some(Journal::at(journal)),
    }
}

/// The harness for the session (and connector) `setup` builds for the simulator and a
/// journal file.
pub(crate) async fn start_with(
    setup: impl FnOnce(&SimHandle, &std::path::Path) -> (Session, Option<Connector>),
) -> (SimHandle, Harness, tempfile::TempDir) {
    start_on(SimConfig::demo(), setup).await
}

/// [`start_with`] against a simulator started with `config`.
pub(crate) async fn start_on(
    config: SimConfig,
    setup: impl FnOnce(&SimHandle, &std::path::Path) -> (Session, Option<Connector>),
) -> (SimHandle, Harness, tempfile::TempDir) {
    let sim = sim::start(config).await.expect("simulator starts");
    let dir = tempfile::tempdir().unwrap();
    let (session, connector) = setup(&sim, &dir.path().join("journal.jsonl"));
    let context = AppContext::from_session(&session);
    let (tx, results) = unbounded_channel();
    let worker = Worker::spawn_with(session, tx, connector);
    let mut harness = Harness {
        app: App::new(context),
        worker,
        results,
    };
    crate::support::tui::measure(&mut harness.app, 120, 40);
    let commands = app::init(&mut harness.app);
    harness.send(commands);
    (sim, harness, dir)
}

/// The account's own images in `region` (the simulator also holds system images).
fn custom_images(sim: &SimHandle, region: &str) -> Vec<Image> {
    sim.images(region)
        .into_iter()
        .filter(|i| i.image_owner_alias == "self")
        .collect()
}

/// The newest and second-newest Available images of `family`, as the simulator holds them.
pub(crate) fn latest_two(sim: &SimHandle, family: &str) -> (Image, Image) {
    let mut available: Vec<Image> = custom_images(sim, DEMO_REGION)
        .into_iter()
        .filter(|i| i.image_family == family && i.status == ImageStatus::Available)
        .collect();
    available.sort_by(|a, b| b.creation_time.cmp(&a.creation_time));
    assert!(
        available.len() >= 2,
        "the demo family {family} has two Available images"
    );
    (available[0].clone(), available[1].clone())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn filter_rename_and_deprecate_the_latest_of_a_family() {
    let (sim, mut h, dir) = start().await;
    h.settle().await;
    assert_eq!(
        h.app.list.all().len(),
        custom_images(&sim, DEMO_REGION).len(),
        "every custom image of the region, every status, all pages"
    );
    assert!(h
        .app
        .list
        .all()
        .iter()
        .any(|i| i.status == ImageStatus::Deprecated));

    // Filter to the family.
    let family = "api-gateway";
    let (latest, previous) = latest_two(&sim, family);
    h.key(KeyCode::Char('/'));
    h.type_text(family);
    h.key(KeyCode::Enter);
    assert!(h.app.list.visible().all(|i| {
        [&i.image_name, &i.image_family, &i.description, &i.image_id]
            .iter()
            .any(|s| s.contains(family))
    }));

    // Open the latest and rename it.
    h.select(&latest.image_id);
    h.key(KeyCode::Char('e'));
    h.settle().await;
    let new_name = format!("{}-已验证", latest.image_name);
    h.act(ctrl('u'));
    h.type_text(&new_name);
    h.act(ctrl('o'));
    assert!(matches!(h.app.screen, Screen::Confirm(_)));
    h.key(KeyCode::Tab);
    h.key(KeyCode::Enter);
    assert!(h.app.busy(), "the change runs in the background");
    h.settle().await;
    let result = h.app.results.front().expect("a result panel");
    let Outcome::Applied(applied) = &result.outcome else {
        panic!("{:?}", result.outcome)
    };
    assert!(applied.verified);
    assert!(!applied.request_id.is_empty());
    let screen = render(&h.app, 120, 40, COLOR);
    assert!(screen.contains(&applied.request_id), "{screen}");
    assert!(screen.contains(&new_name), "{screen}");
    assert_eq!(
        sim.image(DEMO_REGION, &latest.image_id).unwrap().image_name,
        new_name,
        "ECS holds the new name"
    );
    h.key(KeyCode::Enter); // close the result

    // Deprecate it: the family rolls back to the previous image.
    h.select(&latest.image_id);
    h.key(KeyCode::Char('s'));
    h.settle().await; // the family facts
    h.key(KeyCode::Down);
    let screen = screen_text(&crate::support::tui::draw(&h.app, 80, 24, COLOR));
    assert!(screen.contains("This is a rollback"), "{screen}");
    assert!(screen.contains(&previous.image_id), "{screen}");
    h.key(KeyCode::Enter);
    assert!(matches!(h.app.screen, Screen::Confirm(_)));
    h.key(KeyCode::Enter); // Cancel has focus: nothing is sent
    assert!(matches!(h.app.screen, Screen::StatusPicker(_)));
    assert_eq!(
        sim.image(DEMO_REGION, &latest.image_id).unwrap().status,
        ImageStatus::Available
    );
    h.key(KeyCode::Enter);
    h.key(KeyCode::Tab);
    h.key(KeyCode::Enter);
    h.settle().await;
    assert!(matches!(
        h.app.results.front().map(|r| &r.outcome),
        Some(Outcome::Applied(_))
    ));
    h.key(KeyCode::Enter);

    // On screen: the row says Deprecated; in the simulator: Deprecated, and the family
    // resolves to the previous image.
    assert_eq!(
        h.app.list.get(&latest.image_id).unwrap().status,
        ImageStatus::Deprecated
    );
    let screen = render(&h.app, 120, 40, COLOR);
    let row = screen
        .lines()
        .find(|l| l.contains(&latest.image_id))
        .expect("the row is on screen");
    assert!(row.contains("Deprecated"), "{row}");
    assert_eq!(
        sim.image(DEMO_REGION, &latest.image_id).unwrap().status,
        ImageStatus::Deprecated
    );
    let (now_latest, _) = latest_two_or_one(&sim, family);
    assert_eq!(now_latest.image_id, previous.image_id);

    // Both changes are in the notices and the journal.
    let modifies: Vec<_> = h
        .app
        .notices
        .iter()
        .filter(|n| n.action == "ModifyImageAttribute")
        .collect();
    assert_eq!(modifies.len(), 2);
    assert!(modifies.iter().all(|n| n.ok && n.request_id.is_some()));
    let journal = Journal::at(dir.path().join("journal.jsonl"));
    let entries = journal.entries().unwrap();
    assert_eq!(entries.len(), 2);
    assert!(entries.iter().all(|e| e.source == "tui" && e.succeeded()));
    sim.shutdown().await;
}

fn latest_two_or_one(sim: &SimHandle, family: &str) -> (Image, Option<Image>) {
    let mut available: Vec<Image> = custom_images(sim, DEMO_REGION)
        .into_iter()
        .filter(|i| i.image_family == family && i.status == ImageStatus::Available)
        .collect();
    available.sort_by(|a, b| b.creation_time.cmp(&a.creation_time));
    let mut it = available.into_iter();
    (it.next().expect("an Available image"), it.next())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_change_keeps_the_form_and_shows_the_api_error() {
    let (sim, mut h, _dir) = start().await;
    h.settle().await;
    // Another client gives an image a name after the list loaded: the form cannot know it
    // is taken, and ECS refuses the second image that asks for it.
    let (latest, previous) = latest_two(&sim, "web-frontend");
    crate::support::sim::Rpc::new(&sim)
        .ecs(
            "ModifyImageAttribute",
            &[
                ("RegionId", DEMO_REGION),
                ("ImageId", &latest.image_id),
                ("ImageName", "renamed-by-a-colleague"),
            ],
        )
        .await
        .ok();
    h.select(&previous.image_id);
    h.key(KeyCode::Char('e'));
    h.settle().await;
    h.act(ctrl('u'));
    h.type_text("renamed-by-a-colleague");
    let typed = h.app.form().unwrap().clone();
    h.act(ctrl('o'));
    h.key(KeyCode::Tab);
    h.key(KeyCode::Enter);
    h.settle().await;
    let result = h.app.results.front().expect("a result");
    match &result.outcome {
        Outcome::Failed(ecsimg::change::ApplyError::Api(e)) => {
            assert_eq!(e.code, "InvalidImageName.Duplicated");
            assert!(e.request_id.is_some());
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    let screen = render(&h.app, 80, 24, COLOR);
    assert!(screen.contains("InvalidImageName.Duplicated"), "{screen}");
    // Enter on the failure goes back to the form.
    h.key(KeyCode::Enter);
    assert_eq!(
        h.app.form().unwrap().fields,
        typed.fields,
        "the form as typed"
    );
    assert_eq!(
        sim.image(DEMO_REGION, &previous.image_id)
            .unwrap()
            .image_name,
        previous.image_name
    );
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn switching_region_loads_that_regions_images() {
    let (sim, mut h, _dir) = start().await;
    h.settle().await;
    h.key(KeyCode::Char('R'));
    h.settle().await;
    let regions = match &h.app.regions {
        Some(ecsimg::app::Loadable::Ready(r)) => r.clone(),
        other => panic!("{other:?}"),
    };
    let screen = render(&h.app, 80, 24, COLOR);
    assert!(
        regions
            .iter()
            .any(|r| !r.local_name.is_empty() && screen.contains(&r.local_name)),
        "local names are shown:\n{screen}"
    );
    let current = regions
        .iter()
        .position(|r| r.region_id == DEMO_REGION)
        .unwrap();
    let target = regions
        .iter()
        .enumerate()
        .find(|(i, r)| *i != current && !custom_images(&sim, &r.region_id).is_empty())
        .map(|(i, r)| (i, r.region_id.clone()))
        .expect("another region with images");
    let steps = target.0 as isize - current as isize;
    for _ in 0..steps.unsigned_abs() {
        h.key(if steps > 0 {
            KeyCode::Down
        } else {
            KeyCode::Up
        });
    }
    h.key(KeyCode::Enter);
    h.settle().await;
    assert_eq!(h.app.context.region, target.1);
    assert_eq!(h.app.list.all().len(), custom_images(&sim, &target.1).len());
    assert!(render(&h.app, 80, 24, COLOR)
        .lines()
        .next()
        .unwrap()
        .contains(&target.1));
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn esc_cancels_a_change_in_flight_and_the_image_is_read_again() {
    let (sim, mut h, dir) = start().await;
    h.settle().await;
    let (latest, _) = latest_two(&sim, "redis-cache");
    h.select(&latest.image_id);
    h.key(KeyCode::Char('e'));
    h.settle().await;
    h.key(KeyCode::End);
    h.type_text("-x");
    h.act(ctrl('o'));
    h.key(KeyCode::Tab);
    // ECS is slow now: the change is certainly still in flight when Esc comes.
    sim.faults()
        .set_latency(Duration::from_secs(600), Duration::ZERO);
    let calls = sim.faults().calls();
    h.key(KeyCode::Enter);
    assert!(h.app.busy());
    // Esc once the simulator holds the request (a guard against a hang, not a timing).
    tokio::time::timeout(Duration::from_secs(120), async {
        while sim.faults().calls() == calls {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await
    .expect("the change reaches the simulator");
    // It stays held; what comes after it (the one re-read) is answered at once.
    sim.faults().clear();
    // The list is still usable meanwhile.
    h.key(KeyCode::Char('g'));
    h.key(KeyCode::Esc);
    assert!(h.app.jobs.iter().all(|j| j.cancelling));
    h.settle().await;
    assert_eq!(
        sim.faults().calls() - calls,
        2,
        "the change, and one DescribeImages to settle it"
    );
    let result = h.app.results.front().expect("a result panel");
    assert!(
        matches!(result.outcome, Outcome::Cancelled(_)),
        "{:?}",
        result.outcome
    );
    assert!(h
        .app
        .notices
        .iter()
        .any(|n| n.action == "ModifyImageAttribute" && n.outcome.starts_with("cancelled")));
    // Whatever ECS holds, the list shows it (the re-read after the cancel).
    let held = sim.image(DEMO_REGION, &latest.image_id).unwrap();
    assert_eq!(
        h.app.list.get(&latest.image_id).unwrap().image_name,
        held.image_name
    );
    // And the form is still there as typed.
    h.key(KeyCode::Char('e'));
    assert_eq!(
        h.app
            .form()
            .unwrap()
            .field(ecsimg::change::Field::ImageName)
            .unwrap()
            .value(),
        format!("{}-x", latest.image_name)
    );
    // The journal says what became of it (the worker read the image again, once, to know).
    let journal = Journal::at(dir.path().join("journal.jsonl"));
    let wait_for_entry = async {
        loop {
            if let Some(e) = journal
                .entries()
                .unwrap_or_default()
                .into_iter()
                .find(|e| e.image_id == latest.image_id)
            {
                break e;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };
    // Only a guard against a hang; nothing here measures speed.
    let entry = tokio::time::timeout(scaled(Duration::from_secs(120)), wait_for_entry)
        .await
        .expect("the cancelled change is journaled");
    assert_eq!(entry.source, "tui");
    assert_eq!(entry.changes[0].after, format!("{}-x", latest.image_name));
    let landed = held.image_name == entry.changes[0].after;
    assert_eq!(entry.succeeded(), landed, "{entry:?}");
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rename_is_in_the_journal_and_u_puts_the_old_name_back() {
    let (sim, mut h, dir) = start().await;
    h.settle().await;
    let screen = render(&h.app, 80, 24, COLOR);
    let header = screen.lines().next().unwrap();
    assert!(header.contains("sim 127.0.0.1:"), "{header}");

    let (latest, _) = latest_two(&sim, "web-frontend");
    let old_name = latest.image_name.clone();
    let new_name = format!("{old_name}-改名");
    h.select(&latest.image_id);
    h.key(KeyCode::Char('e'));
    h.settle().await;
    h.act(ctrl('u'));
    h.type_text(&new_name);
    h.act(ctrl('o'));
    h.key(KeyCode::Tab);
    h.key(KeyCode::Enter);
    h.settle().await;
    h.key(KeyCode::Enter); // close the result
    assert_eq!(
        sim.image(DEMO_REGION, &latest.image_id).unwrap().image_name,
        new_name
    );

    // J: the change, as the journal file holds it.
    h.key(KeyCode::Char('J'));
    h.settle().await;
    let screen = render(&h.app, 120, 40, COLOR);
    assert!(screen.contains("Journal (1 change"), "{screen}");
    assert!(
        screen.contains(&format!("Name: {old_name} → {new_name}")),
        "{screen}"
    );
    h.key(KeyCode::Enter);
    let screen = render(&h.app, 120, 40, COLOR);
    assert!(screen.contains("Journal #1"), "{screen}");

    // u: the image is read again, the dialog opens with Cancel focused.
    h.key(KeyCode::Char('u'));
    h.settle().await;
    let screen = render(&h.app, 120, 40, COLOR);
    assert!(screen.contains("Undo #1 on"), "{screen}");
    assert!(
        screen.contains(&format!("{new_name} → {old_name}")),
        "{screen}"
    );
    h.key(KeyCode::Enter);
    assert!(
        matches!(h.app.screen, Screen::Journal(_)),
        "Cancel goes back to the journal"
    );
    assert_eq!(
        sim.image(DEMO_REGION, &latest.image_id).unwrap().image_name,
        new_name,
        "nothing sent"
    );
    h.key(KeyCode::Char('u'));
    h.settle().await;
    h.key(KeyCode::Tab);
    h.key(KeyCode::Enter);
    h.settle().await;
    let result = h.app.results.front().expect("a result panel");
    assert!(
        matches!(&result.outcome, Outcome::Applied(a) if a.verified),
        "{:?}",
        result.outcome
    );

    // The old name is back: in ECS, on screen, and the undo is journaled too.
    assert_eq!(
        sim.image(DEMO_REGION, &latest.image_id).unwrap().image_name,
        old_name
    );
    assert_eq!(
        h.app.list.get(&latest.image_id).unwrap().image_name,
        old_name
    );
    let entries = Journal::at(dir.path().join("journal.jsonl"))
        .entries()
        .unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[1].changes[0].before, new_name);
    assert_eq!(entries[1].changes[0].after, old_name);
    assert_eq!(entries[1].source, "tui");
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_damaged_journal_is_named_by_file_and_line() {
    let (sim, mut h, dir) = start().await;
    h.settle().await;
    std::fs::write(dir.path().join("journal.jsonl"), "{\"oops\": true}\n").unwrap();
    h.key(KeyCode::Char('J'));
    h.settle().await;
    let screen = render(&h.app, 120, 40, COLOR);
    assert!(
        screen.contains("journal.jsonl:1: not a journal entry"),
        "{screen}"
    );
    h.key(KeyCode::Esc);
    h.key(KeyCode::Char('u'));
    h.settle().await;
    let flash = h
        .app
        .flash
        .as_ref()
        .map(|f| f.text.clone())
        .unwrap_or_default();
    assert!(flash.contains("journal.jsonl:1"), "{flash}");
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p_switches_profile_through_the_connector_and_the_worker_uses_it() {
    // A real account's session (not the demo) against the simulator; the connector makes
    // "ops", a read-only profile, and refuses "broken" as the credential chain would.
    let (sim, mut h, _dir) = start_with(|sim, journal| {
        let base = Session {
            profile: "default".into(),
            demo: false,
            ..demo_session(sim, journal)
        };
        let template = base.clone();
        let connector: Connector = std::sync::Arc::new(move |name: &str| match name {
            "ops" => Ok(Session {
                profile: "ops".into(),
                read_only: true,
                ..template.clone()
            }),
            other => Err(format!(
                "no such profile {other:?} in ~/.aliyun/config.json\nFix: aliyun configure --profile {other}"
            )),
        });
        (base, Some(connector))
    })
    .await;
    h.settle().await;
    let count = h.app.list.all().len();
    h.key(KeyCode::Char('P'));
    h.settle().await;
    // What the credential files hold (the worker read this machine's; these stand in).
    h.act(Action::Profiles {
        names: vec!["broken".into(), "ops".into()],
    });
    h.key(KeyCode::Char('j'));
    h.key(KeyCode::Enter);
    h.settle().await;
    assert_eq!(h.app.context.profile, "default");
    let screen = render(&h.app, 80, 24, COLOR);
    assert!(screen.contains("no such profile \"broken\""), "{screen}");

    h.key(KeyCode::Char('j'));
    h.key(KeyCode::Enter);
    h.settle().await;
    assert_eq!(h.app.context.profile, "ops");
    assert!(h.app.context.read_only);
    assert_eq!(h.app.screen, Screen::Browser);
    assert_eq!(h.app.list.all().len(), count, "the list loaded again");
    let header = render(&h.app, 80, 24, COLOR);
    let header = header.lines().next().unwrap();
    assert!(
        header.contains("ops ·") && header.contains(" RO "),
        "{header}"
    );

    // The worker sends with the new session: ops is read-only, so a change is refused.
    let image = h.app.list.selected().unwrap().clone();
    h.key(KeyCode::Char('e'));
    h.settle().await;
    h.key(KeyCode::End);
    h.type_text("-ro");
    h.act(ctrl('o'));
    h.key(KeyCode::Tab);
    h.key(KeyCode::Enter);
    h.settle().await;
    let result = h.app.results.front().expect("a result");
    assert!(
        matches!(
            result.outcome,
            Outcome::Failed(ecsimg::change::ApplyError::ReadOnly)
        ),
        "{:?}",
        result.outcome
    );
    assert_eq!(
        sim.image(DEMO_REGION, &image.image_id).unwrap().image_name,
        image.image_name
    );
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_throttled_load_says_it_is_retrying_until_the_next_result() {
    let (sim, mut h, _dir) = start().await;
    h.settle().await;
    sim.faults().fail_next(1, sim::Fault::Throttling);
    h.key(KeyCode::Char('r'));
    // The first answer is throttled: the worker reports the retry before waiting.
    let retrying = loop {
        let action = tokio::time::timeout(scaled(Duration::from_secs(120)), h.results.recv())
            .await
            .expect("the worker answers")
            .expect("the worker is running");
        let is_retry = matches!(action, Action::Retrying { .. });
        h.act(action);
        if is_retry {
            break h.app.retrying.clone().expect("kept for the status bar");
        }
    };
    assert_eq!(retrying.action, "DescribeImages");
    assert_eq!(retrying.retry, 1);
    let bottom = render(&h.app, 120, 40, COLOR)
        .lines()
        .last()
        .unwrap()
        .to_string();
    assert!(
        bottom.contains("DescribeImages: throttled (Throttling"),
        "{bottom}"
    );
    assert!(bottom.contains("retrying in 0.1 s (retry 1 of"), "{bottom}");
    // The retry goes through; the next result clears the notice.
    h.settle().await;
    assert_eq!(h.app.retrying, None);
    assert!(h.app.load_error.is_none());
    let bottom = render(&h.app, 120, 40, COLOR)
        .lines()
        .last()
        .unwrap()
        .to_string();
    assert!(!bottom.contains("retrying"), "{bottom}");
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn across_all_regions_a_change_goes_to_the_images_own_region() {
    let (sim, mut h, _dir) = start().await;
    h.settle().await;
    h.key(KeyCode::Char('R'));
    h.settle().await;
    h.type_text("all");
    h.key(KeyCode::Enter);
    h.settle().await;
    let expected: usize = ["cn-hangzhou", "cn-shanghai", "ap-southeast-1"]
        .iter()
        .map(|r| custom_images(&sim, r).len())
        .sum();
    assert_eq!(h.app.list.all().len(), expected, "every region's images");

    // An image that lives in Shanghai, found by the filter across regions.
    let target = custom_images(&sim, "cn-shanghai")
        .into_iter()
        .find(|i| i.status == ImageStatus::Available && !i.is_shared())
        .expect("an Available Shanghai image");
    h.key(KeyCode::Char('/'));
    h.type_text(&format!("region:cn-shanghai id:{}", target.image_id));
    h.key(KeyCode::Enter);
    assert_eq!(h.app.list.visible_len(), 1);
    h.key(KeyCode::Char('e'));
    h.settle().await;
    h.act(ctrl('u'));
    h.type_text("renamed-in-shanghai");
    h.act(ctrl('o'));
    h.key(KeyCode::Tab);
    h.key(KeyCode::Enter);
    h.settle().await;
    assert!(matches!(
        h.app.results.front().map(|r| &r.outcome),
        Some(Outcome::Applied(a)) if a.verified
    ));
    assert_eq!(
        sim.image("cn-shanghai", &target.image_id)
            .unwrap()
            .image_name,
        "renamed-in-shanghai",
        "ECS changed it in its own region"
    );
    assert!(
        sim.image(DEMO_REGION, &target.image_id).is_none(),
        "nothing was asked of the session's region for it"
    );
    assert_eq!(
        h.app.list.get(&target.image_id).unwrap().image_name,
        "renamed-in-shanghai",
        "the list row shows the change"
    );
    sim.shutdown().await;
}

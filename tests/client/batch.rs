//! A change to many images, run as one batch through `exec` against the simulator over
//! real HTTP: every result journaled under one batch ID, faults survived without applying
//! anything twice or skipping anything, and a stop that leaves the journal and ECS
//! agreeing.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use ecsimg::change::{
    plan_edit, BatchReport, BulkEdit, BulkPlan, Facts, ItemOutcome, JournalEntry, Outcome, Plan,
    Progress, Stop,
};
use ecsimg::ecs::client::{ClientConfig, EcsClient, Endpoint};
use ecsimg::ecs::credentials::Credentials;
use ecsimg::ecs::model::{Image, ImageStatus};
use ecsimg::exec::{self, BatchSettings};
use ecsimg::session::Session;
use ecsimg::sim::{self, Fault, FaultSettings, SimConfig, SimHandle};
use ecsimg::store::Journal;

const REGION: &str = "cn-hangzhou";

/// `n` Available images of family `bulk`, one a minute apart.
fn images(n: usize) -> Vec<Image> {
    (0..n)
        .map(|i| Image {
            image_id: format!("m-bulk{i:05}"),
            image_name: format!("bulk-{i:05}"),
            image_family: "bulk".into(),
            description: "before".into(),
            status: ImageStatus::Available,
            creation_time: format!(
                "2024-01-{:02}T{:02}:{:02}:00Z",
                1 + i / 1440,
                i / 60 % 24,
                i % 60
            ),
            image_owner_alias: "self".into(),
            ..Image::default()
        })
        .collect()
}

async fn start(n: usize) -> SimHandle {
    sim::start(SimConfig::demo().with_images(REGION, images(n)))
        .await
        .unwrap()
}

fn session(sim: &SimHandle, journal: &Journal) -> Session {
    let mut config = ClientConfig::new(REGION, Endpoint::Custom(sim.endpoint()));
    config.retry_base = Duration::from_millis(1);
    Session {
        client: EcsClient::new(config, Credentials::fixed(sim::demo_access_key())).unwrap(),
        profile: "demo".into(),
        endpoint_kind: "demo".into(),
        demo: true,
        read_only: false,
        journal: Some(journal.clone()),
    }
}

fn describe(sim: &SimHandle, n: usize, to: &str) -> BulkPlan {
    let targets = sim.images(REGION)[..n].to_vec();
    plan_edit(
        &BulkEdit::Description(to.into()),
        &targets,
        &targets,
        &HashMap::new(),
        |_| Facts::Checking,
    )
}

fn batch_entries(journal: &Journal, batch: &str) -> Vec<JournalEntry> {
    journal
        .entries()
        .unwrap()
        .into_iter()
        .filter(|e| e.batch.as_deref() == Some(batch))
        .collect()
}

/// Runs `plan` as a CLI batch nobody stops, progress unheard.
async fn unstopped(s: &Session, plan: &Plan, settings: &BatchSettings) -> BatchReport {
    exec::run_batch(
        s,
        plan.clone(),
        settings,
        "cli",
        &mut exec::StopSignal::never(),
        |_| {},
    )
    .await
}

#[tokio::test]
async fn a_batch_of_500_completes_with_every_result_journaled_under_one_batch_id() {
    let sim = start(500).await;
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::at(dir.path().join("journal.jsonl"));
    let s = session(&sim, &journal);
    let plan = describe(&sim, 500, "after");
    assert_eq!(plan.calls(), 500);
    let seen: Arc<Mutex<Vec<Progress>>> = Arc::default();
    let heard = seen.clone();
    let settings = BatchSettings {
        rate: None,
        ..BatchSettings::default()
    };
    let report = exec::run_batch(
        &s,
        plan.plan.clone(),
        &settings,
        "cli",
        &mut exec::StopSignal::never(),
        move |p| heard.lock().unwrap().push(p.clone()),
    )
    .await;
    assert_eq!(report.applied(), 500, "{}", report.headline());
    assert!(report.batch.starts_with("b-"));
    let entries = batch_entries(&journal, &report.batch);
    assert_eq!(entries.len(), 500);
    assert!(entries
        .iter()
        .all(|e| e.outcome == Outcome::Applied { verified: true } && e.request_id.is_some()));
    for image in sim.images(REGION) {
        assert_eq!(image.description, "after", "{}", image.image_id);
        assert_eq!(sim.processed_count(&image.image_id), 1);
    }
    let last = seen.lock().unwrap().last().cloned().unwrap();
    assert_eq!((last.done, last.failed, last.remaining()), (500, 0, 0));
    assert!(
        seen.lock().unwrap().iter().all(|p| p.in_flight <= 4),
        "never more than the concurrency at once"
    );
}

#[tokio::test]
async fn throttling_and_server_errors_slow_the_batch_but_nothing_is_applied_twice_or_skipped() {
    let sim = start(300).await;
    sim.faults().set(FaultSettings {
        throttle_every: 7,
        error_rate: 0.1,
        ..FaultSettings::default()
    });
    sim.faults().reseed(7);
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::at(dir.path().join("journal.jsonl"));
    let s = session(&sim, &journal);
    let plan = describe(&sim, 300, "after faults");
    let settings = BatchSettings {
        rate: Some(400.0),
        ..BatchSettings::default()
    };
    let report = unstopped(&s, &plan.plan, &settings).await;
    sim.faults().clear();
    assert_eq!(report.applied(), 300, "{:?}", report.group_lines());
    assert!(report.throttled > 0, "the faults were met");
    for item in &plan.plan.items {
        let now = sim.image(REGION, &item.before.image_id).unwrap();
        assert_eq!(now, item.after(), "the simulator holds what the plan said");
        assert_eq!(
            sim.processed_count(&item.before.image_id),
            1,
            "{} applied exactly once",
            item.before.image_id
        );
    }
    let entries = batch_entries(&journal, &report.batch);
    let applied = entries.iter().filter(|e| e.succeeded()).count();
    assert_eq!(applied, 300, "one applied entry per image");
    assert!(
        entries.iter().all(|e| e.outcome != Outcome::Sending),
        "every attempt settled"
    );
}

#[tokio::test]
async fn a_lost_answer_whose_re_read_is_throttled_is_sent_again_not_left_may_have_been_applied() {
    let sim = start(3).await;
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::at(dir.path().join("journal.jsonl"));
    let s = session(&sim, &journal);
    let plan = describe(&sim, 1, "after a busy moment");
    let id = plan.plan.items[0].before.image_id.clone();
    // The change meets a 500 (ECS did not act); its re-read is throttled on every attempt.
    sim.faults().fail_next(1, Fault::InternalError);
    sim.faults().fail_next(4, Fault::Throttling);
    let settings = BatchSettings {
        concurrency: 1,
        rate: None,
        ..BatchSettings::default()
    };
    let report = unstopped(&s, &plan.plan, &settings).await;
    assert_eq!(report.applied(), 1, "{:?}", report.group_lines());
    assert_eq!(report.items[0].attempts, 2);
    assert_eq!(
        sim.image(REGION, &id).unwrap().description,
        "after a busy moment"
    );
    assert_eq!(sim.processed_count(&id), 1, "applied once");
    // The journal says what was known each time: first it may have been applied, then the
    // second send's re-read saw it applied.
    let entries = batch_entries(&journal, &report.batch);
    assert_eq!(entries.len(), 2, "{entries:?}");
    assert!(
        matches!(entries[0].outcome, Outcome::Uncertain { .. }),
        "{:?}",
        entries[0].outcome
    );
    assert_eq!(entries[1].outcome, Outcome::Applied { verified: true });
}

#[tokio::test]
async fn esc_mid_batch_finishes_the_calls_in_flight_and_the_journal_agrees_with_ecs() {
    let sim = start(200).await;
    sim.faults()
        .set_latency(Duration::from_millis(20), Duration::ZERO);
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::at(dir.path().join("journal.jsonl"));
    let s = session(&sim, &journal);
    let plan = describe(&sim, 200, "stopped");
    let (stop, mut stopped) = exec::stop_channel();
    let running = {
        let (s, plan) = (s.clone(), plan.plan.clone());
        tokio::spawn(async move {
            let settings = BatchSettings {
                rate: Some(100.0),
                ..BatchSettings::default()
            };
            exec::run_batch(&s, plan, &settings, "tui", &mut stopped, |_| {}).await
        })
    };
    while sim.action_count("ModifyImageAttribute") < 20 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    stop.stop(Stop::Cancelled);
    let report = running.await.unwrap();
    assert_eq!(report.stopped, Some(Stop::Cancelled));
    assert!(
        report.not_attempted() > 0 && report.applied() >= 20,
        "{}",
        report.headline()
    );
    assert_eq!(
        report.failed(),
        0,
        "nothing half-sent: the calls in flight finished"
    );
    let entries = batch_entries(&journal, &report.batch);
    assert_eq!(
        entries.len(),
        report.applied(),
        "no entry for an image never sent"
    );
    for item in &report.items {
        let id = &item.before.image_id;
        let now = sim.image(REGION, id).unwrap();
        let journaled = entries.iter().find(|e| &e.image_id == id);
        match &item.outcome {
            ItemOutcome::Applied(_) => {
                assert_eq!(now.description, "stopped", "{id}");
                assert!(journaled.is_some_and(|e| e.succeeded()), "{id}");
            }
            ItemOutcome::NotAttempted => {
                assert_eq!(now.description, "before", "{id}");
                assert!(journaled.is_none(), "{id}");
                assert_eq!(sim.processed_count(id), 0);
            }
            other => panic!("{id}: {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_batch_whose_endpoint_goes_silent_stops_sending_after_three_images_and_says_why() {
    let sim = start(20).await;
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::at(dir.path().join("journal.jsonl"));
    // An endpoint where nothing listens: every send is refused before it is answered.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}/", listener.local_addr().unwrap())
    };
    let mut config = ClientConfig::new(REGION, Endpoint::Custom(closed));
    config.retry_base = Duration::from_millis(1);
    let s = Session {
        client: EcsClient::new(config, Credentials::fixed(sim::demo_access_key())).unwrap(),
        ..session(&sim, &journal)
    };
    let plan = describe(&sim, 20, "after");
    for (concurrency, most) in [(1, exec::SILENT_IN_A_ROW), (4, exec::SILENT_IN_A_ROW + 3)] {
        let settings = BatchSettings {
            concurrency,
            rate: None,
            ..BatchSettings::default()
        };
        let report = unstopped(&s, &plan.plan, &settings).await;
        let sent = report.items.len() - report.not_attempted();
        assert!(
            (exec::SILENT_IN_A_ROW..=most).contains(&sent),
            "{concurrency} at once: {sent} images sent"
        );
        assert_eq!(report.failed(), sent, "none applied");
        let why = report
            .gave_up
            .as_deref()
            .expect("the batch says why it stopped");
        assert!(why.contains("no answer from the endpoint"), "{why}");
        assert!(report.headline().contains(why), "{}", report.headline());
    }
    assert_eq!(sim.processed_count(&plan.plan.items[0].before.image_id), 0);
}

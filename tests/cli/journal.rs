//! `ecsimg journal`: listing, filters and output formats over a journal written with the
//! library's own `Journal` (no ECS needed: the command reads only the local file).

use crate::support::cli::Sandbox;
use ecsimg::change::{Field, FieldChange, JournalEntry, Outcome};
use ecsimg::store::Journal;
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};
use unicode_width::UnicodeWidthStr;

fn entry(id: &str, age: Duration, outcome: Outcome) -> JournalEntry {
    JournalEntry {
        id: None,
        batch: None,
        settled_at: None,
        time: (OffsetDateTime::now_utc() - age).format(&Rfc3339).unwrap(),
        source: "cli".into(),
        profile: "prod".into(),
        region: "cn-hangzhou".into(),
        endpoint: "https://ecs.cn-hangzhou.aliyuncs.com/".into(),
        image_id: id.into(),
        image_name: "生产环境镜像".into(),
        changes: vec![FieldChange {
            field: Field::ImageName,
            before: "生产环境镜像".into(),
            after: "生产环境镜像-已废弃".into(),
        }],
        request_id: Some(format!("REQ-{id}")),
        outcome,
    }
}

fn sandbox_with_journal() -> Sandbox {
    let sandbox = Sandbox::new();
    let journal = Journal::at(sandbox.journal_file(false));
    let ok = Outcome::Applied { verified: true };
    journal
        .append(&entry("m-old", Duration::days(10), ok.clone()))
        .unwrap();
    journal
        .append(&entry(
            "m-new",
            Duration::hours(1),
            Outcome::Failed {
                code: "InvalidImageName.Malformed".into(),
                message: "bad name".into(),
            },
        ))
        .unwrap();
    journal
        .append(&entry("m-old", Duration::minutes(5), ok))
        .unwrap();
    sandbox
}

#[test]
fn json_lists_every_entry_with_its_number() {
    let sandbox = sandbox_with_journal();
    let run = sandbox.run(&["journal", "--output", "json"]);
    run.expect_code(0);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let entries = doc["entries"].as_array().unwrap();
    let indices: Vec<u64> = entries
        .iter()
        .map(|e| e["index"].as_u64().unwrap())
        .collect();
    assert_eq!(indices, [1, 2, 3]);
    assert_eq!(entries[1]["outcome"]["result"], "failed");
    assert_eq!(entries[1]["outcome"]["code"], "InvalidImageName.Malformed");
    assert_eq!(entries[0]["changes"][0]["after"], "生产环境镜像-已废弃");
    assert_eq!(entries[0]["request_id"], "REQ-m-old");
    assert!(doc["path"].as_str().unwrap().ends_with("journal.jsonl"));
}

#[test]
fn filters_by_image_and_since_keep_the_numbers() {
    let sandbox = sandbox_with_journal();
    let run = sandbox.run(&["journal", "--image", "m-old", "--output", "ids"]);
    run.expect_code(0);
    assert_eq!(run.stdout.lines().collect::<Vec<_>>(), ["1", "3"]);
    let run = sandbox.run(&["journal", "--since", "2d", "--output", "ids"]);
    run.expect_code(0);
    assert_eq!(run.stdout.lines().collect::<Vec<_>>(), ["2", "3"]);
    let run = sandbox.run(&["journal", "--since", "last tuesday"]);
    run.expect_code(2);
    assert!(run.stderr.contains("--since"), "{}", run.stderr);
}

#[test]
fn the_table_fits_80_columns_with_chinese_names() {
    let sandbox = sandbox_with_journal();
    let mut cmd = sandbox.command(&["journal"]);
    cmd.env("COLUMNS", "80");
    let run = sandbox.run_with(cmd);
    run.expect_code(0);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{}", run.stdout);
    for line in &lines {
        assert!(line.width() <= 80, "{} wide: {line}", line.width());
    }
    assert!(lines[2].contains("failed"), "{}", run.stdout);
}

#[test]
fn an_empty_journal_is_not_an_error() {
    let sandbox = Sandbox::new();
    let run = sandbox.run(&["journal"]);
    run.expect_code(0);
    assert!(run.stderr.contains("no changes recorded"), "{}", run.stderr);
    let run = sandbox.run(&["journal", "--output", "json"]);
    run.expect_code(0);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(doc["entries"].as_array().unwrap().len(), 0);
}

#[test]
fn demo_changes_have_their_own_journal() {
    let sandbox = sandbox_with_journal();
    let run = sandbox.run(&["--demo", "journal", "--output", "ids"]);
    run.expect_code(0);
    assert_eq!(run.stdout, "");
}

#[test]
fn a_since_too_far_back_is_invalid_input_not_a_panic() {
    let sandbox = Sandbox::new();
    for far in ["1000000w", "500000000d"] {
        let run = sandbox.run(&["journal", "--since", far]);
        run.expect_code(2);
        assert!(
            run.stderr.contains("reaches back further"),
            "{}",
            run.stderr
        );
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    }
}

// ---- a change the journal must not lose ---------------------------------------------

const REGION: &str = "cn-hangzhou";

/// An Available custom image the simulator holds, safe to describe.
fn plain_image(sim: &ecsimg::sim::SimHandle) -> String {
    sim.images(REGION)
        .into_iter()
        .find(|i| {
            i.status == ecsimg::ecs::model::ImageStatus::Available
                && !i.is_shared()
                && i.image_owner_alias == "self"
        })
        .expect("an Available custom image")
        .image_id
}

/// `ecsimg ARGS` against the simulator with the demo keys from the environment.
fn against(
    sandbox: &Sandbox,
    sim: &ecsimg::sim::SimHandle,
    args: &[&str],
) -> std::process::Command {
    let endpoint = sim.endpoint();
    let mut all = vec!["--endpoint", endpoint.as_str(), "--region", REGION];
    all.extend_from_slice(args);
    Sandbox::with_demo_key(sandbox.command(&all))
}

/// Starts `images modify ID --description TEXT --yes` and returns it once the simulator
/// holds the change (the image is read first, then the change is sent: two requests).
fn modify_held(
    sandbox: &Sandbox,
    sim: &ecsimg::sim::SimHandle,
    id: &str,
    text: &str,
) -> std::process::Child {
    sim.faults()
        .set_latency(std::time::Duration::from_secs(1), std::time::Duration::ZERO);
    let calls = sim.faults().calls();
    let mut cmd = against(
        sandbox,
        sim,
        &["images", "modify", id, "--description", text, "--yes"],
    );
    cmd.stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let child = cmd.spawn().expect("start ecsimg");
    // Only a guard against a hang; nothing here measures speed.
    let guard = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while sim.faults().calls() < calls + 2 {
        assert!(
            std::time::Instant::now() < guard,
            "the change never reached the simulator"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    child
}

fn kill(child: &std::process::Child, signal: i32) {
    // SAFETY: kill only sends a signal to our own child.
    assert_eq!(unsafe { libc::kill(child.id() as libc::pid_t, signal) }, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signal_while_ecs_holds_the_change_settles_the_journal_and_says_so() {
    for (signal, name) in [
        (libc::SIGTERM, "SIGTERM"),
        (libc::SIGINT, "SIGINT"),
        (libc::SIGHUP, "SIGHUP"),
    ] {
        let sim = ecsimg::sim::start(ecsimg::sim::SimConfig::demo())
            .await
            .unwrap();
        let id = plain_image(&sim);
        let sandbox = Sandbox::new();
        let text = format!("set while a {name} came");
        let child = modify_held(&sandbox, &sim, &id, &text);
        kill(&child, signal);
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(128 + signal), "{name}: {stderr}");
        assert!(
            stderr.contains(&format!("{name}: a change is in flight")),
            "{stderr}"
        );
        assert!(
            stderr.contains(&format!("({id}) was in flight")),
            "{stderr}"
        );
        // The journal says what the simulator holds.
        let landed = sim.image(REGION, &id).unwrap().description == text;
        let entries = sandbox.journal_entries(false);
        assert_eq!(entries.len(), 1, "{name}: {entries:?}");
        let (result, said) = if landed {
            ("applied", "journaled as applied")
        } else {
            ("not_applied", "journaled as not applied")
        };
        assert_eq!(
            entries[0]["outcome"]["result"], result,
            "{name}: {entries:?}"
        );
        assert!(stderr.contains(said), "{name}: {stderr}");
        assert_eq!(entries[0]["changes"][0]["after"], text.as_str());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_signal_ends_at_once_and_the_journal_keeps_may_have_been_applied() {
    let sim = ecsimg::sim::start(ecsimg::sim::SimConfig::demo())
        .await
        .unwrap();
    let id = plain_image(&sim);
    let sandbox = Sandbox::new();
    // The re-read is held too, past the first signal's quick re-read being under way.
    let child = modify_held(&sandbox, &sim, &id, "set while two signals came");
    sim.faults().set_latency(
        std::time::Duration::from_secs(30),
        std::time::Duration::ZERO,
    );
    // Counted before the signal: the quick re-read may arrive before this thread runs again.
    let calls = sim.faults().calls();
    kill(&child, libc::SIGTERM);
    // Only a guard against a hang; nothing here measures speed.
    let guard = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while sim.faults().calls() == calls {
        assert!(std::time::Instant::now() < guard, "no re-read came");
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    kill(&child, libc::SIGINT);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(128 + libc::SIGINT), "{stderr}");
    assert!(stderr.contains("SIGINT again: ending now"), "{stderr}");
    sim.faults().clear();
    let run = sandbox.run(&["journal"]);
    run.expect_code(0);
    assert!(
        run.stdout.contains("may have been applied"),
        "{}",
        run.stdout
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sigkill_leaves_the_intent_and_undo_checks_what_ecs_holds() {
    let sim = ecsimg::sim::start(ecsimg::sim::SimConfig::demo())
        .await
        .unwrap();
    let id = plain_image(&sim);
    let original = sim.image(REGION, &id).unwrap().description;
    let sandbox = Sandbox::new();
    let mut child = modify_held(&sandbox, &sim, &id, "set just before a SIGKILL");
    kill(&child, libc::SIGKILL);
    child.wait().unwrap();
    sim.faults().clear();

    let run = sandbox.run(&["journal", "--output", "json"]);
    run.expect_code(0);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let entries = doc["entries"].as_array().unwrap();
    assert_eq!(
        entries.len(),
        1,
        "the intent was on disk before the request left"
    );
    assert_eq!(entries[0]["outcome"]["result"], "sending");
    assert_eq!(entries[0]["changes"][0]["before"], original.as_str());
    let run = sandbox.run(&["journal"]);
    run.expect_code(0);
    assert!(
        run.stdout.contains("may have been applied"),
        "{}",
        run.stdout
    );

    // Undo reads the image again and puts back only what is not back already.
    let run = sandbox.run_with(against(&sandbox, &sim, &["undo", "--yes"]));
    run.expect_code(0);
    assert!(run.stdout.contains("Undo #1"), "{}", run.all());
    assert_eq!(sim.image(REGION, &id).unwrap().description, original);
}

#[test]
fn a_journal_cut_short_keeps_every_whole_entry_and_the_next_change() {
    let sandbox = Sandbox::new();
    let image = sandbox.plain_demo_image();
    let id = crate::support::cli::s(&image, "id").to_string();
    let original = crate::support::cli::s(&image, "description").to_string();
    let describe = |text: &str| {
        sandbox
            .demo(&["images", "modify", &id, "--description", text, "--yes"])
            .expect_code(0);
    };
    describe("first of two changes");
    describe("second of two changes");
    // A few bytes cut off the end, as a full disk or a killed writer leaves it.
    let path = sandbox.journal_file(true);
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() - 9]).unwrap();
    describe("after the damage");

    let run = sandbox.demo(&["journal", "--output", "json"]);
    run.expect_code(0);
    assert!(
        run.stderr
            .contains("demo-journal.jsonl:4: not a journal entry"),
        "the damaged line is named: {}",
        run.stderr
    );
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let afters: Vec<&str> = doc["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["changes"][0]["after"].as_str().unwrap())
        .collect();
    // The second change's settlement was cut: its intent still says it may be in place.
    assert_eq!(
        afters,
        [
            "first of two changes",
            "second of two changes",
            "after the damage"
        ]
    );
    assert_eq!(doc["entries"][1]["outcome"]["result"], "sending");
    assert_eq!(doc["entries"][2]["outcome"]["result"], "applied");

    let run = sandbox.demo(&["undo", "--yes"]);
    run.expect_code(0);
    assert!(run.stdout.contains("Undo #3"), "{}", run.all());
    assert!(run.stderr.contains("journal.jsonl:4"), "{}", run.stderr);
    let now = sandbox.demo_show(&id);
    assert_eq!(now["image"]["description"], "second of two changes");
    assert_ne!(original, "second of two changes");
}

#[test]
fn entries_written_before_intents_existed_still_list_and_undo() {
    let sandbox = Sandbox::new();
    let image = sandbox.plain_demo_image();
    let id = crate::support::cli::s(&image, "id");
    let name = crate::support::cli::s(&image, "name");
    let now = crate::support::cli::s(&image, "description");
    // One line exactly as earlier versions wrote it: no id, settled in one go.
    let line = serde_json::json!({
        "time": "2026-05-01T10:00:00Z", "source": "cli", "profile": "demo",
        "region": "cn-hangzhou", "endpoint": "http://127.0.0.1:1/",
        "image_id": id, "image_name": name,
        "changes": [{"field": "Description", "before": "the description from before", "after": now}],
        "request_id": "473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E",
        "outcome": {"result": "applied", "verified": true}
    });
    let path = sandbox.journal_file(true);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, format!("{line}\n")).unwrap();

    let run = sandbox.demo(&["journal"]);
    run.expect_code(0);
    assert!(run.stdout.contains("verified"), "{}", run.stdout);
    let run = sandbox.demo(&["undo", "--yes"]);
    run.expect_code(0);
    assert!(run.stdout.contains("Undo #1"), "{}", run.all());
    assert_eq!(
        sandbox.demo_show(id)["image"]["description"],
        "the description from before"
    );
    assert_eq!(
        sandbox.journal_entries(true).len(),
        2,
        "the undo is journaled too"
    );
}

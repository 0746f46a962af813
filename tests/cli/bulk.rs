//! Changing many images from the command line: `images modify --where/--ids-from`,
//! `families list/prune`, `undo --batch`, the report as JSON and its exit code — the real
//! binary against the demo simulator (its state kept in a file between runs) or an
//! embedded one with quotas.

use crate::support::cli::{s, Sandbox};
use ecsimg::sim::{self, SimConfig, DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET};

fn family(sandbox: &Sandbox, name: &str) -> Vec<serde_json::Value> {
    let mut members: Vec<serde_json::Value> = sandbox
        .demo_images()
        .into_iter()
        .filter(|i| s(i, "family") == name)
        .collect();
    members.sort_by(|a, b| s(b, "created").cmp(s(a, "created")));
    members
}

fn json(run: &crate::support::cli::Run) -> serde_json::Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout))
}

#[test]
fn prune_keeps_exactly_the_newest_n_available_and_restore_brings_the_newest_back() {
    let sandbox = Sandbox::new();
    let before = family(&sandbox, "ci-nightly");
    let available: Vec<&str> = before
        .iter()
        .filter(|i| s(i, "status") == "Available")
        .map(|i| s(i, "id"))
        .collect();
    assert!(available.len() > 3, "the demo family has enough members");
    let run = sandbox.demo(&["families", "prune", "ci-nightly", "--keep", "3", "--yes"]);
    run.expect_code(0);
    // Piped, stdout carries nothing but the report; the plan went to stderr.
    assert!(run.stderr.contains("keeps resolving to"), "{}", run.stderr);
    assert!(run.stdout.starts_with("batch b-"), "{}", run.stdout);
    let after = family(&sandbox, "ci-nightly");
    let still: Vec<&str> = after
        .iter()
        .filter(|i| s(i, "status") == "Available")
        .map(|i| s(i, "id"))
        .collect();
    assert_eq!(still, available[..3], "the newest three, and only they");
    let deprecated_before = before
        .iter()
        .filter(|i| s(i, "status") == "Deprecated")
        .count();
    let deprecated_after = after
        .iter()
        .filter(|i| s(i, "status") == "Deprecated")
        .count();
    assert_eq!(deprecated_after, deprecated_before + available.len() - 3);

    let listed = sandbox.demo(&["families", "list", "--output", "json"]);
    listed.expect_code(0);
    let doc = json(&listed);
    let row = doc["families"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "ci-nightly")
        .unwrap()
        .clone();
    assert_eq!(row["by_status"]["Available"], 3);
    assert_eq!(row["resolves_to"]["id"], available[0]);

    let newest_deprecated = after
        .iter()
        .find(|i| s(i, "status") == "Deprecated")
        .map(|i| s(i, "id").to_string())
        .unwrap();
    sandbox
        .demo(&["families", "prune", "ci-nightly", "--restore", "--yes"])
        .expect_code(0);
    let restored = sandbox.demo_show(&newest_deprecated);
    assert_eq!(restored["image"]["status"], "Available");
}

#[test]
fn a_rename_that_would_give_two_images_one_name_is_refused_before_anything_is_sent() {
    let sandbox = Sandbox::new();
    let run = sandbox.demo(&[
        "images",
        "modify",
        "--where",
        "family=redis-cache",
        "--name",
        "redis-{family}",
        "--yes",
    ]);
    run.expect_code(2);
    assert!(
        run.all().contains("InvalidImageName.Duplicated"),
        "{}",
        run.all()
    );
    assert!(
        run.all().contains("add {n} or {date} to the pattern"),
        "{}",
        run.all()
    );
    assert!(sandbox.journal_lines(true).is_empty(), "nothing was sent");
}

#[test]
fn undo_batch_restores_every_image_of_the_batch() {
    let sandbox = Sandbox::new();
    let before = family(&sandbox, "web-frontend");
    let run = sandbox.demo(&[
        "images",
        "modify",
        "--where",
        "family=web-frontend",
        "--description",
        "retired by the release train",
        "--yes",
        "--output",
        "json",
    ]);
    run.expect_code(0);
    let report = json(&run);
    assert_eq!(report["applied"].as_u64().unwrap() as usize, before.len());
    assert!(
        !run.stderr.contains('\r'),
        "no progress line when not on a terminal"
    );
    let batch = s(&report, "batch").to_string();
    let journal = sandbox.demo(&["journal"]);
    assert!(
        journal.stdout.contains(&format!("batch {batch}")),
        "{}",
        journal.stdout
    );

    // `undo` alone stays the last single change: a batch is put back as a batch.
    let single = sandbox.demo(&["undo", "--yes"]);
    single.expect_code(2);
    assert!(single.stderr.contains("undo --batch"), "{}", single.stderr);
    sandbox
        .demo(&["undo", "--batch", &batch, "--yes"])
        .expect_code(0);
    let after = family(&sandbox, "web-frontend");
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(s(a, "id"), s(b, "id"));
        assert_eq!(s(a, "description"), s(b, "description"), "{}", s(a, "id"));
    }
}

#[test]
fn read_only_refuses_every_image_where_changes_execute() {
    let sandbox = Sandbox::new();
    let run = sandbox.demo(&[
        "--read-only",
        "images",
        "modify",
        "--where",
        "family=redis-cache",
        "--description",
        "not today",
        "--yes",
    ]);
    run.expect_code(6);
    assert!(run.stdout.contains("ReadOnly ×"), "{}", run.stdout);
    assert!(
        sandbox.journal_lines(true).is_empty(),
        "nothing was sent or journaled"
    );
}

#[test]
fn a_bad_line_of_ids_from_is_named_by_file_and_line() {
    let sandbox = Sandbox::new();
    let file = sandbox.path().join("ids.txt");
    std::fs::write(&file, "# to retire\nm-bp1paymentsbase00v4\nnot an id\n").unwrap();
    let run = sandbox.demo(&[
        "images",
        "modify",
        "--ids-from",
        file.to_str().unwrap(),
        "--description",
        "retired",
        "--yes",
    ]);
    run.expect_code(2);
    assert!(
        run.stderr
            .contains("ids.txt:3: not an id is not an image ID"),
        "{}",
        run.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn images_ecs_refuses_are_grouped_by_code_and_the_exit_code_is_3() {
    // Room for one more image in payments-base: the second move is refused by ECS, which
    // the local rules cannot know.
    let sim = sim::start(SimConfig::demo().with_family_quotas(5, 50))
        .await
        .unwrap();
    let sandbox = Sandbox::new();
    let mut cmd = sandbox.command(&[
        "--endpoint",
        &sim.endpoint(),
        "--region",
        "cn-hangzhou",
        "images",
        "modify",
        "--where",
        "family=redis-cache,status=Available",
        "--family",
        "payments-base",
        "--concurrency",
        "1",
        "--yes",
        "--force-empty-family",
        "--output",
        "json",
    ]);
    cmd.env("ALIBABA_CLOUD_ACCESS_KEY_ID", DEMO_ACCESS_KEY_ID)
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", DEMO_ACCESS_KEY_SECRET);
    let run = sandbox.run_with(cmd);
    run.expect_code(3);
    let report = json(&run);
    assert_eq!(report["applied"], 1);
    assert_eq!(report["failed"], 1);
    assert_eq!(
        report["failures_by_code"]["ImageQuotaFull.ImageFamily"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert!(
        run.stderr.contains("1 of 2 images were not applied"),
        "{}",
        run.stderr
    );
}

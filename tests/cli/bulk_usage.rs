//! Who uses the images of a bulk Deprecate, from the command line: `families prune` and
//! `images modify --where/--ids-from` read each target's usage before the plan is printed,
//! sum it, apply the one in-use rule (`--force-in-use` beside `--yes`), and refuse a shared
//! image before anything is sent, naming its accounts — against the demo simulator's usage
//! data (k8s-worker's images pinned by a default template version and launched by a
//! scaling group, golden-base's shared image) and one that refuses Auto Scaling.

use ecsimg::sim;

use crate::support::cli::{s, Sandbox};

const SHARED: &str = "m-bp1goldensharedbase1";

fn statuses(sandbox: &Sandbox, family: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = sandbox
        .demo_images()
        .iter()
        .filter(|i| s(i, "family") == family)
        .map(|i| (s(i, "id").to_string(), s(i, "status").to_string()))
        .collect();
    out.sort();
    out
}

#[test]
fn a_bulk_deprecate_of_images_in_use_needs_force_in_use_beside_yes() {
    let sandbox = Sandbox::new();
    let before = statuses(&sandbox, "k8s-worker");
    let prune = ["families", "prune", "k8s-worker", "--keep", "1", "--yes"];
    let run = sandbox.demo(&prune);
    run.expect_code(6);
    let out = run.all();
    assert!(
        out.contains("usage of 4 images: 0 instances, 1 scaling group, 2 launch template versions"),
        "{out}"
    );
    assert!(
        out.contains("launch template k8s-worker-lt v2 is the default version and pins it"),
        "{out}"
    );
    assert!(
        out.contains("scaling group k8s-worker-asg launches it through its launch template"),
        "{out}"
    );
    assert!(
        out.contains("2 of these 4 images are in use") && out.contains("add --force-in-use"),
        "{out}"
    );
    assert_eq!(statuses(&sandbox, "k8s-worker"), before, "nothing was sent");
    assert!(
        sandbox.journal_lines(true).is_empty(),
        "nothing was journaled"
    );

    let mut forced = prune.to_vec();
    forced.push("--force-in-use");
    sandbox.demo(&forced).expect_code(0);
    let available = statuses(&sandbox, "k8s-worker")
        .into_iter()
        .filter(|(_, status)| status == "Available")
        .count();
    assert_eq!(available, 1, "only the newest is kept");
}

#[test]
fn a_bulk_deprecate_with_a_shared_image_is_refused_naming_its_accounts() {
    let sandbox = Sandbox::new();
    let ids = sandbox.path().join("ids.txt");
    let plain = sandbox.plain_demo_image();
    // `images modify --ids-from FILE --status Deprecated --yes EXTRA…` over `lines`.
    let deprecate = |lines: &str, extra: &[&str]| {
        std::fs::write(&ids, lines).unwrap();
        let mut args = vec!["images", "modify", "--ids-from", ids.to_str().unwrap()];
        args.extend_from_slice(&["--status", "Deprecated", "--yes"]);
        args.extend_from_slice(extra);
        sandbox.demo(&args)
    };
    let run = deprecate(
        &format!("{}\n{SHARED}\n", s(&plain, "id")),
        &["--force-in-use", "--force-empty-family"],
    );
    run.expect_code(2);
    let out = run.all();
    assert!(
        out.contains("ecsimg: m-bp1goldensharedbase1 is shared with accounts 1357924680135792, 2468013579246801"),
        "{out}"
    );
    assert!(out.contains("unshare it first"), "{out}");
    assert!(sandbox.journal_lines(true).is_empty(), "nothing was sent");
    assert_eq!(
        s(&sandbox.demo_show(s(&plain, "id"))["image"], "status"),
        "Available",
        "not even the unshared one"
    );

    let run = deprecate(&format!("{SHARED}\n"), &[]);
    run.expect_code(2);
    assert!(
        run.stderr
            .contains("Plan: set Status=Deprecated — 1 image from "),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("shared with accounts"),
        "{}",
        run.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_source_that_could_not_be_read_for_a_batch_is_said_and_counts_as_in_use() {
    let sim = sim::start(crate::support::usage::forbidding("ess"))
        .await
        .unwrap();
    let sandbox = Sandbox::new();
    let endpoint = sim.endpoint();
    let run = sandbox.run_with(Sandbox::with_demo_key(sandbox.command(&[
        "--endpoint",
        endpoint.as_str(),
        "--region",
        "cn-hangzhou",
        "images",
        "modify",
        "--where",
        "family=redis-cache,status=Available",
        "--status",
        "Deprecated",
        "--yes",
        "--force-empty-family",
    ])));
    run.expect_code(6);
    let out = run.all();
    assert!(
        out.contains(
            "not checked: scaling groups for 2 images (Forbidden.RAM): 2 images might be in use"
        ),
        "{out}"
    );
    assert!(out.contains("2 of these 2 images are in use"), "{out}");
    assert_eq!(
        sim.action_count("DescribeScalingGroups"),
        1,
        "what every image shares is read once for the batch"
    );
    assert_eq!(sim.action_count("ModifyImageAttribute"), 0);
}

//! Who uses an image, from the command line: `images show`'s `usage` (JSON in the
//! documented shape, readable lines in the table), and what `images modify --status
//! Deprecated` does with it — the shared image refused naming its accounts, the image in use
//! needing `--force-in-use` beside `--yes`, a source it may not read shown as unchecked.

use std::collections::BTreeSet;

use ecsimg::sim::{self, SimConfig, DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET};

use crate::support::cli::{find, s, Sandbox};

const SHARED: &str = "m-bp1goldensharedbase1";
const PAYMENTS_V4: &str = "m-bp1paymentsbase00v4";

fn keys(v: &serde_json::Value) -> BTreeSet<&str> {
    v.as_object().unwrap().keys().map(String::as_str).collect()
}

fn set<'a>(names: &[&'a str]) -> BTreeSet<&'a str> {
    names.iter().copied().collect()
}

/// The demo's newest web-frontend image (what the family resolves to).
fn latest_web(sandbox: &Sandbox) -> String {
    let images = sandbox.demo_images();
    let mut web: Vec<&serde_json::Value> = images
        .iter()
        .filter(|i| s(i, "family") == "web-frontend" && s(i, "status") == "Available")
        .collect();
    web.sort_by_key(|i| std::cmp::Reverse(s(i, "created").to_string()));
    s(web[0], "id").to_string()
}

#[test]
fn images_show_json_has_usage_in_the_documented_shape() {
    let sandbox = Sandbox::new();
    let id = latest_web(&sandbox);
    let doc = sandbox.demo_show(&id);
    let usage = &doc["usage"];
    assert_eq!(
        keys(usage),
        set(&[
            "instances",
            "launch_templates",
            "scaling",
            "shared_with",
            "unchecked"
        ])
    );
    let instances = &usage["instances"];
    assert_eq!(keys(instances), set(&["total", "by_status", "sample"]));
    assert_eq!(instances["total"], 130);
    assert_eq!(instances["by_status"]["Running"], 120);
    assert_eq!(instances["by_status"]["Stopped"], 10);
    assert_eq!(instances["sample"].as_array().unwrap().len(), 10);
    assert_eq!(
        keys(&instances["sample"][0]),
        set(&["id", "name", "status", "zone"])
    );
    let template = &usage["launch_templates"][0];
    assert_eq!(keys(template), set(&["id", "name", "version", "default"]));
    assert_eq!(
        (
            s(template, "name"),
            template["version"].as_u64(),
            template["default"].as_bool()
        ),
        ("web-lt", Some(3), Some(true))
    );
    let scaling = usage["scaling"].as_array().unwrap();
    for entry in scaling {
        for key in [
            "group_id",
            "group_name",
            "configuration_id",
            "active",
            "via",
        ] {
            assert!(entry.get(key).is_some(), "no {key} in {entry}");
        }
    }
    let vias: BTreeSet<&str> = scaling.iter().map(|g| s(g, "via")).collect();
    assert_eq!(vias, set(&["image", "family"]));
    assert!(scaling.iter().all(|g| g["active"] == true));
    assert_eq!(usage["shared_with"], serde_json::json!([]));
    assert_eq!(usage["unchecked"], serde_json::json!([]));

    let shared = sandbox.demo_show(SHARED);
    assert_eq!(
        shared["usage"]["shared_with"],
        serde_json::json!(["1357924680135792", "2468013579246801"])
    );
    // The payments image is launched through its launch template's Default version.
    let payments = sandbox.demo_show(PAYMENTS_V4);
    let group = find(
        payments["usage"]["scaling"].as_array().unwrap(),
        "payments group",
        |g| s(g, "group_name") == "payments-asg",
    );
    assert_eq!(s(group, "via"), "launch_template");
    assert_eq!(s(group, "configuration_id"), "");
}

#[test]
fn images_show_table_says_who_uses_it_in_readable_lines() {
    let sandbox = Sandbox::new();
    let run = sandbox.demo(&["images", "show", PAYMENTS_V4]);
    run.expect_code(0);
    let out = &run.stdout;
    assert!(
        out.contains("Used by        10 instances run it (8 running)"),
        "{out}"
    );
    assert!(
        out.contains("Instances      10 (8 Running, 2 Stopped)"),
        "{out}"
    );
    assert!(
        out.contains("Template       payments-lt (lt-bp1payments000001) v2, the default version"),
        "{out}"
    );
    assert!(out.contains("Scaling group  payments-asg"), "{out}");
    assert!(
        out.contains("In use         yes: scaling group payments-asg"),
        "{out}"
    );
}

#[test]
fn deprecating_a_shared_image_is_refused_naming_its_accounts_even_as_a_dry_run() {
    let sandbox = Sandbox::new();
    for extra in [&["--dry-run"][..], &["--yes"][..]] {
        let mut args = vec!["images", "modify", SHARED, "--status", "Deprecated"];
        args.extend_from_slice(extra);
        let run = sandbox.demo(&args);
        run.expect_code(2);
        assert!(
            run.stderr
                .contains("shared with accounts 1357924680135792, 2468013579246801"),
            "{}",
            run.all()
        );
        assert!(run.stderr.contains("ImageUseShared") && run.stderr.contains("unshare it first"));
        assert!(
            !run.stdout.contains("Signature="),
            "nothing was prepared: {}",
            run.stdout
        );
    }
    assert!(sandbox.journal_lines(true).is_empty(), "nothing was sent");
    assert_eq!(
        s(&sandbox.demo_show(SHARED)["image"], "status"),
        "Available"
    );
}

#[test]
fn deprecating_an_image_in_use_needs_force_in_use_beside_yes() {
    let sandbox = Sandbox::new();
    let id = latest_web(&sandbox);
    let run = sandbox.demo(&["images", "modify", &id, "--status", "Deprecated", "--yes"]);
    run.expect_code(6);
    let out = run.all();
    assert!(
        out.contains("Used by: 130 instances run it (120 running)"),
        "{out}"
    );
    assert!(
        out.contains("In use: scaling group web-frontend-asg launches it"),
        "{out}"
    );
    assert!(out.contains("add --force-in-use to --yes"), "{out}");
    assert_eq!(s(&sandbox.demo_show(&id)["image"], "status"), "Available");

    let run = sandbox.demo(&[
        "images",
        "modify",
        &id,
        "--status",
        "Deprecated",
        "--yes",
        "--force-in-use",
    ]);
    run.expect_code(0);
    assert_eq!(s(&sandbox.demo_show(&id)["image"], "status"), "Deprecated");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_source_the_identity_may_not_read_is_unchecked_and_makes_the_image_in_use() {
    let sim = sim::start(crate::support::usage::forbidding("ess,templates"))
        .await
        .unwrap();
    let sandbox = Sandbox::new();
    let image = "m-bp1emojidesc0000001";
    let endpoint = sim.endpoint();
    let run_with = |args: &[&str]| {
        let mut all = vec!["--endpoint", endpoint.as_str(), "--region", "cn-hangzhou"];
        all.extend_from_slice(args);
        let mut cmd = sandbox.command(&all);
        cmd.env("ALIBABA_CLOUD_ACCESS_KEY_ID", DEMO_ACCESS_KEY_ID)
            .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", DEMO_ACCESS_KEY_SECRET);
        sandbox.run_with(cmd)
    };
    let run = run_with(&["images", "show", image, "--output", "json"]);
    run.expect_code(0);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let unchecked = doc["usage"]["unchecked"].as_array().unwrap();
    let sources: Vec<(&str, &str)> = unchecked
        .iter()
        .map(|u| (s(u, "source"), s(u, "code")))
        .collect();
    assert_eq!(
        sources,
        [
            ("launch_templates", "Forbidden.RAM"),
            ("scaling", "Forbidden.RAM")
        ]
    );
    assert!(s(&unchecked[1], "reason").contains("ess:DescribeScalingGroups"));
    assert_eq!(
        sim.action_count("DescribeScalingGroups"),
        1,
        "Auto Scaling went to --endpoint"
    );

    let run = run_with(&["images", "modify", image, "--status", "Deprecated", "--yes"]);
    run.expect_code(6);
    let out = run.all();
    assert!(
        out.contains("launch templates could not be checked (Forbidden.RAM): it might be"),
        "{out}"
    );
    assert!(out.contains("--force-in-use"), "{out}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn auto_scaling_follows_endpoint_unless_ess_endpoint_names_another() {
    let ecs = sim::start(SimConfig::demo()).await.unwrap();
    let ess = sim::start(SimConfig::demo()).await.unwrap();
    let sandbox = Sandbox::new();
    // A config file naming another Auto Scaling host does not take --endpoint's requests.
    sandbox.write_config("ess_endpoint = \"https://ess.example.invalid/\"\n");
    let show = |extra: &[&str]| {
        let endpoint = ecs.endpoint();
        let mut all = vec!["--endpoint", endpoint.as_str(), "--region", "cn-hangzhou"];
        all.extend_from_slice(extra);
        all.extend_from_slice(&["images", "show", PAYMENTS_V4, "--output", "json"]);
        let mut cmd = sandbox.command(&all);
        cmd.env("ALIBABA_CLOUD_ACCESS_KEY_ID", DEMO_ACCESS_KEY_ID)
            .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", DEMO_ACCESS_KEY_SECRET);
        sandbox.run_with(cmd)
    };
    let run = show(&[]);
    run.expect_code(0);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        doc["usage"]["unchecked"],
        serde_json::json!([]),
        "{}",
        run.stdout
    );
    assert_eq!(ecs.action_count("DescribeScalingGroups"), 1);

    let other = ess.endpoint();
    show(&["--ess-endpoint", other.as_str()]).expect_code(0);
    assert_eq!(ess.action_count("DescribeScalingConfigurations"), 1);
    assert_eq!(
        ecs.action_count("DescribeScalingConfigurations"),
        1,
        "only the first run"
    );

    let run = sandbox.demo(&[
        "--ess-endpoint",
        "https://ess.example.com/",
        "images",
        "list",
    ]);
    run.expect_code(2);
    assert!(run.stderr.contains("--ess-endpoint"), "{}", run.stderr);
    let run = show(&["--ess-endpoint", "http://10.0.0.1/"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("Auto Scaling endpoint"),
        "{}",
        run.stderr
    );
}

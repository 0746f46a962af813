//! The binary against a simulator started by the test, with real credentials plumbing:
//! environment keys with an STS token, the aliyun CLI's config.json, and the config file's
//! `default_profile`, `default_region` and per-profile `read_only`.

use std::time::Duration;

use crate::support::cli::Sandbox;
use ecsimg::ecs::model::ImageStatus;
use ecsimg::sim::{self, SimConfig, SimHandle, DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET};

const REGION: &str = "cn-hangzhou";

/// An Available, unshared image of the simulator.
fn plain_image(sim: &SimHandle) -> String {
    sim.images(REGION)
        .into_iter()
        .find(|i| {
            i.status == ImageStatus::Available && !i.is_shared() && i.image_owner_alias == "self"
        })
        .expect("an Available custom image")
        .image_id
}

fn write_aliyun_profile(sandbox: &Sandbox, name: &str) {
    let dir = sandbox.path().join("home/.aliyun");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("config.json");
    let text = serde_json::json!({
        "current": "",
        "profiles": [{
            "name": name,
            "mode": "AK",
            "access_key_id": DEMO_ACCESS_KEY_ID,
            "access_key_secret": DEMO_ACCESS_KEY_SECRET,
            "region_id": REGION,
        }]
    });
    std::fs::write(&path, text.to_string()).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dry_run_with_an_sts_token_shows_neither_the_token_nor_the_secret() {
    let sim = sim::start(SimConfig::demo()).await.unwrap();
    let sts = sim.issue_sts(Duration::from_secs(3600));
    let token = sts.security_token.clone().unwrap();
    let id = plain_image(&sim);
    let sandbox = Sandbox::new();
    let mut cmd = sandbox.command(&[
        "--endpoint",
        &sim.endpoint(),
        "--region",
        REGION,
        "images",
        "modify",
        &id,
        "--name",
        "web-sts-dry-run",
        "--dry-run",
    ]);
    cmd.env("ALIBABA_CLOUD_ACCESS_KEY_ID", &sts.id)
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", sts.secret.expose())
        .env("ALIBABA_CLOUD_SECURITY_TOKEN", token.expose());
    let run = sandbox.run_with(cmd);
    run.expect_code(0);
    let out = run.all();
    assert!(out.contains("SecurityToken=<redacted>"), "{out}");
    assert!(
        !out.contains(token.expose()),
        "the STS token leaked:\n{out}"
    );
    assert!(
        !out.contains(sts.secret.expose()),
        "the secret leaked:\n{out}"
    );
    assert!(
        !out.contains(&sts.id),
        "the full AccessKeyId leaked:\n{out}"
    );
    assert!(out.contains("Signature="), "{out}");
    assert_eq!(
        sim.action_count("ModifyImageAttribute"),
        0,
        "a dry run sends nothing"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn environment_keys_change_the_image_and_the_real_journal() {
    let sim = sim::start(SimConfig::demo()).await.unwrap();
    let id = plain_image(&sim);
    let sandbox = Sandbox::new();
    // The region comes from the config file when nothing else gives one.
    sandbox.write_config(&format!("default_region = \"{REGION}\"\n"));
    let mut cmd = sandbox.command(&[
        "--endpoint",
        &sim.endpoint(),
        "images",
        "modify",
        &id,
        "--description",
        "set through env keys",
        "--yes",
    ]);
    cmd.env("ALIBABA_CLOUD_ACCESS_KEY_ID", DEMO_ACCESS_KEY_ID)
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", DEMO_ACCESS_KEY_SECRET);
    let run = sandbox.run_with(cmd);
    run.expect_code(0);
    assert_eq!(
        sim.image(REGION, &id).unwrap().description,
        "set through env keys"
    );
    let entries = sandbox.journal_entries(false);
    assert_eq!(entries.len(), 1);
    let entry = &entries[0];
    assert_eq!(entry["profile"], "env");
    assert_eq!(entry["endpoint"], sim.endpoint());
    assert!(!sandbox
        .journal_lines(false)
        .iter()
        .any(|l| l.contains(DEMO_ACCESS_KEY_SECRET)));
    assert!(sandbox.journal_lines(true).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_only_profile_in_the_config_refuses_changes() {
    let sim = sim::start(SimConfig::demo()).await.unwrap();
    let id = plain_image(&sim);
    let before = sim.image(REGION, &id).unwrap();
    let sandbox = Sandbox::new();
    write_aliyun_profile(&sandbox, "prod");
    sandbox.write_config("default_profile = \"prod\"\n\n[profiles.prod]\nread_only = true\n");
    let endpoint = sim.endpoint();
    let modify = |extra: &[&str]| {
        let mut args = vec!["--endpoint", endpoint.as_str()];
        args.extend_from_slice(extra);
        args.extend_from_slice(&["images", "modify", &id, "--name", "web-ro-check", "--yes"]);
        sandbox.run(&args)
    };
    let run = modify(&[]);
    run.expect_code(6);
    assert!(run.stderr.contains("read-only"), "{}", run.stderr);
    assert_eq!(sim.image(REGION, &id).unwrap(), before);
    assert_eq!(sim.action_count("ModifyImageAttribute"), 0);

    // The same profile named on the command line is just as read-only.
    modify(&["--profile", "prod"]).expect_code(6);
    assert!(sandbox.journal_lines(false).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_keys_are_a_credentials_error() {
    let sim = sim::start(SimConfig::demo()).await.unwrap();
    let sandbox = Sandbox::new();
    let mut cmd = sandbox.command(&[
        "--endpoint",
        &sim.endpoint(),
        "--region",
        REGION,
        "images",
        "list",
    ]);
    cmd.env("ALIBABA_CLOUD_ACCESS_KEY_ID", DEMO_ACCESS_KEY_ID)
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "not-the-right-secret");
    let run = sandbox.run_with(cmd);
    run.expect_code(5);
    assert!(!run.all().contains("not-the-right-secret"));
}

#[test]
fn a_closed_port_is_a_network_error() {
    let sandbox = Sandbox::new();
    // Bind and drop: nothing listens on the port afterwards.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let endpoint = format!("http://127.0.0.1:{port}/");
    let mut cmd = sandbox.command(&[
        "--endpoint",
        &endpoint,
        "--region",
        REGION,
        "--connect-timeout",
        "1s",
        "regions",
    ]);
    cmd.env("ALIBABA_CLOUD_ACCESS_KEY_ID", DEMO_ACCESS_KEY_ID)
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", DEMO_ACCESS_KEY_SECRET);
    sandbox.run_with(cmd).expect_code(4);
}

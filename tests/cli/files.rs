//! Files only their owner reads, whatever the umask: the binary runs with umask 000 (in the
//! child only) and every file it writes is 0600, every directory it creates 0700; a journal
//! left 0644 by an older version is tightened and the log says so; a credentials file
//! readable by others still gets its warning.

use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::Command;

use crate::support::cli::{s, Sandbox};

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

/// The child runs with umask 000: whatever it asks `open` and `mkdir` for is what it gets.
fn with_umask_000(mut cmd: Command) -> Command {
    // SAFETY: umask is async-signal-safe and touches only the child's own process state.
    unsafe {
        cmd.pre_exec(|| {
            libc::umask(0);
            Ok(())
        });
    }
    cmd
}

/// `--demo images modify` of a plain demo image's description, logging to `log`.
fn demo_change(sandbox: &Sandbox, log: &Path, description: &str) -> Command {
    let image = sandbox.plain_demo_image();
    sandbox.command(&[
        "--demo",
        "--log-file",
        log.to_str().unwrap(),
        "images",
        "modify",
        s(&image, "id"),
        "--description",
        description,
        "--yes",
    ])
}

#[test]
fn under_umask_000_every_file_is_0600_and_every_new_directory_0700() {
    let sandbox = Sandbox::new();
    let fresh = sandbox.path().join("fresh");
    let log = fresh.join("logs/deep/ecsimg.log");
    let mut cmd = demo_change(&sandbox, &log, "written under umask 000");
    cmd.env("XDG_STATE_HOME", fresh.join("state"))
        .env("ECSIMG_DEMO_STATE", fresh.join("demo/state.json"));
    sandbox.run_with(with_umask_000(cmd)).expect_code(0);

    for file in [
        "state/ecsimg/demo-journal.jsonl",
        "demo/state.json",
        "logs/deep/ecsimg.log",
    ] {
        assert_eq!(mode(&fresh.join(file)), 0o600, "{file}");
    }
    for dir in ["", "state", "state/ecsimg", "demo", "logs", "logs/deep"] {
        assert_eq!(mode(&fresh.join(dir)), 0o700, "{dir:?}");
    }
}

#[test]
fn a_journal_left_readable_by_others_is_tightened_and_the_log_says_so() {
    let sandbox = Sandbox::new();
    let journal = sandbox.journal_file(true);
    std::fs::create_dir_all(journal.parent().unwrap()).unwrap();
    std::fs::write(&journal, "").unwrap();
    std::fs::set_permissions(&journal, std::fs::Permissions::from_mode(0o644)).unwrap();
    let log = sandbox.path().join("ecsimg.log");
    let run = sandbox.run_with(with_umask_000(demo_change(
        &sandbox,
        &log,
        "tightened on the way",
    )));
    run.expect_code(0);
    assert_eq!(mode(&journal), 0o600);
    let logged = std::fs::read_to_string(&log).unwrap();
    assert!(
        logged.contains("readable by others; it is 600 now") && logged.contains("644"),
        "{logged}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_credentials_file_readable_by_others_keeps_its_warning() {
    let sim = ecsimg::sim::start(ecsimg::sim::SimConfig::demo())
        .await
        .unwrap();
    let sandbox = Sandbox::new();
    let dir = sandbox.path().join("home/.alibabacloud");
    std::fs::create_dir_all(&dir).unwrap();
    let ini = dir.join("credentials");
    std::fs::write(
        &ini,
        format!(
            "[ops]\ntype = access_key\naccess_key_id = {}\naccess_key_secret = {}\n",
            ecsimg::sim::DEMO_ACCESS_KEY_ID,
            ecsimg::sim::DEMO_ACCESS_KEY_SECRET
        ),
    )
    .unwrap();
    std::fs::set_permissions(&ini, std::fs::Permissions::from_mode(0o644)).unwrap();
    let endpoint = sim.endpoint();
    let run = sandbox.run_with(with_umask_000(sandbox.command(&[
        "--profile",
        "ops",
        "--endpoint",
        &endpoint,
        "--region",
        "cn-hangzhou",
        "regions",
    ])));
    run.expect_code(0);
    assert!(
        run.stderr.contains("warning") && run.stderr.contains("chmod 600"),
        "{}",
        run.stderr
    );
}

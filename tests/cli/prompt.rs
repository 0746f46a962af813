//! Confirmation on a terminal: the binary runs in a pseudo-terminal, so stdin is a tty and
//! ecsimg asks instead of refusing. A "no" or a wrong image ID sends nothing.

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::support::cli::{s, Sandbox};
use crate::support::patience::wait_until;
use portable_pty::{native_pty_system, CommandBuilder, PtySize};

/// How long to wait for a prompt before calling it a failure (before scaling; never
/// asserted as speed).
const PATIENCE: Duration = Duration::from_secs(30);

/// Runs `ecsimg --demo ARGS…` in a pty, answers the prompt containing `prompt` with
/// `answer`, and returns (exit code, everything the terminal showed).
fn answer_prompt(sandbox: &Sandbox, args: &[&str], prompt: &str, answer: &str) -> (u32, String) {
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 40,
            cols: 120,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("open a pty");
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_ecsimg"));
    cmd.env_clear();
    let p = sandbox.path();
    cmd.env("HOME", p.join("home"));
    cmd.env("XDG_CONFIG_HOME", p.join("config"));
    cmd.env("XDG_STATE_HOME", p.join("state"));
    cmd.env("ECSIMG_DEMO_STATE", p.join("demo-state.json"));
    cmd.env("TERM", "xterm");
    cmd.arg("--demo");
    cmd.args(args);
    let mut child = pair.slave.spawn_command(cmd).expect("spawn ecsimg");
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().unwrap();
    let mut writer = pair.master.take_writer().unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&seen);
    let drain = std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock().unwrap().extend_from_slice(&buf[..n]);
        }
    });
    let text = || String::from_utf8_lossy(&seen.lock().unwrap()).into_owned();
    if wait_until(PATIENCE, || text().contains(prompt)).is_err() {
        panic!("no prompt {prompt:?}; the terminal shows:\n{}", text());
    }
    // The child may already have exited (a refusal asks nothing); then this write fails.
    let _ = writer
        .write_all(format!("{answer}\r").as_bytes())
        .and_then(|()| writer.flush());
    let mut status = None;
    if wait_until(PATIENCE, || {
        status = child.try_wait().expect("poll ecsimg");
        status.is_some()
    })
    .is_err()
    {
        let _ = child.kill();
        panic!(
            "ecsimg kept running after the answer; the terminal shows:\n{}",
            text()
        );
    }
    let status = status.unwrap();
    // The reader ends once the child's side of the pty is closed: everything is read.
    drain.join().unwrap();
    (status.exit_code(), text())
}

fn plain_image(sandbox: &Sandbox) -> String {
    let images = sandbox.demo_images();
    s(
        crate::support::cli::find(&images, "Available unshared image", |i| {
            s(i, "status") == "Available" && !i["shared"].as_bool().unwrap()
        }),
        "id",
    )
    .to_string()
}

#[test]
fn a_terminal_is_asked_and_only_yes_applies() {
    let sandbox = Sandbox::new();
    let id = plain_image(&sandbox);
    let before = s(&sandbox.demo_show(&id)["image"], "description").to_string();
    let args = [
        "images",
        "modify",
        &id,
        "--description",
        "asked on a terminal",
    ];

    let (code, shown) = answer_prompt(&sandbox, &args, "[y/N]", "n");
    assert_eq!(code, 6, "{shown}");
    assert!(shown.contains("not confirmed"), "{shown}");
    assert!(
        shown.contains("→ asked on a terminal"),
        "the diff comes first: {shown}"
    );
    assert_eq!(s(&sandbox.demo_show(&id)["image"], "description"), before);

    let (code, shown) = answer_prompt(&sandbox, &args, "[y/N]", "y");
    assert_eq!(code, 0, "{shown}");
    assert!(shown.contains("RequestId"), "{shown}");
    assert_eq!(
        s(&sandbox.demo_show(&id)["image"], "description"),
        "asked on a terminal"
    );
}

#[test]
fn emptying_a_family_on_a_terminal_needs_the_typed_id() {
    let sandbox = Sandbox::new();
    let id = plain_image(&sandbox);
    sandbox
        .demo(&[
            "images",
            "modify",
            &id,
            "--family",
            "cli-prompt-solo",
            "--yes",
        ])
        .expect_code(0);
    let args = ["images", "modify", &id, "--status", "Deprecated"];

    // A plain "y" is not the ID.
    let (code, shown) = answer_prompt(&sandbox, &args, "Type the image ID", "y");
    assert_eq!(code, 6, "{shown}");
    assert!(shown.contains("only Available image"), "{shown}");
    assert_eq!(s(&sandbox.demo_show(&id)["image"], "status"), "Available");

    let (code, shown) = answer_prompt(&sandbox, &args, "Type the image ID", &id);
    assert_eq!(code, 0, "{shown}");
    assert_eq!(s(&sandbox.demo_show(&id)["image"], "status"), "Deprecated");
}

#[test]
fn read_only_refuses_before_asking() {
    let sandbox = Sandbox::new();
    let id = plain_image(&sandbox);
    // No prompt text to wait for: the refusal is the first thing after the diff.
    let (code, shown) = answer_prompt(
        &sandbox,
        &[
            "--read-only",
            "images",
            "modify",
            &id,
            "--description",
            "never asked",
        ],
        "read-only",
        "",
    );
    assert_eq!(code, 6, "{shown}");
    assert!(!shown.contains("[y/N]"), "{shown}");
}

#[test]
fn a_bulk_deprecate_of_images_in_use_on_a_terminal_needs_their_count_typed() {
    let sandbox = Sandbox::new();
    let args = ["families", "prune", "k8s-worker", "--keep", "1"];
    let available = |sandbox: &Sandbox| {
        sandbox
            .demo_images()
            .iter()
            .filter(|i| s(i, "family") == "k8s-worker" && s(i, "status") == "Available")
            .count()
    };
    assert_eq!(available(&sandbox), 5);

    // Two of the four are in use: a plain "y" is not the count.
    let (code, shown) = answer_prompt(&sandbox, &args, "Type 4 to apply", "y");
    assert_eq!(code, 6, "{shown}");
    assert!(shown.contains("IN USE"), "the plan says which: {shown}");
    assert_eq!(available(&sandbox), 5, "nothing was sent");

    let (code, shown) = answer_prompt(&sandbox, &args, "Type 4 to apply", "4");
    assert_eq!(code, 0, "{shown}");
    assert_eq!(available(&sandbox), 1);
}

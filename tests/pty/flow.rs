//! A person's round trip through the real binary in a pty, against the embedded simulator:
//! filter, open the form, rename, confirm (Cancel first: Enter on the dialog must not apply),
//! see the verified result, and find the change in the journal. Plus what one keystroke in
//! the form costs on the wire, and a change in flight when the TUI is ended (SIGTERM, q q):
//! it is settled and journaled, and stderr says so.

use std::time::Duration;

use crate::support::pty::{Launch, Pty};
use ecsimg::ecs::model::{Image, ImageStatus};
use ecsimg::sim::{self, SimConfig, SimHandle};

/// An Available image outside any family: renaming it touches nothing else.
fn target() -> Image {
    ecsimg::sim::Inventory::demo().images["cn-hangzhou"]
        .iter()
        .find(|i| {
            i.status == ImageStatus::Available
                && i.image_family.is_empty()
                && i.image_name.len() < 20
        })
        .expect("the demo inventory has an Available image outside any family")
        .clone()
}

/// Starts `--demo` and waits for the list to be loaded and the screen to settle.
pub(crate) fn loaded() -> Pty {
    let pty = Pty::demo();
    pty.wait_for("images");
    pty.wait_screen("the list loaded", |s| s.contents().contains("> "));
    pty.settle();
    pty
}

/// Types `keys` and waits for `text` on screen.
pub(crate) fn step(pty: &mut Pty, keys: &str, text: &str) {
    pty.settle();
    pty.send(keys);
    pty.wait_for(text);
}

#[test]
fn filter_edit_confirm_round_trip_renames_the_image() {
    let image = target();
    let new_name = "pty-renamed-image";
    let mut pty = loaded();

    step(&mut pty, "/", "filter /");
    step(&mut pty, &image.image_id, "1/1");
    step(&mut pty, "\r", "/ filter");
    step(&mut pty, "e", "Submit");
    pty.send("\x15"); // ctrl-u clears the name
    step(&mut pty, new_name, new_name);
    step(&mut pty, "\x0f", "→"); // ctrl-o: review the change
    let dialog = pty.screen_text();
    assert!(
        dialog.contains(&format!("{} → {new_name}", image.image_name)),
        "the dialog shows before → after:\n{dialog}"
    );

    // Cancel has the focus: Enter closes the dialog and sends nothing.
    pty.settle();
    pty.send("\r");
    pty.wait_gone("→");
    pty.settle();
    let journal_path = pty.home.path().join("state/ecsimg/demo-journal.jsonl");
    assert!(
        !journal_path.exists(),
        "Enter on the dialog applied the change"
    );

    // Back in the form with what was typed; review again, move to Apply, press it.
    pty.wait_for(new_name);
    step(&mut pty, "\x0f", "→");
    pty.settle();
    pty.send("\t");
    pty.settle();
    step(&mut pty, "\r", "Verified");
    let result = pty.screen_text();
    let request_id = result
        .lines()
        .find_map(|l| l.split("RequestId: ").nth(1))
        .map(|rest| rest.split_whitespace().next().unwrap_or("").to_string())
        .expect("the result shows the RequestId");

    step(&mut pty, "\x1b", "/ filter");
    pty.wait_screen("the list row renamed", |s| {
        s.contents()
            .lines()
            .any(|l| l.starts_with("> ") && l.contains(new_name) && l.contains(&image.image_id))
    });

    let journal = std::fs::read_to_string(&journal_path).expect("the change was journaled");
    let entry: serde_json::Value =
        serde_json::from_str(journal.lines().last().unwrap()).expect("a JSON line");
    assert_eq!(entry["image_id"], image.image_id.as_str());
    assert_eq!(entry["changes"][0]["before"], image.image_name.as_str());
    assert_eq!(entry["changes"][0]["after"], new_name);
    assert_eq!(entry["request_id"], request_id.as_str());
    assert_eq!(entry["outcome"]["verified"], true);

    pty.send("q");
    assert_eq!(pty.wait_exit(), 0);
    crate::support::pty::assert_restored(&pty);
}

#[test]
fn one_keystroke_in_a_form_field_costs_a_few_dozen_bytes() {
    let mut pty = loaded();
    step(&mut pty, "e", "Submit");
    assert!(!pty.screen_text().contains('Q'));

    let before = pty.settle();
    pty.send("Q");
    pty.wait_for("Q");
    let first = pty.settle() - before;

    let before = pty.settle();
    pty.send("Q");
    pty.wait_for("QQ");
    let second = pty.settle() - before;

    eprintln!("bytes written: first keystroke {first}, next keystroke {second}");
    // A full 80×24 repaint of this screen is a few kilobytes; a keystroke redraws a character,
    // the counter and (the first time) the "was:" line.
    assert!(first < 300, "the first keystroke cost {first} bytes");
    assert!(second < 120, "a keystroke cost {second} bytes");
    pty.send("\x03");
    assert_eq!(pty.wait_exit(), 0);
}

/// The real TUI against a simulator of this process, as a real account's session (so the
/// real journal), at 80×24. The runtime keeps the simulator serving.
fn against_sim() -> (tokio::runtime::Runtime, SimHandle, Pty) {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime for the simulator");
    let sim = runtime
        .block_on(sim::start(SimConfig::demo()))
        .expect("the simulator starts");
    let endpoint = sim.endpoint();
    let pty = Pty::spawn(Launch {
        args: &["--endpoint", &endpoint, "--region", "cn-hangzhou"],
        env: &[
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", sim::DEMO_ACCESS_KEY_ID),
            (
                "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
                sim::DEMO_ACCESS_KEY_SECRET,
            ),
        ],
        ..Launch::default()
    });
    pty.wait_screen("the list loaded", |s| s.contents().contains("> "));
    pty.settle();
    (runtime, sim, pty)
}

/// Renames the target and presses Apply while the simulator holds requests for a second;
/// returns once the simulator holds the change.
fn apply_held(pty: &mut Pty, sim: &SimHandle, image: &Image, new_name: &str) {
    step(pty, "/", "filter /");
    step(pty, &image.image_id, "1/1");
    step(pty, "\r", "/ filter");
    step(pty, "e", "Submit");
    pty.send("\x15");
    step(pty, new_name, new_name);
    step(pty, "\x0f", "→");
    pty.settle();
    pty.send("\t");
    pty.settle();
    sim.faults()
        .set_latency(Duration::from_secs(1), Duration::ZERO);
    let calls = sim.faults().calls();
    pty.send("\r");
    pty.wait_for("applying to");
    let guard =
        std::time::Instant::now() + crate::support::patience::scaled(crate::support::pty::PATIENCE);
    while sim.faults().calls() == calls {
        assert!(
            std::time::Instant::now() < guard,
            "the change never reached ECS"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// The journal's entries (intent and settlement folded into one), as JSON.
fn journal_entries(pty: &Pty) -> Vec<serde_json::Value> {
    ecsimg::store::Journal::at(pty.home.path().join("state/ecsimg/journal.jsonl"))
        .entries()
        .expect("a readable journal")
        .iter()
        .map(|e| serde_json::to_value(e).unwrap())
        .collect()
}

/// What the journal says of the change to `image`, checked against what ECS holds.
fn assert_journal_agrees(pty: &Pty, sim: &SimHandle, image: &Image, new_name: &str) {
    let entries = journal_entries(pty);
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0]["image_id"], image.image_id.as_str());
    assert_eq!(entries[0]["changes"][0]["after"], new_name);
    let landed = sim
        .image("cn-hangzhou", &image.image_id)
        .unwrap()
        .image_name
        == new_name;
    let (result, said) = if landed {
        ("applied", "journaled as applied")
    } else {
        ("not_applied", "journaled as not applied")
    };
    assert_eq!(entries[0]["outcome"]["result"], result, "{entries:?}");
    pty.wait_bytes("stderr's account of the change", |b| {
        crate::support::pty::find(b, said.as_bytes()).is_some()
    });
}

#[test]
fn a_signal_with_a_change_in_flight_settles_it_and_says_so() {
    // SIGTERM (a service manager), SIGINT (kill -INT; in the TUI ctrl-c is a key), SIGHUP
    // (a dropped ssh link).
    for (signal, name) in [
        (libc::SIGTERM, "SIGTERM"),
        (libc::SIGINT, "SIGINT"),
        (libc::SIGHUP, "SIGHUP"),
    ] {
        let image = target();
        let new_name = format!("pty-renamed-at-{}", name.to_lowercase());
        let (_runtime, sim, mut pty) = against_sim();
        apply_held(&mut pty, &sim, &image, &new_name);
        pty.signal(signal);
        assert_eq!(pty.wait_exit(), 128 + signal as u32, "{name}");
        crate::support::pty::assert_restored(&pty);
        let notice = format!("{name} with a change in flight");
        pty.wait_bytes("the notice on stderr", |b| {
            crate::support::pty::find(b, notice.as_bytes()).is_some()
        });
        assert_journal_agrees(&pty, &sim, &image, &new_name);
    }
}

#[test]
fn q_q_with_a_change_in_flight_settles_it_and_says_so() {
    let image = target();
    let new_name = "pty-renamed-at-q-q";
    let (_runtime, sim, mut pty) = against_sim();
    apply_held(&mut pty, &sim, &image, new_name);
    pty.send("q");
    pty.wait_for("q again quits (it may still reach ECS)");
    pty.send("q");
    assert_eq!(pty.wait_exit(), 0);
    pty.wait_bytes("the notice on stderr", |b| {
        crate::support::pty::find(b, b"quit with a change in flight").is_some()
    });
    assert_journal_agrees(&pty, &sim, &image, new_name);
}

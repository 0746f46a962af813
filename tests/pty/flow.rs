//! A person's round trip through the real binary in a pty, against the embedded simulator:
//! filter, open the form, rename, confirm (Cancel first: Enter on the dialog must not apply),
//! see the verified result, and find the change in the journal. Plus what one keystroke in
//! the form costs on the wire.

use crate::support::pty::Pty;
use ecsimg::ecs::model::{Image, ImageStatus};

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
fn loaded() -> Pty {
    let pty = Pty::demo();
    pty.wait_for("images");
    pty.wait_screen("the list loaded", |s| s.contents().contains("> "));
    pty.settle();
    pty
}

/// Types `keys` and waits for `text` on screen.
fn step(pty: &mut Pty, keys: &str, text: &str) {
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

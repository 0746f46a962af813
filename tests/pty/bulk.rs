//! Many images at once in the real binary: mark what the filter shows, one edit for all,
//! the plan (Enter on it cancels: Cancel has the focus), then Apply — the batch runs, its
//! report shows, and the journal holds one entry per image under one batch ID; and the
//! list answers keys while a slow batch runs behind it.

use std::cell::Cell;

use crate::flow::{loaded, step};
use crate::support::pty::{Launch, Pty};

/// From the marks: `b`, the description set to `text` for all of them, and the plan shown.
fn plan_description(pty: &mut Pty, text: &str) {
    step(pty, "b", "Bulk edit");
    pty.settle();
    pty.send("\t\t");
    step(pty, text, text);
    step(pty, "\r", "Plan:");
    pty.settle();
}

#[test]
fn mark_all_shown_edit_them_review_the_plan_and_see_the_report() {
    let mut pty = loaded();
    step(&mut pty, "/", "filter /");
    step(&mut pty, "redis-cache", "redis-cache-v8");
    step(&mut pty, "\r", "/ filter");
    step(&mut pty, "*", "marked");
    plan_description(&mut pty, "cache image, kept");
    pty.send("\r");
    pty.wait_for("nothing was sent");
    let journal = pty.home.path().join("state/ecsimg/demo-journal.jsonl");
    assert!(!journal.exists(), "Enter on the plan sent something");

    plan_description(&mut pty, "cache image, kept");
    pty.send("\t");
    pty.settle();
    step(&mut pty, "\r", "Batch report");
    pty.wait_for("0 failed");
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&journal)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let batches: std::collections::BTreeSet<&str> =
        lines.iter().filter_map(|l| l["batch"].as_str()).collect();
    assert_eq!(batches.len(), 1, "one batch ID: {batches:?}");
    assert_eq!(lines.len() % 2, 0, "every intent settled");
    assert!(lines.len() >= 6, "several images: {}", lines.len());
    pty.send("q");
    pty.wait_exit();
}

/// Issue 15's load: the UI keeps answering keys while a batch's requests run. Against a
/// demo whose every answer takes 300 ms, a batch of the 147 Available images (at least
/// 15 s at 10 calls a second) runs behind the list; `j` moves the selection on screen
/// while the progress line still counts images left, and Esc stops the batch after the
/// calls in flight.
#[test]
fn keys_move_the_list_while_a_batch_runs_against_a_slow_endpoint() {
    let mut pty = Pty::spawn(Launch {
        env: &[("ECSIMG_DEMO_LATENCY_MS", "300")],
        cols: 100,
        rows: 30,
        ..Launch::default()
    });
    pty.wait_screen("the list loaded", |s| s.contents().contains("> "));
    step(&mut pty, "/", "filter /");
    step(&mut pty, "status:available", "status:available");
    step(&mut pty, "\r", "1/147 ·");
    step(&mut pty, "*", "147 marked");
    plan_description(&mut pty, "under load");
    pty.send("\t");
    pty.settle();
    step(&mut pty, "\r", "batch started");
    pty.wait_for(" left ·");
    let running_when_moved = Cell::new(false);
    pty.send("j");
    pty.wait_screen("j moves the selection", |s| {
        let text = s.contents();
        let moved = text.contains("2/147 ·");
        if moved {
            running_when_moved.set(text.contains(" left ·") && text.contains("batch "));
        }
        moved
    });
    assert!(
        running_when_moved.get(),
        "the batch had ended before j was answered: {}",
        pty.screen_text()
    );
    // The progress line redraws all the time now: no settling before a key.
    pty.send("\x1b");
    pty.wait_for("stopping the batch");
    pty.wait_for("not attempted");
    pty.send("q");
    pty.wait_exit();
}

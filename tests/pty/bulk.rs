//! Many images at once in the real binary: mark what the filter shows, one edit for all,
//! the plan (Enter on it cancels: Cancel has the focus), then Apply — the batch runs, its
//! report shows, and the journal holds one entry per image under one batch ID.

use crate::flow::{loaded, step};

#[test]
fn mark_all_shown_edit_them_review_the_plan_and_see_the_report() {
    let mut pty = loaded();
    step(&mut pty, "/", "filter /");
    step(&mut pty, "redis-cache", "redis-cache-v8");
    step(&mut pty, "\r", "/ filter");
    step(&mut pty, "*", "marked");
    step(&mut pty, "b", "Bulk edit");
    pty.settle();
    pty.send("\t\t");
    step(&mut pty, "cache image, kept", "cache image, kept");
    step(&mut pty, "\r", "Plan:");
    pty.settle();
    pty.send("\r");
    pty.wait_for("nothing was sent");
    let journal = pty.home.path().join("state/ecsimg/demo-journal.jsonl");
    assert!(!journal.exists(), "Enter on the plan sent something");

    step(&mut pty, "b", "Bulk edit");
    pty.settle();
    pty.send("\t\t");
    step(&mut pty, "cache image, kept", "cache image, kept");
    step(&mut pty, "\r", "Plan:");
    pty.settle();
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

//! The fault matrix's bulk column: a batch of 50 descriptions through `exec::run_batch`,
//! under each fault. Throttling and the 5xx run through the whole batch; the other
//! faults the simulator makes meet the batch's first requests (a bad spell mid-batch),
//! and a refused or silent endpoint meets all of it. Whatever the fault: no image applied
//! twice or skipped, every journal entry settled (nothing half-sent), the journal and the
//! simulator agree image by image, and the report groups the failures by their code. A
//! refused or silent endpoint ends the batch after `SILENT_IN_A_ROW` images got no answer:
//! the images after them are not sent, and the report says why.

use std::collections::HashMap;
use std::time::Duration;

use ecsimg::change::{plan_edit, BatchReport, BulkEdit, Facts, ItemOutcome, JournalEntry};
use ecsimg::ecs::model::ImageStatus;
use ecsimg::exec::{self, BatchSettings, StopSignal};

use super::{Bench, Make, Read, Row, REGION};

/// Images in the batch.
const IMAGES: usize = 50;
/// Images the batch has in flight at once.
const CONCURRENCY: usize = 8;
/// Requests that meet a fault made for a spell (the change's sends and re-reads alike).
const SPELL: u64 = 16;

/// Runs the batch under `row`'s fault and checks it; returns what it ended with.
pub(super) async fn cell(row: &Row) -> String {
    let bench = Bench::new(row.make).await;
    let cell = format!("{} × Bulk", row.name);
    let targets: Vec<_> = bench
        .sim
        .images(REGION)
        .into_iter()
        .filter(|i| {
            i.status == ImageStatus::Available && !i.is_shared() && i.image_owner_alias == "self"
        })
        .take(IMAGES)
        .collect();
    assert_eq!(targets.len(), IMAGES, "enough plain images in the demo");
    let wanted = format!("bulk under {}", row.name);
    let plan = plan_edit(
        &BulkEdit::Description(wanted.clone()),
        &targets,
        &targets,
        &HashMap::new(),
        |_| Facts::Checking,
    );
    assert_eq!(plan.calls() as usize, IMAGES, "{cell}: a call an image");
    let faults = bench.sim.faults();
    let start = faults.calls();
    let whole = matches!(
        row.make,
        Make::HalfServerErrors | Make::ThrottleEverySecond | Make::Refused | Make::BlackHole
    );
    if whole {
        bench.inject(row.make, None);
    } else {
        bench.inject(row.make, Some(SPELL));
    }
    // Latency is a setting, not a queue: it is lifted once the spell's requests arrived.
    let lift_latency = async {
        if !matches!(row.make, Make::Latency(_)) {
            return std::future::pending().await;
        }
        while faults.calls() < start + SPELL {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        faults.set_latency(Duration::ZERO, Duration::ZERO);
        std::future::pending().await
    };
    let settings = BatchSettings {
        concurrency: CONCURRENCY,
        rate: Some(500.0),
        max_attempts: 8,
    };
    let mut never = StopSignal::never();
    let batch = exec::run_batch(
        &bench.faulty,
        plan.plan.clone(),
        &settings,
        "cli",
        &mut never,
        |_| {},
    );
    let report = tokio::select! {
        report = batch => report,
        () = lift_latency => unreachable!(),
    };
    faults.clear();
    let retries = bench.retries.load(std::sync::atomic::Ordering::SeqCst);
    check(&bench, row, &cell, &report, &wanted, whole);
    let groups = report.group_lines();
    format!(
        "{} applied, {} failed {groups:?}, {retries} retries",
        report.applied(),
        report.failed()
    )
}

fn check(bench: &Bench, row: &Row, cell: &str, report: &BatchReport, wanted: &str, whole: bool) {
    let entries: Vec<JournalEntry> = bench
        .journal
        .entries()
        .unwrap()
        .into_iter()
        .filter(|e| e.batch.as_deref() == Some(report.batch.as_str()))
        .collect();
    assert_eq!(report.items.len(), IMAGES, "{cell}");
    let silent = matches!(row.make, Make::Refused | Make::BlackHole);
    for item in &report.items {
        let id = &item.before.image_id;
        let holds = bench.sim.image(REGION, id).unwrap().description == wanted;
        let processed = bench.sim.processed_count(id);
        let mine: Vec<&JournalEntry> = entries.iter().filter(|e| &e.image_id == id).collect();
        if matches!(item.outcome, ItemOutcome::NotAttempted) {
            // Only a silent endpoint ends the batch early, and what it did not send is
            // untouched: no send, no journal entry.
            assert!(silent && report.gave_up.is_some(), "{cell}: {id} skipped");
            assert_eq!((processed, mine.len()), (0, 0), "{cell}: {id}");
            continue;
        }
        // Nothing skipped, nothing applied twice, nothing half-sent.
        assert!(processed <= 1, "{cell}: {id} processed {processed} times");
        assert_eq!(holds, processed == 1, "{cell}: {id}");
        assert_eq!(
            mine.len() as u32,
            item.attempts,
            "{cell}: {id}: an entry a send"
        );
        for entry in &mine {
            let result = result_of(entry);
            assert_ne!(result, "sending", "{cell}: {id}: half-sent");
            // A throttled send is refused (ECS did not act) and sent again later.
            let throttled = entry
                .outcome
                .code()
                .is_some_and(|c| c.starts_with("Throttling"));
            let allowed = row.journal.contains(&result.as_str())
                || (result == "refused" && throttled)
                || (!whole && matches!(result.as_str(), "applied" | "uncertain"))
                || (matches!(row.read, Read::OkOrFails { .. }) && result == "not_applied");
            assert!(allowed, "{cell}: {id}: journal says {result}");
        }
        // The journal's last word on the image and the simulator agree.
        let last = mine.last().map(|e| result_of(e));
        match last.as_deref() {
            Some("applied") => assert!(holds, "{cell}: {id} journaled applied, not in ECS"),
            Some("not_applied" | "refused") => {
                assert!(!holds, "{cell}: {id} journaled not applied, but ECS has it")
            }
            Some("uncertain") => {}
            other => panic!("{cell}: {id}: journal's last word {other:?}"),
        }
        match &item.outcome {
            ItemOutcome::Applied(_) => {
                assert!(holds, "{cell}: {id} reported applied, not in ECS");
                assert_eq!(last.as_deref(), Some("applied"), "{cell}: {id}");
            }
            ItemOutcome::Failed(e) => {
                let code = item.code().unwrap_or_default();
                if let Read::Fails { code: expected, .. } = row.read {
                    assert!(code.starts_with(expected), "{cell}: {id}: {e:?}");
                }
            }
            other => panic!("{cell}: {id}: {other:?}"),
        }
    }
    // Failures (and images not sent) grouped by their code, each counted once.
    let groups = report.by_code();
    let grouped: usize = groups.values().map(Vec::len).sum();
    assert_eq!(
        grouped,
        report.failed() + report.not_attempted(),
        "{cell}: {:?}",
        report.group_lines()
    );
    for (code, items) in &groups {
        assert!(items
            .iter()
            .all(|i| i.code().as_deref() == Some(code.as_str())));
    }
    assert_eq!(report.group_lines().len(), groups.len(), "{cell}");
    match row.read {
        // Throttled calls come back together, and a worker can meet the throttle on every
        // send: such an image is given up only after its eight sends, under Throttling.
        Read::Ok => {
            for item in report.items.iter().filter(|i| i.failed()) {
                let code = item.code().unwrap_or_default();
                assert!(code.starts_with("Throttling"), "{cell}: {code}");
                assert_eq!(item.attempts, 8, "{cell}: given up early");
            }
            assert!(
                report.applied() >= IMAGES - 2,
                "{cell}: {:?}",
                report.group_lines()
            );
        }
        _ if silent => {
            let sent = report.failed();
            assert_eq!(report.applied(), 0, "{cell}: nothing reaches ECS");
            assert_eq!(sent + report.not_attempted(), IMAGES, "{cell}");
            // The images that found it silent, and at most the others already in flight.
            let most = exec::SILENT_IN_A_ROW + CONCURRENCY - 1;
            assert!(
                (exec::SILENT_IN_A_ROW..=most).contains(&sent),
                "{cell}: {sent} sent to a silent endpoint"
            );
            assert!(report.headline().contains("no answer"), "{cell}");
        }
        _ if whole && !matches!(row.read, Read::OkOrFails { .. }) => {
            assert_eq!(report.failed(), IMAGES, "{cell}: nothing reaches ECS")
        }
        _ if !whole => {
            let spoilt = report.failed() as u64;
            assert!(
                spoilt <= SPELL,
                "{cell}: {spoilt} failed in a spell of {SPELL}"
            );
        }
        _ => {}
    }
}

fn result_of(entry: &JournalEntry) -> String {
    serde_json::to_value(&entry.outcome).unwrap()["result"]
        .as_str()
        .unwrap()
        .to_string()
}

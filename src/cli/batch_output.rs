//! How the CLI prints a change to many images: the plan before anything is sent, the
//! progress line while it runs (on a terminal only), and the report — as text, or as JSON
//! with `--output json`.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};

use serde::Serialize;

use crate::change::{BatchReport, BulkPlan, FieldChange, ItemOutcome, Progress};

use super::output::{self, shown};

/// The plan, as `images modify --where`, `families prune` and `undo --batch` print it.
pub fn plan_text(plan: &BulkPlan, what: &str, rate: Option<f64>, concurrency: usize) -> String {
    let mut out = format!("Plan: {} — {what}", plan.label);
    for item in &plan.plan.items {
        out.push_str(&format!(
            "\n{} ({}):",
            item.before.image_id,
            shown(&item.before.image_name)
        ));
        for line in output::diff_lines(&item.diff_lines()) {
            out.push('\n');
            out.push_str(&line);
        }
        if let Some(usage) = item.usage_line() {
            out.push_str(&format!("\n  ! {}", output::one_line(&usage)));
        }
        for problem in &item.problems {
            out.push_str(&format!("\n  ✗ {problem}"));
        }
    }
    if let Some(e) = &plan.pattern_error {
        out.push_str(&format!("\n  ✗ {e}"));
    }
    for image in &plan.unchanged {
        out.push_str(&format!(
            "\n{} ({}): already so, nothing is sent",
            image.image_id,
            shown(&image.image_name)
        ));
    }
    for line in plan.summary_lines(rate, concurrency) {
        out.push_str("\n  ! ");
        out.push_str(&line);
    }
    out
}

/// Writes the progress line over itself on stderr, when stderr is a terminal.
pub struct ProgressLine {
    on: bool,
}

impl ProgressLine {
    pub fn new() -> ProgressLine {
        ProgressLine {
            on: std::io::stderr().is_terminal(),
        }
    }

    pub fn show(&self, progress: &Progress) {
        if self.on {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[2K{}", progress.line());
            let _ = err.flush();
        }
    }

    /// Ends the line so the report starts on its own.
    pub fn done(&self) {
        if self.on {
            let _ = writeln!(std::io::stderr());
        }
    }
}

impl Default for ProgressLine {
    fn default() -> Self {
        ProgressLine::new()
    }
}

/// The report as text: the headline, one line per image, failures grouped by code.
pub fn report_text(report: &BatchReport) -> String {
    let mut out = report.headline();
    for item in &report.items {
        let rid = item
            .request_id()
            .map(|r| format!(" · RequestId {r}"))
            .unwrap_or_default();
        out.push_str(&format!(
            "\n  {} ({}): {}{rid}",
            item.before.image_id,
            shown(&item.before.image_name),
            output::one_line(&item.words())
        ));
    }
    let groups = report.group_lines();
    if !groups.is_empty() {
        out.push_str("\nNot applied, by code:");
        for line in groups {
            out.push_str(&format!("\n  {line}"));
        }
        out.push_str(&format!(
            "\nRetry them with `ecsimg images modify --ids-from FILE …` (the IDs above); undo the applied ones with `ecsimg undo --batch {}`.",
            report.batch
        ));
    }
    out
}

/// `--output json` of a batch.
#[derive(Debug, Serialize)]
pub struct ReportJson {
    pub batch: String,
    pub label: String,
    pub count: usize,
    pub applied: usize,
    pub failed: usize,
    pub not_attempted: usize,
    pub throttled: usize,
    /// Why the batch stopped sending by itself (the endpoint went silent).
    pub gave_up: Option<String>,
    pub elapsed_s: f64,
    /// Code → image IDs.
    pub failures_by_code: BTreeMap<String, Vec<String>>,
    pub items: Vec<ItemJson>,
}

#[derive(Debug, Serialize)]
pub struct ItemJson {
    pub image_id: String,
    pub image_name: String,
    /// `applied`, `failed`, `stopped` or `not_attempted`.
    pub outcome: &'static str,
    pub verified: bool,
    pub code: Option<String>,
    pub message: Option<String>,
    pub request_id: Option<String>,
    pub attempts: u32,
    pub changes: Vec<FieldChange>,
}

pub fn report_json(report: &BatchReport) -> ReportJson {
    ReportJson {
        batch: report.batch.clone(),
        label: report.label.clone(),
        count: report.items.len(),
        applied: report.applied(),
        failed: report.failed(),
        not_attempted: report.not_attempted(),
        throttled: report.throttled,
        gave_up: report.gave_up.clone(),
        elapsed_s: (report.elapsed.as_secs_f64() * 1000.0).round() / 1000.0,
        failures_by_code: report
            .by_code()
            .into_iter()
            .map(|(code, items)| {
                let ids = items.iter().map(|i| i.before.image_id.clone()).collect();
                (code, ids)
            })
            .collect(),
        items: report
            .items
            .iter()
            .map(|item| ItemJson {
                image_id: item.before.image_id.clone(),
                image_name: item.before.image_name.clone(),
                outcome: match &item.outcome {
                    ItemOutcome::Applied(_) => "applied",
                    ItemOutcome::Failed(_) => "failed",
                    ItemOutcome::Interrupted(_) => "stopped",
                    ItemOutcome::NotAttempted => "not_attempted",
                },
                verified: matches!(&item.outcome, ItemOutcome::Applied(a) if a.verified),
                code: item.code(),
                message: (!item.applied()).then(|| item.words()),
                request_id: item.request_id().map(str::to_string),
                attempts: item.attempts,
                changes: item.diff.clone(),
            })
            .collect(),
    }
}

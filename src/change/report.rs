//! How a batch went, as data: its progress while it runs (done, failed, remaining, the
//! rate, the time left) and its report once it ends (per image the outcome and RequestId,
//! failures grouped by code, what was not attempted). `exec` fills them in; the screens
//! and the CLI word them from here.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use crate::ecs::model::Image;

use super::diff::FieldChange;
use super::landed::Stop;
use super::result::{ApplyError, ItemOutcome};

/// "12 s", "3 min 20 s".
pub fn words_for(t: Duration) -> String {
    let s = t.as_secs_f64().ceil() as u64;
    if s < 60 {
        format!("{s} s")
    } else {
        format!("{} min {} s", s / 60, s % 60)
    }
}

/// A batch while it runs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Progress {
    pub total: usize,
    /// Applied.
    pub done: usize,
    /// Ended without being applied (refused, lost, stopped in flight).
    pub failed: usize,
    /// Sent, not answered yet.
    pub in_flight: usize,
    /// Since the batch started.
    pub elapsed: Duration,
    /// The limiter's rate now (`None`: no limit).
    pub rate: Option<f64>,
    /// Throttling answers so far (each slowed the limiter; the image was sent again).
    pub throttled: usize,
    /// Stopping: no new image is sent; the ones in flight finish.
    pub stopping: bool,
}

impl Progress {
    /// Not ended yet (in flight included).
    pub fn remaining(&self) -> usize {
        self.total.saturating_sub(self.done + self.failed)
    }

    /// Images ended a second, so far.
    pub fn per_second(&self) -> Option<f64> {
        let secs = self.elapsed.as_secs_f64();
        let ended = self.done + self.failed;
        (secs > 0.0 && ended > 0).then(|| ended as f64 / secs)
    }

    /// The time left at the pace so far.
    pub fn eta(&self) -> Option<Duration> {
        let pace = self.per_second()?;
        Some(Duration::from_secs_f64(self.remaining() as f64 / pace))
    }

    /// "120/500 · 3 failed · 377 left · 9.8/s · ETA 38 s".
    pub fn line(&self) -> String {
        let mut parts = vec![format!("{}/{} done", self.done, self.total)];
        if self.failed > 0 {
            parts.push(format!("{} failed", self.failed));
        }
        parts.push(format!("{} left", self.remaining()));
        if let Some(p) = self.per_second() {
            parts.push(format!("{p:.1}/s"));
        }
        if let Some(r) = self.rate {
            parts.push(format!("limit {r:.1}/s"));
        }
        if self.throttled > 0 {
            parts.push(format!("throttled {}×", self.throttled));
        }
        match (self.stopping, self.eta()) {
            (true, _) => parts.push(format!("stopping after {} in flight", self.in_flight)),
            (false, Some(eta)) => parts.push(format!("ETA {}", words_for(eta))),
            (false, None) => {}
        }
        parts.join(" · ")
    }

    /// The share ended, 0 to 1.
    pub fn ratio(&self) -> f64 {
        if self.total == 0 {
            return 1.0;
        }
        (self.done + self.failed) as f64 / self.total as f64
    }
}

/// One image of a batch, once it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchItem {
    /// As read; shared with the plan it was run from.
    pub before: Arc<Image>,
    /// What was asked of it.
    pub diff: Vec<FieldChange>,
    pub outcome: ItemOutcome,
    /// Times it was sent (Throttling and answers lost before ECS acted send it again).
    pub attempts: u32,
}

impl BatchItem {
    pub fn applied(&self) -> bool {
        matches!(self.outcome, ItemOutcome::Applied(_))
    }

    /// Ended without being applied, after being tried.
    pub fn failed(&self) -> bool {
        matches!(
            self.outcome,
            ItemOutcome::Failed(_) | ItemOutcome::Interrupted(_)
        )
    }

    /// The code it failed with ("NotAttempted" for an image never sent).
    pub fn code(&self) -> Option<String> {
        match &self.outcome {
            ItemOutcome::Applied(_) => None,
            ItemOutcome::Failed(e) => Some(match e {
                ApplyError::Api(e) | ApplyError::Lost { error: e, .. } => e.code.clone(),
                ApplyError::ReadOnly => "ReadOnly".into(),
                ApplyError::NoChanges => "NoChanges".into(),
                ApplyError::Invalid(p) => p.first().map_or("Invalid", |p| p.code).to_string(),
            }),
            ItemOutcome::Interrupted(i) => Some(i.stop.code().to_string()),
            ItemOutcome::NotAttempted => Some("NotAttempted".into()),
        }
    }

    /// The RequestId ECS gave, when it gave one.
    pub fn request_id(&self) -> Option<&str> {
        match &self.outcome {
            ItemOutcome::Applied(a) => Some(a.request_id.as_str()),
            ItemOutcome::Failed(e) => e.api().and_then(|e| e.request_id.as_deref()),
            _ => None,
        }
        .filter(|r| !r.is_empty())
    }

    /// "applied, verified", "refused: Code — message", "not attempted".
    pub fn words(&self) -> String {
        match &self.outcome {
            ItemOutcome::Applied(a) if a.verified => "applied, verified".to_string(),
            ItemOutcome::Applied(_) => "applied (not verified)".to_string(),
            ItemOutcome::Failed(e) => format!("failed: {e}"),
            ItemOutcome::Interrupted(i) => format!(
                "stopped in flight: {}",
                super::result::lost_words(&i.landed)
            ),
            ItemOutcome::NotAttempted => "not attempted: nothing was sent".to_string(),
        }
    }
}

/// A batch, once it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchReport {
    /// The ID its journal entries share.
    pub batch: String,
    /// What it did, in a few words.
    pub label: String,
    /// In plan order.
    pub items: Vec<BatchItem>,
    /// Why it stopped early, if it did.
    pub stopped: Option<Stop>,
    /// Why the batch stopped sending by itself (the endpoint went silent), in words.
    pub gave_up: Option<String>,
    pub elapsed: Duration,
    pub throttled: usize,
}

impl BatchReport {
    pub fn applied(&self) -> usize {
        self.items.iter().filter(|i| i.applied()).count()
    }

    pub fn failed(&self) -> usize {
        self.items.iter().filter(|i| i.failed()).count()
    }

    pub fn not_attempted(&self) -> usize {
        self.items
            .iter()
            .filter(|i| i.outcome == ItemOutcome::NotAttempted)
            .count()
    }

    /// The failures (not-attempted images too), grouped by code.
    pub fn by_code(&self) -> BTreeMap<String, Vec<&BatchItem>> {
        let mut groups: BTreeMap<String, Vec<&BatchItem>> = BTreeMap::new();
        for item in &self.items {
            if let Some(code) = item.code() {
                groups.entry(code).or_default().push(item);
            }
        }
        groups
    }

    /// The images to plan again for "retry failed": every one not applied.
    pub fn retry_targets(&self) -> Vec<Image> {
        self.items
            .iter()
            .filter(|i| !i.applied())
            .map(|i| Image::clone(&i.before))
            .collect()
    }

    /// "batch b-…: 497 applied, 2 failed, 1 not attempted in 52 s".
    pub fn headline(&self) -> String {
        let mut line = format!(
            "batch {}: {} applied, {} failed",
            self.batch,
            self.applied(),
            self.failed()
        );
        let skipped = self.not_attempted();
        if skipped > 0 {
            line.push_str(&format!(", {skipped} not attempted"));
        }
        line.push_str(&format!(" in {}", words_for(self.elapsed)));
        if let Some(stop) = self.stopped {
            line.push_str(&format!(" (stopped: {})", stop.code()));
        }
        if let Some(why) = &self.gave_up {
            line.push_str(&format!(" (stopped: {why})"));
        }
        line
    }

    /// One line per failure code: "Throttling × 2: m-1, m-7".
    pub fn group_lines(&self) -> Vec<String> {
        self.by_code()
            .into_iter()
            .map(|(code, items)| {
                let ids: Vec<&str> = items
                    .iter()
                    .take(6)
                    .map(|i| i.before.image_id.as_str())
                    .collect();
                let more = if items.len() > 6 { ", …" } else { "" };
                format!("{code} × {}: {}{more}", items.len(), ids.join(", "))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::change::Applied;
    use crate::ecs::error::ApiError;

    fn item(id: &str, outcome: ItemOutcome) -> BatchItem {
        BatchItem {
            before: Image {
                image_id: id.into(),
                ..Image::default()
            }
            .into(),
            diff: Vec::new(),
            outcome,
            attempts: 1,
        }
    }

    #[test]
    fn the_report_groups_failures_by_code_and_retries_only_those() {
        let ok = ItemOutcome::Applied(Applied {
            request_id: "R-1".into(),
            after: None,
            verified: true,
            dry_run: false,
            journal_error: None,
            reread_failed: None,
        });
        let refused = |code: &str| {
            ItemOutcome::Failed(ApplyError::Api(ApiError::from_code(code, "no", None)))
        };
        let report = BatchReport {
            batch: "b-1".into(),
            label: "x".into(),
            items: vec![
                item("m-1", ok),
                item("m-2", refused("Forbidden.RAM")),
                item("m-3", refused("Forbidden.RAM")),
                item("m-4", ItemOutcome::NotAttempted),
            ],
            stopped: Some(Stop::Cancelled),
            gave_up: None,
            elapsed: Duration::from_secs(3),
            throttled: 0,
        };
        assert_eq!(
            report.headline(),
            "batch b-1: 1 applied, 2 failed, 1 not attempted in 3 s (stopped: Cancelled)"
        );
        assert_eq!(
            report.group_lines(),
            ["Forbidden.RAM × 2: m-2, m-3", "NotAttempted × 1: m-4"]
        );
        let retry: Vec<String> = report
            .retry_targets()
            .into_iter()
            .map(|i| i.image_id)
            .collect();
        assert_eq!(retry, ["m-2", "m-3", "m-4"]);
        assert_eq!(report.items[0].request_id(), Some("R-1"));
    }

    #[test]
    fn progress_says_done_failed_left_rate_and_eta() {
        let p = Progress {
            total: 100,
            done: 38,
            failed: 2,
            in_flight: 4,
            elapsed: Duration::from_secs(4),
            rate: Some(10.0),
            throttled: 1,
            stopping: false,
        };
        assert_eq!(
            p.line(),
            "38/100 done · 2 failed · 60 left · 10.0/s · limit 10.0/s · throttled 1× · ETA 6 s"
        );
        assert!((p.ratio() - 0.4).abs() < 1e-9);
    }
}

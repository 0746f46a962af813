//! A plan of many images, run as one batch: at most `concurrency` images at once, each
//! send paced by the [`Limiter`], each image through the same path as a single change
//! (intent journaled, sent, one re-read, settled) with the batch's ID on its entries.
//!
//! Throttling slows the limiter and the image is sent again later, instead of failing
//! the batch; so is an image whose answer was lost when a re-read shows ECS did not act,
//! or when ECS answered the re-read with "not now" (a change sets values: sending it again
//! is safe).
//! The batch's own client does not retry, so every attempt passes the limiter. Esc
//! (`Stop::Cancelled`) stops sending new images and lets the ones in flight finish —
//! nothing is half-sent; a quit or a signal stops the ones in flight too, each settled
//! with its one re-read. When [`SILENT_IN_A_ROW`] images in a row got no answer at all
//! (their send and their re-read), the batch stops sending by itself and says why: an
//! endpoint that went silent would otherwise cost every remaining image its timeouts.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;

use crate::change::{
    ApplyError, ApplyMode, BatchItem, BatchReport, ItemOutcome, Landed, Plan, PlanItem, Progress,
};
use crate::ecs::client::clock;
use crate::ecs::error::{classify as kind_of, ErrorKind};
use crate::session::Session;

use super::limiter::Limiter;
use super::{run_item_via, stop_channel, StopSignal};

/// How a batch runs.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchSettings {
    /// Images in flight at once (at least 1).
    pub concurrency: usize,
    /// Calls a second at most; `None` turns the limiter off.
    pub rate: Option<f64>,
    /// Times one image may be sent (Throttling and answers lost before ECS acted).
    pub max_attempts: u32,
}

impl Default for BatchSettings {
    /// 4 at once, 10 calls a second, 8 attempts.
    fn default() -> Self {
        BatchSettings {
            concurrency: 4,
            rate: Some(10.0),
            max_attempts: 8,
        }
    }
}

/// A new batch ID: `b-` + the UTC time + a random suffix.
pub fn new_batch_id() -> String {
    format!(
        "b-{}-{:06x}",
        clock::timestamp(0).replace([':', '-'], ""),
        fastrand::u32(..0x100_0000)
    )
}

/// Images in a row that got no answer at all before the batch stops sending new ones.
pub const SILENT_IN_A_ROW: usize = 3;

struct Shared {
    queue: VecDeque<(usize, u32)>,
    /// Images ended in a row without any answer from the endpoint.
    silent: usize,
    /// Set once `silent` reached [`SILENT_IN_A_ROW`]: why no more images are sent.
    gave_up: Option<String>,
    results: Vec<Option<(ItemOutcome, u32)>>,
    progress: Progress,
    limiter: Option<Limiter>,
}

/// Runs `plan` as a batch (its `batch` ID, or a new one); `progress` hears after every
/// image that ends and every change of pace. One item per plan item, in plan order. The
/// plan is taken: its items move into the report, so a batch of thousands holds each image
/// once.
pub async fn run_batch(
    session: &Session,
    plan: Plan,
    settings: &BatchSettings,
    source: &str,
    stop: &mut StopSignal,
    progress: impl Fn(&Progress) + Send + Sync + 'static,
) -> BatchReport {
    let batch = plan.batch.clone().unwrap_or_else(new_batch_id);
    let started = Instant::now();
    let items: Arc<Vec<PlanItem>> = Arc::new(plan.items);
    let shared = Arc::new(Mutex::new(Shared {
        queue: (0..items.len()).map(|i| (i, 0)).collect(),
        silent: 0,
        gave_up: None,
        results: vec![None; items.len()],
        progress: Progress {
            total: items.len(),
            rate: settings.rate,
            ..Progress::default()
        },
        limiter: settings.rate.map(Limiter::new),
    }));
    let progress: Arc<dyn Fn(&Progress) + Send + Sync> = Arc::new(progress);
    // In-flight images are stopped only when the process is ending.
    let (hard, hard_signal) = stop_channel();
    let mut outer = stop.clone();
    let forward = tokio::spawn(async move {
        let why = outer.stopped().await;
        if why.ending() {
            hard.stop(why);
        }
    });
    let sender = session.client.with_max_retries(0);
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..settings.concurrency.max(1) {
        let worker = Worker {
            session: session.clone(),
            sender: sender.clone(),
            items: items.clone(),
            shared: shared.clone(),
            progress: progress.clone(),
            batch: batch.clone(),
            source: source.to_string(),
            drain: stop.clone(),
            hard: hard_signal.clone(),
            started,
            max_attempts: settings.max_attempts.max(1),
        };
        workers.spawn(worker.run());
    }
    while workers.join_next().await.is_some() {}
    forward.abort();
    let mut shared = lock(&shared);
    let throttled = shared.progress.throttled;
    let gave_up = shared.gave_up.take();
    let results = std::mem::take(&mut shared.results);
    drop(shared);
    // Every worker has ended: the items are no longer shared.
    let items = Arc::try_unwrap(items).unwrap_or_else(|shared| shared.as_ref().clone());
    BatchReport {
        batch,
        label: String::new(),
        items: items
            .into_iter()
            .zip(results)
            .map(|(item, result)| {
                let (outcome, attempts) = result.unwrap_or((ItemOutcome::NotAttempted, 0));
                BatchItem {
                    before: item.before,
                    diff: item.diff,
                    outcome,
                    attempts,
                }
            })
            .collect(),
        stopped: stop.reason(),
        gave_up,
        elapsed: started.elapsed(),
        throttled,
    }
}

struct Worker {
    session: Session,
    sender: crate::ecs::client::EcsClient,
    items: Arc<Vec<PlanItem>>,
    shared: Arc<Mutex<Shared>>,
    progress: Arc<dyn Fn(&Progress) + Send + Sync>,
    batch: String,
    source: String,
    drain: StopSignal,
    hard: StopSignal,
    started: Instant,
    max_attempts: u32,
}

/// What to do with an image after one attempt.
enum Next {
    Done,
    /// Send it again later; Throttling also slows the limiter.
    Again {
        throttled: bool,
    },
}

impl Worker {
    async fn run(mut self) {
        loop {
            if self.drain.reason().is_some() || lock(&self.shared).gave_up.is_some() {
                return self.stopping();
            }
            let Some((index, attempts)) = lock(&self.shared).queue.pop_front() else {
                return;
            };
            if !self.paced().await {
                lock(&self.shared).queue.push_front((index, attempts));
                return self.stopping();
            }
            self.report(|p| p.in_flight += 1);
            let outcome = run_item_via(
                &self.session,
                &self.sender,
                &self.items[index],
                Some(self.batch.clone()),
                ApplyMode::Send,
                &self.source,
                &mut self.hard,
            )
            .await;
            let attempts = attempts + 1;
            let next = classify(&outcome);
            let elapsed = self.started.elapsed();
            let (snapshot, throttled_without_limiter) = {
                let mut shared = lock(&self.shared);
                shared.progress.in_flight -= 1;
                match next {
                    Next::Again { throttled } if attempts < self.max_attempts => {
                        if throttled {
                            shared.progress.throttled += 1;
                            if let Some(l) = &mut shared.limiter {
                                l.throttled(elapsed);
                            }
                        }
                        shared.queue.push_back((index, attempts));
                    }
                    _ => {
                        if let ItemOutcome::Applied(_) = &outcome {
                            shared.progress.done += 1;
                            if let Some(l) = &mut shared.limiter {
                                l.accepted();
                            }
                        } else {
                            shared.progress.failed += 1;
                        }
                        shared.silent = if no_answer(&outcome) {
                            shared.silent + 1
                        } else {
                            0
                        };
                        if shared.silent >= SILENT_IN_A_ROW && shared.gave_up.is_none() {
                            shared.gave_up = Some(format!(
                                "{SILENT_IN_A_ROW} images in a row got no answer from the \
                                 endpoint; nothing more was sent"
                            ));
                        }
                        shared.results[index] = Some((outcome, attempts));
                    }
                }
                shared.progress.rate = shared.limiter.as_ref().map(Limiter::rate);
                shared.progress.elapsed = elapsed;
                let snapshot = shared.progress.clone();
                let throttled_without_limiter =
                    matches!(next, Next::Again { throttled: true }) && shared.limiter.is_none();
                (snapshot, throttled_without_limiter)
            };
            (self.progress)(&snapshot);
            if throttled_without_limiter {
                // No limiter to slow: back off here, so a throttled account is not hammered.
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
        }
    }

    /// Waits for the limiter's token; `false` when the batch is stopped meanwhile.
    async fn paced(&mut self) -> bool {
        loop {
            let now = self.started.elapsed();
            let wait = lock(&self.shared)
                .limiter
                .as_mut()
                .and_then(|l| l.take(now).err());
            let Some(wait) = wait else { return true };
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = self.drain.stopped() => return false,
            }
        }
    }

    fn stopping(&self) {
        self.report(|p| p.stopping = true);
    }

    fn report(&self, change: impl FnOnce(&mut Progress)) {
        let snapshot = {
            let mut shared = lock(&self.shared);
            change(&mut shared.progress);
            shared.progress.elapsed = self.started.elapsed();
            shared.progress.clone()
        };
        (self.progress)(&snapshot);
    }
}

/// Throttling was refused before ECS acted; a lost answer whose re-read shows the old
/// values did not act either: both are safe to send again. So is a lost answer whose
/// re-read ECS answered with "not now" (throttled, or a 5xx): a change sets values, so
/// sending it again leaves what one send would, and that attempt's own re-read settles it
/// (giving up there left an image "may have been applied" for a busy moment). A re-read
/// that got no answer at all is final: the endpoint may be gone, and it is said so.
fn classify(outcome: &ItemOutcome) -> Next {
    match outcome {
        ItemOutcome::Failed(ApplyError::Api(e)) if e.kind == ErrorKind::Throttled => {
            Next::Again { throttled: true }
        }
        ItemOutcome::Failed(ApplyError::Lost {
            error,
            landed: Landed::No,
        }) if error.is_retryable() => Next::Again {
            throttled: error.kind == ErrorKind::Throttled,
        },
        ItemOutcome::Failed(ApplyError::Lost {
            error,
            landed: Landed::Unknown(reread),
        }) if error.is_retryable() => match kind_of(reread, None) {
            ErrorKind::Throttled => Next::Again { throttled: true },
            ErrorKind::Server => Next::Again {
                throttled: error.kind == ErrorKind::Throttled,
            },
            _ => Next::Done,
        },
        _ => Next::Done,
    }
}

/// The image ended without any answer from the endpoint: its send failed before an
/// answer (refused, reset, timed out), and so did the re-read that would have settled it.
fn no_answer(outcome: &ItemOutcome) -> bool {
    let silent = |code: &str| code == "Transport" || code == "Timeout";
    match outcome {
        ItemOutcome::Failed(ApplyError::Api(e)) => e.kind == ErrorKind::Transport,
        ItemOutcome::Failed(ApplyError::Lost {
            error,
            landed: Landed::Unknown(reread),
        }) => error.kind == ErrorKind::Transport && silent(reread),
        _ => false,
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

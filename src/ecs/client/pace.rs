//! How many pages of a listing to ask for at once, decided by what the answers say: a small
//! state machine, pure (the times it judges come in as arguments), so every rule has a test.
//!
//! - It starts at [`START`] requests in flight and grows while answers come back about as
//!   fast as the fastest one seen: one more for each such answer at first (the window
//!   doubles each round trip), then one more per round once it has backed off.
//! - It backs off by half on the Throttling family of codes, and by a third when answers
//!   slow down (their smoothed latency over twice the fastest): the server is queueing.
//!   After backing off it waits for the requests already in flight to come back before
//!   judging again, so one slow round is not punished once per request.
//! - It never goes above the ceiling (the config's `page_concurrency`) or below one.
//!
//! [`Budget`] keeps a listing within ECS's published rate (1,000 calls per API per 60 s):
//! bursts are fine, but never more than that many calls in any 60 s.

use std::collections::VecDeque;
use std::time::Duration;

/// Requests in flight once page 1 has said how many pages there are: half the default
/// ceiling, so a listing of a few dozen pages reaches the ceiling in one round trip.
pub const START: usize = 8;
/// The default ceiling.
pub const DEFAULT_CEILING: usize = 16;

/// What came back of one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Answered after `latency`, with no retry (a retried answer says nothing about the
    /// server's pace, only about the backoff's).
    Answered(Duration),
    /// Answered after one or more retries, or failed for good.
    Other,
}

/// The concurrency controller of one listing.
#[derive(Debug, Clone, PartialEq)]
pub struct Pacer {
    ceiling: usize,
    /// Allowed in flight; fractional so growth after a back-off is one per round.
    window: f64,
    slow_start: bool,
    /// The fastest answer seen.
    fastest: Option<Duration>,
    /// Smoothed latency (exponentially weighted, a quarter per sample).
    smoothed: Option<Duration>,
    in_flight: usize,
    /// Answers to let pass before backing off again.
    settling: usize,
}

impl Pacer {
    pub fn new(ceiling: usize) -> Pacer {
        let ceiling = ceiling.max(1);
        Pacer {
            ceiling,
            window: START.min(ceiling) as f64,
            slow_start: true,
            fastest: None,
            smoothed: None,
            in_flight: 0,
            settling: 0,
        }
    }

    /// Requests allowed in flight now.
    pub fn limit(&self) -> usize {
        (self.window.floor() as usize).clamp(1, self.ceiling)
    }

    pub fn in_flight(&self) -> usize {
        self.in_flight
    }

    /// Another request may start.
    pub fn may_start(&self) -> bool {
        self.in_flight < self.limit()
    }

    pub fn started(&mut self) {
        self.in_flight += 1;
    }

    /// A request in flight was throttled (it is being retried, so it stays in flight).
    pub fn throttled(&mut self) {
        self.back_off(0.5);
    }

    /// A request came back.
    pub fn finished(&mut self, outcome: Outcome) {
        self.in_flight = self.in_flight.saturating_sub(1);
        let settling = self.settling > 0;
        self.settling = self.settling.saturating_sub(1);
        let Outcome::Answered(latency) = outcome else {
            return;
        };
        let fastest = self.fastest.map_or(latency, |f| f.min(latency));
        self.fastest = Some(fastest);
        let smoothed = match self.smoothed {
            None => latency,
            Some(s) => (s * 3 + latency) / 4,
        };
        self.smoothed = Some(smoothed);
        if settling {
            return;
        }
        // A few milliseconds of slack: on loopback the fastest answer takes almost nothing
        // and any noise would otherwise read as a doubling.
        let slack = Duration::from_millis(5);
        if smoothed > fastest * 2 + slack {
            self.back_off(2.0 / 3.0);
        } else if latency <= fastest + fastest / 2 + slack {
            self.grow();
        }
    }

    fn grow(&mut self) {
        let step = if self.slow_start {
            1.0
        } else {
            1.0 / self.window
        };
        self.window = (self.window + step).min(self.ceiling as f64);
    }

    fn back_off(&mut self, factor: f64) {
        if self.settling > 0 {
            return;
        }
        self.slow_start = false;
        self.window = (self.window * factor).max(1.0);
        self.settling = self.in_flight;
    }
}

/// ECS's published rate for DescribeImages (and ModifyImageAttribute): per API and region.
pub const RATE_LIMIT: usize = 1000;
pub const RATE_WINDOW: Duration = Duration::from_secs(60);

/// The calls of one API in one region over the last window; `now` is any monotonic clock
/// read by the caller, as a duration since a fixed start.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Budget {
    calls: VecDeque<Duration>,
}

impl Budget {
    /// How long to wait before the next call may go, with `limit` calls per `window`.
    pub fn wait(&mut self, now: Duration, limit: usize, window: Duration) -> Duration {
        while self
            .calls
            .front()
            .is_some_and(|t| now.saturating_sub(*t) >= window)
        {
            self.calls.pop_front();
        }
        if self.calls.len() < limit.max(1) {
            return Duration::ZERO;
        }
        let oldest = self.calls[self.calls.len() - limit.max(1)];
        (oldest + window).saturating_sub(now)
    }

    /// A call went at `now`.
    pub fn record(&mut self, now: Duration) {
        self.calls.push_back(now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    /// Runs one round: starts as many as allowed, answers them all after `latency`.
    fn round(p: &mut Pacer, latency: Duration) -> usize {
        let mut n = 0;
        while p.may_start() {
            p.started();
            n += 1;
        }
        for _ in 0..n {
            p.finished(Outcome::Answered(latency));
        }
        n
    }

    #[test]
    fn grows_while_latency_holds_up_to_the_ceiling() {
        let mut p = Pacer::new(16);
        let rounds: Vec<usize> = (0..4).map(|_| round(&mut p, 50 * MS)).collect();
        assert_eq!(rounds, [8, 16, 16, 16]);
        let mut small = Pacer::new(2);
        assert_eq!(round(&mut small, 50 * MS), 2);
        assert_eq!(round(&mut small, 50 * MS), 2);
    }

    #[test]
    fn throttling_halves_once_per_round_and_growth_is_slow_after() {
        let mut p = Pacer::new(16);
        round(&mut p, 50 * MS);
        assert_eq!(p.limit(), 16);
        for _ in 0..16 {
            p.started();
        }
        // Every request in flight hears Throttling: that is one signal, not sixteen.
        for _ in 0..16 {
            p.throttled();
        }
        assert_eq!(p.limit(), 8);
        for _ in 0..16 {
            p.finished(Outcome::Other);
        }
        // Now one more per round, not double.
        assert_eq!(round(&mut p, 50 * MS), 8);
        assert_eq!(p.limit(), 8);
        assert_eq!(round(&mut p, 50 * MS), 8);
        assert_eq!(p.limit(), 9);
    }

    #[test]
    fn rising_latency_backs_off_and_it_never_goes_below_one() {
        let mut p = Pacer::new(16);
        round(&mut p, 50 * MS);
        assert_eq!(p.limit(), 16);
        // The server starts queueing: answers take four times as long.
        for _ in 0..3 {
            round(&mut p, 200 * MS);
        }
        assert!(p.limit() < 16, "{}", p.limit());
        for _ in 0..20 {
            round(&mut p, 2000 * MS);
        }
        assert_eq!(p.limit(), 1);
        for _ in 0..10 {
            p.started();
            p.throttled();
            p.finished(Outcome::Other);
        }
        assert_eq!(p.limit(), 1);
    }

    #[test]
    fn a_retried_answer_does_not_count_as_the_servers_pace() {
        let mut p = Pacer::new(16);
        p.started();
        p.finished(Outcome::Other);
        assert_eq!(p.limit(), START);
        assert_eq!(p.in_flight(), 0);
    }

    #[test]
    fn the_budget_allows_bursts_but_not_more_than_the_rate() {
        let mut b = Budget::default();
        let window = Duration::from_secs(60);
        for i in 0..3 {
            assert_eq!(b.wait(i * MS, 3, window), Duration::ZERO);
            b.record(i * MS);
        }
        // A fourth call within the minute waits until the first is a minute old.
        assert_eq!(b.wait(10 * MS, 3, window), window - 10 * MS);
        assert_eq!(b.wait(window, 3, window), Duration::ZERO);
    }
}

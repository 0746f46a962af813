//! Faults on demand: latency, server errors, throttling, resets, damaged and slow bodies.
//!
//! Faults apply to RPC requests only (not to the metadata paths). Randomness comes from a
//! seeded generator, so a test that sets a rate and a seed sees the same faults every run;
//! [`Faults::fail_next`] queues exact faults for tests that need no randomness at all.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// One fault injected into one RPC response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// HTTP 503 `ServiceUnavailable`; the request is not processed.
    ServiceUnavailable,
    /// HTTP 500 `InternalError`; the request is not processed.
    InternalError,
    /// HTTP 400 `Throttling`; the request is not processed.
    Throttling,
    /// The request IS processed, then the response is cut off halfway and the connection
    /// reset: the client cannot know whether a change was applied.
    Reset,
    /// The request is processed, then answered 200 with its JSON cut in half.
    Truncated,
    /// The request is processed, then answered 200 with a body that is not JSON.
    Malformed,
    /// HTTP 502 with an HTML page, as a proxy answers when it cannot reach ECS; the request
    /// is not processed.
    BadGateway,
    /// The request is processed, then answered 200 with an empty body.
    EmptyOk,
    /// The request is processed, then answered 200 with a 50 MB body (a proxy's download, a
    /// wrong endpoint): more than a client should read.
    Huge,
    /// The request is processed, then the answer is held for [`HELD_ANSWER`]: past any
    /// read timeout, so the client gives up on a change that was made.
    HeldAnswer,
}

/// How long [`Fault::HeldAnswer`] holds an answer.
pub const HELD_ANSWER: Duration = Duration::from_secs(30);

impl Fault {
    /// Whether the fault replaces the answer before the request is processed.
    pub fn before_processing(self) -> bool {
        matches!(
            self,
            Fault::ServiceUnavailable
                | Fault::InternalError
                | Fault::Throttling
                | Fault::BadGateway
        )
    }
}

/// The fault settings; every field at its default means "no faults".
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FaultSettings {
    /// Added to every RPC response.
    pub latency: Duration,
    /// A random extra delay between zero and this.
    pub jitter: Duration,
    /// Fraction (0–1) of requests answered 503 `ServiceUnavailable` or 500 `InternalError`.
    pub error_rate: f64,
    /// Every Nth RPC request is answered `Throttling` (0 = never).
    pub throttle_every: u64,
    /// Fraction of responses cut off mid-body with a connection reset.
    pub reset_rate: f64,
    /// Fraction of responses whose body is truncated JSON or not JSON at all.
    pub malformed_rate: f64,
    /// Trickle every body over this long (zero = send at once).
    pub slow_body: Duration,
    /// Every RPC request gets this fault (after the queue of [`Faults::fail_next`]).
    pub always: Option<Fault>,
}

/// What to do to one request, decided when it arrives.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub delay: Duration,
    pub fault: Option<Fault>,
    pub slow_body: Option<Duration>,
}

/// The faults of a running simulator; change them at any time (interior mutability).
#[derive(Debug)]
pub struct Faults {
    settings: Mutex<FaultSettings>,
    queue: Mutex<VecDeque<Fault>>,
    rng: Mutex<fastrand::Rng>,
    calls: AtomicU64,
    injected: AtomicU64,
}

impl Faults {
    pub fn new(settings: FaultSettings, seed: u64) -> Faults {
        Faults {
            settings: Mutex::new(settings),
            queue: Mutex::new(VecDeque::new()),
            rng: Mutex::new(fastrand::Rng::with_seed(seed)),
            calls: AtomicU64::new(0),
            injected: AtomicU64::new(0),
        }
    }

    pub fn settings(&self) -> FaultSettings {
        lock(&self.settings).clone()
    }

    /// Replaces every setting at once.
    pub fn set(&self, settings: FaultSettings) {
        *lock(&self.settings) = settings;
    }

    /// Changes some settings: `faults.update(|s| s.error_rate = 0.5)`.
    pub fn update(&self, change: impl FnOnce(&mut FaultSettings)) {
        change(&mut lock(&self.settings));
    }

    /// No more faults: default settings and an empty queue.
    pub fn clear(&self) {
        self.set(FaultSettings::default());
        lock(&self.queue).clear();
    }

    pub fn set_latency(&self, latency: Duration, jitter: Duration) {
        self.update(|s| {
            s.latency = latency;
            s.jitter = jitter;
        });
    }

    pub fn set_error_rate(&self, rate: f64) {
        self.update(|s| s.error_rate = rate);
    }

    pub fn set_throttle_every(&self, n: u64) {
        self.update(|s| s.throttle_every = n);
    }

    pub fn set_reset_rate(&self, rate: f64) {
        self.update(|s| s.reset_rate = rate);
    }

    pub fn set_malformed_rate(&self, rate: f64) {
        self.update(|s| s.malformed_rate = rate);
    }

    pub fn set_slow_body(&self, total: Duration) {
        self.update(|s| s.slow_body = total);
    }

    /// The next `n` RPC requests get `fault`, before any rate is considered.
    pub fn fail_next(&self, n: usize, fault: Fault) {
        lock(&self.queue).extend(std::iter::repeat_n(fault, n));
    }

    /// Restarts the random sequence from `seed`.
    pub fn reseed(&self, seed: u64) {
        lock(&self.rng).seed(seed);
    }

    /// How many RPC requests have arrived so far, counted on arrival (before any latency):
    /// a test can tell that a request is being held.
    pub fn calls(&self) -> u64 {
        self.calls.load(Ordering::SeqCst)
    }

    /// How many faults have been injected so far.
    pub fn injected(&self) -> u64 {
        self.injected.load(Ordering::SeqCst)
    }

    /// Decides the fate of the next RPC request.
    pub(crate) fn plan(&self) -> Plan {
        let call = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
        let s = self.settings();
        let mut rng = lock(&self.rng);
        let jitter_ms = s.jitter.as_millis() as u64;
        let delay = s.latency
            + Duration::from_millis(if jitter_ms > 0 {
                rng.u64(..=jitter_ms)
            } else {
                0
            });
        let queued = lock(&self.queue).pop_front();
        let fault = queued.or(s.always).or_else(|| {
            if s.throttle_every > 0 && call % s.throttle_every == 0 {
                return Some(Fault::Throttling);
            }
            if s.error_rate > 0.0 && rng.f64() < s.error_rate {
                return Some(if rng.bool() {
                    Fault::ServiceUnavailable
                } else {
                    Fault::InternalError
                });
            }
            if s.reset_rate > 0.0 && rng.f64() < s.reset_rate {
                return Some(Fault::Reset);
            }
            if s.malformed_rate > 0.0 && rng.f64() < s.malformed_rate {
                return Some(if rng.bool() {
                    Fault::Truncated
                } else {
                    Fault::Malformed
                });
            }
            None
        });
        if fault.is_some() {
            self.injected.fetch_add(1, Ordering::SeqCst);
        }
        Plan {
            delay,
            fault,
            slow_body: (!s.slow_body.is_zero()).then_some(s.slow_body),
        }
    }
}

/// Locks a mutex, recovering the data if a panicking holder poisoned it.
pub(crate) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queued_faults_come_first_then_nothing() {
        let faults = Faults::new(FaultSettings::default(), 1);
        faults.fail_next(2, Fault::Reset);
        assert_eq!(faults.plan().fault, Some(Fault::Reset));
        assert_eq!(faults.plan().fault, Some(Fault::Reset));
        assert_eq!(faults.plan().fault, None);
        assert_eq!(faults.injected(), 2);
    }

    #[test]
    fn throttle_every_nth_call() {
        let faults = Faults::new(FaultSettings::default(), 1);
        faults.set_throttle_every(3);
        let got: Vec<bool> = (0..6).map(|_| faults.plan().fault.is_some()).collect();
        assert_eq!(got, vec![false, false, true, false, false, true]);
    }

    #[test]
    fn same_seed_same_faults() {
        let run = || {
            let faults = Faults::new(
                FaultSettings {
                    error_rate: 0.3,
                    malformed_rate: 0.3,
                    ..FaultSettings::default()
                },
                42,
            );
            (0..50).map(|_| faults.plan().fault).collect::<Vec<_>>()
        };
        let a = run();
        assert_eq!(a, run());
        assert!(a.iter().any(Option::is_some) && a.iter().any(Option::is_none));
    }

    #[test]
    fn rate_one_always_fails() {
        let faults = Faults::new(FaultSettings::default(), 7);
        faults.set_error_rate(1.0);
        assert!((0..20).all(|_| faults.plan().fault.is_some_and(Fault::before_processing)));
    }
}

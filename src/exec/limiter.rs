//! The client-side rate of a batch: a token bucket whose rate an AIMD controller sets —
//! halved when ECS answers Throttling (the quota is shared with everything else in the
//! account), raised a step with each accepted call, never above the configured rate.
//! Pure: the time is passed in as the duration since the batch started, never read.

use std::time::Duration;

/// The slowest a throttled batch goes: one call every ten seconds.
pub const FLOOR: f64 = 0.1;

/// A token bucket of one token (calls are paced evenly, no bursts) with an AIMD rate.
#[derive(Debug, Clone, PartialEq)]
pub struct Limiter {
    /// The configured rate, calls a second: the rate is never raised above it.
    ceiling: f64,
    rate: f64,
    /// Tokens now, at most one.
    tokens: f64,
    /// When `tokens` was last brought up to date.
    at: Duration,
    /// When the rate was last halved: Throttling answers to calls that were already out
    /// say nothing new, so one cut per interval at the new rate.
    cut_at: Option<Duration>,
}

impl Limiter {
    /// A bucket at `rate` calls a second (at least [`FLOOR`]), with one token ready.
    pub fn new(rate: f64) -> Limiter {
        let rate = rate.max(FLOOR);
        Limiter {
            ceiling: rate,
            rate,
            tokens: 1.0,
            at: Duration::ZERO,
            cut_at: None,
        }
    }

    /// The rate now, calls a second.
    pub fn rate(&self) -> f64 {
        self.rate
    }

    fn refill(&mut self, now: Duration) {
        if now > self.at {
            let elapsed = (now - self.at).as_secs_f64();
            self.tokens = (self.tokens + elapsed * self.rate).min(1.0);
            self.at = now;
        }
    }

    /// Takes a token at `now`, or says how long until one is there.
    pub fn take(&mut self, now: Duration) -> Result<(), Duration> {
        self.refill(now);
        if self.tokens >= 1.0 - 1e-9 {
            self.tokens -= 1.0;
            return Ok(());
        }
        Err(Duration::from_secs_f64((1.0 - self.tokens) / self.rate))
    }

    /// ECS answered Throttling at `now`: halve the rate (down to [`FLOOR`]) and empty
    /// the bucket, once per interval at the new rate.
    pub fn throttled(&mut self, now: Duration) {
        self.refill(now);
        let recent = self
            .cut_at
            .is_some_and(|at| now.saturating_sub(at).as_secs_f64() < 1.0 / self.rate);
        if recent {
            return;
        }
        self.rate = (self.rate / 2.0).max(FLOOR);
        self.tokens = 0.0;
        self.cut_at = Some(now);
    }

    /// ECS accepted a call: raise the rate by a twentieth of the ceiling.
    pub fn accepted(&mut self) {
        self.rate = (self.rate + self.ceiling / 20.0).min(self.ceiling);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn calls_are_paced_at_the_rate() {
        let mut l = Limiter::new(10.0);
        assert_eq!(l.take(ms(0)), Ok(()));
        let wait = l.take(ms(0)).unwrap_err();
        assert!((wait.as_secs_f64() - 0.1).abs() < 1e-9, "{wait:?}");
        assert!(l.take(ms(50)).is_err());
        assert_eq!(l.take(ms(100)), Ok(()));
        // A pause does not bank a burst: one token at most.
        assert_eq!(l.take(ms(5000)), Ok(()));
        assert!(l.take(ms(5000)).is_err());
    }

    #[test]
    fn throttling_halves_the_rate_once_per_interval_and_success_climbs_back() {
        let mut l = Limiter::new(10.0);
        l.throttled(ms(0));
        assert_eq!(l.rate(), 5.0);
        l.throttled(ms(100));
        assert_eq!(l.rate(), 5.0, "answers to calls already out cut once");
        l.throttled(ms(250));
        assert_eq!(l.rate(), 2.5);
        let wait = l.take(ms(250)).unwrap_err();
        assert!((wait.as_secs_f64() - 0.4).abs() < 1e-9, "{wait:?}");
        for _ in 0..3 {
            l.accepted();
        }
        assert_eq!(l.rate(), 4.0);
        for _ in 0..100 {
            l.accepted();
        }
        assert_eq!(l.rate(), 10.0, "never above the configured rate");
    }

    #[test]
    fn the_rate_never_falls_below_the_floor() {
        let mut l = Limiter::new(1.0);
        for s in 0..100 {
            l.throttled(Duration::from_secs(s * 20));
        }
        assert_eq!(l.rate(), FLOOR);
    }
}

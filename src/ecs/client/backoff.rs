//! How long to wait before the next attempt: exponential, jittered, capped; a server's
//! `x-acs-retry-after` wins, with up to a quarter more on top (never sooner than asked),
//! so calls throttled together do not all come back in the same instant.

use std::time::Duration;

/// The longest wait between attempts.
pub const MAX_DELAY: Duration = Duration::from_secs(20);
/// The longest `x-acs-retry-after` honoured (as the aliyun CLI caps it).
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// The wait before retry number `retry` (0-based). Throttling backs off harder, as the
/// official SDK does. `unit` in [0, 1) supplies the jitter.
pub fn delay(base: Duration, retry: u32, throttled: bool, unit: f64) -> Duration {
    let factor = if throttled { 5 } else { 1 };
    let full = base
        .saturating_mul(factor)
        .saturating_mul(1u32 << retry.min(16))
        .min(MAX_DELAY);
    // Half fixed, half random: spreads clients that failed together.
    full / 2 + full.mul_f64(unit.clamp(0.0, 1.0) / 2.0)
}

/// `x-acs-retry-after` is in milliseconds.
pub fn retry_after(header: Option<&str>) -> Option<Duration> {
    let ms: u64 = header?.trim().parse().ok()?;
    Some(Duration::from_millis(ms).min(MAX_RETRY_AFTER))
}

/// The wait a server asked for, and up to a quarter more from `unit` in [0, 1).
pub fn after_asked(asked: Duration, unit: f64) -> Duration {
    asked + asked.mul_f64(unit.clamp(0.0, 1.0) / 4.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_asked_wait_is_kept_and_spread_by_up_to_a_quarter() {
        let asked = Duration::from_millis(1000);
        assert_eq!(after_asked(asked, 0.0), asked);
        assert_eq!(after_asked(asked, 0.5), Duration::from_millis(1125));
        assert!(after_asked(asked, 0.999_999) < Duration::from_millis(1250));
        assert_eq!(after_asked(asked, 7.0), Duration::from_millis(1250));
    }

    #[test]
    fn doubles_with_jitter_and_caps() {
        let base = Duration::from_millis(100);
        assert_eq!(delay(base, 0, false, 0.0), Duration::from_millis(50));
        assert_eq!(delay(base, 0, false, 0.999_999).as_millis(), 99);
        assert_eq!(delay(base, 2, false, 0.0), Duration::from_millis(200));
        assert_eq!(delay(base, 0, true, 0.0), Duration::from_millis(250));
        assert_eq!(delay(base, 30, false, 0.0), MAX_DELAY / 2);
    }

    #[test]
    fn retry_after_is_milliseconds_capped() {
        assert_eq!(retry_after(Some("1500")), Some(Duration::from_millis(1500)));
        assert_eq!(retry_after(Some("999999")), Some(MAX_RETRY_AFTER));
        assert_eq!(retry_after(Some("soon")), None);
        assert_eq!(retry_after(None), None);
    }
}

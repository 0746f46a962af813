//! Flow control per API and region, like ECS: at most `limit` calls in a window of 60 s.
//!
//! A window starts at the first call after the previous one ended (not at a minute
//! boundary), so a test that makes a few quick calls never straddles two windows.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

use super::faults::lock;

/// The published rate of ModifyImageAttribute and DescribeImages: 1000 per 60 s.
pub const DEFAULT_LIMIT: u32 = 1000;
pub const WINDOW: Duration = Duration::from_secs(60);

#[derive(Debug)]
pub struct Throttle {
    limit: AtomicU32,
    window: Duration,
    windows: Mutex<HashMap<String, (Instant, u32)>>,
}

/// A refused call: how long until the window ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Throttled {
    pub retry_after: Duration,
    pub limit: u32,
}

impl Throttle {
    pub fn new(limit: u32, window: Duration) -> Throttle {
        Throttle {
            limit: AtomicU32::new(limit),
            window,
            windows: Mutex::new(HashMap::new()),
        }
    }

    pub fn set_limit(&self, limit: u32) {
        self.limit.store(limit, Ordering::SeqCst);
    }

    pub fn limit(&self) -> u32 {
        self.limit.load(Ordering::SeqCst)
    }

    /// Counts one call of `key` (API and region); refuses it over the limit.
    pub fn check(&self, key: &str) -> Result<(), Throttled> {
        let limit = self.limit();
        let now = Instant::now();
        let mut windows = lock(&self.windows);
        let entry = windows.entry(key.to_string()).or_insert((now, 0));
        if now.duration_since(entry.0) >= self.window {
            *entry = (now, 0);
        }
        if entry.1 >= limit {
            return Err(Throttled {
                retry_after: self.window.saturating_sub(now.duration_since(entry.0)),
                limit,
            });
        }
        entry.1 += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_over_the_limit_per_key() {
        let t = Throttle::new(2, WINDOW);
        assert!(t.check("a").is_ok());
        assert!(t.check("a").is_ok());
        let refused = t.check("a").unwrap_err();
        assert!(refused.retry_after <= WINDOW && refused.retry_after > Duration::ZERO);
        assert!(t.check("b").is_ok(), "other APIs are not affected");
    }

    #[test]
    fn a_new_window_allows_again() {
        let t = Throttle::new(1, Duration::ZERO);
        assert!(t.check("a").is_ok());
        assert!(t.check("a").is_ok());
    }
}

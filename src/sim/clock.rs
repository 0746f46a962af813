//! The simulator's clock: the host's clock shifted by an offset tests can change, so clock
//! skew can be simulated without touching the host.

use std::sync::atomic::{AtomicI64, Ordering};

use time::{Duration, OffsetDateTime};

/// The host's clock plus an adjustable offset in seconds.
#[derive(Debug, Default)]
pub struct Clock {
    offset_secs: AtomicI64,
}

impl Clock {
    pub fn new(offset_secs: i64) -> Clock {
        Clock {
            offset_secs: AtomicI64::new(offset_secs),
        }
    }

    pub fn set_offset(&self, secs: i64) {
        self.offset_secs.store(secs, Ordering::SeqCst);
    }

    pub fn offset(&self) -> i64 {
        self.offset_secs.load(Ordering::SeqCst)
    }

    /// The server's "now".
    pub fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc() + Duration::seconds(self.offset())
    }

    /// The server's "now" as Unix seconds.
    pub fn now_unix(&self) -> i64 {
        self.now().unix_timestamp()
    }
}

pub use crate::ecs::timefmt::{format_http_date, format_timestamp, parse_timestamp};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_match_the_api_and_http() {
        let t = parse_timestamp("1994-11-06T08:49:37Z").unwrap();
        assert_eq!(format_timestamp(t), "1994-11-06T08:49:37Z");
        assert_eq!(format_http_date(t), "Sun, 06 Nov 1994 08:49:37 GMT");
        assert!(parse_timestamp("mock date").is_none());
    }

    #[test]
    fn offset_moves_now() {
        let clock = Clock::new(0);
        let before = clock.now_unix();
        clock.set_offset(3600);
        assert!(clock.now_unix() >= before + 3600);
    }
}

//! The nonces the gateway has seen: a signed request may be sent once. Kept apart from the
//! checks in `auth`, because the simulator's shared state owns the book and `auth` reads
//! that state.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

use super::faults::lock;

/// Nonces seen recently, per AccessKey. A nonce is remembered for twice the clock
/// tolerance: a timestamp may be that far from the first use and still be accepted.
#[derive(Debug, Default)]
pub struct NonceBook {
    seen: Mutex<HashMap<(String, String), Instant>>,
    inserts: AtomicU64,
}

impl NonceBook {
    /// Records the nonce; `false` if it was already used within `window`.
    pub fn first_use(&self, key_id: &str, nonce: &str, window: Duration) -> bool {
        let now = Instant::now();
        let mut seen = lock(&self.seen);
        if self.inserts.fetch_add(1, Ordering::Relaxed) % 256 == 255 {
            seen.retain(|_, at| now.duration_since(*at) < window);
        }
        let key = (key_id.to_string(), nonce.to_string());
        match seen.get(&key) {
            Some(at) if now.duration_since(*at) < window => false,
            _ => {
                seen.insert(key, now);
                true
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nonce_works_once_per_key() {
        let book = NonceBook::default();
        let w = Duration::from_secs(60);
        assert!(book.first_use("k", "n1", w));
        assert!(!book.first_use("k", "n1", w));
        assert!(book.first_use("other", "n1", w));
        assert!(
            book.first_use("k", "n1", Duration::ZERO),
            "forgotten after the window"
        );
    }
}

//! What the metadata service remembers between requests: the tokens it handed out and the
//! role credentials it serves now. The simulator's shared state owns it; the handlers in
//! `metadata` read and update it.

use std::collections::HashMap;
use std::sync::Mutex;

use super::faults::lock;
use super::sts::StsKey;

#[derive(Default)]
pub struct MetadataState {
    /// Token → expiry (server-clock Unix seconds).
    tokens: Mutex<HashMap<String, i64>>,
    /// The credentials served now, and when they were minted.
    current: Mutex<Option<(StsKey, i64)>>,
}

impl std::fmt::Debug for MetadataState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MetadataState")
            .field("tokens", &lock(&self.tokens).len())
            .finish_non_exhaustive()
    }
}

impl MetadataState {
    pub fn remember_token(&self, token: String, expires_at: i64) {
        lock(&self.tokens).insert(token, expires_at);
    }

    pub fn token_valid(&self, token: &str, now: i64) -> bool {
        lock(&self.tokens)
            .get(token)
            .is_some_and(|expires| now < *expires)
    }

    /// The role's credentials and when they were minted: the same key until half of `ttl`
    /// has passed (or it expired), then a fresh one from `mint`.
    pub fn credentials(&self, now: i64, ttl: i64, mint: impl FnOnce() -> StsKey) -> (StsKey, i64) {
        let mut current = lock(&self.current);
        let fresh = current
            .as_ref()
            .is_some_and(|(key, minted)| now < minted + ttl / 2 && now < key.expires_at);
        if !fresh {
            *current = Some((mint(), now));
        }
        current.clone().expect("just minted")
    }
}

//! The AccessKeys the simulator accepts: permanent pairs from the configuration, and STS
//! keys it mints itself (AssumeRole, the metadata service, `SimHandle::issue_sts`).

use std::collections::HashMap;
use std::fmt;
use std::sync::Mutex;

use base64::Engine;

use super::faults::lock;

/// A temporary key: secret, token, and when it stops working (server-clock Unix seconds).
#[derive(Clone, PartialEq, Eq)]
pub struct StsKey {
    pub id: String,
    pub secret: String,
    pub token: String,
    pub expires_at: i64,
}

impl fmt::Debug for StsKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StsKey")
            .field("id", &self.id)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// What an AccessKey ID is.
#[derive(Clone, PartialEq, Eq)]
pub enum KeyKind {
    Permanent { secret: String },
    Sts(StsKey),
    Unknown,
}

impl fmt::Debug for KeyKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyKind::Permanent { .. } => f.write_str("Permanent"),
            KeyKind::Sts(key) => write!(f, "Sts({key:?})"),
            KeyKind::Unknown => f.write_str("Unknown"),
        }
    }
}

/// Secrets stay out of its Debug output.
#[derive(Default)]
pub struct KeyStore {
    permanent: Mutex<HashMap<String, String>>,
    sts: Mutex<HashMap<String, StsKey>>,
}

impl fmt::Debug for KeyStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyStore")
            .field("permanent", &lock(&self.permanent).len())
            .field("sts", &lock(&self.sts).len())
            .finish()
    }
}

impl KeyStore {
    pub fn add_permanent(&self, id: &str, secret: &str) {
        lock(&self.permanent).insert(id.to_string(), secret.to_string());
    }

    pub fn add_sts(&self, key: StsKey) {
        lock(&self.sts).insert(key.id.clone(), key);
    }

    pub fn lookup(&self, id: &str) -> KeyKind {
        if let Some(secret) = lock(&self.permanent).get(id) {
            return KeyKind::Permanent {
                secret: secret.clone(),
            };
        }
        match lock(&self.sts).get(id) {
            Some(key) => KeyKind::Sts(key.clone()),
            None => KeyKind::Unknown,
        }
    }

    /// Mints a new STS key valid from `now` for `ttl_secs` seconds.
    pub fn mint(&self, now: i64, ttl_secs: i64) -> StsKey {
        let key = StsKey {
            id: format!("STS.NT{}", random_alnum(25)),
            secret: random_alnum(44),
            token: new_token(),
            expires_at: now + ttl_secs,
        };
        self.add_sts(key.clone());
        key
    }
}

/// Whether `token` has the shape of an STS token (`CAIS` + base64), whoever it belongs to.
pub fn looks_like_token(token: &str) -> bool {
    token.len() > 40
        && token.starts_with("CAIS")
        && base64::engine::general_purpose::STANDARD
            .decode(&token[4..])
            .is_ok()
}

/// A token in the shape STS hands out: `CAIS` and a long base64 tail (with `+ / =`, which
/// exercises the percent-encoding of signers).
fn new_token() -> String {
    let bytes: Vec<u8> = (0..181).map(|_| fastrand::u8(..)).collect();
    format!(
        "CAIS{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}

fn random_alnum(n: usize) -> String {
    (0..n).map(|_| fastrand::alphanumeric()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minted_keys_are_found_and_well_formed() {
        let store = KeyStore::default();
        store.add_permanent("LTAI1", "s");
        let key = store.mint(1000, 3600);
        assert!(key.id.starts_with("STS."));
        assert!(looks_like_token(&key.token));
        assert_eq!(key.expires_at, 4600);
        assert_eq!(store.lookup(&key.id), KeyKind::Sts(key.clone()));
        assert!(matches!(store.lookup("LTAI1"), KeyKind::Permanent { .. }));
        assert_eq!(store.lookup("nope"), KeyKind::Unknown);
        assert!(!looks_like_token("not-a-token"));
        let shown = format!("{:?} {store:?}", store.lookup(&key.id));
        assert!(
            !shown.contains(&key.secret) && !shown.contains(&key.token),
            "{shown}"
        );
    }
}

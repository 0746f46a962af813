//! The credential chain: flags, environment, aliyun CLI profiles, STS tokens, ECS RAM role.

use std::fmt;

/// A secret value (AccessKey secret, STS token). Debug and Display never show it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The value itself, for signing only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// One usable key pair, with the STS token when the key is temporary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessKey {
    pub id: String,
    pub secret: Secret,
    pub security_token: Option<Secret>,
}

impl AccessKey {
    pub fn new(id: impl Into<String>, secret: impl Into<String>) -> AccessKey {
        AccessKey {
            id: id.into(),
            secret: Secret::new(secret),
            security_token: None,
        }
    }

    /// The AccessKey ID shortened for display: `LTAI****wxyz`.
    pub fn short_id(&self) -> String {
        let chars: Vec<char> = self.id.chars().collect();
        if chars.len() <= 8 {
            return "****".to_string();
        }
        let head: String = chars[..4].iter().collect();
        let tail: String = chars[chars.len() - 4..].iter().collect();
        format!("{head}****{tail}")
    }
}

/// Where the client gets its key for each request. Cloning is cheap.
#[derive(Clone, Debug)]
pub struct Credentials {
    source: Source,
}

#[derive(Clone, Debug)]
enum Source {
    Static(AccessKey),
}

impl Credentials {
    /// A fixed key pair (AK mode, or an STS token given as is).
    pub fn fixed(key: AccessKey) -> Credentials {
        Credentials {
            source: Source::Static(key),
        }
    }

    /// The key to sign the next request with; refreshes temporary keys shortly before
    /// they expire.
    pub async fn access_key(&self) -> Result<AccessKey, CredentialError> {
        match &self.source {
            Source::Static(key) => Ok(key.clone()),
        }
    }
}

/// Why no credentials could be had; says where ecsimg looked and what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct CredentialError(pub String);

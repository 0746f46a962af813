//! The credential chain: explicit profile, environment, aliyun CLI profiles
//! (`~/.aliyun/config.json`), the `~/.alibabacloud/credentials` INI file, STS tokens,
//! ECS RAM roles (instance metadata) and STS `AssumeRole`.
//!
//! [`resolve`] decides *where* the key comes from without touching the network;
//! [`Credentials::access_key`] fetches temporary keys lazily and caches them until
//! shortly before they expire.

use std::fmt;
use std::sync::Arc;

mod build;
mod chain;
mod cli_profile;
mod ecs_ram_role;
mod env;
mod expiring;
mod file_perms;
mod files;
mod http;
mod ini;
mod profile;
mod ram_role_arn;
mod temporary;

pub use chain::{profile_names, resolve, ResolveOptions, Resolved};
pub use env::{
    EnvSnapshot, CLI_PROFILE_DISABLED_ENV, CONFIG_FILE_ENV, CREDENTIALS_FILE_ENV, ECS_METADATA_ENV,
    METADATA_ENDPOINT_ENV, STS_ENDPOINT_ENV,
};
pub use temporary::REFRESH_MARGIN;

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

    /// The same key with an STS security token.
    pub fn with_token(mut self, token: impl Into<String>) -> AccessKey {
        self.security_token = Some(Secret::new(token));
        self
    }

    /// The AccessKey ID shortened for display: `LTAI****wxyz`.
    pub fn short_id(&self) -> String {
        super::error::shorten_key_id(&self.id)
    }
}

/// Where the client gets its key for each request. Cloning is cheap: clones share the
/// cache of a temporary key, so one refresh serves them all.
#[derive(Clone)]
pub struct Credentials {
    source: Source,
    description: Arc<str>,
}

#[derive(Clone)]
enum Source {
    Static(AccessKey),
    /// EcsRamRole or RamRoleArn: fetched on first use, refreshed near expiry.
    Temporary(Arc<temporary::Refreshing>),
}

impl Credentials {
    /// A fixed key pair (AK mode, or an STS token given as is).
    pub fn fixed(key: AccessKey) -> Credentials {
        let description = format!("fixed AccessKey {}", key.short_id());
        Credentials {
            source: Source::Static(key),
            description: description.into(),
        }
    }

    /// The same credentials, described differently (see [`Credentials::describe`]).
    pub fn with_description(mut self, description: impl Into<String>) -> Credentials {
        self.description = description.into().into();
        self
    }

    pub(crate) fn temporary(fetcher: temporary::Fetcher, description: String) -> Credentials {
        Credentials {
            source: Source::Temporary(Arc::new(temporary::Refreshing::new(fetcher))),
            description: description.into(),
        }
    }

    /// The key to sign the next request with; refreshes temporary keys shortly before
    /// they expire.
    pub async fn access_key(&self) -> Result<AccessKey, CredentialError> {
        match &self.source {
            Source::Static(key) => Ok(key.clone()),
            Source::Temporary(refreshing) => refreshing.access_key().await,
        }
    }

    /// Where the key comes from, for the header and `--verbose` output, e.g.
    /// `profile prod (AK) from ~/.aliyun/config.json`. Never contains a secret.
    pub fn describe(&self) -> String {
        self.description.to_string()
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("source", &self.description)
            .finish()
    }
}

impl fmt::Display for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.description)
    }
}

/// Why no credentials could be had; says where ecsimg looked and what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct CredentialError(pub String);

impl CredentialError {
    pub(crate) fn new(message: impl Into<String>) -> CredentialError {
        CredentialError(message.into())
    }
}

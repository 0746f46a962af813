//! Temporary keys (EcsRamRole, RamRoleArn): fetched on first use, kept until shortly
//! before they expire, shared by every clone of the [`super::Credentials`].

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use time::OffsetDateTime;
use tokio::sync::Mutex;

use super::ecs_ram_role::EcsRamRole;
use super::expiring::Temporary;
use super::ram_role_arn::RamRoleArn;
use super::{AccessKey, CredentialError};

/// A temporary key is refreshed once it has less than this left.
pub const REFRESH_MARGIN: Duration = Duration::from_secs(3 * 60);

/// Who fetches a fresh key.
pub(crate) enum Fetcher {
    EcsRamRole(EcsRamRole),
    RamRoleArn(Box<RamRoleArn>),
}

impl Fetcher {
    /// Boxed because RamRoleArn asks its source credentials first, which may themselves
    /// be temporary: the futures nest.
    fn fetch(
        &self,
    ) -> Pin<Box<dyn Future<Output = Result<Temporary, CredentialError>> + Send + '_>> {
        match self {
            Fetcher::EcsRamRole(f) => Box::pin(f.fetch()),
            Fetcher::RamRoleArn(f) => Box::pin(f.fetch()),
        }
    }
}

pub(crate) struct Refreshing {
    fetcher: Fetcher,
    /// A tokio mutex, held across the fetch: concurrent callers wait for one fetch
    /// instead of each starting their own.
    cache: Mutex<Option<Temporary>>,
}

impl Refreshing {
    pub fn new(fetcher: Fetcher) -> Refreshing {
        Refreshing {
            fetcher,
            cache: Mutex::new(None),
        }
    }

    pub async fn access_key(&self) -> Result<AccessKey, CredentialError> {
        let mut cache = self.cache.lock().await;
        let now = OffsetDateTime::now_utc();
        if let Some(cached) = cache.as_ref() {
            if cached.expiration - REFRESH_MARGIN > now {
                return Ok(cached.key.clone());
            }
        }
        match self.fetcher.fetch().await {
            Ok(fresh) => {
                let key = fresh.key.clone();
                *cache = Some(fresh);
                Ok(key)
            }
            // A failed refresh is no reason to drop a key that still works.
            Err(err) => match cache.as_ref() {
                Some(cached) if cached.expiration > now => {
                    tracing::warn!("refreshing temporary credentials failed, using the current key until it expires: {err}");
                    Ok(cached.key.clone())
                }
                _ => Err(err),
            },
        }
    }
}

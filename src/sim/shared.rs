//! What every request handler of one simulator shares.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use super::clock::Clock;
use super::config::SimConfig;
use super::faults::{lock, Faults};
use super::inventory::RegionInfo;
use super::metadata_state::MetadataState;
use super::nonces::NonceBook;
use super::state::State;
use super::sts::{KeyStore, StsKey};
use super::throttle::{self, Throttle};
use super::usage::Forbidden;

/// Settings fixed at start.
#[derive(Debug, Clone)]
pub struct Settings {
    pub account_id: u64,
    pub check_nonces: bool,
    pub clock_tolerance: Duration,
    pub images_per_family: usize,
    pub families_per_region: usize,
    pub metadata_role: String,
    pub metadata_requires_token: bool,
    pub metadata_credential_ttl: Duration,
    pub metadata_region: String,
    pub log_requests: bool,
}

#[derive(Debug)]
pub struct Shared {
    pub settings: Settings,
    pub regions: Vec<RegionInfo>,
    pub clock: Clock,
    pub keys: KeyStore,
    pub nonces: NonceBook,
    pub faults: Faults,
    pub throttle: Throttle,
    pub metadata: MetadataState,
    /// The usage sources that refuse this identity (`--forbid`).
    pub forbidden: Mutex<Forbidden>,
    state: Mutex<State>,
    requests: AtomicU64,
    per_action: Mutex<HashMap<String, u64>>,
    /// Changes processed per image ID (DryRun not counted).
    processed: Mutex<HashMap<String, u64>>,
}

impl Shared {
    pub fn new(config: SimConfig, state: State) -> Shared {
        let clock = Clock::new(config.clock_offset_secs);
        let keys = KeyStore::default();
        for key in &config.access_keys {
            keys.add_permanent(&key.id, key.secret.expose());
        }
        let now = clock.now_unix();
        for (key, ttl) in &config.sts_keys {
            keys.add_sts(StsKey {
                id: key.id.clone(),
                secret: key.secret.expose().to_string(),
                token: key
                    .security_token
                    .as_ref()
                    .map(|t| t.expose().to_string())
                    .unwrap_or_default(),
                expires_at: now + ttl.as_secs() as i64,
            });
        }
        Shared {
            settings: Settings {
                account_id: config.inventory.account_id,
                check_nonces: config.check_nonces,
                clock_tolerance: config.clock_tolerance,
                images_per_family: config.images_per_family,
                families_per_region: config.families_per_region,
                metadata_role: config.metadata_role,
                metadata_requires_token: config.metadata_requires_token,
                metadata_credential_ttl: config.metadata_credential_ttl,
                metadata_region: config.metadata_region,
                log_requests: config.log_requests,
            },
            regions: config.inventory.regions,
            clock,
            keys,
            nonces: NonceBook::default(),
            faults: Faults::new(config.faults, config.fault_seed),
            throttle: Throttle::new(config.throttle_limit, throttle::WINDOW),
            metadata: MetadataState::default(),
            forbidden: Mutex::new(config.forbidden),
            state: Mutex::new(state),
            requests: AtomicU64::new(0),
            per_action: Mutex::new(HashMap::new()),
            processed: Mutex::new(HashMap::new()),
        }
    }

    pub fn state(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }

    /// Which usage sources refuse this identity now.
    pub fn forbidden(&self) -> Forbidden {
        *lock(&self.forbidden)
    }

    pub fn region(&self, id: &str) -> Option<&RegionInfo> {
        self.regions.iter().find(|r| r.id == id)
    }

    /// Counts a request and returns its number in this run, from 1.
    pub fn count_request(&self) -> u64 {
        self.requests.fetch_add(1, Ordering::SeqCst) + 1
    }

    pub fn requests(&self) -> u64 {
        self.requests.load(Ordering::SeqCst)
    }

    pub fn count_action(&self, action: &str) {
        *lock(&self.per_action)
            .entry(action.to_string())
            .or_default() += 1;
    }

    pub fn action_count(&self, action: &str) -> u64 {
        lock(&self.per_action).get(action).copied().unwrap_or(0)
    }

    /// A ModifyImageAttribute for `image_id` passed every check and was applied.
    pub fn count_processed(&self, image_id: &str) {
        *lock(&self.processed)
            .entry(image_id.to_string())
            .or_default() += 1;
    }

    pub fn processed_count(&self, image_id: &str) -> u64 {
        lock(&self.processed).get(image_id).copied().unwrap_or(0)
    }
}

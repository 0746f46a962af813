//! How a simulator starts: its inventory, keys, limits, faults and state file.

use std::path::PathBuf;
use std::time::Duration;

use super::faults::FaultSettings;
use super::inventory::Inventory;
use super::throttle;
use super::usage::{Forbidden, RegionUsage};
use super::{DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET};
use crate::ecs::credentials::AccessKey;
use crate::ecs::model::Image;

/// The gateway's clock tolerance: more skew than this is `InvalidTimeStamp.Expired`.
pub const CLOCK_TOLERANCE: Duration = Duration::from_secs(15 * 60);
/// The role the metadata service hands credentials for.
pub const DEMO_ROLE_NAME: &str = "EcsRamRoleDemo";

/// Everything a simulator starts with. Build one with [`SimConfig::demo`] or
/// [`SimConfig::empty`] and the `with_…` helpers.
#[derive(Debug, Clone)]
pub struct SimConfig {
    pub inventory: Inventory,
    /// Permanent AccessKey pairs that are accepted.
    pub access_keys: Vec<AccessKey>,
    /// STS keys accepted from the start (each with its token), valid for the duration
    /// counted from the start on the server clock.
    pub sts_keys: Vec<(AccessKey, Duration)>,
    /// Port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// Calls per API and region per 60 s before `Throttling.User`.
    pub throttle_limit: u32,
    /// Refuse a replayed `SignatureNonce` (`SignatureNonceUsed`).
    pub check_nonces: bool,
    pub clock_tolerance: Duration,
    /// The server clock runs this many seconds from the host's.
    pub clock_offset_secs: i64,
    /// Load from and write every change to this JSON file.
    pub state_file: Option<PathBuf>,
    pub faults: FaultSettings,
    pub fault_seed: u64,
    /// The RAM role the metadata service reports.
    pub metadata_role: String,
    /// The metadata service refuses requests without a token from `PUT /latest/api/token`.
    pub metadata_requires_token: bool,
    /// How long the metadata service's credentials stay valid.
    pub metadata_credential_ttl: Duration,
    /// The region the metadata service reports (`/latest/meta-data/region-id`).
    pub metadata_region: String,
    /// ECS quotas: images per family, families per region.
    pub images_per_family: usize,
    pub families_per_region: usize,
    /// Usage sources that answer as for a RAM identity without permission.
    pub forbidden: Forbidden,
    /// Print a line per RPC request on stdout (`ecsimg sim --log-requests`), so what a
    /// client says it sent can be counted against what arrived.
    pub log_requests: bool,
}

impl SimConfig {
    /// The demo inventory, the demo AccessKey, the published limits, no faults.
    pub fn demo() -> SimConfig {
        SimConfig::with_inventory(Inventory::demo())
    }

    /// The demo, with `n` generated custom images in its region instead of the demo's
    /// (see [`Inventory::with_generated`]).
    pub fn generated(n: usize) -> SimConfig {
        SimConfig::with_inventory(Inventory::demo().with_generated(super::DEMO_REGION, n))
    }

    /// The demo's regions and AccessKey, but no images at all.
    pub fn empty() -> SimConfig {
        SimConfig::with_inventory(Inventory::empty())
    }

    fn with_inventory(inventory: Inventory) -> SimConfig {
        SimConfig {
            inventory,
            access_keys: vec![AccessKey::new(DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET)],
            sts_keys: Vec::new(),
            port: 0,
            throttle_limit: throttle::DEFAULT_LIMIT,
            check_nonces: true,
            clock_tolerance: CLOCK_TOLERANCE,
            clock_offset_secs: 0,
            state_file: None,
            faults: FaultSettings::default(),
            fault_seed: 0x5eed,
            metadata_role: DEMO_ROLE_NAME.to_string(),
            metadata_requires_token: false,
            metadata_credential_ttl: Duration::from_secs(6 * 3600),
            metadata_region: "cn-hangzhou".to_string(),
            images_per_family: 100,
            families_per_region: 100,
            forbidden: Forbidden::default(),
            log_requests: false,
        }
    }

    /// Prints a line per RPC request on stdout.
    pub fn with_request_log(mut self, on: bool) -> SimConfig {
        self.log_requests = on;
        self
    }

    /// Replaces the images of `region` (custom and system alike).
    pub fn with_images(mut self, region: &str, images: Vec<Image>) -> SimConfig {
        self.inventory.images.insert(region.to_string(), images);
        self
    }

    /// Replaces who uses the images of `region`.
    pub fn with_usage(mut self, region: &str, usage: RegionUsage) -> SimConfig {
        self.inventory.usage.insert(region.to_string(), usage);
        self
    }

    /// Makes the sources in `forbidden` answer as for a RAM identity without permission.
    pub fn with_forbidden(mut self, forbidden: Forbidden) -> SimConfig {
        self.forbidden = forbidden;
        self
    }

    /// Accepts one more permanent AccessKey pair.
    pub fn with_access_key(mut self, id: &str, secret: &str) -> SimConfig {
        self.access_keys.push(AccessKey::new(id, secret));
        self
    }

    /// Accepts an STS key (it must carry its token) for `ttl` from the start.
    pub fn with_sts_key(mut self, key: AccessKey, ttl: Duration) -> SimConfig {
        self.sts_keys.push((key, ttl));
        self
    }

    pub fn with_port(mut self, port: u16) -> SimConfig {
        self.port = port;
        self
    }

    pub fn with_throttle_limit(mut self, limit: u32) -> SimConfig {
        self.throttle_limit = limit;
        self
    }

    pub fn with_state_file(mut self, path: impl Into<PathBuf>) -> SimConfig {
        self.state_file = Some(path.into());
        self
    }

    pub fn with_faults(mut self, faults: FaultSettings) -> SimConfig {
        self.faults = faults;
        self
    }

    pub fn with_fault_seed(mut self, seed: u64) -> SimConfig {
        self.fault_seed = seed;
        self
    }

    pub fn with_clock_offset(mut self, secs: i64) -> SimConfig {
        self.clock_offset_secs = secs;
        self
    }

    pub fn with_clock_tolerance(mut self, tolerance: Duration) -> SimConfig {
        self.clock_tolerance = tolerance;
        self
    }

    /// Accepts replayed nonces (for clients that cannot make fresh ones).
    pub fn without_nonce_check(mut self) -> SimConfig {
        self.check_nonces = false;
        self
    }

    pub fn with_metadata_token_required(mut self, required: bool) -> SimConfig {
        self.metadata_requires_token = required;
        self
    }

    pub fn with_metadata_role(mut self, role: &str) -> SimConfig {
        self.metadata_role = role.to_string();
        self
    }

    pub fn with_metadata_credential_ttl(mut self, ttl: Duration) -> SimConfig {
        self.metadata_credential_ttl = ttl;
        self
    }

    /// Lowers (or raises) the ECS quotas so tests can reach them with few images.
    pub fn with_family_quotas(
        mut self,
        images_per_family: usize,
        families_per_region: usize,
    ) -> SimConfig {
        self.images_per_family = images_per_family;
        self.families_per_region = families_per_region;
        self
    }
}

impl Default for SimConfig {
    fn default() -> SimConfig {
        SimConfig::demo()
    }
}

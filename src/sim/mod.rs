//! The embedded ECS simulator: a real HTTP server on loopback that checks signatures and
//! answers like ECS (spec §1, §3–§5), with faults on demand.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use ecsimg::sim::{self, SimConfig};
//! let sim = sim::start(SimConfig::demo()).await?;
//! println!("ECS at {}", sim.endpoint()); // http://127.0.0.1:PORT/
//! sim.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! It serves, on one port:
//! - RPC on `/` (GET query, POST form body, or POST with the query and an empty body):
//!   ECS 2014-05-26 `DescribeRegions`, `DescribeImages`, `DescribeImageFromFamily`,
//!   `ModifyImageAttribute`, `DescribeInstances`, `DescribeLaunchTemplates`,
//!   `DescribeLaunchTemplateVersions`, `DescribeImageSharePermission`; Auto Scaling
//!   2014-08-28 (and 2022-02-22, its flat lists) `DescribeScalingGroups` and
//!   `DescribeScalingConfigurations`, told apart by `Version`; STS 2015-04-01 `AssumeRole`;
//! - the instance metadata paths the credential chain reads (`/latest/…`).

mod actions;
mod auth;
mod body;
mod clock;
mod config;
mod faults;
mod gateway;
mod inventory;
mod metadata;
mod metadata_state;
mod nonces;
mod reply;
mod server;
mod shared;
mod standalone;
mod state;
mod sts;
mod throttle;
mod usage;

pub use actions::{ESS_FLAT_API_VERSION, STS_API_VERSION};
pub use config::{SimConfig, CLOCK_TOLERANCE, DEMO_ROLE_NAME};
pub use faults::{Fault, FaultSettings, Faults};
pub use inventory::{Inventory, RegionInfo};
pub use metadata::{
    TOKEN_HEADER as METADATA_TOKEN_HEADER, TOKEN_TTL_HEADER as METADATA_TOKEN_TTL_HEADER,
};
pub use server::{start, SimHandle};
pub use standalone::{run_standalone, SimArgs};
pub use throttle::DEFAULT_LIMIT as DEFAULT_THROTTLE_LIMIT;
pub use usage::{Forbidden, RegionUsage, Share, Template};

use crate::ecs::credentials::AccessKey;

/// The AccessKey pair the demo inventory accepts.
pub const DEMO_ACCESS_KEY_ID: &str = "LTAI5tDemoEcsimgKey0001";
/// Not a secret: it only opens the simulator.
pub const DEMO_ACCESS_KEY_SECRET: &str = "demo-secret-not-for-production";
/// The region the demo opens in.
pub const DEMO_REGION: &str = "cn-hangzhou";

/// The demo AccessKey, ready for `Credentials::fixed`.
pub fn demo_access_key() -> AccessKey {
    AccessKey::new(DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET)
}

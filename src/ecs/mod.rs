//! Everything that talks to ECS: signing, the client, the models, errors and credentials.

pub mod client;
pub mod credentials;
pub mod error;
pub mod model;
pub mod sign;
pub mod timefmt;
pub mod tls;

/// The API version of every ECS action ecsimg uses.
pub const ECS_API_VERSION: &str = "2014-05-26";

/// The Auto Scaling (ESS) API version ecsimg uses: its lists come wrapped like ECS's.
pub const ESS_API_VERSION: &str = "2014-08-28";

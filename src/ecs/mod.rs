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

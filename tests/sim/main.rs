//! The embedded simulator over real HTTP, as any SDK would talk to it: the gateway's
//! checks, the ECS actions, temporary credentials, faults, and the `ecsimg sim` binary.

#[path = "../support/mod.rs"]
mod support;

mod credentials;
mod faults;
mod gateway;
mod images;
mod usage;

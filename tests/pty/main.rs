//! The real binary in a pseudo-terminal: a person's round trip, layout at any size, the
//! terminal given back however ecsimg ends, and what it costs on the wire.

#[path = "../support/mod.rs"]
mod support;

mod bulk;
pub(crate) mod flow;
mod layout;
mod restore;
mod terminal;
mod wire;

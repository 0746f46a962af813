//! ecsimg: keep Alibaba Cloud ECS custom images in order, from a terminal.
//!
//! Data flows one way: keys become `app::Action`s, the pure `app::update` returns
//! `app::Command`s, the `worker` runs them against `ecs::client`, and `ui::draw` renders
//! the `app::App` state.

pub mod cli;
pub mod ecs;
pub mod session;
pub mod sim;

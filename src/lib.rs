//! ecsimg: keep Alibaba Cloud ECS custom images in order, from a terminal.
//!
//! Data flows one way (see DESIGN in the README): keys become `app::Action`s, the pure
//! `app::update` returns `app::Command`s, the `worker` runs them against `ecs::client`,
//! and `ui::draw` renders the `app::App` state.

pub mod ecs;
pub mod session;

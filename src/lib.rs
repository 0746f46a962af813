//! ecsimg: keep Alibaba Cloud ECS custom images in order, from a terminal.
//!
//! Data flows one way: keys become `app::Action`s, the pure `app::update` returns
//! `app::Command`s, the `worker` runs them — changes through `exec`, the one place a
//! `change::Plan` runs — and `ui::draw` renders the `app::App` state.

// ApiError is large (code, message, ids, link) and travels only on the failure path of a
// network call, where its size costs nothing worth boxing for.
#![allow(clippy::result_large_err)]

pub mod app;
pub mod change;
pub mod cli;
pub mod config;
pub mod ecs;
pub mod exec;
pub mod keys;
pub mod owner_only;
pub mod rules;
pub mod session;
pub mod sim;
pub mod store;
pub mod term;
pub mod textfile;
pub mod ui;
pub mod usage;
pub mod worker;

//! What the test binaries share, one submodule per concern. Every binary declares this
//! module with `#[path = "../support/mod.rs"]`, so each uses only part of it.
#![allow(dead_code)]

/// Runs the real binary with a private HOME and XDG directories.
pub mod cli;
/// A temporary HOME with credential files; a fake metadata service and STS.
pub mod credentials;
/// How long a test waits before calling it a failure, scaled by `ECSIMG_TEST_TIME_SCALE`.
pub mod patience;
/// Property tests' case counts (`PROPTEST_CASES` for long runs).
pub mod props;
/// The real binary in a pseudo-terminal, and what it wrote.
pub mod pty;
/// A scripted HTTP server for exact failure sequences.
pub mod scripted;
/// A small signed RPC client for the simulator.
pub mod sim;
/// HTTPS in front of the simulator, with a CA made for the test.
pub mod tls;
/// The TUI's sample inventory, key helpers and a screen renderer.
pub mod tui;
/// Usage data for the simulator at the sizes the issue measures.
pub mod usage;

//! `--demo`: the embedded simulator started in this process with the demo inventory, and
//! a session signed in with the demo key — the one way every demo path (CLI subcommands and
//! the TUI) gets its session.

use std::path::PathBuf;
use std::time::Duration;

use crate::ecs::client::{EcsClient, Endpoint};
use crate::ecs::credentials::Credentials;
use crate::session::Session;
use crate::sim::SimConfig;

use super::connected::{
    client_config, journal_for, Connected, DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT,
};

/// The environment variable naming a file where `--demo` keeps the simulator's images
/// between runs (without it every run starts from the demo inventory).
pub const DEMO_STATE_ENV: &str = "ECSIMG_DEMO_STATE";

/// What a demo session needs to know.
#[derive(Debug, Clone, Default)]
pub struct DemoOptions {
    /// Defaults to `sim::DEMO_REGION`.
    pub region: Option<String>,
    pub read_only: bool,
    /// Keep the simulator's images in this file between runs.
    pub state_file: Option<PathBuf>,
    pub connect_timeout: Option<Duration>,
    pub read_timeout: Option<Duration>,
    /// Added to every answer of the simulator.
    pub latency: Option<Duration>,
    pub page_concurrency: Option<usize>,
}

impl DemoOptions {
    /// The options `--demo` implies, with the state file from `ECSIMG_DEMO_STATE`.
    pub fn from_env() -> DemoOptions {
        DemoOptions {
            state_file: std::env::var_os(DEMO_STATE_ENV)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from),
            ..DemoOptions::default()
        }
    }
}

/// The one way every `--demo` path (CLI subcommands and the TUI) gets its session: starts
/// the embedded simulator in this process with the demo inventory and signs in with the
/// demo key. Changes are journaled to `demo-journal.jsonl`, apart from real ones.
pub async fn demo_session(options: &DemoOptions) -> anyhow::Result<Connected> {
    let mut sim_config = SimConfig::demo();
    if let Some(path) = &options.state_file {
        sim_config = sim_config.with_state_file(path);
    }
    if let Some(latency) = options.latency {
        sim_config = sim_config.with_faults(crate::sim::FaultSettings {
            latency,
            ..crate::sim::FaultSettings::default()
        });
    }
    let sim = crate::sim::start(sim_config).await?;
    let region = options
        .region
        .clone()
        .unwrap_or_else(|| crate::sim::DEMO_REGION.to_string());
    let credentials = Credentials::fixed(crate::sim::demo_access_key());
    let mut config = client_config(
        region,
        Endpoint::Custom(sim.endpoint()),
        options.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT),
        options.read_timeout.unwrap_or(DEFAULT_READ_TIMEOUT),
    );
    if let Some(n) = options.page_concurrency {
        config.page_concurrency = n;
    }
    let client = EcsClient::new(config, credentials).map_err(anyhow::Error::new)?;
    Ok(Connected {
        session: Session {
            client,
            profile: "demo".to_string(),
            endpoint_kind: "custom".to_string(),
            demo: true,
            read_only: options.read_only,
            journal: journal_for(true),
        },
        source: "the embedded simulator's demo key".to_string(),
        warnings: Vec::new(),
        sim: Some(sim),
    })
}

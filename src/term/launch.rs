//! `ecsimg --demo`: the embedded simulator, started in this process, with the demo
//! credentials, and the TUI pointed at it.

use crate::ecs::client::{ClientConfig, EcsClient, Endpoint};
use crate::ecs::credentials::{AccessKey, Credentials};
use crate::journal::{state_dir, Journal};
use crate::session::Session;
use crate::sim;

use super::{run, TuiOptions};

/// The region the demo opens in (the one with the most demo images).
pub const DEMO_REGION: &str = "cn-hangzhou";

/// Starts the simulator with the demo inventory and runs the TUI against it until the person
/// quits. Changes are journalled in `demo-journal.jsonl` in the state directory, apart from
/// the journal of real changes.
pub async fn launch_demo(options: TuiOptions) -> anyhow::Result<()> {
    let simulator = sim::start(sim::SimConfig::demo()).await?;
    let session = demo_session(simulator.endpoint(), false)?;
    let result = run(session, options).await;
    drop(simulator);
    result
}

/// A session against a simulator at `endpoint` with the demo AccessKey.
pub fn demo_session(endpoint: impl Into<String>, read_only: bool) -> anyhow::Result<Session> {
    let credentials = Credentials::fixed(AccessKey::new(
        sim::DEMO_ACCESS_KEY_ID,
        sim::DEMO_ACCESS_KEY_SECRET,
    ));
    let config = ClientConfig::new(DEMO_REGION, Endpoint::Custom(endpoint.into()));
    Ok(Session {
        client: EcsClient::new(config, credentials)?,
        profile: "demo".to_string(),
        endpoint_kind: "demo".to_string(),
        demo: true,
        read_only,
        journal: state_dir().map(|dir| Journal::at(dir.join("demo-journal.jsonl"))),
    })
}

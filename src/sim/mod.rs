//! The embedded ECS simulator: a real HTTP server on loopback that checks signatures and
//! answers like ECS, with faults on demand.

/// The AccessKey pair the demo inventory accepts.
pub const DEMO_ACCESS_KEY_ID: &str = "LTAI5tDemoEcsimgKey0001";
/// Not a secret: it only opens the simulator.
pub const DEMO_ACCESS_KEY_SECRET: &str = "demo-secret-not-for-production";

/// `ecsimg sim`: run the simulator standalone.
#[derive(Debug, Clone, clap::Args)]
pub struct SimArgs {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
}

/// Runs `ecsimg sim` until interrupted.
pub async fn run_standalone(_args: SimArgs) -> anyhow::Result<()> {
    anyhow::bail!("the simulator is not built yet")
}

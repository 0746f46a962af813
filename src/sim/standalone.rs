//! `ecsimg sim`: the simulator as a process of its own, for other clients (even the
//! aliyun CLI) to point at.

use std::path::PathBuf;
use std::time::Duration;

use super::config::SimConfig;
use super::faults::FaultSettings;
use super::server::{start, SimHandle};
use super::usage::Forbidden;
use super::{DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET};

/// `ecsimg sim`: run the simulator standalone.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct SimArgs {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Latency added to every RPC response, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 0)]
    pub latency_ms: u64,
    /// A random extra latency of up to this many milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 0)]
    pub jitter_ms: u64,
    /// Fraction (0–1) of requests answered 503 ServiceUnavailable or 500 InternalError.
    #[arg(long, value_name = "F", default_value_t = 0.0, value_parser = fraction)]
    pub error_rate: f64,
    /// Answer every Nth request with Throttling (0 = never).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub throttle_every: u64,
    /// Fraction of responses cut off halfway with a connection reset.
    #[arg(long, value_name = "F", default_value_t = 0.0, value_parser = fraction)]
    pub reset_rate: f64,
    /// Fraction of responses with a truncated or non-JSON body.
    #[arg(long, value_name = "F", default_value_t = 0.0, value_parser = fraction)]
    pub malformed_rate: f64,
    /// Trickle every response body over this many milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 0)]
    pub slow_body_ms: u64,
    /// Keep the images in this JSON file: loaded at start, written on every change.
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,
    /// Calls allowed per API and region per 60 s before Throttling.User.
    #[arg(long, value_name = "N", default_value_t = super::throttle::DEFAULT_LIMIT)]
    pub throttle_limit: u32,
    /// Seed of the fault randomness (the same seed gives the same faults).
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Refuse metadata requests without a token from PUT /latest/api/token.
    #[arg(long)]
    pub metadata_token_required: bool,
    /// Start with no images (the regions remain).
    #[arg(long, conflicts_with = "images")]
    pub empty: bool,
    /// Generate N custom images in cn-hangzhou in place of the demo's (a fixed seed: the
    /// same N gives the same images), for trying ecsimg at scale.
    #[arg(long, value_name = "N")]
    pub images: Option<usize>,
    /// Answer as for a RAM identity without these permissions: ess, templates, instances,
    /// shares or all, comma-separated (e.g. `--forbid ess,templates`). ESS and launch
    /// templates answer Forbidden.RAM; DescribeInstances answers an empty list, as ECS does.
    #[arg(long, value_name = "LIST", value_parser = Forbidden::parse)]
    pub forbid: Option<Forbidden>,
    /// Print a line per RPC request: its number, the action, the HTTP status, the error
    /// code and the RequestId (to count against what a client shows).
    #[arg(long)]
    pub log_requests: bool,
}

fn fraction(s: &str) -> Result<f64, String> {
    let f: f64 = s.parse().map_err(|_| format!("{s:?} is not a number"))?;
    if (0.0..=1.0).contains(&f) {
        Ok(f)
    } else {
        Err(format!("{f} is not between 0 and 1"))
    }
}

impl SimArgs {
    /// The configuration these flags describe.
    pub fn config(&self) -> SimConfig {
        let base = match (self.empty, self.images) {
            (true, _) => SimConfig::empty(),
            (false, Some(n)) => SimConfig::generated(n),
            (false, None) => SimConfig::demo(),
        };
        let mut config = base
            .with_port(self.port)
            .with_throttle_limit(self.throttle_limit)
            .with_metadata_token_required(self.metadata_token_required)
            .with_request_log(self.log_requests)
            .with_faults(FaultSettings {
                latency: Duration::from_millis(self.latency_ms),
                jitter: Duration::from_millis(self.jitter_ms),
                error_rate: self.error_rate,
                throttle_every: self.throttle_every,
                reset_rate: self.reset_rate,
                malformed_rate: self.malformed_rate,
                slow_body: Duration::from_millis(self.slow_body_ms),
                always: None,
            });
        if let Some(forbid) = self.forbid {
            config = config.with_forbidden(forbid);
        }
        if let Some(seed) = self.seed {
            config = config.with_fault_seed(seed);
        }
        if let Some(state) = &self.state {
            config = config.with_state_file(state);
        }
        config
    }
}

/// Runs `ecsimg sim` until ctrl-c or SIGTERM.
pub async fn run_standalone(args: SimArgs) -> anyhow::Result<()> {
    let config = args.config();
    let sim = start(config.clone()).await.map_err(|e| {
        anyhow::anyhow!("cannot start the simulator on 127.0.0.1:{}: {e}", args.port)
    })?;
    println!("{}", banner(&sim, &config));
    wait_for_signal().await;
    println!("ecsimg sim: stopping");
    sim.shutdown().await;
    Ok(())
}

/// What `ecsimg sim` prints: the endpoint first (tests read that line), then how to use it.
fn banner(sim: &SimHandle, config: &SimConfig) -> String {
    let endpoint = sim.endpoint();
    let host = sim.addr().to_string();
    let mut regions: Vec<String> = Vec::new();
    for region in config.inventory.images.keys() {
        let own = sim
            .images(region)
            .iter()
            .filter(|i| i.image_owner_alias == "self")
            .count();
        let usage = config.inventory.usage.get(region);
        let users = usage.map_or(String::new(), |u| {
            format!(
                ", {} instances, {} launch templates, {} scaling groups",
                u.instances.len(),
                u.templates.len(),
                u.groups.len()
            )
        });
        regions.push(format!("{region} ({own} custom images{users})"));
    }
    let regions = if regions.is_empty() {
        "none hold images".to_string()
    } else {
        regions.join(", ")
    };
    let faults = describe_faults(&config.faults);
    let state = match &config.state_file {
        Some(path) => format!("{} (written on every change)", path.display()),
        None => "in memory (use --state FILE to keep changes)".to_string(),
    };
    format!(
        "endpoint: {endpoint}\n\
         ecsimg ECS simulator: a fake ECS on loopback, for demos and tests\n\
         regions:  {regions}; DescribeRegions lists {all}\n\
         AccessKey ID:     {DEMO_ACCESS_KEY_ID}\n\
         AccessKey secret: {DEMO_ACCESS_KEY_SECRET}   (a public demo value: it opens only this simulator)\n\
         metadata: {endpoint}latest/meta-data/ram/security-credentials/{role}\n\
         faults:   {faults}\n\
         forbidden: {forbidden}\n\
         state:    {state}\n\
         \n\
         Point the aliyun CLI at it:\n  \
           aliyun ecs DescribeImages --RegionId cn-hangzhou --ImageOwnerAlias self \\\n    \
             --endpoint {host} --insecure --region cn-hangzhou \\\n    \
             --access-key-id {DEMO_ACCESS_KEY_ID} --access-key-secret {DEMO_ACCESS_KEY_SECRET}\n\
         \n\
         Press ctrl-c to stop.",
        all = config.inventory.regions.len(),
        role = config.metadata_role,
        forbidden = config.forbidden.describe(),
    )
}

fn describe_faults(f: &FaultSettings) -> String {
    let mut parts = Vec::new();
    if !f.latency.is_zero() || !f.jitter.is_zero() {
        parts.push(format!(
            "latency {} ms + up to {} ms",
            f.latency.as_millis(),
            f.jitter.as_millis()
        ));
    }
    if f.error_rate > 0.0 {
        parts.push(format!("error rate {}", f.error_rate));
    }
    if f.throttle_every > 0 {
        parts.push(format!("Throttling every {} calls", f.throttle_every));
    }
    if f.reset_rate > 0.0 {
        parts.push(format!("reset rate {}", f.reset_rate));
    }
    if f.malformed_rate > 0.0 {
        parts.push(format!("malformed rate {}", f.malformed_rate));
    }
    if !f.slow_body.is_zero() {
        parts.push(format!(
            "bodies trickled over {} ms",
            f.slow_body.as_millis()
        ));
    }
    if parts.is_empty() {
        "none".to_string()
    } else {
        parts.join(", ")
    }
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        args: SimArgs,
    }

    #[test]
    fn flags_become_settings() {
        let cli = Cli::try_parse_from([
            "sim",
            "--latency-ms",
            "20",
            "--error-rate",
            "0.25",
            "--throttle-every",
            "5",
            "--throttle-limit",
            "7",
            "--slow-body-ms",
            "300",
        ])
        .unwrap();
        let config = cli.args.config();
        assert_eq!(config.faults.latency, Duration::from_millis(20));
        assert_eq!(config.faults.error_rate, 0.25);
        assert_eq!(config.faults.throttle_every, 5);
        assert_eq!(config.faults.slow_body, Duration::from_millis(300));
        assert_eq!(config.throttle_limit, 7);
        assert!(Cli::try_parse_from(["sim", "--error-rate", "1.5"]).is_err());
        let forbid = Cli::try_parse_from(["sim", "--forbid", "ess,templates"]).unwrap();
        let forbidden = forbid.args.config().forbidden;
        assert!(forbidden.ess && forbidden.templates && !forbidden.instances);
        assert!(Cli::try_parse_from(["sim", "--forbid", "everything"]).is_err());
    }

    #[test]
    fn images_n_generates_that_many_custom_images() {
        let cli = Cli::try_parse_from(["sim", "--images", "2500"]).unwrap();
        let config = cli.args.config();
        let own = config.inventory.images[super::super::DEMO_REGION]
            .iter()
            .filter(|i| i.image_owner_alias == "self")
            .count();
        assert_eq!(own, 2500);
        assert!(Cli::try_parse_from(["sim", "--images", "5", "--empty"]).is_err());
    }
}

//! Building a `Session` from the flags, the config file and the credential chain — or, with
//! `--demo`, against the embedded simulator.
//!
//! Order of precedence (first wins):
//! - profile: `--profile`, the environment (`ALIBABA_CLOUD_PROFILE`…), the config file's
//!   `default_profile`, the aliyun CLI's `current`;
//! - region: `--region`, the environment, the credential profile's `region_id`, the config
//!   file's `[profiles.NAME] region`, its `default_region`; none → exit 2;
//! - endpoint: `--endpoint`, `--endpoint-type`, the credential profile's `endpoint` /
//!   `endpoint_type`, the config file's `[profiles.NAME]` then top-level settings, public;
//! - timeouts: the flags, the config file, the credential profile's, then 5 s / 30 s;
//! - read-only: `--read-only` or `[profiles.NAME] read_only = true`.

use std::path::PathBuf;
use std::time::Duration;

use crate::config::{Config, EndpointType};
use crate::ecs::client::{check_region, ClientConfig, EcsClient, Endpoint};
use crate::ecs::credentials::{self, Credentials, EnvSnapshot, ResolveOptions, Resolved};
use crate::session::Session;
use crate::sim::{SimConfig, SimHandle};
use crate::store::{self, Journal};

use super::args::GlobalArgs;
use super::exit::{CliError, Exit};

/// The environment variable naming a file where `--demo` keeps the simulator's images
/// between runs (without it every run starts from the demo inventory).
pub const DEMO_STATE_ENV: &str = "ECSIMG_DEMO_STATE";

/// Connect timeout when neither a flag nor a config file sets one.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Read timeout when neither a flag nor a config file sets one.
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// A session, plus what must stay alive as long as it does (the embedded simulator).
pub struct Connected {
    pub session: Session,
    /// Where the credentials came from (for `--log-file` and error messages).
    pub source: String,
    /// Things to fix that do not stop ecsimg (a credentials file readable by others).
    pub warnings: Vec<String>,
    /// The embedded simulator of a `--demo` session; dropping it stops the simulator.
    pub sim: Option<SimHandle>,
}

impl std::fmt::Debug for Connected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connected")
            .field("session", &self.session)
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

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
    let sim = crate::sim::start(sim_config).await?;
    let region = options
        .region
        .clone()
        .unwrap_or_else(|| crate::sim::DEMO_REGION.to_string());
    let credentials = Credentials::fixed(crate::sim::demo_access_key());
    let config = client_config(
        region,
        Endpoint::Custom(sim.endpoint()),
        options.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT),
        options.read_timeout.unwrap_or(DEFAULT_READ_TIMEOUT),
    );
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

/// The journal changes are recorded in: `journal.jsonl` in the XDG state directory, or
/// `demo-journal.jsonl` beside it for `--demo`, so demo changes never mix with real ones.
pub fn journal_for(demo: bool) -> Option<Journal> {
    let name = if demo {
        "demo-journal.jsonl"
    } else {
        "journal.jsonl"
    };
    store::state_dir().map(|dir| Journal::at(dir.join(name)))
}

/// How the TUI's `P` builds the session of another profile: the same flags and config as
/// at start, with that profile, in the region the TUI is in. The worker calls it on a
/// blocking thread, where waiting on the runtime is allowed.
pub fn connector(global: &GlobalArgs, config: &Config, region: &str) -> crate::worker::Connector {
    let (global, config, region) = (global.clone(), config.clone(), region.to_string());
    std::sync::Arc::new(move |profile: &str| {
        let args = GlobalArgs {
            profile: Some(profile.to_string()),
            region: Some(region.clone()),
            ..global.clone()
        };
        let connected = tokio::runtime::Handle::current()
            .block_on(connect(&args, &config))
            .map_err(|e| e.message)?;
        for warning in &connected.warnings {
            tracing::warn!(profile, %warning, "credentials warning");
        }
        Ok(connected.session)
    })
}

/// The session for the flags and the config file: `--demo`, or the credential chain.
pub async fn connect(global: &GlobalArgs, config: &Config) -> Result<Connected, CliError> {
    if global.demo {
        if global.endpoint.is_some() || global.profile.is_some() {
            return Err(CliError::invalid(
                "--demo uses its own embedded simulator and demo key, so it does not take \
                 --endpoint or --profile; to point ecsimg at a simulator of your own, run \
                 `ecsimg sim` and use --endpoint with the key it prints",
            ));
        }
        if let Some(region) = &global.region {
            check_region(region).map_err(|why| CliError::invalid(format!("--region: {why}")))?;
        }
        let options = DemoOptions {
            region: global.region.clone(),
            read_only: global.read_only || config.read_only_for("demo"),
            connect_timeout: global.connect_timeout.or(config.connect_timeout),
            read_timeout: global.read_timeout.or(config.read_timeout),
            ..DemoOptions::from_env()
        };
        return demo_session(&options)
            .await
            .map_err(|e| CliError::failure(format!("cannot start the demo: {e:#}")));
    }

    // Loaded once, for STS (a RamRoleArn profile) and for ECS alike.
    let ca_bundle = super::trust::ca_bundle(global, config)?;
    let resolved = resolve_credentials(global, config, ca_bundle.clone())?;
    let profile = resolved.profile_name.clone();
    let profile_config = config.profile(&profile).cloned().unwrap_or_default();

    let config_path = config_path_for_messages(config);
    // Where each candidate came from, so a malformed one is named by its source.
    let candidates = [
        (global.region.clone(), "--region".to_string()),
        (
            resolved.region.clone(),
            format!(
                "ALIBABA_CLOUD_REGION_ID (or an alias) or the region_id of profile {profile:?}"
            ),
        ),
        (
            profile_config.region.clone(),
            format!("[profiles.{profile}] region in {config_path}"),
        ),
        (
            config.default_region.clone(),
            format!("default_region in {config_path}"),
        ),
    ];
    let (region, origin) = candidates
        .into_iter()
        .find_map(|(r, origin)| r.filter(|r| !r.trim().is_empty()).map(|r| (r, origin)))
        .ok_or_else(|| {
            CliError::invalid(format!(
                "no region: pass --region (e.g. --region cn-hangzhou), set \
                 ALIBABA_CLOUD_REGION_ID, set region_id in the aliyun profile {profile:?}, \
                 or default_region in {config_path}"
            ))
        })?;
    check_region(&region).map_err(|why| CliError::invalid(format!("{origin}: {why}")))?;

    let endpoint = choose_endpoint(global, &resolved, config, &profile)?;
    let endpoint_kind = match &endpoint {
        Endpoint::Public => "public",
        Endpoint::Vpc => "vpc",
        Endpoint::Custom(_) => "custom",
    }
    .to_string();
    let connect_timeout = global
        .connect_timeout
        .or(config.connect_timeout)
        .or(resolved.connect_timeout)
        .unwrap_or(DEFAULT_CONNECT_TIMEOUT);
    let read_timeout = global
        .read_timeout
        .or(config.read_timeout)
        .or(resolved.read_timeout)
        .unwrap_or(DEFAULT_READ_TIMEOUT);
    let client = EcsClient::new(
        ClientConfig {
            ca_bundle,
            ..client_config(region, endpoint, connect_timeout, read_timeout)
        },
        resolved.credentials,
    )
    .map_err(|e| CliError::new(Exit::Invalid, e.to_string()))?;

    Ok(Connected {
        session: Session {
            client,
            read_only: global.read_only || profile_config.read_only,
            profile,
            endpoint_kind,
            demo: false,
            journal: journal_for(false),
        },
        source: resolved.source,
        warnings: resolved.warnings,
        sim: None,
    })
}

fn client_config(
    region: String,
    endpoint: Endpoint,
    connect_timeout: Duration,
    read_timeout: Duration,
) -> ClientConfig {
    ClientConfig {
        connect_timeout,
        read_timeout,
        ..ClientConfig::new(region, endpoint)
    }
}

fn choose_endpoint(
    global: &GlobalArgs,
    resolved: &Resolved,
    config: &Config,
    profile: &str,
) -> Result<Endpoint, CliError> {
    if let Some(url) = &global.endpoint {
        return Ok(Endpoint::Custom(url.clone()));
    }
    if let Some(kind) = global.endpoint_type {
        return Ok(endpoint_of(kind));
    }
    if let Some(url) = resolved.endpoint.clone().filter(|u| !u.is_empty()) {
        return Ok(Endpoint::Custom(url));
    }
    if let Some(kind) = resolved.endpoint_type.as_deref().filter(|k| !k.is_empty()) {
        return match kind.to_ascii_lowercase().as_str() {
            "vpc" => Ok(Endpoint::Vpc),
            "public" => Ok(Endpoint::Public),
            other => Err(CliError::invalid(format!(
                "the profile {profile:?} has endpoint_type {other:?}: ecsimg knows public \
                 and vpc; pass --endpoint-type or --endpoint"
            ))),
        };
    }
    let profile_config = config.profile(profile);
    if let Some(url) = profile_config.and_then(|p| p.endpoint.clone()) {
        return Ok(Endpoint::Custom(url));
    }
    let kind = profile_config
        .and_then(|p| p.endpoint_type)
        .or(config.endpoint_type)
        .unwrap_or(EndpointType::Public);
    Ok(endpoint_of(kind))
}

fn endpoint_of(kind: EndpointType) -> Endpoint {
    match kind {
        EndpointType::Public => Endpoint::Public,
        EndpointType::Vpc => Endpoint::Vpc,
    }
}

fn config_path_for_messages(config: &Config) -> String {
    config
        .path
        .clone()
        .or_else(Config::default_path)
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "the config file".to_string())
}

/// Environment variables that name a profile, and that hold an AccessKey ID (spec §7.1).
const PROFILE_ENV: &[&str] = &[
    "ALIBABACLOUD_PROFILE",
    "ALIBABA_CLOUD_PROFILE",
    "ALICLOUD_PROFILE",
];
const ACCESS_KEY_ENV: &[&str] = &[
    "ALIBABA_CLOUD_ACCESS_KEY_ID",
    "ALIBABACLOUD_ACCESS_KEY_ID",
    "ALICLOUD_ACCESS_KEY_ID",
];

/// The profile to ask the chain for: `--profile`; else the config file's
/// `default_profile`, unless the environment names a profile or holds a key (the
/// environment beats our config file, as it beats the aliyun CLI's `current`).
fn requested_profile(global: &GlobalArgs, config: &Config, env: &EnvSnapshot) -> Option<String> {
    if global.profile.is_some() {
        return global.profile.clone();
    }
    let set = |names: &[&str]| {
        names
            .iter()
            .any(|n| env.get(n).is_some_and(|v| !v.is_empty()))
    };
    if set(PROFILE_ENV) || set(ACCESS_KEY_ENV) {
        None
    } else {
        config.default_profile.clone()
    }
}

/// The credential chain, with the profile and region the flags and config ask for.
fn resolve_credentials(
    global: &GlobalArgs,
    config: &Config,
    ca_bundle: Option<crate::ecs::client::CaBundle>,
) -> Result<Resolved, CliError> {
    let env = EnvSnapshot::from_process();
    let options = ResolveOptions {
        profile: requested_profile(global, config, &env),
        region: global.region.clone(),
        ca_bundle,
        ..ResolveOptions::with_env(env)
    };
    Ok(credentials::resolve(&options)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ProfileConfig;
    use crate::ecs::credentials::AccessKey;

    fn resolved(endpoint: Option<&str>, endpoint_type: Option<&str>) -> Resolved {
        Resolved {
            credentials: Credentials::fixed(AccessKey::new("LTAI5tTestKey0001", "s")),
            profile_name: "prod".into(),
            source: "test".into(),
            region: Some("cn-hangzhou".into()),
            endpoint_type: endpoint_type.map(str::to_string),
            endpoint: endpoint.map(str::to_string),
            read_timeout: None,
            connect_timeout: None,
            warnings: vec![],
        }
    }

    fn config_with(profile: ProfileConfig, top: Option<EndpointType>) -> Config {
        let mut config = Config {
            endpoint_type: top,
            ..Config::default()
        };
        config.profiles.insert("prod".into(), profile);
        config
    }

    #[test]
    fn flags_beat_the_profile_which_beats_the_config() {
        let vpc_config = config_with(ProfileConfig::default(), Some(EndpointType::Vpc));
        let none = resolved(None, None);
        let pick = |g: &GlobalArgs, r: &Resolved, c: &Config| choose_endpoint(g, r, c, "prod");

        assert_eq!(
            pick(&GlobalArgs::default(), &none, &Config::default()),
            Ok(Endpoint::Public)
        );
        assert_eq!(
            pick(&GlobalArgs::default(), &none, &vpc_config),
            Ok(Endpoint::Vpc)
        );
        let per_profile = config_with(
            ProfileConfig {
                endpoint_type: Some(EndpointType::Public),
                ..ProfileConfig::default()
            },
            Some(EndpointType::Vpc),
        );
        assert_eq!(
            pick(&GlobalArgs::default(), &none, &per_profile),
            Ok(Endpoint::Public)
        );
        assert_eq!(
            pick(
                &GlobalArgs::default(),
                &resolved(None, Some("vpc")),
                &Config::default()
            ),
            Ok(Endpoint::Vpc)
        );
        assert_eq!(
            pick(
                &GlobalArgs::default(),
                &resolved(Some("https://ecs.example.internal/"), None),
                &vpc_config
            ),
            Ok(Endpoint::Custom("https://ecs.example.internal/".into()))
        );
        let flag = GlobalArgs {
            endpoint_type: Some(EndpointType::Public),
            ..GlobalArgs::default()
        };
        assert_eq!(
            pick(&flag, &resolved(None, Some("vpc")), &vpc_config),
            Ok(Endpoint::Public)
        );
        let url = GlobalArgs {
            endpoint: Some("http://127.0.0.1:9/".into()),
            ..GlobalArgs::default()
        };
        assert_eq!(
            pick(&url, &none, &vpc_config),
            Ok(Endpoint::Custom("http://127.0.0.1:9/".into()))
        );
        assert!(pick(
            &GlobalArgs::default(),
            &resolved(None, Some("intranet")),
            &Config::default()
        )
        .unwrap_err()
        .message
        .contains("intranet"));
    }

    #[test]
    fn the_config_default_profile_yields_to_the_flag_and_the_environment() {
        let config = Config {
            default_profile: Some("prod".into()),
            ..Config::default()
        };
        let empty = EnvSnapshot::empty();
        assert_eq!(
            requested_profile(&GlobalArgs::default(), &config, &empty).as_deref(),
            Some("prod")
        );
        let flag = GlobalArgs {
            profile: Some("dev".into()),
            ..GlobalArgs::default()
        };
        assert_eq!(
            requested_profile(&flag, &config, &empty).as_deref(),
            Some("dev")
        );
        let env_profile = EnvSnapshot::empty().with("ALIBABA_CLOUD_PROFILE", "ops");
        assert_eq!(
            requested_profile(&GlobalArgs::default(), &config, &env_profile),
            None
        );
        let env_key = EnvSnapshot::empty().with("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI5tX");
        assert_eq!(
            requested_profile(&GlobalArgs::default(), &config, &env_key),
            None
        );
    }
}

//! Building a `Session` from the flags, the config file and the credential chain (`--demo`
//! builds its own in `cli::demo`).
//!
//! Order of precedence (first wins):
//! - profile: `--profile`, the environment (`ALIBABA_CLOUD_PROFILE`…), the config file's
//!   `default_profile`, the aliyun CLI's `current`;
//! - region: `--region`, the environment, the credential profile's `region_id`, the config
//!   file's `[profiles.NAME] region`, its `default_region`; none → exit 2;
//! - endpoint: `--endpoint`, `--endpoint-type`, the credential profile's `endpoint` /
//!   `endpoint_type`, the config file's `[profiles.NAME]` then top-level settings, public;
//! - Auto Scaling's endpoint: `--ess-endpoint`; with `--endpoint` (and no `--ess-endpoint`)
//!   the same endpoint; else the config file's `[profiles.NAME]` then top-level
//!   `ess_endpoint`; else what the ECS endpoint implies (a custom one serves both);
//! - timeouts: the flags, the config file, the credential profile's, then 5 s / 30 s;
//! - page concurrency: `--page-concurrency`, the config file's, then 16;
//! - read-only: `--read-only` or `[profiles.NAME] read_only = true`.

use crate::config::{Config, EndpointType};
use crate::ecs::client::{check_region, ClientConfig, EcsClient, Endpoint};
use crate::ecs::credentials::{self, EnvSnapshot, ResolveOptions, Resolved};
use crate::session::Session;

use super::args::GlobalArgs;
use super::connected::{client_config, Connected};
pub use super::connected::{journal_for, DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT};
use super::demo::{demo_session, DemoOptions};
use super::exit::{CliError, Exit};

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
    connect_with(global, config, None).await
}

/// As [`connect`], with `fallback` when nothing names a region (instead of exit 2).
pub async fn connect_with(
    global: &GlobalArgs,
    config: &Config,
    fallback: Option<&str>,
) -> Result<Connected, CliError> {
    if global.demo {
        if global.endpoint.is_some() || global.ess_endpoint.is_some() || global.profile.is_some() {
            return Err(CliError::invalid(
                "--demo uses its own embedded simulator and demo key, so it does not take \
                 --endpoint, --ess-endpoint or --profile; to point ecsimg at a simulator of \
                 your own, run `ecsimg sim` and use --endpoint with the key it prints",
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
            latency: super::durations::demo_latency()?,
            page_concurrency: global.page_concurrency.or(config.page_concurrency),
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
        (fallback.map(str::to_string), "the fallback".to_string()),
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
    // A named ECS endpoint takes Auto Scaling with it unless --ess-endpoint says otherwise:
    // a config file's ess_endpoint must not send that session's requests elsewhere.
    let ess_endpoint = match (&global.ess_endpoint, &global.endpoint) {
        (Some(url), _) => Some(url.clone()),
        (None, Some(_)) => None,
        (None, None) => profile_config
            .ess_endpoint
            .clone()
            .or_else(|| config.ess_endpoint.clone()),
    };
    let mut settings = ClientConfig {
        ess_endpoint,
        ca_bundle,
        ..client_config(region, endpoint, connect_timeout, read_timeout)
    };
    if let Some(n) = global.page_concurrency.or(config.page_concurrency) {
        settings.page_concurrency = n;
    }
    let client = EcsClient::new(settings, resolved.credentials)
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
    use crate::ecs::credentials::{AccessKey, Credentials};

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

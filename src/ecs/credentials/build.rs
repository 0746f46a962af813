//! From a profile as written to [`Credentials`]: where the metadata service and STS are,
//! the role session's name and length, and ChainableRamRoleArn's source profile.

use std::time::{SystemTime, UNIX_EPOCH};

use super::cli_profile::CliConfig;
use super::ecs_ram_role::EcsRamRole;
use super::env::{self, EnvSnapshot};
use super::http::{self, DEFAULT_METADATA_BASE, DEFAULT_STS_HOST};
use super::profile::{ArnSource, Kind, ProfileSpec, RoleArnSpec};
use super::ram_role_arn::{AssumeRole, RamRoleArn};
use super::temporary::Fetcher;
use super::{CredentialError, Credentials};

/// How deep ChainableRamRoleArn may nest before it is taken for a loop.
const MAX_DEPTH: usize = 5;
const DEFAULT_SESSION_SECS: u64 = 3600;
/// STS refuses shorter role sessions.
const MIN_SESSION_SECS: u64 = 900;

pub(super) struct Builder<'a> {
    pub env: &'a EnvSnapshot,
    /// The resolver option (tests); wins over the environment.
    pub metadata_base: Option<&'a str>,
    /// The resolver option (tests); wins over the profile and the environment.
    pub sts_endpoint: Option<&'a str>,
    /// `--ca-bundle`, for STS.
    pub ca_bundle: Option<&'a crate::ecs::tls::CaBundle>,
    /// config.json, for ChainableRamRoleArn's `source_profile`.
    pub cli: Option<&'a CliConfig>,
}

impl Builder<'_> {
    /// `name` is the profile's name; `description` what [`Credentials::describe`] says.
    pub fn build(
        &self,
        spec: &ProfileSpec,
        name: &str,
        description: String,
    ) -> Result<Credentials, CredentialError> {
        self.build_at(spec, name, description, 0)
    }

    fn build_at(
        &self,
        spec: &ProfileSpec,
        name: &str,
        description: String,
        depth: usize,
    ) -> Result<Credentials, CredentialError> {
        match &spec.kind {
            Kind::Static(key) => Ok(Credentials::fixed(key.clone()).with_description(description)),
            Kind::EcsRamRole { role_name } => {
                if self.env.flag(env::ECS_METADATA_DISABLED_ENV) {
                    return Err(CredentialError::new(format!(
                        "{description} needs the instance metadata service, but {}=true \
                         disables it. Unset it or pick another profile with --profile NAME.",
                        env::ECS_METADATA_DISABLED_ENV
                    )));
                }
                let fetcher = EcsRamRole::new(
                    self.metadata_base()?,
                    role_name.clone(),
                    self.env.flag(env::IMDSV1_DISABLED_ENV),
                )?;
                Ok(Credentials::temporary(
                    Fetcher::EcsRamRole(fetcher),
                    description,
                ))
            }
            Kind::RamRoleArn(role) => {
                let source = match &role.source {
                    ArnSource::Key(key) => Credentials::fixed(key.clone()),
                    ArnSource::Profile(source) => self.source_profile(name, source, depth)?,
                };
                let request = AssumeRole {
                    role_arn: role.role_arn.clone(),
                    session_name: self.session_name(role),
                    duration_secs: duration(role, name)?,
                    policy: role.policy.clone(),
                    external_id: role.external_id.clone(),
                };
                let url = self.sts_url(role, name)?;
                let fetcher = RamRoleArn::new(source, url, request, self.ca_bundle)?;
                Ok(Credentials::temporary(
                    Fetcher::RamRoleArn(Box::new(fetcher)),
                    description,
                ))
            }
        }
    }

    fn metadata_base(&self) -> Result<String, CredentialError> {
        match (self.metadata_base, self.env.get(env::METADATA_ENDPOINT_ENV)) {
            (Some(base), _) => http::metadata_base(base, "the metadata endpoint option"),
            (None, Some(base)) => http::metadata_base(base, env::METADATA_ENDPOINT_ENV),
            (None, None) => Ok(DEFAULT_METADATA_BASE.to_string()),
        }
    }

    /// ChainableRamRoleArn's `source_profile`, from the same config.json.
    fn source_profile(
        &self,
        name: &str,
        source: &str,
        depth: usize,
    ) -> Result<Credentials, CredentialError> {
        if depth >= MAX_DEPTH {
            return Err(CredentialError::new(format!(
                "profile {name}: source_profile chains more than {MAX_DEPTH} deep (a loop?). Fix \
                 the source_profile entries."
            )));
        }
        let Some(config) = self.cli else {
            return Err(CredentialError::new(format!(
                "profile {name}: its source_profile {source} must be in ~/.aliyun/config.json"
            )));
        };
        let shown = &config.file.shown;
        let spec = config.profile(source).ok_or_else(|| {
            CredentialError::new(format!(
                "profile {name} in {shown} names source_profile {source}, which is not in the \
                 file (it has: {}). Fix the source_profile.",
                config.names().join(", ")
            ))
        })??;
        let description = format!("profile {source} ({}) from {shown}", spec.mode_detail());
        self.build_at(&spec, source, description, depth + 1)
    }

    /// Option, profile `sts_endpoint`, `ALIBABA_CLOUD_STS_ENDPOINT`, then
    /// `sts.<sts_region>.aliyuncs.com`, then `sts.aliyuncs.com`.
    fn sts_url(&self, role: &RoleArnSpec, name: &str) -> Result<reqwest::Url, CredentialError> {
        if let Some(raw) = self.sts_endpoint {
            return http::sts_url(raw, "the STS endpoint option");
        }
        if let Some(raw) = &role.sts_endpoint {
            return http::sts_url(raw, &format!("profile {name}'s sts_endpoint"));
        }
        if let Some(raw) = self.env.get(env::STS_ENDPOINT_ENV) {
            return http::sts_url(raw, env::STS_ENDPOINT_ENV);
        }
        match role.sts_region.as_deref() {
            Some(region) => http::sts_url(
                &format!("sts.{region}.aliyuncs.com"),
                &format!("profile {name}'s sts_region"),
            ),
            None => match self.env.get(env::STS_REGION_ENV) {
                Some(region) => {
                    http::sts_url(&format!("sts.{region}.aliyuncs.com"), env::STS_REGION_ENV)
                }
                None => http::sts_url(DEFAULT_STS_HOST, "the default STS endpoint"),
            },
        }
    }

    fn session_name(&self, role: &RoleArnSpec) -> String {
        role.session_name
            .clone()
            .or_else(|| self.env.get(env::ROLE_SESSION_NAME_ENV).map(str::to_string))
            .unwrap_or_else(|| {
                let secs = SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs());
                format!("ecsimg-{secs}")
            })
    }
}

fn duration(role: &RoleArnSpec, name: &str) -> Result<u64, CredentialError> {
    match role.duration_secs {
        None => Ok(DEFAULT_SESSION_SECS),
        Some(secs) if secs >= MIN_SESSION_SECS => Ok(secs),
        Some(secs) => Err(CredentialError::new(format!(
            "profile {name} asks for a {secs}-second role session; STS needs at least \
             {MIN_SESSION_SECS}. Fix expired_seconds (role_session_expiration in the INI file)."
        ))),
    }
}

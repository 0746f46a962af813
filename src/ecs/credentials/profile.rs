//! What a profile (from either file) says, before any network: the kind of key and the
//! connection settings that travel with it.

use std::time::Duration;

use super::AccessKey;

/// The `mode`s of `~/.aliyun/config.json` ecsimg can use.
pub(super) const SUPPORTED_CLI_MODES: &[&str] = &[
    "AK",
    "StsToken",
    "EcsRamRole",
    "RamRoleArn",
    "ChainableRamRoleArn",
];

/// Modes the aliyun CLI knows but ecsimg does not use (spec §7.2), canonical spelling.
pub(super) const UNSUPPORTED_CLI_MODES: &[&str] = &[
    "RsaKeyPair",
    "RamRoleArnWithRoleName",
    "External",
    "CredentialsURI",
    "OIDC",
    "CloudSSO",
    "OAuth",
    "BearerToken",
    "Anonymous",
];

/// The `type`s of `~/.alibabacloud/credentials` ecsimg can use.
pub(super) const SUPPORTED_INI_TYPES: &[&str] =
    &["access_key", "sts", "ecs_ram_role", "ram_role_arn"];

/// One profile, read but not yet turned into [`super::Credentials`].
#[derive(Debug, Clone)]
pub(super) struct ProfileSpec {
    pub kind: Kind,
    /// The mode as written canonically (`AK`, `RamRoleArn`, `access_key`...).
    pub mode: &'static str,
    pub settings: Settings,
}

#[derive(Debug, Clone)]
pub(super) enum Kind {
    /// AK / StsToken / access_key / sts: the key is in the file.
    Static(AccessKey),
    /// The instance's RAM role; discovered from the metadata service when `None`.
    EcsRamRole {
        role_name: Option<String>,
    },
    RamRoleArn(RoleArnSpec),
}

/// STS `AssumeRole` parameters as the profile gives them.
#[derive(Debug, Clone)]
pub(super) struct RoleArnSpec {
    pub source: ArnSource,
    pub role_arn: String,
    pub session_name: Option<String>,
    pub duration_secs: Option<u64>,
    pub policy: Option<String>,
    pub external_id: Option<String>,
    pub sts_region: Option<String>,
    pub sts_endpoint: Option<String>,
}

/// The key that signs `AssumeRole`.
#[derive(Debug, Clone)]
pub(super) enum ArnSource {
    Key(AccessKey),
    /// ChainableRamRoleArn: another profile of the same file.
    Profile(String),
}

/// Connection settings a profile may carry, surfaced for the CLI.
#[derive(Debug, Clone, Default)]
pub(super) struct Settings {
    pub region: Option<String>,
    pub endpoint_type: Option<String>,
    pub endpoint: Option<String>,
    pub read_timeout: Option<Duration>,
    pub connect_timeout: Option<Duration>,
}

impl ProfileSpec {
    /// `AK`, or `EcsRamRole, role web` / `RamRoleArn, role acs:ram::1:role/x`.
    pub fn mode_detail(&self) -> String {
        match &self.kind {
            Kind::EcsRamRole {
                role_name: Some(role),
            } => format!("{}, role {role}", self.mode),
            Kind::RamRoleArn(spec) => format!("{}, role {}", self.mode, spec.role_arn),
            _ => self.mode.to_string(),
        }
    }
}

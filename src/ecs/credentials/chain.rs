//! The resolver: which credentials, which profile, which region. First hit wins:
//! `--profile` (that profile, nothing else) → environment → `~/.aliyun/config.json` →
//! `~/.alibabacloud/credentials` → `ALIBABA_CLOUD_ECS_METADATA`. No network here.

use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::cli_profile::CliConfig;
use super::ecs_ram_role::EcsRamRole;
use super::env::{self, EnvSnapshot};
use super::file_perms::loose_permissions_warning;
use super::files::CredFile;
use super::http::{self, DEFAULT_METADATA_BASE, DEFAULT_STS_HOST};
use super::ini::IniFile;
use super::profile::{ArnSource, Kind, ProfileSpec, RoleArnSpec, Settings};
use super::ram_role_arn::{AssumeRole, RamRoleArn};
use super::temporary::Fetcher;
use super::{AccessKey, CredentialError, Credentials};

/// What the command line (and the environment) asks for.
#[derive(Debug, Clone)]
pub struct ResolveOptions {
    /// `--profile`: use exactly this profile (config.json, then the INI file); the
    /// environment's keys are not consulted.
    pub profile: Option<String>,
    /// `--region`: wins over the environment and the profile.
    pub region: Option<String>,
    /// The home directory; `None` means `HOME` (or `USERPROFILE`) from `env`.
    pub home: Option<PathBuf>,
    /// The environment to read; [`ResolveOptions::default`] takes the process's.
    pub env: EnvSnapshot,
    /// The metadata service base URL (tests); else `ECSIMG_ECS_METADATA_ENDPOINT`, else
    /// `http://100.100.100.200`.
    pub metadata_base: Option<String>,
    /// The STS endpoint (tests); wins over the profile's `sts_endpoint` and
    /// `ALIBABA_CLOUD_STS_ENDPOINT`.
    pub sts_endpoint: Option<String>,
}

impl Default for ResolveOptions {
    fn default() -> ResolveOptions {
        ResolveOptions::with_env(EnvSnapshot::from_process())
    }
}

impl ResolveOptions {
    /// Nothing asked for, reading `env` instead of the process environment.
    pub fn with_env(env: EnvSnapshot) -> ResolveOptions {
        ResolveOptions {
            profile: None,
            region: None,
            home: None,
            env,
            metadata_base: None,
            sts_endpoint: None,
        }
    }
}

/// The outcome of [`resolve`]: credentials ready to use, and what the profile says about
/// the connection. Debug never shows a secret.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub credentials: Credentials,
    /// The profile's name; `env` for environment variables.
    pub profile_name: String,
    /// Where the credentials come from, e.g. `profile prod (AK) from ~/.aliyun/config.json`.
    pub source: String,
    /// `--region`, else the environment, else the profile's `region_id`.
    pub region: Option<String>,
    /// The profile's `endpoint_type` (`vpc`), if any.
    pub endpoint_type: Option<String>,
    /// The profile's `endpoint`, if any.
    pub endpoint: Option<String>,
    /// The profile's `read_timeout` (seconds in the file), if set and not 0.
    pub read_timeout: Option<Duration>,
    /// The profile's `connect_timeout` (seconds in the file), if set and not 0.
    pub connect_timeout: Option<Duration>,
    /// Things the user should fix but that do not stop ecsimg (loose file permissions).
    pub warnings: Vec<String>,
}

/// Finds the credentials as the brief and spec §7 order it. Reads files and the
/// environment only; temporary keys are fetched on the first `access_key()`.
pub fn resolve(opts: &ResolveOptions) -> Result<Resolved, CredentialError> {
    let mut chain = Chain::new(opts);
    let found = chain.find()?;
    let credentials = chain.build(&found.spec, &found.name, &found.origin, 0)?;
    let settings = found.spec.settings;
    let region = opts
        .region
        .clone()
        .filter(|r| !r.is_empty())
        .or_else(|| opts.env.first(env::REGION).map(|(_, v)| v.to_string()))
        .or(settings.region);
    Ok(Resolved {
        source: credentials.describe(),
        credentials,
        profile_name: found.name,
        region,
        endpoint_type: settings.endpoint_type,
        endpoint: settings.endpoint,
        read_timeout: settings.read_timeout,
        connect_timeout: settings.connect_timeout,
        warnings: chain.warnings,
    })
}

/// A profile that answered, with the name and the words that say where it lives.
struct Found {
    spec: ProfileSpec,
    name: String,
    /// `from ~/.aliyun/config.json`, `ALIBABA_CLOUD_ACCESS_KEY_ID`...
    origin: String,
}

/// Where a profile name came from, for messages.
#[derive(Clone, Copy, PartialEq, Eq)]
enum NameFrom {
    Flag,
    Env(&'static str),
    Current,
    Default,
}

struct Chain<'a> {
    opts: &'a ResolveOptions,
    home: Option<PathBuf>,
    cli: Option<Option<CliConfig>>,
    ini: Option<Option<IniFile>>,
    /// One line per place looked, for the "nothing found" error.
    looked: Vec<String>,
    warnings: Vec<String>,
}

impl<'a> Chain<'a> {
    fn new(opts: &'a ResolveOptions) -> Chain<'a> {
        let home = opts.home.clone().or_else(|| {
            opts.env
                .get("HOME")
                .or_else(|| opts.env.get("USERPROFILE"))
                .map(PathBuf::from)
        });
        Chain {
            opts,
            home,
            cli: None,
            ini: None,
            looked: Vec::new(),
            warnings: Vec::new(),
        }
    }

    fn env(&self) -> &'a EnvSnapshot {
        &self.opts.env
    }

    fn find(&mut self) -> Result<Found, CredentialError> {
        if let Some(name) = self.opts.profile.clone().filter(|n| !n.is_empty()) {
            return self.named(&name, NameFrom::Flag);
        }
        if let Some(found) = self.in_env()? {
            return Ok(found);
        }
        if let Some((var, name)) = self.env().first(env::PROFILE) {
            return self.named(name, NameFrom::Env(var));
        }
        let (cli_name, from) = match self.cli_config()?.and_then(|c| c.current.clone()) {
            Some(current) => (current, NameFrom::Current),
            None => ("default".to_string(), NameFrom::Default),
        };
        if let Some(found) = self.in_cli_config(&cli_name)? {
            return Ok(found);
        }
        if from == NameFrom::Current {
            return Err(self.not_found(&cli_name, from));
        }
        if let Some(found) = self.in_ini("default")? {
            return Ok(found);
        }
        if let Some(role) = self.env().get(env::ECS_METADATA_ENV) {
            return Ok(Found {
                spec: ProfileSpec {
                    kind: Kind::EcsRamRole {
                        role_name: Some(role.to_string()),
                    },
                    mode: "EcsRamRole",
                    settings: Settings::default(),
                },
                name: "ecs-ram-role".to_string(),
                origin: format!("from {}", env::ECS_METADATA_ENV),
            });
        }
        self.looked
            .push(format!("{}: not set", env::ECS_METADATA_ENV));
        Err(self.nothing_found())
    }

    /// A profile chosen by name must exist: config.json first, then the INI file.
    fn named(&mut self, name: &str, from: NameFrom) -> Result<Found, CredentialError> {
        if let Some(found) = self.in_cli_config(name)? {
            return Ok(found);
        }
        if let Some(found) = self.in_ini(name)? {
            return Ok(found);
        }
        Err(self.not_found(name, from))
    }

    fn in_env(&mut self) -> Result<Option<Found>, CredentialError> {
        let env = self.env();
        let id = env.first(env::ACCESS_KEY_ID);
        let secret = env.first(env::ACCESS_KEY_SECRET);
        let (set, missing) = match (id, secret) {
            (Some((id_var, id)), Some((_, secret))) => {
                let mut key = AccessKey::new(id, secret);
                let mut origin = format!("from {id_var}");
                if let Some((token_var, token)) = env.first(env::SECURITY_TOKEN) {
                    key = key.with_token(token);
                    origin.push_str(&format!(" with {token_var}"));
                }
                return Ok(Some(Found {
                    spec: ProfileSpec {
                        kind: Kind::Static(key),
                        mode: "environment",
                        settings: Settings::default(),
                    },
                    name: "env".to_string(),
                    origin,
                }));
            }
            (None, None) => {
                self.looked.push(format!(
                    "environment: {} / {} (or ALIBABACLOUD_*, ALICLOUD_*): not set",
                    env::ACCESS_KEY_ID[0],
                    env::ACCESS_KEY_SECRET[0]
                ));
                return Ok(None);
            }
            (Some((var, _)), None) => (var, env::ACCESS_KEY_SECRET[0]),
            (None, Some((var, _))) => (var, env::ACCESS_KEY_ID[0]),
        };
        Err(CredentialError::new(format!(
            "{set} is set but {missing} is not. Fix: set both (and ALIBABA_CLOUD_SECURITY_TOKEN \
             for an STS key), or unset {set} to use a profile."
        )))
    }

    fn in_cli_config(&mut self, name: &str) -> Result<Option<Found>, CredentialError> {
        let Some(config) = self.cli_config()? else {
            return Ok(None);
        };
        match config.profile(name) {
            Some(spec) => Ok(Some(Found {
                spec: spec?,
                name: name.to_string(),
                origin: format!("from {}", config.file.shown),
            })),
            None => {
                let line = format!(
                    "{}: no profile \"{name}\"{}",
                    config.file.shown,
                    listing(&config.names())
                );
                self.looked.push(line);
                Ok(None)
            }
        }
    }

    fn in_ini(&mut self, name: &str) -> Result<Option<Found>, CredentialError> {
        let Some(ini) = self.ini_file()? else {
            return Ok(None);
        };
        match ini.profile(name) {
            Some(spec) => Ok(Some(Found {
                spec: spec?,
                name: name.to_string(),
                origin: format!("from {}", ini.file.shown),
            })),
            None => {
                let line = format!(
                    "{}: no section [{name}]{}",
                    ini.file.shown,
                    listing(&ini.names())
                );
                self.looked.push(line);
                Ok(None)
            }
        }
    }

    fn cli_config(&mut self) -> Result<Option<&CliConfig>, CredentialError> {
        if self.cli.is_none() {
            let loaded = if self.env().flag(env::CLI_PROFILE_DISABLED_ENV) {
                self.looked.push(format!(
                    "~/.aliyun/config.json: skipped ({}=true)",
                    env::CLI_PROFILE_DISABLED_ENV
                ));
                None
            } else {
                match self.file(env::CONFIG_FILE_ENV, ".aliyun/config.json") {
                    None => None,
                    Some(file) => match self.read(&file)? {
                        None => None,
                        Some(text) => Some(CliConfig::parse(file, &text)?),
                    },
                }
            };
            self.cli = Some(loaded);
        }
        Ok(self.cli.as_ref().and_then(Option::as_ref))
    }

    fn ini_file(&mut self) -> Result<Option<&IniFile>, CredentialError> {
        if self.ini.is_none() {
            let loaded = match self.file(env::CREDENTIALS_FILE_ENV, ".alibabacloud/credentials") {
                None => None,
                Some(file) => match self.read(&file)? {
                    None => None,
                    Some(text) => Some(IniFile::parse(file, &text)?),
                },
            };
            self.ini = Some(loaded);
        }
        Ok(self.ini.as_ref().and_then(Option::as_ref))
    }

    /// The file at `$override_var`, else `$HOME/relative`.
    fn file(&mut self, override_var: &str, relative: &str) -> Option<CredFile> {
        let home = self.home.as_deref();
        if let Some(path) = self.opts.env.get(override_var) {
            let mut file = CredFile::new(PathBuf::from(path), home);
            file.shown = format!("{} ({override_var})", file.shown);
            return Some(file);
        }
        match home {
            Some(home) => Some(CredFile::new(home.join(relative), Some(home))),
            None => {
                self.looked
                    .push(format!("~/{relative}: no home directory (HOME is not set)"));
                None
            }
        }
    }

    fn read(&mut self, file: &CredFile) -> Result<Option<String>, CredentialError> {
        let text = file.read()?;
        match &text {
            None => self.looked.push(format!("{}: no such file", file.shown)),
            Some(_) => self.warnings.extend(loose_permissions_warning(file)),
        }
        Ok(text)
    }

    /// Turns a profile into credentials; `depth` guards ChainableRamRoleArn loops.
    fn build(
        &mut self,
        spec: &ProfileSpec,
        name: &str,
        origin: &str,
        depth: usize,
    ) -> Result<Credentials, CredentialError> {
        let description = if spec.mode == "environment" {
            format!(
                "environment variables ({})",
                origin.trim_start_matches("from ")
            )
        } else {
            format!("profile {name} ({}) {origin}", spec.mode_detail())
        };
        match &spec.kind {
            Kind::Static(key) => Ok(Credentials::fixed(key.clone()).with_description(description)),
            Kind::EcsRamRole { role_name } => {
                if self.env().flag(env::ECS_METADATA_DISABLED_ENV) {
                    return Err(CredentialError::new(format!(
                        "{description} needs the instance metadata service, but {}=true \
                         disables it. Unset it or pick another profile with --profile NAME.",
                        env::ECS_METADATA_DISABLED_ENV
                    )));
                }
                let (raw, origin) = match (
                    &self.opts.metadata_base,
                    self.env().get(env::METADATA_ENDPOINT_ENV),
                ) {
                    (Some(base), _) => (base.clone(), "the metadata endpoint option".to_string()),
                    (None, Some(base)) => {
                        (base.to_string(), env::METADATA_ENDPOINT_ENV.to_string())
                    }
                    (None, None) => (
                        DEFAULT_METADATA_BASE.to_string(),
                        "the metadata endpoint".to_string(),
                    ),
                };
                let base = http::metadata_base(&raw, &origin)?;
                let require_token = self.env().flag(env::IMDSV1_DISABLED_ENV);
                let fetcher = EcsRamRole::new(base, role_name.clone(), require_token)?;
                Ok(Credentials::temporary(
                    Fetcher::EcsRamRole(fetcher),
                    description,
                ))
            }
            Kind::RamRoleArn(role) => {
                let source = match &role.source {
                    ArnSource::Key(key) => Credentials::fixed(key.clone()),
                    ArnSource::Profile(source_name) => {
                        self.source_profile(name, source_name, depth)?
                    }
                };
                let url = self.sts_url(role, name)?;
                let request = AssumeRole {
                    role_arn: role.role_arn.clone(),
                    session_name: self.session_name(role),
                    duration_secs: self.duration(role, name)?,
                    policy: role.policy.clone(),
                    external_id: role.external_id.clone(),
                };
                let fetcher = RamRoleArn::new(source, url, request)?;
                Ok(Credentials::temporary(
                    Fetcher::RamRoleArn(Box::new(fetcher)),
                    description,
                ))
            }
        }
    }

    /// ChainableRamRoleArn's `source_profile`, from the same config.json.
    fn source_profile(
        &mut self,
        name: &str,
        source_name: &str,
        depth: usize,
    ) -> Result<Credentials, CredentialError> {
        const MAX_DEPTH: usize = 5;
        if depth >= MAX_DEPTH {
            return Err(CredentialError::new(format!(
                "profile {name}: source_profile chains more than {MAX_DEPTH} deep (a loop?). Fix \
                 the source_profile entries."
            )));
        }
        let Some(config) = self.cli_config()? else {
            return Err(CredentialError::new(format!(
                "profile {name}: its source_profile {source_name} needs ~/.aliyun/config.json"
            )));
        };
        let shown = config.file.shown.clone();
        let spec = config.profile(source_name).ok_or_else(|| {
            CredentialError::new(format!(
                "profile {name} in {shown} names source_profile {source_name}, which is not in the \
                 file{}. Fix the source_profile.",
                listing(&config.names())
            ))
        })??;
        self.build(&spec, source_name, &format!("from {shown}"), depth + 1)
    }

    fn sts_url(&self, role: &RoleArnSpec, name: &str) -> Result<reqwest::Url, CredentialError> {
        if let Some(raw) = &self.opts.sts_endpoint {
            return http::sts_url(raw, "the STS endpoint option");
        }
        if let Some(raw) = &role.sts_endpoint {
            return http::sts_url(raw, &format!("profile {name}'s sts_endpoint"));
        }
        if let Some(raw) = self.env().get(env::STS_ENDPOINT_ENV) {
            return http::sts_url(raw, env::STS_ENDPOINT_ENV);
        }
        let region = role
            .sts_region
            .as_deref()
            .or_else(|| self.env().get(env::STS_REGION_ENV));
        let host = match region {
            Some(region) => format!("sts.{region}.aliyuncs.com"),
            None => DEFAULT_STS_HOST.to_string(),
        };
        http::sts_url(&host, &format!("profile {name}'s sts_region"))
    }

    fn session_name(&self, role: &RoleArnSpec) -> String {
        role.session_name
            .clone()
            .or_else(|| {
                self.env()
                    .get(env::ROLE_SESSION_NAME_ENV)
                    .map(str::to_string)
            })
            .unwrap_or_else(|| {
                let secs = SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs());
                format!("ecsimg-{secs}")
            })
    }

    fn duration(&self, role: &RoleArnSpec, name: &str) -> Result<u64, CredentialError> {
        const DEFAULT_SECS: u64 = 3600;
        const MIN_SECS: u64 = 900;
        match role.duration_secs {
            None => Ok(DEFAULT_SECS),
            Some(secs) if secs >= MIN_SECS => Ok(secs),
            Some(secs) => Err(CredentialError::new(format!(
                "profile {name} asks for a {secs}-second role session; STS needs at least \
                 {MIN_SECS}. Fix expired_seconds (role_session_expiration in the INI file)."
            ))),
        }
    }

    fn not_found(&self, name: &str, from: NameFrom) -> CredentialError {
        let why = match from {
            NameFrom::Flag => "--profile names".to_string(),
            NameFrom::Env(var) => format!("{var} names"),
            NameFrom::Current => {
                let shown = self
                    .cli
                    .as_ref()
                    .and_then(Option::as_ref)
                    .map(|c| c.file.shown.as_str());
                format!(
                    "the \"current\" entry of {} names",
                    shown.unwrap_or("~/.aliyun/config.json")
                )
            }
            NameFrom::Default => "looked for".to_string(),
        };
        let fix = match from {
            NameFrom::Env(var) => format!("unset {var} or set it to an existing profile"),
            NameFrom::Current => "run `aliyun configure switch --profile NAME`, or pass --profile NAME".to_string(),
            _ => "pass an existing profile to --profile, or create it with `aliyun configure --profile NAME`".to_string(),
        };
        CredentialError::new(format!(
            "{why} profile \"{name}\", but no such profile exists.\n{}\nFix: {fix}.",
            self.looked_lines()
        ))
    }

    fn nothing_found(&self) -> CredentialError {
        CredentialError::new(format!(
            "no Alibaba Cloud credentials found.\n{}\nFix, one of:\n  \
             - export ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET (plus \
             ALIBABA_CLOUD_SECURITY_TOKEN for an STS key)\n  \
             - run `aliyun configure` to write ~/.aliyun/config.json, then pick a profile with \
             --profile NAME\n  \
             - add a [default] section to ~/.alibabacloud/credentials\n  \
             - try ecsimg without an account: ecsimg --demo",
            self.looked_lines()
        ))
    }

    fn looked_lines(&self) -> String {
        let mut out = String::from("ecsimg looked at:");
        for line in &self.looked {
            out.push_str("\n  - ");
            out.push_str(line);
        }
        out
    }
}

/// ` (profiles: a, b)` or ` (the file has none)`.
fn listing(names: &[&str]) -> String {
    if names.is_empty() {
        " (the file has none)".to_string()
    } else {
        format!(" (it has: {})", names.join(", "))
    }
}

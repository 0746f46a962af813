//! The resolver: which credentials, which profile, which region. First hit wins:
//! `--profile` (that profile, nothing else) → environment → `~/.aliyun/config.json` →
//! `~/.alibabacloud/credentials` → `ALIBABA_CLOUD_ECS_METADATA`. No network here.

use std::path::PathBuf;
use std::time::Duration;

use super::build::Builder;
use super::cli_profile::CliConfig;
use super::env::{self, EnvSnapshot};
use super::file_perms::loose_permissions_warning;
use super::files::CredFile;
use super::ini::IniFile;
use super::profile::{Kind, ProfileSpec, Settings};
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
    /// CA certificates STS is trusted by besides the bundled and the system's roots
    /// (`--ca-bundle`), as the ECS client is.
    pub ca_bundle: Option<crate::ecs::tls::CaBundle>,
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
            ca_bundle: None,
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
    let builder = Builder {
        env: &opts.env,
        metadata_base: opts.metadata_base.as_deref(),
        sts_endpoint: opts.sts_endpoint.as_deref(),
        ca_bundle: opts.ca_bundle.as_ref(),
        cli: chain.cli.as_ref().and_then(Option::as_ref),
    };
    let credentials = builder.build(&found.spec, &found.name, found.description)?;
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

/// The profile names in `~/.aliyun/config.json`, then those only in
/// `~/.alibabacloud/credentials`, each once, in file order: what a profile picker offers.
/// Reads files only. A missing, unreadable or damaged file contributes nothing; resolving
/// a profile reports its problem.
pub fn profile_names(opts: &ResolveOptions) -> Vec<String> {
    let mut chain = Chain::new(opts);
    let mut names: Vec<String> = Vec::new();
    if let Ok(Some(cli)) = chain.cli_config() {
        names.extend(cli.names().into_iter().map(str::to_string));
    }
    if let Ok(Some(ini)) = chain.ini_file() {
        names.extend(ini.names().into_iter().map(str::to_string));
    }
    let mut seen = std::collections::HashSet::new();
    names.retain(|n| seen.insert(n.clone()));
    names
}

/// A profile that answered, with the name and the words that say where it lives.
struct Found {
    spec: ProfileSpec,
    name: String,
    /// What [`Credentials::describe`] will say.
    description: String,
}

impl Found {
    fn in_file(spec: ProfileSpec, name: &str, file: &CredFile) -> Found {
        let description = format!(
            "profile {name} ({}) from {}",
            spec.mode_detail(),
            file.shown
        );
        Found {
            spec,
            name: name.to_string(),
            description,
        }
    }
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
                description: format!("ECS RAM role {role} (from {})", env::ECS_METADATA_ENV),
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
                let mut description = format!("environment variables ({id_var}");
                if let Some((token_var, token)) = env.first(env::SECURITY_TOKEN) {
                    key = key.with_token(token);
                    description.push_str(&format!(" with {token_var}"));
                }
                description.push(')');
                return Ok(Some(Found {
                    spec: ProfileSpec {
                        kind: Kind::Static(key),
                        mode: "AK",
                        settings: Settings::default(),
                    },
                    name: "env".to_string(),
                    description,
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
            Some(spec) => Ok(Some(Found::in_file(spec?, name, &config.file))),
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
            Some(spec) => Ok(Some(Found::in_file(spec?, name, &ini.file))),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn opts_for(home: &std::path::Path) -> ResolveOptions {
        ResolveOptions {
            home: Some(home.to_path_buf()),
            ..ResolveOptions::with_env(EnvSnapshot::empty())
        }
    }

    #[test]
    fn profile_names_lists_both_files_once_each() {
        let home = tempfile::tempdir().unwrap();
        assert!(profile_names(&opts_for(home.path())).is_empty());
        std::fs::create_dir_all(home.path().join(".aliyun")).unwrap();
        std::fs::write(
            home.path().join(".aliyun/config.json"),
            r#"{"current":"prod","profiles":[{"name":"prod","mode":"AK"},{"name":"dev","mode":"AK"}]}"#,
        )
        .unwrap();
        std::fs::create_dir_all(home.path().join(".alibabacloud")).unwrap();
        std::fs::write(
            home.path().join(".alibabacloud/credentials"),
            "[default]\ntype = access_key\n\n[dev]\ntype = access_key\n",
        )
        .unwrap();
        assert_eq!(
            profile_names(&opts_for(home.path())),
            ["prod", "dev", "default"]
        );
    }

    #[test]
    fn a_damaged_file_contributes_nothing() {
        let home = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(home.path().join(".aliyun")).unwrap();
        std::fs::write(home.path().join(".aliyun/config.json"), "{not json").unwrap();
        std::fs::create_dir_all(home.path().join(".alibabacloud")).unwrap();
        std::fs::write(
            home.path().join(".alibabacloud/credentials"),
            "[ops]\ntype = access_key\n",
        )
        .unwrap();
        assert_eq!(profile_names(&opts_for(home.path())), ["ops"]);
    }
}

//! ecsimg's own config file: `$XDG_CONFIG_HOME/ecsimg/config.toml` (else
//! `~/.config/ecsimg/config.toml`, or `--config FILE`). It never holds credentials: those
//! stay in the aliyun CLI's files and the environment.
//!
//! ```toml
//! default_profile = "prod"
//! default_region = "cn-hangzhou"
//! endpoint_type = "vpc"          # public | vpc
//! ess_endpoint = "https://ess.example.com/"   # Auto Scaling; else it follows the endpoint
//! connect_timeout = "5s"         # or seconds: 5
//! read_timeout = "30s"
//! page_concurrency = 16          # most pages of a listing at once (1–64)
//! ca_bundle = "corp-proxy-ca.pem" # also trust these CAs (relative: beside this file)
//!
//! [profiles.prod]
//! read_only = true               # every change is refused with this profile
//! region = "cn-shanghai"
//! endpoint_type = "public"
//! endpoint = "https://ecs.cn-shanghai.aliyuncs.com/"
//!
//! [theme]
//! ascii = false                  # plain ASCII borders and symbols
//! color = true                   # false: no colours (as NO_COLOR)
//!
//! [batch]                        # many images at once
//! concurrency = 4
//! rate = 10                      # calls a second; 0: no limit
//!
//! [keys]                         # action = key; see `keys::action_names`
//! refresh = "F5"
//! journal = "ctrl-j"
//! ```
//!
//! A missing file is fine. A bad one is an error that names the file, the line and the fix;
//! an unknown key is an error too, with "did you mean" when a known key is close.

pub mod batch;
pub mod durations;
mod error;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Deserializer};
use toml::Spanned;

use crate::keys::Keymap;

#[cfg(test)]
use error::did_you_mean;
use error::line_of;
pub use error::ConfigError;

/// `public` or `vpc`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum EndpointType {
    /// `ecs.<region>.aliyuncs.com`
    Public,
    /// `ecs-vpc.<region>.aliyuncs.com`, from inside an Alibaba Cloud VPC.
    Vpc,
}

/// The whole config file, validated.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Config {
    /// The file that was read; `None` when there was none.
    pub path: Option<PathBuf>,
    /// The credential profile used when neither `--profile` nor the environment names one.
    pub default_profile: Option<String>,
    /// The region used when no flag, environment variable or profile gives one.
    pub default_region: Option<String>,
    pub endpoint_type: Option<EndpointType>,
    /// Auto Scaling's endpoint, when it is not what the ECS endpoint implies.
    pub ess_endpoint: Option<String>,
    pub connect_timeout: Option<Duration>,
    pub read_timeout: Option<Duration>,
    /// The most pages of one listing in flight at once (the pace adapts below it).
    pub page_concurrency: Option<usize>,
    /// `ca_bundle`: a PEM file of CA certificates to trust as well (a TLS-inspecting proxy).
    pub ca_bundle: Option<CaBundleSetting>,
    pub profiles: BTreeMap<String, ProfileConfig>,
    pub theme: ThemeConfig,
    /// Key overrides for the TUI, validated (known actions, parseable keys, no clashes).
    pub keymap: Keymap,
    /// `[batch]`: concurrency and rate of changes to many images.
    pub batch: batch::BatchConfig,
}

/// Where `ca_bundle` points (a relative path taken from the config file's directory), and
/// its line, so a file that is not a CA bundle is reported at the setting that named it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaBundleSetting {
    pub path: PathBuf,
    pub line: usize,
}

/// `[profiles.<name>]`: settings for one credential profile.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileConfig {
    /// Refuse every change made with this profile.
    #[serde(default)]
    pub read_only: bool,
    pub region: Option<String>,
    pub endpoint_type: Option<EndpointType>,
    pub endpoint: Option<String>,
    /// Auto Scaling's endpoint for this profile.
    pub ess_endpoint: Option<String>,
}

/// `[theme]`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThemeConfig {
    /// Plain ASCII borders and symbols.
    #[serde(default)]
    pub ascii: bool,
    /// `Some(false)`: no colours. `None`: colours unless `NO_COLOR` is set.
    pub color: Option<bool>,
}

impl Config {
    /// `$XDG_CONFIG_HOME/ecsimg/config.toml`, else `~/.config/ecsimg/config.toml`.
    pub fn default_path() -> Option<PathBuf> {
        let base = std::env::var_os("XDG_CONFIG_HOME")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
        Some(base.join("ecsimg").join("config.toml"))
    }

    /// Reads `explicit` (which must exist) or the default path (which may be missing).
    pub fn load(explicit: Option<&Path>) -> Result<Config, ConfigError> {
        let (path, must_exist) = match explicit {
            Some(p) => (p.to_path_buf(), true),
            None => match Config::default_path() {
                Some(p) => (p, false),
                None => return Ok(Config::default()),
            },
        };
        match crate::textfile::read(&path) {
            Ok(text) => Config::parse(&text, &path),
            Err(crate::textfile::ReadError::NotFound) if !must_exist => Ok(Config::default()),
            Err(e) => Err(ConfigError {
                path,
                line: None,
                message: format!("cannot read it: {e}"),
                fix: if must_exist {
                    "check the path given to --config".to_string()
                } else {
                    "make it a readable file of settings, or move it aside".to_string()
                },
            }),
        }
    }

    /// Parses and validates the text of a config file; `path` is only for messages.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let raw: RawConfig =
            toml::from_str(text).map_err(|e| ConfigError::from_toml(&e, text, path))?;
        let keymap = Keymap::from_config(raw.keys.iter().map(|(action, key)| {
            (
                (
                    action.get_ref().as_str(),
                    line_of(text, action.span().start),
                ),
                key.get_ref().as_str(),
            )
        }))
        .map_err(|e| ConfigError::from_keys(e, path))?;
        Ok(Config {
            path: Some(path.to_path_buf()),
            default_profile: raw.default_profile,
            default_region: raw.default_region,
            endpoint_type: raw.endpoint_type,
            ess_endpoint: raw.ess_endpoint,
            connect_timeout: raw.connect_timeout,
            read_timeout: raw.read_timeout,
            page_concurrency: raw.page_concurrency,
            ca_bundle: raw.ca_bundle.map(|setting| CaBundleSetting {
                line: line_of(text, setting.span().start),
                path: path
                    .parent()
                    .unwrap_or(Path::new(""))
                    .join(setting.into_inner()),
            }),
            profiles: raw.profiles,
            theme: raw.theme,
            keymap,
            batch: raw.batch,
        })
    }

    /// The settings of profile `name`, if the file has a section for it.
    pub fn profile(&self, name: &str) -> Option<&ProfileConfig> {
        self.profiles.get(name)
    }

    /// Whether profile `name` is marked `read_only`.
    pub fn read_only_for(&self, name: &str) -> bool {
        self.profile(name).is_some_and(|p| p.read_only)
    }
}

/// The file as written; `deny_unknown_fields` everywhere so a typo is never silently ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    default_profile: Option<String>,
    default_region: Option<String>,
    endpoint_type: Option<EndpointType>,
    ess_endpoint: Option<String>,
    #[serde(default, deserialize_with = "timeout")]
    connect_timeout: Option<Duration>,
    #[serde(default, deserialize_with = "timeout")]
    read_timeout: Option<Duration>,
    #[serde(default, deserialize_with = "concurrency")]
    page_concurrency: Option<usize>,
    ca_bundle: Option<Spanned<PathBuf>>,
    #[serde(default)]
    profiles: BTreeMap<String, ProfileConfig>,
    #[serde(default)]
    theme: ThemeConfig,
    #[serde(default)]
    keys: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    batch: batch::BatchConfig,
}

/// A timeout as `"5s"` / `"500ms"` or a number of seconds.
fn timeout<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Duration>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Value {
        Seconds(f64),
        Text(String),
    }
    let parsed = match Value::deserialize(d)? {
        Value::Seconds(s) => Duration::try_from_secs_f64(s).map_err(|e| e.to_string()),
        Value::Text(t) => durations::parse_duration(&t),
    };
    parsed
        .and_then(durations::check_timeout)
        .map(Some)
        .map_err(serde::de::Error::custom)
}

/// The most requests at once a config may ask for.
pub const MAX_PAGE_CONCURRENCY: usize = 64;

/// `page_concurrency`: a whole number from 1 to [`MAX_PAGE_CONCURRENCY`].
fn concurrency<'de, D: Deserializer<'de>>(d: D) -> Result<Option<usize>, D::Error> {
    let n = i64::deserialize(d)?;
    check_concurrency(n)
        .map(Some)
        .map_err(serde::de::Error::custom)
}

/// A page concurrency from the config file or the command line, checked.
pub fn check_concurrency(n: i64) -> Result<usize, String> {
    usize::try_from(n)
        .ok()
        .filter(|n| (1..=MAX_PAGE_CONCURRENCY).contains(n))
        .ok_or_else(|| format!("page_concurrency {n} is not between 1 and {MAX_PAGE_CONCURRENCY}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(text, Path::new("/home/op/.config/ecsimg/config.toml"))
    }

    #[test]
    fn a_full_file_parses() {
        let config = parse(
            r#"
default_profile = "prod"
default_region = "cn-hangzhou"
endpoint_type = "vpc"
connect_timeout = "5s"
read_timeout = 30

[profiles.prod]
read_only = true
region = "cn-shanghai"

[profiles.dev]
endpoint = "http://127.0.0.1:8080/"
ess_endpoint = "http://127.0.0.1:8081/"

[theme]
ascii = true
color = false

[keys]
refresh = "F5"
journal = "ctrl-j"
"#,
        )
        .unwrap();
        assert_eq!(config.default_profile.as_deref(), Some("prod"));
        assert_eq!(config.endpoint_type, Some(EndpointType::Vpc));
        assert_eq!(
            config.profile("dev").unwrap().ess_endpoint.as_deref(),
            Some("http://127.0.0.1:8081/")
        );
        assert_eq!(config.ess_endpoint, None);
        assert_eq!(config.connect_timeout, Some(Duration::from_secs(5)));
        assert_eq!(config.read_timeout, Some(Duration::from_secs(30)));
        assert!(config.read_only_for("prod"));
        assert!(!config.read_only_for("dev"));
        assert!(!config.read_only_for("nowhere"));
        assert_eq!(
            config.profile("prod").unwrap().region.as_deref(),
            Some("cn-shanghai")
        );
        assert!(config.theme.ascii);
        assert_eq!(config.theme.color, Some(false));
        let key = |i| config.keymap.key_for(i).unwrap().to_string();
        assert_eq!(key(crate::keys::Intent::Refresh), "F5");
        assert_eq!(key(crate::keys::Intent::Quit), "q");
    }

    #[test]
    fn ca_bundle_is_taken_beside_the_file_unless_absolute() {
        let config = parse("\nca_bundle = \"proxy-ca.pem\"\n").unwrap();
        let setting = config.ca_bundle.unwrap();
        assert_eq!(
            setting.path,
            Path::new("/home/op/.config/ecsimg/proxy-ca.pem")
        );
        assert_eq!(setting.line, 2);
        let config = parse("ca_bundle = \"/etc/corp/ca.pem\"\n").unwrap();
        assert_eq!(
            config.ca_bundle.unwrap().path,
            Path::new("/etc/corp/ca.pem")
        );
    }

    #[test]
    fn an_empty_file_is_the_defaults() {
        let config = parse("").unwrap();
        assert_eq!(config.default_region, None);
        assert!(config.keymap.is_empty());
    }

    #[test]
    fn a_missing_default_file_is_fine_but_a_missing_explicit_one_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope.toml");
        let err = Config::load(Some(&missing)).unwrap_err();
        assert!(err.to_string().contains("nope.toml"), "{err}");
        assert!(err.fix.contains("--config"), "{err}");
    }

    #[test]
    fn only_a_regular_file_of_a_few_megabytes_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big.toml");
        std::fs::File::create(&big)
            .unwrap()
            .set_len(8 * 1024 * 1024)
            .unwrap();
        let err = Config::load(Some(&big)).unwrap_err();
        assert!(err.message.contains("larger than 4 MB"), "{err}");
        let err = Config::load(Some(dir.path())).unwrap_err();
        assert!(err.message.contains("a directory"), "{err}");
    }

    #[test]
    fn an_unknown_key_names_the_line_and_suggests_the_close_one() {
        let err = parse("default_region = \"cn-hangzhou\"\n\n[profiles.prod]\nread_onyl = true\n")
            .unwrap_err();
        assert_eq!(err.line, Some(4), "{err}");
        assert!(err.message.contains("read_onyl"), "{err}");
        assert!(err.fix.contains("did you mean `read_only`"), "{err}");
        let shown = err.to_string();
        assert!(
            shown.starts_with("/home/op/.config/ecsimg/config.toml:4: "),
            "{shown}"
        );
    }

    #[test]
    fn an_unknown_top_level_key_far_from_any_is_removed() {
        let err = parse("colour_scheme = \"dark\"\n").unwrap_err();
        assert_eq!(err.line, Some(1));
        assert!(err.fix.starts_with("remove `colour_scheme`"), "{err}");
    }

    #[test]
    fn a_wrong_type_says_how_to_write_it() {
        let err = parse("[profiles.prod]\n\nread_only = \"yes\"\n").unwrap_err();
        assert_eq!(err.line, Some(3), "{err}");
        assert!(err.fix.contains("true or false"), "{err}");
    }

    #[test]
    fn a_bad_endpoint_type_lists_the_choices() {
        let err = parse("endpoint_type = \"vcp\"\n").unwrap_err();
        assert_eq!(err.line, Some(1));
        assert!(err.fix.contains("did you mean `vpc`"), "{err}");
    }

    #[test]
    fn a_bad_timeout_says_how_to_write_a_duration() {
        let err = parse("\nread_timeout = \"soon\"\n").unwrap_err();
        assert_eq!(err.line, Some(2), "{err}");
        assert!(err.fix.contains("duration"), "{err}");
    }

    #[test]
    fn page_concurrency_is_a_number_from_1_to_64() {
        assert_eq!(
            parse("page_concurrency = 8\n").unwrap().page_concurrency,
            Some(8)
        );
        let err = parse("\npage_concurrency = 0\n").unwrap_err();
        assert_eq!(err.line, Some(2), "{err}");
        assert!(err.message.contains("between 1 and 64"), "{err}");
        assert!(err.fix.contains("whole number"), "{err}");
    }

    #[test]
    fn a_syntax_error_names_the_line() {
        let err = parse("default_profile = \"prod\"\ndefault_region = cn-hangzhou\n").unwrap_err();
        assert_eq!(err.line, Some(2), "{err}");
    }

    #[test]
    fn a_bad_key_binding_names_its_line() {
        let err = parse("[keys]\nrefresh = \"F5\"\nrefrsh = \"x\"\n").unwrap_err();
        assert_eq!(err.line, Some(3), "{err}");
        assert!(err.fix.contains("did you mean `refresh`"), "{err}");
    }

    #[test]
    fn suggestions_only_for_near_misses() {
        assert_eq!(
            did_you_mean("read-only", &["read_only", "region"]),
            Some("read_only")
        );
        assert_eq!(did_you_mean("zzzzzz", &["read_only", "region"]), None);
    }
}

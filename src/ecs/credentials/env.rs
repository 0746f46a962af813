//! The environment as a plain map, and the variable names (with their aliases, in the
//! order the aliyun CLI reads them, spec §7.1).

use std::collections::BTreeMap;

/// AccessKey ID, most specific name first. The bare `ACCESS_KEY_ID` the aliyun CLI also
/// reads is left out: it is too generic a name to trust as an Alibaba Cloud key.
pub(super) const ACCESS_KEY_ID: &[&str] = &[
    "ALIBABA_CLOUD_ACCESS_KEY_ID",
    "ALIBABACLOUD_ACCESS_KEY_ID",
    "ALICLOUD_ACCESS_KEY_ID",
];
pub(super) const ACCESS_KEY_SECRET: &[&str] = &[
    "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
    "ALIBABACLOUD_ACCESS_KEY_SECRET",
    "ALICLOUD_ACCESS_KEY_SECRET",
];
pub(super) const SECURITY_TOKEN: &[&str] = &[
    "ALIBABA_CLOUD_SECURITY_TOKEN",
    "ALIBABACLOUD_SECURITY_TOKEN",
    "ALICLOUD_SECURITY_TOKEN",
];
pub(super) const REGION: &[&str] = &[
    "ALIBABA_CLOUD_REGION_ID",
    "ALIBABACLOUD_REGION_ID",
    "ALICLOUD_REGION_ID",
    "REGION_ID",
    "REGION",
];
pub(super) const PROFILE: &[&str] = &[
    "ALIBABACLOUD_PROFILE",
    "ALIBABA_CLOUD_PROFILE",
    "ALICLOUD_PROFILE",
];

/// Overrides the path of the aliyun CLI's `~/.aliyun/config.json`.
pub const CONFIG_FILE_ENV: &str = "ALIBABA_CLOUD_CONFIG_FILE";
/// `true` skips `~/.aliyun/config.json` entirely.
pub const CLI_PROFILE_DISABLED_ENV: &str = "ALIBABA_CLOUD_CLI_PROFILE_DISABLED";
/// Overrides the path of the `~/.alibabacloud/credentials` INI file.
pub const CREDENTIALS_FILE_ENV: &str = "ALIBABA_CLOUD_CREDENTIALS_FILE";
/// The STS endpoint for RamRoleArn (a host name or a URL); a profile's `sts_endpoint` wins.
pub const STS_ENDPOINT_ENV: &str = "ALIBABA_CLOUD_STS_ENDPOINT";
/// The STS region when a RamRoleArn profile names none (`sts.<region>.aliyuncs.com`).
pub(super) const STS_REGION_ENV: &str = "ALIBABA_CLOUD_STS_REGION";
/// The role session name for AssumeRole when the profile names none.
pub(super) const ROLE_SESSION_NAME_ENV: &str = "ALIBABA_CLOUD_ROLE_SESSION_NAME";
/// A RAM role name: use the ECS instance's role when no file gives credentials.
pub const ECS_METADATA_ENV: &str = "ALIBABA_CLOUD_ECS_METADATA";
/// `true` refuses every use of the instance metadata service.
pub(super) const ECS_METADATA_DISABLED_ENV: &str = "ALIBABA_CLOUD_ECS_METADATA_DISABLED";
/// `true` requires an IMDSv2 token (no fallback to token-less requests).
pub(super) const IMDSV1_DISABLED_ENV: &str = "ALIBABA_CLOUD_IMDSV1_DISABLED";
/// ecsimg's own: the base URL of the instance metadata service (default
/// `http://100.100.100.200`). Not an Alibaba Cloud variable, hence the prefix.
pub const METADATA_ENDPOINT_ENV: &str = "ECSIMG_ECS_METADATA_ENDPOINT";

/// A snapshot of environment variables. Resolution reads only this map, so tests pass
/// their own and never touch the process environment.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct EnvSnapshot {
    vars: BTreeMap<String, String>,
}

impl EnvSnapshot {
    /// The current process environment (variables that are not UTF-8 are skipped).
    pub fn from_process() -> EnvSnapshot {
        EnvSnapshot {
            vars: std::env::vars_os()
                .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
                .collect(),
        }
    }

    /// An empty environment.
    pub fn empty() -> EnvSnapshot {
        EnvSnapshot::default()
    }

    /// Sets one variable (builder style, for tests).
    pub fn with(mut self, name: impl Into<String>, value: impl Into<String>) -> EnvSnapshot {
        self.vars.insert(name.into(), value.into());
        self
    }

    /// The value of `name`; an empty value counts as unset.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// The first of `names` that is set, with the name it came from.
    pub(super) fn first(&self, names: &[&'static str]) -> Option<(&'static str, &str)> {
        names
            .iter()
            .find_map(|&name| self.get(name).map(|v| (name, v)))
    }

    /// `true`/`TRUE`/`1` (anything else, or unset, is false).
    pub(super) fn flag(&self, name: &str) -> bool {
        self.get(name)
            .is_some_and(|v| v.eq_ignore_ascii_case("true") || v == "1")
    }
}

impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for EnvSnapshot {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> EnvSnapshot {
        EnvSnapshot {
            vars: iter
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        }
    }
}

/// Only the names: values may be secrets.
impl std::fmt::Debug for EnvSnapshot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EnvSnapshot")
            .field("names", &self.vars.keys().collect::<Vec<_>>())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_values_count_as_unset_and_order_decides() {
        let env: EnvSnapshot = [
            ("ALIBABA_CLOUD_REGION_ID", ""),
            ("ALICLOUD_REGION_ID", "cn-beijing"),
            ("REGION", "x"),
        ]
        .into_iter()
        .collect();
        assert_eq!(
            env.first(REGION),
            Some(("ALICLOUD_REGION_ID", "cn-beijing"))
        );
    }

    #[test]
    fn debug_shows_names_only() {
        let env = EnvSnapshot::empty().with("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "hunter2");
        let shown = format!("{env:?}");
        assert!(shown.contains("ALIBABA_CLOUD_ACCESS_KEY_SECRET"));
        assert!(!shown.contains("hunter2"));
    }
}

//! The aliyun CLI's `~/.aliyun/config.json` (spec §7.2): read, never rewritten.

use std::time::Duration;

use serde_json::{Map, Value};

use super::files::CredFile;
use super::profile::{
    ArnSource, Kind, ProfileSpec, RoleArnSpec, Settings, SUPPORTED_CLI_MODES, UNSUPPORTED_CLI_MODES,
};
use super::{AccessKey, CredentialError};

/// The parsed file: its `current` profile name and every named profile.
#[derive(Debug)]
pub(super) struct CliConfig {
    pub file: CredFile,
    pub current: Option<String>,
    profiles: Vec<(String, Map<String, Value>)>,
}

impl CliConfig {
    pub fn parse(file: CredFile, text: &str) -> Result<CliConfig, CredentialError> {
        let root: Value = serde_json::from_str(text).map_err(|e| {
            CredentialError::new(format!(
                "{} is not valid JSON: {e}. Fix the JSON there, run `aliyun configure` to \
                 rewrite the file, or point ALIBABA_CLOUD_CONFIG_FILE at another file.",
                file.shown
            ))
        })?;
        let shape_error = |what: &str| {
            CredentialError::new(format!(
                "{}: {what}. Expected {{\"current\": \"name\", \"profiles\": [{{\"name\": ..., \
                 \"mode\": ...}}]}}, as `aliyun configure` writes it.",
                file.shown
            ))
        };
        let root = root
            .as_object()
            .ok_or_else(|| shape_error("the top level is not an object"))?;
        let current = match root.get("current") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()).filter(|s| !s.is_empty()),
            Some(_) => return Err(shape_error("\"current\" is not a string")),
        };
        let mut profiles = Vec::new();
        match root.get("profiles") {
            None | Some(Value::Null) => {}
            Some(Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    let obj = item
                        .as_object()
                        .ok_or_else(|| shape_error(&format!("profiles[{i}] is not an object")))?;
                    if let Some(name) = obj.get("name").and_then(Value::as_str) {
                        profiles.push((name.to_string(), obj.clone()));
                    }
                }
            }
            Some(_) => return Err(shape_error("\"profiles\" is not a list")),
        }
        Ok(CliConfig {
            file,
            current,
            profiles,
        })
    }

    pub fn names(&self) -> Vec<&str> {
        self.profiles
            .iter()
            .map(|(name, _)| name.as_str())
            .collect()
    }

    /// The profile called `name` (exact match), or `None` when the file has none.
    pub fn profile(&self, name: &str) -> Option<Result<ProfileSpec, CredentialError>> {
        let (_, obj) = self.profiles.iter().rev().find(|(n, _)| n == name)?;
        Some(
            Fields {
                obj,
                file: &self.file,
                profile: name,
            }
            .spec(),
        )
    }
}

/// One profile's fields, with enough context to name the problem when one is wrong.
struct Fields<'a> {
    obj: &'a Map<String, Value>,
    file: &'a CredFile,
    profile: &'a str,
}

impl Fields<'_> {
    fn spec(&self) -> Result<ProfileSpec, CredentialError> {
        let raw_mode = self.text("mode")?.unwrap_or_default();
        let mode = SUPPORTED_CLI_MODES
            .iter()
            .find(|m| m.eq_ignore_ascii_case(&raw_mode))
            .copied()
            .ok_or_else(|| self.unsupported_mode(&raw_mode))?;
        let kind = match mode {
            "AK" => Kind::Static(self.key(mode)?),
            "StsToken" => Kind::Static(
                self.key(mode)?
                    .with_token(self.required(mode, "sts_token")?),
            ),
            "EcsRamRole" => Kind::EcsRamRole {
                role_name: self.text("ram_role_name")?,
            },
            "RamRoleArn" => {
                let mut key = self.key(mode)?;
                if let Some(token) = self.text("sts_token")? {
                    key = key.with_token(token);
                }
                Kind::RamRoleArn(self.role_arn(mode, ArnSource::Key(key))?)
            }
            _ => {
                let source = ArnSource::Profile(self.required(mode, "source_profile")?);
                Kind::RamRoleArn(self.role_arn(mode, source)?)
            }
        };
        Ok(ProfileSpec {
            kind,
            mode,
            settings: self.settings()?,
        })
    }

    fn key(&self, mode: &str) -> Result<AccessKey, CredentialError> {
        Ok(AccessKey::new(
            self.required(mode, "access_key_id")?,
            self.required(mode, "access_key_secret")?,
        ))
    }

    fn role_arn(&self, mode: &str, source: ArnSource) -> Result<RoleArnSpec, CredentialError> {
        Ok(RoleArnSpec {
            source,
            role_arn: self.required(mode, "ram_role_arn")?,
            session_name: self.text("ram_session_name")?,
            duration_secs: self.number("expired_seconds")?,
            policy: self.text("policy")?,
            external_id: self.text("external_id")?,
            sts_region: self.text("sts_region")?,
            sts_endpoint: self.text("sts_endpoint")?,
        })
    }

    fn settings(&self) -> Result<Settings, CredentialError> {
        Ok(Settings {
            region: self.text("region_id")?,
            endpoint_type: self.text("endpoint_type")?,
            endpoint: self.text("endpoint")?,
            read_timeout: self.number("read_timeout")?.map(Duration::from_secs),
            connect_timeout: self.number("connect_timeout")?.map(Duration::from_secs),
        })
    }

    /// A string field; missing, null and empty are all `None`.
    fn text(&self, key: &str) -> Result<Option<String>, CredentialError> {
        match self.obj.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.trim().to_string()).filter(|s| !s.is_empty())),
            Some(_) => Err(self.wrong_type(key, "a string")),
        }
    }

    /// A whole number of seconds, as a number or a numeric string; `0` means unset.
    fn number(&self, key: &str) -> Result<Option<u64>, CredentialError> {
        let n = match self.obj.get(key) {
            None | Some(Value::Null) => return Ok(None),
            Some(Value::Number(n)) => n.as_u64(),
            Some(Value::String(s)) if s.trim().is_empty() => return Ok(None),
            Some(Value::String(s)) => s.trim().parse().ok(),
            Some(_) => None,
        };
        match n {
            Some(0) => Ok(None),
            Some(n) => Ok(Some(n)),
            None => Err(self.wrong_type(key, "a whole number")),
        }
    }

    fn required(&self, mode: &str, key: &str) -> Result<String, CredentialError> {
        self.text(key)?.ok_or_else(|| {
            CredentialError::new(format!(
                "profile {} ({mode}) in {} has no {key}. Fix: run `aliyun configure --profile {} \
                 --mode {mode}`, or edit the file.",
                self.profile, self.file.shown, self.profile
            ))
        })
    }

    fn wrong_type(&self, key: &str, expected: &str) -> CredentialError {
        CredentialError::new(format!(
            "profile {} in {}: \"{key}\" should be {expected}. Fix the file.",
            self.profile, self.file.shown
        ))
    }

    fn unsupported_mode(&self, raw: &str) -> CredentialError {
        let supported = SUPPORTED_CLI_MODES.join(", ");
        let what = if raw.is_empty() {
            "has no mode".to_string()
        } else if let Some(known) = UNSUPPORTED_CLI_MODES
            .iter()
            .find(|m| m.eq_ignore_ascii_case(raw))
        {
            format!("uses mode {known}, which ecsimg does not support")
        } else {
            format!("uses mode \"{raw}\", which ecsimg does not know")
        };
        CredentialError::new(format!(
            "profile {} in {} {what}. Supported modes: {supported}. Fix: pick another profile \
             with --profile NAME, configure one with `aliyun configure --profile NAME --mode AK`, \
             or (without --profile) set ALIBABA_CLOUD_ACCESS_KEY_ID and \
             ALIBABA_CLOUD_ACCESS_KEY_SECRET.",
            self.profile, self.file.shown
        ))
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    fn config(text: &str) -> Result<CliConfig, CredentialError> {
        CliConfig::parse(
            CredFile::new(PathBuf::from("/h/.aliyun/config.json"), None),
            text,
        )
    }

    #[test]
    fn mode_is_matched_case_insensitively() {
        let c = config(r#"{"profiles":[{"name":"a","mode":"ak","access_key_id":"id","access_key_secret":"s"}]}"#)
            .unwrap();
        let spec = c.profile("a").unwrap().unwrap();
        assert_eq!(spec.mode, "AK");
    }

    #[test]
    fn zero_timeouts_mean_unset_and_strings_are_accepted() {
        let c = config(
            r#"{"profiles":[{"name":"a","mode":"AK","access_key_id":"i","access_key_secret":"s",
                "read_timeout":0,"connect_timeout":"7"}]}"#,
        )
        .unwrap();
        let s = c.profile("a").unwrap().unwrap().settings;
        assert_eq!(s.read_timeout, None);
        assert_eq!(s.connect_timeout, Some(Duration::from_secs(7)));
    }

    #[test]
    fn wrong_shapes_name_the_file() {
        let err = config(r#"{"profiles":{}}"#).unwrap_err();
        assert!(err.0.contains("/h/.aliyun/config.json"), "{err}");
        assert!(err.0.contains("\"profiles\" is not a list"), "{err}");
    }
}

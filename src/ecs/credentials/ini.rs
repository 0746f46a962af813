//! `~/.alibabacloud/credentials` (spec §7.3): a small INI reader and the section types.
//!
//! It accepts what the official SDKs' readers accept: a UTF-8 BOM; whole-line comments
//! starting with `#` or `;`; text after a section's `]`; and inline comments. The readers
//! differ on inline comments — credentials-go (go-ini) cuts a value at its first `#` or
//! `;`, credentials-python at its first `#`, credentials-java (ini4j) not at all — so
//! ecsimg cuts where they would all agree a comment starts: a `#` or `;` after
//! whitespace (`type = access_key # c`). A `#` inside a value (`p#ss`) stays, and so does
//! anything in quotes.

use std::collections::BTreeMap;

use super::files::CredFile;
use super::profile::{ArnSource, Kind, ProfileSpec, RoleArnSpec, Settings, SUPPORTED_INI_TYPES};
use super::{AccessKey, CredentialError};

/// The parsed file: sections in order, keys per section (a later duplicate wins).
#[derive(Debug)]
pub(super) struct IniFile {
    pub file: CredFile,
    sections: Vec<(String, BTreeMap<String, String>)>,
}

impl IniFile {
    /// Parses `[section]`, `key = value`, blank lines and `#`/`;` comments. A line that is
    /// none of these is an error naming the file and the line.
    pub fn parse(file: CredFile, text: &str) -> Result<IniFile, CredentialError> {
        let mut sections: Vec<(String, BTreeMap<String, String>)> = Vec::new();
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        for (index, raw) in text.lines().enumerate() {
            let line_no = index + 1;
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
                continue;
            }
            let bad = |why: &str| {
                CredentialError::new(format!(
                    "{} line {line_no}: {why}. Each line must be `[profile]`, `key = value` or a \
                     `#` comment. Fix that line.",
                    file.shown
                ))
            };
            if let Some(rest) = line.strip_prefix('[') {
                let (name, after) = rest
                    .split_once(']')
                    .ok_or_else(|| bad("a section header without a closing `]`"))?;
                let after = after.trim();
                if !(after.is_empty() || after.starts_with('#') || after.starts_with(';')) {
                    return Err(bad("text after the section's `]` that is not a comment"));
                }
                let name = name.trim();
                if name.is_empty() {
                    return Err(bad("an empty section name"));
                }
                sections.push((name.to_string(), BTreeMap::new()));
                continue;
            }
            let (key, value) = line
                .split_once('=')
                .ok_or_else(|| bad("no `=` in this line"))?;
            let key = key.trim();
            if key.is_empty() {
                return Err(bad("a value without a key"));
            }
            let (_, keys) = sections
                .last_mut()
                .ok_or_else(|| bad("a key before the first `[profile]` section"))?;
            keys.insert(
                key.to_string(),
                unquote(without_comment(value.trim())).to_string(),
            );
        }
        Ok(IniFile { file, sections })
    }

    pub fn names(&self) -> Vec<&str> {
        self.sections
            .iter()
            .map(|(name, _)| name.as_str())
            .collect()
    }

    /// The section called `name`, or `None` when the file has none. Repeated sections merge.
    pub fn profile(&self, name: &str) -> Option<Result<ProfileSpec, CredentialError>> {
        let mut keys = BTreeMap::new();
        let mut found = false;
        for (_, section) in self.sections.iter().filter(|(n, _)| n == name) {
            found = true;
            keys.extend(section.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        }
        found.then(|| {
            Section {
                keys: &keys,
                file: &self.file,
                name,
            }
            .spec()
        })
    }
}

/// `value` without an inline comment: from a `#` or `;` that follows whitespace. A quoted
/// value keeps everything in its quotes.
fn without_comment(value: &str) -> &str {
    if value.starts_with(['"', '\'']) {
        let quote = value.as_bytes()[0] as char;
        if let Some(end) = value[1..].find(quote) {
            let rest = value[end + 2..].trim_start();
            if rest.is_empty() || rest.starts_with(['#', ';']) {
                return &value[..end + 2];
            }
        }
    }
    let bytes = value.as_bytes();
    let cut = (1..bytes.len())
        .find(|&i| matches!(bytes[i], b'#' | b';') && bytes[i - 1].is_ascii_whitespace());
    match cut {
        Some(i) => value[..i].trim_end(),
        None if value.starts_with(['#', ';']) => "",
        None => value,
    }
}

/// `"value"` and `'value'` lose their quotes, as other INI readers do.
fn unquote(value: &str) -> &str {
    for q in ['"', '\''] {
        if let Some(inner) = value.strip_prefix(q).and_then(|v| v.strip_suffix(q)) {
            return inner;
        }
    }
    value
}

struct Section<'a> {
    keys: &'a BTreeMap<&'a str, &'a str>,
    file: &'a CredFile,
    name: &'a str,
}

impl Section<'_> {
    fn spec(&self) -> Result<ProfileSpec, CredentialError> {
        let raw = self.get("type").unwrap_or_default();
        let ty = SUPPORTED_INI_TYPES
            .iter()
            .find(|t| t.eq_ignore_ascii_case(&raw))
            .copied()
            .ok_or_else(|| self.unsupported(&raw))?;
        let kind = match ty {
            "access_key" => Kind::Static(self.key(ty)?),
            "sts" => Kind::Static(
                self.key(ty)?
                    .with_token(self.required(ty, "security_token")?),
            ),
            "ecs_ram_role" => Kind::EcsRamRole {
                role_name: self.get("role_name"),
            },
            _ => Kind::RamRoleArn(RoleArnSpec {
                source: ArnSource::Key(self.key(ty)?),
                role_arn: self.required(ty, "role_arn")?,
                session_name: self.get("role_session_name"),
                duration_secs: self.seconds("role_session_expiration")?,
                policy: self.get("policy"),
                external_id: self.get("external_id"),
                sts_region: self.get("sts_region"),
                sts_endpoint: self.get("sts_endpoint"),
            }),
        };
        let settings = Settings {
            region: self.get("region_id"),
            ..Settings::default()
        };
        Ok(ProfileSpec {
            kind,
            mode: ty,
            settings,
        })
    }

    fn get(&self, key: &str) -> Option<String> {
        self.keys
            .get(key)
            .map(|v| v.to_string())
            .filter(|v| !v.is_empty())
    }

    fn key(&self, ty: &str) -> Result<AccessKey, CredentialError> {
        Ok(AccessKey::new(
            self.required(ty, "access_key_id")?,
            self.required(ty, "access_key_secret")?,
        ))
    }

    fn required(&self, ty: &str, key: &str) -> Result<String, CredentialError> {
        self.get(key).ok_or_else(|| {
            CredentialError::new(format!(
                "section [{}] (type {ty}) of {} has no {key}. Fix: add `{key} = ...` to that \
                 section.",
                self.name, self.file.shown
            ))
        })
    }

    fn seconds(&self, key: &str) -> Result<Option<u64>, CredentialError> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => v
                .parse::<u64>()
                .map(|n| Some(n).filter(|&n| n > 0))
                .map_err(|_| {
                    CredentialError::new(format!(
                    "section [{}] of {}: {key} = {v} is not a whole number of seconds. Fix that \
                     line.",
                    self.name, self.file.shown
                ))
                }),
        }
    }

    fn unsupported(&self, raw: &str) -> CredentialError {
        let what = if raw.is_empty() {
            "has no `type`".to_string()
        } else {
            format!("has type {raw}, which ecsimg does not support")
        };
        CredentialError::new(format!(
            "section [{}] of {} {what}. Supported types: {}. Fix: set `type = access_key` with \
             access_key_id and access_key_secret, or pick another profile with --profile NAME.",
            self.name,
            self.file.shown,
            SUPPORTED_INI_TYPES.join(", ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    fn ini(text: &str) -> Result<IniFile, CredentialError> {
        IniFile::parse(
            CredFile::new(PathBuf::from("/h/.alibabacloud/credentials"), None),
            text,
        )
    }

    #[test]
    fn reads_sections_comments_and_quotes() {
        let f = ini("# top\n[default]\n; c\ntype = access_key\naccess_key_id = \"foo\"\naccess_key_secret=bar\n\n[b]\n")
            .unwrap();
        assert_eq!(f.names(), ["default", "b"]);
        let spec = f.profile("default").unwrap().unwrap();
        match spec.kind {
            Kind::Static(key) => {
                assert_eq!(key.id, "foo");
                assert_eq!(key.secret.expose(), "bar");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn what_the_official_readers_accept_is_accepted() {
        let f = ini("\u{feff}[default] ; the usual one\ntype = access_key # c\n\
                     access_key_id = foo\t; id\naccess_key_secret = p#ss;word # secret\n\
                     [q] # quoted\ntype = \"access_key # kept\" # cut\n")
        .unwrap();
        assert_eq!(f.names(), ["default", "q"]);
        match f.profile("default").unwrap().unwrap().kind {
            Kind::Static(key) => {
                assert_eq!(key.id, "foo");
                assert_eq!(key.secret.expose(), "p#ss;word");
            }
            other => panic!("{other:?}"),
        }
        let err = f.profile("q").unwrap().unwrap_err();
        assert!(err.0.contains("access_key # kept"), "{err}");
        let err = ini("[default] x\n").unwrap_err();
        assert!(err.0.contains("after the section"), "{err}");
    }

    #[test]
    fn errors_name_the_line() {
        let err = ini("[default]\ntype = access_key\nnonsense\n").unwrap_err();
        assert!(err.0.contains("line 3"), "{err}");
        let err = ini("key = value\n").unwrap_err();
        assert!(
            err.0.contains("line 1") && err.0.contains("before the first"),
            "{err}"
        );
        let err = ini("[open\n").unwrap_err();
        assert!(err.0.contains("line 1") && err.0.contains("`]`"), "{err}");
    }
}

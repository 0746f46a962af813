//! What is wrong with a config file, said so a person can fix it: the file, the line
//! (from toml's span), the message, and a fix — "did you mean" for a misspelt key.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::keys::KeyError;

/// What is wrong with the config file, where, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub path: PathBuf,
    /// 1-based.
    pub line: Option<usize>,
    pub message: String,
    pub fix: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        write!(f, ": {}\n  fix: {}", self.message, self.fix)
    }
}

impl std::error::Error for ConfigError {}

impl ConfigError {
    /// A bad `[keys]` line; an unknown action gets "did you mean" like any other key.
    pub(super) fn from_keys(e: KeyError, path: &Path) -> ConfigError {
        let (line, message, fix) = match e {
            KeyError::UnknownAction {
                line,
                action,
                known,
            } => {
                let names: Vec<&str> = known.iter().map(String::as_str).collect();
                let fix = match did_you_mean(&action, &names) {
                    Some(close) => {
                        format!("did you mean `{close}`? (actions: {})", names.join(", "))
                    }
                    None => format!("remove it (actions: {})", names.join(", ")),
                };
                (line, format!("unknown action `{action}` in [keys]"), fix)
            }
            KeyError::Invalid { line, message, fix } => (line, message, fix),
        };
        ConfigError {
            path: path.to_path_buf(),
            line: Some(line),
            message,
            fix,
        }
    }

    pub(super) fn from_toml(e: &toml::de::Error, text: &str, path: &Path) -> ConfigError {
        let raw = e.message().trim().replace('\n', "; ");
        let line = e.span().map(|s| line_of(text, s.start));
        // The fix lists the known keys; the message names only the stranger.
        let message = match (raw.starts_with("unknown field"), backticked(&raw).first()) {
            (true, Some(given)) => format!("unknown key `{given}`"),
            _ => raw.clone(),
        };
        ConfigError {
            path: path.to_path_buf(),
            line,
            fix: fix_for(&raw),
            message,
        }
    }
}

/// The 1-based line that byte `offset` of `text` is on.
pub(super) fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// The fix for a toml/serde message.
fn fix_for(message: &str) -> String {
    let quoted = backticked(message);
    if message.starts_with("unknown field") || message.starts_with("unknown variant") {
        let what = if message.starts_with("unknown field") {
            "key"
        } else {
            "value"
        };
        let Some((given, known)) = quoted.split_first() else {
            return "remove it".to_string();
        };
        let known: Vec<&str> = known.iter().map(String::as_str).collect();
        let list = if known.is_empty() {
            String::from("none here")
        } else {
            known.join(", ")
        };
        return match did_you_mean(given, &known) {
            Some(close) => format!("did you mean `{close}`? (known {what}s: {list})"),
            None if what == "key" => format!("remove `{given}` (known keys: {list})"),
            None => format!("use one of: {list}"),
        };
    }
    if message.contains("expected a boolean") {
        return "write true or false, without quotes".to_string();
    }
    if message.contains("expected a string") {
        return "put the value in double quotes: key = \"value\"".to_string();
    }
    if message.contains("timeout") || message.contains("duration") {
        return "write a duration such as \"5s\", \"500ms\", \"2m\", or a number of seconds"
            .to_string();
    }
    if message.contains("page_concurrency") {
        return "write a whole number from 1 to 64, without quotes (16 when left out)".to_string();
    }
    if message.contains("duplicate key") {
        return "keep one of the two lines".to_string();
    }
    "fix the TOML at that line (strings in double quotes, one key = value a line)".to_string()
}

/// The `backticked` words of a serde message, in order.
fn backticked(message: &str) -> Vec<String> {
    message
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// The known word closest to `given`, if close enough to be a typo.
pub(crate) fn did_you_mean<'a>(given: &str, known: &[&'a str]) -> Option<&'a str> {
    let given = given.to_ascii_lowercase().replace('-', "_");
    known
        .iter()
        .map(|k| (edit_distance(&given, k), *k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// Levenshtein distance in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (diagonal + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(above + 1);
            diagonal = above;
        }
    }
    row[b.len()]
}

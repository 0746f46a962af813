//! Exit codes, and the error every subcommand returns: a message for a person plus the code
//! a script branches on. The codes are listed in `--help` (`args::EXIT_CODES_HELP`). With
//! `--output json` the error is also a JSON document on stdout ([`CliError::json`]), so a
//! script parses it instead of scraping stderr.

use std::fmt;

use serde::Serialize;

use crate::change::ApplyError;
use crate::ecs::credentials::CredentialError;
use crate::ecs::error::{ApiError, ErrorKind};
use crate::rules::Problem;

/// What the process exits with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Ok = 0,
    /// A local failure nothing else describes (a file could not be read or written).
    Failure = 1,
    /// A bad flag or value, a field ECS would refuse, no region, a bad config file.
    Invalid = 2,
    /// ECS answered with an error.
    Api = 3,
    /// No answer: connection refused, reset, timeout.
    Network = 4,
    /// No credentials, or ECS refused them.
    Credentials = 5,
    /// Read-only mode, or a change that was not confirmed.
    Refused = 6,
}

impl Exit {
    pub fn code(self) -> i32 {
        self as i32
    }

    /// The exit code for an API error: transport → 4, credentials → 5, input refused
    /// before anything was sent (no HTTP status) → 2, the rest → 3.
    pub fn for_api(error: &ApiError) -> Exit {
        match error.kind {
            ErrorKind::Transport => Exit::Network,
            ErrorKind::Auth(_) => Exit::Credentials,
            ErrorKind::InvalidInput { .. } if error.http_status.is_none() => Exit::Invalid,
            _ => Exit::Api,
        }
    }
}

/// Why a subcommand stopped, said so a person can act on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliError {
    pub exit: Exit,
    pub message: String,
    /// The code a script branches on: ECS's, or the one ECS would answer for a field
    /// refused before sending.
    pub code: Option<String>,
    /// The ECS error behind it, when ECS (or the way to it) failed.
    pub api: Option<Box<ApiError>>,
    /// Every field ECS would refuse, when that is why nothing was sent.
    pub problems: Vec<Problem>,
    /// The command already printed its own JSON document for this outcome (a batch's
    /// report): `--output json` must not add an error document after it.
    pub reported: bool,
}

/// `{"error": {...}}`: what `--output json` prints on stdout when a command fails.
#[derive(Debug, Serialize)]
pub struct ErrorJson {
    pub error: ErrorFields,
}

/// The fields of [`ErrorJson`]; keys are only ever added.
#[derive(Debug, Serialize)]
pub struct ErrorFields {
    pub code: Option<String>,
    /// ECS's own message for an API error; for anything else, what a person is told.
    pub message: String,
    pub request_id: Option<String>,
    pub recommend: Option<String>,
    /// `invalid_input`, `not_found`, `forbidden`, `throttled`, `conflict`, `server`,
    /// `transport`, `decode`, `auth`, `refused` or `failure`.
    pub kind: &'static str,
    pub exit_code: i32,
    /// Every field ECS would refuse (empty for other errors).
    pub problems: Vec<ProblemJson>,
}

/// One refused field.
#[derive(Debug, Serialize)]
pub struct ProblemJson {
    /// The ModifyImageAttribute parameter (`ImageName`).
    pub field: &'static str,
    pub code: &'static str,
    pub message: String,
}

impl CliError {
    pub fn new(exit: Exit, message: impl Into<String>) -> CliError {
        CliError {
            exit,
            message: message.into(),
            code: None,
            api: None,
            problems: Vec::new(),
            reported: false,
        }
    }

    /// The outcome is in the document the command printed already (see `reported`).
    pub fn already_reported(mut self) -> CliError {
        self.reported = true;
        self
    }

    /// Nothing was sent: every problem listed, the first one's code for a script.
    pub fn problems(problems: &[Problem]) -> CliError {
        let mut out = CliError::invalid(super::output::problems(problems));
        out.code = problems.first().map(|p| p.code.to_string());
        out.problems = problems.to_vec();
        out
    }

    /// The same error, naming the code a script can branch on.
    pub fn with_code(mut self, code: impl Into<String>) -> CliError {
        self.code = Some(code.into());
        self
    }

    /// The JSON document of this error.
    pub fn json(&self) -> ErrorJson {
        let api = self.api.as_deref();
        // A code of ECS's vocabulary says what kind of error it is, sent or not.
        let classified = self
            .code
            .as_deref()
            .map(|c| crate::ecs::error::classify(c, None));
        let kind = match api.map(|e| e.kind.clone()).or(classified).as_ref() {
            Some(ErrorKind::Throttled) => "throttled",
            Some(ErrorKind::Auth(_)) => "auth",
            Some(ErrorKind::Forbidden) => "forbidden",
            Some(ErrorKind::InvalidInput { .. }) => "invalid_input",
            Some(ErrorKind::NotFound) => "not_found",
            Some(ErrorKind::Conflict) => "conflict",
            Some(ErrorKind::Server) => "server",
            Some(ErrorKind::Transport) => "transport",
            Some(ErrorKind::Decode) => "decode",
            None => match self.exit {
                Exit::Invalid => "invalid_input",
                Exit::Network => "transport",
                Exit::Credentials => "auth",
                Exit::Refused => "refused",
                Exit::Api => "server",
                Exit::Ok | Exit::Failure => "failure",
            },
        };
        let message = match api {
            Some(e) if !e.summary().is_empty() => e.summary().to_string(),
            Some(e) => e.meaning(),
            None => self.message.clone(),
        };
        ErrorJson {
            error: ErrorFields {
                code: self.code.clone().or_else(|| api.map(|e| e.code.clone())),
                message,
                request_id: api.and_then(|e| e.request_id.clone()),
                recommend: api
                    .and_then(|e| e.recommend.clone())
                    .filter(|r| !r.is_empty()),
                kind,
                exit_code: self.exit.code(),
                problems: self
                    .problems
                    .iter()
                    .map(|p| ProblemJson {
                        field: p.field.param(),
                        code: p.code,
                        message: p.message.clone(),
                    })
                    .collect(),
            },
        }
    }

    pub fn invalid(message: impl Into<String>) -> CliError {
        CliError::new(Exit::Invalid, message)
    }

    pub fn refused(message: impl Into<String>) -> CliError {
        CliError::new(Exit::Refused, message)
    }

    pub fn failure(message: impl Into<String>) -> CliError {
        CliError::new(Exit::Failure, message)
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CliError {}

impl From<ApiError> for CliError {
    fn from(e: ApiError) -> CliError {
        let mut message = e.to_string();
        if let Some(echo) = e.string_to_sign() {
            message.push_str(&format!(
                "\nThe server's string to sign (SecurityToken masked): {echo}"
            ));
        }
        if let Some(skew) = e.clock_skew_secs.filter(|s| s.abs() >= 60) {
            message.push_str(&format!(
                "\nThe clock of this host is {} min {}: fix it (NTP) and try again.",
                skew.abs() / 60,
                if skew > 0 { "ahead" } else { "behind" }
            ));
        }
        let mut out = CliError::new(Exit::for_api(&e), message);
        out.api = Some(Box::new(e));
        out
    }
}

impl From<CredentialError> for CliError {
    fn from(e: CredentialError) -> CliError {
        CliError::new(Exit::Credentials, e.to_string())
    }
}

impl From<ApplyError> for CliError {
    fn from(e: ApplyError) -> CliError {
        match e {
            ApplyError::ReadOnly => CliError::refused(e.to_string()),
            ApplyError::NoChanges => CliError::new(Exit::Ok, e.to_string()),
            ApplyError::Invalid(problems) => CliError::problems(&problems),
            ApplyError::Api(api) => CliError::from(api),
            ApplyError::Lost { error, landed } => {
                let mut out = CliError::from(error);
                out.message = format!("{}; {}", out.message, crate::change::lost_words(&landed));
                out
            }
        }
    }
}

impl From<crate::config::ConfigError> for CliError {
    fn from(e: crate::config::ConfigError) -> CliError {
        CliError::invalid(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_errors_map_by_kind_not_by_status() {
        let transport = ApiError::transport("connection refused", false);
        assert_eq!(CliError::from(transport).exit, Exit::Network);
        let auth = ApiError::from_code("InvalidAccessKeyId.NotFound", "no such key", Some(404));
        assert_eq!(CliError::from(auth).exit, Exit::Credentials);
        let not_found = ApiError::from_code("InvalidImageId.NotFound", "gone", Some(404));
        assert_eq!(CliError::from(not_found).exit, Exit::Api);
        let refused_by_ecs = ApiError::from_code("InvalidImageName.Malformed", "bad", Some(400));
        assert_eq!(CliError::from(refused_by_ecs).exit, Exit::Api);
        let refused_here = crate::ecs::client::Endpoint::Public.url("x@y").unwrap_err();
        assert_eq!(CliError::from(refused_here).exit, Exit::Invalid);
    }

    #[test]
    fn read_only_is_a_refusal() {
        assert_eq!(CliError::from(ApplyError::ReadOnly).exit, Exit::Refused);
        assert_eq!(Exit::Refused.code(), 6);
    }
}

//! `ApiError`: what went wrong with a request, classified by the API's `Code` (the same code
//! comes back with different HTTP statuses), and said so a person can act on it.
//!
//! Secrets are masked once, where an error is made ([`redact`]): every screen, notice,
//! flash, CLI message, journal entry and log line that shows an `ApiError` shows the masked
//! text. `SignatureDoesNotMatch` echoes the server's string to sign — every signed
//! parameter, the STS token among them — so that part is kept apart
//! ([`ApiError::string_to_sign`]) for the places that show details, and left out of the
//! one-line [`ApiError::summary`].

mod redact;
mod tls;

use std::fmt;

use serde::Deserialize;

pub use redact::{redact, shorten_key_id};

/// What kind of credential problem an `Auth` error is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthProblem {
    /// The signature did not match: wrong secret, or the request was altered.
    Signature,
    /// The AccessKey is unknown or disabled.
    Key,
    /// The STS token is expired, malformed or does not belong to the key.
    Token,
    /// The timestamp is too far from the server's clock.
    Clock,
    /// The nonce was used before.
    Nonce,
}

/// The kind of an error, decided by `Code`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorKind {
    Throttled,
    Auth(AuthProblem),
    Forbidden,
    /// A parameter was rejected; `field` is the request parameter it names, if any.
    InvalidInput {
        field: Option<String>,
    },
    NotFound,
    Conflict,
    Server,
    /// No answer: connection refused, reset, timed out.
    Transport,
    /// An answer that could not be read.
    Decode,
}

/// One failed request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub kind: ErrorKind,
    /// The API's `Code`; for transport and decode failures a code of ecsimg's own.
    pub code: String,
    pub message: String,
    pub request_id: Option<String>,
    pub host_id: Option<String>,
    pub recommend: Option<String>,
    pub http_status: Option<u16>,
    /// Seconds this host's clock is ahead (+) or behind (−) the server, when known.
    pub clock_skew_secs: Option<i64>,
    /// Whether the request may have reached the server (a timeout, a 5xx).
    pub ambiguous: bool,
}

/// The error body of the RPC gateway, with either casing of the keys.
#[derive(Debug, Default, Deserialize)]
struct ErrorBody {
    #[serde(alias = "code")]
    #[serde(rename = "Code")]
    code: Option<String>,
    #[serde(alias = "message")]
    #[serde(rename = "Message")]
    message: Option<String>,
    #[serde(alias = "requestId")]
    #[serde(rename = "RequestId")]
    request_id: Option<String>,
    #[serde(alias = "hostId")]
    #[serde(rename = "HostId")]
    host_id: Option<String>,
    #[serde(alias = "recommend")]
    #[serde(rename = "Recommend")]
    recommend: Option<String>,
}

impl ApiError {
    /// Builds an error from an API `Code`; the kind follows from the code.
    pub fn from_code(code: &str, message: &str, http_status: Option<u16>) -> ApiError {
        ApiError {
            kind: classify(code, http_status),
            code: redact(code).into_owned(),
            message: redact(message).into_owned(),
            request_id: None,
            host_id: None,
            recommend: None,
            http_status,
            clock_skew_secs: None,
            ambiguous: false,
        }
    }

    /// Decodes an error response. `None` when the body carries no `Code`.
    pub fn from_body(http_status: u16, body: &str) -> Option<ApiError> {
        let parsed: ErrorBody = serde_json::from_str(body).ok()?;
        let code = parsed.code.filter(|c| !c.is_empty())?;
        let mut err = ApiError::from_code(
            &code,
            parsed.message.as_deref().unwrap_or(""),
            Some(http_status),
        );
        let masked = |s: Option<String>| s.map(|s| redact(&s).into_owned());
        err.request_id = masked(parsed.request_id);
        err.host_id = masked(parsed.host_id);
        err.recommend = masked(parsed.recommend);
        err.ambiguous = err.kind == ErrorKind::Server;
        Some(err)
    }

    /// The request never got an answer (or the answer was cut off).
    pub fn transport(message: impl Into<String>, ambiguous: bool) -> ApiError {
        ApiError {
            kind: ErrorKind::Transport,
            code: "Transport".to_string(),
            message: redact(&message.into()).into_owned(),
            request_id: None,
            host_id: None,
            recommend: None,
            http_status: None,
            clock_skew_secs: None,
            ambiguous,
        }
    }

    /// An answer came back but could not be read.
    pub fn decode(http_status: u16, message: impl Into<String>) -> ApiError {
        ApiError {
            kind: ErrorKind::Decode,
            code: "Decode".to_string(),
            message: redact(&message.into()).into_owned(),
            request_id: None,
            host_id: None,
            recommend: None,
            http_status: Some(http_status),
            clock_skew_secs: None,
            ambiguous: http_status >= 500,
        }
    }

    /// Whether another attempt, re-signed, may succeed.
    pub fn is_retryable(&self) -> bool {
        match self.kind {
            ErrorKind::Throttled | ErrorKind::Server => true,
            // Another handshake meets the same certificate.
            ErrorKind::Transport => !self.code.starts_with("Tls"),
            // Another 32 MB would say nothing new.
            ErrorKind::Decode if self.code == "ResponseTooLarge" => false,
            ErrorKind::Decode => self.http_status.is_some_and(|s| s >= 500),
            _ => false,
        }
    }

    /// What the error means, in plain words, and what to do about it.
    pub fn meaning(&self) -> String {
        if let Some(skew) = self.clock_skew_secs.filter(|s| s.abs() >= 60) {
            return format!(
                "the clock of this host is {} {} the server's: sync it (NTP) and try again",
                describe_duration(skew.unsigned_abs()),
                if skew > 0 { "ahead of" } else { "behind" }
            );
        }
        if let Some(words) = tls::meaning(&self.code) {
            return words.to_string();
        }
        let text = match self.code.as_str() {
            "SignatureDoesNotMatch" => "the signature was rejected: check the AccessKey secret of this profile, then this host's clock (a proxy that rewrites requests also causes this)",
            "IncompleteSignature" => "the request was missing signature parameters",
            "InvalidAccessKeyId.NotFound" => "this AccessKey ID does not exist: check the profile or environment ecsimg read it from",
            "InvalidAccessKeyId.Inactive" | "Forbidden.AccessKeyDisabled" => "this AccessKey is disabled: enable it in the RAM console or use another",
            "InvalidSecurityToken.Expired" => "the STS token has expired: get fresh credentials and try again",
            "InvalidSecurityToken.Malformed" | "InvalidSecurityToken.MismatchWithAccessKey" => "the STS token does not belong to this AccessKey: refresh the credentials",
            "InvalidTimeStamp.Expired" => "the request's timestamp is too far from the server's clock: sync this host's clock",
            "SignatureNonceUsed" => "the request was replayed (its nonce was used already)",
            "Forbidden.RAM" | "Forbidden.Unauthorized" | "Forbidden.SubUser" => "this RAM identity may not do that: grant it ecs:ModifyImageAttribute / ecs:DescribeImages",
            "Forbidden.RiskControl" => "Alibaba Cloud's risk control blocked the operation",
            "InvalidImageName.Malformed" => "the name is not valid: 2–128 characters, starting with a letter or a Chinese character",
            "InvalidImageName.Duplicated" => "another image in this region already has that name: pick another",
            "InvalidDescription.Malformed" => "the description is not valid: 2–256 characters, not starting with http:// or https://",
            "InvalidImageFamily.Malformed" => "the family name is not valid: 2–128 characters, starting with a letter, not acs: or aliyun",
            "ImageQuotaFull.ImageFamily" => "that family already holds 100 images: deprecate or move some first",
            "ImageFamilyQuotaFull" => "this region already has 100 image families: reuse an existing family",
            "InvalidBootMode.NotSupport" => "that boot mode is not supported for this image",
            "InvalidLicenseType.NotSupported" => "that license type is not supported (only BYOL is)",
            "InvalidParameter.FeaturesImdsSupport" => "that IMDS setting is not supported",
            "InvalidOperation.FeaturesImdsSupportNotMatch" => "IMDS cannot go back from v2 to v1",
            "ImageUseShared" => "this image is shared with other accounts: unshare it before deprecating",
            "InvalidStatus.ImageIsCreating" => "the image is still being created: wait until it is Available",
            "ImageStatus.NotAvailable" => "the image is not Available",
            "ImageStatus.NotDeprecated" => "the image is not Deprecated",
            "OperationDeined.ImageUsingByInstance" => "instances use this image, so its boot mode cannot change",
            "InvalidImageId.NotFound" => "no image with this ID in this region and account: was it deleted, or is the region wrong?",
            "InvalidRegionId.NotFound" => "this region does not exist",
            "MissingParameter" => "a required parameter was not sent",
            "OperationConflict" => "another request on this resource is in progress: try again shortly",
            "DryRunOperation" => "the dry run passed: the request would succeed",
            "InvalidEndpoint" => "ecsimg will not use this endpoint (nothing was sent)",
            "InvalidRegion" => "ecsimg will not use this region (nothing was sent)",
            "InvalidRequest" => "ecsimg will not send this request (nothing was sent)",
            "ResponseTooLarge" => "the endpoint answered more than any ECS answer holds: is the endpoint right (not a proxy's page or a download)?",
            "Credentials" => "no usable credentials",
            _ => match &self.kind {
                ErrorKind::Throttled => "throttled: too many requests in a short time; wait and retry",
                ErrorKind::Server => "the service failed on its side; it is safe to retry",
                ErrorKind::Transport => "no answer from the endpoint: check the network, proxy (HTTPS_PROXY) or endpoint",
                ErrorKind::Decode => "the endpoint answered something that is not an ECS response: is the endpoint right?",
                ErrorKind::Auth(_) => "the credentials were rejected",
                ErrorKind::Forbidden => "not allowed for this identity",
                ErrorKind::InvalidInput { .. } => "a parameter was rejected",
                ErrorKind::NotFound => "not found",
                ErrorKind::Conflict => "a conflicting request is in progress",
            },
        };
        text.to_string()
    }

    /// What ECS said, without an echoed string to sign: the message for one line.
    pub fn summary(&self) -> &str {
        match self.message.find(STRING_TO_SIGN) {
            Some(i) => self.message[..i].trim_end(),
            None => &self.message,
        }
    }

    /// The string to sign the server computed, as `SignatureDoesNotMatch` echoes it (its
    /// secrets already masked): for the details, to compare with what was signed.
    pub fn string_to_sign(&self) -> Option<&str> {
        let i = self.message.find(STRING_TO_SIGN)?;
        Some(self.message[i + STRING_TO_SIGN.len()..].trim()).filter(|s| !s.is_empty())
    }

    /// Masks `secret` wherever this error repeats it, written as is or percent-encoded once
    /// or twice (a string to sign encodes its parameters twice). `encodings` are the
    /// encoded forms, from the caller that knows the encoding.
    pub fn mask(&mut self, encodings: &[&str], replacement: &str) {
        let needles: Vec<&str> = encodings.iter().copied().filter(|n| n.len() >= 4).collect();
        if needles.is_empty() {
            return;
        }
        let hide = |text: &mut String| {
            for needle in &needles {
                if text.contains(needle) {
                    *text = text.replace(needle, replacement);
                }
            }
        };
        hide(&mut self.message);
        hide(&mut self.code);
        for text in [&mut self.request_id, &mut self.host_id, &mut self.recommend]
            .into_iter()
            .flatten()
        {
            hide(text);
        }
    }

    /// The request parameter the error names, if any.
    pub fn field(&self) -> Option<&str> {
        match &self.kind {
            ErrorKind::InvalidInput { field } => field.as_deref(),
            _ => None,
        }
    }
}

fn describe_duration(secs: u64) -> String {
    if secs >= 3600 {
        format!("{}h {}min", secs / 3600, (secs % 3600) / 60)
    } else {
        format!("{} min", secs.div_ceil(60))
    }
}

/// Decides the kind of an error by its `Code`; the HTTP status only breaks ties for codes
/// we do not know.
pub fn classify(code: &str, http_status: Option<u16>) -> ErrorKind {
    let c = code;
    if c.starts_with("Throttling") {
        return ErrorKind::Throttled;
    }
    if c.starts_with("ServiceUnavailable") || c == "InternalError" || c == "UnknownError" {
        return ErrorKind::Server;
    }
    if c == "SignatureDoesNotMatch" || c == "IncompleteSignature" || c == "InvalidSignatureMethod" {
        return ErrorKind::Auth(AuthProblem::Signature);
    }
    if c.starts_with("InvalidAccessKeyId") || c == "Forbidden.AccessKeyDisabled" {
        return ErrorKind::Auth(AuthProblem::Key);
    }
    if c.starts_with("InvalidSecurityToken") {
        return ErrorKind::Auth(AuthProblem::Token);
    }
    if c.starts_with("InvalidTimeStamp") || c == "IllegalTimestamp" {
        return ErrorKind::Auth(AuthProblem::Clock);
    }
    if c == "SignatureNonceUsed" {
        return ErrorKind::Auth(AuthProblem::Nonce);
    }
    if c.starts_with("Forbidden")
        || c == "InvalidAction"
        || c == "ImageUseShared"
        || c.starts_with("OperationDeined")
        || c.starts_with("OperationDenied")
    {
        return ErrorKind::Forbidden;
    }
    if c.ends_with(".NotFound") && !c.starts_with("InvalidFilterKey")
        || c == "InvalidImageId.NotFound"
    {
        return ErrorKind::NotFound;
    }
    if c == "OperationConflict" || c.starts_with("ImageStatus.") || c.starts_with("InvalidStatus.")
    {
        return ErrorKind::Conflict;
    }
    if let Some(field) = field_of(c) {
        return ErrorKind::InvalidInput {
            field: Some(field.to_string()),
        };
    }
    if c.starts_with("Invalid")
        || c.starts_with("Missing")
        || c.starts_with("ImageQuotaFull")
        || c == "ImageFamilyQuotaFull"
        || c == "DryRunOperation"
    {
        return ErrorKind::InvalidInput { field: None };
    }
    match http_status {
        Some(s) if s >= 500 => ErrorKind::Server,
        Some(404) => ErrorKind::NotFound,
        Some(403) => ErrorKind::Forbidden,
        Some(409) => ErrorKind::Conflict,
        _ => ErrorKind::InvalidInput { field: None },
    }
}

/// The request parameter an input-validation code names.
fn field_of(code: &str) -> Option<&'static str> {
    Some(match code {
        c if c.starts_with("InvalidImageName") => "ImageName",
        c if c.starts_with("InvalidDescription") => "Description",
        c if c.starts_with("InvalidImageFamily") || c.starts_with("ImageQuotaFull.ImageFamily") => {
            "ImageFamily"
        }
        "ImageFamilyQuotaFull" => "ImageFamily",
        c if c.starts_with("InvalidBootMode") => "BootMode",
        c if c.starts_with("InvalidLicenseType") => "LicenseType",
        c if c.contains("FeaturesImdsSupport") => "Features.ImdsSupport",
        c if c.contains("FeaturesNvmeSupport") => "Features.NvmeSupport",
        _ => return None,
    })
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.meaning())?;
        if !self.summary().is_empty() {
            write!(f, " — {}", self.summary())?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " (RequestId {id})")?;
        }
        if let Some(link) = &self.recommend {
            write!(f, " See {link}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

/// Where `SignatureDoesNotMatch`'s message starts echoing the server's string to sign.
const STRING_TO_SIGN: &str = "server string to sign is:";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_follows_code_not_status() {
        assert_eq!(
            classify("InvalidAccessKeyId.NotFound", Some(404)),
            ErrorKind::Auth(AuthProblem::Key)
        );
        assert_eq!(
            classify("InvalidImageId.NotFound", Some(403)),
            ErrorKind::NotFound
        );
        assert_eq!(classify("Throttling.User", Some(400)), ErrorKind::Throttled);
        assert_eq!(
            classify("ServiceUnavailable.RegionMaintaining", Some(503)),
            ErrorKind::Server
        );
        assert_eq!(classify("ImageUseShared", Some(403)), ErrorKind::Forbidden);
        assert_eq!(
            classify("InvalidImageName.Duplicated", Some(400)),
            ErrorKind::InvalidInput {
                field: Some("ImageName".into())
            }
        );
        assert_eq!(
            classify("InvalidOperation.FeaturesImdsSupportNotMatch", Some(403)),
            ErrorKind::InvalidInput {
                field: Some("Features.ImdsSupport".into())
            }
        );
        assert_eq!(
            classify("InvalidStatus.ImageIsCreating", Some(403)),
            ErrorKind::Conflict
        );
    }

    #[test]
    fn decodes_either_casing() {
        let e = ApiError::from_body(
            400,
            r#"{"requestId":"R1","code":"Throttling.User","message":"slow down"}"#,
        )
        .unwrap();
        assert_eq!(
            (e.code.as_str(), e.request_id.as_deref()),
            ("Throttling.User", Some("R1"))
        );
        assert!(e.is_retryable());
        assert!(ApiError::from_body(200, r#"{"RequestId":"x"}"#).is_none());
    }

    const ECHO: &str = "Specified signature is not matched with our calculation. server string \
        to sign is:GET&%2F&AccessKeyId%3DLTAI5tSecretKeyId01%26Action%3DDescribeImages%26\
        SecurityToken%3DCAIS%252Bsecret%252Ftoken%253D%253D%26SignatureMethod%3DHMAC-SHA1";

    #[test]
    fn the_echoed_string_to_sign_is_kept_apart_with_its_secrets_masked() {
        let body =
            format!(r#"{{"RequestId":"R","Code":"SignatureDoesNotMatch","Message":"{ECHO}"}}"#);
        let e = ApiError::from_body(400, &body).unwrap();
        let full = format!("{e:?}");
        for secret in ["CAIS", "secret", "token%253D", "LTAI5tSecretKeyId01"] {
            assert!(!full.contains(secret), "{secret} in {full}");
        }
        assert_eq!(
            e.summary(),
            "Specified signature is not matched with our calculation."
        );
        assert_eq!(
            e.string_to_sign(),
            Some("GET&%2F&AccessKeyId%3DLTAI****Id01%26Action%3DDescribeImages%26SecurityToken%3D<redacted>%26SignatureMethod%3DHMAC-SHA1")
        );
        let shown = e.to_string();
        assert!(!shown.contains("string to sign"), "{shown}");
        assert!(shown.contains("check the AccessKey secret"), "{shown}");
        assert!(shown.contains("RequestId R"), "{shown}");
    }

    #[test]
    fn a_known_secret_is_masked_wherever_it_is_repeated() {
        let mut e = ApiError::from_code(
            "InvalidSecurityToken.Malformed",
            "token tok-123456 is bad",
            None,
        );
        e.mask(&["tok-123456"], "<redacted>");
        assert_eq!(e.message, "token <redacted> is bad");
    }

    #[test]
    fn skew_is_said_in_minutes() {
        let mut e = ApiError::from_code("InvalidTimeStamp.Expired", "expired", Some(400));
        e.clock_skew_secs = Some(-17 * 60);
        assert!(e.to_string().contains("17 min behind"), "{e}");
    }
}

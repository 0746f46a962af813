//! HTTP clients and URL rules for the two credential services (metadata, STS).

use std::net::IpAddr;
use std::time::Duration;

use reqwest::Url;

use super::CredentialError;

/// The instance metadata service on every ECS instance.
pub(super) const DEFAULT_METADATA_BASE: &str = "http://100.100.100.200";
/// STS without a region: the central endpoint.
pub(super) const DEFAULT_STS_HOST: &str = "sts.aliyuncs.com";

/// A short connect timeout so a laptop (no metadata service) fails fast instead of hanging.
const METADATA_CONNECT_TIMEOUT: Duration = Duration::from_secs(1);
const METADATA_TIMEOUT: Duration = Duration::from_secs(5);
const STS_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const STS_TIMEOUT: Duration = Duration::from_secs(15);

/// The metadata service is link-local: never through a proxy.
pub(super) fn metadata_client() -> Result<reqwest::Client, CredentialError> {
    reqwest::Client::builder()
        .no_proxy()
        .connect_timeout(METADATA_CONNECT_TIMEOUT)
        .timeout(METADATA_TIMEOUT)
        .build()
        .map_err(|e| CredentialError::new(format!("cannot set up an HTTP client: {e}")))
}

/// STS goes through `HTTPS_PROXY` like every other API call, except on loopback.
pub(super) fn sts_client(
    url: &Url,
    ca_bundle: Option<&crate::ecs::tls::CaBundle>,
) -> Result<reqwest::Client, CredentialError> {
    let mut builder = reqwest::Client::builder()
        .connect_timeout(STS_CONNECT_TIMEOUT)
        .timeout(STS_TIMEOUT);
    if is_loopback(url) {
        builder = builder.no_proxy();
    }
    builder = crate::ecs::tls::trust(builder, ca_bundle, url.scheme() == "http");
    builder
        .build()
        .map_err(|e| CredentialError::new(format!("cannot set up an HTTP client: {e}")))
}

/// The metadata base URL without a trailing `/`. Any http(s) host: the real one is plain
/// http on a link-local address, and nothing secret is sent to it.
pub(super) fn metadata_base(raw: &str, origin: &str) -> Result<String, CredentialError> {
    let url = Url::parse(raw.trim()).map_err(|e| bad_url(raw, origin, &e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(bad_url(
            raw,
            origin,
            "it must be an http:// or https:// URL",
        ));
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}

/// The STS URL ending in `/`. A bare host gets `https://`; `http://` only for loopback,
/// since the answer holds a fresh secret.
pub(super) fn sts_url(raw: &str, origin: &str) -> Result<Url, CredentialError> {
    let raw = raw.trim();
    // The answer holds a fresh secret: nothing a parser could read two ways.
    if raw.contains(['@', '\\', '#', '?']) || raw.chars().any(char::is_whitespace) {
        return Err(bad_url(
            raw,
            origin,
            "it must be https://HOST[:PORT][/PATH], without `@`, `\\`, `?`, `#` or spaces",
        ));
    }
    let with_scheme = if raw.contains("://") {
        raw.to_string()
    } else {
        format!("https://{raw}")
    };
    let mut url = Url::parse(&with_scheme).map_err(|e| bad_url(raw, origin, &e.to_string()))?;
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => {
            return Err(bad_url(
                raw,
                origin,
                "plain http:// is allowed only for 127.0.0.1, ::1 or localhost; use https://",
            ))
        }
        _ => return Err(bad_url(raw, origin, "it must be an https:// URL")),
    }
    if url.host_str().is_none() {
        return Err(bad_url(raw, origin, "it has no host"));
    }
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    url.set_query(None);
    Ok(url)
}

pub(super) fn is_loopback(url: &Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    match bare.parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => host.eq_ignore_ascii_case("localhost"),
    }
}

fn bad_url(raw: &str, origin: &str, why: &str) -> CredentialError {
    CredentialError::new(format!(
        "{origin} is \"{raw}\", which is not usable: {why}."
    ))
}

/// Keeps error bodies readable in one line and short, with any echoed secret masked
/// (an STS `SignatureDoesNotMatch` repeats the signed parameters).
pub(super) fn snippet(body: &str) -> String {
    let body = crate::ecs::error::redact(body);
    let one_line: String = body.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out: String = one_line.chars().take(200).collect();
    if one_line.chars().count() > 200 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sts_url_adds_scheme_and_slash_and_refuses_remote_http() {
        assert_eq!(
            sts_url("sts.cn-hangzhou.aliyuncs.com", "x")
                .unwrap()
                .as_str(),
            "https://sts.cn-hangzhou.aliyuncs.com/"
        );
        assert_eq!(
            sts_url("http://127.0.0.1:8080", "x").unwrap().as_str(),
            "http://127.0.0.1:8080/"
        );
        assert_eq!(
            sts_url("http://[::1]:8080/sts", "x").unwrap().as_str(),
            "http://[::1]:8080/sts/"
        );
        for tricky in [
            "sts.x@127.0.0.1:9/#.aliyuncs.com",
            r"http://localhost:9\@127.0.0.1/",
            "https://user:pass@sts.aliyuncs.com/",
        ] {
            let err = sts_url(tricky, "ALIBABA_CLOUD_STS_REGION").unwrap_err();
            assert!(err.0.contains("without `@`"), "{tricky}: {err}");
        }
        let err = sts_url("http://sts.aliyuncs.com", "ALIBABA_CLOUD_STS_ENDPOINT").unwrap_err();
        assert!(err.0.contains("ALIBABA_CLOUD_STS_ENDPOINT"), "{err}");
        assert!(err.0.contains("127.0.0.1"), "{err}");
    }

    #[test]
    fn an_error_body_is_shown_with_its_secrets_masked() {
        let shown = snippet(
            "{\"Message\": \"string to sign is:POST&%2F&AccessKeyId%3DLTAI5tSourceKey9876%26\
             SecurityToken%3Dsrc-token-1234%26Action%3DAssumeRole\"}",
        );
        assert!(!shown.contains("src-token-1234"), "{shown}");
        assert!(!shown.contains("LTAI5tSourceKey9876"), "{shown}");
        assert!(
            shown.contains("SecurityToken%3D<redacted>%26Action"),
            "{shown}"
        );
    }

    #[test]
    fn metadata_base_drops_the_trailing_slash() {
        assert_eq!(
            metadata_base("http://127.0.0.1:99/", "x").unwrap(),
            "http://127.0.0.1:99"
        );
        assert!(metadata_base("ftp://x", "x").is_err());
    }
}

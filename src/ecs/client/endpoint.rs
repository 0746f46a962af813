//! Which URL a request goes to: public, VPC, or a custom endpoint — and the checks that
//! keep a signed request (and the STS token riding in it) from going anywhere else.
//!
//! The URL is parsed once, by the parser reqwest itself uses (`url`, WHATWG rules), and
//! that parsed URL is the one every request is sent to: "is this loopback?" is answered
//! from the host the HTTP client will connect to, never from a second reading of the
//! text. What a parser could read two ways is refused instead of guessed at: userinfo
//! (`user:pass@`), a backslash, an IPv4 address written as one number or in hex, a query
//! or fragment (the signed query would end up behind a `#`). A region must be an ID as
//! DescribeRegions returns them before it is put in a host name.

use std::net::{IpAddr, Ipv4Addr};

use reqwest::Url;

use super::super::error::{ApiError, ErrorKind};

/// Which ECS endpoint to talk to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Endpoint {
    /// `https://ecs.<region>.aliyuncs.com/`
    Public,
    /// `https://ecs-vpc.<region>.aliyuncs.com/`, from inside an Alibaba Cloud VPC.
    Vpc,
    /// Any URL (`--endpoint`); plain `http://` only for loopback.
    Custom(String),
}

/// The longest region ID accepted. DescribeRegions' longest today is 21 characters
/// (`cn-shanghai-finance-1`); the API documents no limit, so this leaves room.
pub const MAX_REGION_LEN: usize = 64;

impl Endpoint {
    /// `public`, `vpc` or `custom`, as the header shows it.
    pub fn kind(&self) -> &'static str {
        match self {
            Endpoint::Public => "public",
            Endpoint::Vpc => "vpc",
            Endpoint::Custom(_) => "custom",
        }
    }

    /// The URL requests for `region` go to, ending in `/`. Refuses a malformed region,
    /// and plain HTTP to anything but loopback: the signature protects integrity, not
    /// secrecy, and the STS token rides along.
    pub fn url(&self, region: &str) -> Result<Url, ApiError> {
        check_region(region).map_err(|why| invalid("region", "InvalidRegion", why))?;
        match self {
            Endpoint::Public => fixed(&format!("https://ecs.{region}.aliyuncs.com/")),
            Endpoint::Vpc => fixed(&format!("https://ecs-vpc.{region}.aliyuncs.com/")),
            Endpoint::Custom(raw) => {
                custom(raw).map_err(|why| invalid("endpoint", "InvalidEndpoint", why))
            }
        }
    }
}

/// Whether requests to `url` go to this machine (then no proxy is used, and plain HTTP
/// is allowed).
pub fn is_loopback(url: &Url) -> bool {
    match host_ip(url) {
        Some(ip) => ip.is_loopback(),
        None => url
            .host_str()
            .is_some_and(|h| h.eq_ignore_ascii_case("localhost")),
    }
}

/// The host of `url` when it is an IP address (the parser's canonical form).
fn host_ip(url: &Url) -> Option<IpAddr> {
    let host = url.host_str()?;
    host.trim_start_matches('[')
        .trim_end_matches(']')
        .parse()
        .ok()
}

/// A region ID: lowercase letters, digits and `-`, starting with a letter or digit, at
/// most [`MAX_REGION_LEN`] characters — what DescribeRegions returns (`cn-hangzhou`).
pub fn check_region(region: &str) -> Result<(), String> {
    let example = "a region ID such as cn-hangzhou (`ecsimg regions` lists them)";
    if region.is_empty() {
        return Err(format!("the region is empty: use {example}"));
    }
    if region.chars().count() > MAX_REGION_LEN {
        return Err(format!(
            "the region is {} characters long; region IDs have at most {MAX_REGION_LEN}: use \
             {example}",
            region.chars().count()
        ));
    }
    let ok = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-';
    if let Some(bad) = region.chars().find(|c| !ok(*c)) {
        return Err(format!(
            "the region {:?} holds {bad:?}; a region ID is only lowercase letters, digits and \
             `-`: use {example}",
            region
        ));
    }
    if region.starts_with('-') {
        return Err(format!(
            "the region {region:?} starts with `-`: use {example}"
        ));
    }
    Ok(())
}

/// A URL ecsimg builds itself from a checked region: it always parses.
fn fixed(text: &str) -> Result<Url, ApiError> {
    Url::parse(text).map_err(|e| invalid("region", "InvalidRegion", e.to_string()))
}

/// A custom endpoint, checked; the error says what is wrong and how to write it.
fn custom(raw: &str) -> Result<Url, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err("the endpoint is empty: write https://HOST[:PORT]/".into());
    }
    if raw.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!(
            "the endpoint {:?} holds a space or a control character: write \
             https://HOST[:PORT]/",
            quoted(raw)
        ));
    }
    if raw.contains('\\') {
        return Err(format!(
            "the endpoint {:?} holds a backslash, which URL parsers read as `/`: write \
             https://HOST[:PORT]/",
            quoted(raw)
        ));
    }
    if raw.contains('@') {
        // Not quoted: what stands before the `@` may be a password.
        return Err(
            "the endpoint holds `@` (a user:password@ part): credentials never go in \
             an endpoint; write https://HOST[:PORT]/"
                .to_string(),
        );
    }
    let shown = quoted(raw);
    let with_scheme = if raw.contains("://") {
        raw.to_string()
    } else if let Some(scheme) = scheme_without_slashes(raw) {
        return Err(format!(
            "unsupported scheme {scheme}: in endpoint {shown:?}: use https://HOST[:PORT]/"
        ));
    } else {
        format!("https://{raw}")
    };
    let url = Url::parse(&with_scheme).map_err(|e| format!("the endpoint {shown:?}: {e}"))?;
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => {
            return Err(format!(
                "plain http:// is only allowed for loopback addresses (127.0.0.1, ::1, \
                 localhost), not {}: use https://",
                url.host_str().unwrap_or("")
            ))
        }
        other => {
            return Err(format!(
                "unsupported scheme {other}:// in endpoint {shown:?}: use https://"
            ))
        }
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(format!("the endpoint {shown:?} has no host"));
    }
    if let Some(IpAddr::V4(ip)) = host_ip(&url) {
        if typed_host(&with_scheme).parse::<Ipv4Addr>() != Ok(ip) {
            return Err(format!(
                "the endpoint {shown:?} writes an IPv4 address in a short, hex or octal form that \
                 means {ip}: write {ip}"
            ));
        }
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!(
            "the endpoint {shown:?} has a `?` or `#` part: ecsimg adds the query itself; write \
             https://HOST[:PORT]/"
        ));
    }
    let mut url = url;
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

/// `raw` for a message: cut to 100 characters, so a pasted megabyte is not echoed back.
fn quoted(raw: &str) -> String {
    if raw.chars().count() <= 100 {
        return raw.to_string();
    }
    let head: String = raw.chars().take(100).collect();
    format!("{head}…")
}

/// The host as typed in `scheme://HOST[:PORT]/…` (`@` and `\` were refused before).
fn typed_host(text: &str) -> &str {
    let rest = text.split_once("://").map_or(text, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    authority.rsplit_once(':').map_or(authority, |(h, _)| h)
}

/// `javascript` for `javascript:alert(1)`: a scheme written without `//`. `host:8080` is
/// a host and port, not a scheme.
fn scheme_without_slashes(raw: &str) -> Option<&str> {
    if raw.starts_with('[') {
        return None;
    }
    let (before, after) = raw.split_once(':')?;
    let port = after.split(['/', '?', '#']).next().unwrap_or("");
    let is_port = !port.is_empty() && port.chars().all(|c| c.is_ascii_digit());
    (!is_port).then_some(before)
}

fn invalid(field: &str, code: &str, message: String) -> ApiError {
    let mut e = ApiError::from_code(code, &message, None);
    e.kind = ErrorKind::InvalidInput {
        field: Some(field.into()),
    };
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    fn custom_url(u: &str) -> Result<String, ApiError> {
        Endpoint::Custom(u.into())
            .url("cn-hangzhou")
            .map(String::from)
    }

    #[test]
    fn public_and_vpc_follow_the_region() {
        assert_eq!(
            Endpoint::Public.url("cn-hangzhou").unwrap().as_str(),
            "https://ecs.cn-hangzhou.aliyuncs.com/"
        );
        assert_eq!(
            Endpoint::Vpc.url("eu-west-1").unwrap().as_str(),
            "https://ecs-vpc.eu-west-1.aliyuncs.com/"
        );
    }

    #[test]
    fn custom_http_only_for_loopback() {
        assert_eq!(
            custom_url("http://127.0.0.1:8080").unwrap(),
            "http://127.0.0.1:8080/"
        );
        assert!(custom_url("http://localhost:1/").is_ok());
        assert!(custom_url("http://[::1]:9/").is_ok());
        assert_eq!(
            custom_url("ecs.example.com").unwrap(),
            "https://ecs.example.com/"
        );
        assert_eq!(
            custom_url("ecs.example.com:8443/gw").unwrap(),
            "https://ecs.example.com:8443/gw/"
        );
        let err = custom_url("http://10.0.0.1/").unwrap_err();
        assert!(err.message.contains("only allowed for loopback"), "{err}");
        assert!(custom_url("ftp://x/").is_err());
        let url = |u: &str| Endpoint::Custom(u.into()).url("x").unwrap();
        assert!(is_loopback(&url("http://127.0.0.1:5/")));
        assert!(!is_loopback(&url("https://ecs.aliyuncs.com/")));
    }

    #[test]
    fn what_a_parser_could_read_two_ways_is_refused() {
        for (endpoint, why) in [
            (r"http://2130706433:18031\@127.0.0.1/", "backslash"),
            (r"http://any.host\@127.0.0.1/", "backslash"),
            ("http://user:pass@127.0.0.1:9/", "`@`"),
            ("https://ecs.x@127.0.0.1:18444/", "`@`"),
            ("http://2130706433:18031/", "means 127.0.0.1"),
            ("http://0x7f.1:18031/", "means 127.0.0.1"),
            ("http://127.1:18031/", "means 127.0.0.1"),
            ("https://ecs.example.com/#.aliyuncs.com/", "`#`"),
            ("https://ecs.example.com/?x=1", "`?`"),
            ("javascript:alert(1)", "unsupported scheme javascript"),
            ("http://127.0.0.1:99999/", "invalid port"),
            ("https://", "endpoint"),
        ] {
            let err = custom_url(endpoint).unwrap_err();
            assert_eq!(
                err.kind,
                ErrorKind::InvalidInput {
                    field: Some("endpoint".into())
                },
                "{endpoint}"
            );
            assert!(err.message.contains(why), "{endpoint}: {err}");
        }
    }

    #[test]
    fn a_region_is_an_id_before_it_is_part_of_a_host() {
        for good in [
            "cn-hangzhou",
            "cn-shanghai-finance-1",
            "eu-west-1",
            "me-east-1",
        ] {
            assert_eq!(check_region(good), Ok(()), "{good}");
        }
        let long = "a".repeat(100_000);
        for bad in [
            "x@127.0.0.1:18444/#",
            "cn-hangzhou.evil.example",
            "CN-HANGZHOU",
            "cn hangzhou",
            "",
            "-cn",
            long.as_str(),
        ] {
            let err = Endpoint::Public.url(bad).unwrap_err();
            assert_eq!(err.field(), Some("region"), "{bad}");
            assert!(err.message.contains("cn-hangzhou"), "{err}");
        }
    }
}

//! Which URL a request goes to: public, VPC, or a custom endpoint.

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

impl Endpoint {
    /// `public`, `vpc` or `custom`, as the header shows it.
    pub fn kind(&self) -> &'static str {
        match self {
            Endpoint::Public => "public",
            Endpoint::Vpc => "vpc",
            Endpoint::Custom(_) => "custom",
        }
    }

    /// The URL for `region`, ending in `/`. Refuses plain HTTP to anything but loopback:
    /// the signature protects integrity, not secrecy, and the STS token rides along.
    pub fn url(&self, region: &str) -> Result<String, ApiError> {
        let url = match self {
            Endpoint::Public => format!("https://ecs.{region}.aliyuncs.com/"),
            Endpoint::Vpc => format!("https://ecs-vpc.{region}.aliyuncs.com/"),
            Endpoint::Custom(raw) => {
                let raw = raw.trim();
                let with_scheme = if raw.contains("://") {
                    raw.to_string()
                } else {
                    format!("https://{raw}")
                };
                let (scheme, rest) = with_scheme.split_once("://").unwrap_or(("", ""));
                let host = host_of(rest);
                match scheme.to_ascii_lowercase().as_str() {
                    "https" => {}
                    "http" if is_loopback(host) => {}
                    "http" => {
                        return Err(invalid_endpoint(format!(
                            "plain http:// is only allowed for loopback addresses, not {host}: use https://{rest}"
                        )))
                    }
                    other => {
                        return Err(invalid_endpoint(format!(
                            "unsupported scheme {other}:// in endpoint {raw}: use https://"
                        )))
                    }
                }
                if host.is_empty() {
                    return Err(invalid_endpoint(format!("endpoint {raw} has no host")));
                }
                if with_scheme.ends_with('/') {
                    with_scheme
                } else {
                    format!("{with_scheme}/")
                }
            }
        };
        Ok(url)
    }

    /// Whether requests go to this machine (then no proxy is used).
    pub fn is_loopback(&self) -> bool {
        match self {
            Endpoint::Custom(raw) => {
                let rest = raw.split_once("://").map(|(_, r)| r).unwrap_or(raw);
                is_loopback(host_of(rest))
            }
            _ => false,
        }
    }
}

fn invalid_endpoint(message: String) -> ApiError {
    let mut e = ApiError::from_code("InvalidEndpoint", &message, None);
    e.kind = ErrorKind::InvalidInput {
        field: Some("endpoint".into()),
    };
    e
}

/// The host part of `host[:port][/path]`, brackets kept off IPv6 literals.
fn host_of(rest: &str) -> &str {
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let authority = authority
        .rsplit_once('@')
        .map(|(_, h)| h)
        .unwrap_or(authority);
    if let Some(v6) = authority.strip_prefix('[') {
        return v6.split(']').next().unwrap_or("");
    }
    authority.split(':').next().unwrap_or("")
}

fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_and_vpc_follow_the_region() {
        assert_eq!(
            Endpoint::Public.url("cn-hangzhou").unwrap(),
            "https://ecs.cn-hangzhou.aliyuncs.com/"
        );
        assert_eq!(
            Endpoint::Vpc.url("eu-west-1").unwrap(),
            "https://ecs-vpc.eu-west-1.aliyuncs.com/"
        );
    }

    #[test]
    fn custom_http_only_for_loopback() {
        let ok = |u: &str| Endpoint::Custom(u.into()).url("x");
        assert_eq!(
            ok("http://127.0.0.1:8080").unwrap(),
            "http://127.0.0.1:8080/"
        );
        assert!(ok("http://localhost:1/").is_ok());
        assert!(ok("http://[::1]:9/").is_ok());
        assert_eq!(ok("ecs.example.com").unwrap(), "https://ecs.example.com/");
        let err = ok("http://10.0.0.1/").unwrap_err();
        assert!(err.message.contains("only allowed for loopback"), "{err}");
        assert!(ok("ftp://x/").is_err());
        assert!(Endpoint::Custom("http://127.0.0.1:5/".into()).is_loopback());
        assert!(!Endpoint::Custom("https://ecs.aliyuncs.com/".into()).is_loopback());
    }
}

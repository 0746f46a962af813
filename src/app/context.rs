//! What the header shows about the connection: profile, region, endpoint, DEMO and RO.

use crate::ecs::client::Endpoint;
use crate::session::Session;

/// What the header shows about the connection.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AppContext {
    /// The credential profile ("default", "env", "demo").
    pub profile: String,
    pub region: String,
    /// The endpoint as the header shows it: `public`, `vpc`, the host of a custom endpoint,
    /// or `sim 127.0.0.1:PORT` for the demo ([`endpoint_label`]).
    pub endpoint_kind: String,
    /// Against the embedded simulator.
    pub demo: bool,
    /// Changes are refused (by `exec`, where they execute).
    pub read_only: bool,
}

impl AppContext {
    /// The header's view of `session`.
    pub fn from_session(session: &Session) -> AppContext {
        AppContext {
            profile: session.profile.clone(),
            region: session.client.region().to_string(),
            endpoint_kind: endpoint_label(
                &session.client.config().endpoint,
                session.client.endpoint_url(),
                session.demo,
            ),
            demo: session.demo,
            read_only: session.read_only,
        }
    }
}

/// How the header names an endpoint: `public` and `vpc` as such, a custom endpoint by its
/// host (and port), the demo's simulator as `sim HOST:PORT`.
pub fn endpoint_label(endpoint: &Endpoint, url: &str, demo: bool) -> String {
    match endpoint {
        Endpoint::Public => "public".to_string(),
        Endpoint::Vpc => "vpc".to_string(),
        Endpoint::Custom(_) => {
            let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
            let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
            let host = authority
                .rsplit_once('@')
                .map_or(authority, |(_, host)| host);
            if demo {
                format!("sim {host}")
            } else {
                host.to_string()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_names_the_endpoint_an_operator_recognizes() {
        let custom = Endpoint::Custom("x".into());
        assert_eq!(
            endpoint_label(
                &Endpoint::Public,
                "https://ecs.cn-hangzhou.aliyuncs.com/",
                false
            ),
            "public"
        );
        assert_eq!(
            endpoint_label(
                &Endpoint::Vpc,
                "https://ecs-vpc.cn-hangzhou.aliyuncs.com/",
                false
            ),
            "vpc"
        );
        assert_eq!(
            endpoint_label(&custom, "http://127.0.0.1:40123/", true),
            "sim 127.0.0.1:40123"
        );
        assert_eq!(
            endpoint_label(
                &custom,
                "https://user@ecs.example.internal:8443/api?x=1",
                false
            ),
            "ecs.example.internal:8443"
        );
    }
}

//! The ECS instance metadata service, as far as the credential chain needs it:
//! `PUT /latest/api/token`, the RAM role name and its STS credentials, and the region.
//!
//! Real instances serve this on 100.100.100.200; here it shares the simulator's port.

use hyper::{HeaderMap, Method};
use serde_json::json;
use time::OffsetDateTime;

use super::clock::format_timestamp;
use super::shared::Shared;

pub const TOKEN_TTL_HEADER: &str = "x-aliyun-ecs-metadata-token-ttl-seconds";
pub const TOKEN_HEADER: &str = "x-aliyun-ecs-metadata-token";
const CREDENTIALS_PATH: &str = "/latest/meta-data/ram/security-credentials";

/// A plain-text (or JSON) answer of the metadata service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextReply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: String,
}

fn text(status: u16, body: impl Into<String>) -> TextReply {
    TextReply {
        status,
        content_type: "text/plain; charset=utf-8",
        body: body.into(),
    }
}

pub fn handle(shared: &Shared, method: &Method, path: &str, headers: &HeaderMap) -> TextReply {
    let now = shared.clock.now_unix();
    if path == "/latest/api/token" {
        if method != Method::PUT {
            return text(405, "Method Not Allowed");
        }
        let ttl = headers
            .get(TOKEN_TTL_HEADER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<i64>().ok())
            .filter(|ttl| (1..=21_600).contains(ttl));
        let Some(ttl) = ttl else {
            return text(
                400,
                "Bad Request: X-aliyun-ecs-metadata-token-ttl-seconds must be 1-21600",
            );
        };
        let token: String = (0..56).map(|_| fastrand::alphanumeric()).collect();
        shared.metadata.remember_token(token.clone(), now + ttl);
        return text(200, token);
    }
    if method != Method::GET {
        return text(405, "Method Not Allowed");
    }
    match headers.get(TOKEN_HEADER).and_then(|v| v.to_str().ok()) {
        Some(token) if !shared.metadata.token_valid(token, now) => {
            return text(
                401,
                "Unauthorized: the metadata token is invalid or expired",
            );
        }
        Some(_) => {}
        None if shared.settings.metadata_requires_token => {
            return text(401, "Unauthorized: a metadata token is required");
        }
        None => {}
    }
    let role = &shared.settings.metadata_role;
    match path.strip_prefix(CREDENTIALS_PATH) {
        Some("" | "/") => text(200, role.clone()),
        Some(rest) if rest.strip_prefix('/') == Some(role.as_str()) => credentials(shared, now),
        Some(_) => text(404, "Not Found"),
        None if path == "/latest/meta-data/region-id" => {
            text(200, shared.settings.metadata_region.clone())
        }
        None => text(404, "Not Found"),
    }
}

/// The role's credentials; the same key is served until half its lifetime has passed.
fn credentials(shared: &Shared, now: i64) -> TextReply {
    let ttl = shared.settings.metadata_credential_ttl.as_secs() as i64;
    let (key, minted) = shared
        .metadata
        .credentials(now, ttl, || shared.keys.mint(now, ttl));
    let at = |secs: i64| {
        format_timestamp(
            OffsetDateTime::from_unix_timestamp(secs).unwrap_or(OffsetDateTime::UNIX_EPOCH),
        )
    };
    TextReply {
        status: 200,
        content_type: "application/json",
        body: json!({
            "AccessKeyId": key.id,
            "AccessKeySecret": key.secret,
            "Expiration": at(key.expires_at),
            "SecurityToken": key.token,
            "LastUpdated": at(minted),
            "Code": "Success",
        })
        .to_string(),
    }
}

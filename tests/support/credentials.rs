//! Shared by the credentials tests: a temporary HOME with credential files, and a small
//! HTTP server on 127.0.0.1 that plays the instance metadata service and STS.
use std::collections::BTreeMap;
use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use ecsimg::ecs::credentials::{EnvSnapshot, ResolveOptions};
use ecsimg::ecs::sign::{parse_query, signature, signatures_equal, Params};
use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tempfile::TempDir;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use tokio::net::TcpListener;

/// A temporary home directory.
pub struct Home {
    dir: TempDir,
}

impl Home {
    pub fn new() -> Home {
        Home {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `~/relative` with mode 600 (as `aliyun configure` does).
    pub fn write(&self, relative: &str, text: &str) -> PathBuf {
        let path = self.dir.path().join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        set_mode(&path, 0o600);
        path
    }

    pub fn config_json(&self, text: &str) -> PathBuf {
        self.write(".aliyun/config.json", text)
    }

    pub fn credentials_ini(&self, text: &str) -> PathBuf {
        self.write(".alibabacloud/credentials", text)
    }

    /// Options with this home and exactly `env` (never the process environment).
    pub fn opts(&self, env: &[(&str, &str)]) -> ResolveOptions {
        let mut opts = ResolveOptions::with_env(env.iter().copied().collect::<EnvSnapshot>());
        opts.home = Some(self.dir.path().to_path_buf());
        opts
    }
}

#[cfg(unix)]
pub fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[cfg(not(unix))]
pub fn set_mode(_path: &Path, _mode: u32) {}

/// One AK profile of `~/.aliyun/config.json`, as JSON.
pub fn ak_profile(name: &str, id: &str, secret: &str) -> String {
    format!(
        r#"{{"name":"{name}","mode":"AK","access_key_id":"{id}","access_key_secret":"{secret}"}}"#
    )
}

/// A config.json with `current` and the given profiles.
pub fn config(current: &str, profiles: &[String]) -> String {
    format!(
        r#"{{"current":"{current}","profiles":[{}],"meta_path":""}}"#,
        profiles.join(",")
    )
}

/// One request as the fake cloud saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub headers: BTreeMap<String, String>,
    pub query: Params,
    pub form: Params,
}

impl Seen {
    /// Query and form merged, as the signature covers them.
    pub fn params(&self) -> Params {
        let mut all = self.query.clone();
        all.extend(self.form.clone());
        all
    }
}

/// How the fake cloud behaves; tests change it between calls.
#[derive(Debug, Clone)]
pub struct Behaviour {
    /// Hand out an IMDSv2 token on `PUT /latest/api/token` (else answer 403).
    pub imds_v2: bool,
    /// The role attached to the "instance".
    pub role: String,
    /// Seconds until each fetched key expires.
    pub expires_in: i64,
    /// `Code` in the metadata answer.
    pub metadata_code: String,
    /// STS answers this error (status, Code) instead of a key.
    pub sts_error: Option<(u16, String)>,
    /// AccessKeyId → secret that STS accepts signatures from.
    pub sts_keys: BTreeMap<String, String>,
}

impl Default for Behaviour {
    fn default() -> Behaviour {
        Behaviour {
            imds_v2: true,
            role: "web-role".to_string(),
            expires_in: 3600,
            metadata_code: "Success".to_string(),
            sts_error: None,
            sts_keys: BTreeMap::new(),
        }
    }
}

pub const IMDS_TOKEN: &str = "imds-token-abc";

#[derive(Default)]
struct State {
    behaviour: Behaviour,
    seen: Vec<Seen>,
    /// Keys handed out so far (each gets a new number).
    issued: u32,
}

/// The fake metadata service + STS on 127.0.0.1.
#[derive(Clone)]
pub struct FakeCloud {
    pub url: String,
    state: Arc<Mutex<State>>,
}

impl FakeCloud {
    pub async fn start(behaviour: Behaviour) -> FakeCloud {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(State {
            behaviour,
            ..State::default()
        }));
        let served = state.clone();
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let state = served.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |req| handle(state.clone(), req));
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        FakeCloud { url, state }
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.state.lock().unwrap().seen.clone()
    }

    /// Requests whose path is exactly `path`.
    pub fn seen_at(&self, method: &str, path: &str) -> Vec<Seen> {
        self.seen()
            .into_iter()
            .filter(|s| s.method == method && s.path == path)
            .collect()
    }

    pub fn set(&self, change: impl FnOnce(&mut Behaviour)) {
        change(&mut self.state.lock().unwrap().behaviour);
    }
}

async fn handle(
    state: Arc<Mutex<State>>,
    req: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let method = req.method().to_string();
    let path = req.uri().path().to_string();
    let query = parse_query(req.uri().query().unwrap_or("")).expect("query decodes");
    let headers = req
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_ascii_lowercase(),
                v.to_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let body = req
        .into_body()
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let form = parse_query(std::str::from_utf8(&body).unwrap()).expect("form decodes");
    let seen = Seen {
        method,
        path,
        headers,
        query,
        form,
    };
    let mut state = state.lock().unwrap();
    state.seen.push(seen.clone());
    let (status, body) = answer(&mut state, &seen);
    let response = Response::builder()
        .status(StatusCode::from_u16(status).unwrap())
        .header(
            "Content-Type",
            if body.starts_with('{') {
                "application/json"
            } else {
                "text/plain"
            },
        )
        .body(Full::new(Bytes::from(body)))
        .unwrap();
    Ok(response)
}

const CREDS_PATH: &str = "/latest/meta-data/ram/security-credentials/";

fn answer(state: &mut State, seen: &Seen) -> (u16, String) {
    let b = state.behaviour.clone();
    let token_ok = !b.imds_v2
        || seen
            .headers
            .get("x-aliyun-ecs-metadata-token")
            .map(String::as_str)
            == Some(IMDS_TOKEN);
    match (seen.method.as_str(), seen.path.as_str()) {
        ("PUT", "/latest/api/token") if b.imds_v2 => (200, IMDS_TOKEN.to_string()),
        ("PUT", "/latest/api/token") => (403, "Forbidden".to_string()),
        ("GET", CREDS_PATH) if token_ok => (200, format!("{}\n", b.role)),
        ("GET", p) if p.starts_with(CREDS_PATH) && token_ok => {
            let role = &p[CREDS_PATH.len()..];
            if role != b.role {
                return (404, "Not Found".to_string());
            }
            state.issued += 1;
            let n = state.issued;
            let body = serde_json::json!({
                "AccessKeyId": format!("STS.meta-{n}"),
                "AccessKeySecret": format!("meta-secret-{n}"),
                "SecurityToken": format!("meta-token-{n}"),
                "Expiration": expiration(b.expires_in),
                "LastUpdated": expiration(0),
                "Code": b.metadata_code,
            });
            (200, body.to_string())
        }
        ("GET", _) => (401, "Unauthorized".to_string()),
        ("POST", _) => sts(state, seen),
        _ => (404, "Not Found".to_string()),
    }
}

fn sts(state: &mut State, seen: &Seen) -> (u16, String) {
    let mut params = seen.params();
    let sig = params.remove("Signature").unwrap_or_default();
    let id = params.get("AccessKeyId").cloned().unwrap_or_default();
    let error = |status: u16, code: &str| {
        let body = serde_json::json!({"RequestId": "REQ-1", "HostId": "sts.aliyuncs.com", "Code": code, "Message": format!("{code} happened."), "Recommend": ""});
        (status, body.to_string())
    };
    let Some(secret) = state.behaviour.sts_keys.get(&id) else {
        return error(404, "InvalidAccessKeyId.NotFound");
    };
    if !signatures_equal(&sig, &signature("POST", &params, secret)) {
        return error(400, "SignatureDoesNotMatch");
    }
    if let Some((status, code)) = state.behaviour.sts_error.clone() {
        return error(status, &code);
    }
    state.issued += 1;
    let n = state.issued;
    let body = serde_json::json!({
        "RequestId": "REQ-2",
        "AssumedRoleUser": {"Arn": params.get("RoleArn"), "AssumedRoleId": "1:sess"},
        "Credentials": {
            "AccessKeyId": format!("STS.arn-{n}"),
            "AccessKeySecret": format!("arn-secret-{n}"),
            "SecurityToken": format!("arn-token-{n}"),
            "Expiration": expiration(state.behaviour.expires_in),
        }
    });
    (200, body.to_string())
}

fn expiration(seconds_from_now: i64) -> String {
    let at = OffsetDateTime::now_utc() + time::Duration::seconds(seconds_from_now);
    let at = at.replace_nanosecond(0).unwrap();
    at.format(&Rfc3339).unwrap()
}

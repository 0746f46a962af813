//! A small signed RPC client for the simulator tests: signs with `ecsimg::ecs::sign` and
//! sends over real HTTP with reqwest, the way an SDK would.
use ecsimg::ecs::credentials::AccessKey;
use ecsimg::ecs::sign::{self, Common, Params};
use ecsimg::ecs::ECS_API_VERSION;
use ecsimg::sim::{self, SimConfig, SimHandle};
use reqwest::header::HeaderMap;
use serde_json::Value;
use time::macros::format_description;
use time::OffsetDateTime;

/// How the parameters travel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Everything in the query.
    Get,
    /// POST with every parameter in a form body.
    PostForm,
    /// POST with every parameter in the query and an empty body (the aliyun CLI).
    PostQuery,
}

impl Style {
    pub fn method(self) -> &'static str {
        match self {
            Style::Get => "GET",
            _ => "POST",
        }
    }
}

/// One answer: status, headers, and the body as text and (when it parses) JSON.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: HeaderMap,
    pub text: String,
    pub body: Value,
}

impl Answer {
    /// The error `Code`, or "" on success.
    pub fn code(&self) -> &str {
        self.body["Code"].as_str().unwrap_or("")
    }

    pub fn message(&self) -> &str {
        self.body["Message"].as_str().unwrap_or("")
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Panics with the whole answer unless it is a 200.
    pub fn ok(self) -> Value {
        assert_eq!(self.status, 200, "expected success, got {}", self.text);
        self.body
    }

    /// Asserts an error with `code` and `status`, and the gateway's body shape.
    pub fn expect_error(&self, status: u16, code: &str) {
        assert_eq!((self.status, self.code()), (status, code), "{}", self.text);
        let id = self.body["RequestId"].as_str().unwrap_or("");
        assert!(!id.is_empty(), "{}", self.text);
        assert!(self.body["HostId"].as_str().is_some_and(|h| !h.is_empty()));
        assert!(!self.message().is_empty());
        let recommend = self.body["Recommend"].as_str().unwrap_or("");
        assert!(
            recommend.starts_with("https://api.aliyun.com/troubleshoot?q=")
                && recommend.contains(&format!("q={code}&"))
                && recommend.ends_with(&format!("requestId={id}")),
            "{recommend}"
        );
        assert_eq!(self.header("x-acs-request-id"), Some(id));
    }
}

/// `yyyy-MM-ddTHH:mm:ssZ` of the host clock shifted by `offset_secs`.
pub fn timestamp(offset_secs: i64) -> String {
    (OffsetDateTime::now_utc() + time::Duration::seconds(offset_secs))
        .format(format_description!(
            "[year]-[month]-[day]T[hour]:[minute]:[second]Z"
        ))
        .unwrap()
}

/// Builds a parameter map from pairs.
pub fn params(pairs: &[(&str, &str)]) -> Params {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// A signing client bound to one simulator.
#[derive(Clone)]
pub struct Rpc {
    pub endpoint: String,
    pub key: AccessKey,
    pub style: Style,
    http: reqwest::Client,
}

impl Rpc {
    /// The demo key, GET.
    pub fn new(sim: &SimHandle) -> Rpc {
        Rpc::at(&sim.endpoint())
    }

    pub fn at(endpoint: &str) -> Rpc {
        Rpc {
            endpoint: endpoint.to_string(),
            key: sim::demo_access_key(),
            style: Style::Get,
            http: reqwest::Client::builder().no_proxy().build().unwrap(),
        }
    }

    pub fn with_key(mut self, key: AccessKey) -> Rpc {
        self.key = key;
        self
    }

    pub fn with_style(mut self, style: Style) -> Rpc {
        self.style = style;
        self
    }

    /// `extra` plus the common parameters, signed now with a fresh nonce.
    pub fn sign(&self, action: &str, version: &str, extra: &[(&str, &str)]) -> Params {
        let mut p = params(extra);
        let ts = timestamp(0);
        let nonce = sign::new_nonce();
        let token = self.key.security_token.as_ref().map(|t| t.expose());
        let common = Common {
            action,
            version,
            access_key_id: &self.key.id,
            security_token: token,
            timestamp: &ts,
            nonce: &nonce,
        };
        sign::sign_request(
            self.style.method(),
            &mut p,
            &common,
            self.key.secret.expose(),
        );
        p
    }

    /// Sends already-signed parameters the way `style` says.
    pub async fn send(&self, p: &Params) -> Answer {
        self.send_as(self.style, p).await
    }

    pub async fn send_as(&self, style: Style, p: &Params) -> Answer {
        self.try_send_as(style, p)
            .await
            .expect("the simulator answers with a whole body")
    }

    /// Like `send_as`, but a broken connection or body is an `Err`.
    pub async fn try_send_as(&self, style: Style, p: &Params) -> Result<Answer, reqwest::Error> {
        let encoded = encode(p);
        let request = match style {
            Style::Get => self.http.get(format!("{}?{encoded}", self.endpoint)),
            Style::PostQuery => self.http.post(format!("{}?{encoded}", self.endpoint)),
            Style::PostForm => self
                .http
                .post(&self.endpoint)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(encoded),
        };
        try_answer(request.send().await?).await
    }

    /// An ECS call whose connection may break.
    pub async fn try_ecs(
        &self,
        action: &str,
        extra: &[(&str, &str)],
    ) -> Result<Answer, reqwest::Error> {
        let p = self.sign(action, ECS_API_VERSION, extra);
        self.try_send_as(self.style, &p).await
    }

    /// Sends a raw query string (already encoded) with `method`.
    pub async fn send_raw(&self, method: &str, query: &str) -> Answer {
        let url = format!("{}?{query}", self.endpoint);
        let request = match method {
            "GET" => self.http.get(url),
            _ => self.http.post(url),
        };
        answer(request.send().await.expect("the simulator answers")).await
    }

    /// An ECS 2014-05-26 call.
    pub async fn ecs(&self, action: &str, extra: &[(&str, &str)]) -> Answer {
        let p = self.sign(action, ECS_API_VERSION, extra);
        self.send(&p).await
    }

    /// An STS 2015-04-01 call.
    pub async fn sts(&self, action: &str, extra: &[(&str, &str)]) -> Answer {
        let p = self.sign(action, sim::STS_API_VERSION, extra);
        self.send(&p).await
    }

    /// Every page of DescribeImages in cn-hangzhou for `extra` filters, `size` per page.
    pub async fn all_images(&self, size: u32, extra: &[(&str, &str)]) -> Vec<Value> {
        let mut out = Vec::new();
        let size_text = size.to_string();
        for page in 1.. {
            let page_text = page.to_string();
            let mut p = vec![
                ("RegionId", "cn-hangzhou"),
                ("PageSize", size_text.as_str()),
                ("PageNumber", page_text.as_str()),
            ];
            p.extend_from_slice(extra);
            let body = self.ecs("DescribeImages", &p).await.ok();
            let images = body["Images"]["Image"].as_array().unwrap().clone();
            let total = body["TotalCount"].as_u64().unwrap() as usize;
            let done = images.is_empty();
            out.extend(images);
            if done || out.len() >= total {
                break;
            }
        }
        out
    }
}

/// `k=v&…` with the canonical encoding.
pub fn encode(p: &Params) -> String {
    p.iter()
        .map(|(k, v)| format!("{}={}", sign::percent_encode(k), sign::percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

async fn answer(response: reqwest::Response) -> Answer {
    try_answer(response).await.expect("a whole body")
}

async fn try_answer(response: reqwest::Response) -> Result<Answer, reqwest::Error> {
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().await?;
    let body = serde_json::from_str(&text).unwrap_or(Value::Null);
    Ok(Answer {
        status,
        headers,
        text,
        body,
    })
}

/// A demo simulator and a GET client for it.
pub async fn demo() -> (SimHandle, Rpc) {
    let sim = sim::start(SimConfig::demo()).await.unwrap();
    let rpc = Rpc::new(&sim);
    (sim, rpc)
}

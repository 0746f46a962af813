//! A real HTTP server on 127.0.0.1 that answers from a script and records every request:
//! for the client behaviours the simulator does not make on demand (a given sequence of
//! failures, a skewed `Date`, a `x-acs-retry-after`).

use std::collections::VecDeque;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;

use ecsimg::ecs::sign::{self, Params};

/// One canned answer.
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// Wait this long before answering (to provoke a read timeout).
    pub delay: Duration,
}

impl Reply {
    pub fn ok(body: &str) -> Reply {
        Reply {
            status: 200,
            headers: vec![],
            body: body.to_string(),
            delay: Duration::ZERO,
        }
    }

    pub fn error(status: u16, code: &str, message: &str) -> Reply {
        let body = format!(
            r#"{{"RequestId":"REQ-{code}","HostId":"ecs.aliyuncs.com","Code":"{code}","Message":"{message}","Recommend":"https://api.aliyun.com/troubleshoot?q={code}"}}"#
        );
        Reply {
            status,
            headers: vec![],
            body,
            delay: Duration::ZERO,
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    pub fn delayed(mut self, delay: Duration) -> Reply {
        self.delay = delay;
        self
    }
}

/// What the server received.
#[derive(Clone, Debug)]
pub struct Received {
    pub method: String,
    /// Query and form body merged, decoded.
    pub params: Params,
    pub query: String,
    pub body: String,
    pub content_type: Option<String>,
}

type Responder = Box<dyn Fn(&Received) -> Option<Reply> + Send + Sync>;

#[derive(Default)]
struct Shared {
    script: Mutex<VecDeque<Reply>>,
    received: Mutex<Vec<Received>>,
    responder: Mutex<Option<Responder>>,
}

pub struct ScriptedServer {
    pub addr: SocketAddr,
    shared: Arc<Shared>,
}

impl ScriptedServer {
    pub async fn start() -> ScriptedServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let shared = Arc::new(Shared::default());
        let accept_shared = shared.clone();
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let shared = accept_shared.clone();
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |req| {
                        let shared = shared.clone();
                        async move { Ok::<_, Infallible>(answer(&shared, req).await) }
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        ScriptedServer { addr, shared }
    }

    pub fn endpoint(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// Queues answers, used in order; when the queue is empty the responder (if any)
    /// answers, else a 500.
    pub fn push(&self, reply: Reply) {
        self.shared.script.lock().unwrap().push_back(reply);
    }

    /// Answers computed from the request (e.g. a page by its PageNumber).
    pub fn respond_with(&self, f: impl Fn(&Received) -> Option<Reply> + Send + Sync + 'static) {
        *self.shared.responder.lock().unwrap() = Some(Box::new(f));
    }

    pub fn received(&self) -> Vec<Received> {
        self.shared.received.lock().unwrap().clone()
    }
}

async fn answer(shared: &Shared, req: Request<Incoming>) -> Response<Full<Bytes>> {
    let method = req.method().to_string();
    let query = req.uri().query().unwrap_or("").to_string();
    let content_type = req
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let body = req
        .into_body()
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let body = String::from_utf8_lossy(&body).to_string();
    let mut params = sign::parse_query(&query).unwrap_or_default();
    params.extend(sign::parse_query(&body).unwrap_or_default());
    let received = Received {
        method,
        params,
        query,
        body,
        content_type,
    };
    shared.received.lock().unwrap().push(received.clone());
    let scripted = shared.script.lock().unwrap().pop_front();
    let reply = scripted
        .or_else(|| {
            shared
                .responder
                .lock()
                .unwrap()
                .as_ref()
                .and_then(|f| f(&received))
        })
        .unwrap_or_else(|| Reply::error(500, "InternalError", "script exhausted"));
    if !reply.delay.is_zero() {
        tokio::time::sleep(reply.delay).await;
    }
    let mut response = Response::builder().status(reply.status);
    for (k, v) in &reply.headers {
        response = response.header(k.as_str(), v.as_str());
    }
    response.body(Full::new(Bytes::from(reply.body))).unwrap()
}

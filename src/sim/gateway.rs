//! One HTTP request in, one response out: routes the metadata paths, applies faults, reads
//! the RPC parameters (query and form body merged), authenticates, and dispatches.
//!
//! Every response carries a `Date` header from the server clock (clients use it to measure
//! skew); every RPC response carries `x-acs-request-id`.

use std::convert::Infallible;
use std::sync::Arc;

use http_body_util::{BodyExt, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::header::{HeaderValue, CONTENT_TYPE, DATE};
use hyper::{Method, Request, Response, StatusCode};
use serde_json::Value;

use super::actions::{self, Ctx, ESS_FLAT_API_VERSION, STS_API_VERSION};
use super::auth;
use super::body::{ConnSocket, SimBody};
use super::clock::format_http_date;
use super::faults::Fault;
use super::metadata;
use super::reply::{new_request_id, Product, Reply, SimError};
use super::shared::Shared;
use crate::ecs::sign::{self, Params};

const MAX_BODY: usize = 1 << 20;
/// How many pieces a slow body is trickled in.
const SLOW_PIECES: usize = 16;

pub async fn handle(
    shared: Arc<Shared>,
    socket: ConnSocket,
    req: Request<Incoming>,
) -> Result<Response<SimBody>, Infallible> {
    let seq = shared.count_request();
    let path = req.uri().path().to_string();
    if path == "/latest" || path.starts_with("/latest/") {
        let reply = metadata::handle(&shared, req.method(), &path, req.headers());
        let mut response = Response::new(SimBody::full(reply.body));
        *response.status_mut() = status(reply.status);
        response
            .headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static(reply.content_type));
        stamp_date(&shared, &mut response);
        return Ok(response);
    }
    Ok(rpc(&shared, socket, req, seq).await)
}

async fn rpc(
    shared: &Shared,
    socket: ConnSocket,
    req: Request<Incoming>,
    seq: u64,
) -> Response<SimBody> {
    let request_id = new_request_id();
    // Action is a common parameter: it travels in the query even when the rest is a form.
    let action = shared.settings.log_requests.then(|| {
        sign::parse_query(req.uri().query().unwrap_or(""))
            .and_then(|p| p.get("Action").cloned())
            .unwrap_or_else(|| "(no Action)".to_string())
    });
    let plan = shared.faults.plan();
    if !plan.delay.is_zero() {
        tokio::time::sleep(plan.delay).await;
    }
    let reply = match plan.fault.filter(|f| f.before_processing()) {
        Some(fault) => Reply::error(fault_error(fault), &request_id, Product::Ecs),
        None => process(shared, req, &request_id).await,
    };

    if let Some(action) = action {
        log_request(seq, &action, &reply, plan.fault, &request_id);
    }
    if plan.fault == Some(Fault::HeldAnswer) {
        tokio::time::sleep(super::faults::HELD_ANSWER).await;
    }
    let bytes = Bytes::from(serde_json::to_vec(&reply.body).unwrap_or_default());
    let body = match plan.fault {
        Some(Fault::Reset) => SimBody::cut_off(bytes, socket),
        Some(Fault::Truncated) => SimBody::full(bytes.slice(..bytes.len() / 2)),
        Some(Fault::Malformed | Fault::BadGateway) => SimBody::full(
            "<html><head><title>502 Bad Gateway</title></head><body>Tengine</body></html>",
        ),
        Some(Fault::EmptyOk) => SimBody::full(Bytes::new()),
        Some(Fault::Huge) => SimBody::full(huge_body()),
        _ => match plan.slow_body {
            Some(total) => SimBody::trickled(bytes, SLOW_PIECES, total),
            None => SimBody::full(bytes),
        },
    };
    let mut response = Response::new(body);
    *response.status_mut() = status(reply.status);
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/json;charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&request_id) {
        headers.insert("x-acs-request-id", v);
    }
    for (name, value) in &reply.headers {
        if let Ok(v) = HeaderValue::from_str(value) {
            headers.insert(*name, v);
        }
    }
    stamp_date(shared, &mut response);
    response
}

/// One line on stdout per RPC request, for `ecsimg sim --log-requests`.
fn log_request(seq: u64, action: &str, reply: &Reply, fault: Option<Fault>, request_id: &str) {
    let code = reply
        .body
        .get("Code")
        .and_then(Value::as_str)
        .unwrap_or("-");
    let damage = match fault {
        Some(f) if !f.before_processing() => format!(" (answer damaged: {f:?})"),
        _ => String::new(),
    };
    println!(
        "{seq:>5} {action} {} {code} {request_id}{damage}",
        reply.status
    );
}

/// Reads, authenticates and runs one RPC request.
async fn process(shared: &Shared, req: Request<Incoming>, request_id: &str) -> Reply {
    let method = req.method().clone();
    let query = req.uri().query().unwrap_or("").to_string();
    let path = req.uri().path().to_string();
    let form = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|ct| ct.contains("application/x-www-form-urlencoded"));
    let body = match Limited::new(req.into_body(), MAX_BODY).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => {
            let err = SimError::new(400, "InvalidParameter", "The request body is too large.");
            return Reply::error(err, request_id, Product::Ecs);
        }
    };
    let params = match parameters(&method, &path, &query, form.then_some(&body[..])) {
        Ok(params) => params,
        Err(err) => return Reply::error(err, request_id, Product::Ecs),
    };
    let product = match params.get("Version").map(String::as_str) {
        Some(STS_API_VERSION) => Product::Sts,
        Some(crate::ecs::ESS_API_VERSION | ESS_FLAT_API_VERSION) => Product::Ess,
        _ => Product::Ecs,
    };
    let result = auth::authenticate(shared, method.as_str(), &params).and_then(|_caller| {
        actions::dispatch(&Ctx {
            shared,
            params: &params,
        })
    });
    match result {
        Ok(mut body) => {
            if let Value::Object(map) = &mut body {
                map.insert("RequestId".into(), Value::String(request_id.to_string()));
            }
            Reply::ok(body)
        }
        Err(err) => Reply::error(err, request_id, product),
    }
}

/// The request's parameters: the query, merged with a form body when there is one.
fn parameters(
    method: &Method,
    path: &str,
    query: &str,
    form: Option<&[u8]>,
) -> Result<Params, SimError> {
    if path != "/" {
        return Err(SimError::new(
            404,
            "InvalidApi.NotFound",
            "Specified api is not found, please check your url and method.",
        ));
    }
    if method != Method::GET && method != Method::POST {
        return Err(SimError::new(
            403,
            "UnsupportedHTTPMethod",
            "This HTTP method is not supported.",
        ));
    }
    let undecodable = || {
        SimError::new(
            400,
            "InvalidParameter",
            "The request parameters could not be decoded as UTF-8 percent-encoding.",
        )
    };
    let mut params = sign::parse_query(query).ok_or_else(undecodable)?;
    if let (&Method::POST, Some(form)) = (method, form) {
        let text = std::str::from_utf8(form).map_err(|_| undecodable())?;
        params.extend(sign::parse_query(text.trim()).ok_or_else(undecodable)?);
    }
    Ok(params)
}

fn fault_error(fault: Fault) -> SimError {
    match fault {
        Fault::InternalError => SimError::new(
            500,
            "InternalError",
            "The request processing has failed due to some unknown error, exception or failure.",
        ),
        Fault::BadGateway => SimError::new(502, "BadGateway", "Bad Gateway"),
        Fault::Throttling => SimError::new(
            400,
            "Throttling",
            "You have made too many requests within a short time; your request is denied due to request throttling.",
        )
        .with_header("x-acs-retry-after", "100"),
        _ => SimError::new(
            503,
            "ServiceUnavailable",
            "The request has failed due to a temporary failure of the server.",
        ),
    }
}

/// 50 MB of spaces, made once: `Bytes` clones share it.
fn huge_body() -> Bytes {
    static HUGE: std::sync::OnceLock<Bytes> = std::sync::OnceLock::new();
    HUGE.get_or_init(|| Bytes::from(vec![b' '; 50 * 1024 * 1024]))
        .clone()
}

fn status(code: u16) -> StatusCode {
    StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

fn stamp_date(shared: &Shared, response: &mut Response<SimBody>) {
    if let Ok(v) = HeaderValue::from_str(&format_http_date(shared.clock.now())) {
        response.headers_mut().insert(DATE, v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_and_form_merge() {
        let p = parameters(&Method::POST, "/", "Action=A&X=1", Some(b"Y=%E4%B8%AD&X=2")).unwrap();
        assert_eq!(p["Action"], "A");
        assert_eq!(p["Y"], "中");
        assert_eq!(p["X"], "2", "the body wins");
        let p = parameters(&Method::GET, "/", "A=1", Some(b"B=2")).unwrap();
        assert!(!p.contains_key("B"), "GET ignores a body");
    }

    #[test]
    fn other_paths_and_methods_are_refused() {
        assert_eq!(
            parameters(&Method::GET, "/x", "", None).unwrap_err().code,
            "InvalidApi.NotFound"
        );
        assert_eq!(
            parameters(&Method::DELETE, "/", "", None)
                .unwrap_err()
                .status,
            403
        );
        assert_eq!(
            parameters(&Method::GET, "/", "A=%ZZ", None)
                .unwrap_err()
                .code,
            "InvalidParameter"
        );
    }
}

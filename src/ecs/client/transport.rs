//! The wire: sending one signed request, retrying what may succeed, and reading the whole
//! answer. Failures are said without the request's URL (it carries the AccessKeyId and the
//! STS token).

use std::sync::atomic::Ordering;

use super::backoff;
use super::clock;
use super::limits::{check_params, local_invalid, MAX_BODY_BYTES};
use super::{EcsClient, HttpMethod, RetryNotice};
use crate::ecs::credentials::AccessKey;
use crate::ecs::error::{ApiError, AuthProblem, ErrorKind};
use crate::ecs::sign::{self, Params};
use crate::ecs::tls;

/// One answer from the endpoint, before decoding.
pub(super) struct RawResponse {
    pub(super) status: u16,
    pub(super) body: String,
    pub(super) date: Option<String>,
    pub(super) retry_after: Option<String>,
}

impl EcsClient {
    /// Sends `action`, re-signing each attempt; retries what may succeed, corrects a
    /// skewed clock once, and returns the raw 2xx answer.
    pub(super) async fn send_with_retries(
        &self,
        action: &str,
        params: Params,
    ) -> Result<RawResponse, ApiError> {
        check_params(&params)?;
        let max_retries = self.inner.config.max_retries.min(3);
        let mut retries = 0;
        let mut corrected_clock = false;
        let mut renewed_nonce = false;
        loop {
            let key = self.access_key().await?;
            let result = self.send_once(action, params.clone(), &key).await;
            let (err, retry_after) = match result {
                Ok(raw) => return Ok(raw),
                Err(failure) => failure,
            };
            if err.code == "InvalidTimeStamp.Expired" && !corrected_clock {
                if let Some(offset) = err.clock_skew_secs.map(|s| -s) {
                    tracing::warn!(
                        action,
                        offset,
                        "clock skew detected; retrying with corrected time"
                    );
                    self.inner.clock_offset.store(offset, Ordering::Relaxed);
                    corrected_clock = true;
                    continue;
                }
            }
            if err.code == "SignatureNonceUsed" && !renewed_nonce {
                renewed_nonce = true;
                continue;
            }
            if !err.is_retryable() || retries >= max_retries {
                return Err(err);
            }
            let asked = backoff::retry_after(retry_after.as_deref());
            let wait = asked
                .map(|a| backoff::after_asked(a, fastrand::f64()))
                .unwrap_or_else(|| {
                    backoff::delay(
                        self.inner.config.retry_base,
                        retries,
                        err.kind == ErrorKind::Throttled,
                        fastrand::f64(),
                    )
                });
            tracing::info!(action, code = %err.code, retry = retries + 1, wait_ms = wait.as_millis() as u64, "retrying");
            if let Some(observer) = &self.inner.retry_observer {
                observer(&RetryNotice {
                    action: action.to_string(),
                    code: err.code.clone(),
                    request_id: err.request_id.clone(),
                    retry: retries + 1,
                    max_retries,
                    wait,
                });
            }
            tokio::time::sleep(wait).await;
            retries += 1;
        }
    }

    /// One attempt. On failure, also returns the `x-acs-retry-after` header.
    async fn send_once(
        &self,
        action: &str,
        params: Params,
        key: &AccessKey,
    ) -> Result<RawResponse, (ApiError, Option<String>)> {
        let method = self.inner.config.method;
        let raw = self
            .exchange(method, self.signed(action, params, key, method))
            .await
            .map_err(|e| (e, None))?;
        tracing::debug!(action, status = raw.status, "answered");
        if (200..300).contains(&raw.status) {
            return Ok(raw);
        }
        let mut err = ApiError::from_body(raw.status, &raw.body).unwrap_or_else(|| {
            ApiError::decode(
                raw.status,
                format!("HTTP {} with an unreadable body", raw.status),
            )
        });
        mask_key(&mut err, key);
        if err.kind == ErrorKind::Auth(AuthProblem::Clock) {
            err.clock_skew_secs = clock::server_offset(raw.date.as_deref()).map(|o| -o);
        }
        if raw.status >= 500 {
            err.ambiguous = true;
        }
        Err((err, raw.retry_after))
    }

    /// Puts a signed request on the wire and reads the whole answer.
    async fn exchange(&self, method: HttpMethod, signed: Params) -> Result<RawResponse, ApiError> {
        let http = &self.inner.http;
        // The parsed endpoint, with the signed query: the query is already encoded, so the
        // parser has nothing to re-encode and what is signed is what is sent.
        let mut url = self.inner.url.clone();
        let request = match method {
            HttpMethod::Get => {
                url.set_query(Some(&wire_query(&signed)));
                http.get(url)
            }
            HttpMethod::Post => {
                let (query, body): (Params, Params) =
                    signed.into_iter().partition(|(k, _)| is_common_param(k));
                url.set_query(Some(&wire_query(&query)));
                http.post(url)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .body(wire_query(&body))
            }
        };
        let endpoint = self.inner.url.as_str();
        let response = request
            .send()
            .await
            .map_err(|e| transport_error(e, endpoint, false))?;
        let status = response.status().as_u16();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let date = header("date");
        let retry_after = header("x-acs-retry-after");
        let body = read_body(response, status, endpoint).await?;
        Ok(RawResponse {
            status,
            body,
            date,
            retry_after,
        })
    }
}

/// The whole body of `response`, at most [`MAX_BODY_BYTES`].
pub(super) async fn read_body(
    mut response: reqwest::Response,
    status: u16,
    endpoint: &str,
) -> Result<String, ApiError> {
    let too_large = || {
        let mut e = ApiError::decode(
            status,
            format!(
                "the answer from {endpoint} is larger than {} MB; ecsimg stopped reading it",
                MAX_BODY_BYTES / (1024 * 1024)
            ),
        );
        e.code = "ResponseTooLarge".into();
        // The request went out and was answered: a change may have been made.
        e.ambiguous = true;
        e
    };
    if response
        .content_length()
        .is_some_and(|n| n > MAX_BODY_BYTES as u64)
    {
        return Err(too_large());
    }
    let mut body = Vec::new();
    // A body cut off after the status line may mean the server acted: ambiguous.
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| transport_error(e, endpoint, true))?
    {
        if body.len() + chunk.len() > MAX_BODY_BYTES {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(String::from_utf8(body)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
}

/// Masks this key's token and ID wherever an answer repeats them, however encoded: the
/// pattern-based [`super::error::redact`] catches a token echoed as a parameter, this
/// catches one quoted anywhere else.
fn mask_key(err: &mut ApiError, key: &AccessKey) {
    if let Some(token) = &key.security_token {
        let once = sign::percent_encode(token.expose());
        let twice = sign::percent_encode(&once);
        err.mask(&[token.expose(), &once, &twice], "<redacted>");
    }
    err.mask(&[&key.id], &key.short_id());
}

/// Parameters that stay in the URL of a POST; the API's own go in the form body.
fn is_common_param(name: &str) -> bool {
    matches!(
        name,
        "Action"
            | "Version"
            | "Format"
            | "AccessKeyId"
            | "SignatureMethod"
            | "SignatureVersion"
            | "SignatureNonce"
            | "Timestamp"
            | "SecurityToken"
            | "Signature"
    )
}

/// The canonical encoding on the wire too: what is signed is exactly what is sent.
fn wire_query(params: &Params) -> String {
    params
        .iter()
        .map(|(k, v)| format!("{}={}", sign::percent_encode(k), sign::percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The failure, said without the request's URL: its query carries the AccessKeyId and the
/// STS token, so only the endpoint is named.
fn transport_error(e: reqwest::Error, endpoint: &str, after_send: bool) -> ApiError {
    let e = e.without_url();
    if e.is_builder() {
        // Nothing left this machine: the request could not even be put together.
        return local_invalid(None, format!("the request could not be built: {e}"));
    }
    if let Some((code, detail)) = tls::refused(&e) {
        return tls::refused_error(code, &detail, endpoint);
    }
    let what = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "could not connect"
    } else {
        "the connection failed"
    };
    let mut message = format!("{what} ({endpoint}): {e}");
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        message.push_str(&format!(": {s}"));
        source = s.source();
    }
    // A timeout or a reset after the request went out may have changed something.
    let ambiguous =
        after_send || (e.is_timeout() && !e.is_connect()) || e.is_request() && !e.is_connect();
    let mut err = ApiError::transport(message, ambiguous);
    if e.is_timeout() {
        err.code = "Timeout".into();
    }
    err
}

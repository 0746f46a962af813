//! What a request may carry and an answer may hold: parameters no API takes are refused
//! before anything is signed, and an answer is read only up to a cap, so a wrong endpoint
//! (a proxy's download, an endless body) cannot fill memory.

use super::super::error::{ApiError, ErrorKind};
use super::super::sign::Params;
use super::transport_error;

/// The most of an answer that is read: a page of 100 images is well under 1 MB, so more
/// than this is not an ECS answer (a proxy's download page, a wrong endpoint). Reading
/// stops there; the call fails as an unreadable answer (exit 3).
pub const MAX_BODY_BYTES: usize = 32 * 1024 * 1024;

/// The longest value one request parameter may have. ECS's own limits are a few hundred
/// characters (a description: 256); the longest ecsimg sends is a list of 100 image IDs.
pub const MAX_PARAM_CHARS: usize = 4096;

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

/// Refuses a parameter no ECS API takes before anything is signed or sent: a 100 kB ID
/// would otherwise fail deep in the HTTP client as "builder error".
pub(super) fn check_params(params: &Params) -> Result<(), ApiError> {
    match params
        .iter()
        .find(|(_, v)| v.chars().count() > MAX_PARAM_CHARS)
    {
        None => Ok(()),
        Some((name, value)) => Err(local_invalid(
            Some(name),
            format!(
                "{name} is {} characters long; ECS takes at most a few hundred (ecsimg sends \
                 at most {MAX_PARAM_CHARS}): shorten it",
                value.chars().count()
            ),
        )),
    }
}

/// Input refused here, before (or instead of) sending: invalid input, no HTTP status, so
/// the CLI exits 2.
pub(super) fn local_invalid(field: Option<&str>, message: String) -> ApiError {
    let mut e = ApiError::from_code("InvalidRequest", &message, None);
    e.kind = ErrorKind::InvalidInput {
        field: field.map(str::to_string),
    };
    e
}

//! What a request may carry and an answer may hold: parameters no API takes are refused
//! before anything is signed, and an answer is read only up to a cap (by `transport`), so a
//! wrong endpoint (a proxy's download, an endless body) cannot fill memory.

use super::super::error::{ApiError, ErrorKind};
use super::super::sign::Params;

/// The most of an answer that is read: a page of 100 images is well under 1 MB, so more
/// than this is not an ECS answer (a proxy's download page, a wrong endpoint). Reading
/// stops there; the call fails as an unreadable answer (exit 3).
pub const MAX_BODY_BYTES: usize = 32 * 1024 * 1024;

/// The longest value one request parameter may have. ECS's own limits are a few hundred
/// characters (a description: 256); the longest ecsimg sends is a list of 100 image IDs.
pub const MAX_PARAM_CHARS: usize = 4096;

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

/// Whether `body` is a JSON object with a non-empty `RequestId`, as every ECS answer is.
pub(super) fn is_ecs_answer(body: &str) -> bool {
    #[derive(serde::Deserialize)]
    struct Id {
        #[serde(rename = "RequestId", alias = "requestId")]
        request_id: Option<String>,
    }
    // Only an object: a struct also decodes from an array of its fields.
    body.trim_start().starts_with('{')
        && serde_json::from_str::<Id>(body)
            .ok()
            .and_then(|id| id.request_id)
            .is_some_and(|id| !id.is_empty())
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

//! The gateway's checks on every RPC request, in the order it makes them: signature
//! parameters present, signature method, timestamp within the tolerance of the server
//! clock, a known AccessKey (and for STS keys, their token), the signature itself, and a
//! nonce not seen before.

use super::clock::parse_timestamp;
use super::reply::SimError;
use super::shared::Shared;
use super::sts::{looks_like_token, KeyKind};
use crate::ecs::sign::{self, Params};

/// Who signed a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub access_key_id: String,
    pub temporary: bool,
}

/// Checks a request's signature and credentials; `method` is the HTTP method it came with.
pub fn authenticate(shared: &Shared, method: &str, params: &Params) -> Result<Caller, SimError> {
    let present = |name: &str| params.get(name).filter(|v| !v.is_empty());
    let timestamp = present("Timestamp").or_else(|| present("TimeStamp"));
    let (Some(key_id), Some(signature), Some(nonce), Some(timestamp)) = (
        present("AccessKeyId"),
        present("Signature"),
        present("SignatureNonce"),
        timestamp,
    ) else {
        return Err(incomplete());
    };
    match params.get("SignatureMethod").map(String::as_str) {
        None => return Err(incomplete()),
        Some(sign::SIGNATURE_METHOD) => {}
        Some(_) => {
            return Err(SimError::new(
                400,
                "InvalidSignatureMethod",
                "Specified signature method is not valid.",
            ))
        }
    }
    if params.get("SignatureVersion").is_none() {
        return Err(incomplete());
    }

    let sent = parse_timestamp(timestamp).ok_or_else(|| {
        SimError::new(
            400,
            "InvalidTimeStamp.Format",
            "Specified time stamp or date value is not well formatted.",
        )
    })?;
    let skew = (shared.clock.now() - sent).whole_seconds().unsigned_abs();
    if skew > shared.settings.clock_tolerance.as_secs() {
        return Err(SimError::new(
            400,
            "InvalidTimeStamp.Expired",
            "Specified time stamp or date value is expired.",
        ));
    }

    let (secret, temporary) = match shared.keys.lookup(key_id) {
        KeyKind::Unknown => {
            return Err(SimError::new(
                404,
                "InvalidAccessKeyId.NotFound",
                "Specified access key is not found.",
            ))
        }
        KeyKind::Permanent { secret } => (secret, false),
        KeyKind::Sts(key) => {
            let token = params
                .get("SecurityToken")
                .map(String::as_str)
                .unwrap_or("");
            if token != key.token {
                return Err(if looks_like_token(token) {
                    SimError::new(
                        400,
                        "InvalidSecurityToken.MismatchWithAccessKey",
                        "Specified SecurityToken mismatch with the AccessKey.",
                    )
                } else {
                    SimError::new(
                        400,
                        "InvalidSecurityToken.Malformed",
                        "Specified SecurityToken is malformed.",
                    )
                });
            }
            if shared.clock.now_unix() >= key.expires_at {
                return Err(SimError::new(
                    400,
                    "InvalidSecurityToken.Expired",
                    "Specified SecurityToken is expired.",
                ));
            }
            (key.secret, true)
        }
    };

    let expected = sign::signature(method, params, &secret);
    if !sign::signatures_equal(&expected, signature) {
        return Err(SimError::new(
            400,
            "SignatureDoesNotMatch",
            format!(
                "Specified signature is not matched with our calculation. server string to sign is:{}",
                sign::string_to_sign(method, params)
            ),
        ));
    }

    if shared.settings.check_nonces
        && !shared
            .nonces
            .first_use(key_id, nonce, shared.settings.clock_tolerance * 2)
    {
        return Err(SimError::new(
            400,
            "SignatureNonceUsed",
            "Specified signature nonce was used already.",
        ));
    }
    Ok(Caller {
        access_key_id: key_id.clone(),
        temporary,
    })
}

fn incomplete() -> SimError {
    SimError::new(
        400,
        "IncompleteSignature",
        "The request signature does not conform to Alibaba Cloud standards.",
    )
}

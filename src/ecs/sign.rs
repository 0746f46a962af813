//! RPC signature V1 (`SignatureMethod=HMAC-SHA1`, `SignatureVersion=1.0`): pure functions.
//!
//! Every parameter but `Signature` is sorted by name in byte order, names and values are
//! percent-encoded as UTF-8 keeping only `A-Z a-z 0-9 - _ . ~`, and the joined string is
//! encoded once more inside `METHOD&%2F&…`. The HMAC key is the secret followed by `&`.

use std::collections::BTreeMap;

use base64::Engine;
use hmac::{Hmac, Mac};
use sha1::Sha1;

/// The parameters of one request, sorted by name in byte order (`String`'s `Ord`).
pub type Params = BTreeMap<String, String>;

pub const SIGNATURE_METHOD: &str = "HMAC-SHA1";
pub const SIGNATURE_VERSION: &str = "1.0";

/// Percent-encodes `s` as UTF-8 per RFC 3986: unreserved bytes stay, every other byte
/// becomes `%XY` with uppercase hex (space is `%20`, `*` is `%2A`, `~` stays).
pub fn percent_encode(s: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(s.len() * 3);
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 0x0f) as usize] as char);
        }
    }
    out
}

/// Decodes `%XY` escapes (and `+` as space, as form bodies and some clients send it).
/// Returns `None` for a malformed escape or bytes that are not UTF-8.
pub fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = bytes.get(i + 1..i + 3)?;
                let hex = std::str::from_utf8(hex).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// Parses an `a=1&b=2` query or form body into parameters. A later duplicate wins.
pub fn parse_query(s: &str) -> Option<Params> {
    let mut params = Params::new();
    for pair in s.split('&').filter(|p| !p.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        params.insert(percent_decode(name)?, percent_decode(value)?);
    }
    Some(params)
}

/// `enc(name)=enc(value)` pairs joined by `&`, every parameter but `Signature`.
pub fn canonical_query(params: &Params) -> String {
    params
        .iter()
        .filter(|(name, _)| name.as_str() != "Signature")
        .map(|(name, value)| format!("{}={}", percent_encode(name), percent_encode(value)))
        .collect::<Vec<_>>()
        .join("&")
}

/// `METHOD&%2F&enc(canonical query)`: the exact bytes that are HMAC'd.
pub fn string_to_sign(method: &str, params: &Params) -> String {
    format!(
        "{}&{}&{}",
        method.to_ascii_uppercase(),
        percent_encode("/"),
        percent_encode(&canonical_query(params))
    )
}

/// Base64(HMAC-SHA1(key = secret + "&", message)).
pub fn hmac_sha1_base64(secret: &str, message: &str) -> String {
    let mut mac = Hmac::<Sha1>::new_from_slice(format!("{secret}&").as_bytes())
        .expect("HMAC accepts a key of any length");
    mac.update(message.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// The signature of `params` sent with `method`, signed with `secret`.
pub fn signature(method: &str, params: &Params, secret: &str) -> String {
    hmac_sha1_base64(secret, &string_to_sign(method, params))
}

/// Compares two signatures without leaking where they differ through timing.
pub fn signatures_equal(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The common parameters of one attempt: each attempt gets a fresh nonce and timestamp.
#[derive(Clone)]
pub struct Common<'a> {
    pub action: &'a str,
    pub version: &'a str,
    pub access_key_id: &'a str,
    pub security_token: Option<&'a str>,
    /// `yyyy-MM-ddTHH:mm:ssZ`, UTC.
    pub timestamp: &'a str,
    pub nonce: &'a str,
}

/// Adds the common parameters to `params` (`Format=JSON`), then the `Signature`.
pub fn sign_request(method: &str, params: &mut Params, common: &Common<'_>, secret: &str) {
    let mut set = |k: &str, v: &str| {
        params.insert(k.to_string(), v.to_string());
    };
    set("Action", common.action);
    set("Version", common.version);
    set("Format", "JSON");
    set("AccessKeyId", common.access_key_id);
    set("SignatureMethod", SIGNATURE_METHOD);
    set("SignatureVersion", SIGNATURE_VERSION);
    set("SignatureNonce", common.nonce);
    set("Timestamp", common.timestamp);
    if let Some(token) = common.security_token {
        set("SecurityToken", token);
    }
    params.remove("Signature");
    let sig = signature(method, params, secret);
    params.insert("Signature".to_string(), sig);
}

/// A fresh nonce: 32 hex digits, as the Go SDK sends.
pub fn new_nonce() -> String {
    format!("{:016x}{:016x}", fastrand::u64(..), fastrand::u64(..))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_reserved_and_unicode_bytes() {
        assert_eq!(percent_encode("a b*c~d"), "a%20b%2Ac~d");
        assert_eq!(percent_encode("+/:=&"), "%2B%2F%3A%3D%26");
        assert_eq!(percent_encode("中"), "%E4%B8%AD");
        assert_eq!(percent_encode("-_.AZaz09"), "-_.AZaz09");
    }

    #[test]
    fn sorts_by_byte_order_uppercase_first() {
        let params: Params = [
            ("b", "1"),
            ("B", "2"),
            ("Tag.2.Key", "x"),
            ("Tag.10.Key", "y"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        assert_eq!(canonical_query(&params), "B=2&Tag.10.Key=y&Tag.2.Key=x&b=1");
    }

    #[test]
    fn empty_value_keeps_equals_and_signature_is_excluded() {
        let params: Params = [("A", ""), ("Signature", "zzz")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(canonical_query(&params), "A=");
    }

    #[test]
    fn decode_round_trips_encode() {
        let s = "名 a+b*c~/:=&😀";
        assert_eq!(percent_decode(&percent_encode(s)).as_deref(), Some(s));
        assert_eq!(percent_decode("%E4%B8"), None);
        assert_eq!(percent_decode("%4"), None);
    }

    #[test]
    fn sign_request_replaces_an_old_signature() {
        let mut params = Params::new();
        params.insert("Signature".into(), "stale".into());
        let common = Common {
            action: "DescribeRegions",
            version: "2014-05-26",
            access_key_id: "testid",
            security_token: None,
            timestamp: "2016-02-23T12:46:24Z",
            nonce: "n",
        };
        sign_request("GET", &mut params, &common, "testsecret");
        let sig = params["Signature"].clone();
        assert_ne!(sig, "stale");
        assert_eq!(sig, signature("GET", &params, "testsecret"));
    }
}

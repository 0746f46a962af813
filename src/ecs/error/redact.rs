//! Masking secrets in text that echoes a request: an error message, an STS error body.

use std::borrow::Cow;

/// Parameters whose value is a secret, and those shown only in part.
const SECRET_PARAMS: &[&str] = &["SecurityToken", "AccessKeySecret", "security_token"];
const SHORTENED_PARAMS: &[&str] = &["AccessKeyId", "access_key_id"];

/// `name=value` as text echoes a request: in a query (`=`), in a string to sign (`%3D`,
/// the canonical query encoded once more) or encoded twice over (`%253D`).
const SEPARATORS: &[&str] = &["=", "%3D", "%3d", "%253D", "%253d"];

/// `text` with the value of every secret parameter it echoes (`SecurityToken=…` in any of
/// the encodings of [`SEPARATORS`]) replaced by `<redacted>`, and every `AccessKeyId`
/// value shortened to `LTAI****wxyz`. Text without such a parameter is borrowed untouched.
pub fn redact(text: &str) -> Cow<'_, str> {
    let mut out = Cow::Borrowed(text);
    for name in SECRET_PARAMS.iter().chain(SHORTENED_PARAMS) {
        if !out.contains(name) {
            continue;
        }
        let shorten = SHORTENED_PARAMS.contains(name);
        for sep in SEPARATORS {
            let marker = format!("{name}{sep}");
            if out.contains(&marker) {
                out = Cow::Owned(mask_values(&out, &marker, shorten));
            }
        }
    }
    out
}

/// Replaces the value after each `marker` (up to the next parameter or the end of the
/// token).
fn mask_values(text: &str, marker: &str, shorten: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(marker) {
        let (before, after) = rest.split_at(at + marker.len());
        out.push_str(before);
        let end = value_end(after);
        let value = &after[..end];
        if shorten {
            out.push_str(&shorten_key_id(value));
        } else if !value.is_empty() {
            out.push_str("<redacted>");
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// Where a parameter's value ends: at `&` or its encodings (`%26`, `%2526`), a space, a
/// quote, or the end.
fn value_end(s: &str) -> usize {
    let mut end = s.len();
    for stop in ["%26", "%2526"] {
        if let Some(i) = s.find(stop) {
            end = end.min(i);
        }
    }
    if let Some(i) = s.find(|c: char| c == '&' || c.is_whitespace() || "\"'<>,;".contains(c)) {
        end = end.min(i);
    }
    end
}

/// An AccessKey ID cut to its first and last four characters (`LTAI****wxyz`), the only
/// form in which one is ever shown.
pub fn shorten_key_id(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() <= 8 {
        return "****".to_string();
    }
    let head: String = chars[..4].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}****{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_covers_every_encoding_and_leaves_other_text_alone() {
        assert_eq!(
            redact("a SecurityToken=abc&x=1 SecurityToken%253Ddef%2526y"),
            "a SecurityToken=<redacted>&x=1 SecurityToken%253D<redacted>%2526y"
        );
        assert_eq!(
            redact("AccessKeyId=LTAI5tAbcdefWxyz"),
            "AccessKeyId=LTAI****Wxyz"
        );
        assert!(matches!(redact("nothing secret here"), Cow::Borrowed(_)));
    }
}

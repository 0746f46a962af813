//! Timestamps for signing, and the server's clock from its `Date` header.

use time::format_description::BorrowedFormatItem;
use time::macros::format_description;
use time::{OffsetDateTime, PrimitiveDateTime};

const TIMESTAMP: &[BorrowedFormatItem<'_>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
const HTTP_DATE: &[BorrowedFormatItem<'_>] = format_description!(
    "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
);

/// `yyyy-MM-ddTHH:mm:ssZ` for this host's clock shifted by `offset_secs`.
pub fn timestamp(offset_secs: i64) -> String {
    format_timestamp(OffsetDateTime::now_utc() + time::Duration::seconds(offset_secs))
}

pub fn format_timestamp(t: OffsetDateTime) -> String {
    t.format(TIMESTAMP).unwrap_or_default()
}

/// Parses `yyyy-MM-ddTHH:mm:ssZ` (UTC).
pub fn parse_timestamp(s: &str) -> Option<OffsetDateTime> {
    PrimitiveDateTime::parse(s, TIMESTAMP)
        .ok()
        .map(|t| t.assume_utc())
}

/// Parses an HTTP `Date` header (IMF-fixdate).
pub fn parse_http_date(s: &str) -> Option<OffsetDateTime> {
    PrimitiveDateTime::parse(s.trim(), HTTP_DATE)
        .ok()
        .map(|t| t.assume_utc())
}

/// Formats an HTTP `Date` header (IMF-fixdate).
pub fn format_http_date(t: OffsetDateTime) -> String {
    t.format(HTTP_DATE).unwrap_or_default()
}

/// Seconds the server's clock is ahead of this host's (negative: behind).
pub fn server_offset(date_header: Option<&str>) -> Option<i64> {
    let server = parse_http_date(date_header?)?;
    Some((server - OffsetDateTime::now_utc()).whole_seconds())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_date_round_trips() {
        let t = parse_http_date("Fri, 27 Nov 2026 17:40:03 GMT").unwrap();
        assert_eq!(format_timestamp(t), "2026-11-27T17:40:03Z");
        assert_eq!(format_http_date(t), "Fri, 27 Nov 2026 17:40:03 GMT");
        assert_eq!(parse_timestamp("2026-11-27T17:40:03Z"), Some(t));
    }

    #[test]
    fn timestamp_has_no_fraction() {
        let ts = timestamp(0);
        assert_eq!(ts.len(), 20, "{ts}");
        assert!(ts.ends_with('Z'));
    }
}

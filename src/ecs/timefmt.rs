//! The two time formats of the API, in one place: `yyyy-MM-ddTHH:mm:ssZ` (the `Timestamp`
//! parameter, `CreationTime`, STS `Expiration`) and the HTTP `Date` header.

use time::format_description::well_known::Rfc3339;
use time::format_description::BorrowedFormatItem;
use time::macros::format_description;
use time::{OffsetDateTime, PrimitiveDateTime, UtcOffset};

const TIMESTAMP: &[BorrowedFormatItem<'_>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
const HTTP_DATE: &[BorrowedFormatItem<'_>] = format_description!(
    "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
);

/// `yyyy-MM-ddTHH:mm:ssZ` in UTC, with no fraction.
pub fn format_timestamp(t: OffsetDateTime) -> String {
    t.to_offset(UtcOffset::UTC)
        .format(TIMESTAMP)
        .unwrap_or_default()
}

/// Parses `yyyy-MM-ddTHH:mm:ssZ`, or any RFC 3339 time (some services add a fraction).
pub fn parse_timestamp(s: &str) -> Option<OffsetDateTime> {
    let s = s.trim();
    PrimitiveDateTime::parse(s, TIMESTAMP)
        .map(PrimitiveDateTime::assume_utc)
        .or_else(|_| OffsetDateTime::parse(s, &Rfc3339))
        .ok()
}

/// `Sun, 06 Nov 1994 08:49:37 GMT` (RFC 7231 IMF-fixdate).
pub fn format_http_date(t: OffsetDateTime) -> String {
    t.to_offset(UtcOffset::UTC)
        .format(HTTP_DATE)
        .unwrap_or_default()
}

/// Parses an IMF-fixdate `Date` header.
pub fn parse_http_date(s: &str) -> Option<OffsetDateTime> {
    PrimitiveDateTime::parse(s.trim(), HTTP_DATE)
        .ok()
        .map(PrimitiveDateTime::assume_utc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_round_trip() {
        let t = parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        assert_eq!(format_timestamp(t), "1994-11-06T08:49:37Z");
        assert_eq!(format_http_date(t), "Sun, 06 Nov 1994 08:49:37 GMT");
        assert_eq!(parse_timestamp("1994-11-06T08:49:37Z"), Some(t));
        assert_eq!(parse_timestamp("1994-11-06T16:49:37+08:00"), Some(t));
        assert!(parse_timestamp("tomorrow").is_none());
    }

    #[test]
    fn formats_in_utc_whatever_the_offset() {
        let t = parse_timestamp("1994-11-06T16:49:37+08:00").unwrap();
        assert_eq!(format_timestamp(t), "1994-11-06T08:49:37Z");
    }
}

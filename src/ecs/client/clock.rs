//! This host's clock as the client signs with it, corrected by what the server's `Date`
//! header says.

use time::OffsetDateTime;

pub use crate::ecs::timefmt::{
    format_http_date, format_timestamp, parse_http_date, parse_timestamp,
};

/// `yyyy-MM-ddTHH:mm:ssZ` for this host's clock shifted by `offset_secs`.
pub fn timestamp(offset_secs: i64) -> String {
    format_timestamp(OffsetDateTime::now_utc() + time::Duration::seconds(offset_secs))
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
    fn timestamp_has_no_fraction() {
        let ts = timestamp(0);
        assert_eq!(ts.len(), 20, "{ts}");
        assert!(ts.ends_with('Z'));
    }

    #[test]
    fn offset_is_read_from_the_date_header() {
        let ahead = format_http_date(OffsetDateTime::now_utc() + time::Duration::minutes(10));
        let offset = server_offset(Some(&ahead)).unwrap();
        assert!((offset - 600).abs() <= 2, "{offset}");
        assert_eq!(server_offset(Some("garbage")), None);
    }
}

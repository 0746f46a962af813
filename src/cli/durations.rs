//! Durations as people type them (`500ms`, `5s`, `2m`, `6h`, `2d`, `1w`, or bare seconds)
//! and points in time for `--since` (a date, a UTC timestamp, or a duration back from now).

use std::time::Duration;

use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime};

/// Parses `500ms`, `5s`, `1.5s`, `2m`, `6h`, `2d`, `1w`, or a bare number of seconds.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let value: f64 = number.parse().map_err(|_| {
        format!("{text:?} is not a duration: write 500ms, 5s, 2m, 6h, 2d, 1w or seconds")
    })?;
    let seconds_per_unit = match unit.trim() {
        "ms" => 0.001,
        "" | "s" => 1.0,
        "m" | "min" => 60.0,
        "h" => 3600.0,
        "d" => 86_400.0,
        "w" => 604_800.0,
        other => {
            return Err(format!(
                "unknown unit {other:?} in {text:?}: use ms, s, m, h, d or w"
            ))
        }
    };
    Duration::try_from_secs_f64(value * seconds_per_unit)
        .map_err(|_| format!("{text:?} is out of range"))
}

/// `--since`: `2026-05-01` (midnight UTC), `2026-05-01T10:00:00Z`, or a duration back from
/// `now` (`2d`, `6h`).
pub fn parse_since(text: &str, now: OffsetDateTime) -> Result<OffsetDateTime, String> {
    let text = text.trim();
    if let Ok(t) = OffsetDateTime::parse(text, &Rfc3339) {
        return Ok(t);
    }
    let date_format = time::macros::format_description!("[year]-[month]-[day]");
    if let Ok(d) = Date::parse(text, &date_format) {
        return Ok(d.midnight().assume_utc());
    }
    match parse_duration(text) {
        Ok(back) => Ok(now - back),
        Err(_) => Err(format!(
            "--since {text:?}: write a date (2026-05-01), a UTC time (2026-05-01T10:00:00Z) \
             or a duration back from now (30m, 6h, 2d, 1w)"
        )),
    }
}

/// A journal time (`yyyy-MM-ddTHH:mm:ssZ`) as a point in time.
pub fn parse_time(text: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(text, &Rfc3339).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn durations_in_every_unit() {
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("5s"), Ok(Duration::from_secs(5)));
        assert_eq!(parse_duration("10"), Ok(Duration::from_secs(10)));
        assert_eq!(parse_duration("1.5s"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("2d"), Ok(Duration::from_secs(172_800)));
        assert!(parse_duration("5 parsecs")
            .unwrap_err()
            .contains("unknown unit"));
        assert!(parse_duration("soon")
            .unwrap_err()
            .contains("not a duration"));
    }

    #[test]
    fn since_takes_dates_times_and_durations() {
        let now = datetime!(2026-05-10 12:00:00 UTC);
        assert_eq!(
            parse_since("2026-05-01", now),
            Ok(datetime!(2026-05-01 00:00:00 UTC))
        );
        assert_eq!(
            parse_since("2026-05-01T10:30:00Z", now),
            Ok(datetime!(2026-05-01 10:30:00 UTC))
        );
        assert_eq!(
            parse_since("2d", now),
            Ok(datetime!(2026-05-08 12:00:00 UTC))
        );
        assert_eq!(
            parse_since("6h", now),
            Ok(datetime!(2026-05-10 06:00:00 UTC))
        );
        assert!(parse_since("yesterday", now)
            .unwrap_err()
            .contains("--since"));
    }
}

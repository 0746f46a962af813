//! Points in time for `--since`: a date, a UTC timestamp, or a duration back from now
//! (durations are read by `config::durations`, which the config file shares); and the
//! demo's latency from the environment.

use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime};

use crate::config::durations::parse_duration;

use super::exit::CliError;

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
        Ok(back) => time::Duration::try_from(back)
            .ok()
            .and_then(|back| now.checked_sub(back))
            .ok_or_else(|| {
                format!(
                    "--since {text:?} reaches back further than a date can (before year \
                     -9999): write a date (2026-05-01) or a shorter duration (30d)"
                )
            }),
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

/// The environment variable that slows every answer of the `--demo` simulator by this many
/// milliseconds, to try the TUI as it feels against a distant region.
pub const DEMO_LATENCY_ENV: &str = "ECSIMG_DEMO_LATENCY_MS";

/// `ECSIMG_DEMO_LATENCY_MS`, if set: a whole number of milliseconds.
pub fn demo_latency() -> Result<Option<std::time::Duration>, CliError> {
    let Some(value) = std::env::var_os(DEMO_LATENCY_ENV).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let text = value.to_string_lossy();
    text.trim()
        .parse::<u64>()
        .map(|ms| Some(std::time::Duration::from_millis(ms)))
        .map_err(|_| {
            CliError::invalid(format!(
                "{DEMO_LATENCY_ENV}={text:?}: write a whole number of milliseconds, e.g. \
                 {DEMO_LATENCY_ENV}=1500"
            ))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

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
        for far in ["1000000w", "500000000d", "99999999999h"] {
            let err = parse_since(far, now).unwrap_err();
            assert!(err.contains("reaches back further"), "{far}: {err}");
        }
    }
}

//! Durations as people type them (`500ms`, `5s`, `2m`, `6h`, `2d`, `1w`, or bare seconds),
//! and the timeouts built from them — one reading for the config file and the flags alike.

use std::time::Duration;

/// The longest timeout accepted: anything longer is a typo, and would overflow timers.
pub const MAX_TIMEOUT: Duration = Duration::from_secs(24 * 3600);

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

/// A timeout (`--read-timeout`, `read_timeout = "30s"`): a duration above zero and at most
/// [`MAX_TIMEOUT`].
pub fn parse_timeout(text: &str) -> Result<Duration, String> {
    check_timeout(parse_duration(text)?)
}

/// Refuses a zero timeout (it would fail every request at once) and one above a day.
pub fn check_timeout(d: Duration) -> Result<Duration, String> {
    if d.is_zero() {
        return Err("a timeout of zero: write a duration such as \"5s\"".to_string());
    }
    if d > MAX_TIMEOUT {
        return Err(format!(
            "a timeout of {} s, longer than a day: write a duration such as \"30s\"",
            d.as_secs()
        ));
    }
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert!(parse_duration("99999999999999999999999w")
            .unwrap_err()
            .contains("out of range"));
    }

    #[test]
    fn a_timeout_is_above_zero_and_at_most_a_day() {
        assert_eq!(parse_timeout("30s"), Ok(Duration::from_secs(30)));
        assert!(parse_timeout("0").unwrap_err().contains("zero"));
        assert!(parse_timeout("0ms").unwrap_err().contains("zero"));
        assert!(parse_timeout("1000000w")
            .unwrap_err()
            .contains("longer than a day"));
    }
}

//! `[batch]`: how a change to many images runs — how many images at once and how many
//! calls a second at most (ECS's quota is shared with everything else in the account).
//!
//! ```toml
//! [batch]
//! concurrency = 4     # images in flight at once, 1–64
//! rate = 10           # calls a second at most; 0 turns the limiter off
//! ```

use serde::{Deserialize, Deserializer};

/// The most images a batch keeps in flight.
pub const MAX_CONCURRENCY: usize = 64;
/// The default: 4 images at once.
pub const DEFAULT_CONCURRENCY: usize = 4;
/// The default: 10 calls a second.
pub const DEFAULT_RATE: f64 = 10.0;

/// `[batch]`, validated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BatchConfig {
    #[serde(default, deserialize_with = "concurrency")]
    pub concurrency: Option<usize>,
    #[serde(default, deserialize_with = "rate")]
    pub rate: Option<f64>,
}

impl BatchConfig {
    /// Images at once: the flag, else the file, else 4.
    pub fn concurrency_or(&self, flag: Option<usize>) -> usize {
        flag.or(self.concurrency).unwrap_or(DEFAULT_CONCURRENCY)
    }

    /// Calls a second (`None`: no limit): the flag, else the file, else 10; 0 is off.
    pub fn rate_or(&self, flag: Option<f64>) -> Option<f64> {
        let rate = flag.or(self.rate).unwrap_or(DEFAULT_RATE);
        (rate > 0.0).then_some(rate)
    }
}

/// A concurrency as a flag or the file gives it: 1 to [`MAX_CONCURRENCY`].
pub fn check_concurrency(n: usize) -> Result<usize, String> {
    if (1..=MAX_CONCURRENCY).contains(&n) {
        Ok(n)
    } else {
        Err(format!(
            "concurrency {n} is out of range: use 1 to {MAX_CONCURRENCY} images at once"
        ))
    }
}

/// A rate as a flag or the file gives it: calls a second, 0 for no limit.
pub fn check_rate(rate: f64) -> Result<f64, String> {
    if rate.is_finite() && (0.0..=10_000.0).contains(&rate) {
        Ok(rate)
    } else {
        Err(format!(
            "rate {rate} is out of range: use calls a second from 0.1 to 10000, or 0 for no limit"
        ))
    }
}

/// `--concurrency`'s parser.
pub fn parse_concurrency(text: &str) -> Result<usize, String> {
    let n: usize = text
        .trim()
        .parse()
        .map_err(|_| format!("{text:?} is not a number of images: use 1 to {MAX_CONCURRENCY}"))?;
    check_concurrency(n)
}

/// `--rate`'s parser.
pub fn parse_rate(text: &str) -> Result<f64, String> {
    let rate: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("{text:?} is not calls a second: write 10, 2.5, or 0 for no limit"))?;
    check_rate(rate)
}

fn concurrency<'de, D: Deserializer<'de>>(d: D) -> Result<Option<usize>, D::Error> {
    check_concurrency(usize::deserialize(d)?)
        .map(Some)
        .map_err(serde::de::Error::custom)
}

fn rate<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    check_rate(f64::deserialize(d)?)
        .map(Some)
        .map_err(serde::de::Error::custom)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_win_over_the_file_and_zero_turns_the_limiter_off() {
        let file = BatchConfig {
            concurrency: Some(8),
            rate: Some(2.5),
        };
        assert_eq!(file.concurrency_or(None), 8);
        assert_eq!(file.concurrency_or(Some(1)), 1);
        assert_eq!(file.rate_or(None), Some(2.5));
        assert_eq!(file.rate_or(Some(0.0)), None);
        assert_eq!(BatchConfig::default().rate_or(None), Some(DEFAULT_RATE));
        assert!(parse_concurrency("0").unwrap_err().contains("1 to 64"));
        assert!(parse_rate("fast")
            .unwrap_err()
            .contains("not calls a second"));
    }

    #[test]
    fn a_bad_value_in_the_file_names_the_line() {
        let path = std::path::Path::new("/home/op/.config/ecsimg/config.toml");
        let ok =
            crate::config::Config::parse("[batch]\nconcurrency = 8\nrate = 0\n", path).unwrap();
        assert_eq!(ok.batch.concurrency_or(None), 8);
        assert_eq!(ok.batch.rate_or(None), None);
        let e = crate::config::Config::parse("[batch]\nconcurrency = 0\n", path).unwrap_err();
        assert_eq!(e.line, Some(2), "{e}");
        assert!(e.to_string().contains("1 to 64"), "{e}");
    }
}

//! How long a test waits for something before calling it a failure. Tests wait for a
//! condition (text on the screen, an exit, an answer), never for a fixed time; the timeout
//! only keeps a broken build from hanging. Every timeout goes through [`scaled`], so a slow
//! machine stretches them all at once: `ECSIMG_TEST_TIME_SCALE=3 cargo test`.
//! Nothing here measures speed.

use std::thread;
use std::time::{Duration, Instant};

/// The environment variable that multiplies every timeout.
pub const SCALE_VAR: &str = "ECSIMG_TEST_TIME_SCALE";

/// How often a condition is looked at again.
const POLL: Duration = Duration::from_millis(20);

/// The factor from `ECSIMG_TEST_TIME_SCALE`: 1 when unset; a bad value fails the test
/// with the fix, rather than silently waiting the usual time.
pub fn scale() -> f64 {
    match std::env::var(SCALE_VAR) {
        Err(_) => 1.0,
        Ok(text) => match text.trim().parse::<f64>() {
            Ok(factor) if factor.is_finite() && factor > 0.0 => factor,
            _ => panic!("{SCALE_VAR}={text:?} is not a positive number; try {SCALE_VAR}=3"),
        },
    }
}

/// `base` stretched by the scale.
pub fn scaled(base: Duration) -> Duration {
    base.mul_f64(scale())
}

/// Polls `check` until it holds; `Err` with the (scaled) time waited if `base` ran out.
pub fn wait_until(base: Duration, mut check: impl FnMut() -> bool) -> Result<(), Duration> {
    let allowed = scaled(base);
    let deadline = Instant::now() + allowed;
    loop {
        if check() {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(allowed);
        }
        thread::sleep(POLL);
    }
}

//! SIGINT, SIGTERM or SIGHUP while a change is in flight: the change is stopped and
//! settled with one quick re-read (`exec`), and the process ends 128+N once the journal says
//! what became of it. A second signal ends it at once; the journal then keeps the change as
//! "may have been applied".
//!
//! Listening starts after the person confirmed and ends with the change: a ctrl-c at the
//! prompt still ends the process the ordinary way.

use tokio::signal::unix::{signal, Signal, SignalKind};
use tokio::task::JoinHandle;

use crate::change::Stop;
use crate::exec::{StopHandle, QUICK_REREAD};

/// Forwards the signals to a running plan while it lives.
#[derive(Debug)]
pub struct Listening(JoinHandle<()>);

impl Drop for Listening {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Stops the plan behind `stop` on the first of SIGINT, SIGTERM, SIGHUP; ends the process
/// on the second.
pub fn listen(stop: StopHandle) -> std::io::Result<Listening> {
    let mut term = signal(SignalKind::terminate())?;
    let mut int = signal(SignalKind::interrupt())?;
    let mut hup = signal(SignalKind::hangup())?;
    let task = tokio::spawn(async move {
        let (name, number) = next(&mut term, &mut int, &mut hup).await;
        say(&format!(
            "{name}: a change is in flight; reading the image again (at most {} s) to settle \
             the journal",
            QUICK_REREAD.as_secs()
        ));
        stop.stop(Stop::Signal { name, number });
        let (name, number) = next(&mut term, &mut int, &mut hup).await;
        say(&format!(
            "{name} again: ending now; the journal keeps the change as may have been applied"
        ));
        std::process::exit(128 + number);
    });
    Ok(Listening(task))
}

/// The next of the three signals: its name and number.
async fn next(term: &mut Signal, int: &mut Signal, hup: &mut Signal) -> (&'static str, i32) {
    tokio::select! {
        _ = term.recv() => ("SIGTERM", libc::SIGTERM),
        _ = int.recv() => ("SIGINT", libc::SIGINT),
        _ = hup.recv() => ("SIGHUP", libc::SIGHUP),
    }
}

/// A line on stderr, if there still is one (after SIGHUP the terminal may be gone),
/// sanitised like every other: the report names the image, whose name came from ECS.
pub fn say(text: &str) {
    super::output::emit_err(&format!("ecsimg: {text}"));
}

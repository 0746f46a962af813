//! Signals the TUI answers: SIGTERM, SIGHUP (a dropped ssh link), SIGINT and SIGQUIT from
//! outside end it with the terminal restored; SIGCONT (after a stop) brings the screen back.
//!
//! ctrl-z is not here: in raw mode it arrives as a key, the app asks for `Command::Suspend`,
//! and `suspend` below does the stop itself.

use std::io;

use tokio::signal::unix::{signal, Signal, SignalKind};

use super::terminal;

/// A signal that reached the TUI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignalEvent {
    /// Leave now, with the terminal restored; carries the signal number.
    Terminate(i32),
    /// The process was continued after a stop: retake the terminal and repaint.
    Continue,
}

/// Listens for the signals above; installed before the terminal changes, so a signal at any
/// moment finds a handler that restores it.
pub struct Signals {
    term: Signal,
    hup: Signal,
    int: Signal,
    quit: Signal,
    cont: Signal,
}

impl Signals {
    pub fn install() -> io::Result<Signals> {
        Ok(Signals {
            term: signal(SignalKind::terminate())?,
            hup: signal(SignalKind::hangup())?,
            int: signal(SignalKind::interrupt())?,
            quit: signal(SignalKind::quit())?,
            cont: signal(SignalKind::from_raw(libc::SIGCONT))?,
        })
    }

    /// The next signal.
    pub async fn recv(&mut self) -> SignalEvent {
        // A dropped link brings SIGHUP and SIGCONT together: ending must win over repainting
        // a terminal that is gone.
        tokio::select! {
            biased;
            _ = self.term.recv() => SignalEvent::Terminate(libc::SIGTERM),
            _ = self.hup.recv() => SignalEvent::Terminate(libc::SIGHUP),
            _ = self.int.recv() => SignalEvent::Terminate(libc::SIGINT),
            _ = self.quit.recv() => SignalEvent::Terminate(libc::SIGQUIT),
            _ = self.cont.recv() => SignalEvent::Continue,
        }
    }
}

/// The name a person knows a signal by.
pub fn name(signal: i32) -> &'static str {
    match signal {
        libc::SIGTERM => "SIGTERM",
        libc::SIGHUP => "SIGHUP",
        libc::SIGINT => "SIGINT",
        libc::SIGQUIT => "SIGQUIT",
        _ => "a signal",
    }
}

/// ctrl-z: gives the terminal back, stops the process like the shell would, and retakes the
/// terminal once the shell continues it (`fg`). The caller repaints.
///
/// When the stop cannot happen (an orphaned process group discards SIGTSTP), this returns at
/// once and the TUI simply carries on.
pub fn suspend(mouse: bool) -> io::Result<()> {
    terminal::restore();
    // SAFETY: raise only sends a signal to this process; SIGTSTP keeps its default action
    // (stop) because no handler is installed for it.
    unsafe {
        libc::raise(libc::SIGTSTP);
    }
    terminal::enter(mouse)
}

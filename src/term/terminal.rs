//! Entering and leaving the TUI's terminal state: raw mode, the alternate screen, a hidden
//! cursor, bracketed paste, and mouse capture only when asked for.
//!
//! The state is process-wide (one terminal), so the panic hook and the signal path can restore
//! it without reaching into the event loop.

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use crossterm::cursor::{Hide, Show};
use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::queue;
use crossterm::terminal::{
    disable_raw_mode, enable_raw_mode, EndSynchronizedUpdate, EnterAlternateScreen,
    LeaveAlternateScreen,
};

/// The TUI owns the terminal right now (raw mode and the alternate screen are on).
static ACTIVE: AtomicBool = AtomicBool::new(false);
/// Mouse capture was turned on and must be turned off again.
static MOUSE: AtomicBool = AtomicBool::new(false);

/// Puts the terminal into the TUI's state.
///
/// Safe to call again while already entered (after `fg`, or when a stop changed the terminal
/// behind our back): raw mode is re-applied from scratch and the alternate screen re-entered.
pub fn enter(mouse: bool) -> io::Result<()> {
    // crossterm remembers the cooked settings only on the first enable; dropping and taking
    // raw mode again re-applies it even when something outside reset the terminal.
    if ACTIVE.load(Ordering::SeqCst) {
        let _ = disable_raw_mode();
    }
    enable_raw_mode()?;
    ACTIVE.store(true, Ordering::SeqCst);
    MOUSE.store(mouse, Ordering::SeqCst);
    let mut out = io::stdout().lock();
    queue!(out, EnterAlternateScreen, Hide, EnableBracketedPaste)?;
    if mouse {
        queue!(out, EnableMouseCapture)?;
    }
    out.flush()
}

/// Gives the terminal back as it was: primary screen, cursor shown, cooked mode.
///
/// Idempotent and infallible on purpose: it runs on the way out (quit, panic, a dropped ssh
/// link) where nobody is left to hear about a failed write. Returns whether the TUI's state
/// was on.
pub fn restore() -> bool {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return false;
    }
    {
        let mut out = io::stdout().lock();
        // A frame is written whole, but a failed write could have left an update open.
        let _ = queue!(out, EndSynchronizedUpdate);
        if MOUSE.swap(false, Ordering::SeqCst) {
            let _ = queue!(out, DisableMouseCapture);
        }
        let _ = queue!(out, DisableBracketedPaste, LeaveAlternateScreen, Show);
        let _ = out.flush();
    }
    let _ = disable_raw_mode();
    true
}

/// Whether the TUI currently owns the terminal.
pub fn is_active() -> bool {
    ACTIVE.load(Ordering::SeqCst)
}

/// Restores the terminal when dropped, whatever way the TUI ends.
#[must_use = "the terminal is restored when the guard drops"]
pub struct TerminalGuard(());

impl TerminalGuard {
    /// Enters the TUI's terminal state; on failure, whatever was switched on is undone.
    pub fn enter(mouse: bool) -> io::Result<TerminalGuard> {
        match enter(mouse) {
            Ok(()) => Ok(TerminalGuard(())),
            Err(e) => {
                // enable_raw_mode may have succeeded before a write failed.
                ACTIVE.store(true, Ordering::SeqCst);
                restore();
                Err(e)
            }
        }
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

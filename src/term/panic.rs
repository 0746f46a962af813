//! What a crash looks like: the terminal comes back first (primary screen, cooked mode,
//! cursor), then one short message saying where the log is. The details, with a backtrace,
//! go to the log.
//!
//! The message is the panic's own text; the code base keeps secrets out of every Display and
//! Debug it could format, so nothing secret can ride along.

use std::any::Any;
use std::io::Write;
use std::panic::PanicHookInfo;
use std::path::PathBuf;

use super::terminal;

type Hook = Box<dyn Fn(&PanicHookInfo<'_>) + Sync + Send + 'static>;

/// The exit status of a crashed TUI (the same one Rust uses for a panic).
pub const PANIC_EXIT_CODE: i32 = 101;

/// Puts the previous panic hook back when dropped.
#[must_use = "the hook is removed when the guard drops"]
pub struct HookGuard {
    previous: Option<Hook>,
}

impl Drop for HookGuard {
    fn drop(&mut self) {
        if let Some(previous) = self.previous.take() {
            let _ = std::panic::take_hook();
            std::panic::set_hook(previous);
        }
    }
}

/// Installs the TUI's panic hook until the guard drops.
///
/// A panic on any thread ends the process: once the terminal is handed back, the TUI cannot
/// carry on drawing, and a worker that died would leave the screen waiting forever.
pub fn install(log_path: Option<PathBuf>) -> HookGuard {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        terminal::restore();
        let text = clean(&payload_text(info.payload()));
        let place = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        tracing::error!(
            message = %text,
            location = %place,
            backtrace = %std::backtrace::Backtrace::force_capture(),
            "panic"
        );
        let mut err = std::io::stderr().lock();
        let _ = writeln!(err, "{}", message(&text, &place, log_path.as_deref()));
        let _ = err.flush();
        std::process::exit(PANIC_EXIT_CODE);
    }));
    HookGuard {
        previous: Some(previous),
    }
}

/// The words a person sees after a crash.
pub fn message(text: &str, place: &str, log: Option<&std::path::Path>) -> String {
    let mut out = format!("ecsimg crashed: {text}");
    if !place.is_empty() {
        out.push_str(&format!(" (at {place})"));
    }
    out.push_str("\nThis is a bug. The terminal has been restored.");
    match log {
        Some(path) => out.push_str(&format!(
            "\nThe log, with a backtrace, is in {}",
            path.display()
        )),
        None => out.push_str("\nNo log file could be written (set --log-file to keep one)."),
    }
    out
}

fn payload_text(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic without a message".to_string()
    }
}

/// Keeps escape sequences in a panic message from re-arranging the restored terminal.
fn clean(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() && c != '\n' { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_in_a_panic_message_cannot_reach_the_terminal() {
        assert_eq!(clean("bad\x1b[2Jthing\tx\nnext"), "bad [2Jthing x\nnext");
    }

    #[test]
    fn the_message_names_the_log_and_the_place() {
        let m = message(
            "index out of bounds",
            "src/ui/list.rs:12",
            Some(std::path::Path::new("/tmp/s/ecsimg.log")),
        );
        assert!(m.starts_with("ecsimg crashed: index out of bounds (at src/ui/list.rs:12)"));
        assert!(m.contains("/tmp/s/ecsimg.log"));
        let m = message("x", "", None);
        assert!(m.contains("--log-file"));
    }

    #[test]
    fn payloads_of_both_string_kinds_are_read() {
        let a: Box<dyn Any + Send> = Box::new("static");
        let b: Box<dyn Any + Send> = Box::new(String::from("owned"));
        let c: Box<dyn Any + Send> = Box::new(7_u8);
        assert_eq!(payload_text(a.as_ref()), "static");
        assert_eq!(payload_text(b.as_ref()), "owned");
        assert_eq!(payload_text(c.as_ref()), "a panic without a message");
    }
}

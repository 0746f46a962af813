//! The terminal runtime that hosts the TUI: terminal setup and teardown, the panic hook,
//! signals, logging, and the event loop that ties `app`, `ui` and `worker` together.
//!
//! Whatever way the TUI ends — `q`, an error, a panic, SIGTERM, SIGHUP — the terminal is
//! given back as it was: primary screen, cooked mode, cursor visible.

mod backend;
pub mod caps;
pub mod clipboard;
mod event_loop;
mod input;
mod logging;
mod panic;
mod screen;
mod signals;
mod terminal;

use std::io::IsTerminal;
use std::path::PathBuf;

use tokio::sync::mpsc::unbounded_channel;

use crate::app::{App, AppContext};
use crate::keys::Keymap;
use crate::session::Session;
use crate::ui::Theme;
use crate::worker::{Connector, Stop, Worker, QUICK_REREAD};

pub use backend::LeanBackend;
pub use event_loop::TICK;
pub use logging::{default_path as default_log_path, init as init_logging};

/// How the TUI should look and behave on this terminal.
#[derive(Clone, Default)]
pub struct TuiOptions {
    /// `--ascii` or the config's `[theme] ascii`: plain ASCII borders and symbols.
    pub ascii: bool,
    /// The config's `[theme] color`; when set it wins over `NO_COLOR`.
    pub color: Option<bool>,
    /// `--mouse`: capture the mouse (off by default so the terminal's own selection works).
    pub mouse: bool,
    /// `--log-file`; else `ecsimg.log` in the state directory.
    pub log_file: Option<PathBuf>,
    /// The config's `[keys]` overrides.
    pub keys: Keymap,
    /// How a batch runs (the config's `[batch]`, or the defaults).
    pub bulk: crate::app::bulk::BulkLimits,
    /// Builds the session for another profile (`P`); `None` where there is no other
    /// (the demo).
    pub connector: Option<Connector>,
}

impl std::fmt::Debug for TuiOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TuiOptions")
            .field("ascii", &self.ascii)
            .field("color", &self.color)
            .field("mouse", &self.mouse)
            .field("log_file", &self.log_file)
            .field("keys", &self.keys)
            .field("connector", &self.connector.is_some())
            .finish()
    }
}

/// The environment switch that makes the TUI panic after its first frame, for the tests that
/// prove a crash gives the terminal back.
pub const TEST_PANIC_ENV: &str = "ECSIMG_TEST_PANIC";

/// Runs the TUI until the person quits.
///
/// Ends the process with status 128+N when signal N (SIGTERM, SIGHUP, SIGINT, SIGQUIT) asks
/// it to or the terminal goes away (as SIGHUP), and with 101 on a panic, always after
/// restoring the terminal. A change still in flight when it ends (`q q`, a signal) is
/// stopped and settled with one quick re-read first, and stderr says what became of it.
pub async fn run(session: Session, options: TuiOptions) -> anyhow::Result<()> {
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        anyhow::bail!(
            "the terminal UI needs a terminal on stdin and stdout; for scripts, use the \
             subcommands (`ecsimg images list`, `ecsimg images modify`, ...)"
        );
    }
    let log_path = logging::init(options.log_file.as_deref())?;
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let caps = caps::from_term(std::env::var("TERM").ok().as_deref());
    let theme = Theme::resolve(
        no_color || caps.colors == caps::Colors::None,
        options.color,
        options.ascii || caps.ascii,
    );
    let test_panic = std::env::var_os(TEST_PANIC_ENV).is_some_and(|v| v == "1");
    tracing::info!(
        profile = %session.profile,
        region = %session.client.region(),
        endpoint = %session.endpoint_kind,
        demo = session.demo,
        read_only = session.read_only,
        color = theme.color,
        ascii = theme.ascii,
        term = ?caps,
        mouse = options.mouse,
        "starting the TUI"
    );

    // Handlers first, so a signal at any later moment finds the terminal restorable.
    let signals = signals::Signals::install()?;
    let _hook = panic::install(log_path);
    let guard = terminal::TerminalGuard::enter(options.mouse)?;
    let screen = screen::Screen::new(caps.colors)?;
    let input = input::spawn()?;

    let size = crossterm::terminal::size().unwrap_or((80, 24));
    let mut app = App::new(AppContext::from_session(&session)).with_keys(options.keys.clone());
    app.bulk.limits = options.bulk;
    let (results_tx, results) = unbounded_channel();
    let worker = Worker::spawn_with(session, results_tx, options.connector.clone());
    let mut event_loop = event_loop::EventLoop::new(
        app,
        worker.clone(),
        screen,
        theme,
        size,
        options.mouse,
        test_panic,
    );
    let outcome = event_loop.run(input, results, signals).await;
    drop(guard);
    tracing::info!(
        bytes = event_loop.bytes_written(),
        ?outcome,
        "the TUI ended"
    );
    if event_loop.changes_in_flight() > 0 {
        settle_in_flight(&worker, &outcome).await;
    }

    match outcome? {
        event_loop::Exit::Quit => Ok(()),
        event_loop::Exit::Signal(number) => std::process::exit(128 + number),
        // Nobody is left to read an error message; end as a hang-up does.
        event_loop::Exit::HungUp => std::process::exit(128 + libc::SIGHUP),
    }
}

/// Stops the changes still in flight as the TUI ends and says on stderr what became of
/// each (the terminal is already restored). Nothing is said to a terminal that is gone.
async fn settle_in_flight(worker: &Worker, outcome: &anyhow::Result<event_loop::Exit>) {
    use std::io::Write;
    let signal = |number| Stop::Signal {
        name: signals::name(number),
        number,
    };
    let (why, said) = match outcome {
        Ok(event_loop::Exit::Signal(number)) => (signal(*number), signals::name(*number)),
        Ok(event_loop::Exit::HungUp) => (signal(libc::SIGHUP), "the terminal closed"),
        _ => (Stop::Quit, "quit"),
    };
    let mut err = std::io::stderr();
    // A dropped link leaves stderr unwritable; the journal still gets the settlement.
    let _ = writeln!(
        err,
        "ecsimg: {said} with a change in flight: reading the image again (at most {} s) to \
         settle the journal",
        QUICK_REREAD.as_secs()
    );
    for report in worker.stop_all(why).await {
        tracing::warn!(%report, "settled a change in flight as the TUI ended");
        let _ = writeln!(err, "ecsimg: {report}");
    }
}

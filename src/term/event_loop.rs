//! The loop: keys and worker results in, `app::update`, commands out, a frame drawn only when
//! something happened.
//!
//! After every action the screen is measured (`ui::viewport`) and, when what it shows
//! changed, `app` is told (`Action::Viewport`): page keys then move by what is on screen,
//! even within a burst of keys applied before the next frame.
//!
//! Everything that arrives while a frame is due is applied first (a paste, key repeat, a
//! burst of result pages), so a burst costs one frame. While idle nothing is written at all;
//! the spinner tick runs only while the app is busy, at 4 Hz.

use std::time::Duration;

use tokio::sync::mpsc::error::TryRecvError;
use tokio::sync::mpsc::UnboundedReceiver;
use tokio::time::Instant;

use super::input::Input;
use super::screen::Screen;
use super::signals::{self, SignalEvent, Signals};
use super::terminal;
use crate::app::{self, Action, App, Command};
use crate::ui::{self, Theme};
use crate::worker::Worker;

/// Time between spinner frames while a request runs.
pub const TICK: Duration = Duration::from_millis(250);

/// Why the loop ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// The person quit.
    Quit,
    /// A signal asked the process to end.
    Signal(i32),
    /// The terminal went away (a dropped link): reads or writes fail, nobody is there to
    /// draw for.
    HungUp,
}

/// Whether a failed read or write means the terminal itself is gone.
pub fn terminal_gone(error: &std::io::Error) -> bool {
    matches!(
        error.raw_os_error(),
        Some(libc::EIO | libc::ENXIO | libc::EPIPE | libc::EBADF)
    ) || error.kind() == std::io::ErrorKind::BrokenPipe
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flow {
    Continue,
    Quit,
}

/// The running TUI: the app, the worker that serves it, and the screen it is drawn on.
pub struct EventLoop {
    app: App,
    worker: Worker,
    screen: Screen,
    theme: Theme,
    /// The terminal's size, as the last resize said.
    size: (u16, u16),
    mouse: bool,
    /// The app changed since the last frame.
    dirty: bool,
    frames: u64,
    next_tick: Option<Instant>,
    suspend_requested: bool,
    /// We stopped ourselves and already retook the terminal; the SIGCONT that follows needs
    /// no second repaint.
    expect_cont: bool,
    /// `ECSIMG_TEST_PANIC=1`: panic after the first frame (the PTY tests' crash).
    test_panic: bool,
}

impl EventLoop {
    /// The loop for `app` on a terminal `size` (columns, rows) large.
    pub fn new(
        app: App,
        worker: Worker,
        screen: Screen,
        theme: Theme,
        size: (u16, u16),
        mouse: bool,
        test_panic: bool,
    ) -> EventLoop {
        EventLoop {
            app,
            worker,
            screen,
            theme,
            size,
            mouse,
            dirty: true,
            frames: 0,
            next_tick: None,
            suspend_requested: false,
            expect_cont: false,
            test_panic,
        }
    }

    /// Runs until the person quits, a signal ends it, or the terminal goes away.
    pub async fn run(
        &mut self,
        input: UnboundedReceiver<Input>,
        results: UnboundedReceiver<Action>,
        signals: Signals,
    ) -> anyhow::Result<Exit> {
        match self.serve(input, results, signals).await {
            Err(error)
                if error
                    .downcast_ref::<std::io::Error>()
                    .is_some_and(terminal_gone) =>
            {
                tracing::info!(%error, "the terminal is gone");
                Ok(Exit::HungUp)
            }
            other => other,
        }
    }

    async fn serve(
        &mut self,
        mut input: UnboundedReceiver<Input>,
        mut results: UnboundedReceiver<Action>,
        mut signals: Signals,
    ) -> anyhow::Result<Exit> {
        self.measure();
        let commands = app::init(&mut self.app);
        if self.dispatch(commands) == Flow::Quit {
            return Ok(Exit::Quit);
        }
        let mut results_open = true;
        loop {
            self.schedule_tick();
            if self.dirty {
                self.draw()?;
            }
            let tick_at = self.next_tick;
            let tick = async move {
                match tick_at {
                    Some(at) => tokio::time::sleep_until(at).await,
                    None => std::future::pending().await,
                }
            };
            let flow = tokio::select! {
                biased;
                signal = signals.recv() => match signal {
                    SignalEvent::Terminate(number) => {
                        tracing::info!(signal = signals::name(number), "ending on a signal");
                        return Ok(Exit::Signal(number));
                    }
                    SignalEvent::Continue => {
                        self.resume()?;
                        Flow::Continue
                    }
                },
                event = input.recv() => match event {
                    Some(Input::Action(action)) => self.apply_input(action),
                    Some(Input::Closed(why)) => {
                        tracing::info!(%why, "the terminal closed");
                        return Ok(Exit::HungUp);
                    }
                    None => return Ok(Exit::HungUp),
                },
                result = results.recv(), if results_open => match result {
                    Some(action) => self.apply(action),
                    None => {
                        tracing::warn!("the worker stopped");
                        results_open = false;
                        Flow::Continue
                    }
                },
                () = tick => {
                    self.next_tick = None;
                    self.apply(Action::Tick)
                }
            };
            if flow == Flow::Quit || self.drain(&mut input, &mut results)? == Flow::Quit {
                return Ok(Exit::Quit);
            }
            if std::mem::take(&mut self.suspend_requested) {
                self.suspend()?;
            }
        }
    }

    /// Applies everything already queued, so one frame shows the whole burst.
    fn drain(
        &mut self,
        input: &mut UnboundedReceiver<Input>,
        results: &mut UnboundedReceiver<Action>,
    ) -> anyhow::Result<Flow> {
        loop {
            let mut applied = false;
            match input.try_recv() {
                Ok(Input::Action(action)) => {
                    applied = true;
                    if self.apply_input(action) == Flow::Quit {
                        return Ok(Flow::Quit);
                    }
                }
                // A closed terminal is noticed by the next `recv` in the loop.
                Ok(Input::Closed(_)) | Err(TryRecvError::Empty | TryRecvError::Disconnected) => {}
            }
            if let Ok(action) = results.try_recv() {
                applied = true;
                if self.apply(action) == Flow::Quit {
                    return Ok(Flow::Quit);
                }
            }
            if !applied {
                return Ok(Flow::Continue);
            }
        }
    }

    fn apply_input(&mut self, action: Action) -> Flow {
        // A key after a ctrl-z round trip means any SIGCONT still to come is someone else's.
        self.expect_cont = false;
        self.apply(action)
    }

    /// One action through `update`; its commands go to the worker.
    fn apply(&mut self, action: Action) -> Flow {
        if let Action::Resize(width, height) = action {
            self.size = (width, height);
        }
        let commands = app::update(&mut self.app, action);
        self.measure();
        // Unchanged frames cost nothing on the wire (see `Screen`), so any action may redraw.
        self.dirty = true;
        let flow = self.dispatch(commands);
        if self.app.should_quit() {
            return Flow::Quit;
        }
        flow
    }

    /// Tells `app` what the screen shows of each view now, when that changed.
    fn measure(&mut self) {
        let (width, height) = self.size;
        let viewport = ui::viewport(&self.app, width, height, &self.theme);
        if viewport != self.app.viewport {
            // Only page sizes change: nothing to run.
            let commands = app::update(&mut self.app, Action::Viewport(viewport));
            debug_assert!(commands.is_empty());
        }
    }

    fn dispatch(&mut self, commands: Vec<Command>) -> Flow {
        for command in commands {
            match command {
                Command::Quit => return Flow::Quit,
                Command::Suspend => self.suspend_requested = true,
                Command::Copy(text) => {
                    // Nothing comes back from the terminal to say it took it; the flash
                    // already says it was sent.
                    if let Err(e) = super::clipboard::copy(&text) {
                        tracing::warn!(error = %e, "could not write the clipboard sequence");
                    }
                }
                #[allow(unreachable_patterns)]
                other => self.worker.send(other),
            }
        }
        Flow::Continue
    }

    /// The spinner ticks only while the app is busy.
    fn schedule_tick(&mut self) {
        if !self.app.busy() {
            self.next_tick = None;
        } else if self.next_tick.is_none() {
            self.next_tick = Some(Instant::now() + TICK);
        }
    }

    fn draw(&mut self) -> anyhow::Result<()> {
        let (app, theme) = (&self.app, &self.theme);
        let bytes = self.screen.draw(|frame| ui::draw(frame, app, theme))?;
        self.dirty = false;
        self.frames += 1;
        tracing::trace!(frame = self.frames, bytes, "drew");
        if self.test_panic && self.frames == 1 {
            panic!("ECSIMG_TEST_PANIC is set: crashing after the first frame, as asked");
        }
        Ok(())
    }

    fn suspend(&mut self) -> anyhow::Result<()> {
        tracing::info!("suspending (ctrl-z)");
        signals::suspend(self.mouse)?;
        tracing::info!("resumed");
        self.screen.invalidate()?;
        self.dirty = true;
        self.expect_cont = true;
        Ok(())
    }

    /// SIGCONT: whoever stopped us may have changed the terminal; take it back and repaint.
    fn resume(&mut self) -> anyhow::Result<()> {
        if std::mem::take(&mut self.expect_cont) || !terminal::is_active() {
            return Ok(());
        }
        tracing::info!("continued after a stop; repainting");
        terminal::enter(self.mouse)?;
        self.screen.invalidate()?;
        self.dirty = true;
        Ok(())
    }

    /// Changes sent and not yet answered, as the app knows them.
    pub fn changes_in_flight(&self) -> usize {
        self.app.jobs.len()
    }

    /// Bytes written for frames so far.
    pub fn bytes_written(&self) -> u64 {
        self.screen.bytes_written()
    }
}

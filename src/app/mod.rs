//! The application state and the pure `update` that moves it. (Placeholder: the TUI lands
//! here; the public shape below is the contract `term` and `worker` build against.)

use crossterm::event::KeyEvent;

/// What the header shows about the connection.
#[derive(Debug, Clone, Default)]
pub struct AppContext {
    pub profile: String,
    pub region: String,
    pub endpoint_kind: String,
    pub demo: bool,
    pub read_only: bool,
}

/// Everything the screen shows.
#[derive(Debug, Default)]
pub struct App {
    pub context: AppContext,
    quit: bool,
}

/// Something that happened: a key, a paste, a resize, a tick, or a result from the worker.
#[derive(Debug, Clone)]
pub enum Action {
    Key(KeyEvent),
    Paste(String),
    Resize(u16, u16),
    /// Spinner frame; sent only while `App::busy()`.
    Tick,
}

/// Work for the outside world, returned by `update`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Quit,
    /// ctrl-z: the terminal is restored, the process stops, and `fg` redraws.
    Suspend,
}

impl App {
    pub fn new(context: AppContext) -> App {
        App {
            context,
            quit: false,
        }
    }

    pub fn should_quit(&self) -> bool {
        self.quit
    }

    /// A request is in flight (the spinner runs only then).
    pub fn busy(&self) -> bool {
        false
    }
}

/// The commands to run at start (load the region's images).
pub fn init(_app: &mut App) -> Vec<Command> {
    Vec::new()
}

/// The one place state changes. Pure: no I/O, no clock, no randomness.
pub fn update(app: &mut App, action: Action) -> Vec<Command> {
    use crossterm::event::{KeyCode, KeyModifiers};
    if let Action::Key(k) = action {
        if k.code == KeyCode::Char('q')
            || (k.code == KeyCode::Char('c') && k.modifiers.contains(KeyModifiers::CONTROL))
        {
            app.quit = true;
            return vec![Command::Quit];
        }
        if k.code == KeyCode::Char('z') && k.modifiers.contains(KeyModifiers::CONTROL) {
            return vec![Command::Suspend];
        }
    }
    Vec::new()
}

//! Runs `Command`s against ECS and sends the results back as `Action`s. (Placeholder.)

use tokio::sync::mpsc::UnboundedSender;

use crate::app::{Action, Command};
use crate::session::Session;

/// The handle the event loop sends commands through.
pub struct Worker {
    _session: Session,
    _results: UnboundedSender<Action>,
}

impl Worker {
    /// Starts the worker on the current tokio runtime.
    pub fn spawn(session: Session, results: UnboundedSender<Action>) -> Worker {
        Worker {
            _session: session,
            _results: results,
        }
    }

    /// Queues a command; never blocks.
    pub fn send(&self, _command: Command) {}
}

//! Terminal input on a thread of its own: crossterm's `read` blocks, so it never runs on the
//! async runtime. Events become `Action`s on a channel the event loop selects on.

use crossterm::event::{Event, KeyEventKind};
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver, UnboundedSender};

use crate::app::Action;

/// What the input thread reports.
#[derive(Debug)]
pub enum Input {
    /// A key, a paste or a resize, ready for `app::update`.
    Action(Action),
    /// The terminal is gone (hang-up, closed pty) or unreadable: nothing more will come.
    Closed(String),
}

/// Starts the input thread and returns its channel.
///
/// The thread blocks in `read` while idle (no polling, no wake-ups) and ends when the event
/// loop drops the receiver or the terminal closes.
pub fn spawn() -> std::io::Result<UnboundedReceiver<Input>> {
    let (tx, rx) = unbounded_channel();
    std::thread::Builder::new()
        .name("ecsimg-input".into())
        .spawn(move || read_until_closed(&tx))?;
    Ok(rx)
}

fn read_until_closed(tx: &UnboundedSender<Input>) {
    loop {
        let input = match crossterm::event::read() {
            Ok(event) => match to_action(event) {
                Some(action) => Input::Action(action),
                None => continue,
            },
            Err(e) => {
                let _ = tx.send(Input::Closed(e.to_string()));
                return;
            }
        };
        if tx.send(input).is_err() {
            return;
        }
    }
}

/// The events the app cares about; key releases (only sent by terminals with the kitty
/// protocol, which is not enabled) and focus changes are dropped.
pub fn to_action(event: Event) -> Option<Action> {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => Some(Action::Key(key)),
        Event::Paste(text) => Some(Action::Paste(text)),
        Event::Resize(w, h) => Some(Action::Resize(w, h)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyEvent, KeyEventState, KeyModifiers};

    fn key(kind: KeyEventKind) -> Event {
        Event::Key(KeyEvent {
            code: KeyCode::Char('j'),
            modifiers: KeyModifiers::NONE,
            kind,
            state: KeyEventState::NONE,
        })
    }

    #[test]
    fn presses_and_repeats_are_keys_releases_are_not() {
        assert!(matches!(
            to_action(key(KeyEventKind::Press)),
            Some(Action::Key(_))
        ));
        assert!(matches!(
            to_action(key(KeyEventKind::Repeat)),
            Some(Action::Key(_))
        ));
        assert!(to_action(key(KeyEventKind::Release)).is_none());
    }

    #[test]
    fn paste_and_resize_pass_through_focus_does_not() {
        assert!(matches!(
            to_action(Event::Paste("m-bp1".into())),
            Some(Action::Paste(s)) if s == "m-bp1"
        ));
        assert!(matches!(
            to_action(Event::Resize(100, 30)),
            Some(Action::Resize(100, 30))
        ));
        assert!(to_action(Event::FocusGained).is_none());
    }
}

//! Terminal input on a thread of its own: crossterm's `read` blocks, so it never runs on the
//! async runtime. Events become `Action`s on a channel the event loop selects on.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseEventKind};
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver, UnboundedSender};

use crate::app::Action;

/// What the input thread reports.
// `Action` is large because of the worker's results; a key moves through here once, so a box
// would only add an allocation per keystroke.
#[allow(clippy::large_enum_variant)]
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

/// The events the app cares about. With `--mouse`, the wheel scrolls like the arrow keys
/// and a left click selects; other buttons, drags, key releases (only sent by terminals
/// with the kitty protocol, which is not enabled) and focus changes are dropped.
pub fn to_action(event: Event) -> Option<Action> {
    let arrow = |code| Action::Key(KeyEvent::new(code, KeyModifiers::NONE));
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => Some(Action::Key(key)),
        Event::Paste(text) => Some(Action::Paste(text)),
        Event::Resize(w, h) => Some(Action::Resize(w, h)),
        Event::Mouse(mouse) => match mouse.kind {
            MouseEventKind::ScrollDown => Some(arrow(KeyCode::Down)),
            MouseEventKind::ScrollUp => Some(arrow(KeyCode::Up)),
            MouseEventKind::Down(crossterm::event::MouseButton::Left) => Some(Action::Click {
                column: mouse.column,
                row: mouse.row,
            }),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyEventState;

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
    fn the_wheel_scrolls_like_arrows_and_a_left_click_selects() {
        use crossterm::event::{MouseButton, MouseEvent};
        let mouse = |kind| {
            Event::Mouse(MouseEvent {
                kind,
                column: 3,
                row: 4,
                modifiers: KeyModifiers::NONE,
            })
        };
        assert!(matches!(
            to_action(mouse(MouseEventKind::ScrollDown)),
            Some(Action::Key(k)) if k.code == KeyCode::Down
        ));
        assert!(matches!(
            to_action(mouse(MouseEventKind::ScrollUp)),
            Some(Action::Key(k)) if k.code == KeyCode::Up
        ));
        assert!(matches!(
            to_action(mouse(MouseEventKind::Down(MouseButton::Left))),
            Some(Action::Click { column: 3, row: 4 })
        ));
        assert!(to_action(mouse(MouseEventKind::Down(MouseButton::Right))).is_none());
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

//! The drawing surface: ratatui on crossterm, with every byte of a frame collected first and
//! written in one piece — or not at all when nothing on screen changed.
//!
//! Two things ratatui would otherwise send on every `draw`, even an unchanged one, are
//! dropped here: colour/attribute resets after an empty diff, and cursor show/hide/move
//! sequences that repeat what the terminal already has. An ssh link pays for each byte.

use std::io::{self, Write};
use std::sync::{Arc, Mutex, PoisonError};

use crossterm::terminal::{BeginSynchronizedUpdate, EndSynchronizedUpdate};
use ratatui::backend::{Backend, ClearType, CrosstermBackend, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};
use ratatui::{Frame, Terminal};

/// Bytes of the frame being built; shared between the backend's writer and `Screen`.
#[derive(Clone, Default)]
struct Pending(Arc<Mutex<Vec<u8>>>);

impl Pending {
    fn take(&self) -> Vec<u8> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

impl Write for Pending {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    /// Nothing leaves before `Screen::commit`, so a frame goes out in one write.
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A crossterm backend that skips what would not change the terminal.
struct LeanBackend {
    inner: CrosstermBackend<Pending>,
    /// What the terminal shows now: `None` when unknown.
    cursor_visible: Option<bool>,
    cursor_at: Option<Position>,
}

impl LeanBackend {
    /// Right after `terminal::enter`: the cursor is hidden, and where it is nobody knows.
    fn entered(&mut self) {
        self.cursor_visible = Some(false);
        self.cursor_at = None;
    }
}

impl Backend for LeanBackend {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let mut content = content.peekable();
        if content.peek().is_none() {
            return Ok(());
        }
        // Printing moves the terminal's cursor.
        self.cursor_at = None;
        self.inner.draw(content)
    }

    fn append_lines(&mut self, n: u16) -> io::Result<()> {
        self.cursor_at = None;
        self.inner.append_lines(n)
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        if self.cursor_visible != Some(false) {
            self.inner.hide_cursor()?;
            self.cursor_visible = Some(false);
        }
        Ok(())
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        if self.cursor_visible != Some(true) {
            self.inner.show_cursor()?;
            self.cursor_visible = Some(true);
        }
        Ok(())
    }

    /// Never asks the terminal: a query costs a round trip over ssh, and its answer would
    /// arrive on the input thread. ratatui only asks in order to put the cursor back after
    /// clearing, and every frame places the cursor itself.
    fn get_cursor_position(&mut self) -> io::Result<Position> {
        Ok(self.cursor_at.unwrap_or(Position::ORIGIN))
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        let position = position.into();
        if self.cursor_at != Some(position) {
            self.inner.set_cursor_position(position)?;
            self.cursor_at = Some(position);
        }
        Ok(())
    }

    fn clear(&mut self) -> io::Result<()> {
        self.cursor_at = None;
        self.inner.clear()
    }

    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        self.cursor_at = None;
        self.inner.clear_region(clear_type)
    }

    fn size(&self) -> io::Result<Size> {
        self.inner.size()
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
        self.inner.window_size()
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The terminal the TUI draws on.
pub struct Screen {
    terminal: Terminal<LeanBackend>,
    pending: Pending,
    /// Bytes sent to the terminal since start (frames only).
    written: u64,
}

impl Screen {
    /// A screen over stdout, sized from the terminal.
    pub fn new() -> io::Result<Screen> {
        let pending = Pending::default();
        let backend = LeanBackend {
            inner: CrosstermBackend::new(pending.clone()),
            cursor_visible: None,
            cursor_at: None,
        };
        let mut screen = Screen {
            terminal: Terminal::new(backend)?,
            pending,
            written: 0,
        };
        screen.invalidate()?;
        Ok(screen)
    }

    /// Renders a frame and sends what changed; returns the bytes written (0 when nothing
    /// changed on screen).
    pub fn draw(&mut self, render: impl FnOnce(&mut Frame<'_>)) -> io::Result<usize> {
        self.terminal.draw(render)?;
        self.commit()
    }

    /// Forgets what the terminal shows, so the next `draw` repaints everything. Called right
    /// after `terminal::enter` (at start, after `fg`, after a stop).
    pub fn invalidate(&mut self) -> io::Result<()> {
        self.terminal.backend_mut().entered();
        // Clearing is queued in `pending` and goes out with the next frame, so the repaint
        // stays inside one synchronized update.
        self.terminal.clear()
    }

    /// Bytes written for frames so far.
    pub fn bytes_written(&self) -> u64 {
        self.written
    }

    fn commit(&mut self) -> io::Result<usize> {
        let body = self.pending.take();
        if body.is_empty() {
            return Ok(0);
        }
        let mut frame = Vec::with_capacity(body.len() + 16);
        crossterm::queue!(frame, BeginSynchronizedUpdate)?;
        frame.extend_from_slice(&body);
        crossterm::queue!(frame, EndSynchronizedUpdate)?;
        let mut out = io::stdout().lock();
        out.write_all(&frame)?;
        out.flush()?;
        self.written += frame.len() as u64;
        Ok(frame.len())
    }
}

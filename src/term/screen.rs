//! The drawing surface: ratatui over `LeanBackend`, each frame sent as one write wrapped in a
//! synchronized update — or not sent at all when nothing on screen changed.

use std::io::{self, Write};

use crossterm::terminal::{BeginSynchronizedUpdate, EndSynchronizedUpdate};
use ratatui::{Frame, Terminal};

use super::backend::LeanBackend;
use super::caps::Colors;

/// The terminal the TUI draws on.
pub struct Screen {
    terminal: Terminal<LeanBackend>,
    /// Bytes sent to the terminal since start (frames only).
    written: u64,
}

impl Screen {
    /// A screen over stdout, sized from the terminal, drawn in the `colors` it knows.
    pub fn new(colors: Colors) -> io::Result<Screen> {
        let mut screen = Screen {
            terminal: Terminal::new(LeanBackend::new().with_colors(colors))?,
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
        // The clear waits in the backend and goes out with the next frame, so the repaint
        // stays inside one synchronized update.
        self.terminal.clear()
    }

    /// Bytes written for frames so far.
    pub fn bytes_written(&self) -> u64 {
        self.written
    }

    fn commit(&mut self) -> io::Result<usize> {
        let body = self.terminal.backend_mut().take();
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

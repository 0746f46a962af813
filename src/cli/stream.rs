//! Output too long to hold: a listing of a journal of hundreds of thousands of changes is
//! written as it is read, in writes of a sensible size, sanitised like every other line.

use serde::Serialize;

use super::output::{emit, emit_err};

/// Text for stdout gathered into writes of about 64 kB, each sanitised as [`emit`] does:
/// a listing of a hundred thousand lines costs a few thousand writes, not one a line.
/// What is left is written when it is dropped.
#[derive(Default)]
pub struct Batched {
    buf: String,
}

impl Batched {
    pub fn push(&mut self, text: &str) {
        self.buf.push_str(text);
        if self.buf.len() >= 64 * 1024 {
            emit(&std::mem::take(&mut self.buf));
        }
    }
}

impl Drop for Batched {
    fn drop(&mut self) {
        if !self.buf.is_empty() {
            emit(&self.buf);
        }
    }
}

/// Prints `value` as pretty JSON as it is serialized, never held whole (the journal); a
/// reader that went away ends the process quietly, as `output::emit_raw` does.
pub fn print_json_streamed<T: Serialize>(value: &T) {
    use std::io::Write;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let done = super::json::to_writer_pretty(&mut out, value)
        .map_err(std::io::Error::from)
        .and_then(|()| out.write_all(b"\n"))
        .and_then(|()| out.flush());
    if let Err(e) = done {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        emit_err(&format!("ecsimg: cannot write the JSON: {e}"));
        std::process::exit(1);
    }
}

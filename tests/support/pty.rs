//! Runs the real `ecsimg` binary in a pseudo-terminal and watches what it writes.
//!
//! A reader thread drains the pty all the time (so the child never blocks on a full pty
//! buffer) into one shared record: every byte, and a vt100 screen fed with the same bytes.
//! It polls, so it can also say when it last found nothing to read: once that happens
//! after the child exited, the record holds everything the child wrote.
//! Waits poll that record for a condition, with a generous deadline scaled by
//! `ECSIMG_TEST_TIME_SCALE` (see `patience`); nothing here asserts on speed.

use std::fs::File;
use std::io::{self, Read, Write};
use std::os::fd::{AsRawFd, FromRawFd};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use portable_pty::{native_pty_system, Child, CommandBuilder, MasterPty, PtySize, SlavePty};

use super::patience::{scaled, wait_until};

/// The binary under test.
pub const ECSIMG: &str = env!("CARGO_BIN_EXE_ecsimg");

/// How long to wait for something to appear before calling it a failure (before scaling).
pub const PATIENCE: Duration = Duration::from_secs(20);
/// Output that stays unchanged this long counts as settled (before scaling: a slow machine
/// also pauses longer in the middle of a redraw).
pub const SETTLE: Duration = Duration::from_millis(700);

/// The bytes the child wrote, and the screen they paint.
pub struct Record {
    pub bytes: Vec<u8>,
    pub parser: vt100::Parser,
    pub closed: bool,
    last_change: Instant,
    /// How many times the reader looked and found nothing to read.
    empty_polls: u64,
}

/// How long the reader waits for output before it counts an empty poll.
const POLL: Duration = Duration::from_millis(25);

/// Copies the pty's output into the record until the pty closes or the `Pty` is dropped.
fn drain(mut reader: File, sink: &Arc<Mutex<Record>>) {
    let mut buf = [0u8; 16 * 1024];
    let timeout = i32::try_from(POLL.as_millis()).unwrap_or(i32::MAX);
    loop {
        let mut poll = libc::pollfd {
            fd: reader.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one valid pollfd on a descriptor this thread owns.
        match unsafe { libc::poll(&mut poll, 1, timeout) } {
            0 => {
                // Nobody left to read for: the `Pty` is gone.
                if Arc::strong_count(sink) == 1 {
                    return;
                }
                sink.lock().unwrap().empty_polls += 1;
                continue;
            }
            n if n < 0 && io::Error::last_os_error().kind() == io::ErrorKind::Interrupted => {
                continue;
            }
            _ => {}
        }
        match reader.read(&mut buf) {
            Ok(0) | Err(_) => {
                sink.lock().unwrap().closed = true;
                return;
            }
            Ok(n) => {
                let mut r = sink.lock().unwrap();
                r.bytes.extend_from_slice(&buf[..n]);
                r.parser.process(&buf[..n]);
                r.last_change = Instant::now();
            }
        }
    }
}

/// A running `ecsimg` in a pty.
pub struct Pty {
    child: Box<dyn Child + Send + Sync>,
    master: Box<dyn MasterPty + Send>,
    // Kept open so the terminal (and its settings) outlives the child: the tests read the
    // settings the child left behind.
    _slave: Box<dyn SlavePty + Send>,
    writer: Box<dyn Write + Send>,
    record: Arc<Mutex<Record>>,
    /// Cooked settings the pty had before the child started.
    pub termios_before: libc::termios,
    /// Holds XDG_STATE_HOME, HOME and the log.
    pub home: tempfile::TempDir,
}

/// How to start the child.
pub struct Launch<'a> {
    /// Another program to run instead of `ecsimg` (a shell, for job control).
    pub program: Option<&'a str>,
    pub args: &'a [&'a str],
    pub env: &'a [(&'a str, &'a str)],
    pub cols: u16,
    pub rows: u16,
}

impl Default for Launch<'_> {
    fn default() -> Self {
        Launch {
            program: None,
            args: &["--demo"],
            env: &[],
            cols: 80,
            rows: 24,
        }
    }
}

fn nonzero(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n).expect("a terminal has at least one row and column")
}

fn size(cols: u16, rows: u16) -> PtySize {
    PtySize {
        rows,
        cols,
        pixel_width: 0,
        pixel_height: 0,
    }
}

impl Pty {
    /// `ecsimg --demo` at 80×24.
    pub fn demo() -> Pty {
        Pty::spawn(Launch::default())
    }

    pub fn spawn(launch: Launch<'_>) -> Pty {
        let pair = native_pty_system()
            .openpty(size(launch.cols, launch.rows))
            .expect("open a pty");
        let home = tempfile::tempdir().expect("temp dir");
        let mut cmd = CommandBuilder::new(launch.program.unwrap_or(ECSIMG));
        cmd.args(launch.args);
        // Nothing from the developer's environment: no credentials, no config, no colours
        // switched off by accident.
        cmd.env_clear();
        let home_path = home.path().to_str().expect("utf-8 temp path").to_string();
        cmd.env("HOME", &home_path);
        cmd.env("XDG_STATE_HOME", format!("{home_path}/state"));
        cmd.env("XDG_CONFIG_HOME", format!("{home_path}/config"));
        cmd.env("TERM", "xterm-256color");
        cmd.env("LANG", "C.UTF-8");
        cmd.env("PATH", "/usr/bin:/bin");
        for (k, v) in launch.env {
            cmd.env(k, v);
        }
        cmd.cwd(home.path());

        let termios_before = termios_of(&*pair.master);
        let child = pair.slave.spawn_command(cmd).expect("spawn ecsimg");
        let writer = pair.master.take_writer().expect("pty writer");
        let record = Arc::new(Mutex::new(Record {
            bytes: Vec::new(),
            parser: vt100::Parser::new(nonzero(launch.rows), nonzero(launch.cols), 0),
            closed: false,
            last_change: Instant::now(),
            empty_polls: 0,
        }));
        let master_fd = pair.master.as_raw_fd().expect("pty master fd");
        // SAFETY: dup of an open descriptor; the File owns the copy and closes it.
        let own = unsafe { libc::dup(master_fd) };
        assert!(own >= 0, "dup the pty master");
        let reader = unsafe { File::from_raw_fd(own) };
        let sink = Arc::clone(&record);
        thread::spawn(move || drain(reader, &sink));
        Pty {
            child,
            master: pair.master,
            _slave: pair.slave,
            writer,
            record,
            termios_before,
            home,
        }
    }

    /// Types bytes as the keyboard would send them.
    pub fn send(&mut self, bytes: impl AsRef<[u8]>) {
        self.writer.write_all(bytes.as_ref()).expect("write to pty");
        self.writer.flush().expect("flush pty");
    }

    /// The screen's text now.
    pub fn screen_text(&self) -> String {
        self.record.lock().unwrap().parser.screen().contents()
    }

    /// Runs `f` on the current screen.
    pub fn with_screen<T>(&self, f: impl FnOnce(&vt100::Screen) -> T) -> T {
        f(self.record.lock().unwrap().parser.screen())
    }

    /// How many bytes the child has written so far.
    pub fn len(&self) -> usize {
        self.record.lock().unwrap().bytes.len()
    }

    /// Everything the child wrote from `offset` on.
    pub fn bytes_from(&self, offset: usize) -> Vec<u8> {
        self.record.lock().unwrap().bytes[offset..].to_vec()
    }

    /// Everything the child wrote.
    pub fn bytes(&self) -> Vec<u8> {
        self.bytes_from(0)
    }

    /// Waits until `check` holds for the screen; panics with the screen after `PATIENCE`.
    pub fn wait_screen(&self, what: &str, check: impl Fn(&vt100::Screen) -> bool) {
        if let Err(waited) = wait_until(PATIENCE, || self.with_screen(&check)) {
            panic!(
                "waited {waited:?} for {what}; the screen shows:\n{}",
                self.screen_text()
            );
        }
    }

    /// Waits until `text` is on screen.
    pub fn wait_for(&self, text: &str) {
        self.wait_screen(&format!("{text:?} on screen"), |s| {
            s.contents().contains(text)
        });
    }

    /// Waits until `text` is no longer on screen.
    pub fn wait_gone(&self, text: &str) {
        self.wait_screen(&format!("{text:?} to leave the screen"), |s| {
            !s.contents().contains(text)
        });
    }

    /// Waits until the written bytes satisfy `check`.
    pub fn wait_bytes(&self, what: &str, check: impl Fn(&[u8]) -> bool) {
        if let Err(waited) = wait_until(PATIENCE, || check(&self.record.lock().unwrap().bytes)) {
            panic!(
                "waited {waited:?} for {what}; the output ends with:\n{}",
                tail(&self.bytes(), 600)
            );
        }
    }

    /// Waits until nothing has been written for `SETTLE` (a spinner or page loads finishing);
    /// returns the byte count then.
    pub fn settle(&self) -> usize {
        let quiet = scaled(SETTLE);
        let mut settled_at = 0;
        let settled = wait_until(PATIENCE, || {
            let r = self.record.lock().unwrap();
            settled_at = r.bytes.len();
            r.last_change.elapsed() >= quiet
        });
        if let Err(waited) = settled {
            panic!(
                "the output never settled in {waited:?}; it ends with:\n{}",
                tail(&self.bytes(), 600)
            );
        }
        settled_at
    }

    /// Resizes the pty (the child gets SIGWINCH) and the screen model with it.
    pub fn resize(&mut self, cols: u16, rows: u16) {
        self.record
            .lock()
            .unwrap()
            .parser
            .screen_mut()
            .set_size(nonzero(rows), nonzero(cols));
        self.master.resize(size(cols, rows)).expect("resize pty");
    }

    /// Sends a signal to the child.
    pub fn signal(&self, signal: i32) {
        let pid = self.child.process_id().expect("child pid") as libc::pid_t;
        // SAFETY: kill only sends a signal to our own child.
        let rc = unsafe { libc::kill(pid, signal) };
        assert_eq!(rc, 0, "kill({pid}, {signal})");
    }

    /// Waits for the child to exit and for everything it wrote to be in the record; returns
    /// its exit code.
    pub fn wait_exit(&mut self) -> u32 {
        let mut code = None;
        let exited = wait_until(PATIENCE, || {
            code = self
                .child
                .try_wait()
                .expect("try_wait")
                .map(|s| s.exit_code());
            code.is_some()
        });
        if let Err(waited) = exited {
            let _ = self.child.kill();
            panic!(
                "ecsimg did not exit within {waited:?}; the screen shows:\n{}",
                self.screen_text()
            );
        }
        // A poll that started after the exit and found nothing: the rest is read.
        let seen = self.record.lock().unwrap().empty_polls;
        let drained = wait_until(PATIENCE, || {
            let r = self.record.lock().unwrap();
            r.closed || r.empty_polls >= seen + 2
        });
        assert!(drained.is_ok(), "the pty kept writing after ecsimg exited");
        code.expect("an exit code once exited")
    }

    /// The terminal settings now (the child's slave side).
    pub fn termios(&self) -> libc::termios {
        termios_of(&*self.master)
    }

    /// The contents of the log in the state directory.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.home.path().join("state/ecsimg/ecsimg.log"))
            .unwrap_or_default()
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn termios_of(master: &dyn MasterPty) -> libc::termios {
    let fd = master.as_raw_fd().expect("pty master fd");
    // SAFETY: termios is plain data; tcgetattr fills it from a valid, open fd. On a pty
    // master, Linux and the BSDs answer with the slave's settings.
    unsafe {
        let mut t: libc::termios = std::mem::zeroed();
        assert_eq!(libc::tcgetattr(fd, &mut t), 0, "tcgetattr on the pty");
        t
    }
}

/// The last `n` bytes, escapes made visible, for failure messages.
pub fn tail(bytes: &[u8], n: usize) -> String {
    let start = bytes.len().saturating_sub(n);
    String::from_utf8_lossy(&bytes[start..])
        .escape_debug()
        .to_string()
}

/// Where `needle` last occurs in `haystack`.
pub fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

/// Where `needle` first occurs in `haystack`.
pub fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

pub const ENTER_ALT: &[u8] = b"\x1b[?1049h";
pub const LEAVE_ALT: &[u8] = b"\x1b[?1049l";
pub const SHOW_CURSOR: &[u8] = b"\x1b[?25h";
pub const HIDE_CURSOR: &[u8] = b"\x1b[?25l";
pub const PASTE_OFF: &[u8] = b"\x1b[?2004l";

/// Asserts the child left the terminal as it found it: the output's last word on the
/// alternate screen, the cursor and bracketed paste is "off / shown / off", the screen model
/// agrees, and the pty's settings are cooked again (and equal to what they were before).
pub fn assert_restored(pty: &Pty) {
    pty.wait_bytes(
        "the alternate screen to be left",
        |b| matches!((rfind(b, LEAVE_ALT), rfind(b, ENTER_ALT)), (Some(l), Some(e)) if l > e),
    );
    let out = pty.bytes();
    let leave = rfind(&out, LEAVE_ALT).unwrap();
    let show = rfind(&out, SHOW_CURSOR).expect("the cursor is shown again");
    assert!(
        rfind(&out, HIDE_CURSOR).is_none_or(|hide| show > hide),
        "the cursor was hidden after it was last shown:\n{}",
        tail(&out, 400)
    );
    assert!(
        rfind(&out, PASTE_OFF).is_some(),
        "bracketed paste never turned off"
    );
    // Nothing of the TUI's drawn after leaving: only plain text may follow.
    assert!(
        only_restore_sequences(&out[leave..]),
        "the TUI wrote escape sequences after leaving the alternate screen:\n{}",
        tail(&out[leave..], 400)
    );
    pty.with_screen(|s| {
        assert!(!s.alternate_screen(), "still on the alternate screen");
        assert!(!s.hide_cursor(), "the cursor is still hidden");
        assert!(!s.bracketed_paste(), "bracketed paste still on");
        assert_eq!(
            s.mouse_protocol_mode(),
            vt100::MouseProtocolMode::None,
            "mouse still captured"
        );
    });
    let t = pty.termios();
    for (flag, name) in [
        (libc::ICANON, "ICANON"),
        (libc::ECHO, "ECHO"),
        (libc::ISIG, "ISIG"),
    ] {
        assert!(
            t.c_lflag & flag != 0,
            "{name} is off: the terminal is still raw"
        );
    }
    assert!(t.c_oflag & libc::OPOST != 0, "OPOST is off");
    let before = pty.termios_before;
    assert_eq!(
        (t.c_iflag, t.c_oflag, t.c_lflag),
        (before.c_iflag, before.c_oflag, before.c_lflag),
        "the terminal settings differ from before the run"
    );
}

/// After leaving the alternate screen only the rest of the restore may be written:
/// cursor shown, paste and mouse modes off, synchronized update closed.
fn only_restore_sequences(bytes: &[u8]) -> bool {
    let mut rest = bytes.to_vec();
    let sequences: [&[u8]; 9] = [
        LEAVE_ALT,
        SHOW_CURSOR,
        PASTE_OFF,
        b"\x1b[?2026l",
        b"\x1b[?1000l",
        b"\x1b[?1002l",
        b"\x1b[?1003l",
        b"\x1b[?1006l",
        b"\x1b[?1015l",
    ];
    for seq in sequences {
        while let Some(at) = find(&rest, seq) {
            rest.drain(at..at + seq.len());
        }
    }
    !rest.windows(2).any(|w| w == b"\x1b[")
}

//! Whatever way ecsimg ends — `q`, ctrl-c, a crash, SIGTERM, SIGHUP — the terminal is given
//! back as it was: primary screen, cursor visible, cooked mode. The real binary, in a pty.

use crate::support::patience::wait_until;
use crate::support::pty::{assert_restored, find, rfind, Launch, Pty, LEAVE_ALT, PATIENCE};

/// What the first frame of `--demo` always shows.
const FIRST_FRAME: &str = "cn-hangzhou";

#[test]
fn q_quits_with_status_zero_and_restores_the_terminal() {
    let mut pty = Pty::demo();
    pty.wait_for(FIRST_FRAME);
    pty.with_screen(|s| assert!(s.alternate_screen(), "the TUI runs on the alternate screen"));
    pty.send("q");
    assert_eq!(pty.wait_exit(), 0);
    assert_restored(&pty);

    // The log went to the state directory, not the screen, and holds no secret.
    let log = pty.log();
    assert!(log.contains("starting the TUI"), "log:\n{log}");
    assert!(log.contains("the TUI ended"), "log:\n{log}");
    assert!(
        !log.contains(ecsimg::sim::DEMO_ACCESS_KEY_SECRET),
        "the secret is in the log"
    );
    assert!(
        !String::from_utf8_lossy(&pty.bytes()).contains("INFO"),
        "a log line reached the screen"
    );
}

#[test]
fn ctrl_c_quits_from_anywhere() {
    let mut pty = Pty::demo();
    pty.wait_for(FIRST_FRAME);
    pty.send("\x03");
    assert_eq!(pty.wait_exit(), 0);
    assert_restored(&pty);
}

#[test]
fn a_crash_restores_the_terminal_before_saying_where_the_log_is() {
    let mut pty = Pty::spawn(Launch {
        env: &[("ECSIMG_TEST_PANIC", "1")],
        ..Launch::default()
    });
    pty.wait_for("ecsimg crashed");
    assert_eq!(pty.wait_exit(), 101);
    assert_restored(&pty);

    let out = pty.bytes();
    let message = find(&out, b"ecsimg crashed").unwrap();
    assert!(
        message > rfind(&out, LEAVE_ALT).unwrap(),
        "the crash message was printed before the alternate screen was left"
    );
    let log_path = pty.home.path().join("state/ecsimg/ecsimg.log");
    let screen = pty.screen_text();
    assert!(
        screen.contains(log_path.to_str().unwrap()),
        "the message names the log {}:\n{screen}",
        log_path.display()
    );
    let log = pty.log();
    assert!(
        log.contains("ECSIMG_TEST_PANIC"),
        "the panic is in the log:\n{log}"
    );
    assert!(
        !log.contains(ecsimg::sim::DEMO_ACCESS_KEY_SECRET)
            && !screen.contains(ecsimg::sim::DEMO_ACCESS_KEY_SECRET),
        "the AccessKey secret leaked"
    );
}

#[test]
fn sigterm_restores_the_terminal_and_exits() {
    let mut pty = Pty::demo();
    pty.wait_for(FIRST_FRAME);
    pty.signal(libc::SIGTERM);
    assert_eq!(pty.wait_exit(), 128 + libc::SIGTERM as u32);
    assert_restored(&pty);
}

#[test]
fn sighup_from_a_dropped_link_restores_the_terminal_and_exits() {
    let mut pty = Pty::demo();
    pty.wait_for(FIRST_FRAME);
    pty.signal(libc::SIGHUP);
    assert_eq!(pty.wait_exit(), 128 + libc::SIGHUP as u32);
    assert_restored(&pty);
}

#[test]
fn ctrl_z_gives_the_terminal_back_and_repaints_when_continued() {
    // In the test's pty ecsimg leads its own session, an orphaned process group, so the
    // kernel discards the SIGTSTP it raises: the TUI hands the terminal over, and takes it
    // back at once with a full repaint. That round trip is what is checked here.
    let mut pty = Pty::demo();
    pty.wait_for(FIRST_FRAME);
    let before = pty.settle();
    pty.send("\x1a");
    pty.wait_bytes("the alternate screen left and re-entered", |b| {
        let after = &b[before..];
        matches!(
            (find(after, LEAVE_ALT), rfind(after, b"\x1b[?1049h")),
            (Some(l), Some(e)) if e > l
        )
    });
    pty.wait_for(FIRST_FRAME);
    pty.with_screen(|s| assert!(s.alternate_screen()));
    pty.send("q");
    assert_eq!(pty.wait_exit(), 0);
    assert_restored(&pty);
}

#[test]
fn without_a_terminal_the_tui_refuses_plainly() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ecsimg"))
        .arg("--demo")
        .env_clear()
        .env("HOME", std::env::temp_dir())
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("needs a terminal"), "{err}");
    assert!(
        out.stdout.is_empty(),
        "nothing drawn when there is no terminal"
    );
}

#[test]
fn ctrl_z_stops_under_a_job_control_shell_and_fg_repaints() {
    let mut pty = Pty::spawn(Launch {
        program: Some("/bin/sh"),
        args: &["-i"],
        env: &[("PS1", "READY> "), ("ECSIMG", crate::support::pty::ECSIMG)],
        ..Launch::default()
    });
    pty.wait_for("READY>");
    pty.send("\"$ECSIMG\" --demo\r");
    pty.wait_for(FIRST_FRAME);
    pty.with_screen(|s| assert!(s.alternate_screen()));

    pty.send("\x1a");
    // The shell has the terminal again: primary screen, cursor shown, its prompt.
    pty.wait_screen("the shell's prompt after the stop", |s| {
        !s.alternate_screen() && s.contents().matches("READY>").count() >= 2
    });
    pty.with_screen(|s| assert!(!s.hide_cursor(), "cursor hidden while stopped"));
    let stopped_at = pty.len();

    pty.send("fg\r");
    pty.wait_screen("the TUI back on the alternate screen", |s| {
        s.alternate_screen()
    });
    pty.wait_for(FIRST_FRAME);
    // A full repaint, not a partial one: the first frame's text was written again.
    let after = pty.bytes_from(stopped_at);
    let repaints = after.windows(4).filter(|w| w == b"\x1b[2J").count();
    assert_eq!(
        repaints,
        1,
        "one full repaint after fg: {}",
        crate::support::pty::tail(&after, 300)
    );

    pty.send("q");
    pty.wait_screen("the shell's prompt after quitting", |s| {
        !s.alternate_screen() && s.contents().matches("READY>").count() >= 3
    });
    pty.send("exit\r");
    assert_eq!(pty.wait_exit(), 0);
    assert_restored(&pty);
}

#[test]
fn the_mouse_is_captured_only_with_mouse_and_released_on_exit() {
    let mut plain = Pty::demo();
    plain.wait_for(FIRST_FRAME);
    plain.send("q");
    assert_eq!(plain.wait_exit(), 0);
    assert!(
        find(&plain.bytes(), b"\x1b[?1000h").is_none(),
        "mouse captured without --mouse: the terminal's own selection would not work"
    );

    let mut pty = Pty::spawn(Launch {
        args: &["--demo", "--mouse"],
        ..Launch::default()
    });
    pty.wait_for("images");
    pty.wait_screen("the list loaded", |s| s.contents().contains("> "));
    pty.settle();
    let selected = |pty: &Pty| {
        pty.screen_text()
            .lines()
            .find(|l| l.starts_with("> "))
            .map(str::to_string)
    };
    let before = selected(&pty);
    // The wheel, as an xterm reports it in SGR mode: button 65 is "scroll down".
    pty.send("\x1b[<65;10;5M");
    pty.wait_screen("the wheel to move the selection", |s| {
        s.contents()
            .lines()
            .find(|l| l.starts_with("> "))
            .map(str::to_string)
            != before
    });
    pty.send("q");
    assert_eq!(pty.wait_exit(), 0);
    let out = pty.bytes();
    let on = rfind(&out, b"\x1b[?1000h").expect("mouse capture turned on");
    let off = rfind(&out, b"\x1b[?1000l").expect("mouse capture turned off on exit");
    assert!(off > on);
    assert_restored(&pty);
}

#[test]
fn a_closed_terminal_ends_ecsimg_quietly_as_a_hangup() {
    // The real thing an ssh drop does: the pty's master side goes away, and the kernel sends
    // SIGHUP then SIGCONT. Read the master directly (no duplicate of its descriptor), so
    // dropping it really closes the terminal.
    use portable_pty::{native_pty_system, CommandBuilder, PtySize};
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 24,
            cols: 80,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let home = tempfile::tempdir().unwrap();
    let mut cmd = CommandBuilder::new(crate::support::pty::ECSIMG);
    cmd.arg("--demo");
    cmd.env_clear();
    cmd.env("HOME", home.path());
    cmd.env("XDG_STATE_HOME", home.path().join("state"));
    cmd.env("TERM", "xterm-256color");
    let mut child = pair.slave.spawn_command(cmd).unwrap();
    drop(pair.slave);

    let fd = pair.master.as_raw_fd().unwrap();
    let mut seen = Vec::new();
    let first_frame = wait_until(PATIENCE, || {
        let mut poll = libc::pollfd {
            fd,
            events: libc::POLLIN,
            revents: 0,
        };
        let mut buf = [0u8; 8192];
        // SAFETY: one valid pollfd; read into a buffer of the length given.
        unsafe {
            if libc::poll(&mut poll, 1, 100) > 0 {
                let n = libc::read(fd, buf.as_mut_ptr().cast(), buf.len());
                if n > 0 {
                    seen.extend_from_slice(&buf[..n as usize]);
                }
            }
        }
        String::from_utf8_lossy(&seen).contains("images")
    });
    assert!(first_frame.is_ok(), "no first frame");
    drop(pair.master);

    let mut status = None;
    let ended = wait_until(PATIENCE, || {
        status = child.try_wait().unwrap();
        status.is_some()
    });
    assert!(ended.is_ok(), "ecsimg kept running without a terminal");
    let status = status.unwrap();
    let log = std::fs::read_to_string(home.path().join("state/ecsimg/ecsimg.log")).unwrap();
    assert_eq!(
        status.exit_code(),
        128 + libc::SIGHUP as u32,
        "ended as a hangup, not an error; log:\n{log}"
    );
    // Whichever came first, the hang-up signal or the failed read, the log says why.
    assert!(
        log.contains("SIGHUP") || log.contains("the terminal"),
        "log:\n{log}"
    );
}

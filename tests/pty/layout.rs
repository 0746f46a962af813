//! Any size: resizing re-lays out at once, and below the minimum a plain "too small" message
//! stands in for a broken screen. The real binary, in a pty.

use crate::support::pty::{Launch, Pty};

const FIRST_FRAME: &str = "cn-hangzhou";

#[test]
fn forty_by_twelve_shows_the_too_small_message_and_q_still_quits() {
    let mut pty = Pty::spawn(Launch {
        cols: 40,
        rows: 12,
        ..Launch::default()
    });
    pty.wait_for("terminal too small");
    let screen = pty.screen_text();
    assert!(screen.contains("need"), "{screen}");
    pty.send("q");
    assert_eq!(pty.wait_exit(), 0, "{screen}");
}

#[test]
fn resizing_re_lays_out_at_once() {
    let mut pty = Pty::demo();
    pty.wait_for(FIRST_FRAME);
    pty.settle();

    pty.resize(40, 12);
    pty.wait_for("terminal too small");

    pty.resize(120, 30);
    pty.wait_gone("terminal too small");
    pty.wait_for(FIRST_FRAME);
    // The columns grow with the terminal: text now reaches past column 100.
    pty.wait_screen("rows laid out for 120 columns", |s| {
        s.contents()
            .lines()
            .any(|l| l.trim_end().chars().count() > 100)
    });

    pty.resize(20, 5);
    pty.wait_for("too small");

    pty.resize(80, 24);
    pty.wait_gone("too small");
    pty.wait_for(FIRST_FRAME);
    pty.settle();
    let screen = pty.screen_text();
    assert!(screen.lines().all(|l| l.chars().count() <= 80), "{screen}");
    pty.send("q");
    assert_eq!(pty.wait_exit(), 0, "{}", pty.screen_text());
}

//! What reaches a real terminal: `y` as an OSC 52 sequence, the fallbacks `TERM=linux`,
//! `vt100` and `dumb` get on their own (no colour and no attribute a VT100 lacks), and the 60×20 form that scrolls with a marker.
//! The real binary, in a pty.

use base64::Engine;

use crate::support::pty::{find, Launch, Pty};

const LOADED: &str = "325 images";

/// Every SGR parameter the child wrote (`ESC [ … m`), one list per sequence.
fn sgr_params(bytes: &[u8]) -> Vec<Vec<u32>> {
    let text = String::from_utf8_lossy(bytes);
    let mut out = Vec::new();
    for part in text.split("\x1b[").skip(1) {
        let end = part
            .find(|c: char| !(c.is_ascii_digit() || c == ';'))
            .unwrap_or(part.len());
        if part[end..].starts_with('m') {
            out.push(
                part[..end]
                    .split(';')
                    .filter_map(|p| p.parse().ok())
                    .collect(),
            );
        }
    }
    out
}

const BOX_DRAWING: &[char] = &['─', '│', '┌', '┐', '└', '┘', '…', '·', '⠋', '✓', '✗'];

fn started(term: &str, cols: u16, rows: u16) -> Pty {
    let env = [("TERM", term)];
    let pty = Pty::spawn(Launch {
        env: &env,
        cols,
        rows,
        ..Launch::default()
    });
    pty.wait_for(LOADED);
    pty.settle();
    pty
}

#[test]
fn y_puts_the_selected_image_id_on_the_clipboard_with_osc_52() {
    let mut pty = started("xterm-256color", 80, 24);
    let selected = pty
        .screen_text()
        .lines()
        .find(|l| l.starts_with("> "))
        .and_then(|l| l.split_whitespace().find(|w| w.starts_with("m-")))
        .expect("a selected row with an image ID")
        .to_string();
    let from = pty.len();
    pty.send("y");
    pty.wait_bytes("an OSC 52 sequence", |b| {
        find(&b[from..], b"\x1b]52;c;").is_some()
    });
    pty.wait_for("copied");
    let bytes = pty.bytes_from(from);
    let start = find(&bytes, b"\x1b]52;c;").unwrap() + b"\x1b]52;c;".len();
    let end = start
        + bytes[start..]
            .iter()
            .position(|&b| b == 0x07)
            .expect("the sequence ends with BEL");
    let payload = base64::engine::general_purpose::STANDARD
        .decode(&bytes[start..end])
        .expect("base64");
    assert_eq!(String::from_utf8(payload).unwrap(), selected);
    assert!(
        pty.screen_text().contains(&format!("copied {selected}")),
        "{}",
        pty.screen_text()
    );
    pty.send("q");
    assert_eq!(pty.wait_exit(), 0);
}

#[test]
fn the_linux_console_gets_ascii_and_eight_colours() {
    let mut pty = started("linux", 80, 24);
    let screen = pty.screen_text();
    assert!(
        !screen.chars().any(|c| BOX_DRAWING.contains(&c)),
        "box drawing on the Linux console:\n{screen}"
    );
    assert!(screen.contains("-----"), "ASCII rules:\n{screen}");
    let params = sgr_params(&pty.bytes());
    let all: Vec<u32> = params.iter().flatten().copied().collect();
    assert!(
        all.iter().any(|p| (31..=37).contains(p)),
        "still in colour: {params:?}"
    );
    for p in &all {
        assert!(
            !(90..=97).contains(p) && !(100..=107).contains(p),
            "a bright colour ({p}) the console cannot show: {params:?}"
        );
        assert_ne!(*p, 3, "italics on the Linux console: {params:?}");
    }
    pty.send("q");
    assert_eq!(pty.wait_exit(), 0);
}

#[test]
fn vt100_and_dumb_get_ascii_and_no_colour_with_the_selection_still_visible() {
    for term in ["vt100", "dumb"] {
        let mut pty = started(term, 80, 24);
        let screen = pty.screen_text();
        assert!(
            !screen.chars().any(|c| BOX_DRAWING.contains(&c)),
            "{term}: box drawing:\n{screen}"
        );
        let params = sgr_params(&pty.bytes());
        for p in params.iter().flatten() {
            assert!(
                !(30..=49).contains(p) && !(90..=107).contains(p),
                "{term}: a colour ({p}): {params:?}"
            );
            assert!(
                ![2, 3, 9].contains(p),
                "{term}: half-bright, italics or strike-through ({p}), which a VT100 does not draw: {params:?}"
            );
        }
        assert!(
            params.iter().flatten().any(|p| *p == 7),
            "{term}: the selection in reverse video"
        );
        assert!(screen.contains("> "), "{term}: the > marker:\n{screen}");
        pty.send("q");
        assert_eq!(pty.wait_exit(), 0, "{term}");
    }
}

#[test]
fn at_60x20_the_form_scrolls_to_its_buttons_and_says_so() {
    let mut pty = started("xterm-256color", 60, 20);
    // A rename and a status change: "was:" notes and the family's words make the form
    // longer than the screen.
    pty.send("e");
    pty.wait_for("Edit ");
    pty.send("-x");
    pty.send("\t\t\t");
    pty.send("\x1b[C");
    pty.wait_for("more lines below");
    let screen = pty.screen_text();
    assert!(!screen.contains("[ Submit ]"), "{screen}");
    for _ in 0..6 {
        pty.send("\t");
    }
    pty.wait_for("[ Submit ]");
    pty.wait_for("more lines above");
    let screen = pty.screen_text();
    assert!(screen.lines().all(|l| l.chars().count() <= 60), "{screen}");
    // Esc asks before the two changes are thrown away; Esc again leaves.
    pty.send("\x1b");
    pty.wait_for("Discard 2 changes?");
    pty.send("\x1b");
    pty.wait_gone("Edit ");
    pty.send("q");
    assert_eq!(pty.wait_exit(), 0);
}

#[test]
fn with_mouse_a_click_selects_the_row_under_it() {
    let mut pty = Pty::spawn(Launch {
        args: &["--demo", "--mouse"],
        ..Launch::default()
    });
    pty.wait_for(LOADED);
    pty.settle();
    // A left press on the fifth screen row (1-based, SGR mouse): the third image.
    pty.send("\x1b[<0;10;5M\x1b[<0;10;5m");
    pty.wait_screen("the clicked row selected", |s| {
        s.contents()
            .lines()
            .nth(4)
            .is_some_and(|l| l.starts_with("> "))
    });
    let screen = pty.screen_text();
    assert_eq!(
        screen.lines().filter(|l| l.starts_with("> ")).count(),
        1,
        "{screen}"
    );
    pty.send("q");
    assert_eq!(pty.wait_exit(), 0);
}

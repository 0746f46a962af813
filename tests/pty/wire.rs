//! Cheap on the wire and readable anywhere: nothing is written while idle, `NO_COLOR` means
//! no colour codes at all, `--ascii` means no box drawing. The real binary, in a pty.

use std::time::Duration;

use crate::support::pty::{Launch, Pty};

const FIRST_FRAME: &str = "cn-hangzhou";

#[test]
fn idle_after_the_first_frame_writes_nothing() {
    let mut pty = Pty::demo();
    pty.wait_for(FIRST_FRAME);
    let settled = pty.settle();
    // A window to watch, not a timeout: nothing is awaited, so it is not scaled.
    std::thread::sleep(Duration::from_secs(2));
    let idle = pty.len() - settled;
    assert_eq!(
        idle,
        0,
        "{idle} bytes written in 2 s of idling: {}",
        crate::support::pty::tail(&pty.bytes_from(settled), 400)
    );
    pty.send("q");
    assert_eq!(pty.wait_exit(), 0);
}

/// Runs ecsimg to the loaded list and into the edit form (a bordered dialog), then quits;
/// returns everything it wrote and the screen showing the form.
fn browse_and_edit(args: &[&str], env: &[(&str, &str)]) -> (Vec<u8>, String) {
    let mut pty = Pty::spawn(Launch {
        args,
        env,
        ..Launch::default()
    });
    pty.wait_for("images");
    pty.wait_screen("the list loaded", |s| s.contents().contains("> "));
    pty.settle();
    pty.send("e");
    pty.wait_for("Submit");
    pty.settle();
    let screen = pty.screen_text();
    pty.send("\x03");
    assert_eq!(pty.wait_exit(), 0);
    (pty.bytes(), screen)
}

#[test]
fn no_color_means_no_colour_sequences_and_the_selection_still_shows() {
    // no-color.org: an empty NO_COLOR is as good as unset.
    let (coloured, _) = browse_and_edit(&["--demo"], &[("NO_COLOR", "")]);
    assert!(
        !colour_sequences(&coloured).is_empty(),
        "control: with NO_COLOR empty the TUI uses colour"
    );

    let mut pty = Pty::spawn(Launch {
        env: &[("NO_COLOR", "1")],
        ..Launch::default()
    });
    pty.wait_for("images");
    pty.wait_screen("the list loaded", |s| s.contents().contains("> "));
    pty.settle();
    // The selected row reads without colour: a marker and reverse video.
    pty.with_screen(|s| {
        let (rows, _) = s.size();
        let row = (0..rows.get())
            .find(|&r| s.contents_between(r, 0, r, 2).starts_with('>'))
            .expect("a selected row marked with >");
        assert!(
            s.cell(row, 4).unwrap().inverse(),
            "the selected row is in reverse video"
        );
    });
    pty.send("\x03");
    assert_eq!(pty.wait_exit(), 0);
    let (plain, _) = browse_and_edit(&["--demo"], &[("NO_COLOR", "1")]);
    let found = colour_sequences(&plain);
    assert!(found.is_empty(), "colour set under NO_COLOR: {found:?}");
}

#[test]
fn ascii_means_no_box_drawing() {
    let (boxed, _) = browse_and_edit(&["--demo"], &[]);
    assert!(
        String::from_utf8_lossy(&boxed).chars().any(is_box_drawing),
        "control: without --ascii the form has box-drawing borders"
    );

    let (out, screen) = browse_and_edit(&["--demo", "--ascii"], &[]);
    let out = String::from_utf8_lossy(&out).into_owned();
    let boxy: Vec<char> = out.chars().filter(|c| is_box_drawing(*c)).collect();
    assert!(
        boxy.is_empty(),
        "box drawing under --ascii: {boxy:?}\n{screen}"
    );
    assert!(
        screen.contains("+-"),
        "the form still has a border, in ASCII:\n{screen}"
    );
}

/// U+2500–U+257F.
fn is_box_drawing(c: char) -> bool {
    ('\u{2500}'..='\u{257F}').contains(&c)
}

/// Every SGR sequence (`ESC [ … m`) that sets a colour: 30–38, 40–48, 58, 90–97, 100–107.
/// The defaults (39, 49, 59) and attributes (bold, reverse, …) are not colours.
fn colour_sequences(out: &[u8]) -> Vec<String> {
    let mut found = Vec::new();
    let mut i = 0;
    while i + 1 < out.len() {
        if out[i] == 0x1b && out[i + 1] == b'[' {
            let start = i + 2;
            let mut end = start;
            while end < out.len()
                && (out[end].is_ascii_digit() || out[end] == b';' || out[end] == b':')
            {
                end += 1;
            }
            if end < out.len() && out[end] == b'm' {
                let params = String::from_utf8_lossy(&out[start..end]).into_owned();
                if sets_colour(&params) {
                    found.push(params);
                }
            }
            i = end;
        } else {
            i += 1;
        }
    }
    found
}

fn sets_colour(params: &str) -> bool {
    // The arguments of 38/48/58 (palette index, RGB) need no parsing: the code itself counts.
    params
        .split([';', ':'])
        .filter_map(|p| p.parse::<u32>().ok())
        .any(|code| matches!(code, 30..=38 | 40..=48 | 58 | 90..=97 | 100..=107))
}

#[test]
fn the_colour_detector_tells_colours_from_defaults_and_attributes() {
    assert_eq!(colour_sequences(b"\x1b[31mred"), vec!["31"]);
    assert_eq!(colour_sequences(b"x\x1b[38;5;12my"), vec!["38;5;12"]);
    assert_eq!(colour_sequences(b"\x1b[1;97m"), vec!["1;97"]);
    assert_eq!(colour_sequences(b"\x1b[48;2;1;2;3m"), vec!["48;2;1;2;3"]);
    assert!(colour_sequences(
        b"\x1b[39m\x1b[49m\x1b[59m\x1b[0m\x1b[1m\x1b[7m\x1b[4m\x1b[2J\x1b[3;4H"
    )
    .is_empty());
}

#[test]
fn the_box_detector_knows_its_range() {
    assert!(
        is_box_drawing('─') && is_box_drawing('│') && is_box_drawing('┌') && is_box_drawing('╯')
    );
    assert!(
        !is_box_drawing('-')
            && !is_box_drawing('|')
            && !is_box_drawing('+')
            && !is_box_drawing('·')
    );
}

/// How many frames (synchronized updates) `bytes` holds.
fn frame_count(bytes: &[u8]) -> usize {
    bytes.windows(8).filter(|w| w == b"\x1b[?2026h").count()
}

/// Starts `--demo` and waits for the loaded, quiet list.
fn loaded_list() -> Pty {
    let pty = Pty::demo();
    pty.wait_for("images");
    pty.wait_screen("the list loaded", |s| s.contents().contains("> "));
    pty.settle();
    pty
}

/// The selected position the detail header shows ("11/325" → 11).
fn position(screen: &str) -> Option<u32> {
    screen.split_whitespace().find_map(|word| {
        let (n, total) = word.split_once('/')?;
        total.parse::<u32>().ok()?;
        n.parse().ok()
    })
}

#[test]
fn a_burst_of_keys_is_drawn_in_a_few_frames_not_one_per_key() {
    let mut pty = loaded_list();
    let start = position(&pty.screen_text()).expect("the detail header shows a position");
    let before = pty.settle();
    // Twenty moves in one write, as key repeat or a fast typist delivers them.
    pty.send("j".repeat(20));
    pty.wait_screen("the selection 20 rows down", |s| {
        position(&s.contents()) == Some(start + 20)
    });
    pty.settle();
    let frames = frame_count(&pty.bytes_from(before));
    eprintln!("20 keys in one write: {frames} frame(s)");
    assert!(frames < 10, "20 keys took {frames} frames");
    pty.send("\x03");
    assert_eq!(pty.wait_exit(), 0);
}

#[test]
fn a_paste_is_one_frame() {
    let mut pty = loaded_list();
    pty.send("/");
    pty.wait_for("filter /");
    let before = pty.settle();
    pty.send("\x1b[200~web-frontend\x1b[201~");
    pty.wait_for("filter /web-frontend");
    let after = pty.settle();
    let frames = frame_count(&pty.bytes_from(before));
    assert_eq!(frames, 1, "{} bytes", after - before);
    pty.send("\x03");
    assert_eq!(pty.wait_exit(), 0);
}

#[test]
fn log_file_puts_the_log_where_asked_and_nowhere_else() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("custom/ecsimg-test.log");
    let arg = log.to_str().unwrap().to_string();
    let mut pty = Pty::spawn(Launch {
        args: &["--demo", "--log-file", &arg],
        ..Launch::default()
    });
    pty.wait_for(FIRST_FRAME);
    pty.send("q");
    assert_eq!(pty.wait_exit(), 0);
    let text = std::fs::read_to_string(&log).expect("the log file was written");
    assert!(text.contains("starting the TUI"), "{text}");
    assert!(pty.log().is_empty(), "the default log was written too");
}

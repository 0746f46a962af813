//! Cheap on the wire and readable anywhere: nothing is written while idle, `NO_COLOR` means
//! no colour codes at all, `--ascii` means no box drawing. The real binary, in a pty.

mod pty_support;

use std::time::Duration;

use pty_support::{Launch, Pty};

const FIRST_FRAME: &str = "cn-hangzhou";

#[test]
fn idle_after_the_first_frame_writes_nothing() {
    let mut pty = Pty::demo();
    pty.wait_for(FIRST_FRAME);
    let settled = pty.settle();
    std::thread::sleep(Duration::from_secs(2));
    let idle = pty.len() - settled;
    assert_eq!(
        idle,
        0,
        "{idle} bytes written in 2 s of idling: {}",
        pty_support::tail(&pty.bytes_from(settled), 400)
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

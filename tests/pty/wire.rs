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
    // The paste's frames only: a moment later the detail pane reads who uses the newly
    // selected image, which draws frames of its own.
    let after = pty.len();
    let frames = frame_count(&pty.bytes_from(before)[..after - before]);
    assert_eq!(frames, 1, "{} bytes", after - before);
    pty.settle();
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

/// Text from a server that would act on a terminal written raw: retitle it (OSC 0), write
/// the clipboard (OSC 52), clear the screen (C1 CSI), reverse the line (U+202E), hide in a
/// zero-width space.
const HOSTILE: &str =
    "desc \u{1b}]0;pwned\u{7} \u{1b}]52;c;cHduZWQ=\u{7} \u{9b}2J \u{202e}gpj.exe\u{200b}";

/// Byte sequences none of which may reach the terminal from `HOSTILE`.
const MUST_NOT_ARRIVE: &[(&str, &[u8])] = &[
    ("OSC 0 (title)", b"\x1b]0;pwned"),
    ("OSC 52 (clipboard)", b"\x1b]52;"),
    ("C1 CSI U+009B", "\u{9b}".as_bytes()),
    ("U+202E", "\u{202e}".as_bytes()),
    ("U+200B", "\u{200b}".as_bytes()),
];

fn assert_nothing_hostile(what: &str, bytes: &[u8]) {
    for (name, seq) in MUST_NOT_ARRIVE {
        assert!(
            crate::support::pty::find(bytes, seq).is_none(),
            "{what}: {name} reached the terminal:\n{}",
            crate::support::pty::tail(bytes, 800)
        );
    }
}

/// A demo state file whose one custom image (and its family) carry `HOSTILE` text.
fn hostile_state(dir: &std::path::Path) -> String {
    let image = serde_json::json!({
        "ImageId": "m-hostile0001",
        "ImageName": format!("web\u{202e}\u{200b}-01"),
        "ImageFamily": "fam\u{1b}[2Jily",
        "Description": HOSTILE,
        "Status": "Available",
        "CreationTime": "2025-06-01T10:00:00Z",
        "Size": 40,
        "OSName": "Alibaba Cloud Linux \u{1b}]0;pwned\u{7}",
        "ImageOwnerAlias": "self",
        "Tags": {"Tag": [{"TagKey": "team", "TagValue": "\u{1b}]52;c;cHduZWQ=\u{7}"}]},
        "DiskDeviceMappings": {"DiskDeviceMapping": [{
            "Device": "/dev/xvda\u{1b}]0;pwned\u{7}", "Type": "system", "Size": "40",
            "SnapshotId": "s-1\u{9b}2J", "Format": ""
        }]}
    });
    let state = serde_json::json!({
        "format": "ecsimg-sim-state/1",
        "regions": {"cn-hangzhou": [image]},
    });
    let path = dir.join("hostile-state.json");
    std::fs::write(&path, state.to_string()).unwrap();
    path.to_str().unwrap().to_string()
}

/// Runs a CLI command to its end in a pty; returns its exit code, every byte it wrote,
/// and those bytes as text.
fn cli_bytes(args: &[&str], env: &[(&str, &str)]) -> (u32, Vec<u8>, String) {
    let mut pty = Pty::spawn(Launch {
        args,
        env,
        cols: 100,
        rows: 60,
        ..Launch::default()
    });
    let code = pty.wait_exit();
    pty.settle();
    let bytes = pty.bytes();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    (code, bytes, text)
}

#[test]
fn hostile_text_from_ecs_is_shown_never_interpreted_by_show_list_and_the_tui() {
    let dir = tempfile::tempdir().unwrap();
    let state = hostile_state(dir.path());
    let env = [("ECSIMG_DEMO_STATE", state.as_str())];

    let (code, bytes, screen) = cli_bytes(&["--demo", "images", "show", "m-hostile0001"], &env);
    assert_eq!(code, 0, "{screen}");
    assert_nothing_hostile("images show", &bytes);
    // The CLI writes no escape of its own: not one ESC may arrive.
    assert!(
        !bytes.contains(&0x1b),
        "{}",
        crate::support::pty::tail(&bytes, 800)
    );
    for visible in [
        r"\x1b]0;pwned\x07",
        r"\x1b]52;c;cHduZWQ=\x07",
        r"\x9b2J",
        r"\u202egpj.exe\u200b",
    ] {
        assert!(screen.contains(visible), "{visible} not shown:\n{screen}");
    }
    assert!(
        screen.contains(r"fam\x1b[2Jily — resolves to this image"),
        "{screen}"
    );
    assert!(screen.contains(r"/dev/xvda\x1b]0;pwned\x07"), "{screen}");

    let (code, bytes, screen) = cli_bytes(&["--demo", "images", "list"], &env);
    assert_eq!(code, 0, "{screen}");
    assert_nothing_hostile("images list", &bytes);
    assert!(
        !bytes.contains(&0x1b),
        "{}",
        crate::support::pty::tail(&bytes, 800)
    );
    assert!(screen.contains(r"web\u202e\u200b-01"), "{screen}");

    let mut pty = Pty::spawn(Launch {
        args: &["--demo"],
        env: &env,
        cols: 120,
        rows: 40,
        ..Launch::default()
    });
    pty.wait_screen("the hostile image listed", |s| {
        s.contents().contains("m-hostile0001")
    });
    pty.send("d");
    pty.wait_for(r"gpj.exe\u200b");
    pty.settle();
    let screen = pty.screen_text();
    assert!(screen.contains(r"\x1b]52;c;cHduZWQ=\x07"), "{screen}");
    pty.send("\x03");
    assert_eq!(pty.wait_exit(), 0);
    assert_nothing_hostile("the TUI", &pty.bytes());
}

/// A 403 whose Code, Message and RequestId carry escape sequences (JSON-escaped, as a
/// server would send them).
const HOSTILE_403: &str = r#"{"RequestId":"\u001b]52;c;cHduZWQ=\u0007REQ","HostId":"ecs","Code":"Forbidden.RAM\u001b]0;pwned\u0007","Message":"denied \u009b2J \u202etxt.exe\u200b","Recommend":"https://api.aliyun.com/troubleshoot?q=\u001b]0;pwned\u0007"}"#;

#[test]
fn a_hostile_error_answer_reaches_stderr_made_visible() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(crate::support::scripted::ScriptedServer::start());
    server.respond_with(|_| {
        Some(crate::support::scripted::Reply {
            status: 403,
            headers: vec![],
            body: HOSTILE_403.to_string(),
            delay: Duration::ZERO,
        })
    });
    let endpoint = server.endpoint();
    let env = [
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI5tHostileTest0001"),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "not-a-real-secret"),
    ];
    for command in [&["images", "list"][..], &["images", "show", "m-1"][..]] {
        let mut args = vec!["--endpoint", endpoint.as_str(), "--region", "cn-hangzhou"];
        args.extend_from_slice(command);
        let (code, bytes, screen) = cli_bytes(&args, &env);
        assert_eq!(code, 3, "{command:?}: {screen}");
        assert_nothing_hostile(&format!("{command:?}"), &bytes);
        assert!(
            !bytes.contains(&0x1b),
            "{}",
            crate::support::pty::tail(&bytes, 800)
        );
        assert!(
            screen.contains(r"Forbidden.RAM\x1b]0;pwned\x07"),
            "{screen}"
        );
        assert!(screen.contains(r"\u202etxt.exe\u200b"), "{screen}");
    }
    drop(runtime);
}

/// An STS token that reads as nothing else, so any 6 of its characters in a row on the
/// terminal can only be the token.
const TOKEN: &str = "QZXJVKWQPLMNBZXQYTRWQZJXKVPQ";

/// No six characters of the token in a row in `bytes`, nor on a screen read without its
/// line breaks (a wrapped token), nor the full AccessKeyId.
fn assert_no_token(bytes: &[u8], screens: &[String]) {
    let text = String::from_utf8_lossy(bytes);
    for window in TOKEN.as_bytes().windows(6) {
        let piece = std::str::from_utf8(window).unwrap();
        assert!(
            !text.contains(piece),
            "{piece} of the token reached the terminal"
        );
        for screen in screens {
            let joined: String = screen.split_whitespace().collect();
            assert!(!joined.contains(piece), "{piece} on screen:\n{screen}");
        }
    }
    assert!(
        !text.contains(ecsimg::sim::DEMO_ACCESS_KEY_ID),
        "the full AccessKeyId reached the terminal"
    );
}

#[test]
fn a_wrong_secret_with_an_sts_token_never_puts_the_token_on_the_terminal() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let sim = runtime
        .block_on(ecsimg::sim::start(ecsimg::sim::SimConfig::demo()))
        .unwrap();
    let endpoint = sim.endpoint();
    let mut pty = Pty::spawn(Launch {
        args: &["--endpoint", &endpoint, "--region", "cn-hangzhou"],
        env: &[
            (
                "ALIBABA_CLOUD_ACCESS_KEY_ID",
                ecsimg::sim::DEMO_ACCESS_KEY_ID,
            ),
            ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "the-wrong-secret"),
            ("ALIBABA_CLOUD_SECURITY_TOKEN", TOKEN),
        ],
        cols: 80,
        rows: 24,
        ..Launch::default()
    });
    pty.wait_for("SignatureDoesNotMatch");
    pty.settle();
    let mut screens = vec![pty.screen_text()];
    assert_no_token(&pty.bytes(), &screens);
    // What to do comes first; the string to sign waits in the notices.
    assert!(
        screens[0].contains("check the AccessKey secret"),
        "{}",
        screens[0]
    );
    pty.send("n");
    pty.wait_for("server string to sign");
    pty.settle();
    screens.push(pty.screen_text());
    pty.send("\x03");
    assert_eq!(pty.wait_exit(), 0);
    assert_no_token(&pty.bytes(), &screens);
    // The notices keep the server's string to sign, wrapped, with the token masked.
    let notices: String = screens[1].split_whitespace().collect();
    assert!(
        notices.contains("SecurityToken%3D<redacted>%26"),
        "{}",
        screens[1]
    );
    drop(sim);
    drop(runtime);
}

//! Hostile local files, generated (proptest): ecsimg's own config file and the journal.
//! A config file of any text parses or is refused with its file, a line inside it and a
//! fix. A journal with garbage lines, lines cut short and a truncated last line still lists
//! every whole change, numbered as before, folded as ever; each bad line is named by its
//! number; and undo still finds the entry it is asked for.

use std::path::Path;

use ecsimg::change::{fold, FieldChange, JournalEntry, Outcome};
use ecsimg::cli::undo::pick_entry;
use ecsimg::config::Config;
use ecsimg::rules::Field;
use ecsimg::store::Journal;
use proptest::prelude::*;

use crate::support::props;

fn config_line() -> impl Strategy<Value = String> {
    let key = prop::sample::select(vec![
        "default_profile",
        "default_region",
        "endpoint_type",
        "connect_timeout",
        "read_timeout",
        "ca_bundle",
        "read_only",
        "region",
        "endpoint",
        "ascii",
        "color",
        "refresh",
        "quit",
        "journal",
        "colour",
    ]);
    let value = prop_oneof![
        any::<String>().prop_map(|s| format!("{s:?}")),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<bool>().prop_map(|b| b.to_string()),
        "\"[0-9]{1,12}(ms|s|m|h|d|w|x)\"",
        "\"(ctrl-|alt-)?[a-zA-Z0-9?/]{1,3}\"",
        any::<String>(),
    ];
    prop_oneof![
        (key, value).prop_map(|(k, v)| format!("{k} = {v}")),
        "\\[(profiles\\.[a-z]{1,6}|theme|keys|x)\\]",
        "#.*",
        any::<String>(),
    ]
}

#[test]
fn any_config_file_parses_or_names_its_line_and_the_fix() {
    let path = Path::new("/home/op/.config/ecsimg/config.toml");
    proptest!(props::config(256), |(lines in prop::collection::vec(config_line(), 0..12))| {
        let text = lines.join("\n");
        if let Err(e) = Config::parse(&text, path) {
            let shown = e.to_string();
            prop_assert!(shown.starts_with(path.to_str().unwrap()), "{}", shown);
            prop_assert!(!e.message.is_empty() && !e.fix.is_empty(), "{}", shown);
            if let Some(line) = e.line {
                prop_assert!(line >= 1 && line <= lines.len().max(1), "{} of {}", line, lines.len());
            }
        }
    });
}

fn entry(n: usize, id: Option<String>, outcome: Outcome) -> JournalEntry {
    JournalEntry {
        id,
        batch: None,
        time: format!("2026-05-01T10:{:02}:00Z", n % 60),
        settled_at: None,
        source: "cli".into(),
        profile: "demo".into(),
        region: "cn-hangzhou".into(),
        endpoint: "http://127.0.0.1:1/".into(),
        image_id: format!("m-{n}"),
        image_name: "镜像 \u{202e}web".into(),
        changes: vec![FieldChange {
            field: Field::Description,
            before: format!("before {n}"),
            after: format!("after {n}"),
        }],
        request_id: None,
        outcome,
    }
}

/// One line of a journal as it can be found: a change's intent, its settlement, a line of
/// an older version, or damage.
#[derive(Debug, Clone)]
enum Piece {
    Intent,
    /// Settles the intent this many back (if there is one).
    Settle(usize),
    Old,
    Garbage(String),
    /// A whole line cut short at this byte.
    Cut(usize),
}

fn piece() -> impl Strategy<Value = Piece> {
    prop_oneof![
        4 => Just(Piece::Intent),
        4 => (0usize..4).prop_map(Piece::Settle),
        1 => Just(Piece::Old),
        1 => any::<String>()
            .prop_filter("one line", |s| !s.contains('\n') && !s.trim().is_empty())
            .prop_map(Piece::Garbage),
        1 => (1usize..200).prop_map(Piece::Cut),
    ]
}

#[test]
fn a_damaged_journal_lists_every_whole_change_and_names_each_bad_line() {
    proptest!(props::config(128), |(pieces in prop::collection::vec(piece(), 0..40), cut_last in any::<bool>())| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.jsonl");
        let mut lines: Vec<Vec<u8>> = Vec::new();
        let mut good: Vec<JournalEntry> = Vec::new();
        let mut bad: Vec<usize> = Vec::new();
        let mut intents: Vec<JournalEntry> = Vec::new();
        for (n, piece) in pieces.iter().enumerate() {
            let line = match piece {
                Piece::Intent => {
                    let e = entry(n, Some(format!("e-{n}")), Outcome::Sending);
                    intents.push(e.clone());
                    good.push(e.clone());
                    serde_json::to_vec(&e).unwrap()
                }
                Piece::Settle(back) => {
                    let Some(intent) = intents.iter().rev().nth(*back) else { continue };
                    let e = intent.settled(Outcome::Applied { verified: true }, Some(format!("R-{n}")), "2026-05-01T11:00:00Z");
                    good.push(e.clone());
                    serde_json::to_vec(&e).unwrap()
                }
                Piece::Old => {
                    let e = entry(n, None, Outcome::Applied { verified: true });
                    good.push(e.clone());
                    serde_json::to_vec(&e).unwrap()
                }
                Piece::Garbage(text) => {
                    bad.push(lines.len() + 1);
                    text.clone().into_bytes()
                }
                Piece::Cut(at) => {
                    // Cut at a byte, maybe inside a character: what a full disk leaves.
                    let whole = serde_json::to_vec(&entry(n, Some(format!("cut-{n}")), Outcome::Sending)).unwrap();
                    bad.push(lines.len() + 1);
                    whole[..(*at).min(whole.len() - 1)].to_vec()
                }
            };
            lines.push(line);
        }
        let mut text = lines.join(&b'\n');
        if !text.is_empty() {
            text.push(b'\n');
        }
        let mut tail = None;
        if cut_last {
            // A last change whose write was cut off: no newline, half a line.
            let whole = serde_json::to_vec(&entry(999, Some("last".into()), Outcome::Sending)).unwrap();
            text.extend_from_slice(&whole[..whole.len() / 2]);
            tail = Some(lines.len() + 1);
        }
        std::fs::write(&path, &text).unwrap();
        bad.extend(tail);
        let journal = Journal::at(&path);
        let read = journal.read().unwrap();
        let named: Vec<usize> = read.damaged.iter().map(|d| d.line).collect();
        prop_assert_eq!(&named, &bad, "every bad line named by its number, no other");
        prop_assert_eq!(&read.entries, &fold(good.clone()));
        for d in &read.damaged {
            let said = journal.describe(d);
            let wanted = format!("journal.jsonl:{}: not a journal entry", d.line);
            prop_assert!(said.contains(&wanted), "{}", said);
        }
        // Undo finds each entry by its number, and the last one that may be in place.
        let numbered = || read.entries.iter().cloned().enumerate().map(|(i, e)| (i + 1, e));
        let total = read.entries.len();
        for n in 1..=total {
            match pick_entry(numbered(), total, Some(n)) {
                Ok((got, e)) => {
                    prop_assert_eq!(got, n);
                    prop_assert!(e.undoable());
                }
                Err(why) => prop_assert!(why.contains(&format!("#{n}")), "{}", why),
            }
        }
        let last = pick_entry(numbered(), total, None);
        prop_assert_eq!(last.is_ok(), read.entries.iter().any(JournalEntry::undoable));
        // The next append starts on a line of its own and reads back.
        let next = entry(5000, Some("next".into()), Outcome::Sending);
        journal.append(&next).unwrap();
        let after = journal.read().unwrap().entries;
        prop_assert_eq!(after.last(), Some(&next));
    });
}

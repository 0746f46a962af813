//! Writes a large journal for measuring how `ecsimg journal`, `undo` and the TUI's `J` read
//! it (RELIABILITY.md): `cargo run --release --example big_journal -- FILE [MEGABYTES]`.
//! Each change is two lines, its intent and its settlement, as ecsimg writes them; every
//! 50th is left unsettled (a killed process) and every 20th refused, over 500 images.

use std::io::{BufWriter, Write};

use ecsimg::change::{FieldChange, JournalEntry, Outcome};
use ecsimg::rules::Field;

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: big_journal FILE [MEGABYTES]");
    let megabytes: u64 = args.next().map_or(100, |m| m.parse().expect("a number"));
    let mut out = BufWriter::new(std::fs::File::create(&path).expect("create the file"));
    let (mut written, mut changes) = (0u64, 0u64);
    while written < megabytes * 1024 * 1024 {
        let n = changes;
        let intent = JournalEntry {
            id: Some(format!(
                "e-{n:012x}-{:08x}",
                n.wrapping_mul(2_654_435_761) as u32
            )),
            batch: None,
            time: format!(
                "2026-{:02}-{:02}T{:02}:{:02}:00Z",
                1 + n % 12,
                1 + n % 28,
                n % 24,
                n % 60
            ),
            settled_at: None,
            source: if n % 3 == 0 { "tui" } else { "cli" }.into(),
            profile: "prod".into(),
            region: "cn-hangzhou".into(),
            endpoint: "https://ecs.cn-hangzhou.aliyuncs.com/".into(),
            image_id: format!("m-bp1{:017}", n % 500),
            image_name: format!("web-base-2026-{:04}", n % 500),
            changes: vec![FieldChange {
                field: Field::Description,
                before: format!("weekly rebuild {n}"),
                after: format!("weekly rebuild {}", n + 1),
            }],
            request_id: None,
            outcome: Outcome::Sending,
        };
        let mut lines = vec![serde_json::to_string(&intent).unwrap()];
        if n % 50 != 49 {
            let outcome = if n % 20 == 19 {
                Outcome::Refused {
                    code: "InvalidDescription.Malformed".into(),
                    message: "The specified description is wrongly formed.".into(),
                }
            } else {
                Outcome::Applied { verified: true }
            };
            let request_id = format!("{:08X}-0000-4000-8000-{:012X}", n, n * 7);
            lines.push(
                serde_json::to_string(&intent.settled(
                    outcome,
                    Some(request_id),
                    "2026-06-01T00:00:01Z",
                ))
                .unwrap(),
            );
        }
        for line in lines {
            out.write_all(line.as_bytes()).unwrap();
            out.write_all(b"\n").unwrap();
            written += line.len() as u64 + 1;
        }
        changes += 1;
    }
    out.flush().unwrap();
    eprintln!("{path}: {changes} changes, {written} bytes");
}

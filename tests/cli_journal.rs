//! `ecsimg journal`: listing, filters and output formats over a journal written with the
//! library's own `Journal` (no ECS needed: the command reads only the local file).

mod cli_support;

use cli_support::Sandbox;
use ecsimg::change::Field;
use ecsimg::change::{FieldChange, JournalEntry, Outcome};
use ecsimg::store::Journal;
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};
use unicode_width::UnicodeWidthStr;

fn entry(id: &str, age: Duration, outcome: Outcome) -> JournalEntry {
    JournalEntry {
        id: None,
        batch: None,
        settled_at: None,
        time: (OffsetDateTime::now_utc() - age).format(&Rfc3339).unwrap(),
        source: "cli".into(),
        profile: "prod".into(),
        region: "cn-hangzhou".into(),
        endpoint: "https://ecs.cn-hangzhou.aliyuncs.com/".into(),
        image_id: id.into(),
        image_name: "生产环境镜像".into(),
        changes: vec![FieldChange {
            field: Field::ImageName,
            before: "生产环境镜像".into(),
            after: "生产环境镜像-已废弃".into(),
        }],
        request_id: Some(format!("REQ-{id}")),
        outcome,
    }
}

fn sandbox_with_journal() -> Sandbox {
    let sandbox = Sandbox::new();
    let journal = Journal::at(sandbox.journal_file(false));
    let ok = Outcome::Applied { verified: true };
    journal
        .append(&entry("m-old", Duration::days(10), ok.clone()))
        .unwrap();
    journal
        .append(&entry(
            "m-new",
            Duration::hours(1),
            Outcome::Failed {
                code: "InvalidImageName.Malformed".into(),
                message: "bad name".into(),
            },
        ))
        .unwrap();
    journal
        .append(&entry("m-old", Duration::minutes(5), ok))
        .unwrap();
    sandbox
}

#[test]
fn json_lists_every_entry_with_its_number() {
    let sandbox = sandbox_with_journal();
    let run = sandbox.run(&["journal", "--output", "json"]);
    run.expect_code(0);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let entries = doc["entries"].as_array().unwrap();
    let indices: Vec<u64> = entries
        .iter()
        .map(|e| e["index"].as_u64().unwrap())
        .collect();
    assert_eq!(indices, [1, 2, 3]);
    assert_eq!(entries[1]["outcome"]["result"], "failed");
    assert_eq!(entries[1]["outcome"]["code"], "InvalidImageName.Malformed");
    assert_eq!(entries[0]["changes"][0]["after"], "生产环境镜像-已废弃");
    assert_eq!(entries[0]["request_id"], "REQ-m-old");
    assert!(doc["path"].as_str().unwrap().ends_with("journal.jsonl"));
}

#[test]
fn filters_by_image_and_since_keep_the_numbers() {
    let sandbox = sandbox_with_journal();
    let run = sandbox.run(&["journal", "--image", "m-old", "--output", "ids"]);
    run.expect_code(0);
    assert_eq!(run.stdout.lines().collect::<Vec<_>>(), ["1", "3"]);
    let run = sandbox.run(&["journal", "--since", "2d", "--output", "ids"]);
    run.expect_code(0);
    assert_eq!(run.stdout.lines().collect::<Vec<_>>(), ["2", "3"]);
    let run = sandbox.run(&["journal", "--since", "last tuesday"]);
    run.expect_code(2);
    assert!(run.stderr.contains("--since"), "{}", run.stderr);
}

#[test]
fn the_table_fits_80_columns_with_chinese_names() {
    let sandbox = sandbox_with_journal();
    let mut cmd = sandbox.command(&["journal"]);
    cmd.env("COLUMNS", "80");
    let run = sandbox.run_with(cmd);
    run.expect_code(0);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{}", run.stdout);
    for line in &lines {
        assert!(line.width() <= 80, "{} wide: {line}", line.width());
    }
    assert!(lines[2].contains("failed"), "{}", run.stdout);
}

#[test]
fn an_empty_journal_is_not_an_error() {
    let sandbox = Sandbox::new();
    let run = sandbox.run(&["journal"]);
    run.expect_code(0);
    assert!(run.stderr.contains("no changes recorded"), "{}", run.stderr);
    let run = sandbox.run(&["journal", "--output", "json"]);
    run.expect_code(0);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(doc["entries"].as_array().unwrap().len(), 0);
}

#[test]
fn demo_changes_have_their_own_journal() {
    let sandbox = sandbox_with_journal();
    let run = sandbox.run(&["--demo", "journal", "--output", "ids"]);
    run.expect_code(0);
    assert_eq!(run.stdout, "");
}

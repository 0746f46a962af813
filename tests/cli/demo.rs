//! The subcommands end to end: the real binary with `--demo`, against the embedded
//! simulator. `ECSIMG_DEMO_STATE` (set by the sandbox) keeps the simulator's images in a
//! file, so a change made by one run is what the next run reads.

use std::collections::BTreeMap;

use crate::support::cli::{find, s, Sandbox};
use ecsimg::sim::{DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET};
use unicode_width::UnicodeWidthStr;

fn is_available(i: &serde_json::Value) -> bool {
    s(i, "status") == "Available"
}

fn has_wide_char(text: &str) -> bool {
    text.width() > text.chars().count()
}

/// An Available, unshared image (safe to rename or describe).
fn plain_image(images: &[serde_json::Value]) -> String {
    s(
        find(images, "Available unshared image", |i| {
            is_available(i) && !i["shared"].as_bool().unwrap()
        }),
        "id",
    )
    .to_string()
}

fn description_of(sandbox: &Sandbox, id: &str) -> String {
    s(&sandbox.demo_show(id)["image"], "description").to_string()
}

#[test]
fn list_as_json_ids_and_table() {
    let sandbox = Sandbox::new();
    let run = sandbox.demo(&["images", "list", "--output", "json"]);
    run.expect_code(0);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("json parses");
    let images = doc["images"].as_array().unwrap();
    assert_eq!(doc["count"].as_u64().unwrap() as usize, images.len());
    assert_eq!(doc["region"], "cn-hangzhou");
    assert!(
        images.len() > 100,
        "the demo has a few hundred images, not {}",
        images.len()
    );
    for key in [
        "id", "name", "status", "family", "created", "size_gib", "shared",
    ] {
        assert!(images[0].get(key).is_some(), "no {key} in {}", images[0]);
    }

    let ids = sandbox.demo(&["images", "list", "--output", "ids"]);
    ids.expect_code(0);
    let listed: Vec<&str> = ids.stdout.lines().collect();
    let from_json: Vec<&str> = images.iter().map(|i| s(i, "id")).collect();
    assert_eq!(
        listed, from_json,
        "ids: one a line, same images, same order"
    );

    let mut cmd = sandbox.command(&["--demo", "images", "list"]);
    cmd.env("COLUMNS", "80");
    let table = sandbox.run_with(cmd);
    table.expect_code(0);
    let lines: Vec<&str> = table.stdout.lines().collect();
    assert_eq!(
        lines.len(),
        images.len() + 1,
        "a header and one line per image"
    );
    for line in &lines {
        assert!(line.width() <= 80, "{} columns: {line}", line.width());
    }
    let chinese = find(images, "image with a Chinese name", |i| {
        has_wide_char(s(i, "name"))
    });
    let line = lines
        .iter()
        .find(|l| l.starts_with(s(chinese, "id")))
        .expect("the Chinese-named image is listed");
    let column_of = |line: &str, needle: &str| line[..line.find(needle).unwrap()].width();
    let status = s(chinese, "status");
    assert_eq!(
        column_of(line, &format!("  {status}")),
        column_of(lines[0], "  STATUS"),
        "STATUS is misaligned on the Chinese line:\n{}\n{line}",
        lines[0]
    );
    let name_start: String = s(chinese, "name").chars().take(2).collect();
    assert!(line.contains(&name_start), "{line}");
}

#[test]
fn list_filters_by_family_and_status() {
    let sandbox = Sandbox::new();
    let images = sandbox.demo_images();
    let family = s(
        find(&images, "image in a family", |i| !s(i, "family").is_empty()),
        "family",
    )
    .to_string();
    let run = sandbox.demo(&[
        "images",
        "list",
        "--family",
        &family,
        "--status",
        "Available",
        "--output",
        "json",
    ]);
    run.expect_code(0);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let filtered = doc["images"].as_array().unwrap();
    let expected = images
        .iter()
        .filter(|i| s(i, "family") == family && is_available(i))
        .count();
    assert_eq!(filtered.len(), expected);
    assert!(filtered
        .iter()
        .all(|i| s(i, "family") == family && is_available(i)));
}

#[test]
fn show_has_every_field_and_what_the_family_resolves_to() {
    let sandbox = Sandbox::new();
    let images = sandbox.demo_images();
    let member = find(&images, "Available image in a family", |i| {
        is_available(i) && !s(i, "family").is_empty()
    });
    let id = s(member, "id");
    let doc = sandbox.demo_show(id);
    assert_eq!(doc["image"]["id"], *id);
    assert_eq!(doc["image"]["name"], member["name"]);
    assert!(doc["image"]["tags"].is_object());
    assert!(doc["image"]["disks"].is_array());
    let family = &doc["family"];
    assert_eq!(family["name"], member["family"]);
    // The newest Available member, as ECS resolves a family.
    let newest = images
        .iter()
        .filter(|i| s(i, "family") == s(member, "family") && is_available(i))
        .max_by_key(|i| s(i, "created").to_string())
        .unwrap();
    assert_eq!(family["resolves_to"]["id"], newest["id"]);

    let text = sandbox.demo(&["images", "show", id]);
    text.expect_code(0);
    assert!(text.stdout.contains(id));
    assert!(text.stdout.contains("resolves to"), "{}", text.stdout);
    assert!(text.stdout.contains("Boot mode"), "{}", text.stdout);
}

#[test]
fn show_of_a_missing_image_is_an_api_error() {
    let sandbox = Sandbox::new();
    let run = sandbox.demo(&["images", "show", "m-doesnotexist000000"]);
    run.expect_code(3);
    assert!(
        run.stderr.contains("m-doesnotexist000000"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_valid_change_is_applied_verified_and_journaled() {
    let sandbox = Sandbox::new();
    let id = plain_image(&sandbox.demo_images());
    let run = sandbox.demo(&[
        "images",
        "modify",
        &id,
        "--description",
        "rebuilt 2026-05 with the new kernel",
        "--yes",
    ]);
    run.expect_code(0);
    assert!(run.stdout.contains("RequestId: "), "{}", run.stdout);
    assert!(run.stdout.contains("verified"), "{}", run.stdout);
    assert!(
        run.stdout.contains("→ rebuilt 2026-05"),
        "the diff: {}",
        run.stdout
    );

    assert_eq!(
        description_of(&sandbox, &id),
        "rebuilt 2026-05 with the new kernel"
    );
    let entries = sandbox.journal_entries(true);
    assert_eq!(entries.len(), 1, "{entries:?}");
    let entry = &entries[0];
    assert_eq!(entry["image_id"], *id);
    assert_eq!(entry["source"], "cli");
    assert_eq!(entry["profile"], "demo");
    assert_eq!(entry["outcome"]["result"], "applied");
    assert_eq!(entry["changes"][0]["field"], "Description");
    assert_eq!(
        entry["changes"][0]["after"],
        "rebuilt 2026-05 with the new kernel"
    );
    assert!(!sandbox
        .journal_lines(true)
        .iter()
        .any(|l| l.contains(DEMO_ACCESS_KEY_SECRET)));
}

#[test]
fn json_output_of_a_change() {
    let sandbox = Sandbox::new();
    let id = plain_image(&sandbox.demo_images());
    let run = sandbox.demo(&[
        "images",
        "modify",
        &id,
        "--name",
        "web-json-check",
        "--yes",
        "--output",
        "json",
    ]);
    run.expect_code(0);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("stdout is only JSON");
    assert_eq!(doc["image_id"], *id);
    assert_eq!(doc["verified"], true);
    assert_eq!(doc["dry_run"], false);
    assert!(!s(&doc, "request_id").is_empty());
    assert_eq!(doc["changes"][0]["after"], "web-json-check");
}

#[test]
fn invalid_input_lists_every_problem_with_its_code_and_sends_nothing() {
    let sandbox = Sandbox::new();
    let images = sandbox.demo_images();
    let id = plain_image(&images);
    let before = sandbox.demo_show(&id);
    let run = sandbox.demo(&[
        "images",
        "modify",
        &id,
        "--name",
        "1-starts-with-a-digit",
        "--boot-mode",
        "EFI",
        "--imds",
        "v3",
        "--yes",
    ]);
    run.expect_code(2);
    for code in [
        "InvalidImageName.Malformed",
        "InvalidBootMode.NotSupport",
        "InvalidParameter.FeaturesImdsSupport",
    ] {
        assert!(run.stderr.contains(code), "no {code} in:\n{}", run.stderr);
    }
    assert!(run.stderr.contains("3 problems"), "{}", run.stderr);
    assert_eq!(sandbox.demo_show(&id), before, "nothing changed");
    assert!(
        sandbox.journal_lines(true).is_empty(),
        "a refused change is not journaled"
    );
}

#[test]
fn unchanged_values_are_no_changes() {
    let sandbox = Sandbox::new();
    let images = sandbox.demo_images();
    let image = find(&images, "Available unshared image", |i| {
        is_available(i) && !i["shared"].as_bool().unwrap()
    });
    let run = sandbox.demo(&[
        "images",
        "modify",
        s(image, "id"),
        "--name",
        s(image, "name"),
        "--yes",
    ]);
    run.expect_code(0);
    assert!(run.stdout.contains("no changes"), "{}", run.stdout);
    // With JSON on stdout the words go to stderr, so a script's parser sees no text.
    let run = sandbox.demo(&[
        "images",
        "modify",
        s(image, "id"),
        "--name",
        s(image, "name"),
        "--yes",
        "--output",
        "json",
    ]);
    run.expect_code(0);
    assert_eq!(run.stdout, "");
    assert!(run.stderr.contains("no changes"), "{}", run.stderr);
    assert!(sandbox.journal_lines(true).is_empty());
}

#[test]
fn without_a_terminal_and_without_yes_the_change_is_refused() {
    let sandbox = Sandbox::new();
    let id = plain_image(&sandbox.demo_images());
    let before = description_of(&sandbox, &id);
    let run = sandbox.demo(&["images", "modify", &id, "--description", "should not land"]);
    run.expect_code(6);
    assert!(run.stderr.contains("--yes"), "{}", run.stderr);
    assert_eq!(description_of(&sandbox, &id), before);
    assert!(sandbox.journal_lines(true).is_empty());
}

#[test]
fn dry_run_prints_the_signed_request_without_any_secret_and_sends_nothing() {
    let sandbox = Sandbox::new();
    let id = plain_image(&sandbox.demo_images());
    let before = sandbox.demo_show(&id);
    // Read-only does not stop a dry run.
    let run = sandbox.demo(&[
        "--read-only",
        "images",
        "modify",
        &id,
        "--name",
        "web-dry-run",
        "--dry-run",
    ]);
    run.expect_code(0);
    let out = run.all();
    assert!(out.contains("Action=ModifyImageAttribute"), "{out}");
    assert!(out.contains(&format!("ImageId={id}")), "{out}");
    assert!(out.contains("ImageName=web-dry-run"), "{out}");
    assert!(out.contains("Signature="), "{out}");
    assert!(out.contains("SignatureNonce="), "{out}");
    assert!(out.contains("http://127.0.0.1:"), "the endpoint: {out}");
    assert!(
        !out.contains(DEMO_ACCESS_KEY_SECRET),
        "the secret leaked:\n{out}"
    );
    assert!(
        !out.contains(DEMO_ACCESS_KEY_ID),
        "the full AccessKeyId leaked:\n{out}"
    );
    assert!(out.contains("AccessKeyId=LTAI****"), "{out}");
    assert_eq!(sandbox.demo_show(&id), before, "a dry run sends nothing");
    assert!(sandbox.journal_lines(true).is_empty());
}

#[test]
fn api_dry_run_reports_dry_run_operation_as_success() {
    let sandbox = Sandbox::new();
    let id = plain_image(&sandbox.demo_images());
    let before = sandbox.demo_show(&id);
    let run = sandbox.demo(&[
        "images",
        "modify",
        &id,
        "--description",
        "checked by ECS only",
        "--api-dry-run",
    ]);
    run.expect_code(0);
    assert!(run.stdout.contains("DryRunOperation"), "{}", run.stdout);
    assert_eq!(sandbox.demo_show(&id), before);
}

#[test]
fn read_only_refuses_changes_from_the_flag_and_from_the_config() {
    let sandbox = Sandbox::new();
    let id = plain_image(&sandbox.demo_images());
    let before = description_of(&sandbox, &id);
    let run = sandbox.demo(&[
        "--read-only",
        "images",
        "modify",
        &id,
        "--description",
        "not in read-only",
        "--yes",
    ]);
    run.expect_code(6);
    assert!(run.stderr.contains("read-only"), "{}", run.stderr);

    sandbox.write_config("[profiles.demo]\nread_only = true\n");
    let run = sandbox.demo(&[
        "images",
        "modify",
        &id,
        "--description",
        "not in read-only",
        "--yes",
    ]);
    run.expect_code(6);
    assert!(run.stderr.contains("read-only"), "{}", run.stderr);

    assert_eq!(description_of(&sandbox, &id), before);
    assert!(sandbox.journal_lines(true).is_empty());
}

#[test]
fn undo_puts_the_previous_values_back() {
    let sandbox = Sandbox::new();
    let id = plain_image(&sandbox.demo_images());
    let original = sandbox.demo_show(&id)["image"].clone();
    sandbox
        .demo(&[
            "images",
            "modify",
            &id,
            "--name",
            "web-undo-me",
            "--description",
            "to be undone",
            "--yes",
        ])
        .expect_code(0);
    assert_eq!(description_of(&sandbox, &id), "to be undone");

    // Not without a terminal or --yes.
    sandbox.demo(&["undo"]).expect_code(6);

    let run = sandbox.demo(&["undo", "--yes"]);
    run.expect_code(0);
    assert!(run.stdout.contains("Undo #1"), "{}", run.stdout);
    let now = sandbox.demo_show(&id)["image"].clone();
    assert_eq!(now["name"], original["name"]);
    assert_eq!(now["description"], original["description"]);
    let entries = sandbox.journal_entries(true);
    assert_eq!(entries.len(), 2, "the undo is journaled too: {entries:?}");
}

#[test]
fn undo_warns_when_the_image_changed_since() {
    let sandbox = Sandbox::new();
    let id = plain_image(&sandbox.demo_images());
    let original = description_of(&sandbox, &id);
    sandbox
        .demo(&[
            "images",
            "modify",
            &id,
            "--description",
            "first change",
            "--yes",
        ])
        .expect_code(0);
    sandbox
        .demo(&[
            "images",
            "modify",
            &id,
            "--description",
            "someone else",
            "--yes",
        ])
        .expect_code(0);
    let run = sandbox.demo(&["undo", "1", "--yes"]);
    run.expect_code(0);
    assert!(run.stdout.contains("changed since #1"), "{}", run.stdout);
    assert!(run.stdout.contains("someone else"), "{}", run.stdout);
    assert_eq!(description_of(&sandbox, &id), original);
}

#[test]
fn undo_goes_to_the_region_where_the_change_was_made() {
    let sandbox = Sandbox::new();
    let list = sandbox.demo(&[
        "--region",
        "cn-shanghai",
        "images",
        "list",
        "--output",
        "json",
    ]);
    list.expect_code(0);
    let doc: serde_json::Value = serde_json::from_str(&list.stdout).unwrap();
    let images = doc["images"].as_array().unwrap();
    let id = plain_image(images);
    let description = |sandbox: &Sandbox| {
        let run = sandbox.demo(&[
            "--region",
            "cn-shanghai",
            "images",
            "show",
            &id,
            "--output",
            "json",
        ]);
        run.expect_code(0);
        let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        s(&doc["image"], "description").to_string()
    };
    let original = description(&sandbox);
    sandbox
        .demo(&[
            "--region",
            "cn-shanghai",
            "images",
            "modify",
            &id,
            "--description",
            "made in shanghai",
            "--yes",
        ])
        .expect_code(0);
    // This run opens in the default region (cn-hangzhou).
    let run = sandbox.demo(&["undo", "--yes"]);
    run.expect_code(0);
    assert!(run.stdout.contains("in cn-shanghai"), "{}", run.stdout);
    assert_eq!(description(&sandbox), original);
}

#[test]
fn undo_of_a_missing_entry_is_invalid_input() {
    let sandbox = Sandbox::new();
    let run = sandbox.demo(&["undo", "7", "--yes"]);
    run.expect_code(2);
    assert!(run.stderr.contains("#7"), "{}", run.stderr);
}

#[test]
fn journal_lists_cli_changes() {
    let sandbox = Sandbox::new();
    let id = plain_image(&sandbox.demo_images());
    sandbox
        .demo(&[
            "images",
            "modify",
            &id,
            "--description",
            "journal me",
            "--yes",
        ])
        .expect_code(0);
    let run = sandbox.demo(&["journal", "--image", &id, "--output", "json"]);
    run.expect_code(0);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(doc["entries"].as_array().unwrap().len(), 1);
    assert_eq!(doc["entries"][0]["index"], 1);
    // The real journal is untouched by demo changes.
    assert!(sandbox.journal_lines(false).is_empty());
}

/// Families and their Available members, from the list.
fn families(images: &[serde_json::Value]) -> BTreeMap<String, Vec<&serde_json::Value>> {
    let mut out: BTreeMap<String, Vec<&serde_json::Value>> = BTreeMap::new();
    for i in images {
        if !s(i, "family").is_empty() && is_available(i) {
            out.entry(s(i, "family").to_string()).or_default().push(i);
        }
    }
    out
}

#[test]
fn deprecating_the_latest_shows_the_rollback_in_the_tuis_words() {
    let sandbox = Sandbox::new();
    let images = sandbox.demo_images();
    let families = families(&images);
    let (_, members) = families
        .iter()
        .find(|(_, m)| m.len() >= 2 && m.iter().all(|i| !i["shared"].as_bool().unwrap()))
        .expect("a family with two Available unshared images");
    let latest = members
        .iter()
        .max_by_key(|i| s(i, "created").to_string())
        .unwrap();
    let run = sandbox.demo(&[
        "images",
        "modify",
        s(latest, "id"),
        "--status",
        "Deprecated",
        "--dry-run",
    ]);
    run.expect_code(0);
    assert!(run.stdout.contains("This is a rollback"), "{}", run.stdout);
    assert!(
        run.stdout.contains("Available → Deprecated"),
        "{}",
        run.stdout
    );
}

#[test]
fn emptying_a_family_needs_force_with_yes() {
    let sandbox = Sandbox::new();
    let id = plain_image(&sandbox.demo_images());
    // A family of one: move the image into a family of its own first.
    sandbox
        .demo(&[
            "images",
            "modify",
            &id,
            "--family",
            "cli-test-solo",
            "--yes",
        ])
        .expect_code(0);
    let run = sandbox.demo(&["images", "modify", &id, "--status", "Deprecated", "--yes"]);
    run.expect_code(6);
    assert!(
        run.stderr.contains("--force-empty-family"),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout
            .contains("only Available image of family cli-test-solo"),
        "{}",
        run.stdout
    );
    assert_eq!(s(&sandbox.demo_show(&id)["image"], "status"), "Available");

    sandbox
        .demo(&[
            "images",
            "modify",
            &id,
            "--status",
            "Deprecated",
            "--yes",
            "--force-empty-family",
        ])
        .expect_code(0);
    let shown = sandbox.demo_show(&id);
    assert_eq!(s(&shown["image"], "status"), "Deprecated");
    assert!(shown["family"]["resolves_to"].is_null());
}

#[test]
fn regions_in_each_format() {
    let sandbox = Sandbox::new();
    let run = sandbox.demo(&["regions", "--output", "json"]);
    run.expect_code(0);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let regions = doc["regions"].as_array().unwrap();
    assert!(regions.iter().any(|r| r["id"] == "cn-hangzhou"), "{doc}");
    let ids = sandbox.demo(&["regions", "--output", "ids"]);
    ids.expect_code(0);
    assert_eq!(ids.stdout.lines().count(), regions.len());
    let table = sandbox.demo(&["regions"]);
    table.expect_code(0);
    assert!(table.stdout.starts_with("REGION"), "{}", table.stdout);
}

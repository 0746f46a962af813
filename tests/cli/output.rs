//! What a person and a script read: the images table at 80 columns (the name first, by
//! display width), the error document of `--output json`, the values completions offer,
//! and subcommand help that keeps the global options to `ecsimg --help`.

use unicode_width::UnicodeWidthStr;

use crate::support::cli::Sandbox;

/// The display column where `needle` starts on `line`.
fn column_of(line: &str, needle: &str) -> Option<usize> {
    line.find(needle).map(|i| line[..i].width())
}

#[test]
fn narrower_than_80_the_family_goes_before_the_name_is_cut_unreadable() {
    let sandbox = Sandbox::new();
    let mut cmd = sandbox.command(&["--demo", "images", "list"]);
    cmd.env("COLUMNS", "70");
    let run = sandbox.run_with(cmd);
    run.expect_code(0);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(lines.iter().all(|l| l.width() <= 70), "{}", run.stdout);
    assert!(!lines[0].contains("FAMILY"), "{}", lines[0]);
    for name in ["ci-nightly-20250626", "ci-nightly-20250625"] {
        assert!(
            lines.iter().any(|l| l.contains(name)),
            "{name} is cut while a family column stays:\n{}",
            run.stdout
        );
    }
}

#[test]
fn at_80_columns_the_name_is_whole_before_anything_else_is() {
    let sandbox = Sandbox::new();
    let mut cmd = sandbox.command(&["--demo", "images", "list"]);
    cmd.env("COLUMNS", "80");
    let run = sandbox.run_with(cmd);
    run.expect_code(0);
    let lines: Vec<&str> = run.stdout.lines().collect();
    for line in &lines {
        assert!(line.width() <= 80, "{} wide: {line:?}", line.width());
    }
    // Two images of a family that differ only at the end are told apart.
    for name in [
        "ci-nightly-20250626",
        "ci-nightly-20250625",
        "生产环境-订单服务-v3",
    ] {
        assert!(
            lines.iter().any(|l| l.contains(name)),
            "{name} is cut:\n{}",
            run.stdout
        );
    }
    // A name too long for any column is cut in the middle: its start and its end show.
    let long = lines
        .iter()
        .find(|l| l.starts_with("m-bp1longname12800001"))
        .expect("the 128-character name's row");
    assert!(long.contains('…'), "{long}");
    // The status column lines up on the Chinese row as on the others (display width).
    let header = lines[0];
    let status = column_of(header, "STATUS").expect("a STATUS column");
    let chinese = lines
        .iter()
        .find(|l| l.contains("生产环境-订单服务-v3"))
        .unwrap();
    assert_eq!(column_of(chinese, "Available"), Some(status), "{chinese}");
    // The columns that gave way: size and OS went, the family was shortened.
    assert!(!header.contains("OS"), "{header}");
    assert!(
        lines.iter().any(|l| l.contains("ci-ni…")),
        "the family gives way before the name:\n{}",
        run.stdout
    );
    // With room for everything, nothing is cut.
    let mut cmd = sandbox.command(&["--demo", "images", "list"]);
    cmd.env("COLUMNS", "300");
    let wide = sandbox.run_with(cmd);
    let header = wide.stdout.lines().next().unwrap();
    for column in ["ID", "NAME", "STATUS", "FAMILY", "CREATED", "SIZE", "OS"] {
        assert!(header.contains(column), "{header}");
    }
    assert!(!wide.stdout.contains('…'), "{}", wide.stdout);
}

fn error_document(run: &crate::support::cli::Run) -> serde_json::Value {
    let doc: serde_json::Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", run.stdout));
    let error = doc["error"].clone();
    for key in [
        "code",
        "message",
        "request_id",
        "recommend",
        "kind",
        "exit_code",
    ] {
        assert!(error.get(key).is_some(), "{key} missing: {doc}");
    }
    assert_eq!(error["exit_code"], run.code, "{doc}");
    error
}

#[test]
fn with_output_json_an_error_is_a_document_on_stdout() {
    let sandbox = Sandbox::new();
    let run = sandbox.demo(&["images", "show", "m-nosuchimage", "--output", "json"]);
    run.expect_code(3);
    let error = error_document(&run);
    assert_eq!(error["code"], "InvalidImageId.NotFound");
    assert_eq!(error["kind"], "not_found");
    assert!(
        run.stderr.contains("InvalidImageId.NotFound"),
        "the person still reads it on stderr: {}",
        run.stderr
    );

    // Refused before sending: every problem, each with the code ECS would answer.
    let run = sandbox.demo(&[
        "images",
        "modify",
        "m-bp1armworker0000001",
        "--name",
        "1bad",
        "--description",
        "x",
        "--output",
        "json",
    ]);
    run.expect_code(2);
    let error = error_document(&run);
    assert_eq!(error["kind"], "invalid_input");
    assert_eq!(error["code"], "InvalidImageName.Malformed");
    let codes: Vec<&str> = error["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        ["InvalidImageName.Malformed", "InvalidDescription.Malformed"]
    );

    // Read-only is a refusal, exit 6.
    let run = sandbox.demo(&[
        "--read-only",
        "images",
        "modify",
        "m-bp1armworker0000001",
        "--name",
        "arm-build-runner-2",
        "--yes",
        "--output",
        "json",
    ]);
    run.expect_code(6);
    assert_eq!(error_document(&run)["kind"], "refused");

    // A command line clap refuses, when it asked for JSON.
    let run = sandbox.run(&["images", "list", "--statuss", "x", "--output", "json"]);
    run.expect_code(2);
    assert_eq!(error_document(&run)["kind"], "invalid_input");
}

#[test]
fn an_ecs_error_document_carries_the_request_id_and_link() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let sim = runtime
        .block_on(ecsimg::sim::start(ecsimg::sim::SimConfig::demo()))
        .expect("the simulator starts");
    let sandbox = Sandbox::new();
    let endpoint = sim.endpoint();
    let mut cmd = sandbox.command(&[
        "images",
        "list",
        "--region",
        ecsimg::sim::DEMO_REGION,
        "--endpoint",
        &endpoint,
        "--output",
        "json",
    ]);
    // The right key with a wrong secret: ECS answers SignatureDoesNotMatch.
    cmd.env(
        "ALIBABA_CLOUD_ACCESS_KEY_ID",
        &ecsimg::sim::demo_access_key().id,
    )
    .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "not-the-secret");
    let run = sandbox.run_with(cmd);
    run.expect_code(5);
    let error = error_document(&run);
    assert_eq!(error["code"], "SignatureDoesNotMatch");
    assert_eq!(error["kind"], "auth");
    assert!(
        error["request_id"].as_str().is_some_and(|r| !r.is_empty()),
        "{error}"
    );
    assert!(
        error["recommend"]
            .as_str()
            .is_some_and(|l| l.starts_with("https://")),
        "{error}"
    );
    assert!(!run.stdout.contains("not-the-secret"), "{}", run.stdout);
}

#[test]
fn completions_offer_the_values_of_enumerated_flags() {
    let sandbox = Sandbox::new();
    let bash = sandbox.run(&["completions", "bash"]).stdout;
    // The cases of one flag in the script (one per subcommand that takes it): what it
    // completes to.
    let case = |flag: &str| -> Vec<String> {
        bash.split(&format!("{flag})"))
            .skip(1)
            .map(|rest| rest.split(";;").next().unwrap_or_default().to_string())
            .collect()
    };
    for (flag, values) in [
        ("--status", "Available Deprecated"),
        ("--output", "table json ids"),
        ("--endpoint-type", "public vpc"),
        ("--boot-mode", "BIOS UEFI UEFI-Preferred"),
        ("--imds", "v1 v2"),
        ("--nvme", "supported unsupported"),
    ] {
        let cases = case(flag);
        assert!(!cases.is_empty(), "{flag} is not in the script");
        for line in &cases {
            assert!(line.contains(values), "{flag}: {line}");
            assert!(!line.contains("compgen -f"), "{flag} offers files: {line}");
        }
    }
    // `images list --status` offers every status it takes.
    assert!(
        case("--status")
            .iter()
            .any(|l| l.contains("Available Deprecated Creating Waiting UnAvailable CreateFailed")),
        "{:?}",
        case("--status")
    );
    // Names, IDs and regions are no files either; the config and log file are.
    for flag in ["--region", "--profile", "--name", "--family"] {
        for line in case(flag) {
            assert!(!line.contains("compgen -f"), "{flag} offers files: {line}");
        }
    }
    assert!(
        case("--config").iter().all(|l| l.contains("compgen -f")),
        "{:?}",
        case("--config")
    );
    let zsh = sandbox.run(&["completions", "zsh"]).stdout;
    assert!(zsh.contains(":(v1 v2)"), "zsh: --imds values");
    let fish = sandbox.run(&["completions", "fish"]).stdout;
    assert!(
        fish.contains("-l imds") && fish.contains("v1"),
        "fish: --imds values"
    );
}

#[test]
fn a_subcommand_help_keeps_the_global_options_to_the_top_help() {
    let sandbox = Sandbox::new();
    let top = sandbox.run(&["--help"]).stdout;
    for flag in [
        "--read-timeout",
        "--endpoint-type",
        "--log-file",
        "--profile",
    ] {
        assert!(top.contains(flag), "ecsimg --help lacks {flag}");
    }
    for args in [
        &["images", "list", "--help"][..],
        &["images", "modify", "--help"],
        &["journal", "--help"],
        &["undo", "--help"],
    ] {
        let help = sandbox.run(args);
        help.expect_code(0);
        for flag in ["--read-timeout", "--endpoint-type", "--log-file", "--mouse"] {
            assert!(!help.stdout.contains(flag), "{args:?} repeats {flag}");
        }
        let pointers: Vec<&str> = help
            .stdout
            .lines()
            .filter(|l| l.contains("ecsimg --help"))
            .collect();
        assert_eq!(pointers.len(), 1, "{args:?}:\n{}", help.stdout);
        assert!(pointers[0].starts_with("Global options"), "{}", pointers[0]);
    }
    // They are still taken after the subcommand.
    let run = sandbox.demo(&["images", "list", "--output", "ids", "--read-timeout", "10s"]);
    run.expect_code(0);
    assert!(
        run.stdout.lines().all(|l| l.starts_with("m-")),
        "{}",
        run.stdout
    );
}

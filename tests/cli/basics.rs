//! The binary without an ECS behind it: help, completions, the config file, and the
//! errors that come before any request.

use crate::support::cli::Sandbox;

#[test]
fn help_lists_examples_and_exit_codes() {
    let sandbox = Sandbox::new();
    let top = sandbox.run(&["--help"]);
    top.expect_code(0);
    assert!(top.stdout.contains("Examples:"), "{}", top.stdout);
    for code in [
        "0  ok",
        "2  invalid input",
        "3  ECS answered",
        "4  network",
        "5  credentials",
        "6  refused",
    ] {
        assert!(
            top.stdout.contains(code),
            "--help lacks {code:?}:\n{}",
            top.stdout
        );
    }
    let modify = sandbox.run(&["images", "modify", "--help"]);
    modify.expect_code(0);
    assert!(modify.stdout.contains("--dry-run"), "{}", modify.stdout);
    assert!(
        modify.stdout.contains("ecsimg images modify m-"),
        "{}",
        modify.stdout
    );
    assert!(modify.stdout.contains("6  refused"), "{}", modify.stdout);
    // The rename placeholders are printed as they are typed, {n} included.
    assert!(
        modify.stdout.contains("\"{family}-{date}-{n}\" --yes"),
        "{}",
        modify.stdout
    );
    assert!(
        modify.stdout.contains("and {n} (1, 2,"),
        "{}",
        modify.stdout
    );
    let list = sandbox.run(&["images", "list", "--help"]);
    assert!(list.stdout.contains("JSON shape"), "{}", list.stdout);
}

#[test]
fn no_flag_takes_a_secret() {
    let sandbox = Sandbox::new();
    let help = sandbox.run(&["--help"]).stdout.to_lowercase();
    for word in ["--secret", "--access-key", "--token", "--password"] {
        assert!(!help.contains(word), "--help offers {word}");
    }
}

#[test]
fn completions_for_each_shell() {
    let sandbox = Sandbox::new();
    for shell in ["bash", "zsh", "fish"] {
        let run = sandbox.run(&["completions", shell]);
        run.expect_code(0);
        assert!(run.stdout.contains("ecsimg"), "{shell}: {}", run.stdout);
        assert!(
            run.stdout.contains("modify"),
            "{shell} completes no subcommand"
        );
        assert!(run.stdout.len() > 500, "{shell}: suspiciously short");
    }
    sandbox.run(&["completions", "tcsh"]).expect_code(2);
}

#[test]
fn a_bad_config_file_names_the_file_the_line_and_the_fix() {
    let sandbox = Sandbox::new();
    sandbox.write_config("default_region = \"cn-hangzhou\"\n\n[profiles.prod]\nread_onyl = true\n");
    let run = sandbox.run(&["--demo", "images", "list"]);
    run.expect_code(2);
    let where_ = format!("{}:4", sandbox.config_file().display());
    assert!(
        run.stderr.contains(&where_),
        "no {where_} in:\n{}",
        run.stderr
    );
    assert!(run.stderr.contains("read_onyl"), "{}", run.stderr);
    assert!(
        run.stderr.contains("did you mean `read_only`"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_bad_value_in_the_config_says_how_to_write_it() {
    let sandbox = Sandbox::new();
    sandbox.write_config("[theme]\nascii = \"yes\"\n");
    let run = sandbox.run(&["regions"]);
    run.expect_code(2);
    assert!(run.stderr.contains("config.toml:2"), "{}", run.stderr);
    assert!(run.stderr.contains("true or false"), "{}", run.stderr);
}

#[test]
fn a_missing_config_is_fine_but_a_missing_explicit_one_is_not() {
    let sandbox = Sandbox::new();
    // No config file at all: the command gets as far as credentials.
    let run = sandbox.run(&["regions"]);
    run.expect_code(5);
    let missing = sandbox.path().join("nope.toml");
    let run = sandbox.run(&["--config", missing.to_str().unwrap(), "regions"]);
    run.expect_code(2);
    assert!(run.stderr.contains("nope.toml"), "{}", run.stderr);
}

#[test]
fn no_credentials_is_exit_5_and_says_what_to_do() {
    let sandbox = Sandbox::new();
    let run = sandbox.run(&["images", "list"]);
    run.expect_code(5);
    assert!(
        run.stderr.contains("ALIBABA_CLOUD_ACCESS_KEY_ID"),
        "{}",
        run.stderr
    );
}

#[test]
fn no_region_is_invalid_input() {
    let sandbox = Sandbox::new();
    let mut cmd = sandbox.command(&["images", "list"]);
    cmd.env("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI5tTestKeyId000001")
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "not-a-real-secret");
    let run = sandbox.run_with(cmd);
    run.expect_code(2);
    assert!(run.stderr.contains("--region"), "{}", run.stderr);
    assert!(!run.all().contains("not-a-real-secret"));
}

#[test]
fn bad_flags_are_invalid_input() {
    let sandbox = Sandbox::new();
    sandbox
        .run(&["images", "list", "--output", "yaml"])
        .expect_code(2);
    sandbox
        .run(&["--read-timeout", "soon", "regions"])
        .expect_code(2);
    // A zero timeout would fail every request at once: the flag refuses it as the config
    // file does.
    for flag in ["--read-timeout", "--connect-timeout"] {
        let run = sandbox.run(&["--demo", flag, "0", "regions"]);
        run.expect_code(2);
        assert!(run.stderr.contains("zero"), "{flag}: {}", run.stderr);
    }
    let run = sandbox.run(&["--demo", "images", "list", "--status", "Availble"]);
    run.expect_code(2);
    assert!(run.stderr.contains("Available"), "{}", run.stderr);
    sandbox.write_config("read_timeout = \"0s\"\n");
    let run = sandbox.run(&["--demo", "regions"]);
    run.expect_code(2);
    assert!(run.stderr.contains("config.toml:1"), "{}", run.stderr);
}

#[test]
fn demo_refuses_an_endpoint_or_profile_it_would_ignore() {
    let sandbox = Sandbox::new();
    for extra in [["--endpoint", "http://127.0.0.1:1/"], ["--profile", "prod"]] {
        let run = sandbox.run(&["--demo", extra[0], extra[1], "regions"]);
        run.expect_code(2);
        assert!(
            run.stderr
                .contains("--demo uses its own embedded simulator"),
            "{}",
            run.all()
        );
    }
}

#[test]
fn plain_http_off_loopback_is_refused_before_any_request() {
    let sandbox = Sandbox::new();
    let mut cmd = sandbox.command(&[
        "--endpoint",
        "http://ecs.example.invalid/",
        "--region",
        "cn-hangzhou",
        "regions",
    ]);
    cmd.env("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI5tSomeKeyId0001")
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "some-secret-value");
    let run = sandbox.run_with(cmd);
    assert_ne!(run.code, 0, "{}", run.all());
    assert!(
        run.all().contains("only allowed for loopback"),
        "{}",
        run.all()
    );
    assert!(!run.all().contains("some-secret-value"), "{}", run.all());
}

/// A listener on loopback that tells whether anything connected to it.
struct Witness {
    listener: std::net::TcpListener,
}

impl Witness {
    fn new() -> Witness {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        Witness { listener }
    }

    fn port(&self) -> u16 {
        self.listener.local_addr().unwrap().port()
    }

    /// Whether a connection is waiting (the kernel completes the handshake without us).
    fn saw_a_connection(&self) -> bool {
        self.listener.accept().is_ok()
    }
}

fn with_sts_key(
    sandbox: &Sandbox,
    args: &[&str],
    env: &[(&str, &str)],
) -> crate::support::cli::Run {
    let mut cmd = sandbox.command(args);
    cmd.env("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI5tTrickTest00001")
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "trick-secret-value")
        .env("ALIBABA_CLOUD_SECURITY_TOKEN", "trick-sts-token-value");
    for (k, v) in env {
        cmd.env(k, v);
    }
    sandbox.run_with(cmd)
}

#[test]
fn endpoint_tricks_are_refused_before_any_connection() {
    let sandbox = Sandbox::new();
    let witness = Witness::new();
    let port = witness.port();
    for endpoint in [
        // Each of these reaches 127.0.0.1:PORT through a URL parser (a host written as one
        // number, a backslash read as `/`, userinfo): a check that read the text otherwise
        // sent the signed request and the token there.
        format!(r"http://2130706433:{port}\@127.0.0.1/"),
        format!(r"http://localhost:{port}\@127.0.0.1/"),
        format!("http://user:pass@127.0.0.1:{port}/"),
        format!("http://2130706433:{port}/"),
    ] {
        let run = with_sts_key(
            &sandbox,
            &[
                "--endpoint",
                &endpoint,
                "--region",
                "cn-hangzhou",
                "regions",
            ],
            &[],
        );
        run.expect_code(2);
        assert!(
            run.stderr.contains("InvalidEndpoint"),
            "{endpoint}: {}",
            run.stderr
        );
        assert!(!witness.saw_a_connection(), "{endpoint} connected");
        assert!(
            !run.all().contains("trick-sts-token-value"),
            "{}",
            run.all()
        );
        assert!(!run.all().contains("pass@"), "{}", run.all());
    }
}

#[test]
fn a_region_is_checked_wherever_it_comes_from_before_any_url_is_built() {
    let sandbox = Sandbox::new();
    let witness = Witness::new();
    // https://ecs.x@127.0.0.1:PORT/#.aliyuncs.com/ would connect to the witness.
    let trick = format!("x@127.0.0.1:{}/#", witness.port());
    let flag = with_sts_key(&sandbox, &["--region", &trick, "regions"], &[]);
    let env = with_sts_key(
        &sandbox,
        &["regions"],
        &[("ALIBABA_CLOUD_REGION_ID", &trick)],
    );
    sandbox.write_config(&format!("default_region = {trick:?}\n"));
    let config = with_sts_key(&sandbox, &["regions"], &[]);
    for (origin, run) in [
        ("--region", &flag),
        ("ALIBABA_CLOUD_REGION_ID", &env),
        ("default_region", &config),
    ] {
        run.expect_code(2);
        assert!(run.stderr.contains(origin), "{origin}: {}", run.stderr);
        assert!(run.stderr.contains("cn-hangzhou"), "{}", run.stderr);
        assert!(
            !witness.saw_a_connection(),
            "the region from {origin} connected"
        );
    }
    let demo = sandbox.run(&["--demo", "--region", "cn hangzhou", "regions"]);
    demo.expect_code(2);
    assert!(demo.stderr.contains("--region"), "{}", demo.stderr);
}

#[test]
fn local_input_errors_are_exit_2_with_what_is_wrong_never_a_builder_error() {
    let sandbox = Sandbox::new();
    let huge = "a".repeat(100_000);
    let at = |endpoint: &'static str, rest: &[&'static str]| -> Vec<String> {
        let mut args = vec!["--endpoint", endpoint, "--region", "cn-hangzhou"];
        args.extend_from_slice(rest);
        args.into_iter().map(str::to_string).collect()
    };
    let local = "http://127.0.0.1:1/";
    let with_huge = |mut args: Vec<String>| {
        args.push(huge.clone());
        args
    };
    for (args, says) in [
        (at("http://127.0.0.1:99999/", &["regions"]), "invalid port"),
        (
            at("javascript:alert(1)", &["regions"]),
            "unsupported scheme javascript",
        ),
        (
            vec!["--region".to_string(), huge.clone(), "regions".to_string()],
            "100000 characters",
        ),
        (
            with_huge(at(local, &["images", "show"])),
            "ImageId is 100000 characters",
        ),
        (
            with_huge(at(local, &["images", "list", "--family"])),
            "ImageFamily is 100000 characters",
        ),
    ] {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = with_sts_key(&sandbox, &args, &[]);
        run.expect_code(2);
        assert!(run.stderr.contains(says), "{says}: {}", run.stderr);
        assert!(!run.stderr.contains("builder error"), "{}", run.stderr);
        assert!(
            run.stderr.len() < 2_000,
            "the error repeats the input: {}",
            run.stderr.len()
        );
    }
}

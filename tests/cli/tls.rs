//! The binary behind a TLS-inspecting proxy: its private CA is refused with the words and
//! the exit code the README gives, and trusted through `--ca-bundle`, the config file's
//! `ca_bundle`, `SSL_CERT_FILE` or `SSL_CERT_DIR`; a file that is not a CA bundle is exit 2
//! with where it was named and the fix.

use crate::support::cli::{Run, Sandbox};
use crate::support::tls::{backend_of, Front, Leaf};

/// `images list` over the front, with the demo key in the environment and `env` added.
fn list(sandbox: &Sandbox, front: &Front, extra: &[&str], env: &[(&str, &str)]) -> Run {
    let endpoint = front.endpoint();
    let mut args = vec![
        "--endpoint",
        endpoint.as_str(),
        "--region",
        "cn-hangzhou",
        "images",
        "list",
        "--output",
        "ids",
    ];
    args.extend_from_slice(extra);
    let mut cmd = Sandbox::with_demo_key(sandbox.command(&args));
    for (name, value) in env {
        cmd.env(name, value);
    }
    sandbox.run_with(cmd)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_private_ca_is_refused_then_trusted_by_flag_config_and_the_openssl_variables() {
    let sim = ecsimg::sim::start(ecsimg::sim::SimConfig::demo())
        .await
        .unwrap();
    let front = Front::start(backend_of(&sim.endpoint()), Leaf::Good).await;
    let sandbox = Sandbox::new();

    let run = list(&sandbox, &front, &[], &[]);
    run.expect_code(4);
    assert!(
        run.stderr.contains(
            "the endpoint's certificate is not trusted (unknown issuer): if a proxy inspects \
             TLS here, pass its CA with --ca-bundle"
        ),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("no answer"), "{}", run.stderr);
    assert_eq!(sim.faults().calls(), 0, "refused before anything was sent");

    let certs = sandbox.path().join("certs");
    std::fs::create_dir_all(&certs).unwrap();
    let ca = front.write_ca(&certs, "proxy-ca.pem");
    let ca = ca.to_str().unwrap();
    let expect_listed = |run: Run, how: &str| {
        run.expect_code(0);
        assert!(run.stdout.lines().count() > 10, "{how}: {}", run.all());
    };
    expect_listed(
        list(&sandbox, &front, &["--ca-bundle", ca], &[]),
        "--ca-bundle",
    );
    expect_listed(
        list(&sandbox, &front, &[], &[("SSL_CERT_FILE", ca)]),
        "SSL_CERT_FILE",
    );
    expect_listed(
        list(
            &sandbox,
            &front,
            &[],
            &[("SSL_CERT_DIR", certs.to_str().unwrap())],
        ),
        "SSL_CERT_DIR",
    );
    sandbox.write_config("# the proxy of the office\nca_bundle = \"proxy-ca.pem\"\n");
    std::fs::copy(ca, sandbox.config_file().with_file_name("proxy-ca.pem")).unwrap();
    expect_listed(
        list(&sandbox, &front, &[], &[]),
        "ca_bundle in the config file",
    );
}

#[test]
fn a_file_that_is_not_a_ca_bundle_is_invalid_input_named_where_it_was_given() {
    let sandbox = Sandbox::new();
    let junk = sandbox.path().join("junk.pem");
    std::fs::write(&junk, "hello\n").unwrap();
    let base = [
        "--endpoint",
        "https://127.0.0.1:9/",
        "--region",
        "cn-hangzhou",
        "images",
        "list",
    ];
    let with_key = |args: &[&str]| {
        let mut cmd = sandbox.command(args);
        cmd.env("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI5tTestKey0001")
            .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "s");
        sandbox.run_with(cmd)
    };
    let mut args = base.to_vec();
    args.extend(["--ca-bundle", junk.to_str().unwrap()]);
    let run = with_key(&args);
    run.expect_code(2);
    assert!(
        run.stderr
            .contains(&format!("--ca-bundle {}", junk.display()))
            && run.stderr.contains("holds no certificate")
            && run.stderr.contains("fix:"),
        "{}",
        run.stderr
    );

    sandbox.write_config("read_timeout = \"5s\"\nca_bundle = \"missing.pem\"\n");
    let run = with_key(&base);
    run.expect_code(2);
    let config = sandbox.config_file();
    assert!(
        run.stderr
            .contains(&format!("{}:2: ca_bundle", config.display()))
            && run.stderr.contains("does not exist")
            && run.stderr.contains("fix: point ca_bundle at a PEM file"),
        "{}",
        run.stderr
    );
}

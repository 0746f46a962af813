//! Faults, flow control, the state file, and the `ecsimg sim` binary.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::sim::{demo, Rpc};
use ecsimg::ecs::ECS_API_VERSION;
use ecsimg::sim::{self, Fault, FaultSettings, SimConfig};
use serde_json::Value;

const HZ: &str = "cn-hangzhou";
const IMAGE: &str = "m-bp1goldenbase0000001";

#[tokio::test]
async fn throttling_per_api_at_the_configured_limit() {
    let sim = sim::start(SimConfig::demo().with_throttle_limit(3))
        .await
        .unwrap();
    let rpc = Rpc::new(&sim);
    for _ in 0..3 {
        rpc.ecs("DescribeRegions", &[]).await.ok();
    }
    let refused = rpc.ecs("DescribeRegions", &[]).await;
    refused.expect_error(400, "Throttling.User");
    let retry_after: u64 = refused
        .header("x-acs-retry-after")
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60_000).contains(&retry_after), "{retry_after}");
    assert!(refused
        .header("x-ratelimit-user-api")
        .unwrap()
        .starts_with("Limit:3,Remain:0"));

    // Other APIs have their own budget.
    rpc.ecs("DescribeImages", &[("RegionId", HZ)]).await.ok();
    // The limit can be raised at runtime.
    sim.set_throttle_limit(10);
    rpc.ecs("DescribeRegions", &[]).await.ok();
    sim.shutdown().await;
}

#[tokio::test]
async fn queued_server_faults_answer_before_processing() {
    let (sim, rpc) = demo().await;
    let before = sim.image(HZ, IMAGE).unwrap();
    for (fault, status, code) in [
        (Fault::ServiceUnavailable, 503, "ServiceUnavailable"),
        (Fault::InternalError, 500, "InternalError"),
        (Fault::Throttling, 400, "Throttling"),
    ] {
        sim.faults().fail_next(1, fault);
        let answer = rpc
            .ecs(
                "ModifyImageAttribute",
                &[
                    ("RegionId", HZ),
                    ("ImageId", IMAGE),
                    ("Description", "changed"),
                ],
            )
            .await;
        answer.expect_error(status, code);
        assert!(answer.header("date").is_some());
        assert_eq!(
            sim.image(HZ, IMAGE).unwrap(),
            before,
            "{code}: nothing applied"
        );
    }
    sim.faults().fail_next(1, Fault::Throttling);
    let throttled = rpc.ecs("DescribeRegions", &[]).await;
    assert!(throttled.header("x-acs-retry-after").is_some());
    rpc.ecs("DescribeRegions", &[]).await.ok();
    assert_eq!(sim.faults().injected(), 4);
    sim.shutdown().await;
}

#[tokio::test]
async fn an_error_rate_of_one_fails_everything_and_zero_nothing() {
    let (sim, rpc) = demo().await;
    sim.faults().set_error_rate(1.0);
    for _ in 0..5 {
        let answer = rpc.ecs("DescribeRegions", &[]).await;
        assert!(
            matches!(
                (answer.status, answer.code()),
                (503, "ServiceUnavailable") | (500, "InternalError")
            ),
            "{}",
            answer.text
        );
    }
    sim.faults().clear();
    rpc.ecs("DescribeRegions", &[]).await.ok();
    sim.shutdown().await;
}

#[tokio::test]
async fn seeded_fault_rates_repeat_exactly() {
    let run = || async {
        let config = SimConfig::demo()
            .with_faults(FaultSettings {
                error_rate: 0.5,
                ..FaultSettings::default()
            })
            .with_fault_seed(99);
        let sim = sim::start(config).await.unwrap();
        let rpc = Rpc::new(&sim);
        let mut codes = Vec::new();
        for _ in 0..16 {
            codes.push(rpc.ecs("DescribeRegions", &[]).await.code().to_string());
        }
        sim.shutdown().await;
        codes
    };
    let first = run().await;
    assert_eq!(first, run().await);
    assert!(
        first.iter().any(String::is_empty) && first.iter().any(|c| !c.is_empty()),
        "{first:?}"
    );
}

#[tokio::test]
async fn every_nth_call_is_throttled() {
    let (sim, rpc) = demo().await;
    sim.faults().set_throttle_every(2);
    let mut codes = Vec::new();
    for _ in 0..4 {
        codes.push(rpc.ecs("DescribeRegions", &[]).await.code().to_string());
    }
    assert_eq!(codes, vec!["", "Throttling", "", "Throttling"]);
    sim.shutdown().await;
}

#[tokio::test]
async fn a_reset_cuts_the_answer_but_the_change_was_applied() {
    let (sim, rpc) = demo().await;
    sim.faults().fail_next(1, Fault::Reset);
    let result = rpc
        .try_ecs(
            "ModifyImageAttribute",
            &[
                ("RegionId", HZ),
                ("ImageId", IMAGE),
                ("Description", "applied anyway"),
            ],
        )
        .await;
    assert!(
        result.is_err(),
        "the client sees a broken answer: {result:?}"
    );
    assert_eq!(sim.image(HZ, IMAGE).unwrap().description, "applied anyway");
    // The next request gets a new connection and a whole answer.
    rpc.ecs("DescribeRegions", &[]).await.ok();

    sim.faults().set_reset_rate(1.0);
    assert!(rpc.try_ecs("DescribeRegions", &[]).await.is_err());
    sim.shutdown().await;
}

#[tokio::test]
async fn truncated_and_malformed_bodies() {
    let (sim, rpc) = demo().await;
    let whole = rpc.ecs("DescribeImages", &[("RegionId", HZ)]).await;

    sim.faults().fail_next(1, Fault::Truncated);
    let cut = rpc.ecs("DescribeImages", &[("RegionId", HZ)]).await;
    assert_eq!(cut.status, 200);
    assert!(
        serde_json::from_str::<Value>(&cut.text).is_err(),
        "{}",
        cut.text
    );
    assert!(cut.text.starts_with("{\""));
    assert!(cut.text.len() < whole.text.len());

    sim.faults().fail_next(1, Fault::Malformed);
    let garbage = rpc.ecs("DescribeImages", &[("RegionId", HZ)]).await;
    assert_eq!(garbage.status, 200);
    assert!(serde_json::from_str::<Value>(&garbage.text).is_err());

    sim.faults().set_malformed_rate(1.0);
    let answer = rpc.ecs("DescribeRegions", &[]).await;
    assert!(serde_json::from_str::<Value>(&answer.text).is_err());
    sim.shutdown().await;
}

#[tokio::test]
async fn a_slow_body_arrives_whole_in_pieces() {
    let (sim, rpc) = demo().await;
    sim.faults().set_slow_body(Duration::from_millis(160));
    let p = rpc.sign(
        "DescribeImages",
        ECS_API_VERSION,
        &[("RegionId", HZ), ("PageSize", "50")],
    );
    let url = format!("{}?{}", sim.endpoint(), crate::support::sim::encode(&p));
    let mut response = reqwest::Client::builder()
        .no_proxy()
        .build()
        .unwrap()
        .get(url)
        .send()
        .await
        .unwrap();
    let mut body = Vec::new();
    let mut pieces = 0;
    while let Some(chunk) = response.chunk().await.unwrap() {
        pieces += 1;
        body.extend_from_slice(&chunk);
    }
    assert!(pieces >= 2, "trickled in {pieces} piece(s)");
    let json: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(json["Images"]["Image"].as_array().unwrap().len(), 50);
    sim.shutdown().await;
}

#[tokio::test]
async fn latency_delays_every_answer() {
    let (sim, rpc) = demo().await;
    sim.faults()
        .set_latency(Duration::from_millis(60), Duration::from_millis(20));
    let started = Instant::now();
    rpc.ecs("DescribeRegions", &[]).await.ok();
    // A lower bound only: the sleep guarantees it, however slow the machine.
    assert!(started.elapsed() >= Duration::from_millis(60));
    sim.shutdown().await;
}

#[tokio::test]
async fn shutdown_closes_the_port() {
    let (sim, rpc) = demo().await;
    rpc.ecs("DescribeRegions", &[]).await.ok();
    let addr = sim.addr();
    sim.shutdown().await;
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());
}

#[tokio::test]
async fn requests_are_counted() {
    let (sim, rpc) = demo().await;
    sim.faults().fail_next(1, Fault::ServiceUnavailable);
    for _ in 0..3 {
        rpc.ecs("DescribeRegions", &[]).await;
    }
    rpc.ecs("DescribeImages", &[("RegionId", HZ)]).await.ok();
    assert_eq!(sim.request_count(), 4);
    assert_eq!(
        sim.action_count("DescribeRegions"),
        2,
        "the faulted call never reached it"
    );
    assert_eq!(sim.action_count("DescribeImages"), 1);
    sim.shutdown().await;
}

#[tokio::test]
async fn the_state_file_keeps_changes_across_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sim-state.json");
    let sim = sim::start(SimConfig::demo().with_state_file(&path))
        .await
        .unwrap();
    Rpc::new(&sim)
        .ecs(
            "ModifyImageAttribute",
            &[
                ("RegionId", HZ),
                ("ImageId", IMAGE),
                ("ImageName", "kept-across-restarts"),
                ("Status", "Deprecated"),
            ],
        )
        .await
        .ok();
    sim.shutdown().await;

    let saved: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert!(saved["regions"][HZ].is_array());
    let entries: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(entries.len(), 1, "no temporary file left behind");

    let sim = sim::start(SimConfig::demo().with_state_file(&path))
        .await
        .unwrap();
    let body = Rpc::new(&sim)
        .ecs(
            "DescribeImages",
            &[
                ("RegionId", HZ),
                ("ImageId", IMAGE),
                ("Status", "Deprecated"),
            ],
        )
        .await
        .ok();
    assert_eq!(
        body["Images"]["Image"][0]["ImageName"],
        "kept-across-restarts"
    );
    sim.shutdown().await;

    std::fs::write(&path, "{ broken").unwrap();
    let err = sim::start(SimConfig::demo().with_state_file(&path))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidData);
}

/// Kills the child process when the test ends, passed or not.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `ecsimg sim` with `extra` flags and reads its banner; returns the child, its
/// stdout (past the banner) and the banner's lines.
fn spawn_sim(extra: &[&str]) -> (Running, BufReader<std::process::ChildStdout>, Vec<String>) {
    let mut child = Running(
        Command::new(env!("CARGO_BIN_EXE_ecsimg"))
            .args(["sim", "--port", "0"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("ecsimg starts"),
    );
    let mut stdout = BufReader::new(child.0.stdout.take().unwrap());
    let mut printed = Vec::new();
    loop {
        let mut line = String::new();
        let n = stdout.read_line(&mut line).unwrap();
        assert!(n > 0, "ecsimg sim exited early; it printed {printed:?}");
        let done = line.starts_with("Press ctrl-c");
        printed.push(line.trim_end().to_string());
        if done {
            break;
        }
    }
    (child, stdout, printed)
}

#[tokio::test]
async fn the_binary_prints_an_endpoint_that_answers() {
    let (child, _stdout, printed) = spawn_sim(&[]);
    let endpoint = printed[0]
        .strip_prefix("endpoint: ")
        .unwrap_or_else(|| panic!("first line names the endpoint: {printed:?}"))
        .to_string();
    assert!(endpoint.starts_with("http://127.0.0.1:") && endpoint.ends_with('/'));
    let all = printed.join("\n");
    assert!(all.contains(sim::DEMO_ACCESS_KEY_ID) && all.contains(sim::DEMO_ACCESS_KEY_SECRET));
    assert!(all.contains("aliyun ecs"), "{all}");

    let body = Rpc::at(&endpoint).ecs("DescribeRegions", &[]).await.ok();
    let regions = body["Regions"]["Region"].as_array().unwrap();
    assert!(regions.iter().any(|r| r["RegionId"] == HZ));
    drop(child);
}

#[tokio::test]
async fn log_requests_prints_a_line_per_request_with_its_code_and_request_id() {
    let (child, mut stdout, printed) = spawn_sim(&["--log-requests", "--throttle-every", "2"]);
    let endpoint = printed[0].strip_prefix("endpoint: ").unwrap().to_string();
    let rpc = Rpc::at(&endpoint);
    let ok = rpc.ecs("DescribeRegions", &[]).await.ok();
    let throttled = rpc.ecs("DescribeRegions", &[]).await;
    let mut lines = Vec::new();
    for _ in 0..2 {
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        lines.push(line.trim_end().to_string());
    }
    let ok_id = ok["RequestId"].as_str().unwrap();
    assert_eq!(lines[0], format!("    1 DescribeRegions 200 - {ok_id}"));
    throttled.expect_error(400, "Throttling");
    assert!(
        lines[1].starts_with("    2 DescribeRegions 400 Throttling "),
        "{lines:?}"
    );
    drop(child);
}

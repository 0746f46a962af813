//! A batch whose endpoint goes silent mid-run: the binary against a scripted server that
//! answers the listing, then never answers in time. The batch stops after three images
//! in a row got no answer, says so, and exits 4 with the rest not sent.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use ecsimg::ecs::model::{Image, ImageStatus};
use ecsimg::sim::{DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET};

use crate::support::cli::Sandbox;
use crate::support::scripted::{Reply, ScriptedServer};

const IDS: [&str; 6] = [
    "m-bp1silent000000001",
    "m-bp1silent000000002",
    "m-bp1silent000000003",
    "m-bp1silent000000004",
    "m-bp1silent000000005",
    "m-bp1silent000000006",
];

fn listing() -> String {
    let images: Vec<Image> = IDS
        .iter()
        .map(|id| Image {
            image_id: id.to_string(),
            image_name: format!("silent-{}", &id[id.len() - 1..]),
            description: "before".into(),
            status: ImageStatus::Available,
            image_owner_alias: "self".into(),
            creation_time: "2025-01-01T00:00:00Z".into(),
            ..Image::default()
        })
        .collect();
    serde_json::json!({
        "RequestId": "REQ-LIST",
        "RegionId": "cn-hangzhou",
        "TotalCount": images.len(),
        "PageNumber": 1,
        "PageSize": 100,
        "Images": { "Image": images },
    })
    .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_whose_endpoint_goes_silent_stops_after_three_images_and_exits_4() {
    let server = ScriptedServer::start().await;
    // Reads are answered until the first change goes out; from then on nothing answers
    // within the read timeout.
    let silent = Arc::new(AtomicBool::new(false));
    let body = listing();
    let went = silent.clone();
    server.respond_with(move |r| {
        if r.params.get("Action").map(String::as_str) == Some("ModifyImageAttribute") {
            went.store(true, Ordering::SeqCst);
        }
        let reply = Reply::ok(&body);
        Some(if went.load(Ordering::SeqCst) {
            reply.delayed(Duration::from_secs(5))
        } else {
            reply
        })
    });
    let sandbox = Sandbox::new();
    let ids = sandbox.path().join("ids.txt");
    std::fs::write(&ids, IDS.join("\n")).unwrap();
    let endpoint = server.endpoint();
    let mut cmd = sandbox.command(&[
        "--endpoint",
        &endpoint,
        "--region",
        "cn-hangzhou",
        "--read-timeout",
        "300ms",
        "images",
        "modify",
        "--ids-from",
        ids.to_str().unwrap(),
        "--description",
        "after",
        "--concurrency",
        "1",
        "--yes",
        "--output",
        "json",
    ]);
    cmd.env("ALIBABA_CLOUD_ACCESS_KEY_ID", DEMO_ACCESS_KEY_ID)
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", DEMO_ACCESS_KEY_SECRET);
    let run = tokio::task::spawn_blocking(move || sandbox.run_with(cmd))
        .await
        .unwrap();
    run.expect_code(4);
    let report: serde_json::Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("one JSON document: {e}: {}", run.stdout));
    assert_eq!(report["applied"], 0, "{}", run.stdout);
    assert_eq!(report["failed"], 3, "{}", run.stdout);
    assert_eq!(report["not_attempted"], 3, "{}", run.stdout);
    let why = report["gave_up"].as_str().expect("the report says why");
    assert!(why.contains("no answer from the endpoint"), "{why}");
    assert!(run.stderr.contains("check the network"), "{}", run.stderr);
    let sent = server
        .received()
        .iter()
        .filter(|r| r.params.get("Action").map(String::as_str) == Some("ModifyImageAttribute"))
        .count();
    assert_eq!(sent, 3, "no change went out after the third silent image");
}

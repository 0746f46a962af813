//! How long "who uses this image?" takes: the whole usage check for one image against the
//! embedded simulator with 50 ms added to every request (a far region's round trip), at
//! the sizes the issue names — 60 launch templates (one with 55 versions), 130 instances,
//! 4 scaling groups — beside the same reads made one template at a time.
//!
//! `cargo bench --bench usage` prints a table; BENCHMARKS.md holds a run of it.

#[path = "../tests/support/mod.rs"]
mod support;

use std::time::{Duration, Instant};

use ecsimg::ecs::client::{ClientConfig, EcsClient, Endpoint};
use ecsimg::ecs::credentials::Credentials;
use ecsimg::ecs::model::{Image, ImageStatus};
use ecsimg::sim::{self, SimConfig};

const REGION: &str = "cn-hangzhou";
const LATENCY: Duration = Duration::from_millis(50);
const RUNS: usize = 5;

fn main() {
    println!("ecsimg usage benchmark (cargo bench --bench usage)\n");
    println!("| what | figure |");
    println!("|---|---|");
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    runtime.block_on(run());
}

async fn run() {
    let id = "m-bp1benchusage000001";
    let mut images = sim::Inventory::demo().images[REGION].clone();
    let image = Image {
        image_id: id.into(),
        image_name: "web-frontend-bench".into(),
        image_family: "web-frontend".into(),
        status: ImageStatus::Available,
        creation_time: "2099-01-01T00:00:00Z".into(),
        image_owner_alias: "self".into(),
        ..Image::default()
    };
    images.push(image.clone());
    let usage = support::usage::big(id, "web-frontend", 60, 55, 130);
    let sim = sim::start(
        SimConfig::demo()
            .with_images(REGION, images)
            .with_usage(REGION, usage)
            .with_throttle_limit(1_000_000),
    )
    .await
    .expect("the simulator starts");
    sim.faults().set_latency(LATENCY, Duration::ZERO);
    let client = EcsClient::new(
        ClientConfig::new(REGION, Endpoint::Custom(sim.endpoint())),
        Credentials::fixed(sim::demo_access_key()),
    )
    .expect("a client");

    let mut runs = Vec::new();
    let mut requests = 0;
    let mut summary = String::new();
    for _ in 0..RUNS {
        let before = sim.request_count();
        let started = Instant::now();
        let found = ecsimg::usage::check(&client, &image).await;
        runs.push(started.elapsed());
        requests = sim.request_count() - before;
        assert!(found.unchecked.is_empty(), "{:?}", found.unchecked);
        summary = found.summary();
    }
    let took = median(&mut runs);
    row(
        format!(
            "usage check of one image: 60 templates (one of 55 versions), 130 instances, 4 \
             scaling groups, 50 ms a request — `usage::check` ({} template listings at once)",
            ecsimg::usage::TEMPLATE_CONCURRENCY
        ),
        format!(
            "median {took:.0?} of {RUNS}, {requests} requests, ≈ {:.1} round trips",
            took.as_secs_f64() / LATENCY.as_secs_f64()
        ),
    );

    // The same reads, the version listings one template after another.
    let mut runs = Vec::new();
    for _ in 0..RUNS {
        let started = Instant::now();
        let templates = client.describe_launch_templates().await.expect("templates");
        for t in &templates {
            client
                .describe_launch_template_versions(&t.launch_template_id)
                .await
                .expect("versions");
        }
        runs.push(started.elapsed());
    }
    let sequential = median(&mut runs);
    row(
        "the template reads alone, one template's versions after another (what the check avoids)",
        format!(
            "median {sequential:.0?} of {RUNS}, ≈ {:.1} round trips",
            sequential.as_secs_f64() / LATENCY.as_secs_f64()
        ),
    );
    row("what the check found", summary);

    // A bulk plan's 50 images: what they share read once, their own sources 8 at a time.
    let many: Vec<Image> = sim.images(REGION).into_iter().take(50).collect();
    let mut runs = Vec::new();
    let mut requests = 0;
    for _ in 0..RUNS {
        let before = sim.request_count();
        let started = Instant::now();
        let found = ecsimg::usage::check_many(&client, &many).await;
        runs.push(started.elapsed());
        requests = sim.request_count() - before;
        assert_eq!(found.len(), many.len());
        assert!(found.iter().all(|(_, u)| u.unchecked.is_empty()));
    }
    let took = median(&mut runs);
    row(
        format!(
            "usage of a bulk plan's {} images, same account — `usage::check_many` ({} images' own \
             sources at once)",
            many.len(),
            ecsimg::usage::IMAGE_CONCURRENCY
        ),
        format!(
            "median {took:.0?} of {RUNS}, {requests} requests, ≈ {:.1} round trips",
            took.as_secs_f64() / LATENCY.as_secs_f64()
        ),
    );
    sim.shutdown().await;
}

fn median(runs: &mut [Duration]) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

fn row(what: impl std::fmt::Display, figure: impl std::fmt::Display) {
    println!("| {what} | {figure} |");
}

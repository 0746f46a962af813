//! The throughput of a change to many images: `exec::run_batch` setting the description of
//! 1,000 images on the embedded simulator over loopback, 20 ms added to every request, the
//! limiter off, at concurrency 1, 4 and 8. Each image is what the TUI and the CLI do: the
//! journal's intent (synced), the change, one re-read, the settlement (synced).
//!
//! `cargo bench --bench batch` prints a table; BENCHMARKS.md holds a run of it.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use ecsimg::change::{plan_edit, BulkEdit, Facts};
use ecsimg::ecs::client::{ClientConfig, EcsClient, Endpoint};
use ecsimg::ecs::credentials::Credentials;
use ecsimg::ecs::model::{Image, ImageStatus};
use ecsimg::exec::{self, BatchSettings};
use ecsimg::session::Session;
use ecsimg::sim::{self, SimConfig};
use ecsimg::store::Journal;

const REGION: &str = "cn-hangzhou";
const IMAGES: usize = 1000;
const LATENCY: Duration = Duration::from_millis(20);

fn images() -> Vec<Image> {
    (0..IMAGES)
        .map(|i| Image {
            image_id: format!("m-bench{i:05}"),
            image_name: format!("bench-{i:05}"),
            description: "before".into(),
            status: ImageStatus::Available,
            creation_time: format!(
                "2024-01-01T{:02}:{:02}:{:02}Z",
                i / 3600,
                i / 60 % 60,
                i % 60
            ),
            image_owner_alias: "self".into(),
            ..Image::default()
        })
        .collect()
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    println!("ecsimg batch benchmarks (cargo bench --bench batch)\n");
    println!("| what | figure |");
    println!("|---|---|");
    for concurrency in [1, 4, 8] {
        let (elapsed, applied) = runtime.block_on(run(concurrency));
        println!(
            "| batch: {IMAGES} images, {} ms a request, limiter off, concurrency {concurrency} | {:.1} s, **{:.1} images/s** ({applied} applied) |",
            LATENCY.as_millis(),
            elapsed.as_secs_f64(),
            applied as f64 / elapsed.as_secs_f64()
        );
    }
}

async fn run(concurrency: usize) -> (Duration, usize) {
    let sim = sim::start(SimConfig::demo().with_images(REGION, images()))
        .await
        .expect("simulator");
    sim.faults().set_latency(LATENCY, Duration::ZERO);
    let dir = tempfile::tempdir().expect("tempdir");
    let session = Session {
        client: EcsClient::new(
            ClientConfig::new(REGION, Endpoint::Custom(sim.endpoint())),
            Credentials::fixed(sim::demo_access_key()),
        )
        .expect("client"),
        profile: "bench".into(),
        endpoint_kind: "custom".into(),
        demo: true,
        read_only: false,
        journal: Some(Journal::at(dir.path().join("journal.jsonl"))),
    };
    let targets = sim.images(REGION);
    let plan = plan_edit(
        &BulkEdit::Description("after".into()),
        &targets,
        &targets,
        &HashMap::new(),
        |_| Facts::Checking,
    );
    let settings = BatchSettings {
        concurrency,
        rate: None,
        ..BatchSettings::default()
    };
    let started = Instant::now();
    let report = exec::run_batch(
        &session,
        plan.plan,
        &settings,
        "bench",
        &mut exec::StopSignal::never(),
        |_| {},
    )
    .await;
    let elapsed = started.elapsed();
    sim.shutdown().await;
    (elapsed, report.applied())
}

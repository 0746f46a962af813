//! `images list` across regions and when pages are missing: the binary against the
//! simulator (every region at the one `--endpoint`) and against a scripted server that
//! fails one page for good.

use std::collections::BTreeMap;

use ecsimg::sim::{self, SimConfig, DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET};

use crate::support::cli::{s, Sandbox};
use crate::support::scripted::{Reply, ScriptedServer};

fn with_keys(sandbox: &Sandbox, args: &[&str]) -> std::process::Command {
    let mut cmd = sandbox.command(args);
    cmd.env("ALIBABA_CLOUD_ACCESS_KEY_ID", DEMO_ACCESS_KEY_ID)
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", DEMO_ACCESS_KEY_SECRET);
    cmd
}

/// The custom images the simulator holds, by region.
fn own_by_region(sim: &sim::SimHandle, regions: &[&str]) -> BTreeMap<String, usize> {
    regions
        .iter()
        .map(|r| {
            let own = sim
                .images(r)
                .iter()
                .filter(|i| i.image_owner_alias == "self")
                .count();
            (r.to_string(), own)
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_failing_region_is_named_the_others_are_printed_and_the_exit_is_3() {
    let sim = sim::start(SimConfig::demo()).await.unwrap();
    let sandbox = Sandbox::new();
    let endpoint = sim.endpoint();
    let args = |output: &'static str| {
        vec![
            "--endpoint",
            endpoint.as_str(),
            "images",
            "list",
            "--regions",
            "cn-hangzhou,xx-nowhere-1,cn-shanghai",
            "--output",
            output,
        ]
    };
    let run = sandbox.run_with(with_keys(&sandbox, &args("json")));
    run.expect_code(3);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("a JSON document");
    assert_eq!(doc["complete"], false);
    assert_eq!(doc["region"], serde_json::Value::Null);
    assert_eq!(doc["errors"][0]["region"], "xx-nowhere-1");
    assert_eq!(doc["errors"][0]["code"], "InvalidRegionId.NotFound");
    let mut counted: BTreeMap<String, usize> = BTreeMap::new();
    for image in doc["images"].as_array().unwrap() {
        *counted.entry(s(image, "region").to_string()).or_default() += 1;
    }
    assert_eq!(
        counted,
        own_by_region(&sim, &["cn-hangzhou", "cn-shanghai"])
    );
    assert!(run.stderr.contains("xx-nowhere-1"), "{}", run.stderr);

    let run = sandbox.run_with(with_keys(&sandbox, &args("table")));
    run.expect_code(3);
    let header = run.stdout.lines().next().unwrap();
    assert!(header.starts_with("REGION"), "{header}");
    assert!(run.stdout.contains("cn-shanghai "), "{}", run.stdout);
    assert!(
        run.stderr
            .contains("1 of 3 regions could not be listed in full (xx-nowhere-1)"),
        "{}",
        run.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn all_regions_needs_no_region_and_lists_every_image_once_with_its_region() {
    let sim = sim::start(SimConfig::demo()).await.unwrap();
    let sandbox = Sandbox::new();
    let run = sandbox.run_with(with_keys(
        &sandbox,
        &[
            "--endpoint",
            &sim.endpoint(),
            "images",
            "list",
            "--all-regions",
            "--output",
            "json",
        ],
    ));
    run.expect_code(0);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(doc["complete"], true);
    assert_eq!(
        doc["regions"].as_array().unwrap().len(),
        26,
        "every listed region"
    );
    let images = doc["images"].as_array().unwrap();
    for image in images {
        let held = sim.image(s(image, "region"), s(image, "id"));
        assert!(
            held.is_some(),
            "{} is not in {}",
            image["id"],
            image["region"]
        );
    }
    let expected: usize = own_by_region(&sim, &["cn-hangzhou", "cn-shanghai", "ap-southeast-1"])
        .values()
        .sum();
    assert_eq!(images.len(), expected);
    assert_eq!(doc["count"], expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_that_cannot_be_read_makes_the_list_say_it_is_incomplete() {
    let server = ScriptedServer::start().await;
    server.respond_with(|r| {
        let page: u32 = r.params["PageNumber"].parse().unwrap();
        if page == 2 {
            return Some(Reply::error(503, "ServiceUnavailable", "try later"));
        }
        let images: Vec<String> = (0..100)
            .map(|i| format!(r#"{{"ImageId":"m-p{page}-{i:03}","ImageName":"n{i}","Status":"Available"}}"#))
            .collect();
        Some(Reply::ok(&format!(
            r#"{{"RequestId":"R{page}","TotalCount":300,"PageNumber":{page},"PageSize":100,"Images":{{"Image":[{}]}}}}"#,
            images.join(",")
        )))
    });
    let sandbox = Sandbox::new();
    let run = sandbox.run_with(with_keys(
        &sandbox,
        &[
            "--endpoint",
            &server.endpoint(),
            "--region",
            "cn-hangzhou",
            "--read-timeout",
            "5s",
            "images",
            "list",
            "--output",
            "ids",
        ],
    ));
    run.expect_code(3);
    let ids: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(ids.len(), 200, "pages 1 and 3 are printed");
    assert!(ids.iter().all(|id| !id.starts_with("m-p2-")));
    assert!(
        run.stderr.contains("incomplete")
            && run
                .stderr
                .contains("1 of 3 pages could not be read (page 2); 200 of 300"),
        "{}",
        run.stderr
    );
    // First try and three retries, each with the client's backoff.
    let tries = server
        .received()
        .iter()
        .filter(|r| r.params["PageNumber"] == "2")
        .count();
    assert_eq!(tries, 4);

    // With --output json the listing is the one document on stdout: no error document
    // follows it.
    let run = sandbox.run_with(with_keys(
        &sandbox,
        &[
            "--endpoint",
            &server.endpoint(),
            "--region",
            "cn-hangzhou",
            "--read-timeout",
            "5s",
            "images",
            "list",
            "--output",
            "json",
        ],
    ));
    run.expect_code(3);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("one JSON document ({e}):\n{}", run.stdout));
    assert_eq!(doc["complete"], false);
    assert_eq!(doc["count"], 200);
    assert_eq!(doc["errors"][0]["pages_missing"], serde_json::json!([2]));
    assert!(doc.get("error").is_none(), "{doc}");
}

//! Who uses an image, over real HTTP: every source against the simulator (paging across
//! pages, `AliyunId` as a number and a string, permission failures becoming "unchecked"),
//! Auto Scaling's endpoint, and its flat list shape from a scripted gateway.

use std::time::Duration;

use ecsimg::change::{InUse, Source, Via};
use ecsimg::ecs::client::{ClientConfig, EcsClient, Endpoint};
use ecsimg::ecs::credentials::Credentials;
use ecsimg::ecs::model::{Image, ImageStatus};
use ecsimg::sim::{self, Forbidden, SimConfig, SimHandle};
use ecsimg::usage;

use crate::support::scripted::{Reply, ScriptedServer};

const REGION: &str = "cn-hangzhou";
const PAYMENTS_V4: &str = "m-bp1paymentsbase00v4";
const SHARED: &str = "m-bp1goldensharedbase1";

fn client_for(endpoint: &str, ess: Option<&str>) -> EcsClient {
    let mut config = ClientConfig::new(REGION, Endpoint::Custom(endpoint.to_string()));
    config.retry_base = Duration::from_millis(1);
    config.ess_endpoint = ess.map(str::to_string);
    EcsClient::new(config, Credentials::fixed(sim::demo_access_key())).unwrap()
}

fn client(sim: &SimHandle) -> EcsClient {
    client_for(&sim.endpoint(), None)
}

/// The image `family` resolves to in the simulator.
fn latest(sim: &SimHandle, family: &str) -> Image {
    sim.images(REGION)
        .into_iter()
        .filter(|i| i.image_family == family && i.status == ImageStatus::Available)
        .max_by(|a, b| a.creation_time.cmp(&b.creation_time))
        .unwrap()
}

#[tokio::test]
async fn the_demo_s_latest_web_image_is_used_by_instances_a_template_and_two_groups() {
    let sim = sim::start(SimConfig::demo()).await.unwrap();
    let image = latest(&sim, "web-frontend");
    let usage = usage::check(&client(&sim), &image).await;
    assert!(usage.unchecked.is_empty(), "{:?}", usage.unchecked);
    assert_eq!(usage.instances.total, 130);
    assert_eq!(usage.instances.by_status["Running"], 120);
    assert_eq!(usage.instances.sample.len(), 10);
    assert_eq!(
        sim.action_count("DescribeInstances"),
        2,
        "130 instances are two NextToken pages"
    );
    let templates: Vec<(&str, u64, bool)> = usage
        .launch_templates
        .iter()
        .map(|t| (t.name.as_str(), t.version, t.default))
        .collect();
    assert_eq!(templates, [("web-lt", 3, true)]);
    let groups: Vec<(&str, bool, Via)> = usage
        .scaling
        .iter()
        .map(|s| (s.group_name.as_str(), s.active, s.via))
        .collect();
    assert_eq!(
        groups,
        [
            ("web-frontend-asg", true, Via::Image),
            ("web-frontend-family-asg", true, Via::Family),
        ]
    );
    assert_eq!(
        usage.summary(),
        "130 instances run it (120 running) · 2 scaling groups launch it (web-frontend-asg \
         active; web-frontend-family-asg active through family web-frontend) · launch \
         template web-lt v3 (default)"
    );
    let rules = usage.in_use();
    assert!(rules.contains(&InUse::DefaultTemplate {
        name: "web-lt".into(),
        version: 3
    }));

    // The payments image is launched by a group through its template's Default version.
    let payments = sim.image(REGION, PAYMENTS_V4).unwrap();
    let usage = usage::check(&client(&sim), &payments).await;
    assert_eq!(usage.scaling.len(), 1);
    assert_eq!(usage.scaling[0].via, Via::LaunchTemplate);
    assert_eq!(usage.scaling[0].through, "payments-lt v2");
    assert!(usage.scaling[0].active);
}

#[tokio::test]
async fn every_page_of_every_source_is_read_and_the_versions_side_by_side() {
    let image_id = "m-bp1bigusage00000001";
    let mut image = latest(
        &sim::start(SimConfig::demo()).await.unwrap(),
        "web-frontend",
    );
    image.image_id = image_id.into();
    image.is_self_shared = "true".into();
    let mut big = crate::support::usage::big(image_id, "web-frontend", 60, 55, 130);
    big.shares
        .insert(image_id.into(), crate::support::usage::accounts(120));
    // A second copy of the family's newest image under the new ID, so the family resolves
    // to it and the family group counts.
    let mut images = sim::Inventory::demo().images[REGION].clone();
    image.creation_time = "2099-01-01T00:00:00Z".into();
    images.push(image.clone());
    let sim = sim::start(
        SimConfig::demo()
            .with_images(REGION, images)
            .with_usage(REGION, big),
    )
    .await
    .unwrap();
    let usage = usage::check(&client(&sim), &image).await;
    assert!(usage.unchecked.is_empty(), "{:?}", usage.unchecked);
    assert_eq!(usage.instances.total, 130);
    assert_eq!(usage.shared_with.len(), 120, "two pages of 100");
    assert!(usage.shared_with.contains(&"1000000000000000".to_string()));
    assert!(usage.shared_with.contains(&"1000000000000001".to_string()));
    assert_eq!(usage.launch_templates.len(), 1);
    assert_eq!(
        (
            usage.launch_templates[0].version,
            usage.launch_templates[0].default
        ),
        (53, true),
        "version 53 sits on the second page of the template's versions"
    );
    assert_eq!(
        sim.action_count("DescribeLaunchTemplates"),
        2,
        "60 templates: 2 pages"
    );
    assert_eq!(
        sim.action_count("DescribeLaunchTemplateVersions"),
        61,
        "one listing per template, two for the one with 55 versions"
    );
    assert_eq!(sim.action_count("DescribeImageSharePermission"), 2);
    let vias: Vec<Via> = usage
        .scaling
        .iter()
        .filter(|s| s.active)
        .map(|s| s.via)
        .collect();
    assert_eq!(vias, [Via::Family, Via::Image, Via::LaunchTemplate]);
    assert!(usage
        .scaling
        .iter()
        .any(|s| !s.active && s.group_id == "asg-asleep"));
}

#[tokio::test]
async fn aliyun_ids_sent_as_numbers_and_as_strings_both_read() {
    let sim = sim::start(SimConfig::demo()).await.unwrap();
    let image = sim.image(REGION, SHARED).unwrap();
    let accounts = client(&sim)
        .describe_image_share_permission(SHARED)
        .await
        .unwrap();
    assert_eq!(accounts.len(), 2);
    let usage = usage::check(&client(&sim), &image).await;
    assert_eq!(usage.shared_with, ["1357924680135792", "2468013579246801"]);
}

#[tokio::test]
async fn a_source_this_identity_may_not_read_is_unchecked_and_the_rest_still_answer() {
    let sim = sim::start(crate::support::usage::forbidding("ess,templates"))
        .await
        .unwrap();
    let image = latest(&sim, "web-frontend");
    let usage = usage::check(&client(&sim), &image).await;
    assert_eq!(usage.instances.total, 130, "instances were still read");
    let unchecked: Vec<(Source, &str)> = usage
        .unchecked
        .iter()
        .map(|u| (u.source, u.code.as_str()))
        .collect();
    assert_eq!(
        unchecked,
        [
            (Source::LaunchTemplates, "Forbidden.RAM"),
            (Source::Scaling, "Forbidden.RAM")
        ]
    );
    assert!(usage.launch_templates.is_empty() && usage.scaling.is_empty());
    assert!(usage.in_use().iter().any(|r| matches!(
        r,
        InUse::Unchecked {
            source: Source::Scaling,
            ..
        }
    )));
    assert!(!usage.summary().contains("nothing"), "{}", usage.summary());
}

#[tokio::test]
async fn no_instances_stands_only_when_the_identity_may_list_them() {
    // An identity without ecs:DescribeInstances gets an empty list, not an error.
    let sim = sim::start(crate::support::usage::forbidding("instances"))
        .await
        .unwrap();
    let image = sim.image(REGION, "m-bp1emojidesc0000001").unwrap();
    let usage = usage::check(&client(&sim), &image).await;
    assert_eq!(usage.unchecked.len(), 1, "{:?}", usage.unchecked);
    assert_eq!(usage.unchecked[0].source, Source::Instances);
    assert_eq!(usage.unchecked[0].code, "Forbidden.RAM");
    assert!(!usage.is_unused());

    // Allowed, the same empty list is an answer: nothing uses this image.
    sim.set_forbidden(Forbidden::default());
    let usage = usage::check(&client(&sim), &image).await;
    assert!(usage.is_unused(), "{usage:?}");
    assert!(usage.summary().starts_with("nothing uses it"));
}

#[tokio::test]
async fn auto_scaling_goes_to_the_custom_endpoint_unless_another_is_named() {
    let ecs = sim::start(SimConfig::demo()).await.unwrap();
    let ess = sim::start(SimConfig::demo()).await.unwrap();
    let groups = client(&ecs).ess().describe_scaling_groups().await.unwrap();
    assert!(groups.len() >= 4);
    assert_eq!(ecs.action_count("DescribeScalingGroups"), 1);

    let split = client_for(&ecs.endpoint(), Some(&ess.endpoint()));
    assert_eq!(split.ess().endpoint_url(), ess.endpoint());
    split.ess().describe_scaling_configurations().await.unwrap();
    assert_eq!(ess.action_count("DescribeScalingConfigurations"), 1);
    assert_eq!(ecs.action_count("DescribeScalingConfigurations"), 0);
}

#[tokio::test]
async fn auto_scaling_lists_in_the_flat_shape_of_its_newer_version_read_too() {
    // A gateway relaying Auto Scaling's 2022-02-22 shape: bare arrays, not wrapped ones.
    let server = ScriptedServer::start().await;
    server.respond_with(|r| {
        assert_eq!(
            r.params.get("Version").map(String::as_str),
            Some("2014-08-28")
        );
        Some(Reply::ok(
            r#"{"RequestId":"R","TotalCount":1,"PageNumber":1,"PageSize":50,
                "ScalingGroups":[{"ScalingGroupId":"asg-1","ScalingGroupName":"flat",
                  "LifecycleState":"Active","VSwitchIds":["vsw-1"]}]}"#,
        ))
    });
    let groups = client_for(&server.endpoint(), None)
        .ess()
        .describe_scaling_groups()
        .await
        .unwrap();
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0].scaling_group_name, "flat");
}

#[tokio::test]
async fn many_images_read_together_answer_as_each_read_alone_with_what_they_share_read_once() {
    let sim = sim::start(SimConfig::demo()).await.unwrap();
    let c = client(&sim);
    let images: Vec<Image> = [latest(&sim, "web-frontend"), latest(&sim, "k8s-worker")]
        .into_iter()
        .chain(
            sim.images(REGION)
                .into_iter()
                .filter(|i| i.image_id == PAYMENTS_V4 || i.image_id == SHARED),
        )
        .collect();
    let mut alone = Vec::new();
    for image in &images {
        alone.push((image.image_id.clone(), usage::check(&c, image).await));
    }
    let before = sim.action_count("DescribeLaunchTemplates");
    let groups_before = sim.action_count("DescribeScalingGroups");
    let together = usage::check_many(&c, &images).await;
    assert_eq!(together, alone, "the same answer, image by image, in order");
    assert_eq!(sim.action_count("DescribeLaunchTemplates") - before, 1);
    assert_eq!(sim.action_count("DescribeScalingGroups") - groups_before, 1);
    let of = |id: &str| &together.iter().find(|(i, _)| i == id).unwrap().1;
    assert!(of(PAYMENTS_V4).in_use().iter().any(|r| matches!(
        r,
        InUse::ScalingGroup {
            via: Via::LaunchTemplate,
            ..
        }
    )));
    assert_eq!(of(SHARED).shared_with.len(), 2);
}

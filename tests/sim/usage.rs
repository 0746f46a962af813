//! The simulator's usage reads over real HTTP, as an SDK would send them: DescribeInstances
//! (NextToken and page modes, the empty answer without permission), launch templates and
//! their versions (no ImageId filter, pages clamped at 50), Auto Scaling on the same port
//! in both versions' list shapes (pages refused over 50), and DescribeImageSharePermission
//! (AliyunId as a number and as a string).

use crate::support::sim::{demo, Rpc};
use ecsimg::ecs::ESS_API_VERSION;
use ecsimg::sim::{self, ESS_FLAT_API_VERSION};
use serde_json::Value;

const HZ: &str = "cn-hangzhou";
const SHARED: &str = "m-bp1goldensharedbase1";
const PAYMENTS_V4: &str = "m-bp1paymentsbase00v4";

async fn ess(
    rpc: &Rpc,
    version: &str,
    action: &str,
    extra: &[(&str, &str)],
) -> crate::support::sim::Answer {
    let p = rpc.sign(action, version, extra);
    rpc.send(&p).await
}

#[tokio::test]
async fn instances_page_by_next_token_and_by_page_number() {
    let (_sim, rpc) = demo().await;
    let mut token = String::new();
    let mut seen = 0;
    for _ in 0..10 {
        let mut p = vec![
            ("RegionId", HZ),
            ("ImageId", PAYMENTS_V4),
            ("MaxResults", "3"),
        ];
        if !token.is_empty() {
            p.push(("NextToken", token.as_str()));
        }
        let body = rpc.ecs("DescribeInstances", &p).await.ok();
        let page = body["Instances"]["Instance"].as_array().unwrap().len();
        assert!(page <= 10, "MaxResults under 10 is served as 10");
        seen += page;
        token = body["NextToken"].as_str().unwrap().to_string();
        if token.is_empty() {
            break;
        }
    }
    assert_eq!(seen, 10);
    // Page mode: TotalCount is the whole count.
    let body = rpc
        .ecs(
            "DescribeInstances",
            &[
                ("RegionId", HZ),
                ("ImageId", PAYMENTS_V4),
                ("PageSize", "1"),
            ],
        )
        .await
        .ok();
    assert_eq!(body["TotalCount"], 10);
    assert_eq!(body["Instances"]["Instance"].as_array().unwrap().len(), 1);
    rpc.ecs(
        "DescribeInstances",
        &[("RegionId", HZ), ("PageSize", "101")],
    )
    .await
    .expect_error(400, "InvalidParameter");
    rpc.ecs(
        "DescribeInstances",
        &[("RegionId", HZ), ("NextToken", "forged")],
    )
    .await
    .expect_error(400, "InvalidParameter");
    rpc.ecs("DescribeInstances", &[("RegionId", HZ), ("DryRun", "true")])
        .await
        .expect_error(400, "DryRunOperation");
}

#[tokio::test]
async fn without_permission_instances_come_back_empty_and_only_dry_run_says_so() {
    let sim = sim::start(crate::support::usage::forbidding("instances"))
        .await
        .unwrap();
    let rpc = Rpc::new(&sim);
    let body = rpc
        .ecs(
            "DescribeInstances",
            &[("RegionId", HZ), ("ImageId", PAYMENTS_V4)],
        )
        .await
        .ok();
    assert_eq!(body["Instances"]["Instance"], serde_json::json!([]));
    rpc.ecs("DescribeInstances", &[("RegionId", HZ), ("DryRun", "true")])
        .await
        .expect_error(403, "Forbidden.RAM");
}

#[tokio::test]
async fn template_versions_carry_dotted_keys_and_pages_are_clamped_at_fifty() {
    let (_sim, rpc) = demo().await;
    let body = rpc
        .ecs(
            "DescribeLaunchTemplates",
            &[("RegionId", HZ), ("PageSize", "100")],
        )
        .await
        .ok();
    assert_eq!(body["PageSize"], 50, "served at the cap");
    let sets = body["LaunchTemplateSets"]["LaunchTemplateSet"]
        .as_array()
        .unwrap();
    let web = sets
        .iter()
        .find(|t| t["LaunchTemplateName"] == "web-lt")
        .unwrap();
    assert!(
        web["CreatedBy"].is_number(),
        "typed a string, sent as a number"
    );
    let id = web["LaunchTemplateId"].as_str().unwrap();
    let body = rpc
        .ecs(
            "DescribeLaunchTemplateVersions",
            &[
                ("RegionId", HZ),
                ("LaunchTemplateId", id),
                ("DefaultVersion", "true"),
            ],
        )
        .await
        .ok();
    let versions = body["LaunchTemplateVersionSets"]["LaunchTemplateVersionSet"]
        .as_array()
        .unwrap();
    assert_eq!(versions.len(), 1);
    assert_eq!(versions[0]["VersionNumber"], 3);
    assert_eq!(versions[0]["LaunchTemplateData"]["SystemDisk.Size"], 40);
    rpc.ecs("DescribeLaunchTemplateVersions", &[("RegionId", HZ)])
        .await
        .expect_error(400, "MissingParameter");
    rpc.ecs(
        "DescribeLaunchTemplateVersions",
        &[("RegionId", HZ), ("LaunchTemplateId", "lt-nothere")],
    )
    .await
    .expect_error(404, "InvalidLaunchTemplate.NotFound");
}

#[tokio::test]
async fn auto_scaling_shares_the_port_and_its_versions_shape_lists_differently() {
    let (_sim, rpc) = demo().await;
    let wrapped = ess(
        &rpc,
        ESS_API_VERSION,
        "DescribeScalingGroups",
        &[("RegionId", HZ)],
    )
    .await
    .ok();
    let groups = wrapped["ScalingGroups"]["ScalingGroup"].as_array().unwrap();
    assert!(groups
        .iter()
        .any(|g| g["ScalingGroupName"] == "payments-asg"));
    assert!(groups[0]["VSwitchIds"]["VSwitchId"].is_array());
    let flat = ess(
        &rpc,
        ESS_FLAT_API_VERSION,
        "DescribeScalingGroups",
        &[("RegionId", HZ)],
    )
    .await
    .ok();
    assert_eq!(
        flat["ScalingGroups"].as_array().unwrap().len(),
        groups.len()
    );
    assert!(flat["ScalingGroups"][0]["VSwitchIds"].is_array());
    let configs = ess(
        &rpc,
        ESS_API_VERSION,
        "DescribeScalingConfigurations",
        &[("RegionId", HZ), ("PageSize", "50")],
    )
    .await
    .ok();
    assert_eq!(configs["PageSize"], "50", "the 2021 docs' string");
    assert!(configs["ScalingConfigurations"]["ScalingConfiguration"].is_array());
    let err = ess(
        &rpc,
        ESS_API_VERSION,
        "DescribeScalingGroups",
        &[("RegionId", HZ), ("PageSize", "51")],
    )
    .await;
    err.expect_error(400, "InvalidParameter");
    assert_eq!(err.body["HostId"], "ess.aliyuncs.com");
}

#[tokio::test]
async fn a_forbidden_identity_gets_forbidden_ram_from_auto_scaling_and_templates() {
    let sim = sim::start(crate::support::usage::forbidding("ess,templates"))
        .await
        .unwrap();
    let rpc = Rpc::new(&sim);
    ess(
        &rpc,
        ESS_API_VERSION,
        "DescribeScalingConfigurations",
        &[("RegionId", HZ)],
    )
    .await
    .expect_error(403, "Forbidden.RAM");
    rpc.ecs("DescribeLaunchTemplates", &[("RegionId", HZ)])
        .await
        .expect_error(403, "Forbidden.RAM");
    // The rest still answer.
    rpc.ecs(
        "DescribeImageSharePermission",
        &[("RegionId", HZ), ("ImageId", SHARED)],
    )
    .await
    .ok();
}

#[tokio::test]
async fn share_accounts_come_as_numbers_and_strings_and_page_up_to_a_hundred() {
    let (_sim, rpc) = demo().await;
    let body = rpc
        .ecs(
            "DescribeImageSharePermission",
            &[("RegionId", HZ), ("ImageId", SHARED)],
        )
        .await
        .ok();
    let accounts: Vec<&Value> = body["Accounts"]["Account"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| &a["AliyunId"])
        .collect();
    assert!(
        accounts[0].is_number() && accounts[1].is_string(),
        "{accounts:?}"
    );
    rpc.ecs(
        "DescribeImageSharePermission",
        &[("RegionId", HZ), ("ImageId", SHARED), ("PageSize", "101")],
    )
    .await
    .expect_error(400, "InvalidParameter");
    rpc.ecs(
        "DescribeImageSharePermission",
        &[("RegionId", HZ), ("ImageId", "m-nothere")],
    )
    .await
    .expect_error(404, "InvalidImageId.NotFound");
}

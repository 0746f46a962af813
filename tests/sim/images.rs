//! The simulator's ECS actions over real HTTP: DescribeRegions, DescribeImages (filters,
//! paging), DescribeImageFromFamily, and ModifyImageAttribute with every error of spec §3.2.

use std::collections::{HashMap, HashSet};

use crate::support::sim::{demo, Rpc, Style};
use ecsimg::ecs::model::{Image, ImageStatus};
use ecsimg::sim::{self, SimConfig, SimHandle};
use serde_json::Value;

const HZ: &str = "cn-hangzhou";
const ALL_STATUSES: &str = "Creating,Waiting,Available,UnAvailable,CreateFailed,Deprecated";
const PAYMENTS_V4: &str = "m-bp1paymentsbase00v4";

fn own(sim: &SimHandle) -> Vec<Image> {
    sim.images(HZ)
        .into_iter()
        .filter(|i| i.image_owner_alias == "self")
        .collect()
}

fn ids(images: &[Value]) -> Vec<String> {
    images
        .iter()
        .map(|i| i["ImageId"].as_str().unwrap().to_string())
        .collect()
}

/// The newest Available image of `family` in the simulator's own state.
fn newest_available(sim: &SimHandle, family: &str) -> Option<Image> {
    own(sim)
        .into_iter()
        .filter(|i| i.image_family == family && i.status == ImageStatus::Available)
        .max_by(|a, b| a.creation_time.cmp(&b.creation_time))
}

async fn family_head(rpc: &Rpc, family: &str) -> Option<String> {
    let body = rpc
        .ecs(
            "DescribeImageFromFamily",
            &[("RegionId", HZ), ("ImageFamily", family)],
        )
        .await
        .ok();
    body.get("Image")
        .map(|i| i["ImageId"].as_str().unwrap().to_string())
}

async fn modify(rpc: &Rpc, id: &str, extra: &[(&str, &str)]) -> crate::support::sim::Answer {
    let mut p = vec![("RegionId", HZ), ("ImageId", id)];
    p.extend_from_slice(extra);
    rpc.ecs("ModifyImageAttribute", &p).await
}

#[tokio::test]
async fn regions_are_named_in_the_language_asked_for() {
    let (sim, rpc) = demo().await;
    let zh = rpc.ecs("DescribeRegions", &[]).await.ok();
    let en = rpc
        .ecs("DescribeRegions", &[("AcceptLanguage", "en-US")])
        .await
        .ok();
    let find = |body: &Value, id: &str| -> Value {
        body["Regions"]["Region"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["RegionId"] == id)
            .cloned()
            .unwrap()
    };
    assert_eq!(find(&zh, HZ)["LocalName"], "华东1（杭州）");
    assert_eq!(find(&en, HZ)["LocalName"], "China (Hangzhou)");
    assert_eq!(
        find(&en, "ap-southeast-1")["RegionEndpoint"],
        "ecs.ap-southeast-1.aliyuncs.com"
    );
    assert_eq!(find(&en, HZ)["Status"], "available");
    assert!(zh["Regions"]["Region"].as_array().unwrap().len() >= 20);
    rpc.ecs("DescribeRegions", &[("AcceptLanguage", "xx")])
        .await
        .expect_error(404, "InvalidAcceptLanguage.NotFound");
    sim.shutdown().await;
}

#[tokio::test]
async fn without_status_only_available_images_come_back() {
    let (sim, rpc) = demo().await;
    let body = rpc
        .ecs(
            "DescribeImages",
            &[("RegionId", HZ), ("ImageOwnerAlias", "self")],
        )
        .await
        .ok();
    assert_eq!(
        (body["PageNumber"].as_u64(), body["PageSize"].as_u64()),
        (Some(1), Some(10))
    );
    assert_eq!(body["Images"]["Image"].as_array().unwrap().len(), 10);
    let available = own(&sim)
        .iter()
        .filter(|i| i.status == ImageStatus::Available)
        .count();
    assert_eq!(body["TotalCount"].as_u64().unwrap() as usize, available);
    assert!(
        available < own(&sim).len(),
        "the demo holds non-Available images"
    );
    let every = rpc.all_images(100, &[("ImageOwnerAlias", "self")]).await;
    assert!(every.iter().all(|i| i["Status"] == "Available"));
    assert_eq!(every.len(), available);
    sim.shutdown().await;
}

#[tokio::test]
async fn paging_gives_every_image_exactly_once_newest_first() {
    let (sim, rpc) = demo().await;
    let expected: HashSet<String> = own(&sim).into_iter().map(|i| i.image_id).collect();
    assert!(expected.len() >= 300);
    for size in [100, 37] {
        let pages = rpc
            .all_images(
                size,
                &[("ImageOwnerAlias", "self"), ("Status", ALL_STATUSES)],
            )
            .await;
        let got = ids(&pages);
        let unique: HashSet<String> = got.iter().cloned().collect();
        assert_eq!(got.len(), unique.len(), "no image twice (page size {size})");
        assert_eq!(unique, expected, "every image once (page size {size})");
        let times: Vec<&str> = pages
            .iter()
            .map(|i| i["CreationTime"].as_str().unwrap())
            .collect();
        assert!(times.windows(2).all(|w| w[0] >= w[1]), "newest first");
    }
    let past_the_end = rpc
        .ecs(
            "DescribeImages",
            &[("RegionId", HZ), ("PageNumber", "99"), ("PageSize", "100")],
        )
        .await
        .ok();
    assert_eq!(past_the_end["Images"]["Image"].as_array().unwrap().len(), 0);
    sim.shutdown().await;
}

#[tokio::test]
async fn page_size_and_number_are_checked() {
    let (sim, rpc) = demo().await;
    for (name, value) in [
        ("PageSize", "0"),
        ("PageSize", "101"),
        ("PageSize", "ten"),
        ("PageNumber", "0"),
    ] {
        let answer = rpc
            .ecs("DescribeImages", &[("RegionId", HZ), (name, value)])
            .await;
        answer.expect_error(400, "InvalidParameter");
        assert!(answer.message().contains(name), "{}", answer.text);
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn filters_narrow_the_list() {
    let (sim, rpc) = demo().await;
    let every = [("ImageOwnerAlias", "self"), ("Status", ALL_STATUSES)];

    let two = "m-bp1goldensharedbase1,m-bp1creatingimage0001";
    let found = rpc
        .all_images(100, &[every[0], every[1], ("ImageId", two)])
        .await;
    let mut got = ids(&found);
    got.sort();
    assert_eq!(
        got,
        vec!["m-bp1creatingimage0001", "m-bp1goldensharedbase1"]
    );

    let fuzzy = rpc
        .all_images(100, &[every[0], every[1], ("ImageName", "WEB-FRONT")])
        .await;
    assert!(!fuzzy.is_empty());
    assert!(fuzzy
        .iter()
        .all(|i| i["ImageName"].as_str().unwrap().contains("web-front")));

    let family = rpc
        .all_images(100, &[every[0], every[1], ("ImageFamily", "web-frontend")])
        .await;
    assert_eq!(family.len(), 14);

    let deprecated = rpc
        .all_images(
            100,
            &[
                every[0],
                ("Status", "Deprecated"),
                ("ImageFamily", "payments-base"),
            ],
        )
        .await;
    assert_eq!(deprecated.len(), 3);

    let system = rpc.all_images(100, &[("ImageOwnerAlias", "system")]).await;
    assert!(!system.is_empty());
    assert!(system.iter().all(|i| i["ImageOwnerAlias"] == "system"));

    let arm = rpc
        .all_images(100, &[every[0], every[1], ("Architecture", "arm64")])
        .await;
    assert!(arm.iter().all(|i| i["Architecture"] == "arm64") && !arm.is_empty());

    rpc.ecs(
        "DescribeImages",
        &[("RegionId", HZ), ("ImageOwnerAlias", "mine")],
    )
    .await
    .expect_error(400, "InvalidImageOwnerAlias.ValueNotSupported");
    rpc.ecs("DescribeImages", &[("RegionId", HZ), ("Status", "Gone")])
        .await
        .expect_error(400, "InvalidParameter");
    sim.shutdown().await;
}

#[tokio::test]
async fn images_have_the_documented_shape() {
    let (sim, rpc) = demo().await;
    let body = rpc
        .ecs(
            "DescribeImages",
            &[
                ("RegionId", HZ),
                ("ImageId", "m-bp1goldensharedbase1,m-bp1goldenbase0000001"),
            ],
        )
        .await
        .ok();
    assert_eq!(body["RegionId"], HZ);
    let images = body["Images"]["Image"].as_array().unwrap();
    let by_id: HashMap<&str, &Value> = images
        .iter()
        .map(|i| (i["ImageId"].as_str().unwrap(), i))
        .collect();
    let shared = by_id["m-bp1goldensharedbase1"];
    assert_eq!(shared["IsSelfShared"], "true", "a string, as ECS sends it");
    assert_eq!(by_id["m-bp1goldenbase0000001"]["IsSelfShared"], "False");
    assert!(shared["Size"].is_u64());
    assert!(shared["DiskDeviceMappings"]["DiskDeviceMapping"][0]["Size"].is_string());
    assert!(shared["Tags"]["Tag"].is_array());
    assert!(shared["Features"]["ImdsSupport"].is_string());
    assert!(shared["ImageOwnerId"].is_u64());
    for key in [
        "OSName",
        "OSNameEn",
        "OSType",
        "Architecture",
        "Platform",
        "BootMode",
        "Progress",
    ] {
        assert!(shared[key].is_string(), "{key}");
    }
    // The client's model reads it.
    let page: ecsimg::ecs::model::ImagePage = serde_json::from_value(body.clone()).unwrap();
    assert_eq!(page.images.image.len(), 2);
    sim.shutdown().await;
}

#[tokio::test]
async fn a_family_resolves_to_its_newest_available_image() {
    let (sim, rpc) = demo().await;
    for family in ["web-frontend", "ci-nightly", "k8s-worker", "payments-base"] {
        let expected = newest_available(&sim, family).unwrap().image_id;
        assert_eq!(family_head(&rpc, family).await, Some(expected), "{family}");
    }
    assert_eq!(
        family_head(&rpc, "payments-base").await.as_deref(),
        Some(PAYMENTS_V4)
    );
    assert_eq!(family_head(&rpc, "no-such-family").await, None);
    rpc.ecs("DescribeImageFromFamily", &[("RegionId", HZ)])
        .await
        .expect_error(400, "MissingParameter");
    sim.shutdown().await;
}

#[tokio::test]
async fn rename_and_describe_with_each_transport() {
    let (sim, rpc) = demo().await;
    let chinese_128 = "镜".repeat(128);
    for (style, name) in [
        (Style::Get, "web-renamed.v2:a_b"),
        (Style::PostForm, "生产镜像-改名"),
        (Style::PostQuery, chinese_128.as_str()),
    ] {
        let rpc = rpc.clone().with_style(style);
        let body = modify(
            &rpc,
            "m-bp1goldenbase0000001",
            &[("ImageName", name), ("Description", "每日更新 🚀 build")],
        )
        .await
        .ok();
        assert!(body["RequestId"].is_string());
        let image = sim.image(HZ, "m-bp1goldenbase0000001").unwrap();
        assert_eq!(image.image_name, name, "{style:?}");
        assert_eq!(image.description, "每日更新 🚀 build");
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn empty_name_and_description_keep_the_old_values() {
    let (sim, rpc) = demo().await;
    let before = sim.image(HZ, "m-bp1goldenbase0000001").unwrap();
    modify(
        &rpc,
        "m-bp1goldenbase0000001",
        &[("ImageName", ""), ("Description", ""), ("BootMode", "UEFI")],
    )
    .await
    .ok();
    let after = sim.image(HZ, "m-bp1goldenbase0000001").unwrap();
    assert_eq!(after.image_name, before.image_name);
    assert_eq!(after.description, before.description);
    assert_eq!(after.boot_mode, "UEFI");
    sim.shutdown().await;
}

/// Sends `extra` for `id` and checks the error and that nothing changed.
async fn refused(
    sim: &SimHandle,
    rpc: &Rpc,
    id: &str,
    extra: &[(&str, &str)],
    status: u16,
    code: &str,
) -> String {
    let before = sim.images(HZ);
    let answer = modify(rpc, id, extra).await;
    answer.expect_error(status, code);
    assert_eq!(sim.images(HZ), before, "{code} changed nothing");
    answer.message().to_string()
}

#[tokio::test]
async fn malformed_fields_are_refused_with_the_api_codes() {
    let (sim, rpc) = demo().await;
    let id = "m-bp1goldenbase0000001";
    let long = "a".repeat(129);
    for name in [
        "1web",
        long.as_str(),
        "aliyun-web",
        "acs:web",
        "webhttp://x",
        "web image",
        "a",
    ] {
        let msg = refused(
            &sim,
            &rpc,
            id,
            &[("ImageName", name)],
            400,
            "InvalidImageName.Malformed",
        )
        .await;
        assert!(
            msg.starts_with("Image names must be between 2 and 128 characters long"),
            "{msg}"
        );
    }
    let long_desc = "d".repeat(257);
    for desc in ["http://example.com", "https://x", long_desc.as_str(), "x"] {
        refused(
            &sim,
            &rpc,
            id,
            &[("Description", desc)],
            400,
            "InvalidDescription.Malformed",
        )
        .await;
    }
    refused(
        &sim,
        &rpc,
        id,
        &[("ImageFamily", "acs:web")],
        400,
        "InvalidImageFamily.Malformed",
    )
    .await;
    refused(
        &sim,
        &rpc,
        id,
        &[("BootMode", "EFI")],
        400,
        "InvalidBootMode.NotSupport",
    )
    .await;
    refused(
        &sim,
        &rpc,
        id,
        &[("LicenseType", "Auto")],
        400,
        "InvalidLicenseType.NotSupported",
    )
    .await;
    refused(
        &sim,
        &rpc,
        id,
        &[("Features.ImdsSupport", "v3")],
        400,
        "InvalidParameter.FeaturesImdsSupport",
    )
    .await;
    let msg = refused(
        &sim,
        &rpc,
        id,
        &[("Status", "Retired")],
        400,
        "InvalidParameter",
    )
    .await;
    assert!(msg.contains("Status"), "{msg}");
    refused(
        &sim,
        &rpc,
        id,
        &[("Features.NvmeSupport", "maybe")],
        400,
        "InvalidParameter",
    )
    .await;
    // Accepted values of the same fields.
    for (param, value) in [
        ("BootMode", "UEFI-Preferred"),
        ("LicenseType", "BYOL"),
        ("Features.NvmeSupport", "unsupported"),
        ("Features.ImdsSupport", "v2"),
        ("ImageFamily", "新家族.v1"),
    ] {
        modify(&rpc, id, &[(param, value)]).await.ok();
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn names_are_unique_per_region() {
    let (sim, rpc) = demo().await;
    let taken = sim.image(HZ, PAYMENTS_V4).unwrap().image_name;
    let msg = refused(
        &sim,
        &rpc,
        "m-bp1goldenbase0000001",
        &[("ImageName", &taken)],
        400,
        "InvalidImageName.Duplicated",
    )
    .await;
    assert_eq!(msg, "The specified Image name has already bean used.");
    // Keeping its own name is not a duplicate.
    modify(&rpc, PAYMENTS_V4, &[("ImageName", &taken)])
        .await
        .ok();
    // The same name in another region is fine.
    let shanghai = sim.images("cn-shanghai");
    let other = shanghai
        .iter()
        .find(|i| i.image_owner_alias == "self")
        .unwrap();
    rpc.ecs(
        "ModifyImageAttribute",
        &[
            ("RegionId", "cn-shanghai"),
            ("ImageId", &other.image_id),
            ("ImageName", &taken),
        ],
    )
    .await
    .ok();
    sim.shutdown().await;
}

#[tokio::test]
async fn state_dependent_refusals() {
    let (sim, rpc) = demo().await;
    refused(
        &sim,
        &rpc,
        "m-bp1imdsv2only000001",
        &[("Features.ImdsSupport", "v1")],
        403,
        "InvalidOperation.FeaturesImdsSupportNotMatch",
    )
    .await;
    let msg = refused(
        &sim,
        &rpc,
        "m-bp1goldensharedbase1",
        &[("Status", "Deprecated")],
        403,
        "ImageUseShared",
    )
    .await;
    assert!(msg.contains("remove shared accounts first"));
    refused(
        &sim,
        &rpc,
        "m-bp1creatingimage0001",
        &[("Status", "Deprecated")],
        403,
        "InvalidStatus.ImageIsCreating",
    )
    .await;
    refused(
        &sim,
        &rpc,
        "m-bp1creatingimage0001",
        &[("Description", "still going")],
        403,
        "InvalidStatus.ImageIsCreating",
    )
    .await;
    let msg = refused(
        &sim,
        &rpc,
        "m-bp1armworker0000001",
        &[("BootMode", "BIOS")],
        400,
        "InvalidBootMode.NotSupport",
    )
    .await;
    assert!(msg.contains("architecture"), "{msg}");
    refused(
        &sim,
        &rpc,
        "m-bp1doesnotexist00001",
        &[("Description", "hello")],
        404,
        "InvalidImageId.NotFound",
    )
    .await;
    let system = "aliyun_3_x64_20G_alibase_20250117.vhd";
    refused(
        &sim,
        &rpc,
        system,
        &[("Description", "mine now")],
        404,
        "InvalidImageId.NotFound",
    )
    .await;
    // A shared image can still be renamed, and can stay Available.
    modify(
        &rpc,
        "m-bp1goldensharedbase1",
        &[
            ("ImageName", "golden-shared-renamed"),
            ("Status", "Available"),
        ],
    )
    .await
    .ok();
    sim.shutdown().await;
}

#[tokio::test]
async fn missing_parameters() {
    let (sim, rpc) = demo().await;
    let answer = rpc
        .ecs(
            "ModifyImageAttribute",
            &[("ImageId", PAYMENTS_V4), ("Description", "xx")],
        )
        .await;
    answer.expect_error(400, "MissingParameter");
    assert!(answer.message().contains("\"RegionId\""));
    let answer = rpc
        .ecs(
            "ModifyImageAttribute",
            &[("RegionId", HZ), ("Description", "xx")],
        )
        .await;
    answer.expect_error(400, "MissingParameter");
    assert!(answer.message().contains("\"ImageId\""));
    sim.shutdown().await;
}

#[tokio::test]
async fn family_quotas() {
    let (sim, rpc) = demo().await;
    // ci-nightly already holds 100 images.
    refused(
        &sim,
        &rpc,
        "m-bp1goldenbase0000001",
        &[("ImageFamily", "ci-nightly")],
        400,
        "ImageQuotaFull.ImageFamily",
    )
    .await;
    sim.shutdown().await;

    let families: HashSet<String> = sim::Inventory::demo().images[HZ]
        .iter()
        .filter(|i| i.image_owner_alias == "self" && !i.image_family.is_empty())
        .map(|i| i.image_family.clone())
        .collect();
    let sim = sim::start(SimConfig::demo().with_family_quotas(100, families.len()))
        .await
        .unwrap();
    let rpc = Rpc::new(&sim);
    refused(
        &sim,
        &rpc,
        "m-bp1goldenbase0000001",
        &[("ImageFamily", "brand-new-family")],
        400,
        "ImageFamilyQuotaFull",
    )
    .await;
    // Moving into an existing family is still fine.
    modify(
        &rpc,
        "m-bp1goldenbase0000001",
        &[("ImageFamily", "web-frontend")],
    )
    .await
    .ok();
    sim.shutdown().await;
}

#[tokio::test]
async fn dry_run_validates_and_changes_nothing() {
    let (sim, rpc) = demo().await;
    let msg = refused(
        &sim,
        &rpc,
        PAYMENTS_V4,
        &[
            ("Status", "Deprecated"),
            ("ImageName", "payments-final"),
            ("DryRun", "true"),
        ],
        400,
        "DryRunOperation",
    )
    .await;
    assert_eq!(
        msg,
        "Request validation has been passed with DryRun flag set."
    );
    // A dry run of an invalid change reports the real error.
    refused(
        &sim,
        &rpc,
        PAYMENTS_V4,
        &[("ImageName", "1bad"), ("DryRun", "true")],
        400,
        "InvalidImageName.Malformed",
    )
    .await;
    // DryRun=false applies.
    modify(
        &rpc,
        PAYMENTS_V4,
        &[("ImageName", "payments-final"), ("DryRun", "false")],
    )
    .await
    .ok();
    assert_eq!(
        sim.image(HZ, PAYMENTS_V4).unwrap().image_name,
        "payments-final"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn deprecating_rolls_a_family_back_and_restoring_undoes_it() {
    let (sim, rpc) = demo().await;
    let head = newest_available(&sim, "web-frontend").unwrap();
    modify(&rpc, &head.image_id, &[("Status", "Deprecated")])
        .await
        .ok();
    let next = newest_available(&sim, "web-frontend").unwrap();
    assert!(next.creation_time < head.creation_time);
    assert_eq!(
        family_head(&rpc, "web-frontend").await,
        Some(next.image_id.clone())
    );
    modify(&rpc, &head.image_id, &[("Status", "Available")])
        .await
        .ok();
    assert_eq!(family_head(&rpc, "web-frontend").await, Some(head.image_id));

    // The only Available image of payments-base: the family then resolves to nothing.
    modify(&rpc, PAYMENTS_V4, &[("Status", "Deprecated")])
        .await
        .ok();
    assert_eq!(family_head(&rpc, "payments-base").await, None);
    let body = rpc
        .ecs(
            "DescribeImageFromFamily",
            &[("RegionId", HZ), ("ImageFamily", "payments-base")],
        )
        .await
        .ok();
    assert!(
        body.get("Image").is_none() && body["RequestId"].is_string(),
        "{body}"
    );
    sim.shutdown().await;
}

//! The demo inventory: regions and images expanded from `assets/demo_inventory.toml`, and
//! who uses them from `assets/demo_usage.toml`.
//!
//! The asset is compiled in, and its generated parts use a fixed seed, so every run (and
//! every test) sees the same images. The asset's header lists the fixtures tests rely on.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use crate::ecs::model::Image;
use crate::sim::usage::RegionUsage;

mod asset;
mod generate;
mod large;
mod usage;

use asset::Asset;
use generate::generate;

const ASSET: &str = include_str!("../../assets/demo_inventory.toml");
const USAGE_ASSET: &str = include_str!("../../assets/demo_usage.toml");

/// One region as DescribeRegions lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionInfo {
    pub id: String,
    pub endpoint: String,
    /// The Chinese name (`AcceptLanguage=zh-CN`, the default).
    pub local_name_zh: String,
    /// The English name (`AcceptLanguage=en-US`).
    pub local_name_en: String,
    /// `available` or `soldOut`.
    pub status: String,
}

/// Regions, and the images of each region.
#[derive(Debug, Clone, PartialEq)]
pub struct Inventory {
    /// The account that owns the custom images (`ImageOwnerId`).
    pub account_id: u64,
    pub regions: Vec<RegionInfo>,
    pub images: BTreeMap<String, Vec<Image>>,
    /// Who uses the images, by region.
    pub usage: BTreeMap<String, RegionUsage>,
}

fn asset() -> Asset {
    toml::from_str(ASSET).expect("assets/demo_inventory.toml parses")
}

/// A custom image's `Usage` says `instance` exactly when the demo's usage data has an
/// instance launched from it, so the detail pane's "usage" and its "Used by" line agree.
fn mark_in_use(images: &mut BTreeMap<String, Vec<Image>>, usage: &BTreeMap<String, RegionUsage>) {
    for (region, list) in images.iter_mut() {
        let launched = |id: &str| {
            usage
                .get(region)
                .is_some_and(|u| u.instances.iter().any(|i| i.image_id == id))
        };
        for image in list.iter_mut().filter(|i| i.image_owner_alias == "self") {
            image.usage = if launched(&image.image_id) {
                "instance"
            } else {
                "none"
            }
            .into();
        }
    }
}

impl Inventory {
    /// The demo inventory (a few hundred images). Always the same.
    pub fn demo() -> Inventory {
        static DEMO: OnceLock<Inventory> = OnceLock::new();
        DEMO.get_or_init(|| {
            let asset = asset();
            let usage: usage::UsageAsset =
                toml::from_str(USAGE_ASSET).expect("assets/demo_usage.toml parses");
            let mut images = generate(&asset);
            let usage = usage::expand(&usage, &images);
            mark_in_use(&mut images, &usage);
            Inventory {
                account_id: asset.account_id,
                regions: asset
                    .region
                    .iter()
                    .map(|r| RegionInfo {
                        id: r.id.clone(),
                        endpoint: r.endpoint.clone(),
                        local_name_zh: r.zh.clone(),
                        local_name_en: r.en.clone(),
                        status: r.status.clone(),
                    })
                    .collect(),
                usage,
                images,
            }
        })
        .clone()
    }

    /// The demo inventory with `region`'s custom images replaced by `n` generated ones
    /// (its system images stay). The same `n` gives the same images on every run.
    pub fn with_generated(mut self, region: &str, n: usize) -> Inventory {
        let mut images = large::generate_large(&asset(), region, n);
        let system = self.images.remove(region).unwrap_or_default();
        images.extend(system.into_iter().filter(|i| i.image_owner_alias != "self"));
        self.images.insert(region.to_string(), images);
        self
    }

    /// The demo's regions without any image.
    pub fn empty() -> Inventory {
        Inventory {
            images: BTreeMap::new(),
            usage: BTreeMap::new(),
            ..Inventory::demo()
        }
    }

    pub fn region(&self, id: &str) -> Option<&RegionInfo> {
        self.regions.iter().find(|r| r.id == id)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::ecs::model::ImageStatus;
    use crate::rules::{self, Field};

    fn region(name: &str) -> Vec<Image> {
        Inventory::demo().images[name].clone()
    }

    fn own(images: &[Image]) -> Vec<&Image> {
        images
            .iter()
            .filter(|i| i.image_owner_alias == "self")
            .collect()
    }

    fn get<'a>(images: &'a [Image], id: &str) -> &'a Image {
        images.iter().find(|i| i.image_id == id).unwrap()
    }

    #[test]
    fn an_image_says_it_is_in_use_exactly_when_an_instance_runs_from_it() {
        let demo = Inventory::demo();
        let mut in_use = 0;
        for (name, images) in &demo.images {
            for image in own(images) {
                let launched = demo
                    .usage
                    .get(name)
                    .is_some_and(|u| u.instances.iter().any(|i| i.image_id == image.image_id));
                assert_eq!(image.usage == "instance", launched, "{}", image.image_id);
                in_use += usize::from(launched);
            }
        }
        assert!(in_use >= 2, "the demo shows images in use");
    }

    #[test]
    fn is_deterministic() {
        let asset: Asset = toml::from_str(ASSET).unwrap();
        assert_eq!(generate(&asset), generate(&asset));
    }

    #[test]
    fn a_generated_inventory_is_deterministic_and_keeps_the_quotas() {
        let large = || Inventory::demo().with_generated("cn-hangzhou", 12_000);
        let (a, b) = (large(), large());
        assert_eq!(a, b);
        let hz = own(&a.images["cn-hangzhou"])
            .into_iter()
            .cloned()
            .collect::<Vec<_>>();
        assert_eq!(hz.len(), 12_000);
        assert!(a.images["cn-hangzhou"]
            .iter()
            .any(|i| i.image_owner_alias == "system"));
        let mut per_family: std::collections::HashMap<&str, usize> = Default::default();
        for image in &hz {
            if let Some(f) = image.family() {
                *per_family.entry(f).or_default() += 1;
            }
        }
        assert!(per_family.len() <= 100, "{} families", per_family.len());
        assert!(per_family.values().all(|n| *n <= 100));
        let ids: HashSet<&str> = hz.iter().map(|i| i.image_id.as_str()).collect();
        assert_eq!(ids.len(), hz.len(), "IDs are unique");
        assert!(hz.iter().any(|i| i.image_name.ends_with("-v10")));
        assert_eq!(
            a.images["cn-shanghai"],
            Inventory::demo().images["cn-shanghai"]
        );
    }

    #[test]
    fn has_the_promised_sizes() {
        let inv = Inventory::demo();
        assert!(own(&region("cn-hangzhou")).len() >= 300);
        assert!(!own(&region("cn-shanghai")).is_empty());
        assert!(!own(&region("ap-southeast-1")).is_empty());
        assert_eq!(inv.images.len(), 3, "only three regions hold images");
        assert!(inv.region("cn-hangzhou").is_some());
    }

    #[test]
    fn ids_are_unique_and_names_unique_per_region() {
        let inv = Inventory::demo();
        let mut ids = HashSet::new();
        for images in inv.images.values() {
            let mut names = HashSet::new();
            for image in own(images) {
                assert!(ids.insert(image.image_id.clone()), "{}", image.image_id);
                assert!(
                    names.insert(image.image_name.clone()),
                    "{}",
                    image.image_name
                );
            }
        }
    }

    #[test]
    fn every_custom_value_passes_the_rules() {
        for images in Inventory::demo().images.values() {
            for image in own(images) {
                for field in Field::ALL {
                    let value = field.value_of(image);
                    let optional = matches!(field, Field::Description | Field::ImageFamily);
                    if value.is_empty() && optional || field == Field::LicenseType {
                        continue;
                    }
                    if field == Field::Status
                        && !matches!(value.as_str(), "Available" | "Deprecated")
                    {
                        continue;
                    }
                    assert_eq!(
                        rules::check_field(field, &value),
                        None,
                        "{}",
                        image.image_id
                    );
                }
            }
        }
    }

    #[test]
    fn the_documented_fixtures_exist() {
        let hz = region("cn-hangzhou");
        let payments: Vec<&Image> = hz
            .iter()
            .filter(|i| i.image_family == "payments-base")
            .collect();
        let available: Vec<&str> = payments
            .iter()
            .filter(|i| i.status == ImageStatus::Available)
            .map(|i| i.image_id.as_str())
            .collect();
        assert_eq!(payments.len(), 4);
        assert_eq!(available, vec!["m-bp1paymentsbase00v4"]);

        let family =
            |name: &str| -> Vec<&Image> { hz.iter().filter(|i| i.image_family == name).collect() };
        let web = family("web-frontend");
        assert_eq!(web.len(), 14);
        assert_eq!(
            web.iter()
                .filter(|i| i.status == ImageStatus::Available)
                .count(),
            4
        );
        let mut by_time = web.clone();
        by_time.sort_by(|a, b| b.creation_time.cmp(&a.creation_time));
        assert!(by_time[..4]
            .iter()
            .all(|i| i.status == ImageStatus::Available));
        let nightly = family("ci-nightly");
        assert_eq!(nightly.len(), 100);
        assert_eq!(
            nightly
                .iter()
                .filter(|i| i.status == ImageStatus::Available)
                .count(),
            7
        );
        assert!(!own(&region("cn-shanghai"))
            .iter()
            .all(|i| i.image_family != "web-frontend"));

        assert!(get(&hz, "m-bp1goldensharedbase1").is_shared());
        assert_eq!(
            get(&hz, "m-bp1creatingimage0001").status,
            ImageStatus::Creating
        );
        assert_eq!(get(&hz, "m-bp1creatingimage0001").progress, "42%");
        assert_eq!(
            get(&hz, "m-bp1createfailed00001").status,
            ImageStatus::CreateFailed
        );
        assert_eq!(
            get(&hz, "m-bp1imdsv2only000001")
                .features
                .imds_support
                .as_deref(),
            Some("v2")
        );
        let arm = get(&hz, "m-bp1armworker0000001");
        assert_eq!(
            (arm.architecture.as_str(), arm.boot_mode.as_str()),
            ("arm64", "UEFI")
        );
        assert_eq!(
            get(&hz, "m-bp1chinesename00001").image_name,
            "生产环境-订单服务-v3"
        );
        assert!(get(&hz, "m-bp1emojidesc0000001").description.contains('🚀'));
        assert_eq!(
            get(&hz, "m-bp1longname12800001").image_name.chars().count(),
            128
        );
        assert_eq!(
            get(&hz, "m-bp1longname12700001").image_name.chars().count(),
            127
        );
        let statuses: HashSet<String> = hz.iter().map(|i| i.status.to_string()).collect();
        assert!(statuses.contains("Deprecated") && statuses.contains("Available"));
        for images in Inventory::demo().images.values() {
            assert!(images.iter().any(|i| i.image_owner_alias == "system"));
        }
    }

    #[test]
    fn creation_times_spread_over_about_two_years() {
        let hz = region("cn-hangzhou");
        let oldest = hz.iter().map(|i| i.creation_time.as_str()).min().unwrap();
        let newest = hz.iter().map(|i| i.creation_time.as_str()).max().unwrap();
        assert!(
            oldest < "2023-09-01" && newest > "2025-06-01",
            "{oldest} … {newest}"
        );
    }

    #[test]
    fn the_usage_fixtures_exist() {
        let inv = Inventory::demo();
        let hz = &inv.usage["cn-hangzhou"];
        let web = region("cn-hangzhou");
        let mut available: Vec<&Image> = web
            .iter()
            .filter(|i| i.image_family == "web-frontend" && i.status == ImageStatus::Available)
            .collect();
        available.sort_by(|a, b| b.creation_time.cmp(&a.creation_time));
        let latest = &available[0].image_id;
        let on_latest: Vec<_> = hz
            .instances
            .iter()
            .filter(|i| &i.image_id == latest)
            .collect();
        assert_eq!(on_latest.len(), 130);
        assert_eq!(
            on_latest.iter().filter(|i| i.status == "Running").count(),
            120
        );
        let web_lt = hz
            .templates
            .iter()
            .find(|t| t.template.launch_template_name == "web-lt")
            .unwrap();
        assert_eq!(&web_lt.versions[2].launch_template_data.image_id, latest);
        assert!(web_lt.versions[2].default_version);
        assert_eq!(hz.shares["m-bp1goldensharedbase1"].len(), 2);
        let ids: HashSet<&str> = hz
            .instances
            .iter()
            .map(|i| i.instance_id.as_str())
            .collect();
        assert_eq!(ids.len(), hz.instances.len(), "instance IDs are unique");
        assert!(hz.groups.len() >= 4 && hz.configurations.len() >= 4);
    }
}

//! The demo inventory: regions and images expanded from `assets/demo_inventory.toml`.
//!
//! The asset is compiled in, and its generated parts use a fixed seed, so every run (and
//! every test) sees the same images. The asset's header lists the fixtures tests rely on.

use std::collections::{BTreeMap, HashSet};
use std::sync::OnceLock;

use serde::Deserialize;
use time::{Duration, OffsetDateTime};

use super::clock::{format_timestamp, parse_timestamp};
use crate::ecs::model::{
    DiskDeviceMapping, DiskDeviceMappings, Features, Image, ImageStatus, Tag, Tags,
};

const ASSET: &str = include_str!("../../assets/demo_inventory.toml");

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
}

impl Inventory {
    /// The demo inventory (a few hundred images). Always the same.
    pub fn demo() -> Inventory {
        static DEMO: OnceLock<Inventory> = OnceLock::new();
        DEMO.get_or_init(|| {
            let asset: Asset = toml::from_str(ASSET).expect("assets/demo_inventory.toml parses");
            generate(&asset)
        })
        .clone()
    }

    /// The demo's regions without any image.
    pub fn empty() -> Inventory {
        Inventory {
            images: BTreeMap::new(),
            ..Inventory::demo()
        }
    }

    pub fn region(&self, id: &str) -> Option<&RegionInfo> {
        self.regions.iter().find(|r| r.id == id)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Asset {
    seed: u64,
    account_id: u64,
    newest: String,
    span_days: i64,
    resource_groups: Vec<String>,
    region: Vec<AssetRegion>,
    os: Vec<AssetOs>,
    family: Vec<AssetFamily>,
    loose: Vec<AssetLoose>,
    image: Vec<AssetImage>,
    system: Vec<AssetSystem>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AssetRegion {
    id: String,
    endpoint: String,
    zh: String,
    en: String,
    id_prefix: String,
    #[serde(default = "available")]
    status: String,
}

fn available() -> String {
    "available".to_string()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AssetOs {
    key: String,
    name: String,
    name_en: String,
    os_type: String,
    platform: String,
    architecture: String,
    boot_mode: String,
    nvme: String,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum Naming {
    Semver,
    Date,
    Number,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AssetFamily {
    region: String,
    name: String,
    versions: usize,
    available: usize,
    naming: Naming,
    spacing_days: i64,
    newest_within_days: i64,
    os: String,
    size: u64,
    #[serde(default)]
    license: Option<String>,
    descriptions: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AssetLoose {
    region: String,
    count: usize,
    deprecated_percent: u32,
    names: Vec<String>,
    descriptions: Vec<String>,
    hosts: Vec<String>,
    teams: Vec<String>,
    os: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AssetImage {
    region: String,
    id: String,
    name: String,
    #[serde(default)]
    family: String,
    description: String,
    #[serde(default)]
    status: Option<String>,
    created: String,
    #[serde(default)]
    os: Option<String>,
    #[serde(default)]
    size: Option<u64>,
    #[serde(default)]
    shared: bool,
    #[serde(default)]
    progress: Option<String>,
    #[serde(default)]
    usage: Option<String>,
    #[serde(default)]
    imds: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AssetSystem {
    id: String,
    family: String,
    os: String,
    created: String,
    size: u64,
}

/// Expands the asset; the order of random draws is fixed, so the output is too.
struct Generator<'a> {
    asset: &'a Asset,
    rng: fastrand::Rng,
    newest: OffsetDateTime,
    images: BTreeMap<String, Vec<Image>>,
    names: HashSet<(String, String)>,
    ids: HashSet<String>,
    counter: usize,
}

fn generate(asset: &Asset) -> Inventory {
    let mut g = Generator {
        asset,
        rng: fastrand::Rng::with_seed(asset.seed),
        newest: parse_timestamp(&asset.newest).expect("`newest` is a timestamp"),
        images: BTreeMap::new(),
        names: HashSet::new(),
        ids: HashSet::new(),
        counter: 0,
    };
    for fixture in &asset.image {
        g.fixture(fixture);
    }
    for family in &asset.family {
        g.family(family);
    }
    for loose in &asset.loose {
        g.loose(loose);
    }
    let demo_regions: Vec<String> = g.images.keys().cloned().collect();
    for region in &demo_regions {
        for system in &asset.system {
            g.system(region, system);
        }
    }
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
        images: g.images,
    }
}

impl Generator<'_> {
    fn os(&self, key: &str) -> &AssetOs {
        self.asset
            .os
            .iter()
            .find(|o| o.key == key)
            .unwrap_or_else(|| panic!("demo inventory: unknown os {key:?}"))
    }

    fn prefix(&self, region: &str) -> String {
        self.asset
            .region
            .iter()
            .find(|r| r.id == region)
            .unwrap_or_else(|| panic!("demo inventory: unknown region {region:?}"))
            .id_prefix
            .clone()
    }

    fn pick<'s>(&mut self, items: &'s [String]) -> &'s str {
        &items[self.rng.usize(..items.len())]
    }

    fn random_id(&mut self, prefix: &str) -> String {
        loop {
            let tail: String = (0..17)
                .map(|_| {
                    let i = self.rng.usize(..36);
                    char::from_digit(i as u32, 36).unwrap_or('0')
                })
                .collect();
            let id = format!("{prefix}{tail}");
            if self.ids.insert(id.clone()) {
                return id;
            }
        }
    }

    /// `candidate`, or `candidate-2`, `-3`… so names stay unique per region.
    fn unique_name(&mut self, region: &str, candidate: String) -> String {
        let mut name = candidate.clone();
        let mut n = 2;
        while !self.names.insert((region.to_string(), name.clone())) {
            name = format!("{candidate}-{n}");
            n += 1;
        }
        name
    }

    /// An image with everything but its identity filled in from its OS.
    fn base(&mut self, region: &str, os_key: &str, size: u64, created: OffsetDateTime) -> Image {
        let os = self.os(os_key);
        let (name, name_en, os_type, platform, arch, boot, nvme) = (
            os.name.clone(),
            os.name_en.clone(),
            os.os_type.clone(),
            os.platform.clone(),
            os.architecture.clone(),
            os.boot_mode.clone(),
            os.nvme.clone(),
        );
        let windows = os_type == "windows";
        let prefix = self.prefix(region);
        let snapshot = format!(
            "s-{}",
            &self.random_id(&prefix)[2..]
                .chars()
                .rev()
                .collect::<String>()
        );
        let imds = if self.rng.u32(..100) < 20 { "v2" } else { "v1" };
        let group = self.pick(&self.asset.resource_groups).to_string();
        let tags = if self.rng.u32(..100) < 30 {
            let env = ["prod", "staging", "dev"][self.rng.usize(..3)];
            vec![Tag {
                tag_key: "env".into(),
                tag_value: env.into(),
            }]
        } else {
            Vec::new()
        };
        Image {
            creation_time: format_timestamp(created),
            size,
            os_name: name,
            os_name_en: name_en,
            os_type,
            architecture: arch,
            platform,
            usage: "none".into(),
            is_self_shared: "False".into(),
            image_owner_alias: "self".into(),
            progress: "100%".into(),
            boot_mode: boot,
            license_type: "Auto".into(),
            features: Features {
                nvme_support: Some(nvme),
                imds_support: Some(imds.into()),
            },
            is_support_cloudinit: !windows,
            is_support_io_optimized: true,
            resource_group_id: group,
            tags: Tags { tag: tags },
            disk_device_mappings: DiskDeviceMappings {
                disk_device_mapping: vec![DiskDeviceMapping {
                    device: "/dev/xvda".into(),
                    kind: "system".into(),
                    snapshot_id: snapshot,
                    size: size.to_string(),
                    format: String::new(),
                }],
            },
            ..Image::default()
        }
    }

    fn push(&mut self, region: &str, image: Image) {
        self.images
            .entry(region.to_string())
            .or_default()
            .push(image);
    }

    fn family(&mut self, f: &AssetFamily) {
        let prefix = self.prefix(&f.region);
        let mut created =
            self.newest - Duration::seconds(self.rng.i64(0..f.newest_within_days * 86_400));
        // Newest first: version index `versions - 1` down to 0.
        for step in 0..f.versions {
            let index = f.versions - 1 - step;
            let version = match f.naming {
                Naming::Semver => format!("v{}.{}.{}", 1 + index / 4, index % 4, self.rng.u32(..3)),
                Naming::Date => created.date().to_string().replace('-', ""),
                Naming::Number => format!("v{}", index + 1),
            };
            let name = self.unique_name(&f.region, format!("{}-{version}", f.name));
            let mut image = self.base(&f.region, &f.os, f.size, created);
            image.image_id = self.random_id(&prefix);
            image.image_name = name;
            image.image_family = f.name.clone();
            image.description = self.pick(&f.descriptions).to_string();
            image.status = if step < f.available {
                ImageStatus::Available
            } else {
                ImageStatus::Deprecated
            };
            if step == 0 {
                image.usage = "instance".into();
            }
            if let Some(license) = &f.license {
                image.license_type = license.clone();
            }
            self.push(&f.region, image);
            let spacing = f.spacing_days * 86_400;
            // Daily families keep one image per day; others wander by up to a fifth.
            let jitter = if f.spacing_days > 1 {
                self.rng.i64(0..spacing / 5)
            } else {
                0
            };
            created -= Duration::seconds(spacing - jitter);
        }
    }

    fn loose(&mut self, l: &AssetLoose) {
        let prefix = self.prefix(&l.region);
        for _ in 0..l.count {
            self.counter += 1;
            let created =
                self.newest - Duration::seconds(self.rng.i64(0..self.asset.span_days * 86_400));
            let os = self.pick(&l.os).to_string();
            let size = [20, 40, 40, 60, 80, 100][self.rng.usize(..6)];
            let template = self.pick(&l.names).to_string();
            let host = self.pick(&l.hosts).to_string();
            let team = self.pick(&l.teams).to_string();
            let date = created.date().to_string().replace('-', "");
            let candidate = template
                .replace("{date}", &date)
                .replace("{n}", &self.counter.to_string())
                .replace("{host}", &host)
                .replace("{team}", &team);
            let name = self.unique_name(&l.region, candidate);
            let mut image = self.base(&l.region, &os, size, created);
            image.image_id = self.random_id(&prefix);
            image.image_name = name;
            image.description = self.pick(&l.descriptions).to_string();
            if self.rng.u32(..100) < l.deprecated_percent {
                image.status = ImageStatus::Deprecated;
            }
            self.push(&l.region, image);
        }
    }

    fn fixture(&mut self, f: &AssetImage) {
        let created = parse_timestamp(&f.created)
            .unwrap_or_else(|| panic!("demo inventory: bad time {:?}", f.created));
        let mut image = self.base(
            &f.region,
            f.os.as_deref().unwrap_or("alinux3"),
            f.size.unwrap_or(40),
            created,
        );
        assert!(self.ids.insert(f.id.clone()), "duplicate id {}", f.id);
        image.image_id = f.id.clone();
        image.image_name = self.unique_name(&f.region, f.name.clone());
        image.image_family = f.family.clone();
        image.description = f.description.clone();
        image.status = ImageStatus::parse(f.status.as_deref().unwrap_or("Available"));
        image.features.imds_support = Some(f.imds.clone().unwrap_or_else(|| "v1".into()));
        if f.shared {
            image.is_self_shared = "true".into();
        }
        if let Some(progress) = &f.progress {
            image.progress = progress.clone();
        }
        if let Some(usage) = &f.usage {
            image.usage = usage.clone();
        }
        self.push(&f.region, image);
    }

    fn system(&mut self, region: &str, s: &AssetSystem) {
        let created = parse_timestamp(&s.created)
            .unwrap_or_else(|| panic!("demo inventory: bad time {:?}", s.created));
        let mut image = self.base(region, &s.os, s.size, created);
        image.image_id = s.id.clone();
        image.image_name = s.id.clone();
        image.image_family = s.family.clone();
        image.image_owner_alias = "system".into();
        image.is_self_shared = String::new();
        image.is_public = true;
        image.usage = "instance".into();
        image.resource_group_id = String::new();
        image.tags = Tags::default();
        self.push(region, image);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
    fn is_deterministic() {
        let asset: Asset = toml::from_str(ASSET).unwrap();
        assert_eq!(generate(&asset), generate(&asset));
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
}

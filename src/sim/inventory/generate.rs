//! Expands the asset into images: fixtures first (their IDs are fixed), then families,
//! loose images and the system images of every region that has any. Generated IDs, names
//! and times come from one RNG with the asset's seed, drawn in a fixed order.

use std::collections::{BTreeMap, HashSet};

use time::{Duration, OffsetDateTime};

use super::asset::{Asset, AssetFamily, AssetImage, AssetLoose, AssetOs, AssetSystem, Naming};
use crate::ecs::model::{
    DiskDeviceMapping, DiskDeviceMappings, Features, Image, ImageStatus, Tag, Tags,
};
use crate::sim::clock::{format_timestamp, parse_timestamp};

/// Expands the asset; the order of random draws is fixed, so the output is too.
pub(super) struct Generator<'a> {
    pub(super) asset: &'a Asset,
    pub(super) rng: fastrand::Rng,
    pub(super) newest: OffsetDateTime,
    images: BTreeMap<String, Vec<Image>>,
    names: HashSet<(String, String)>,
    ids: HashSet<String>,
    counter: usize,
}

/// Every region's images, expanded from the asset.
pub(super) fn generate(asset: &Asset) -> BTreeMap<String, Vec<Image>> {
    let mut g = Generator::new(asset);
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
    g.images
}

impl<'a> Generator<'a> {
    pub(super) fn new(asset: &'a Asset) -> Generator<'a> {
        Generator {
            asset,
            rng: fastrand::Rng::with_seed(asset.seed),
            newest: parse_timestamp(&asset.newest).expect("`newest` is a timestamp"),
            images: BTreeMap::new(),
            names: HashSet::new(),
            ids: HashSet::new(),
            counter: 0,
        }
    }

    /// The images generated so far, by region.
    pub(super) fn into_images(self) -> BTreeMap<String, Vec<Image>> {
        self.images
    }

    fn os(&self, key: &str) -> &AssetOs {
        self.asset
            .os
            .iter()
            .find(|o| o.key == key)
            .unwrap_or_else(|| panic!("demo inventory: unknown os {key:?}"))
    }

    pub(super) fn prefix(&self, region: &str) -> String {
        self.asset
            .region
            .iter()
            .find(|r| r.id == region)
            .unwrap_or_else(|| panic!("demo inventory: unknown region {region:?}"))
            .id_prefix
            .clone()
    }

    pub(super) fn pick<'s>(&mut self, items: &'s [String]) -> &'s str {
        &items[self.rng.usize(..items.len())]
    }

    pub(super) fn random_id(&mut self, prefix: &str) -> String {
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
    pub(super) fn unique_name(&mut self, region: &str, candidate: String) -> String {
        let mut name = candidate.clone();
        let mut n = 2;
        while !self.names.insert((region.to_string(), name.clone())) {
            name = format!("{candidate}-{n}");
            n += 1;
        }
        name
    }

    /// An image with everything but its identity filled in from its OS.
    pub(super) fn base(
        &mut self,
        region: &str,
        os_key: &str,
        size: u64,
        created: OffsetDateTime,
    ) -> Image {
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

    pub(super) fn push(&mut self, region: &str, image: Image) {
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

//! Expands `assets/demo_usage.toml` against the generated images: `FAMILY@N` becomes the
//! family's N-th newest Available image, instances get IDs and names, templates their
//! versions. Everything is derived from the asset and the images, so every run is the same.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::ecs::model::{
    Image, ImageStatus, Instance, LaunchTemplate, LaunchTemplateData, LaunchTemplateVersion,
    ScalingConfiguration, ScalingGroup,
};
use crate::sim::usage::{RegionUsage, Share, Template};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct UsageAsset {
    #[serde(default)]
    instances: Vec<AssetInstances>,
    #[serde(default)]
    template: Vec<AssetTemplate>,
    #[serde(default)]
    group: Vec<AssetGroup>,
    #[serde(default)]
    configuration: Vec<AssetConfiguration>,
    #[serde(default)]
    share: Vec<AssetShare>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AssetInstances {
    region: String,
    image: String,
    /// `{n}` is replaced by 001, 002, …
    name: String,
    running: usize,
    #[serde(default)]
    stopped: usize,
    zones: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AssetTemplate {
    region: String,
    id: String,
    name: String,
    default: u64,
    versions: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AssetGroup {
    region: String,
    id: String,
    name: String,
    state: String,
    #[serde(default)]
    active_configuration: String,
    #[serde(default)]
    launch_template: String,
    #[serde(default)]
    version: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AssetConfiguration {
    region: String,
    id: String,
    name: String,
    group: String,
    state: String,
    #[serde(default)]
    image: String,
    #[serde(default)]
    family: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AssetShare {
    region: String,
    image: String,
    accounts: Vec<String>,
    numbers: Vec<bool>,
}

/// The image `reference` names in `images`: an ID, or `FAMILY@N`.
fn resolve(images: &[Image], reference: &str) -> String {
    if reference.is_empty() {
        return String::new();
    }
    let Some((family, n)) = reference.rsplit_once('@') else {
        assert!(
            images.iter().any(|i| i.image_id == reference),
            "demo usage: no image {reference}"
        );
        return reference.to_string();
    };
    let n: usize = n.parse().expect("demo usage: FAMILY@N takes a number");
    let mut available: Vec<&Image> = images
        .iter()
        .filter(|i| i.image_family == family && i.status == ImageStatus::Available)
        .collect();
    available.sort_by(|a, b| b.creation_time.cmp(&a.creation_time));
    available
        .get(n - 1)
        .unwrap_or_else(|| panic!("demo usage: {family} has fewer than {n} Available images"))
        .image_id
        .clone()
}

/// A stable instance ID: the region's image prefix letters, then the count.
fn instance_id(region: &str, n: usize) -> String {
    let tag: String = region
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(6)
        .collect();
    format!("i-{tag}{n:014}")
}

pub(super) fn expand(
    asset: &UsageAsset,
    images: &BTreeMap<String, Vec<Image>>,
) -> BTreeMap<String, RegionUsage> {
    let mut out: BTreeMap<String, RegionUsage> = BTreeMap::new();
    let of = |region: &str| images.get(region).map(Vec::as_slice).unwrap_or(&[]);
    for set in &asset.instances {
        let image_id = resolve(of(&set.region), &set.image);
        let usage = out.entry(set.region.clone()).or_default();
        for k in 0..set.running + set.stopped {
            let n = usage.instances.len() + 1;
            usage.instances.push(Instance {
                instance_id: instance_id(&set.region, n),
                instance_name: set.name.replace("{n}", &format!("{:03}", k + 1)),
                status: if k < set.running {
                    "Running"
                } else {
                    "Stopped"
                }
                .into(),
                zone_id: set.zones[k % set.zones.len()].clone(),
                image_id: image_id.clone(),
            });
        }
    }
    for t in &asset.template {
        let versions = t
            .versions
            .iter()
            .enumerate()
            .map(|(i, reference)| LaunchTemplateVersion {
                launch_template_id: t.id.clone(),
                launch_template_name: t.name.clone(),
                version_number: i as u64 + 1,
                default_version: i as u64 + 1 == t.default,
                launch_template_data: LaunchTemplateData {
                    image_id: resolve(of(&t.region), reference),
                    image_owner_alias: if reference.is_empty() { "" } else { "self" }.into(),
                    instance_type: "ecs.g7.large".into(),
                    system_disk_category: "cloud_essd".into(),
                    system_disk_size: 40,
                },
            })
            .collect::<Vec<_>>();
        out.entry(t.region.clone())
            .or_default()
            .templates
            .push(Template {
                template: LaunchTemplate {
                    launch_template_id: t.id.clone(),
                    launch_template_name: t.name.clone(),
                    default_version_number: t.default,
                    latest_version_number: versions.len() as u64,
                    created_by: "1234567890123456".into(),
                },
                versions,
            });
    }
    for g in &asset.group {
        out.entry(g.region.clone())
            .or_default()
            .groups
            .push(ScalingGroup {
                scaling_group_id: g.id.clone(),
                scaling_group_name: g.name.clone(),
                lifecycle_state: g.state.clone(),
                active_scaling_configuration_id: g.active_configuration.clone(),
                launch_template_id: g.launch_template.clone(),
                launch_template_version: g.version.clone(),
            });
    }
    for c in &asset.configuration {
        let image_id = resolve(of(&c.region), &c.image);
        out.entry(c.region.clone())
            .or_default()
            .configurations
            .push(ScalingConfiguration {
                scaling_configuration_id: c.id.clone(),
                scaling_configuration_name: c.name.clone(),
                scaling_group_id: c.group.clone(),
                lifecycle_state: c.state.clone(),
                image_id,
                image_family: c.family.clone(),
                image_name: String::new(),
            });
    }
    for s in &asset.share {
        let image_id = resolve(of(&s.region), &s.image);
        let shares = s
            .accounts
            .iter()
            .zip(&s.numbers)
            .map(|(id, number)| Share {
                aliyun_id: id.clone(),
                as_number: *number,
                shared_time: "2025-01-09T02:00:00Z".into(),
            })
            .collect();
        out.entry(s.region.clone())
            .or_default()
            .shares
            .insert(image_id, shares);
    }
    out
}

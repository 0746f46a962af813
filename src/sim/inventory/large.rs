//! A large inventory on demand (`ecsimg sim --images N`): N custom images for one region,
//! generated from the asset's seed, so the same N gives the same images on every run.
//!
//! It keeps ECS's quotas (at most 100 images per family, 100 families per region): about
//! six in ten images sit in families named `<service>-<flavour>`, versioned `v1`…`v100`
//! (so a natural sort matters), the newest few Available and the rest Deprecated; the
//! others are loose images as a team leaves them behind.

use time::Duration;

use super::asset::Asset;
use super::generate::Generator;
use crate::ecs::model::{Image, ImageStatus};

const SERVICES: &[&str] = &[
    "web", "api", "payments", "search", "orders", "billing", "auth", "gateway", "worker", "etl",
    "ml", "cache", "queue", "report", "admin", "mobile", "cdn", "logs", "metrics", "backup",
];
const FLAVOURS: &[&str] = &["base", "frontend", "backend", "node", "golden", "runtime"];
const OS_KEYS: &[&str] = &["alinux3", "ubuntu2204", "centos79", "debian12", "anolis8"];
const TEAMS: &[&str] = &["data", "infra", "growth", "risk", "search", "支付", "风控"];
const HOSTS: &[&str] = &[
    "db01", "web03", "app07", "bastion", "es-node2", "kafka3", "mq01",
];

/// The most images of one family, and the most families of one region (ECS's quotas).
const PER_FAMILY: usize = 100;
const FAMILIES: usize = 100;

/// `n` custom images of `region`, in place of what the asset gives it.
pub(super) fn generate_large(asset: &Asset, region: &str, n: usize) -> Vec<Image> {
    let mut g = Generator::new(asset);
    let prefix = g.prefix(region);
    let descriptions: Vec<String> = asset
        .family
        .iter()
        .flat_map(|f| f.descriptions.iter().cloned())
        .collect();
    let mut families: Vec<String> = SERVICES
        .iter()
        .flat_map(|s| FLAVOURS.iter().map(move |f| format!("{s}-{f}")))
        .collect();
    g.rng.shuffle(&mut families);
    families.truncate(FAMILIES);

    let in_families = (n * 6 / 10).min(PER_FAMILY * FAMILIES);
    let mut made = 0;
    for family in &families {
        if made >= in_families {
            break;
        }
        let versions = g.rng.usize(20..=PER_FAMILY).min(in_families - made);
        let available = g.rng.usize(1..=4);
        let os = OS_KEYS[g.rng.usize(..OS_KEYS.len())];
        let spacing = g.rng.i64(1..=7) * 86_400;
        let mut created = g.newest - Duration::seconds(g.rng.i64(0..30 * 86_400));
        for step in 0..versions {
            let mut image = g.base(region, os, 40, created);
            image.image_id = g.random_id(&prefix);
            image.image_name = g.unique_name(region, format!("{family}-v{}", versions - step));
            image.image_family = family.clone();
            image.description = g.pick(&descriptions).to_string();
            image.status = if step < available {
                ImageStatus::Available
            } else {
                ImageStatus::Deprecated
            };
            g.push(region, image);
            created -= Duration::seconds(spacing);
        }
        made += versions;
    }
    let span = asset.span_days * 86_400;
    for k in made..n {
        let created = g.newest - Duration::seconds(g.rng.i64(0..span));
        let team = TEAMS[g.rng.usize(..TEAMS.len())];
        let host = HOSTS[g.rng.usize(..HOSTS.len())];
        let date = created.date().to_string().replace('-', "");
        let os = OS_KEYS[g.rng.usize(..OS_KEYS.len())];
        let size = [20, 40, 40, 60, 80, 100][g.rng.usize(..6)];
        let mut image = g.base(region, os, size, created);
        image.image_id = g.random_id(&prefix);
        image.image_name = g.unique_name(region, format!("{team}-{host}-{date}-{}", k + 1));
        image.description = g.pick(&descriptions).to_string();
        if g.rng.u32(..100) < 10 {
            image.status = ImageStatus::Deprecated;
        }
        g.push(region, image);
    }
    g.into_images().remove(region).unwrap_or_default()
}

//! The schema of `assets/demo_inventory.toml`: regions, operating systems, image families,
//! loose images, the fixtures tests rely on, and the system images. Unknown keys are an
//! error, so a typo in the asset fails loudly instead of being ignored.

use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Asset {
    pub(super) seed: u64,
    pub(super) account_id: u64,
    pub(super) newest: String,
    pub(super) span_days: i64,
    pub(super) resource_groups: Vec<String>,
    pub(super) region: Vec<AssetRegion>,
    pub(super) os: Vec<AssetOs>,
    pub(super) family: Vec<AssetFamily>,
    pub(super) loose: Vec<AssetLoose>,
    pub(super) image: Vec<AssetImage>,
    pub(super) system: Vec<AssetSystem>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct AssetRegion {
    pub(super) id: String,
    pub(super) endpoint: String,
    pub(super) zh: String,
    pub(super) en: String,
    pub(super) id_prefix: String,
    #[serde(default = "available")]
    pub(super) status: String,
}

fn available() -> String {
    "available".to_string()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct AssetOs {
    pub(super) key: String,
    pub(super) name: String,
    pub(super) name_en: String,
    pub(super) os_type: String,
    pub(super) platform: String,
    pub(super) architecture: String,
    pub(super) boot_mode: String,
    pub(super) nvme: String,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "lowercase")]
pub(super) enum Naming {
    Semver,
    Date,
    Number,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct AssetFamily {
    pub(super) region: String,
    pub(super) name: String,
    pub(super) versions: usize,
    pub(super) available: usize,
    pub(super) naming: Naming,
    pub(super) spacing_days: i64,
    pub(super) newest_within_days: i64,
    pub(super) os: String,
    pub(super) size: u64,
    #[serde(default)]
    pub(super) license: Option<String>,
    pub(super) descriptions: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct AssetLoose {
    pub(super) region: String,
    pub(super) count: usize,
    pub(super) deprecated_percent: u32,
    pub(super) names: Vec<String>,
    pub(super) descriptions: Vec<String>,
    pub(super) hosts: Vec<String>,
    pub(super) teams: Vec<String>,
    pub(super) os: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct AssetImage {
    pub(super) region: String,
    pub(super) id: String,
    pub(super) name: String,
    #[serde(default)]
    pub(super) family: String,
    pub(super) description: String,
    #[serde(default)]
    pub(super) status: Option<String>,
    pub(super) created: String,
    #[serde(default)]
    pub(super) os: Option<String>,
    #[serde(default)]
    pub(super) size: Option<u64>,
    #[serde(default)]
    pub(super) shared: bool,
    #[serde(default)]
    pub(super) progress: Option<String>,
    #[serde(default)]
    pub(super) usage: Option<String>,
    #[serde(default)]
    pub(super) imds: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct AssetSystem {
    pub(super) id: String,
    pub(super) family: String,
    pub(super) os: String,
    pub(super) created: String,
    pub(super) size: u64,
}

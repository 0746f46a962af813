//! Usage data for the simulator at the sizes the issue measures: many launch templates
//! (one with more versions than a page holds), instances over two pages, and scaling
//! groups by image, by family and by launch template.

use ecsimg::ecs::model::{
    Instance, LaunchTemplate, LaunchTemplateData, LaunchTemplateVersion, ScalingConfiguration,
    ScalingGroup,
};
use ecsimg::sim::{RegionUsage, Share, Template};

/// `templates` launch templates of 3 versions each, except the first, which has
/// `long_versions` — its version `long_versions - 2` pins `image` and is the default;
/// `instances` instances on `image` (every tenth Stopped); four scaling groups: by image
/// (active), by `family` (active), through the long template's Default (active), and an
/// Inactive one by image.
pub fn big(
    image: &str,
    family: &str,
    templates: usize,
    long_versions: u64,
    instances: usize,
) -> RegionUsage {
    let pinned = long_versions - 2;
    let template = |n: usize| -> Template {
        let id = format!("lt-bench{n:012}");
        let count = if n == 0 { long_versions } else { 3 };
        let default = if n == 0 { pinned } else { 1 };
        let versions = (1..=count)
            .map(|v| LaunchTemplateVersion {
                launch_template_id: id.clone(),
                launch_template_name: format!("tpl-{n}"),
                version_number: v,
                default_version: v == default,
                launch_template_data: LaunchTemplateData {
                    image_id: if n == 0 && v == pinned {
                        image.to_string()
                    } else {
                        format!("m-other{n:04}{v:04}")
                    },
                    ..LaunchTemplateData::default()
                },
            })
            .collect();
        Template {
            template: LaunchTemplate {
                launch_template_id: id.clone(),
                launch_template_name: format!("tpl-{n}"),
                default_version_number: default,
                latest_version_number: count,
                created_by: "1234567890123456".into(),
            },
            versions,
        }
    };
    let group = |id: &str, state: &str, config: &str, lt: &str| ScalingGroup {
        scaling_group_id: id.into(),
        scaling_group_name: id.replace("asg-", ""),
        lifecycle_state: state.into(),
        active_scaling_configuration_id: config.into(),
        launch_template_id: lt.into(),
        launch_template_version: if lt.is_empty() { "" } else { "Default" }.into(),
    };
    let config = |id: &str, group: &str, image: &str, family: &str| ScalingConfiguration {
        scaling_configuration_id: id.into(),
        scaling_configuration_name: id.into(),
        scaling_group_id: group.into(),
        lifecycle_state: "Active".into(),
        image_id: image.into(),
        image_family: family.into(),
        image_name: String::new(),
    };
    RegionUsage {
        instances: (0..instances)
            .map(|n| Instance {
                instance_id: format!("i-bench{n:012}"),
                instance_name: format!("node-{n}"),
                status: if n % 10 == 9 { "Stopped" } else { "Running" }.into(),
                zone_id: "cn-hangzhou-h".into(),
                image_id: image.into(),
            })
            .collect(),
        templates: (0..templates).map(template).collect(),
        groups: vec![
            group("asg-by-image", "Active", "asc-by-image", ""),
            group("asg-by-family", "Active", "asc-by-family", ""),
            group("asg-by-template", "Active", "", "lt-bench000000000000"),
            group("asg-asleep", "Inactive", "asc-asleep", ""),
        ],
        configurations: vec![
            config("asc-by-image", "asg-by-image", image, ""),
            config("asc-by-family", "asg-by-family", "", family),
            config("asc-asleep", "asg-asleep", image, ""),
        ],
        shares: Default::default(),
    }
}

/// `n` accounts, every other `AliyunId` sent as a number.
pub fn accounts(n: usize) -> Vec<Share> {
    (0..n)
        .map(|k| Share {
            aliyun_id: format!("{:016}", 1_000_000_000_000_000u64 + k as u64),
            as_number: k % 2 == 0,
            shared_time: "2025-01-01T00:00:00Z".into(),
        })
        .collect()
}

/// The demo simulator's configuration with the usage sources in `list` refused
/// (`ess,templates`, as `ecsimg sim --forbid` takes it).
pub fn forbidding(list: &str) -> ecsimg::sim::SimConfig {
    let forbidden = ecsimg::sim::Forbidden::parse(list).expect("a list of sources");
    ecsimg::sim::SimConfig::demo().with_forbidden(forbidden)
}

//! Who uses the simulator's images, per region: instances, launch templates with their
//! versions, Auto Scaling groups and configurations, and the accounts images are shared
//! with — what DescribeInstances, DescribeLaunchTemplates(/Versions), DescribeScalingGroups,
//! DescribeScalingConfigurations and DescribeImageSharePermission answer from.
//!
//! It is kept in the state file beside the images (a key of its own, so older files
//! still load and take the inventory's), and [`Forbidden`] makes chosen sources answer
//! `Forbidden.RAM` as a RAM identity without those permissions would.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::ecs::model::{
    Instance, LaunchTemplate, LaunchTemplateVersion, ScalingConfiguration, ScalingGroup,
};

/// One launch template and its versions, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Template {
    pub template: LaunchTemplate,
    pub versions: Vec<LaunchTemplateVersion>,
}

/// One account an image is shared with, and how the simulator writes its `AliyunId`:
/// ECS's own sample sends a number, its SDKs model a string; the simulator sends both.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Share {
    pub aliyun_id: String,
    pub as_number: bool,
    pub shared_time: String,
}

/// Everything that uses the images of one region.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RegionUsage {
    pub instances: Vec<Instance>,
    pub templates: Vec<Template>,
    pub groups: Vec<ScalingGroup>,
    pub configurations: Vec<ScalingConfiguration>,
    /// By image ID.
    pub shares: BTreeMap<String, Vec<Share>>,
}

/// The sources a RAM identity may be refused: each answers `Forbidden.RAM` when set —
/// except DescribeInstances, which answers an empty list, as ECS does, and refuses only
/// its `DryRun=true` check.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Forbidden {
    /// DescribeScalingGroups and DescribeScalingConfigurations.
    pub ess: bool,
    /// DescribeLaunchTemplates and DescribeLaunchTemplateVersions.
    pub templates: bool,
    pub instances: bool,
    /// DescribeImageSharePermission.
    pub shares: bool,
}

impl Forbidden {
    /// `ess,templates` (also `instances`, `shares`, `all`): for `ecsimg sim --forbid`.
    pub fn parse(list: &str) -> Result<Forbidden, String> {
        let mut f = Forbidden::default();
        for word in list.split(',').map(str::trim).filter(|w| !w.is_empty()) {
            match word {
                "ess" => f.ess = true,
                "templates" => f.templates = true,
                "instances" => f.instances = true,
                "shares" => f.shares = true,
                "all" => {
                    f = Forbidden {
                        ess: true,
                        templates: true,
                        instances: true,
                        shares: true,
                    }
                }
                other => {
                    return Err(format!(
                        "{other:?} is not a source: use ess, templates, instances, shares or all"
                    ))
                }
            }
        }
        Ok(f)
    }

    /// The sources named, for the banner.
    pub fn describe(&self) -> String {
        let names: Vec<&str> = [
            (self.ess, "ess"),
            (self.templates, "templates"),
            (self.instances, "instances"),
            (self.shares, "shares"),
        ]
        .into_iter()
        .filter_map(|(on, name)| on.then_some(name))
        .collect();
        if names.is_empty() {
            "none".into()
        } else {
            names.join(", ")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forbid_lists_parse() {
        let f = Forbidden::parse("ess, templates").unwrap();
        assert!(f.ess && f.templates && !f.instances && !f.shares);
        assert_eq!(f.describe(), "ess, templates");
        assert!(Forbidden::parse("all").unwrap().shares);
        assert!(Forbidden::parse("esss")
            .unwrap_err()
            .contains("ess, templates"));
    }
}

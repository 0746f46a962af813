//! What the reads mean, pure: which template versions pin the image, which scaling groups
//! launch it and whether that is what they launch now, what the instances add up to, and
//! which sources could not be read and why.

use std::collections::{BTreeMap, HashMap};

use crate::change::{
    ImageUsage, InstanceRef, Instances, ScalingUse, Source, TemplateUse, Unchecked, Via,
};
use crate::ecs::error::{ApiError, ErrorKind};
use crate::ecs::model::{
    Image, Instance, LaunchTemplate, LaunchTemplateVersion, ScalingConfiguration, ScalingGroup,
    ShareAccount,
};

/// Instances named in the sample.
pub const SAMPLE: usize = 10;

/// One template and what reading its versions gave.
#[derive(Debug, Clone)]
pub struct TemplateRead {
    pub template: LaunchTemplate,
    pub versions: Result<Vec<LaunchTemplateVersion>, ApiError>,
}

/// Everything read for one image, each source as it came back.
#[derive(Debug, Clone)]
pub struct Reads {
    pub instances: Result<Vec<Instance>, ApiError>,
    pub templates: Result<Vec<TemplateRead>, ApiError>,
    pub groups: Result<Vec<ScalingGroup>, ApiError>,
    pub configurations: Result<Vec<ScalingConfiguration>, ApiError>,
    /// Whether the image's family resolves to it today; `None` when it has no family.
    pub family_resolves_here: Option<Result<bool, ApiError>>,
    pub shares: Result<Vec<ShareAccount>, ApiError>,
}

/// The usage the reads show.
pub fn combine(image: &Image, reads: Reads) -> ImageUsage {
    let mut usage = ImageUsage::default();
    match reads.instances {
        Ok(list) => usage.instances = instances(&list),
        Err(e) => usage
            .unchecked
            .push(unchecked(Source::Instances, "ecs:DescribeInstances", &e)),
    }
    // (template id, version) → the template version that pins the image.
    let mut pins: HashMap<(String, u64), TemplateUse> = HashMap::new();
    let mut templates: HashMap<String, LaunchTemplate> = HashMap::new();
    match reads.templates {
        Ok(list) => {
            let mut failed: Vec<(String, ApiError)> = Vec::new();
            for read in list {
                let t = read.template;
                match read.versions {
                    Ok(versions) => {
                        for v in versions
                            .iter()
                            .filter(|v| v.launch_template_data.image_id == image.image_id)
                        {
                            let name = if v.launch_template_name.is_empty() {
                                t.launch_template_name.clone()
                            } else {
                                v.launch_template_name.clone()
                            };
                            let used = TemplateUse {
                                id: t.launch_template_id.clone(),
                                name,
                                version: v.version_number,
                                default: v.default_version
                                    || v.version_number == t.default_version_number,
                            };
                            pins.insert((t.launch_template_id.clone(), v.version_number), used);
                        }
                    }
                    // Deleted between the listing and now: nothing launches from it.
                    Err(e) if e.code == "InvalidLaunchTemplate.NotFound" => {}
                    Err(e) => failed.push((t.launch_template_name.clone(), e)),
                }
                templates.insert(t.launch_template_id.clone(), t);
            }
            if let Some((name, first)) = failed.first() {
                let mut entry = unchecked(
                    Source::LaunchTemplates,
                    "ecs:DescribeLaunchTemplateVersions",
                    first,
                );
                entry.reason = format!(
                    "the versions of {} of {} templates could not be read (first, {name}: {})",
                    failed.len(),
                    templates.len(),
                    entry.reason
                );
                usage.unchecked.push(entry);
            }
        }
        Err(e) => usage.unchecked.push(unchecked(
            Source::LaunchTemplates,
            "ecs:DescribeLaunchTemplates",
            &e,
        )),
    }
    let mut template_uses: Vec<TemplateUse> = pins.values().cloned().collect();
    template_uses.sort_by(|a, b| a.name.cmp(&b.name).then(a.version.cmp(&b.version)));
    usage.launch_templates = template_uses;

    match (reads.groups, reads.configurations) {
        (Ok(groups), Ok(configurations)) => {
            let family = resolution(image, reads.family_resolves_here, &configurations);
            if let Err(entry) = &family {
                usage.unchecked.push(entry.clone());
            }
            usage.scaling = scaling(
                image,
                family.unwrap_or(false),
                &groups,
                &configurations,
                &templates,
                &pins,
            );
        }
        (Err(e), _) => {
            usage
                .unchecked
                .push(unchecked(Source::Scaling, "ess:DescribeScalingGroups", &e))
        }
        (_, Err(e)) => usage.unchecked.push(unchecked(
            Source::Scaling,
            "ess:DescribeScalingConfigurations",
            &e,
        )),
    }

    match reads.shares {
        Ok(accounts) => {
            for a in accounts {
                if !a.aliyun_id.is_empty() && !usage.shared_with.contains(&a.aliyun_id) {
                    usage.shared_with.push(a.aliyun_id);
                }
            }
        }
        Err(e) => usage.unchecked.push(unchecked(
            Source::Shares,
            "ecs:DescribeImageSharePermission",
            &e,
        )),
    }
    usage
}

/// Whether configurations naming the image's family launch this image; an unchecked entry
/// when some configuration names the family and the resolution could not be read.
fn resolution(
    image: &Image,
    read: Option<Result<bool, ApiError>>,
    configurations: &[ScalingConfiguration],
) -> Result<bool, Unchecked> {
    let Some(family) = image.family() else {
        return Ok(false);
    };
    let named = configurations.iter().any(|c| c.image_family == family);
    match read {
        Some(Ok(here)) => Ok(here),
        Some(Err(e)) if named => {
            let mut entry = unchecked(Source::Scaling, "ecs:DescribeImageFromFamily", &e);
            entry.reason = format!(
                "scaling configurations name family {family}, and what it resolves to could \
                 not be read: {}",
                entry.reason
            );
            Err(entry)
        }
        _ => Ok(false),
    }
}

fn instances(list: &[Instance]) -> Instances {
    let mut by_status: BTreeMap<String, u64> = BTreeMap::new();
    for i in list {
        *by_status.entry(i.status.clone()).or_default() += 1;
    }
    Instances {
        total: list.len() as u64,
        by_status,
        sample: list
            .iter()
            .take(SAMPLE)
            .map(|i| InstanceRef {
                id: i.instance_id.clone(),
                name: i.instance_name.clone(),
                status: i.status.clone(),
                zone: i.zone_id.clone(),
            })
            .collect(),
    }
}

/// The version a launch-template group launches: `Default`, `Latest` or a number.
fn resolve_version(template: &LaunchTemplate, version: &str) -> Option<u64> {
    match version.trim() {
        "" | "Default" => Some(template.default_version_number),
        "Latest" => Some(template.latest_version_number),
        n => n.parse().ok(),
    }
}

fn scaling(
    image: &Image,
    family_resolves_here: bool,
    groups: &[ScalingGroup],
    configurations: &[ScalingConfiguration],
    templates: &HashMap<String, LaunchTemplate>,
    pins: &HashMap<(String, u64), TemplateUse>,
) -> Vec<ScalingUse> {
    let by_id: HashMap<&str, &ScalingGroup> = groups
        .iter()
        .map(|g| (g.scaling_group_id.as_str(), g))
        .collect();
    let group_active = |g: Option<&&ScalingGroup>| g.is_some_and(|g| g.lifecycle_state == "Active");
    let mut out = Vec::new();
    for c in configurations {
        // A configuration names an image or a family, never both; a family one launches
        // whatever the family resolves to at each scale-out.
        let via = if !c.image_family.is_empty() {
            (Some(c.image_family.as_str()) == image.family() && family_resolves_here)
                .then_some(Via::Family)
        } else {
            (c.image_id == image.image_id).then_some(Via::Image)
        };
        let Some(via) = via else { continue };
        let group = by_id.get(c.scaling_group_id.as_str());
        let active = group_active(group)
            && group
                .is_some_and(|g| g.active_scaling_configuration_id == c.scaling_configuration_id);
        out.push(ScalingUse {
            group_id: c.scaling_group_id.clone(),
            group_name: group.map_or_else(
                || c.scaling_group_id.clone(),
                |g| g.scaling_group_name.clone(),
            ),
            configuration_id: c.scaling_configuration_id.clone(),
            active,
            via,
            through: if via == Via::Family {
                c.image_family.clone()
            } else {
                String::new()
            },
        });
    }
    for g in groups.iter().filter(|g| !g.launch_template_id.is_empty()) {
        let Some(template) = templates.get(&g.launch_template_id) else {
            continue;
        };
        let Some(version) = resolve_version(template, &g.launch_template_version) else {
            continue;
        };
        let Some(pin) = pins.get(&(g.launch_template_id.clone(), version)) else {
            continue;
        };
        out.push(ScalingUse {
            group_id: g.scaling_group_id.clone(),
            group_name: g.scaling_group_name.clone(),
            configuration_id: String::new(),
            active: g.lifecycle_state == "Active",
            via: Via::LaunchTemplate,
            through: format!("{} v{}", pin.name, pin.version),
        });
    }
    out.sort_by(|a, b| {
        b.active
            .cmp(&a.active)
            .then(a.group_name.cmp(&b.group_name))
    });
    out
}

/// A source that could not be read, said for a person: which permission, or what failed.
fn unchecked(source: Source, permission: &str, e: &ApiError) -> Unchecked {
    let action = permission.split(':').nth(1).unwrap_or(permission);
    let reason = match &e.kind {
        ErrorKind::Forbidden => {
            format!("{action}: this identity may not call it (grant {permission})")
        }
        ErrorKind::Throttled => format!("{action}: throttled, still after retries"),
        // What failed, and what to do about it: the network, the proxy or the endpoint.
        ErrorKind::Transport => format!("{action}: {} ({})", e.meaning(), e.message),
        _ => format!("{action}: {}", e.meaning()),
    };
    Unchecked {
        source,
        code: e.code.clone(),
        reason,
    }
}

#[cfg(test)]
mod tests;

//! Auto Scaling's DescribeScalingGroups and DescribeScalingConfigurations, in version
//! 2014-08-28 (lists wrapped, `PageSize` sometimes a string) and 2022-02-22 (lists flat).
//! PageSize at most 50; `Forbidden.RAM` when the identity may not read Auto Scaling.

use serde_json::{json, Value};

use super::usage_common::{ess_list, forbidden, page, repeated, slice, OverCap};
use super::Ctx;
use crate::ecs::ESS_API_VERSION;
use crate::sim::reply::SimError;
use crate::sim::usage::RegionUsage;

const CAP: u64 = 50;

fn usage(ctx: &Ctx<'_>) -> Result<(String, RegionUsage), SimError> {
    let region = ctx.region()?.id.clone();
    if ctx.shared.forbidden().ess {
        return Err(forbidden());
    }
    let state = ctx.shared.state();
    Ok((
        region.clone(),
        state.usage(&region).cloned().unwrap_or_default(),
    ))
}

fn wrapped(ctx: &Ctx<'_>) -> bool {
    ctx.params.get("Version").map(String::as_str) == Some(ESS_API_VERSION)
}

/// A list parameter: `Name.N` in 2014-08-28, `Names.N` in 2022-02-22.
fn ids(ctx: &Ctx<'_>, old: &str, new: &str) -> Vec<String> {
    if wrapped(ctx) {
        repeated(ctx, old)
    } else {
        repeated(ctx, new)
    }
}

pub fn groups(ctx: &Ctx<'_>) -> Result<Value, SimError> {
    let (region, usage) = usage(ctx)?;
    let (number, size) = page(ctx, 10, CAP, OverCap::Refuse)?;
    let wanted = ids(ctx, "ScalingGroupId", "ScalingGroupIds");
    if ctx
        .optional("GroupType")
        .is_some_and(|t| t != "ECS" && t != "ECI")
    {
        return Err(SimError::invalid("GroupType"));
    }
    let eci = ctx.optional("GroupType") == Some("ECI");
    let found: Vec<_> = usage
        .groups
        .iter()
        .filter(|g| !eci && (wanted.is_empty() || wanted.contains(&g.scaling_group_id)))
        .collect();
    let items: Vec<Value> = slice(&found, number, size)
        .iter()
        .map(|g| {
            json!({
                "ScalingGroupId": g.scaling_group_id,
                "ScalingGroupName": g.scaling_group_name,
                "RegionId": region,
                "LifecycleState": g.lifecycle_state,
                "GroupType": "ECS",
                "ActiveScalingConfigurationId": g.active_scaling_configuration_id,
                "LaunchTemplateId": g.launch_template_id,
                "LaunchTemplateVersion": g.launch_template_version,
                "MinSize": 0,
                "MaxSize": 20,
                "DesiredCapacity": 2,
                "TotalInstanceCount": 2,
                "VSwitchIds": ess_list(ctx, "VSwitchId", vec![json!("vsw-bp1demo0000000001")]),
                "RemovalPolicies": ess_list(ctx, "RemovalPolicy", vec![json!("OldestScalingConfiguration")]),
            })
        })
        .collect();
    Ok(json!({
        "TotalCount": found.len(),
        "PageNumber": number,
        "PageSize": size,
        "ScalingGroups": ess_list(ctx, "ScalingGroup", items),
    }))
}

pub fn configurations(ctx: &Ctx<'_>) -> Result<Value, SimError> {
    let (_, usage) = usage(ctx)?;
    let (number, size) = page(ctx, 10, CAP, OverCap::Refuse)?;
    let group = ctx.optional("ScalingGroupId");
    let wanted = ids(ctx, "ScalingConfigurationId", "ScalingConfigurationIds");
    let found: Vec<_> = usage
        .configurations
        .iter()
        .filter(|c| group.is_none_or(|g| c.scaling_group_id == g))
        .filter(|c| wanted.is_empty() || wanted.contains(&c.scaling_configuration_id))
        .collect();
    let items: Vec<Value> = slice(&found, number, size)
        .iter()
        .map(|c| {
            json!({
                "ScalingConfigurationId": c.scaling_configuration_id,
                "ScalingConfigurationName": c.scaling_configuration_name,
                "ScalingGroupId": c.scaling_group_id,
                "LifecycleState": c.lifecycle_state,
                "ImageId": c.image_id,
                "ImageFamily": c.image_family,
                "ImageName": c.image_name,
                "ImageOwnerAlias": "self",
                "InstanceType": "ecs.g7.large",
                "InstanceTypes": ess_list(ctx, "InstanceType", vec![json!("ecs.g7.large")]),
                "CreationTime": "2025-02-01T02:00Z",
                "SystemDiskCategory": "cloud_essd",
                "SystemDiskSize": 40,
                "SystemDisk.Encrypted": false,
                "Tags": ess_list(ctx, "Tag", Vec::new()),
            })
        })
        .collect();
    // The 2021 docs' sample sends PageSize as a string; clients must read either.
    let page_size = if wrapped(ctx) {
        Value::from(size.to_string())
    } else {
        Value::from(size)
    };
    Ok(json!({
        "TotalCount": found.len(),
        "PageNumber": number,
        "PageSize": page_size,
        "ScalingConfigurations": ess_list(ctx, "ScalingConfiguration", items),
    }))
}

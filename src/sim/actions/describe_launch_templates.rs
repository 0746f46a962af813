//! DescribeLaunchTemplates (every template when no ID or name is given) and
//! DescribeLaunchTemplateVersions (one template; no ImageId filter), PageSize served at
//! most 50. `Forbidden.RAM` when the identity may not read launch templates.

use serde_json::{json, Value};

use super::usage_common::{forbidden, page, repeated, slice, OverCap};
use super::Ctx;
use crate::sim::reply::SimError;
use crate::sim::usage::Template;

const CAP: u64 = 50;

fn templates(ctx: &Ctx<'_>) -> Result<Vec<Template>, SimError> {
    let region = ctx.region()?.id.clone();
    if ctx.shared.forbidden().templates {
        return Err(forbidden());
    }
    let state = ctx.shared.state();
    Ok(state
        .usage(&region)
        .map(|u| u.templates.clone())
        .unwrap_or_default())
}

pub fn list(ctx: &Ctx<'_>) -> Result<Value, SimError> {
    let all = templates(ctx)?;
    let ids = repeated(ctx, "LaunchTemplateId");
    let names = repeated(ctx, "LaunchTemplateName");
    let (number, size) = page(ctx, 10, CAP, OverCap::Clamp)?;
    let found: Vec<&Template> = all
        .iter()
        .filter(|t| ids.is_empty() || ids.contains(&t.template.launch_template_id))
        .filter(|t| names.is_empty() || names.contains(&t.template.launch_template_name))
        .collect();
    let sets: Vec<Value> = slice(&found, number, size)
        .iter()
        .map(|t| {
            let t = &t.template;
            json!({
                "LaunchTemplateId": t.launch_template_id,
                "LaunchTemplateName": t.launch_template_name,
                "DefaultVersionNumber": t.default_version_number,
                "LatestVersionNumber": t.latest_version_number,
                "CreateTime": "2025-01-10T02:00:00Z",
                "ModifiedTime": "2025-05-20T02:00:00Z",
                // Typed a string, sent as a number (the documented sample).
                "CreatedBy": t.created_by.parse::<u64>().map(Value::from).unwrap_or_else(|_| Value::from(t.created_by.clone())),
                "ResourceGroupId": "",
                "Tags": { "Tag": [] },
            })
        })
        .collect();
    Ok(json!({
        "TotalCount": found.len(),
        "PageNumber": number,
        "PageSize": size,
        "LaunchTemplateSets": { "LaunchTemplateSet": sets },
    }))
}

pub fn versions(ctx: &Ctx<'_>) -> Result<Value, SimError> {
    let all = templates(ctx)?;
    let id = ctx.optional("LaunchTemplateId");
    let name = ctx.optional("LaunchTemplateName");
    if id.is_none() && name.is_none() {
        return Err(SimError::missing("LaunchTemplateId"));
    }
    let template = all
        .iter()
        .find(|t| {
            id.is_none_or(|id| t.template.launch_template_id == id)
                && name.is_none_or(|n| t.template.launch_template_name == n)
        })
        .ok_or_else(|| {
            SimError::new(
                404,
                "InvalidLaunchTemplate.NotFound",
                "The specified LaunchTemplate is not found.",
            )
        })?;
    let detail = ctx
        .optional("DetailFlag")
        .is_none_or(|v| !v.eq_ignore_ascii_case("false"));
    let only_default = ctx.flag("DefaultVersion")?;
    let wanted: Vec<u64> = repeated(ctx, "LaunchTemplateVersion")
        .iter()
        .map(|v| {
            v.parse()
                .map_err(|_| SimError::invalid("LaunchTemplateVersion"))
        })
        .collect::<Result<_, _>>()?;
    let bound = |name: &str| -> Result<Option<u64>, SimError> {
        ctx.optional(name)
            .map(|v| v.parse().map_err(|_| SimError::invalid(name)))
            .transpose()
    };
    let (min, max) = (bound("MinVersion")?, bound("MaxVersion")?);
    let (number, size) = page(ctx, 10, CAP, OverCap::Clamp)?;
    let found: Vec<_> = template
        .versions
        .iter()
        .filter(|v| !only_default || v.default_version)
        .filter(|v| wanted.is_empty() || wanted.contains(&v.version_number))
        .filter(|v| min.is_none_or(|m| v.version_number >= m))
        .filter(|v| max.is_none_or(|m| v.version_number <= m))
        .collect();
    let sets: Vec<Value> = slice(&found, number, size)
        .iter()
        .map(|v| {
            let mut set = json!({
                "LaunchTemplateId": v.launch_template_id,
                "LaunchTemplateName": v.launch_template_name,
                "VersionNumber": v.version_number,
                "DefaultVersion": v.default_version,
                "VersionDescription": format!("version {}", v.version_number),
                "CreatedBy": "1234567890123456",
                "CreateTime": "2025-01-10T02:00:00Z",
                "ModifiedTime": "2025-05-20T02:00:00Z",
            });
            if detail {
                let d = &v.launch_template_data;
                // The keys hold literal dots, as ECS sends them.
                set["LaunchTemplateData"] = json!({
                    "ImageId": d.image_id,
                    "ImageOwnerAlias": d.image_owner_alias,
                    "ImageOptions": { "LoginAsNonRoot": false },
                    "InstanceType": d.instance_type,
                    "SystemDisk.Category": d.system_disk_category,
                    "SystemDisk.Size": d.system_disk_size,
                    "DataDisks": { "DataDisk": [] },
                    "Tags": { "InstanceTag": [] },
                    "SecurityGroupIds": { "SecurityGroupId": ["sg-bp1demo0000000001"] },
                });
            }
            set
        })
        .collect();
    Ok(json!({
        "TotalCount": found.len(),
        "PageNumber": number,
        "PageSize": size,
        "LaunchTemplateVersionSets": { "LaunchTemplateVersionSet": sets },
    }))
}

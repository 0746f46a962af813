//! DescribeInstances: by `ImageId` (and one `Status`), in NextToken mode (`MaxResults`
//! 10–100, clamped; `TotalCount` then means nothing) or page mode (`PageSize` ≤ 100).
//! Without permission it answers as ECS does: an empty list — only `DryRun=true` says
//! `Forbidden.RAM`.

use serde_json::{json, Value};

use super::usage_common::{page, slice, OverCap};
use super::Ctx;
use crate::ecs::model::Instance;
use crate::sim::reply::SimError;

const STATUSES: &[&str] = &["Pending", "Running", "Starting", "Stopping", "Stopped"];

pub fn run(ctx: &Ctx<'_>) -> Result<Value, SimError> {
    let region = ctx.region()?.id.clone();
    let forbidden = ctx.shared.forbidden().instances;
    if ctx.flag("DryRun")? {
        return Err(if forbidden {
            super::usage_common::forbidden()
        } else {
            SimError::new(
                400,
                "DryRunOperation",
                "Request validation has been passed with DryRun flag set.",
            )
        });
    }
    let status = match ctx.optional("Status") {
        Some(s) if !STATUSES.contains(&s) => {
            return Err(SimError::new(
                404,
                "InvalidStatus.NotFound",
                "The specified Status is not found",
            ))
        }
        other => other,
    };
    let image = ctx.optional("ImageId");
    let zone = ctx.optional("ZoneId");
    let found: Vec<Instance> = if forbidden {
        Vec::new()
    } else {
        let state = ctx.shared.state();
        state
            .usage(&region)
            .map(|u| u.instances.as_slice())
            .unwrap_or(&[])
            .iter()
            .filter(|i| image.is_none_or(|id| i.image_id == id))
            .filter(|i| status.is_none_or(|s| i.status == s))
            .filter(|i| zone.is_none_or(|z| i.zone_id == z))
            .cloned()
            .collect()
    };
    let token_mode = ctx.optional("MaxResults").is_some() || ctx.optional("NextToken").is_some();
    if token_mode {
        let max = match ctx.optional("MaxResults") {
            None => 10,
            Some(v) => v
                .trim()
                .parse::<u64>()
                .map_err(|_| SimError::invalid("MaxResults"))?
                .clamp(10, 100),
        };
        let offset = match ctx.optional("NextToken") {
            None => 0,
            Some(token) => parse_token(token).ok_or_else(|| SimError::invalid("NextToken"))?,
        };
        let page: Vec<Value> = found
            .iter()
            .skip(offset as usize)
            .take(max as usize)
            .map(|i| instance_json(i, &region))
            .collect();
        let next = offset + page.len() as u64;
        let next_token = if next < found.len() as u64 {
            token(next)
        } else {
            String::new()
        };
        // In this mode TotalCount is documented as not valid: it counts this page only.
        return Ok(json!({
            "TotalCount": page.len(),
            "NextToken": next_token,
            "Instances": { "Instance": page },
        }));
    }
    let (number, size) = page(ctx, 10, 100, OverCap::Refuse)?;
    let items: Vec<Value> = slice(&found, number, size)
        .iter()
        .map(|i| instance_json(i, &region))
        .collect();
    Ok(json!({
        "TotalCount": found.len(),
        "PageNumber": number,
        "PageSize": size,
        "NextToken": "",
        "Instances": { "Instance": items },
    }))
}

/// An opaque-looking token for `offset`.
fn token(offset: u64) -> String {
    format!(
        "{offset:016x}{:016x}",
        offset.wrapping_mul(0x9e37_79b9_7f4a_7c15)
    )
}

fn parse_token(token: &str) -> Option<u64> {
    let offset = u64::from_str_radix(token.get(..16)?, 16).ok()?;
    (token == self::token(offset)).then_some(offset)
}

fn instance_json(i: &Instance, region: &str) -> Value {
    json!({
        "InstanceId": i.instance_id,
        "InstanceName": i.instance_name,
        "Status": i.status,
        "RegionId": region,
        "ZoneId": i.zone_id,
        "ImageId": i.image_id,
        "InstanceType": "ecs.g7.large",
        "InstanceChargeType": "PostPaid",
        "CreationTime": "2025-03-01T02:00Z",
        "OSType": "linux",
        "DeletionProtection": false,
        "Tags": { "Tag": [] },
        "OperationLocks": { "LockReason": [] },
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn tokens_round_trip_and_refuse_forgeries() {
        assert_eq!(super::parse_token(&super::token(130)), Some(130));
        assert_eq!(super::parse_token("0000000000000082ffff"), None);
    }
}

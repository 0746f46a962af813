//! DescribeImageSharePermission: the accounts one of your images is shared with, paged
//! (PageSize ≤ 100). `AliyunId` comes as a number for some accounts and a string for
//! others, as the docs and the SDKs disagree.

use serde_json::{json, Value};

use super::usage_common::{forbidden, page, slice, OverCap};
use super::Ctx;
use crate::sim::reply::SimError;

pub fn run(ctx: &Ctx<'_>) -> Result<Value, SimError> {
    let region = ctx.region()?.id.clone();
    let image_id = ctx.required("ImageId")?;
    if ctx.shared.forbidden().shares {
        return Err(forbidden());
    }
    let (number, size) = page(ctx, 10, 100, OverCap::Refuse)?;
    let state = ctx.shared.state();
    let own = state
        .image(&region, image_id)
        .is_some_and(|i| i.image_owner_alias == "self");
    if !own {
        return Err(SimError::new(
            404,
            "InvalidImageId.NotFound",
            format!("The specified image {image_id} does not exist."),
        ));
    }
    let shares = state
        .usage(&region)
        .and_then(|u| u.shares.get(image_id))
        .cloned()
        .unwrap_or_default();
    let accounts: Vec<Value> = slice(&shares, number, size)
        .iter()
        .map(|s| {
            let id = match s.aliyun_id.parse::<u64>() {
                Ok(n) if s.as_number => Value::from(n),
                _ => Value::from(s.aliyun_id.clone()),
            };
            json!({ "AliyunId": id, "SharedTime": s.shared_time })
        })
        .collect();
    Ok(json!({
        "RegionId": region,
        "ImageId": image_id,
        "TotalCount": shares.len(),
        "PageNumber": number,
        "PageSize": size,
        "ShareGroups": { "ShareGroup": [] },
        "Accounts": { "Account": accounts },
    }))
}

//! The RPC actions, one file each, and the dispatch by `Action` and `Version`.

mod assume_role;
mod describe_image_from_family;
mod describe_image_share_permission;
mod describe_images;
mod describe_instances;
mod describe_launch_templates;
mod describe_regions;
mod describe_scaling;
mod modify_image_attribute;
mod usage_common;

use serde_json::{json, Value};

use super::inventory::RegionInfo;
use super::reply::SimError;
use super::shared::Shared;
use crate::ecs::model::Image;
use crate::ecs::sign::Params;
use crate::ecs::{ECS_API_VERSION, ESS_API_VERSION};

/// The STS API version AssumeRole belongs to.
pub const STS_API_VERSION: &str = "2015-04-01";
/// Auto Scaling's newer version, with flat lists; served so both shapes can be seen.
pub const ESS_FLAT_API_VERSION: &str = "2022-02-22";

/// What an action sees of its request.
pub struct Ctx<'a> {
    pub shared: &'a Shared,
    pub params: &'a Params,
}

type Handler = fn(&Ctx<'_>) -> Result<Value, SimError>;

const ACTIONS: &[(&str, &str, Handler)] = &[
    ("DescribeRegions", ECS_API_VERSION, describe_regions::run),
    ("DescribeImages", ECS_API_VERSION, describe_images::run),
    (
        "DescribeImageFromFamily",
        ECS_API_VERSION,
        describe_image_from_family::run,
    ),
    (
        "ModifyImageAttribute",
        ECS_API_VERSION,
        modify_image_attribute::run,
    ),
    (
        "DescribeInstances",
        ECS_API_VERSION,
        describe_instances::run,
    ),
    (
        "DescribeLaunchTemplates",
        ECS_API_VERSION,
        describe_launch_templates::list,
    ),
    (
        "DescribeLaunchTemplateVersions",
        ECS_API_VERSION,
        describe_launch_templates::versions,
    ),
    (
        "DescribeImageSharePermission",
        ECS_API_VERSION,
        describe_image_share_permission::run,
    ),
    (
        "DescribeScalingGroups",
        ESS_API_VERSION,
        describe_scaling::groups,
    ),
    (
        "DescribeScalingGroups",
        ESS_FLAT_API_VERSION,
        describe_scaling::groups,
    ),
    (
        "DescribeScalingConfigurations",
        ESS_API_VERSION,
        describe_scaling::configurations,
    ),
    (
        "DescribeScalingConfigurations",
        ESS_FLAT_API_VERSION,
        describe_scaling::configurations,
    ),
    ("AssumeRole", STS_API_VERSION, assume_role::run),
];

/// Runs the action the request names, after flow control. The body has no `RequestId`
/// yet; the gateway adds it.
pub fn dispatch(ctx: &Ctx<'_>) -> Result<Value, SimError> {
    let action = ctx.required("Action")?;
    let version = ctx.required("Version")?;
    let handler = ACTIONS
        .iter()
        .find(|(a, v, _)| *a == action && *v == version)
        .map(|(_, _, h)| *h);
    let Some(handler) = handler else {
        if ACTIONS.iter().any(|(a, _, _)| *a == action) {
            return Err(SimError::invalid("Action or Version"));
        }
        return Err(SimError::new(
            404,
            "InvalidApi.NotFound",
            "Specified api is not found, please check your url and method.",
        ));
    };
    ctx.shared.count_action(action);
    let region = ctx.params.get("RegionId").map(String::as_str).unwrap_or("");
    if let Err(refused) = ctx.shared.throttle.check(&format!("{action}@{region}")) {
        let ms = refused.retry_after.as_millis().max(1);
        return Err(SimError::new(
            400,
            "Throttling.User",
            "Request was denied due to user flow control.",
        )
        .with_header("x-acs-retry-after", ms.to_string())
        .with_header(
            "x-ratelimit-user-api",
            format!("Limit:{},Remain:0,TimeLeft:{ms}", refused.limit),
        ));
    }
    handler(ctx)
}

impl Ctx<'_> {
    /// A parameter that must be present and non-empty.
    pub fn required(&self, name: &str) -> Result<&str, SimError> {
        self.optional(name).ok_or_else(|| SimError::missing(name))
    }

    /// A parameter, `None` when absent or empty.
    pub fn optional(&self, name: &str) -> Option<&str> {
        self.params
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// The region the request names; it must exist.
    pub fn region(&self) -> Result<&RegionInfo, SimError> {
        let id = self.required("RegionId")?;
        self.shared.region(id).ok_or_else(|| {
            SimError::new(
                404,
                "InvalidRegionId.NotFound",
                "The specified RegionId does not exist.",
            )
        })
    }

    /// A boolean parameter (`true`/`false`, any case); absent is `false`.
    pub fn flag(&self, name: &str) -> Result<bool, SimError> {
        match self.optional(name) {
            None => Ok(false),
            Some(v) if v.eq_ignore_ascii_case("true") => Ok(true),
            Some(v) if v.eq_ignore_ascii_case("false") => Ok(false),
            Some(_) => Err(SimError::invalid(name)),
        }
    }
}

/// An image as DescribeImages shows it: the model's fields plus the ones ecsimg does not
/// model but ECS always sends.
pub fn image_json(image: &Image, account_id: u64) -> Value {
    let mut value = serde_json::to_value(image).unwrap_or_else(|_| json!({}));
    if let Some(map) = value.as_object_mut() {
        let owner = if image.image_owner_alias == "self" {
            account_id
        } else {
            1
        };
        map.insert("ImageOwnerId".into(), json!(owner));
        map.insert("IsSubscribed".into(), json!(false));
        map.insert("ProductCode".into(), json!(""));
        map.insert("LoginAsNonRootSupported".into(), json!(false));
        map.insert("SupplierName".into(), json!(""));
    }
    value
}

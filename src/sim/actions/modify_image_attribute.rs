//! ModifyImageAttribute: validates every field with the codes and statuses of spec §3.2
//! (the format rules come from `crate::rules`, shared with the app), then applies the
//! change — unless `DryRun=true`, which answers `DryRunOperation` and changes nothing.

use std::collections::HashSet;

use serde_json::{json, Value};

use super::Ctx;
use crate::ecs::model::{Image, ImageStatus};
use crate::rules::{self, Field};
use crate::sim::reply::SimError;
use crate::sim::state::State;

pub fn run(ctx: &Ctx<'_>) -> Result<Value, SimError> {
    let region = ctx.region()?.id.clone();
    let image_id = ctx.required("ImageId")?;
    let dry_run = ctx.flag("DryRun")?;

    // Empty or absent means "keep the current value".
    let asked: Vec<(Field, &str)> = Field::ALL
        .into_iter()
        .filter_map(|f| ctx.optional(f.param()).map(|v| (f, v)))
        .collect();

    let mut state = ctx.shared.state();
    let before = state
        .image(&region, image_id)
        .filter(|i| i.image_owner_alias == "self")
        .cloned()
        .ok_or_else(|| api_error("InvalidImageId.NotFound"))?;

    for (field, value) in &asked {
        if let Some(problem) = rules::check_field(*field, value) {
            return Err(match problem.code {
                "InvalidParameter" => SimError::invalid(field.param()),
                code => api_error(code),
            });
        }
    }
    if is_creating(&before.status) && !asked.is_empty() {
        return Err(api_error("InvalidStatus.ImageIsCreating"));
    }
    for (field, value) in &asked {
        if let Some(problem) = rules::check_transition(*field, value, &before) {
            return Err(api_error(problem.code));
        }
    }
    check_against_region(ctx, &state, &region, &before, &asked)?;

    if dry_run {
        return Err(SimError::new(
            400,
            "DryRunOperation",
            "Request validation has been passed with DryRun flag set.",
        ));
    }
    ctx.shared.count_processed(image_id);
    let mut after = before.clone();
    for (field, value) in &asked {
        field.set_on(&mut after, value);
    }
    if after != before {
        state.replace(&region, after).map_err(|e| {
            SimError::new(
                500,
                "InternalError",
                format!("The request processing has failed due to some unknown error, exception or failure. (state file: {e})"),
            )
        })?;
    }
    Ok(json!({}))
}

fn is_creating(status: &ImageStatus) -> bool {
    matches!(status, ImageStatus::Creating | ImageStatus::Waiting)
}

/// What only the region's other images can tell: unique names, boot modes the
/// architecture supports, and the family quotas.
fn check_against_region(
    ctx: &Ctx<'_>,
    state: &State,
    region: &str,
    before: &Image,
    asked: &[(Field, &str)],
) -> Result<(), SimError> {
    let asked_for = |field: Field| asked.iter().find(|(f, _)| *f == field).map(|(_, v)| *v);
    let own = || {
        state
            .images(region)
            .iter()
            .filter(|i| i.image_owner_alias == "self")
    };
    if let Some(name) = asked_for(Field::ImageName) {
        if own().any(|i| i.image_id != before.image_id && i.image_name == name) {
            return Err(api_error("InvalidImageName.Duplicated"));
        }
    }
    if asked_for(Field::BootMode) == Some("BIOS") && before.architecture == "arm64" {
        return Err(SimError::new(
            400,
            "InvalidBootMode.NotSupport",
            "The specified parameter BootMode is not supported for current image architecture.",
        ));
    }
    if let Some(family) = asked_for(Field::ImageFamily).filter(|f| *f != before.image_family) {
        let members = own().filter(|i| i.image_family == family).count();
        if members >= ctx.shared.settings.images_per_family {
            return Err(api_error("ImageQuotaFull.ImageFamily"));
        }
        let families: HashSet<&str> = own()
            .map(|i| i.image_family.as_str())
            .filter(|f| !f.is_empty())
            .collect();
        if members == 0 && families.len() >= ctx.shared.settings.families_per_region {
            return Err(api_error("ImageFamilyQuotaFull"));
        }
    }
    Ok(())
}

/// The error ECS answers with `code`: its HTTP status and verbatim message (spec §3.2).
fn api_error(code: &str) -> SimError {
    let (status, message) = match code {
        "InvalidImageName.Malformed" => (400, "Image names must be between 2 and 128 characters long, using either English or Chinese characters. The name must start with a letter or a Chinese character, and can include numbers, colons, underscores and hyphens."),
        "InvalidImageName.Duplicated" => (400, "The specified Image name has already bean used."),
        "InvalidDescription.Malformed" => (400, "The specified description is wrongly formed."),
        "ImageQuotaFull.ImageFamily" => (400, "The specified image family has exceeded max number of images for one image family."),
        "InvalidImageFamily.Malformed" => (400, "The specified parameter \"ImageFamily\" is malformed."),
        "ImageFamilyQuotaFull" => (400, "The specified region has exceeded max number of image family."),
        "InvalidBootMode.NotSupport" => (400, "The specified parameter BootMode is not supported."),
        "InvalidLicenseType.NotSupported" => (400, "The specified parameter LicenseType is not supported."),
        "InvalidParameter.FeaturesImdsSupport" => (400, "The specified parameter Features.ImdsSupport is not supported."),
        "ImageUseShared" => (403, "The specified image has been shared to others, please remove shared accounts first."),
        "InvalidOperation.FeaturesImdsSupportNotMatch" => (403, "The specified parameter Features.ImdsSupport can not be set to v1 from v2."),
        "InvalidStatus.ImageIsCreating" => (403, "The operation cannot be performed because the image is creating. Please wait until the creation is complete and try again."),
        "InvalidImageId.NotFound" => (404, "The specified ImageId does not exist."),
        other => return SimError::new(400, other, "The specified parameter is not valid."),
    };
    SimError::new(status, code, message)
}

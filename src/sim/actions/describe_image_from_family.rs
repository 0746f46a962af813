//! DescribeImageFromFamily: the newest Available image of a family, or no `Image` at all.

use serde_json::{json, Value};

use super::{image_json, Ctx};
use crate::ecs::model::ImageStatus;
use crate::sim::reply::SimError;

pub fn run(ctx: &Ctx<'_>) -> Result<Value, SimError> {
    let region = ctx.region()?;
    let family = ctx.required("ImageFamily")?;
    let state = ctx.shared.state();
    let newest = state
        .images(&region.id)
        .iter()
        .filter(|i| i.image_family == family && i.status == ImageStatus::Available)
        .max_by(|a, b| {
            a.creation_time
                .cmp(&b.creation_time)
                .then_with(|| a.image_id.cmp(&b.image_id))
        });
    Ok(match newest {
        Some(image) => json!({ "Image": image_json(image, ctx.shared.settings.account_id) }),
        None => json!({}),
    })
}

//! DescribeRegions: every region, named in the language `AcceptLanguage` asks for.

use serde_json::{json, Value};

use super::Ctx;
use crate::sim::reply::SimError;

const LANGUAGES: &[&str] = &["zh-CN", "zh_TW", "en-US", "ja", "fr", "de", "ko"];

pub fn run(ctx: &Ctx<'_>) -> Result<Value, SimError> {
    let language = ctx.optional("AcceptLanguage").unwrap_or("zh-CN");
    if !LANGUAGES.contains(&language) {
        return Err(SimError::new(
            404,
            "InvalidAcceptLanguage.NotFound",
            "The specified AcceptLanguage is not found.",
        ));
    }
    let chinese = language.starts_with("zh");
    let regions: Vec<Value> = ctx
        .shared
        .regions
        .iter()
        .map(|r| {
            json!({
                "RegionId": r.id,
                "RegionEndpoint": r.endpoint,
                "LocalName": if chinese { &r.local_name_zh } else { &r.local_name_en },
                "Status": r.status,
            })
        })
        .collect();
    Ok(json!({ "Regions": { "Region": regions } }))
}

//! DescribeImages: filters, paging (1–100 per page, default 10), newest first. Without
//! `Status` only Available images are returned, as ECS does.

use serde_json::{json, Value};

use super::{image_json, Ctx};
use crate::ecs::model::{Image, ImageStatus};
use crate::sim::reply::SimError;

const OWNER_ALIASES: &[&str] = &["self", "system", "others", "marketplace"];

/// The filters of one request.
struct Filter {
    owners: Vec<String>,
    statuses: Vec<ImageStatus>,
    ids: Vec<String>,
    name: Option<String>,
    family: Option<String>,
    os_type: Option<String>,
    architecture: Option<String>,
    usage: Option<String>,
}

impl Filter {
    fn parse(ctx: &Ctx<'_>) -> Result<Filter, SimError> {
        let owners = match ctx.optional("ImageOwnerAlias") {
            None => vec!["system".into(), "self".into(), "others".into()],
            Some(alias) if OWNER_ALIASES.contains(&alias) => vec![alias.to_string()],
            Some(_) => {
                return Err(SimError::new(
                    400,
                    "InvalidImageOwnerAlias.ValueNotSupported",
                    "The specified ImageOwnerAlias is not supported.",
                ))
            }
        };
        let statuses = match ctx.optional("Status") {
            None => vec![ImageStatus::Available],
            Some(list) => list
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| match ImageStatus::parse(s) {
                    ImageStatus::Other(_) => Err(SimError::invalid("Status")),
                    status => Ok(status),
                })
                .collect::<Result<_, _>>()?,
        };
        let ids: Vec<String> = ctx
            .optional("ImageId")
            .map(|list| {
                list.split(',')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        if ids.len() > 100 {
            return Err(SimError::invalid("ImageId"));
        }
        let one_of =
            |name: &str, allowed: &[&str], code: &str| -> Result<Option<String>, SimError> {
                match ctx.optional(name) {
                    None => Ok(None),
                    Some(v) if allowed.contains(&v) => Ok(Some(v.to_string())),
                    Some(_) => Err(SimError::new(
                        404,
                        code,
                        format!("The specified {name} is not valid."),
                    )),
                }
            };
        Ok(Filter {
            owners,
            statuses,
            ids,
            name: ctx.optional("ImageName").map(str::to_lowercase),
            family: ctx.optional("ImageFamily").map(str::to_string),
            os_type: one_of("OSType", &["windows", "linux"], "InvalidOSType")?,
            architecture: one_of(
                "Architecture",
                &["i386", "x86_64", "arm64"],
                "InvalidArchitecture",
            )?,
            usage: one_of("Usage", &["instance", "none"], "InvalidUsage")?,
        })
    }

    /// The filter as text: two requests with the same key match the same images.
    fn key(&self) -> String {
        format!(
            "{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}",
            self.owners,
            self.statuses,
            self.ids,
            self.name,
            self.family,
            self.os_type,
            self.architecture,
            self.usage
        )
    }

    fn matches(&self, image: &Image) -> bool {
        self.owners.contains(&image.image_owner_alias)
            && self.statuses.contains(&image.status)
            && (self.ids.is_empty() || self.ids.contains(&image.image_id))
            && self
                .name
                .as_ref()
                .is_none_or(|n| image.image_name.to_lowercase().contains(n))
            && self
                .family
                .as_ref()
                .is_none_or(|f| &image.image_family == f)
            && self.os_type.as_ref().is_none_or(|o| &image.os_type == o)
            && self
                .architecture
                .as_ref()
                .is_none_or(|a| &image.architecture == a)
            && self.usage.as_ref().is_none_or(|u| &image.usage == u)
    }
}

/// A positive integer parameter within `range`, or `default` when absent.
pub(super) fn number(
    ctx: &Ctx<'_>,
    name: &str,
    default: u64,
    range: std::ops::RangeInclusive<u64>,
) -> Result<u64, SimError> {
    match ctx.optional(name) {
        None => Ok(default),
        Some(v) => v
            .trim()
            .parse::<u64>()
            .ok()
            .filter(|n| range.contains(n))
            .ok_or_else(|| SimError::invalid(name)),
    }
}

pub fn run(ctx: &Ctx<'_>) -> Result<Value, SimError> {
    let region = ctx.region()?;
    let filter = Filter::parse(ctx)?;
    let page_number = number(ctx, "PageNumber", 1, 1..=u32::MAX as u64)?;
    let page_size = number(ctx, "PageSize", 10, 1..=100)?;

    let mut state = ctx.shared.state();
    let matched = state.matching(&region.id, &filter.key(), |i| filter.matches(i));
    let account = ctx.shared.settings.account_id;
    let page: Vec<Value> = matched
        .iter()
        .skip(((page_number - 1) * page_size) as usize)
        .take(page_size as usize)
        .map(|&i| state.shown(&region.id, i, |image| image_json(image, account)))
        .collect();
    Ok(json!({
        "RegionId": region.id,
        "TotalCount": matched.len(),
        "PageNumber": page_number,
        "PageSize": page_size,
        "Images": { "Image": page },
    }))
}

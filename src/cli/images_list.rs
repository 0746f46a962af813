//! `ecsimg images list`: every page of the account's custom images, in one region or in
//! several at once (`--all-regions`, `--regions a,b,c`).
//!
//! Nothing is silently short: a page that could not be read, or a region that could not
//! be listed, is said on stderr (and in the JSON document), everything that was read is
//! still printed, and the exit code is that failure's.

use serde::Serialize;

use crate::ecs::client::{check_region, EcsClient, Listing, REGIONS_AT_ONCE};
use crate::ecs::error::ApiError;
use crate::ecs::model::{Image, ImageQuery, ImageStatus};

use super::args::ListArgs;
use super::exit::CliError;
use super::output::{self, Fit, ImageJson, OutputFormat, Table};
use super::Context;

/// Where a listing across regions asks DescribeRegions when no region is given: ECS's
/// central region.
pub const CENTRAL_REGION: &str = "cn-hangzhou";

/// The JSON document `images list --output json` prints.
#[derive(Debug, Serialize)]
pub struct ListJson<'a> {
    /// The region listed; `null` when several were.
    pub region: Option<String>,
    /// Every region asked for, in order.
    pub regions: Vec<String>,
    pub count: usize,
    /// Every page of every region was read.
    pub complete: bool,
    /// What could not be read, per region.
    pub errors: Vec<ListErrorJson>,
    pub images: ImagesJson<'a>,
}

/// The images, each shaped as [`ImageJson`] only while it is written.
#[derive(Debug)]
pub struct ImagesJson<'a>(pub &'a [Image]);

impl Serialize for ImagesJson<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(ImageJson::from))
    }
}

/// A region (or some of its pages) that could not be read.
#[derive(Debug, Serialize)]
pub struct ListErrorJson {
    pub region: String,
    pub code: String,
    pub message: String,
    pub request_id: Option<String>,
    /// The pages missing; empty when not even page 1 could be read.
    pub pages_missing: Vec<u32>,
}

/// Which regions to list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// The session's region.
    One,
    /// These regions, checked.
    These(Vec<String>),
    /// Every region DescribeRegions lists.
    All,
}

/// The regions the flags ask for; each one named is checked before anything is sent.
pub fn scope(args: &ListArgs) -> Result<Scope, CliError> {
    if args.all_regions {
        return Ok(Scope::All);
    }
    if args.regions.is_empty() {
        return Ok(Scope::One);
    }
    let mut regions: Vec<String> = Vec::new();
    for region in args
        .regions
        .iter()
        .map(|r| r.trim())
        .filter(|r| !r.is_empty())
    {
        check_region(region).map_err(|why| CliError::invalid(format!("--regions: {why}")))?;
        if !regions.iter().any(|r| r == region) {
            regions.push(region.to_string());
        }
    }
    if regions.is_empty() {
        return Err(CliError::invalid(
            "--regions: name at least one region, e.g. --regions cn-hangzhou,cn-shanghai",
        ));
    }
    Ok(Scope::These(regions))
}

/// The query for the flags: own images, every status unless `--status`.
pub fn query(args: &ListArgs) -> Result<ImageQuery, CliError> {
    let mut query = ImageQuery {
        family: args.family.clone().filter(|f| !f.is_empty()),
        name: args.name_like.clone().filter(|n| !n.is_empty()),
        ..ImageQuery::default()
    };
    if !args.status.is_empty() {
        let mut statuses = Vec::new();
        for s in args
            .status
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
        {
            match ImageStatus::parse(s) {
                ImageStatus::Other(bad) => {
                    return Err(CliError::invalid(format!(
                        "--status {bad:?}: use {}",
                        ImageStatus::join(ImageStatus::BROWSE).replace(',', ", ")
                    )))
                }
                known => statuses.push(known),
            }
        }
        query.statuses = statuses;
    }
    Ok(query)
}

pub async fn run(ctx: &Context<'_>, args: &ListArgs) -> Result<(), CliError> {
    let query = query(args)?;
    let client = &ctx.session.client;
    let (single, regions) = match scope(args)? {
        Scope::One => (true, vec![client.region().to_string()]),
        Scope::These(regions) => (false, regions),
        Scope::All => {
            let listed = client.describe_regions().await?;
            (false, listed.into_iter().map(|r| r.region_id).collect())
        }
    };
    let mut results = list(client, &regions, &query).await;
    // One region and not even its page 1 read: nothing to list, only the failure (with
    // `--output json`, the error document).
    if single && results.first().is_some_and(|(_, r)| r.is_err()) {
        if let Some((_, Err(error))) = results.pop() {
            return Err(CliError::from(error));
        }
    }
    let (images, errors) = gather(results);
    print(ctx, single, &regions, &images, &errors);
    match errors.first() {
        None => Ok(()),
        Some((_, error, missing)) => {
            let mut e = CliError::from(error.clone());
            e.message = summary(&regions, &errors, missing.is_empty(), &e.message);
            // The listing's document (with `complete` and `errors`) is the only one on
            // stdout: no error document after it.
            Err(e.already_reported())
        }
    }
}

/// Every region's listing, at most [`REGIONS_AT_ONCE`] regions at a time.
async fn list(
    client: &EcsClient,
    regions: &[String],
    query: &ImageQuery,
) -> Vec<(String, Result<Listing, ApiError>)> {
    let query = query.clone();
    client
        .in_regions(regions, REGIONS_AT_ONCE, move |c| {
            let query = query.clone();
            async move { c.list_images(&query).await }
        })
        .await
}

/// A region's failure: the error, and the pages missing (empty: nothing was read).
type Failure = (String, ApiError, Vec<u32>);

/// Every image read, region by region, and what could not be read.
fn gather(results: Vec<(String, Result<Listing, ApiError>)>) -> (Vec<Image>, Vec<Failure>) {
    let mut images = Vec::new();
    let mut errors = Vec::new();
    for (region, result) in results {
        match result {
            Ok(listing) => {
                if let Some(error) = listing.end.incomplete_error() {
                    errors.push((region, error, listing.end.missing.clone()));
                }
                images.extend(listing.images);
            }
            Err(error) => errors.push((region, error, Vec::new())),
        }
    }
    (images, errors)
}

/// The message of the exit: what failed, and that the rest was printed.
fn summary(regions: &[String], errors: &[Failure], nothing_read: bool, first: &str) -> String {
    if regions.len() == 1 {
        return if nothing_read {
            first.to_string()
        } else {
            format!("the list above is incomplete: {first}")
        };
    }
    let names: Vec<&str> = errors.iter().map(|(r, _, _)| r.as_str()).collect();
    format!(
        "{} of {} regions could not be listed in full ({}); the rest is printed. {}: {first}",
        errors.len(),
        regions.len(),
        names.join(", "),
        errors[0].0,
    )
}

fn print(
    ctx: &Context<'_>,
    single: bool,
    regions: &[String],
    images: &[Image],
    errors: &[Failure],
) {
    match ctx.output {
        OutputFormat::Ids => {
            for image in images {
                output::emit_line(&image.image_id);
            }
        }
        OutputFormat::Json => output::print_json(&ListJson {
            region: single.then(|| regions[0].clone()),
            regions: regions.to_vec(),
            count: images.len(),
            complete: errors.is_empty(),
            errors: errors
                .iter()
                .map(|(region, e, missing)| ListErrorJson {
                    region: region.clone(),
                    code: e.code.clone(),
                    message: e.message.clone(),
                    request_id: e.request_id.clone(),
                    pages_missing: missing.clone(),
                })
                .collect(),
            images: ImagesJson(images),
        }),
        OutputFormat::Table => {
            output::emit(&table(images, !single).render(output::terminal_width(), ctx.ascii));
            let count = format!(
                "{} image{}",
                images.len(),
                if images.len() == 1 { "" } else { "s" }
            );
            output::emit_err(&if single {
                format!("{count} in {}", regions[0])
            } else {
                format!(
                    "{count} in {} region{}",
                    regions.len(),
                    if regions.len() == 1 { "" } else { "s" }
                )
            });
        }
    }
}

/// The list as a table: IDs, statuses, dates and regions whole; size and OS dropped when
/// the terminal is narrow, then the family shortened (or dropped, rather than cut the name
/// under 20 columns); the name last, cut in the middle.
pub fn table(images: &[Image], with_region: bool) -> Table {
    let mut columns = vec![
        ("ID", Fit::Fixed),
        ("NAME", Fit::Lead { min: 8 }),
        ("STATUS", Fit::Fixed),
        ("FAMILY", Fit::Flex { min: 6 }),
        ("CREATED", Fit::Fixed),
        ("SIZE", Fit::Optional),
        ("OS", Fit::Optional),
    ];
    if with_region {
        columns.insert(0, ("REGION", Fit::Fixed));
    }
    let mut table = Table::new(&columns);
    for image in images {
        let os = if image.os_name_en.is_empty() {
            &image.os_name
        } else {
            &image.os_name_en
        };
        let mut row = vec![
            image.image_id.clone(),
            image.image_name.clone(),
            image.status.to_string(),
            image.image_family.clone(),
            image.created_date().to_string(),
            format!("{}G", image.size),
            os.clone(),
        ];
        if with_region {
            row.insert(0, image.region_id.clone());
        }
        table.push(row);
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(status: &[&str]) -> ListArgs {
        ListArgs {
            family: None,
            status: status.iter().map(|s| s.to_string()).collect(),
            name_like: None,
            all_regions: false,
            regions: Vec::new(),
        }
    }

    #[test]
    fn every_status_unless_asked() {
        assert_eq!(query(&args(&[])).unwrap().statuses, ImageStatus::BROWSE);
        assert_eq!(
            query(&args(&["deprecated"])).unwrap().statuses,
            [ImageStatus::Deprecated]
        );
        assert_eq!(
            query(&args(&[])).unwrap().owner_alias.as_deref(),
            Some("self")
        );
    }

    #[test]
    fn an_unknown_status_is_invalid_input() {
        let err = query(&args(&["Availble"])).unwrap_err();
        assert_eq!(err.exit, super::super::Exit::Invalid);
        assert!(
            err.message.contains("Available, Deprecated"),
            "{}",
            err.message
        );
    }

    #[test]
    fn regions_are_checked_and_kept_in_order_once_each() {
        let mut a = args(&[]);
        a.regions = vec![
            "cn-shanghai".into(),
            " cn-hangzhou".into(),
            "cn-shanghai".into(),
        ];
        assert_eq!(
            scope(&a).unwrap(),
            Scope::These(vec!["cn-shanghai".into(), "cn-hangzhou".into()])
        );
        a.regions = vec!["cn-shanghai".into(), "x@evil/#".into()];
        let err = scope(&a).unwrap_err();
        assert_eq!(err.exit, super::super::Exit::Invalid);
        assert!(err.message.starts_with("--regions"), "{}", err.message);
        assert_eq!(scope(&args(&[])).unwrap(), Scope::One);
    }
}

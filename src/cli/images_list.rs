//! `ecsimg images list`: every page of the account's custom images.

use serde::Serialize;

use crate::ecs::model::{Image, ImageQuery, ImageStatus};

use super::args::ListArgs;
use super::exit::CliError;
use super::output::{self, Fit, ImageJson, OutputFormat, Table};
use super::Context;

/// The JSON document `images list --output json` prints.
#[derive(Debug, Serialize)]
pub struct ListJson {
    pub region: String,
    pub count: usize,
    pub images: Vec<ImageJson>,
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
    let images = ctx.session.client.describe_all_images(&query).await?;
    match ctx.output {
        OutputFormat::Ids => {
            for image in &images {
                output::emit_line(&image.image_id);
            }
        }
        OutputFormat::Json => output::print_json(&ListJson {
            region: ctx.session.client.region().to_string(),
            count: images.len(),
            images: images.iter().map(ImageJson::from).collect(),
        }),
        OutputFormat::Table => {
            output::emit(&table(&images).render(output::terminal_width(), ctx.ascii));
            output::emit_err(&format!(
                "{} image{} in {}",
                images.len(),
                if images.len() == 1 { "" } else { "s" },
                ctx.session.client.region()
            ));
        }
    }
    Ok(())
}

/// The list as a table: IDs, statuses and dates whole; size and OS dropped when the
/// terminal is narrow, then the family shortened; the name last, cut in the middle.
pub fn table(images: &[Image]) -> Table {
    let mut table = Table::new(&[
        ("ID", Fit::Fixed),
        ("NAME", Fit::Lead { min: 8 }),
        ("STATUS", Fit::Fixed),
        ("FAMILY", Fit::Flex { min: 6 }),
        ("CREATED", Fit::Fixed),
        ("SIZE", Fit::Optional),
        ("OS", Fit::Optional),
    ]);
    for image in images {
        let os = if image.os_name_en.is_empty() {
            &image.os_name
        } else {
            &image.os_name_en
        };
        table.push(vec![
            image.image_id.clone(),
            image.image_name.clone(),
            image.status.to_string(),
            image.image_family.clone(),
            image.created_date().to_string(),
            format!("{}G", image.size),
            os.clone(),
        ]);
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
}

//! `ecsimg families list` (each family with its members by status and what it resolves
//! to) and `ecsimg families prune FAMILY --keep N | --restore` — the same plan, the same
//! in-use rule and the same batch as `images modify --where`.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::change::{family_members, prune_targets, restore_target, ImageChanges, Operation};
use crate::ecs::model::{ImageQuery, ImageStatus};

use super::bulk_args::{FamiliesCommand, PruneArgs};
use super::exit::{CliError, Exit};
use super::images_bulk::{review_and_run, BulkConsent};
use super::output::{self, Fit, ImageRefJson, OutputFormat, Table};
use super::Context;

/// `families list --output json`.
#[derive(Debug, Serialize)]
pub struct FamiliesJson {
    pub region: String,
    pub families: Vec<FamilyJson>,
}

#[derive(Debug, Serialize)]
pub struct FamilyJson {
    pub name: String,
    pub by_status: BTreeMap<String, usize>,
    pub resolves_to: Option<ImageRefJson>,
    pub members: Vec<ImageRefJson>,
}

pub async fn run(ctx: &Context<'_>, command: &FamiliesCommand) -> Result<(), CliError> {
    match command {
        FamiliesCommand::List => list(ctx).await,
        FamiliesCommand::Prune(args) => prune(ctx, args).await,
    }
}

async fn list(ctx: &Context<'_>) -> Result<(), CliError> {
    let images = ctx
        .session
        .client
        .describe_all_images(&ImageQuery::default())
        .await?;
    let rows = family_members(&images);
    match ctx.output {
        OutputFormat::Ids => {
            for row in &rows {
                output::emit_line(&output::one_line(&row.family));
            }
        }
        OutputFormat::Json => output::print_json(&FamiliesJson {
            region: ctx.session.client.region().to_string(),
            families: rows
                .iter()
                .map(|r| FamilyJson {
                    name: r.family.clone(),
                    by_status: r.by_status.clone(),
                    resolves_to: r.resolves_to.as_ref().map(ImageRefJson::from),
                    members: r.members.iter().map(ImageRefJson::from).collect(),
                })
                .collect(),
        }),
        OutputFormat::Table => {
            let mut table = Table::new(&[
                ("FAMILY", Fit::Flex { min: 8 }),
                ("AVAILABLE", Fit::Fixed),
                ("DEPRECATED", Fit::Fixed),
                ("OTHER", Fit::Optional),
                ("RESOLVES TO", Fit::Fixed),
                ("NAME", Fit::Flex { min: 6 }),
            ]);
            for r in &rows {
                let count = |s: &str| r.by_status.get(s).copied().unwrap_or(0);
                let other = r.members.len() - count("Available") - count("Deprecated");
                let (id, name) = match &r.resolves_to {
                    Some(i) => (i.image_id.clone(), i.image_name.clone()),
                    None => ("(nothing)".to_string(), String::new()),
                };
                table.push(vec![
                    r.family.clone(),
                    count("Available").to_string(),
                    count("Deprecated").to_string(),
                    other.to_string(),
                    id,
                    name,
                ]);
            }
            output::emit(&table.render(output::terminal_width(), ctx.ascii));
        }
    }
    Ok(())
}

async fn prune(ctx: &Context<'_>, args: &PruneArgs) -> Result<(), CliError> {
    let region = ctx
        .session
        .client
        .describe_all_images(&ImageQuery::default())
        .await?;
    let family = &args.family;
    if !region.iter().any(|i| &i.image_family == family) {
        return Err(CliError::invalid(format!(
            "no family {} in {}: `ecsimg families list` lists them",
            output::shown(family),
            ctx.session.client.region()
        )));
    }
    let (status, targets, what) = if args.restore {
        let Some(target) = restore_target(&region, family) else {
            return Err(CliError::new(
                Exit::Ok,
                format!("family {family} has no Deprecated image to restore; nothing was sent"),
            ));
        };
        let what = format!("restore the newest Deprecated image of family {family}");
        (ImageStatus::Available, vec![target], what)
    } else {
        let keep = args.keep.unwrap_or_default();
        let targets = prune_targets(&region, family, keep);
        let what = format!(
            "keep the newest {keep} Available image{} of family {family}, deprecate {}",
            if keep == 1 { "" } else { "s" },
            targets.len()
        );
        (ImageStatus::Deprecated, targets, what)
    };
    if targets.is_empty() {
        return Err(CliError::new(
            Exit::Ok,
            format!("{what}: nothing to change; nothing was sent"),
        ));
    }
    let pairs = targets
        .into_iter()
        .map(|image| {
            let changes = ImageChanges {
                status: Some(status.clone()),
                ..ImageChanges::default()
            };
            (image, Operation::Modify(changes))
        })
        .collect();
    let consent = BulkConsent {
        yes: args.yes,
        force_empty_family: args.force_empty_family,
        force_in_use: args.run.force_in_use,
    };
    let label = format!("set status to {status}");
    review_and_run(ctx, label, pairs, &region, &what, consent, &args.run).await
}

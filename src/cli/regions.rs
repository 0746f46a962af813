//! `ecsimg regions`: the regions ECS offers this account.

use serde::Serialize;

use crate::ecs::model::Region;

use super::exit::CliError;
use super::output::{self, Fit, OutputFormat, Table};
use super::Context;

/// `regions --output json`.
#[derive(Debug, Serialize)]
pub struct RegionsJson {
    pub regions: Vec<RegionJson>,
}

#[derive(Debug, Serialize)]
pub struct RegionJson {
    pub id: String,
    pub name: String,
    pub endpoint: String,
    pub status: String,
}

impl From<&Region> for RegionJson {
    fn from(r: &Region) -> RegionJson {
        RegionJson {
            id: r.region_id.clone(),
            name: r.local_name.clone(),
            endpoint: r.region_endpoint.clone(),
            status: r.status.clone(),
        }
    }
}

pub async fn run(ctx: &Context<'_>) -> Result<(), CliError> {
    let regions = ctx.session.client.describe_regions().await?;
    match ctx.output {
        OutputFormat::Ids => {
            for r in &regions {
                output::emit_line(&r.region_id);
            }
        }
        OutputFormat::Json => output::print_json(&RegionsJson {
            regions: regions.iter().map(RegionJson::from).collect(),
        }),
        OutputFormat::Table => {
            let mut table = Table::new(&[
                ("REGION", Fit::Fixed),
                ("NAME", Fit::Flex { min: 6 }),
                ("ENDPOINT", Fit::Optional),
                ("STATUS", Fit::Optional),
            ]);
            for r in &regions {
                table.push(vec![
                    r.region_id.clone(),
                    r.local_name.clone(),
                    r.region_endpoint.clone(),
                    r.status.clone(),
                ]);
            }
            output::emit(&table.render(output::terminal_width(), ctx.ascii));
        }
    }
    Ok(())
}

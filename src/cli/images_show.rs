//! `ecsimg images show ID`: every field of one image, its family, what that family
//! resolves to today, and who uses the image (every source read at once; one that could
//! not be read is listed as unchecked, never left out).

use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use crate::change::ImageUsage;
use crate::ecs::model::Image;
use crate::rules::FamilyFacts;
use crate::session::Session;

use super::args::ShowArgs;
use super::exit::{CliError, Exit};
use super::output::{self, ImageJson, ImageRefJson, OutputFormat};
use super::Context;

/// `images show --output json`.
#[derive(Debug, Serialize)]
pub struct ShowJson {
    pub image: ShowImageJson,
    /// `null` when the image is in no family.
    pub family: Option<FamilyJson>,
    pub usage: ImageUsage,
}

#[derive(Debug, Serialize)]
pub struct ShowImageJson {
    #[serde(flatten)]
    pub image: ImageJson,
    pub tags: std::collections::BTreeMap<String, String>,
    pub disks: Vec<DiskJson>,
}

#[derive(Debug, Serialize)]
pub struct DiskJson {
    pub device: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub snapshot_id: String,
    /// 0 when ECS sends no size.
    pub size_gib: u64,
    pub format: String,
}

#[derive(Debug, Serialize)]
pub struct FamilyJson {
    pub name: String,
    /// `null` when the family has no Available image.
    pub resolves_to: Option<ImageRefJson>,
    pub members: Vec<ImageRefJson>,
}

/// Reads one image, whatever its status; a missing image is an API error (exit 3).
pub async fn read_image(session: &Session, id: &str) -> Result<Image, CliError> {
    session.client.describe_image(id).await?.ok_or_else(|| {
        CliError::new(
            Exit::Api,
            format!(
                "InvalidImageId.NotFound: no image {id} in region {} — check the ID and \
                 --region (`ecsimg images list` shows what is there)",
                session.client.region()
            ),
        )
        .with_code("InvalidImageId.NotFound")
    })
}

pub async fn run(ctx: &Context<'_>, args: &ShowArgs) -> Result<(), CliError> {
    let image = read_image(ctx.session, &args.id).await?;
    if ctx.output == OutputFormat::Ids {
        output::emit_line(&image.image_id);
        return Ok(());
    }
    let family = async {
        match image.family() {
            Some(family) => crate::exec::family_facts(ctx.session, family)
                .await
                .map(Some),
            None => Ok(None),
        }
    };
    let (facts, usage) = tokio::join!(family, crate::usage::check(&ctx.session.client, &image));
    let facts = facts?;
    match ctx.output {
        OutputFormat::Json => output::print_json(&json(&image, facts.as_ref(), usage)),
        _ => {
            let mut out = text(&image, facts.as_ref(), ctx.ascii);
            out.push('\n');
            out.push_str(&super::usage_text::lines(&usage));
            output::emit(&out);
        }
    }
    Ok(())
}

pub fn json(image: &Image, facts: Option<&FamilyFacts>, usage: ImageUsage) -> ShowJson {
    ShowJson {
        image: ShowImageJson {
            image: ImageJson::from(image),
            tags: image
                .tags
                .tag
                .iter()
                .map(|t| (t.tag_key.clone(), t.tag_value.clone()))
                .collect(),
            disks: image
                .disk_device_mappings
                .disk_device_mapping
                .iter()
                .map(|d| DiskJson {
                    device: d.device.clone(),
                    kind: d.kind.clone(),
                    snapshot_id: d.snapshot_id.clone(),
                    size_gib: d.size.trim().parse().unwrap_or(0),
                    format: d.format.clone(),
                })
                .collect(),
        },
        family: facts.map(|f| FamilyJson {
            name: f.family.clone(),
            resolves_to: f.resolves_to.as_ref().map(ImageRefJson::from),
            members: f.members.iter().map(ImageRefJson::from).collect(),
        }),
        usage,
    }
}

/// The image as `label  value` lines, then the family's members.
pub fn text(image: &Image, facts: Option<&FamilyFacts>, ascii: bool) -> String {
    let arrow = if ascii { "->" } else { "→" };
    let yes_no = |b: bool| if b { "yes" } else { "no" }.to_string();
    let family_line = match (image.family(), facts) {
        (None, _) => "(none)".to_string(),
        (Some(name), Some(f)) => match &f.resolves_to {
            Some(r) if r.image_id == image.image_id => {
                format!("{name} — resolves to this image today")
            }
            Some(r) => format!(
                "{name} — resolves to {} ({}, created {})",
                r.image_id,
                r.image_name,
                r.created_date()
            ),
            None => format!("{name} — resolves to nothing: no Available image"),
        },
        (Some(name), None) => name.to_string(),
    };
    let rows: Vec<(&str, String)> = vec![
        ("ID", image.image_id.clone()),
        ("Name", image.image_name.clone()),
        ("Status", image.status.to_string()),
        ("Family", family_line),
        ("Description", image.description.clone()),
        ("Created", image.creation_time.clone()),
        ("Size", format!("{} GiB", image.size)),
        ("OS", image.os_name.clone()),
        ("OS (English)", image.os_name_en.clone()),
        ("OS type", image.os_type.clone()),
        ("Architecture", image.architecture.clone()),
        ("Platform", image.platform.clone()),
        ("Boot mode", image.boot_mode.clone()),
        ("License", image.license_type.clone()),
        ("NVMe", crate::rules::Field::NvmeSupport.value_of(image)),
        ("IMDS", crate::rules::Field::ImdsSupport.value_of(image)),
        ("Shared", yes_no(image.is_shared())),
        ("Owner", image.image_owner_alias.clone()),
        ("Usage", image.usage.clone()),
        ("Progress", image.progress.clone()),
        ("Version", image.image_version.clone()),
        ("Resource group", image.resource_group_id.clone()),
        ("Copied", yes_no(image.is_copied)),
        ("Cloud-init", yes_no(image.is_support_cloudinit)),
        (
            "Tags",
            image
                .tags
                .tag
                .iter()
                .map(|t| format!("{}={}", t.tag_key, t.tag_value))
                .collect::<Vec<_>>()
                .join(", "),
        ),
    ];
    let label_width = rows.iter().map(|(l, _)| l.width()).max().unwrap_or(0);
    let mut out = String::new();
    for (label, value) in rows {
        out.push_str(&format!(
            "{label}{}  {}\n",
            " ".repeat(label_width - label.width()),
            output::shown(&value)
        ));
    }
    // Every value from ECS on one line of its own: a newline planted in a device name must
    // not start a line that looks like ecsimg's.
    let one = output::one_line;
    for disk in &image.disk_device_mappings.disk_device_mapping {
        out.push_str(&format!(
            "{:<label_width$}  {} {} {} GiB {}\n",
            "Disk",
            one(&disk.device),
            one(&disk.kind),
            one(&disk.size),
            one(&disk.snapshot_id)
        ));
    }
    if let Some(f) = facts {
        out.push_str(&format!(
            "\nFamily {}: {} image{}\n",
            one(&f.family),
            f.members.len(),
            if f.members.len() == 1 { "" } else { "s" }
        ));
        let mut members = f.members.clone();
        members.sort_by(|a, b| b.creation_time.cmp(&a.creation_time));
        let mut table = output::Table::new(&[
            ("", output::Fit::Fixed),
            ("ID", output::Fit::Fixed),
            ("NAME", output::Fit::Flex { min: 8 }),
            ("STATUS", output::Fit::Fixed),
            ("CREATED", output::Fit::Fixed),
        ]);
        for m in &members {
            let mut marks = String::new();
            if f.resolves_to
                .as_ref()
                .is_some_and(|r| r.image_id == m.image_id)
            {
                marks.push_str(arrow);
            }
            if m.image_id == image.image_id {
                marks.push('*');
            }
            table.push(vec![
                marks,
                m.image_id.clone(),
                m.image_name.clone(),
                m.status.to_string(),
                m.created_date().to_string(),
            ]);
        }
        out.push_str(&table.render(output::terminal_width(), ascii));
        out.push_str(&format!(
            "{arrow} what the family resolves to today   * this image\n"
        ));
    }
    out
}

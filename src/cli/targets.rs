//! Which images a change to many images takes: the IDs of `--ids-from FILE|-` (a bad line
//! named by its file and line), or the images `--where family=…,status=…` matches. Every
//! image is looked up in one read of the region, which the duplicate-name check needs too.

use std::io::Read;

use crate::ecs::model::{Image, ImageQuery, ImageStatus};

use super::bulk_args::TargetArgs;
use super::exit::CliError;
use super::Context;

/// `--where`'s filter: every condition given must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Where {
    pub family: Option<String>,
    pub status: Option<ImageStatus>,
    /// Lowercase.
    pub name_like: Option<String>,
    /// `yyyy-mm-dd` or `yyyy-mm-ddTHH:MM:SSZ`: created strictly before.
    pub created_before: Option<String>,
}

const WHERE_KEYS: &str = "family, status, name-like, created-before";

/// Parses `family=web,status=Available,name-like=nightly,created-before=2024-06-01`.
pub fn parse_where(text: &str) -> Result<Where, String> {
    let mut out = Where::default();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let Some((key, value)) = part.split_once('=') else {
            return Err(format!(
                "--where: {part:?} is not KEY=VALUE (keys: {WHERE_KEYS})"
            ));
        };
        let value = value.trim().to_string();
        if value.is_empty() {
            return Err(format!("--where: {key} has no value"));
        }
        let slot_taken = match key.trim() {
            "family" => out.family.replace(value).is_some(),
            "status" => {
                let status = ImageStatus::parse(&value);
                if let ImageStatus::Other(s) = &status {
                    let names: Vec<&str> = ImageStatus::BROWSE.iter().map(|s| s.as_str()).collect();
                    return Err(format!(
                        "--where: status {s:?} is not a status (use {})",
                        names.join(", ")
                    ));
                }
                out.status.replace(status).is_some()
            }
            "name-like" => out.name_like.replace(value.to_lowercase()).is_some(),
            "created-before" => {
                let well_formed = time::Date::parse(
                    value.get(..10).unwrap_or(&value),
                    time::macros::format_description!("[year]-[month]-[day]"),
                )
                .is_ok();
                if !well_formed {
                    return Err(format!(
                        "--where: created-before={value} is not a date: write yyyy-mm-dd"
                    ));
                }
                out.created_before.replace(value).is_some()
            }
            other => {
                return Err(format!(
                    "--where: unknown key {other:?} (keys: {WHERE_KEYS})"
                ))
            }
        };
        if slot_taken {
            return Err(format!("--where: {} is given twice", key.trim()));
        }
    }
    if out == Where::default() {
        return Err(format!("--where needs at least one of {WHERE_KEYS}"));
    }
    Ok(out)
}

impl Where {
    pub fn matches(&self, image: &Image) -> bool {
        self.family.as_ref().is_none_or(|f| &image.image_family == f)
            && self.status.as_ref().is_none_or(|s| &image.status == s)
            && self
                .name_like
                .as_ref()
                .is_none_or(|n| image.image_name.to_lowercase().contains(n.as_str()))
            // Timestamps sort as text; a bare date sorts before every time of its day.
            && self
                .created_before
                .as_ref()
                .is_none_or(|d| image.creation_time.as_str() < d.as_str())
    }
}

/// One ID of an `--ids-from` file, with its line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdLine {
    pub id: String,
    pub line: usize,
}

/// The IDs of an `--ids-from` file named `source`: one a line, blank lines and `#`
/// comments skipped. A line that is no image ID, or an ID given twice, is an error that
/// names the file and the line.
pub fn parse_ids(text: &str, source: &str) -> Result<Vec<IdLine>, String> {
    let mut out: Vec<IdLine> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let id = raw.split('#').next().unwrap_or("").trim();
        if id.is_empty() {
            continue;
        }
        let well_formed = id.len() > 2
            && id.starts_with("m-")
            && id[2..].chars().all(|c| c.is_ascii_alphanumeric());
        if !well_formed {
            return Err(format!(
                "{source}:{line}: {} is not an image ID (m- and letters or digits): fix the line or remove it",
                super::output::shown(id)
            ));
        }
        if let Some(first) = out.iter().find(|o| o.id == id) {
            return Err(format!(
                "{source}:{line}: {id} is listed twice (first on line {}): remove one",
                first.line
            ));
        }
        out.push(IdLine {
            id: id.to_string(),
            line,
        });
    }
    if out.is_empty() {
        return Err(format!("{source}: no image IDs in it"));
    }
    Ok(out)
}

/// The text of `--ids-from` (a file, or `-` for standard input) and its name for messages.
fn read_ids_text(from: &str) -> Result<(String, String), CliError> {
    if from == "-" {
        let mut text = String::new();
        std::io::stdin()
            .lock()
            .take(4 * 1024 * 1024)
            .read_to_string(&mut text)
            .map_err(|e| CliError::invalid(format!("--ids-from -: cannot read stdin: {e}")))?;
        return Ok(("<stdin>".to_string(), text));
    }
    let text = crate::textfile::read(std::path::Path::new(from))
        .map_err(|e| CliError::invalid(format!("--ids-from {from}: {e}")))?;
    Ok((from.to_string(), text))
}

/// The region's images as read now, and the ones `args` pick, in the order given (by
/// name for `--where`); `what` says how they were picked, for the plan's title.
pub async fn select(
    ctx: &Context<'_>,
    args: &TargetArgs,
) -> Result<(Vec<Image>, Vec<Image>, String), CliError> {
    let filter = args
        .where_
        .as_deref()
        .map(parse_where)
        .transpose()
        .map_err(CliError::invalid)?;
    let ids = match &args.ids_from {
        Some(from) => {
            let (source, text) = read_ids_text(from)?;
            Some((
                parse_ids(&text, &source).map_err(CliError::invalid)?,
                source,
            ))
        }
        None => None,
    };
    let region = ctx
        .session
        .client
        .describe_all_images(&ImageQuery::default())
        .await?;
    let where_ = ctx.session.client.region();
    if let Some((ids, source)) = ids {
        let mut targets = Vec::with_capacity(ids.len());
        for IdLine { id, line } in &ids {
            let image = region.iter().find(|i| &i.image_id == id).ok_or_else(|| {
                CliError::invalid(format!(
                    "{source}:{line}: {id} is not a custom image of {where_} (`ecsimg images list` lists them; a batch works in one region, which --region names); nothing was sent"
                ))
            })?;
            targets.push(image.clone());
        }
        let what = format!("{} from {source}", crate::change::images(targets.len()));
        return Ok((region, targets, what));
    }
    let filter = filter.unwrap_or_default();
    let mut targets: Vec<Image> = region
        .iter()
        .filter(|i| filter.matches(i))
        .cloned()
        .collect();
    targets.sort_by(|a, b| {
        a.image_name
            .cmp(&b.image_name)
            .then_with(|| a.image_id.cmp(&b.image_id))
    });
    let what = format!(
        "{} matching {}",
        crate::change::images(targets.len()),
        args.where_.as_deref().unwrap_or_default()
    );
    Ok((region, targets, what))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn where_takes_each_key_once_and_names_the_unknown() {
        let w =
            parse_where("family=web, status=deprecated,name-like=Night,created-before=2024-06-01")
                .unwrap();
        assert_eq!(w.status, Some(ImageStatus::Deprecated));
        assert_eq!(w.name_like.as_deref(), Some("night"));
        let image = |created: &str| Image {
            image_family: "web".into(),
            image_name: "web-nightly".into(),
            status: ImageStatus::Deprecated,
            creation_time: created.into(),
            ..Image::default()
        };
        assert!(w.matches(&image("2024-05-31T23:59:59Z")));
        assert!(!w.matches(&image("2024-06-01T00:00:00Z")));
        assert!(parse_where("famly=web")
            .unwrap_err()
            .contains("unknown key \"famly\""));
        assert!(parse_where("status=Gone")
            .unwrap_err()
            .contains("not a status"));
        assert!(parse_where("family=a,family=b")
            .unwrap_err()
            .contains("twice"));
        assert!(parse_where("created-before=June")
            .unwrap_err()
            .contains("yyyy-mm-dd"));
        assert!(parse_where("").is_err());
    }

    #[test]
    fn a_bad_line_of_an_ids_file_is_named_by_file_and_line() {
        let text = "# retired\nm-abc1\n\nm-abc2  # the old one\n";
        let ids = parse_ids(text, "old.txt").unwrap();
        assert_eq!(
            ids[1],
            IdLine {
                id: "m-abc2".into(),
                line: 4
            }
        );
        let e = parse_ids("m-abc1\nweb-image\n", "old.txt").unwrap_err();
        assert!(
            e.starts_with("old.txt:2: web-image is not an image ID"),
            "{e}"
        );
        let e = parse_ids("m-abc1\nm-abc1\n", "<stdin>").unwrap_err();
        assert!(
            e.starts_with("<stdin>:2: m-abc1 is listed twice (first on line 1)"),
            "{e}"
        );
        assert!(parse_ids("\n# only comments\n", "f")
            .unwrap_err()
            .contains("no image IDs"));
    }
}

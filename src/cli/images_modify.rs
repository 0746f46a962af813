//! `ecsimg images modify ID --name … --status …`: the same checks as the TUI, the family
//! impact in the TUI's words, a confirmation, then `ops::apply_change` — the one place
//! changes execute (read-only and the journal live there).

use serde::Serialize;

use crate::ecs::client::PreparedRequest;
use crate::ecs::credentials::AccessKey;
use crate::ecs::model::{Field, Image, ImageChanges};
use crate::journal::{FieldChange, JournalEntry};
use crate::ops::{self, ApplyError, ApplyMode};
use crate::rules;
use crate::session::Session;

use super::args::ModifyArgs;
use super::confirm::{self, Decision};
use super::exit::{CliError, Exit};
use super::images_show::read_image;
use super::output::{self, OutputFormat};
use super::Context;

/// How far a reviewed change goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Print the signed request; send nothing (`--dry-run`).
    LocalDryRun,
    /// Send it with `DryRun=true` (`--api-dry-run`).
    ApiDryRun,
    Send,
}

/// What the person said up front.
#[derive(Debug, Clone, Copy, Default)]
pub struct Consent {
    pub yes: bool,
    pub force_empty_family: bool,
}

/// `images modify --output json` (and `undo --output json`).
#[derive(Debug, Serialize)]
pub struct ModifyJson {
    pub image_id: String,
    pub request_id: String,
    pub verified: bool,
    pub dry_run: bool,
    pub changes: Vec<FieldChange>,
}

/// `images modify --dry-run --output json`: the request as it would go on the wire, with
/// the AccessKeyId shortened and any SecurityToken redacted.
#[derive(Debug, Serialize)]
pub struct PreparedJson {
    pub method: &'static str,
    pub url: String,
    pub params: std::collections::BTreeMap<String, String>,
}

/// The changes the flags ask for (before comparing with the image).
pub fn changes_from(args: &ModifyArgs) -> ImageChanges {
    let mut changes = ImageChanges::default();
    for (field, value) in [
        (Field::ImageName, &args.name),
        (Field::Description, &args.description),
        (Field::ImageFamily, &args.family),
        (Field::Status, &args.status),
        (Field::BootMode, &args.boot_mode),
        (Field::LicenseType, &args.license_type),
        (Field::NvmeSupport, &args.nvme),
        (Field::ImdsSupport, &args.imds),
    ] {
        changes.set(field, value.clone());
    }
    changes
}

pub async fn run(ctx: &Context<'_>, args: &ModifyArgs) -> Result<(), CliError> {
    let wanted = changes_from(args);
    if wanted.is_empty() {
        return Err(CliError::invalid(
            "nothing to change: give at least one of --name, --description, --family, \
             --status, --boot-mode, --license-type, --nvme, --imds",
        ));
    }
    let before = match read_image(ctx.session, &args.id).await {
        Ok(image) => image,
        Err(e) => {
            // Without the image only the format can be checked; a typo still says so.
            let format_problems: Vec<rules::Problem> = wanted
                .fields()
                .into_iter()
                .filter_map(|f| rules::check_field(f, &wanted.get(f).unwrap_or_default()))
                .collect();
            return Err(if format_problems.is_empty() {
                e
            } else {
                CliError::invalid(output::problems(&format_problems))
            });
        }
    };
    let changes = wanted.only_differences(&before);
    let mode = if args.dry_run {
        Mode::LocalDryRun
    } else if args.api_dry_run {
        Mode::ApiDryRun
    } else {
        Mode::Send
    };
    let consent = Consent {
        yes: args.yes,
        force_empty_family: args.force_empty_family,
    };
    review_and_apply(ctx, &before, &changes, mode, consent).await
}

/// Validates, shows the diff and the family impact, confirms, and applies through
/// `ops::apply_change`. Shared by `modify` and `undo`.
pub async fn review_and_apply(
    ctx: &Context<'_>,
    before: &Image,
    changes: &ImageChanges,
    mode: Mode,
    consent: Consent,
) -> Result<(), CliError> {
    let id = &before.image_id;
    if changes.is_empty() {
        return Err(CliError::new(
            Exit::Ok,
            format!("no changes: {id} already has these values; nothing was sent"),
        ));
    }
    let problems = rules::validate(changes, before);
    if !problems.is_empty() {
        return Err(CliError::invalid(output::problems(&problems)));
    }
    let touches_family = changes.status.is_some() || changes.image_family.is_some();
    let facts = match before.family() {
        Some(family) if touches_family => Some(ops::family_facts(ctx.session, family).await?),
        _ => None,
    };
    let impact = rules::family_impact(before, changes, facts.as_ref());

    let mut summary = format!("{id} ({}):", output::shown(&before.image_name));
    for line in output::diff_lines(before, changes) {
        summary.push('\n');
        summary.push_str(&line);
    }
    for line in impact.lines() {
        summary.push_str("\n  ! ");
        summary.push_str(&line);
    }
    ctx.say(&summary);

    if mode == Mode::LocalDryRun {
        let mut params = changes.params();
        params.insert("ImageId".into(), id.clone());
        params.insert("RegionId".into(), ctx.session.client.region().to_string());
        let request = prepare(ctx.session, params).await?;
        match ctx.output {
            OutputFormat::Json => output::print_json(&prepared_json(&request)),
            _ => output::emit(&render_prepared(&request)),
        }
        return Ok(());
    }

    if mode == Mode::Send {
        let decision = confirm::decide(
            consent.yes,
            consent.force_empty_family,
            impact.needs_typed_confirmation(),
            confirm::interactive(),
        );
        match decision {
            Decision::Refuse(why) => return Err(CliError::refused(why)),
            // Asking first and refusing after would waste the person's time.
            Decision::AskYesNo | Decision::AskTypedId if ctx.session.read_only => {
                return Err(CliError::from(ApplyError::ReadOnly))
            }
            _ => confirm::confirm(
                id,
                consent.yes,
                consent.force_empty_family,
                impact.needs_typed_confirmation(),
            )?,
        }
    }

    let apply_mode = if mode == Mode::ApiDryRun {
        ApplyMode::ApiDryRun
    } else {
        ApplyMode::Send
    };
    let applied = ops::apply_change(ctx.session, before, changes, apply_mode, "cli").await?;
    if let Some(problem) = &applied.journal_error {
        output::emit_err(&format!(
            "ecsimg: warning: the change was applied, but {problem}"
        ));
    }
    if ctx.output == OutputFormat::Json {
        output::print_json(&ModifyJson {
            image_id: id.clone(),
            request_id: applied.request_id.clone(),
            verified: applied.verified,
            dry_run: applied.dry_run,
            changes: JournalEntry::field_changes(before, &applied.changes),
        });
        return Ok(());
    }
    let report = if applied.dry_run {
        format!(
            "DryRunOperation: ECS checked the request and would accept it; nothing was changed.\nRequestId: {}",
            applied.request_id
        )
    } else if applied.verified {
        format!(
            "Applied. RequestId: {}\nverified: a re-read shows the new values.",
            applied.request_id
        )
    } else {
        format!(
            "Applied. RequestId: {}\nnot verified: a re-read does not show every new value yet; \
             check with `ecsimg images show {id}`.",
            applied.request_id
        )
    };
    ctx.say(&report);
    Ok(())
}

/// The signed request for `--dry-run`, without sending it.
async fn prepare(
    session: &Session,
    params: crate::ecs::sign::Params,
) -> Result<PreparedRequest, CliError> {
    Ok(session
        .client
        .prepare("ModifyImageAttribute", params)
        .await?)
}

/// The parameters as they may be shown: AccessKeyId shortened, SecurityToken redacted.
pub fn shown_params(request: &PreparedRequest) -> std::collections::BTreeMap<String, String> {
    request
        .params
        .iter()
        .map(|(name, value)| {
            let value = match name.as_str() {
                "AccessKeyId" => AccessKey::new(value.clone(), String::new()).short_id(),
                "SecurityToken" => "<redacted>".to_string(),
                _ => value.clone(),
            };
            (name.clone(), value)
        })
        .collect()
}

/// `--dry-run`'s printout: method, URL, every signed parameter (one a line, not
/// percent-encoded), the Signature.
pub fn render_prepared(request: &PreparedRequest) -> String {
    let mut out = String::from("Dry run: the request ecsimg would send (nothing was sent):\n");
    out.push_str(&format!("{} {}\n", request.method.as_str(), request.url));
    for (name, value) in shown_params(request) {
        out.push_str(&format!("  {name}={value}\n"));
    }
    out
}

pub fn prepared_json(request: &PreparedRequest) -> PreparedJson {
    PreparedJson {
        method: request.method.as_str(),
        url: request.url.clone(),
        params: shown_params(request),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_become_changes() {
        let args = ModifyArgs {
            id: "m-1".into(),
            name: Some("web-2".into()),
            status: Some("Deprecated".into()),
            imds: Some("v2".into()),
            ..ModifyArgs::default()
        };
        let changes = changes_from(&args);
        assert_eq!(
            changes.fields(),
            [Field::ImageName, Field::Status, Field::ImdsSupport]
        );
    }

    #[test]
    fn the_printed_request_never_shows_a_token_or_the_full_key() {
        let mut params = crate::ecs::sign::Params::new();
        params.insert("AccessKeyId".into(), "LTAI5tAbCdEfGhIj1234".into());
        params.insert("SecurityToken".into(), "CAIS-token-value".into());
        params.insert("Signature".into(), "c2lnbmF0dXJl".into());
        params.insert("ImageName".into(), "web 2".into());
        let request = PreparedRequest {
            method: crate::ecs::client::HttpMethod::Get,
            url: "https://ecs.cn-hangzhou.aliyuncs.com/".into(),
            params,
        };
        let text = render_prepared(&request);
        assert!(!text.contains("CAIS-token-value"), "{text}");
        assert!(!text.contains("LTAI5tAbCdEfGhIj1234"), "{text}");
        assert!(text.contains("AccessKeyId=LTAI****1234"), "{text}");
        assert!(text.contains("SecurityToken=<redacted>"), "{text}");
        assert!(text.contains("Signature=c2lnbmF0dXJl"), "{text}");
        assert!(
            text.contains("GET https://ecs.cn-hangzhou.aliyuncs.com/"),
            "{text}"
        );
    }
}

//! `ecsimg images modify ID --name … --status …`: the same checks as the TUI, the plan
//! (diff, family impact and — for a Deprecate — who uses the image, in the TUI's words), a
//! confirmation, then `exec` — the one place changes execute (read-only and the journal
//! live there). A shared image is refused before anything is sent, naming its accounts; an
//! image in use needs the typed ID or `--yes --force-in-use`. A signal while the change is
//! in flight settles it instead of losing it (`interrupt`).

use serde::Serialize;

use crate::change::{
    self, ApplyError, ApplyMode, Change, Facts, FieldChange, ImageChanges, InUse, ItemOutcome,
    Operation, Stop, Usage,
};
use crate::ecs::client::PreparedRequest;
use crate::ecs::credentials::AccessKey;
use crate::ecs::model::Image;
use crate::exec;
use crate::rules;
use crate::session::Session;

use super::args::ModifyArgs;
use super::confirm::{self, Decision};
use super::exit::{CliError, Exit};
use super::images_show::read_image;
use super::interrupt;
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
    pub force_in_use: bool,
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
    for (field, _, value) in args.values() {
        changes.set(field, value.clone());
    }
    changes
}

/// The changes the flags ask for; at least one flag must be given.
pub fn wanted(args: &ModifyArgs) -> Result<ImageChanges, CliError> {
    let wanted = changes_from(args);
    if wanted.is_empty() {
        let flags: Vec<&str> = args.values().iter().map(|(_, flag, _)| *flag).collect();
        return Err(CliError::invalid(format!(
            "nothing to change: give at least one of {}",
            flags.join(", ")
        )));
    }
    Ok(wanted)
}

pub async fn run(ctx: &Context<'_>, args: &ModifyArgs) -> Result<(), CliError> {
    let id = args.id.clone().unwrap_or_default();
    let wanted = wanted(args)?;
    let before = match read_image(ctx.session, &id).await {
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
                CliError::problems(&format_problems)
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
        force_in_use: args.run.force_in_use,
    };
    review_and_apply(ctx, &before, &changes, mode, consent).await
}

/// Validates, shows the plan (the diff and the family impact), confirms, and runs it
/// through `exec`. Shared by `modify` and `undo`.
pub async fn review_and_apply(
    ctx: &Context<'_>,
    before: &Image,
    changes: &ImageChanges,
    mode: Mode,
    consent: Consent,
) -> Result<(), CliError> {
    let id = &before.image_id;
    let operation = Operation::Modify(changes.clone()).for_image(before);
    if operation.is_empty() {
        return Err(CliError::new(
            Exit::Ok,
            format!("no changes: {id} already has these values; nothing was sent"),
        ));
    }
    let deprecating = change::deprecates(before, &operation);
    let problems = operation.problems(before);
    // A shared image's refusal names its accounts: that needs the usage read first.
    let only_shared = deprecating && problems.iter().all(|p| p.code == "ImageUseShared");
    if !problems.is_empty() && !only_shared {
        return Err(CliError::problems(&problems));
    }
    let family = async {
        match before.family() {
            Some(family) if operation.family_move().is_some() => {
                exec::family_facts(ctx.session, family).await.map(Some)
            }
            _ => Ok(None),
        }
    };
    let usage = async {
        if deprecating {
            Usage::Known(crate::usage::check(&ctx.session.client, before).await)
        } else {
            Usage::NotChecked
        }
    };
    let (facts, usage) = tokio::join!(family, usage);
    let facts = facts?;
    let plan = change::plan_with_usage(
        &Change::one(before.clone(), operation),
        |_| facts.as_ref().map_or(Facts::Checking, Facts::Known),
        |_| usage.clone(),
    );
    let item = &plan.items[0];
    if let Some(refusal) = item.shared_refusal() {
        return Err(CliError::invalid(format!("{refusal} Nothing was sent.")));
    }

    let mut summary = format!("{id} ({}):", output::shown(&before.image_name));
    for line in output::diff_lines(&item.diff_lines()) {
        summary.push('\n');
        summary.push_str(&line);
    }
    for line in item.warnings() {
        summary.push_str("\n  ! ");
        summary.push_str(&line);
    }
    for line in item.usage_lines() {
        summary.push_str("\n  ! ");
        summary.push_str(&output::one_line(&line));
    }
    ctx.say(&summary);

    if mode == Mode::LocalDryRun {
        let mut params = item.operation.params(id);
        params.insert("RegionId".into(), ctx.session.client.region().to_string());
        let request = prepare(ctx.session, item.operation.action(), params).await?;
        match ctx.output {
            OutputFormat::Json => output::print_json(&prepared_json(&request)),
            _ => output::emit(&render_prepared(&request)),
        }
        return Ok(());
    }

    let rules = item.in_use();
    let not_read = item.needs_usage() && item.usage == Usage::NotChecked;
    let asks = confirm::Asks {
        empties_family: item.family.needs_typed_confirmation(),
        in_use: match rules.first() {
            Some(_) => Some(
                rules
                    .iter()
                    .map(InUse::reason)
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
            None => not_read.then(|| "who uses it was not checked".to_string()),
        },
    };
    if mode == Mode::Send {
        let given = confirm::Given {
            yes: consent.yes,
            force_empty_family: consent.force_empty_family,
            force_in_use: consent.force_in_use,
        };
        match confirm::decide_change(given, &asks, confirm::interactive()) {
            Decision::Refuse(why) => return Err(CliError::refused(why)),
            // Asking first and refusing after would waste the person's time.
            Decision::AskYesNo | Decision::AskTypedId if ctx.session.read_only => {
                return Err(CliError::from(ApplyError::ReadOnly))
            }
            _ => confirm::confirm_change(id, given, &asks)?,
        }
    }

    let apply_mode = if mode == Mode::ApiDryRun {
        ApplyMode::ApiDryRun
    } else {
        ApplyMode::Send
    };
    let (stop, mut stopped) = exec::stop_channel();
    let _listening = interrupt::listen(stop)
        .map_err(|e| CliError::failure(format!("cannot listen for signals: {e}")))?;
    let outcome = exec::run(ctx.session, &plan, apply_mode, "cli", &mut stopped)
        .await
        .pop()
        .unwrap_or(ItemOutcome::NotAttempted);
    let applied = match outcome {
        ItemOutcome::Applied(applied) => applied,
        ItemOutcome::Failed(error) => return Err(CliError::from(error)),
        ItemOutcome::Interrupted(interrupted) => {
            interrupt::say(&interrupted.report(before));
            end_on(interrupted.stop)
        }
        ItemOutcome::NotAttempted => {
            interrupt::say("stopped before anything was sent to ECS");
            end_on(stopped.reason().unwrap_or(Stop::Quit))
        }
    };
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
            changes: item.diff.clone(),
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

/// Ends the process as the signal that stopped the change would have: 128+N.
fn end_on(stop: Stop) -> ! {
    let code = match stop {
        Stop::Signal { number, .. } => 128 + number,
        Stop::Cancelled | Stop::Quit => Exit::Failure.code(),
    };
    std::process::exit(code)
}

/// The signed request for `--dry-run`, without sending it.
async fn prepare(
    session: &Session,
    action: &str,
    params: crate::ecs::sign::Params,
) -> Result<PreparedRequest, CliError> {
    Ok(session.client.prepare(action, params).await?)
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
    use crate::rules::Field;

    #[test]
    fn flags_become_changes() {
        let args = ModifyArgs {
            id: Some("m-1".into()),
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

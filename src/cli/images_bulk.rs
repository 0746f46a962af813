//! Changing many images from the command line: `images modify --ids-from|--where`, and
//! the one driver `families prune` and `undo --batch` share — who uses each image a
//! Deprecate takes read first, the plan printed before anything is sent (a shared image
//! refused, naming its accounts), the confirmation (typed, or `--yes` with `--force-empty-family` /
//! `--force-in-use` where the plan needs them), then `exec::run_batch` with a progress
//! line on a terminal and the report; exit 3 when any image was not applied.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::sync::Arc;

use crate::change::{
    images, pattern, plan_pairs, ApplyError, BulkPlan, Facts, FamilyFate, InUse, Operation, Stop,
    Usage,
};
use crate::ecs::model::Image;
use crate::exec::{self, BatchSettings};
use crate::rules::FamilyFacts;

use super::args::ModifyArgs;
use super::batch_output::{plan_text, report_json, report_text, ProgressLine};
use super::bulk_args::RunArgs;
use super::confirm;
use super::exit::{CliError, Exit};
use super::images_modify::wanted;
use super::output::{self, OutputFormat};
use super::{interrupt, targets, Context};

/// What the person said up front.
#[derive(Debug, Clone, Copy, Default)]
pub struct BulkConsent {
    pub yes: bool,
    pub force_empty_family: bool,
    pub force_in_use: bool,
}

/// What the flags and the terminal allow for a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BulkDecision {
    Proceed,
    AskYesNo,
    /// Ask for this word (a family's name, or the number of images) to be typed.
    AskTyped(String),
    Refuse(String),
}

/// The rules, without I/O.
pub fn decide(plan: &BulkPlan, consent: BulkConsent, interactive: bool) -> BulkDecision {
    let risky_family = plan
        .families
        .iter()
        .find(|f| matches!(f.fate, FamilyFate::Empties { .. } | FamilyFate::Unknown(_)));
    let in_use = plan.usage.asks() > 0;
    if consent.yes {
        // Every flag still missing is named at once: one run tells all that it needs.
        let mut missing = Vec::new();
        if let Some(f) = risky_family.filter(|_| !consent.force_empty_family) {
            missing.push((
                format!("family {} may be left resolving to nothing", f.family),
                "--force-empty-family",
            ));
        }
        if in_use && !consent.force_in_use {
            let n = plan.usage.asks();
            let first = match plan.usage.in_use.first() {
                Some((id, why)) => format!(
                    "; first, {id}: {}",
                    why.first().map(InUse::reason).unwrap_or_default()
                ),
                None => "; who uses them was not read".to_string(),
            };
            let is = match (plan.usage.in_use.is_empty(), n) {
                (true, _) => "might be",
                (false, 1) => "is",
                (false, _) => "are",
            };
            missing.push((
                format!("{n} of these {} images {is} in use{first}", plan.calls()),
                "--force-in-use",
            ));
        }
        if !missing.is_empty() {
            let why: Vec<&str> = missing.iter().map(|(w, _)| w.as_str()).collect();
            let flags: Vec<&str> = missing.iter().map(|(_, f)| *f).collect();
            return BulkDecision::Refuse(format!(
                "{}: add {} to --yes if that is what you mean (nothing was sent)",
                why.join("; and "),
                flags.join(" and ")
            ));
        }
        return BulkDecision::Proceed;
    }
    if !interactive {
        return BulkDecision::Refuse(
            "stdin is not a terminal, so ecsimg cannot ask: add --yes to apply without a \
             prompt (nothing was sent)"
                .to_string(),
        );
    }
    match plan.confirm_word() {
        Some(word) => BulkDecision::AskTyped(word),
        None => BulkDecision::AskYesNo,
    }
}

/// The plan (and what leads up to it) goes to stdout on a terminal; when stdout is piped
/// it carries nothing but the final report, so the plan goes to stderr.
pub fn say_plan(ctx: &Context<'_>, text: &str) {
    if std::io::stdout().is_terminal() {
        ctx.say(text);
    } else {
        output::emit_err(text);
    }
}

/// `images modify --ids-from FILE|- …` / `--where FILTER …`.
pub async fn run(ctx: &Context<'_>, args: &ModifyArgs) -> Result<(), CliError> {
    let wanted = wanted(args)?;
    if args.dry_run || args.api_dry_run {
        return Err(CliError::invalid(
            "--dry-run and --api-dry-run take one image ID; for many images the plan is \
             printed before anything is sent, and nothing goes without a confirmation",
        ));
    }
    let (region, targets, what) = targets::select(ctx, &args.targets).await?;
    if targets.is_empty() {
        return Err(CliError::new(
            Exit::Ok,
            format!("no image: {what}; nothing was sent"),
        ));
    }
    let mut pairs = Vec::with_capacity(targets.len());
    for (i, image) in targets.iter().enumerate() {
        let mut changes = wanted.clone();
        if let Some(p) = &wanted.image_name {
            let name = pattern::render(p, image, i + 1)
                .map_err(|e| CliError::invalid(format!("--name: {e}")))?;
            changes.image_name = Some(name);
        }
        pairs.push((image.clone(), Operation::Modify(changes)));
    }
    let label = wanted
        .values()
        .iter()
        .map(|(f, v)| format!("{}={}", f.label(), output::shown(v)))
        .collect::<Vec<_>>()
        .join(", ");
    let consent = BulkConsent {
        yes: args.yes,
        force_empty_family: args.force_empty_family,
        force_in_use: args.run.force_in_use,
    };
    review_and_run(
        ctx,
        format!("set {label}"),
        pairs,
        &region,
        &what,
        consent,
        &args.run,
    )
    .await
}

/// Plans `pairs` with the facts of every family they touch, prints the plan, confirms,
/// runs the batch and prints the report.
pub async fn review_and_run(
    ctx: &Context<'_>,
    label: String,
    pairs: Vec<(Image, Operation)>,
    region: &[Image],
    what: &str,
    consent: BulkConsent,
    run: &RunArgs,
) -> Result<(), CliError> {
    let first = plan_pairs(
        label.clone(),
        pairs.clone(),
        region,
        &HashMap::new(),
        |_| Facts::Checking,
    );
    let (facts, usage) = tokio::join!(
        read_facts(
            ctx,
            first.families.iter().map(|f| f.family.clone()).collect()
        ),
        read_usage(ctx, &first),
    );
    let plan = plan_pairs(label, pairs, region, &usage, |f| match facts.get(f) {
        Some(Ok(known)) => Facts::Known(known),
        Some(Err(e)) => Facts::Failed(e.clone()),
        None => Facts::Checking,
    });
    let settings = BatchSettings {
        concurrency: ctx.batch.concurrency_or(run.concurrency),
        rate: ctx.batch.rate_or(run.rate),
        ..BatchSettings::default()
    };
    say_plan(
        ctx,
        &plan_text(&plan, what, settings.rate, settings.concurrency),
    );
    if let Some(why) = plan.blocked() {
        if plan.plan.items.is_empty() && plan.pattern_error.is_none() {
            return Err(CliError::new(Exit::Ok, format!("{why}; nothing was sent")));
        }
        return Err(CliError::invalid(format!("{why} (nothing was sent)")));
    }
    let decision = decide(&plan, consent, confirm::interactive());
    if ctx.session.read_only && decision != BulkDecision::Proceed {
        return Err(CliError::from(ApplyError::ReadOnly));
    }
    match decision {
        BulkDecision::Proceed => {}
        BulkDecision::Refuse(why) => return Err(CliError::refused(why)),
        BulkDecision::AskYesNo => {
            let n = images(plan.calls());
            if !confirm::ask_yes_no(&format!("Apply this change to {n}? [y/N] "))? {
                return Err(CliError::refused("not confirmed: nothing was sent"));
            }
        }
        BulkDecision::AskTyped(word) => {
            let asked = format!(
                "Type {word} to apply this change to {}: ",
                images(plan.calls())
            );
            if confirm::ask_line(&asked)? != word {
                return Err(CliError::refused("not confirmed: nothing was sent"));
            }
        }
    }
    let (stop, mut stopped) = exec::stop_channel();
    let _listening = interrupt::listen(stop)
        .map_err(|e| CliError::failure(format!("cannot listen for signals: {e}")))?;
    let line = Arc::new(ProgressLine::new());
    let shown = line.clone();
    let label = plan.label;
    let mut report = exec::run_batch(
        ctx.session,
        plan.plan,
        &settings,
        "cli",
        &mut stopped,
        move |p| shown.show(p),
    )
    .await;
    line.done();
    report.label = label;
    match ctx.output {
        OutputFormat::Json => output::print_json(&report_json(&report)),
        _ => ctx.say(&report_text(&report)),
    }
    if let Some(Stop::Signal { number, .. }) = report.stopped {
        std::process::exit(128 + number);
    }
    let missing = report.items.len() - report.applied();
    if missing > 0
        && report
            .items
            .iter()
            .all(|i| i.code().as_deref() == Some("ReadOnly"))
    {
        return Err(CliError::from(ApplyError::ReadOnly).already_reported());
    }
    if let Some(why) = &report.gave_up {
        return Err(CliError::new(
            Exit::Network,
            format!(
                "{why} (batch {}): check the network, proxy (HTTPS_PROXY) or endpoint, then \
                 retry the images not applied",
                report.batch
            ),
        )
        .already_reported());
    }
    if missing > 0 {
        return Err(CliError::new(
            Exit::Api,
            format!(
                "{missing} of {} images were not applied (batch {}): see the report",
                report.items.len(),
                report.batch
            ),
        )
        .already_reported());
    }
    Ok(())
}

/// The facts of each family the plan touches (a batch touches a few), while the usage is
/// read beside them.
async fn read_facts(
    ctx: &Context<'_>,
    families: Vec<String>,
) -> HashMap<String, Result<FamilyFacts, String>> {
    let mut out = HashMap::new();
    for family in families {
        let read = exec::family_facts(ctx.session, &family)
            .await
            .map_err(|e| format!("{}: {}", e.code, e.meaning()));
        out.insert(family, read);
    }
    out
}

/// Who uses each image the plan deprecates (the only change usage matters to), read
/// before the plan is printed so the in-use rule and the shared refusal use real data.
async fn read_usage(ctx: &Context<'_>, plan: &BulkPlan) -> HashMap<String, Usage> {
    let images = plan.deprecated_images();
    if images.is_empty() {
        return HashMap::new();
    }
    if std::io::stderr().is_terminal() {
        output::emit_err(&format!(
            "checking who uses {}…",
            crate::change::images(images.len())
        ));
    }
    crate::usage::check_many(&ctx.session.client, &images)
        .await
        .into_iter()
        .map(|(id, usage)| (id, Usage::Known(usage)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::change::{plan_edit, BulkEdit, ImageUsage};
    use crate::ecs::model::ImageStatus;

    fn only_member() -> (Vec<Image>, FamilyFacts) {
        let image = Image {
            image_id: "m-1".into(),
            image_name: "web-1".into(),
            image_family: "web".into(),
            creation_time: "2024-01-01T00:00:00Z".into(),
            ..Image::default()
        };
        let facts = FamilyFacts {
            family: "web".into(),
            members: vec![image.clone()],
            resolves_to: Some(image.clone()),
        };
        (vec![image], facts)
    }

    #[test]
    fn emptying_a_family_needs_force_or_its_name_typed() {
        let (images, facts) = only_member();
        let unused: HashMap<String, Usage> =
            [("m-1".to_string(), Usage::Known(ImageUsage::default()))].into();
        let plan = plan_edit(
            &BulkEdit::Status(ImageStatus::Deprecated),
            &images,
            &images,
            &unused,
            |_| Facts::Known(&facts),
        );
        let yes = BulkConsent {
            yes: true,
            ..BulkConsent::default()
        };
        assert!(
            matches!(decide(&plan, yes, false), BulkDecision::Refuse(m) if m.contains("--force-empty-family"))
        );
        let forced = BulkConsent {
            force_empty_family: true,
            ..yes
        };
        assert_eq!(decide(&plan, forced, false), BulkDecision::Proceed);
        // Nobody read who uses it as well: both flags are named in one refusal.
        let unread = plan_edit(
            &BulkEdit::Status(ImageStatus::Deprecated),
            &images,
            &images,
            &HashMap::new(),
            |_| Facts::Known(&facts),
        );
        assert!(
            matches!(decide(&unread, yes, false), BulkDecision::Refuse(m)
                if m.contains("add --force-empty-family and --force-in-use to --yes")),
            "{:?}",
            decide(&unread, yes, false)
        );
        assert_eq!(
            decide(&plan, BulkConsent::default(), true),
            BulkDecision::AskTyped("web".into())
        );
        assert!(matches!(
            decide(&plan, BulkConsent::default(), false),
            BulkDecision::Refuse(m) if m.contains("--yes")
        ));
    }
}

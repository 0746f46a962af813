//! Who uses an image, drawn: one line in the detail pane, every source in full with `d`,
//! and the lines the status picker and the confirm dialog show beside the family's fate.
//! Every name and reason came from a server, so all of it goes through the sanitiser.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::app::App;
use crate::change::{ImageUsage, PlanItem, Usage, Via};
use crate::ecs::model::Image;
use crate::rules::Severity;

use super::text::{fit, pad};
use super::{labelled, wrapped, Theme, LABEL};

/// The detail pane's one line: the summary, "checking…", or that it is not read yet.
pub(super) fn compact_line<'a>(app: &App, image: &Image, cells: usize, theme: &Theme) -> Line<'a> {
    let (text, style) = match app.usage.of(&image.image_id) {
        Usage::NotChecked => ("not read yet".to_string(), theme.dim()),
        Usage::Checking => ("checking…".to_string(), theme.dim()),
        // The image says it is shared and no account was listed: do not call it unused.
        Usage::Known(u) if image.is_shared() && u.shared_with.is_empty() && u.is_unused() => (
            "shared with other accounts (none listed); nothing else uses it".to_string(),
            theme.warning(),
        ),
        Usage::Known(u) => (u.summary(), style_of(&u, theme)),
    };
    let room = cells.saturating_sub(LABEL + 1);
    Line::from(vec![
        Span::styled(pad("Used by", LABEL, theme.ellipsis()), theme.dim()),
        Span::raw(" "),
        Span::styled(fit(&theme.text(&text), room, theme.ellipsis()), style),
    ])
}

fn style_of(usage: &ImageUsage, theme: &Theme) -> Style {
    if !usage.unchecked.is_empty() {
        theme.warning()
    } else if usage.is_unused() {
        theme.dim()
    } else {
        Style::new()
    }
}

/// Every source in full, for the opened-out pane.
pub(super) fn full_lines<'a>(
    app: &App,
    image: &Image,
    cells: usize,
    theme: &Theme,
) -> Vec<Line<'a>> {
    let plain = Style::new();
    let entry = app.usage.entry(&image.image_id);
    let usage = match entry.map(|e| &e.usage) {
        Some(Usage::Known(u)) => u,
        Some(Usage::Checking) => {
            return labelled("Used by", "checking…", theme.dim(), cells, theme)
        }
        _ => return labelled("Used by", "not read yet", theme.dim(), cells, theme),
    };
    let mut lines = Vec::new();
    let i = &usage.instances;
    let instances = if i.total == 0 {
        "no instances".to_string()
    } else {
        let by: Vec<String> = i
            .by_status
            .iter()
            .map(|(s, n)| format!("{n} {s}"))
            .collect();
        let sample: Vec<String> = i
            .sample
            .iter()
            .map(|s| format!("{} {} ({}, {})", s.id, s.name, s.status, s.zone))
            .collect();
        let more = if i.total as usize > i.sample.len() {
            ", …"
        } else {
            ""
        };
        format!(
            "{} ({}): {}{more}",
            i.total,
            by.join(", "),
            sample.join("; ")
        )
    };
    lines.extend(labelled("Instances", &instances, plain, cells, theme));
    let templates: Vec<String> = usage
        .launch_templates
        .iter()
        .map(|t| {
            let default = if t.default { ", the default" } else { "" };
            format!("{} ({}) v{}{default}", t.name, t.id, t.version)
        })
        .collect();
    lines.extend(labelled(
        "Templates",
        &none_or(&templates),
        plain,
        cells,
        theme,
    ));
    let groups: Vec<String> = usage
        .scaling
        .iter()
        .map(|s| {
            let how = match s.via {
                Via::Image => "by image".to_string(),
                Via::Family => format!("through family {}", s.through),
                Via::LaunchTemplate => format!("through launch template {}", s.through),
            };
            let state = if s.active {
                "active"
            } else {
                "not on its next scale-out"
            };
            format!("{} ({}): {how}, {state}", s.group_name, s.group_id)
        })
        .collect();
    lines.extend(labelled("Scaling", &none_or(&groups), plain, cells, theme));
    lines.extend(labelled(
        "Shared with",
        &none_or(&usage.shared_with),
        plain,
        cells,
        theme,
    ));
    for u in &usage.unchecked {
        let text = format!("{} ({}): {}", u.source.label(), u.code, u.reason);
        lines.extend(labelled("Unchecked", &text, theme.warning(), cells, theme));
    }
    let rules = usage.in_use();
    let verdict = if rules.is_empty() {
        "no: deprecating needs no typed ID for its usage (running instances keep running)"
            .to_string()
    } else {
        let reasons: Vec<String> = rules.iter().map(|r| r.reason()).collect();
        format!("yes: {}", reasons.join("; "))
    };
    let style = if rules.is_empty() {
        theme.dim()
    } else {
        theme.warning()
    };
    lines.extend(labelled("In use", &verdict, style, cells, theme));
    if let Some(at) = entry.and_then(|e| e.read_at.as_deref()) {
        lines.extend(labelled(
            "Read",
            &format!("{at} UTC · r reads it again"),
            theme.dim(),
            cells,
            theme,
        ));
    }
    lines
}

fn none_or(items: &[String]) -> String {
    if items.is_empty() {
        "none".to_string()
    } else {
        items.join(" · ")
    }
}

/// What the status picker and the confirm dialog say of who uses the image: the refusal
/// of a shared image (naming its accounts), or the usage beside the family's fate.
pub(super) fn plan_lines<'a>(item: &PlanItem, cells: usize, theme: &Theme) -> Vec<Line<'a>> {
    if let Some(refusal) = item.shared_refusal() {
        return wrapped(
            &format!("{} {refusal}", theme.mark_bad()),
            cells,
            2,
            theme.severity(Severity::Blocked),
            theme,
        );
    }
    let style = if item.usage_checking() {
        theme.dim()
    } else {
        theme.severity(item.usage_severity())
    };
    item.usage_lines()
        .iter()
        .flat_map(|l| wrapped(l, cells, 2, style, theme))
        .collect()
}

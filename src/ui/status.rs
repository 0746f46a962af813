//! The status picker: Available / Deprecated, what the family resolves to today and after
//! the choice, and what the choice does to the family. Read-only mode and a status ECS set
//! itself (CreateFailed) are said before anything is chosen.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::Frame;

use crate::app::{App, ImpactView, StatusPicker};
use crate::change::{Change, Facts};
use crate::ecs::model::Image;
use crate::rules::FamilyImpact;

use super::{dialog, form, lines_scrolled, popup, title, wrapped, Theme, DIALOG_CHROME};

pub(super) fn draw(
    frame: &mut Frame<'_>,
    area: Rect,
    app: &App,
    picker: &StatusPicker,
    theme: &Theme,
) {
    let width = area.width.min(76);
    let cells = width.saturating_sub(DIALOG_CHROME) as usize;
    let image = &picker.image;
    let mut lines = Vec::new();
    if app.context.read_only {
        lines.extend(wrapped(
            "Read-only mode: you can look, but Apply will be refused and nothing sent.",
            cells,
            0,
            theme.warning(),
            theme,
        ));
    }
    let note = form::status_note(&image.status);
    if let Some(note) = &note {
        lines.extend(wrapped(note, cells, 2, theme.warning(), theme));
    }
    if !lines.is_empty() {
        lines.push(Line::raw(""));
    }
    lines.push(Line::from(vec![
        Span::styled("Now: ", theme.dim()),
        Span::styled(
            image.status.to_string(),
            super::list::status_style(&image.status, theme),
        ),
        Span::styled(
            match image.family() {
                Some(f) => theme.text(&format!("   family {f}")).into_owned(),
                None => "   no family".to_string(),
            },
            theme.dim(),
        ),
    ]));
    let banner = form::creating_banner(image, cells, theme);
    if !banner.is_empty() {
        lines.push(Line::raw(""));
        lines.extend(banner);
    }
    lines.push(Line::raw(""));
    for (i, status) in picker.options.iter().enumerate() {
        let chosen = i == picker.selected;
        let style = if chosen {
            theme.focused()
        } else {
            theme.bold()
        };
        let note = if *status == image.status {
            "  (current)"
        } else {
            ""
        };
        lines.push(Line::from(vec![
            Span::raw("  "),
            Span::styled(format!("{} {status}", theme.radio(chosen)), style),
            Span::styled(note, theme.dim()),
        ]));
    }
    lines.push(Line::raw(""));
    let changes = picker.changes();
    if changes.is_empty() {
        lines.push(Line::from(Span::styled(
            "No change: choose the other status.",
            theme.dim(),
        )));
    } else {
        let plan = app.plan(&Change::modify(image.clone(), changes));
        let item = &plan.items[0];
        let usage = super::usage::plan_lines(item, cells, theme);
        // A shared image is refused whatever its family: the refusal names the accounts.
        if item.shared_refusal().is_none() {
            if let Some(line) = today_and_after(app, image, &item.family) {
                lines.extend(wrapped(&line, cells, 2, theme.bold(), theme));
            }
            let impact = form::impact_lines(&item.family, cells, theme);
            if impact.is_empty() && note.is_none() {
                lines.push(Line::from(Span::styled(
                    "The image's family is not affected.",
                    theme.dim(),
                )));
            }
            lines.extend(impact);
        }
        if !usage.is_empty() && item.shared_refusal().is_none() {
            lines.push(Line::raw(""));
        }
        lines.extend(usage);
    }
    // ImageUseShared is already explained by the family note above.
    if let Some(problem) = picker
        .problem
        .as_ref()
        .filter(|p| p.code != "ImageUseShared" && p.code != "InvalidStatus.ImageIsCreating")
    {
        lines.push(Line::raw(""));
        lines.extend(wrapped(
            &format!("{} {}", theme.mark_bad(), problem.reason()),
            cells,
            2,
            theme.error(),
            theme,
        ));
    }
    let height = (lines.len() as u16 + 2).min(area.height);
    let rect = popup(area, width, height);
    let heading = format!(
        "Status of {} {} {}",
        image.image_name,
        theme.sep(),
        image.image_id
    );
    let inner = dialog(frame, rect, title(&heading, rect.width, theme), theme);
    lines_scrolled(frame, inner, lines, 0, theme);
}

/// "family web today: web-v12 → after: web-v11", once the family's facts are in and the
/// choice moves what it resolves to (or might).
fn today_and_after(app: &App, image: &Image, view: &ImpactView) -> Option<String> {
    let family = image.family()?;
    let Facts::Known(facts) = app.facts_of(family) else {
        return None;
    };
    let ImpactView::Known(impact) = view else {
        return None;
    };
    let name = |i: &Image| i.image_name.clone();
    let after = match impact {
        FamilyImpact::Rollback { next, .. } => name(next),
        FamilyImpact::EmptiesFamily { .. } => "nothing".to_string(),
        FamilyImpact::KeepsResolving { current, .. }
        | FamilyImpact::RestoredNotLatest { current, .. } => name(current),
        FamilyImpact::BecomesLatest { .. } => name(image),
        FamilyImpact::None | FamilyImpact::NoFamily { .. } | FamilyImpact::Shared => return None,
    };
    let today = facts
        .resolves_to
        .as_ref()
        .map_or_else(|| "nothing".to_string(), name);
    Some(format!("today: {today} → after: {after}"))
}

//! The header line: profile · region · endpoint · DEMO/RO badge · what is running.

use ratatui::layout::Rect;
use ratatui::style::Color;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::app::{App, Loadable};

use super::text::{fit, width};
use super::Theme;

/// The most cells the endpoint takes.
const ENDPOINT_MAX: usize = 32;
/// Cells kept for what is running when the endpoint is long.
const ENDPOINT_KEEP: usize = 14;

pub(super) fn draw(frame: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
    let ctx = &app.context;
    let sep = format!(" {} ", theme.sep());
    let region = match &app.all_regions {
        Some(regions) => format!("all {} regions", regions.len()),
        None => theme.text(&ctx.region).into_owned(),
    };
    let mut left = vec![
        Span::styled(" ecsimg ", theme.title()),
        Span::raw(" "),
        Span::raw(theme.text(&ctx.profile).into_owned()),
        Span::styled(sep.clone(), theme.dim()),
        Span::styled(region, theme.bold()),
        Span::styled(sep, theme.dim()),
    ];
    // A custom endpoint's host may be long: it gets what is left beside the rest, up to a
    // point, so the badges and what is running stay in view.
    let badges = if ctx.demo { 7 } else { 0 } + if ctx.read_only { 5 } else { 0 };
    let used: usize = left.iter().map(|s| width(&s.content)).sum();
    let room = (area.width as usize)
        .saturating_sub(used + badges + ENDPOINT_KEEP)
        .clamp(6, ENDPOINT_MAX);
    left.push(Span::raw(fit(
        &theme.text(&ctx.endpoint_kind),
        room,
        theme.ellipsis(),
    )));
    if ctx.demo {
        left.push(Span::raw(" "));
        left.push(Span::styled(" DEMO ", theme.badge(Color::Magenta)));
    }
    if ctx.read_only {
        left.push(Span::raw(" "));
        left.push(Span::styled(" RO ", theme.badge(Color::Yellow)));
    }
    let left_w: usize = left.iter().map(|s| width(&s.content)).sum();
    let room = (area.width as usize).saturating_sub(left_w + 2);
    let activity = activity(app);
    let right = if app.busy() {
        format!("{} {}", theme.spinner(app.spinner), activity.join(" · "))
    } else if let Some(part) = &app.incomplete {
        let long = format!(
            "{} of {} {} incomplete (r retries)",
            part.received,
            part.total,
            theme.sep()
        );
        if width(&long) <= room {
            long
        } else {
            format!("{} of {} incomplete", part.received, part.total)
        }
    } else if !app.bulk.marks.is_empty() {
        format!(
            "{} marked {} {} images",
            app.bulk.marks.len(),
            theme.sep(),
            app.list.all().len()
        )
    } else {
        format!("{} images", app.list.all().len())
    };
    let right = fit(&theme.text(&right), room, theme.ellipsis());
    let gap = (area.width as usize).saturating_sub(left_w + width(&right) + 1);
    left.push(Span::raw(" ".repeat(gap)));
    let style = if app.busy() {
        theme.info()
    } else if app.incomplete.is_some() {
        theme.warning()
    } else {
        theme.dim()
    };
    left.push(Span::styled(right, style));
    frame.render_widget(Paragraph::new(Line::from(left)), area);
}

/// What is running, in a few words each.
pub(super) fn activity(app: &App) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(run) = &app.bulk.run {
        let p = &run.progress;
        let verb = if run.stopping {
            "stopping batch"
        } else {
            "batch"
        };
        out.push(format!("{verb} {}/{}", p.done + p.failed, p.total));
    }
    if !app.bulk.marks.is_empty() {
        out.push(format!("{} marked", app.bulk.marks.len()));
    }
    for job in &app.jobs {
        let name = &job.change.image().image_name;
        out.push(if job.cancelling {
            format!("cancelling {name}")
        } else {
            format!("applying to {name}")
        });
    }
    if let Some(loading) = &app.loading {
        let mut text = if loading.total > 0 {
            format!("loading {}/{}", loading.received, loading.total)
        } else {
            "loading images".to_string()
        };
        // Across regions the count can be whole while regions are still answering.
        if app.spans_regions() {
            let left = loading.waiting.len();
            text.push_str(&format!(
                " ({left} region{} to go)",
                if left == 1 { "" } else { "s" }
            ));
        }
        out.push(text);
    }
    if let (None, Some(part)) = (&app.loading, &app.incomplete) {
        out.push(format!("{} of {} incomplete", part.received, part.total));
    }
    if !app.rereads.is_empty() {
        out.push(format!("re-reading {}", app.rereads.join(", ")));
    }
    for (family, facts) in &app.facts {
        if facts.is_loading() {
            out.push(format!("checking family {family}"));
        }
    }
    match app.usage.checking() {
        0 => {}
        1 => out.push("checking who uses the image".to_string()),
        n => out.push(format!("checking who uses {n} images")),
    }
    if app.regions.as_ref().is_some_and(Loadable::is_loading) {
        out.push("loading regions".to_string());
    }
    if app.journal.as_ref().is_some_and(Loadable::is_loading) {
        out.push("reading the journal".to_string());
    }
    if app.profiles.as_ref().is_some_and(Loadable::is_loading) {
        out.push("listing profiles".to_string());
    }
    if let Some(profile) = &app.switching {
        out.push(format!("switching to profile {profile}"));
    }
    out
}

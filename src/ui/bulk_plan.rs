//! The plan of a change to many images, before anything is sent: per image before →
//! after (and who uses each image it deprecates), the problems ECS would refuse, each
//! family's fate, the usage summed (being read, or unchecked, said as such), the calls and
//! the time at the configured rate; the word to type when
//! the plan empties a family or touches an image in use; [Cancel] [Apply], Cancel focused.

use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::Frame;

use crate::app::bulk::BulkReview;
use crate::app::App;
use crate::change::{FamilyFate, FamilySum};
use crate::rules::Severity;

use super::text::{fit, pad, width, window};
use super::{diff, lines_at, view_block, wrapped, Theme};

pub(super) fn draw(
    frame: &mut Frame<'_>,
    area: Rect,
    app: &App,
    review: &BulkReview,
    theme: &Theme,
) {
    let plan = app.bulk_plan(review);
    let heading = format!(
        " Plan: {} {} {} image{} ",
        review.label,
        theme.sep(),
        plan.calls(),
        if plan.calls() == 1 { "" } else { "s" }
    );
    let block = view_block(theme).title(Span::styled(
        fit(&theme.text(&heading), area.width as usize, theme.ellipsis()),
        theme.title(),
    ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let cells = inner.width as usize;
    let word = plan.confirm_word();
    let [body, foot] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(if word.is_some() { 4 } else { 2 }),
    ])
    .areas(inner);

    let mut lines: Vec<Line> = Vec::new();
    let mut summary: Vec<Line> = Vec::new();
    for f in &plan.families {
        summary.extend(wrapped(&f.line(), cells, 2, family_style(f, theme), theme));
    }
    for line in plan.usage.lines() {
        let style = if line.starts_with("IN USE") {
            theme.error()
        } else if line.starts_with("checking") || line.starts_with("usage of") {
            theme.info()
        } else {
            theme.warning()
        };
        summary.extend(wrapped(&line, cells, 2, style, theme));
    }
    let rest = plan.summary_lines(app.bulk.limits.rate, app.bulk.limits.concurrency);
    let skip = plan.families.len() + plan.usage.lines().len();
    for line in rest.into_iter().skip(skip) {
        summary.extend(wrapped(&line, cells, 2, theme.info(), theme));
    }
    // While it only waits for its checks, the lines above say what is being read.
    let waiting = plan.waiting_for().map(|w| format!("{w}…"));
    if let Some(why) = plan.blocked().filter(|why| Some(why) != waiting.as_ref()) {
        summary.extend(wrapped(
            &format!("{} {why}", theme.mark_bad()),
            cells,
            2,
            theme.error(),
            theme,
        ));
    }
    if app.context.read_only {
        summary.extend(wrapped(
            "Read-only mode: Apply will be refused for every image and nothing sent.",
            cells,
            0,
            theme.warning(),
            theme,
        ));
    }
    for note in &review.notes {
        lines.extend(wrapped(
            &format!("! {note}"),
            cells,
            2,
            theme.warning(),
            theme,
        ));
    }
    lines.extend(summary);
    lines.push(Line::raw(""));
    for item in &plan.plan.items {
        lines.push(Line::styled(
            fit(
                &theme.text(&format!(
                    "{}  {}",
                    item.before.image_id, item.before.image_name
                )),
                cells,
                theme.ellipsis(),
            ),
            theme.bold(),
        ));
        lines.extend(diff::lines(&item.diff_lines(), cells, theme));
        if let Some(usage) = item.usage_line() {
            let style = match item.usage_severity() {
                Severity::Danger => theme.error(),
                Severity::Warning => theme.warning(),
                _ => theme.dim(),
            };
            lines.extend(wrapped(&format!("  {usage}"), cells, 4, style, theme));
        }
        for p in &item.problems {
            lines.extend(wrapped(
                &format!("  {} {p}", theme.mark_bad()),
                cells,
                4,
                theme.error(),
                theme,
            ));
        }
    }
    if !plan.unchanged.is_empty() {
        lines.push(Line::styled(
            format!("{} already so: not sent", plan.unchanged.len()),
            theme.dim(),
        ));
    }
    let offset = review
        .offset
        .min(lines.len().saturating_sub(body.height as usize));
    lines_at(frame, body, lines, offset);

    let mut foot_lines = Vec::new();
    if let Some(word) = &word {
        let prompt = format!("Type {word} to confirm: ");
        let room = cells.saturating_sub(width(&prompt) + 4).max(4);
        let skip = review.typed.scroll(room);
        let typed_ok = review.typed.value().trim() == word;
        foot_lines.push(Line::from(vec![
            Span::styled(theme.text(&prompt).into_owned(), theme.bold()),
            Span::styled("[", theme.dim()),
            Span::styled(
                pad(
                    &theme.text(&window(review.typed.value(), skip, room)),
                    room,
                    "",
                ),
                theme.input(),
            ),
            Span::styled("]", theme.dim()),
            if typed_ok {
                Span::styled(format!(" {}", theme.mark_ok()), theme.ok())
            } else {
                Span::raw("")
            },
        ]));
        let why = match plan.usage.asks() {
            0 => "It may leave a family resolving to nothing".to_string(),
            1 => "1 image may be in use".to_string(),
            n => format!("{n} images may be in use"),
        };
        foot_lines.push(Line::styled(
            fit(
                &format!("{why}: Apply unlocks when this matches."),
                cells,
                theme.ellipsis(),
            ),
            theme.dim(),
        ));
        let col = width(&prompt) + 1 + review.typed.cursor_col().saturating_sub(skip);
        frame.set_cursor_position(Position::new(
            foot.x + (col as u16).min(foot.width.saturating_sub(1)),
            foot.y,
        ));
    }
    let ready = app.bulk_ready_with(review, &plan).is_ok();
    match plan.waiting_for().filter(|_| review.queued) {
        Some(what) => foot_lines.push(Line::styled(
            fit(
                &format!("Apply queued: {what}; it goes when they return (Esc cancels it)."),
                cells,
                theme.ellipsis(),
            ),
            theme.info(),
        )),
        None => foot_lines.push(Line::raw("")),
    }
    foot_lines.push(super::buttons::line(review.focus, ready, cells, theme));
    lines_at(frame, foot, foot_lines, 0);
}

fn family_style(f: &FamilySum, theme: &Theme) -> ratatui::style::Style {
    match f.fate {
        FamilyFate::Empties { .. } | FamilyFate::Unknown(_) => theme.error(),
        FamilyFate::RollsBack { .. } | FamilyFate::MovesForward { .. } => theme.warning(),
        _ => theme.info(),
    }
}

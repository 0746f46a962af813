//! A batch on screen: the progress bar under the list while it runs (done / failed /
//! remaining, the rate, the time left), and the report (`B`): the headline, failures
//! grouped by code, then every image with its outcome and RequestId.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::app::App;
use crate::change::Progress;
use crate::keys::{Context, Intent};

use super::text::{fit, width};
use super::{lines_at, view_block, wrapped, Theme};

/// "[#####-----] 120/500 done · 3 failed · …", fitted to `cells`.
fn bar_line<'a>(progress: &Progress, stopping: bool, cells: usize, theme: &Theme) -> Line<'a> {
    let text = Progress {
        stopping,
        ..progress.clone()
    }
    .line();
    let bar_cells = 20.min(cells / 4).max(4);
    let filled = ((progress.ratio() * bar_cells as f64).round() as usize).min(bar_cells);
    let (on, off) = if theme.ascii {
        ("#", "-")
    } else {
        ("█", "░")
    };
    let bar = format!("[{}{}] ", on.repeat(filled), off.repeat(bar_cells - filled));
    let room = cells.saturating_sub(width(&bar));
    let style = if stopping || progress.failed > 0 {
        theme.warning()
    } else {
        theme.info()
    };
    Line::from(vec![
        Span::styled(bar, style),
        Span::styled(fit(&theme.text(&text), room, theme.ellipsis()), style),
    ])
}

/// The one-line progress bar, while a batch runs.
pub(super) fn draw_progress(frame: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
    let Some(run) = &app.bulk.run else { return };
    let line = bar_line(&run.progress, run.stopping, area.width as usize, theme);
    frame.render_widget(Paragraph::new(line), area);
}

/// The report view (or the progress of the batch still running).
pub(super) fn draw_report(
    frame: &mut Frame<'_>,
    area: Rect,
    app: &App,
    offset: usize,
    theme: &Theme,
) {
    let block = view_block(theme);
    let inner = block.inner(area);
    let cells = inner.width as usize;
    let mut lines: Vec<Line> = Vec::new();
    let heading = if let Some(run) = &app.bulk.run {
        lines.push(bar_line(&run.progress, run.stopping, cells, theme));
        lines.extend(wrapped(
            "Running in the background: the list stays usable (Esc there stops the batch after the calls in flight).",
            cells,
            0,
            theme.dim(),
            theme,
        ));
        format!(" Batch: {} ", run.label)
    } else if let Some(report) = &app.bulk.report {
        let style = if report.failed() + report.not_attempted() > 0 {
            theme.warning()
        } else {
            theme.ok()
        };
        lines.extend(wrapped(&report.headline(), cells, 2, style, theme));
        let groups = report.group_lines();
        if !groups.is_empty() {
            lines.push(Line::styled("Not applied, by code:", theme.bold()));
            for g in groups {
                lines.extend(wrapped(&format!("  {g}"), cells, 4, theme.error(), theme));
            }
            let key = |intent| {
                app.keys
                    .label_of(Context::BatchReport, intent)
                    .unwrap_or_default()
            };
            let hint = format!(
                "{} plans them again; {} undoes the applied ones (with undo's drift check).",
                key(Intent::RetryFailed),
                key(Intent::UndoBatch)
            );
            lines.extend(wrapped(&hint, cells, 2, theme.dim(), theme));
        }
        lines.push(Line::raw(""));
        for item in &report.items {
            let (mark, style) = if item.applied() {
                (theme.mark_ok(), theme.ok())
            } else if item.failed() {
                (theme.mark_bad(), theme.error())
            } else {
                ("-", theme.dim())
            };
            let head = format!(
                "{mark} {}  {}",
                item.before.image_id, item.before.image_name
            );
            lines.push(Line::styled(
                fit(&theme.text(&head), cells, theme.ellipsis()),
                style,
            ));
            let rid = item
                .request_id()
                .map(|r| format!(" · RequestId {r}"))
                .unwrap_or_default();
            lines.extend(wrapped(
                &format!("    {}{rid}", item.words()),
                cells,
                6,
                theme.dim(),
                theme,
            ));
        }
        format!(" Batch report: {} ", report.label)
    } else {
        " Batch report ".to_string()
    };
    let block = block.title(Span::styled(
        fit(&theme.text(&heading), area.width as usize, theme.ellipsis()),
        theme.title(),
    ));
    frame.render_widget(block, area);
    let offset = offset.min(lines.len().saturating_sub(inner.height as usize));
    lines_at(frame, inner, lines, offset);
}

//! The region picker: DescribeRegions, with local names.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::Frame;

use crate::app::{App, Loadable, RegionPicker};

use super::text::{fit, pad};
use super::{dialog, lines_at, popup, title, wrapped, Theme, DIALOG_CHROME};

pub(super) fn draw(
    frame: &mut Frame<'_>,
    area: Rect,
    app: &App,
    picker: &RegionPicker,
    theme: &Theme,
) {
    let width = area.width.min(64);
    let cells = width.saturating_sub(DIALOG_CHROME) as usize;
    let mut lines = Vec::new();
    let mut selected_row = 0;
    match &app.regions {
        None | Some(Loadable::Loading) => lines.push(Line::from(Span::styled(
            theme.text("loading regions…").into_owned(),
            theme.dim(),
        ))),
        Some(Loadable::Failed(e)) => {
            lines.extend(wrapped(
                "Could not load the regions (Esc, then R tries again).",
                cells,
                2,
                theme.bold(),
                theme,
            ));
            lines.extend(super::error::api_error_lines(e, false, cells, theme));
        }
        Some(Loadable::Ready(regions)) => {
            for (i, region) in regions.iter().enumerate() {
                let chosen = i == picker.selected;
                if chosen {
                    selected_row = i;
                }
                let current = region.region_id == app.context.region;
                let marker = if chosen { "> " } else { "  " };
                let id = pad(&theme.text(&region.region_id), 24, theme.ellipsis());
                let rest = format!(
                    "{}{}",
                    region.local_name,
                    if current { "  (current)" } else { "" }
                );
                let line = Line::from(vec![
                    Span::raw(marker),
                    Span::styled(id, theme.bold()),
                    Span::raw(" "),
                    Span::raw(fit(
                        &theme.text(&rest),
                        cells.saturating_sub(27),
                        theme.ellipsis(),
                    )),
                ]);
                lines.push(if chosen {
                    line.patch_style(theme.selected())
                } else {
                    line
                });
            }
        }
    }
    let height = (lines.len() as u16 + 2).min(area.height);
    let rect = popup(area, width, height);
    let inner = dialog(
        frame,
        rect,
        title("Switch region", rect.width, theme),
        theme,
    );
    let rows = inner.height as usize;
    let offset = (selected_row + 1).saturating_sub(rows);
    lines_at(frame, inner, lines, offset);
}

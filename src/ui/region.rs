//! The region picker: what was typed to narrow it, "all regions", then DescribeRegions'
//! regions with their local names.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::Frame;

use crate::app::region_picker::choices;
use crate::app::{App, Loadable, RegionChoice, RegionPicker};

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
            let typed = picker.typed.value();
            lines.push(if typed.is_empty() {
                Line::from(Span::styled(
                    fit("type to narrow the list", cells, theme.ellipsis()),
                    theme.dim(),
                ))
            } else {
                Line::from(vec![
                    Span::styled("/", theme.title()),
                    Span::raw(fit(
                        &theme.text(typed),
                        cells.saturating_sub(1),
                        theme.ellipsis(),
                    )),
                ])
            });
            let rows = choices(regions, typed);
            if rows.is_empty() {
                lines.push(Line::from(Span::styled(
                    fit(
                        &theme.text(&format!("no region matches \"{typed}\"")),
                        cells,
                        theme.ellipsis(),
                    ),
                    theme.dim(),
                )));
            }
            for (i, choice) in rows.iter().enumerate() {
                let chosen = i == picker.selected;
                if chosen {
                    selected_row = i + 1;
                }
                let (id, rest, current) = match choice {
                    RegionChoice::All => (
                        "all regions".to_string(),
                        format!("{} regions at once", regions.len()),
                        app.all_regions.is_some(),
                    ),
                    RegionChoice::Region(r) => (
                        r.region_id.clone(),
                        r.local_name.clone(),
                        app.all_regions.is_none() && r.region_id == app.context.region,
                    ),
                };
                let marker = if chosen { "> " } else { "  " };
                let id = pad(&theme.text(&id), 24, theme.ellipsis());
                let rest = format!("{rest}{}", if current { "  (current)" } else { "" });
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

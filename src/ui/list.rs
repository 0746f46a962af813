//! The image list: columns that fit 80 cells and grow with the terminal, the selection
//! shown by reverse video and a `>` marker (visible without colour), Deprecated images
//! set apart.

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::app::list::{os, Widths};
use crate::app::App;
use crate::ecs::error::ApiError;
use crate::ecs::model::{Image, ImageStatus};
use crate::keys::{Context, Intent};

use super::error::api_error_lines;
use super::text::{fit_middle, pad, pad_left};
use super::{wrapped, Theme};

/// Column widths in cells; 0 hides a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Columns {
    pub region: usize,
    pub name: usize,
    pub id: usize,
    pub family: usize,
    pub status: usize,
    pub created: usize,
    pub size: usize,
    pub os: usize,
}

const MARKER: usize = 2;
const CREATED: usize = 10;

/// Widths for `cells` cells, from what was measured of the images the view shows (once per
/// load or filter, so drawing never walks the list): the region, ID, status, date and size
/// are never cut (IDs get copied); name, family and OS share the rest, OS only when there
/// is room for it (see [`share`]): the name first, as long as most names are; then family
/// and OS, to their longest; then the name again, for its few outliers (a 128-character
/// name is cut in the middle rather than taking the OS's room); spare width trails the row.
pub(super) fn columns(cells: usize, widest: &Widths, with_region: bool) -> Columns {
    let id = if widest.id == 0 {
        22
    } else {
        widest.id.clamp(8, 26)
    };
    let status = widest.status.clamp(6, 12);
    let mut size = widest.size.clamp(4, 6);
    let region = if with_region {
        widest.region.clamp(6, 20)
    } else {
        0
    };
    let (family_max, os_max) = (widest.family.max(6), widest.os.max(2));
    let (name_typical, name_max) = (widest.name_typical, widest.name.max(4));
    let mut created = CREATED;
    let gaps = 6 + usize::from(region > 0);
    let rest_with = |size: usize, created: usize| {
        cells.saturating_sub(MARKER + region + id + status + created + size + gaps)
    };
    // On a narrow screen the size goes first, then the date: name and family matter more.
    if rest_with(size, created) < 20 {
        size = 0;
    }
    if rest_with(size, created) < 20 {
        created = 0;
    }
    let rest = rest_with(size, created) + usize::from(size == 0) + usize::from(created == 0);
    let with_os = rest >= 16 + 10 + 14;
    let (name, family, os) = if with_os {
        let [name, family, os] = share(
            rest,
            [
                (16, name_typical, name_max),
                (8, family_max, family_max),
                (10, os_max, os_max),
            ],
        );
        (name, family, os)
    } else {
        // One gap fewer without the OS column.
        let rest = rest + 1;
        let family_min = 6.min(rest);
        let [name, family] = share(
            rest,
            [
                (
                    rest.saturating_sub(family_min).min(8),
                    name_typical,
                    name_max,
                ),
                (family_min, family_max, family_max),
            ],
        );
        (name, family, 0)
    };
    Columns {
        region,
        name,
        id,
        family,
        status,
        created,
        size,
        os,
    }
}

impl Columns {
    fn widths(&self) -> [usize; 8] {
        [
            self.region,
            self.name,
            self.id,
            self.family,
            self.status,
            self.created,
            self.size,
            self.os,
        ]
    }
}

/// `total` cells for columns of (smallest, wanted, longest) widths: each gets its
/// smallest; the first (the name: what a person picks an image by) grows to its wanted
/// width; the others, a cell at a time in turn, to their longest; then the first to its
/// longest; the last takes whatever remains, so spare width trails the row instead of
/// opening a gap after the name.
fn share<const N: usize>(total: usize, columns: [(usize, usize, usize); N]) -> [usize; N] {
    let mut widths = columns.map(|(min, _, _)| min);
    let mut left = total.saturating_sub(widths.iter().sum());
    grow(&mut widths[0], columns[0].1, &mut left);
    while left > 0 {
        let before = left;
        for (w, (_, _, max)) in widths.iter_mut().zip(columns).skip(1) {
            grow(w, (*w + 1).min(max), &mut left);
        }
        if left == before {
            break;
        }
    }
    grow(&mut widths[0], columns[0].2, &mut left);
    widths[N - 1] += left;
    widths
}

/// Widens `w` towards `to` with what is `left`.
fn grow(w: &mut usize, to: usize, left: &mut usize) {
    let give = (*left).min(to.saturating_sub(*w));
    *w += give;
    *left -= give;
}

fn size_label(image: &Image) -> String {
    if image.size > 0 {
        format!("{}G", image.size)
    } else {
        String::new()
    }
}

/// The list, its column titles first.
pub(super) fn draw(frame: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
    if area.height == 0 {
        return;
    }
    let cols = columns(area.width as usize, app.list.widths(), app.spans_regions());
    let ell = theme.ellipsis();
    let mut lines = vec![Line::from(Span::styled(
        row_text(
            &cols,
            "  ",
            [
                "Region", "Name", "Image ID", "Family", "Status", "Created", "Size", "OS",
            ],
            ell,
        ),
        theme.bold(),
    ))];
    let rows = (area.height as usize).saturating_sub(1);
    if app.list.all().is_empty() && app.loading.is_none() {
        if let Some(e) = &app.load_error {
            lines.extend(load_failure_lines(app, e, area.width as usize, theme));
            frame.render_widget(Paragraph::new(lines), area);
            return;
        }
    }
    if app.list.visible_len() == 0 {
        lines.push(Line::from(Span::styled(
            theme.text(&empty_message(app)).into_owned(),
            theme.dim(),
        )));
        frame.render_widget(Paragraph::new(lines), area);
        return;
    }
    let selected = app.list.selected_row().unwrap_or(0);
    let mut offset = app.list.offset();
    if selected < offset {
        offset = selected;
    } else if rows > 0 && selected >= offset + rows {
        offset = selected + 1 - rows;
    }
    for (row, image) in (offset..).zip(app.list.rows(offset, rows)) {
        let is_selected = row == selected;
        let first = match (is_selected, app.job_for(&image.image_id)) {
            (_, Some(_)) => theme.spinner(app.spinner),
            (true, None) => ">",
            (false, None) => " ",
        };
        let marked = if app.bulk.marks.contains(&image.image_id) {
            "*"
        } else {
            " "
        };
        let marker = format!("{first}{marked}");
        let deprecated = image.status == ImageStatus::Deprecated;
        let base = if deprecated {
            theme.deprecated_row()
        } else {
            Style::new()
        };
        let size = size_label(image);
        let name = theme.text(&image.image_name);
        let family = theme.text(&image.image_family);
        let os_name = theme.text(os(image));
        let cells = [
            pad(&theme.text(&image.region_id), cols.region, ell),
            pad(&fit_middle(&name, cols.name, ell), cols.name, ell),
            pad(&theme.text(&image.image_id), cols.id, ell),
            pad(&family, cols.family, ell),
            pad(&theme.text(status_label(&image.status)), cols.status, ell),
            pad(&theme.text(image.created_date()), cols.created, ell),
            pad_left(&size, cols.size, ell),
            pad(&os_name, cols.os, ell),
        ];
        let mut spans = vec![Span::styled(marker, base)];
        let mut first = true;
        for (i, (cell, w)) in cells.into_iter().zip(cols.widths()).enumerate() {
            if w == 0 {
                continue;
            }
            if !std::mem::take(&mut first) {
                spans.push(Span::styled(" ", base));
            }
            let style = if i == 4 {
                status_style(&image.status, theme)
            } else {
                base
            };
            spans.push(Span::styled(cell, style));
        }
        let mut line = Line::from(spans);
        if is_selected {
            line = line.patch_style(theme.selected());
        }
        lines.push(line);
    }
    // Every cell is already cut and padded to its column.
    super::put_lines(frame, area, &lines);
}

fn row_text(cols: &Columns, marker: &str, titles: [&str; 8], ell: &str) -> String {
    let mut out = marker.to_string();
    let mut first = true;
    for (i, (t, w)) in titles.into_iter().zip(cols.widths()).enumerate() {
        if w == 0 {
            continue;
        }
        if !std::mem::take(&mut first) {
            out.push(' ');
        }
        if i == 6 {
            out.push_str(&pad_left(t, w, ell));
        } else {
            out.push_str(&pad(t, w, ell));
        }
    }
    out
}

/// The status as the list shows it; Deprecated reads differently even without colour.
pub(super) fn status_label(status: &ImageStatus) -> &str {
    match status {
        ImageStatus::Deprecated => "Deprecated",
        other => other.as_str(),
    }
}

pub(super) fn status_style(status: &ImageStatus, theme: &Theme) -> Style {
    match status {
        ImageStatus::Available => theme.ok(),
        ImageStatus::Deprecated => theme.deprecated(),
        ImageStatus::Creating | ImageStatus::Waiting => theme.info(),
        ImageStatus::CreateFailed | ImageStatus::UnAvailable => theme.error(),
        ImageStatus::Other(_) => Style::new(),
    }
}

/// Why the list is empty: the failure in full, wrapped, and how to try again.
fn load_failure_lines<'a>(app: &App, e: &ApiError, cells: usize, theme: &Theme) -> Vec<Line<'a>> {
    let cells = cells.saturating_sub(2).max(1);
    let indent = |line: Line<'a>| {
        let mut spans = vec![Span::raw("  ")];
        spans.extend(line.spans);
        Line::from(spans)
    };
    let mut lines = vec![Line::raw("")];
    lines.extend(
        wrapped(
            &format!(
                "Could not load the images of {}.",
                if app.spans_regions() {
                    "the regions".to_string()
                } else {
                    list_scope(app)
                }
            ),
            cells,
            0,
            theme.bold(),
            theme,
        )
        .into_iter()
        .map(indent),
    );
    lines.extend(
        api_error_lines(e, false, cells, theme)
            .into_iter()
            .map(indent),
    );
    lines.push(Line::raw(""));
    let retry = app
        .keys
        .label_of(Context::Browser, Intent::Refresh)
        .unwrap_or_else(|| "r".to_string());
    let notices = app
        .keys
        .label_of(Context::Browser, Intent::Notices)
        .unwrap_or_else(|| "n".to_string());
    lines.extend(
        wrapped(
            &format!("{retry} to retry · {notices} lists this session's requests"),
            cells,
            0,
            theme.info(),
            theme,
        )
        .into_iter()
        .map(indent),
    );
    lines
}

fn empty_message(app: &App) -> String {
    let filter = app.list.filter.value();
    if app.loading.is_some() {
        "  loading images…".to_string()
    } else if !filter.is_empty() && !app.list.all().is_empty() {
        let esc = app
            .keys
            .label_of(Context::Browser, Intent::Back)
            .unwrap_or_default();
        format!("  no image matches \"{filter}\" ({esc} clears the filter)")
    } else {
        format!("  no custom images in {}", list_scope(app))
    }
}

/// What the list covers, in words: the region, or every region.
fn list_scope(app: &App) -> String {
    if app.spans_regions() {
        "any region".to_string()
    } else {
        app.context.region.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_fill_80_cells_and_grow() {
        let image = Image {
            image_id: "m-bp1a2b3c4d5e6f7g8h9i".into(),
            image_name: "a-fairly-long-image-name-for-testing".into(),
            image_family: "web-frontend".into(),
            os_name_en: "Ubuntu 22.04 64 bit".into(),
            ..Image::default()
        };
        let widest = Widths::of([&image]);
        for cells in [60, 80, 100, 120, 200] {
            let c = columns(cells, &widest, false);
            let shown = c.widths();
            let used: usize =
                MARKER + shown.iter().sum::<usize>() + shown.iter().filter(|w| **w > 0).count() - 1;
            assert!(used <= cells, "{cells}: {c:?} uses {used}");
            assert_eq!(c.id, 22, "IDs are never cut");
            assert!(c.name >= 8, "{cells}: {c:?}");
        }
        assert_eq!(columns(80, &widest, false).os, 0);
        assert!(columns(120, &widest, false).os > 0);
        let spanning = columns(80, &widest, true);
        assert_eq!((spanning.region, spanning.id), (6, 22));
        assert!(spanning.name >= 8, "{spanning:?}");
    }
}

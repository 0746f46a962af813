//! The detail pane: every field of the selected image and a line on who uses it; opened
//! out (`d`), the description and who uses it in full.

use ratatui::layout::{Alignment, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders};
use ratatui::Frame;

use crate::app::App;
use crate::ecs::model::Image;

use super::list::{status_label, status_style};
use super::text::{fit, pad, width, wrap};
use super::{labelled, Theme, LABEL};

pub(super) fn draw(frame: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
    if area.height == 0 {
        return;
    }
    let selected = app.list.selected();
    let left = match selected {
        Some(i) => format!(" {} {} {} ", i.image_name, theme.sep(), i.image_id),
        None => " no image selected ".to_string(),
    };
    let mut right = match app.list.selected_row() {
        Some(row) => format!("{}/{}", row + 1, app.list.visible_len()),
        None => format!("0/{}", app.list.visible_len()),
    };
    right.push_str(&format!(
        " {} sort {}",
        theme.sep(),
        app.list.sort().label()
    ));
    let filter = app.list.filter.value();
    if !filter.is_empty() {
        right.push_str(&format!(" {} filter \"{}\"", theme.sep(), filter));
    }
    let cells = area.width as usize;
    // The name and ID come first; the position and filter get what is left.
    let left = fit(
        &theme.text(&left),
        cells.saturating_sub(2),
        theme.ellipsis(),
    );
    let room = cells.saturating_sub(width(&left) + 3);
    let right = theme.text(&format!(" {right} ")).into_owned();
    let right = if room >= 8 {
        fit(&right, room, theme.ellipsis())
    } else {
        String::new()
    };
    let block = Block::default()
        .borders(Borders::TOP)
        .border_set(theme.borders())
        .border_style(theme.border())
        .title(Line::from(Span::styled(left, theme.title())))
        .title_top(Line::from(Span::styled(right, theme.dim())).alignment(Alignment::Right));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(image) = selected else {
        return;
    };
    let lines = if app.details_full {
        let mut lines = full(app, image, inner, theme);
        let height = inner.height as usize;
        let skip = app.details_offset.min(lines.len().saturating_sub(height));
        lines.drain(..skip);
        if lines.len() > height && height > 0 {
            // The last row says there is more, and how to reach it.
            lines.truncate(height - 1);
            lines.push(Line::from(Span::styled(
                theme.text("… PgDn shows more, PgUp goes back").into_owned(),
                theme.dim(),
            )));
        }
        lines
    } else {
        compact(app, image, inner, theme)
    };
    super::put_lines(frame, inner, &lines);
}

/// How far the opened-out pane in `body` scrolls before its last line is in view.
pub(super) fn full_scroll(app: &App, body: Rect, theme: &Theme) -> usize {
    let Some(image) = app.list.selected() else {
        return 0;
    };
    // The pane's top border takes one row.
    let inner = Rect::new(body.x, body.y, body.width, body.height.saturating_sub(1));
    let lines = full(app, image, inner, theme).len();
    let height = inner.height as usize;
    lines.saturating_sub(height)
}

fn or_dash(s: &str) -> String {
    if s.is_empty() {
        "—".to_string()
    } else {
        s.to_string()
    }
}

fn created(image: &Image) -> String {
    image
        .creation_time
        .replace('T', " ")
        .trim_end_matches('Z')
        .to_string()
        + if image.creation_time.ends_with('Z') {
            " UTC"
        } else {
            ""
        }
}

fn os(image: &Image) -> String {
    let name = if image.os_name_en.is_empty() {
        &image.os_name
    } else {
        &image.os_name_en
    };
    match (name.is_empty(), image.architecture.is_empty()) {
        (false, false) => format!("{name} ({})", image.architecture),
        (false, true) => name.clone(),
        (true, _) => or_dash(&image.architecture),
    }
}

fn features(image: &Image) -> String {
    format!(
        "NVMe {} · IMDS {}",
        or_dash(image.features.nvme_support.as_deref().unwrap_or("")),
        or_dash(image.features.imds_support.as_deref().unwrap_or(""))
    )
}

fn shared(image: &Image) -> String {
    let shared = if image.is_shared() {
        "shared"
    } else {
        "not shared"
    };
    if image.usage.is_empty() {
        shared.to_string()
    } else {
        format!("{shared} · usage {}", image.usage)
    }
}

/// The fields as (label, value, style) rows.
fn pairs(image: &Image, theme: &Theme) -> Vec<(&'static str, String, Style)> {
    let plain = Style::new();
    let pairs = vec![
        ("Family", or_dash(&image.image_family), plain),
        (
            "Status",
            status_label(&image.status).to_string(),
            status_style(&image.status, theme),
        ),
        ("Created", created(image), plain),
        (
            "Size",
            if image.size > 0 {
                format!("{} GiB", image.size)
            } else {
                "—".to_string()
            },
            plain,
        ),
        ("OS", os(image), plain),
        ("Boot mode", or_dash(&image.boot_mode), plain),
        ("License", or_dash(&image.license_type), plain),
        ("Features", features(image), plain),
        ("Sharing", shared(image), plain),
    ];
    debug_assert_eq!(pairs.len(), PAIRS);
    pairs
}

fn pair_spans<'a>(
    label: &str,
    value: &str,
    style: Style,
    cells: usize,
    theme: &Theme,
) -> Vec<Span<'a>> {
    let label = pad(label, LABEL.min(cells), theme.ellipsis());
    let room = cells.saturating_sub(LABEL + 1);
    vec![
        Span::styled(label, theme.dim()),
        Span::raw(" "),
        Span::styled(pad(&theme.text(value), room, theme.ellipsis()), style),
    ]
}

/// Fields side by side in the compact pane, `cells` wide.
fn compact_columns(cells: usize) -> usize {
    (cells / 38).clamp(1, 3)
}

/// Rows the compact pane wants at `width` (its rule, the fields, the usage line, three of
/// description): what the pane needs whatever image is selected, so the list does not jump
/// as the selection moves.
pub(super) fn wanted_rows(width: u16) -> u16 {
    let fields = PAIRS.div_ceil(compact_columns(width as usize));
    (1 + fields + 1 + 3) as u16
}

/// How many fields the compact pane shows (`pairs`).
const PAIRS: usize = 9;

/// As many columns of fields as fit, who uses the image, then the description in the
/// rows left.
fn compact<'a>(app: &App, image: &Image, area: Rect, theme: &Theme) -> Vec<Line<'a>> {
    let cells = area.width as usize;
    let columns = compact_columns(cells);
    let mut lines = columned(&pairs(image, theme), cells, columns, theme);
    lines.push(super::usage::compact_line(app, image, cells, theme));
    let room = (area.height as usize).saturating_sub(lines.len());
    if room > 0 {
        let mut desc = description_lines(image, cells, theme);
        if desc.len() > room {
            desc.truncate(room);
            if let Some(last) = desc.last_mut() {
                let more = theme.text(" … d shows all").into_owned();
                let keep = cells.saturating_sub(width(&more));
                *last = Line::from(vec![
                    Span::raw(fit(&line_text(last), keep, "")),
                    Span::styled(more, theme.dim()),
                ]);
            }
        }
        lines.extend(desc);
    }
    lines
}

/// `pairs` laid out in `columns` columns, row by row.
fn columned<'a>(
    pairs: &[(&'static str, String, Style)],
    cells: usize,
    columns: usize,
    theme: &Theme,
) -> Vec<Line<'a>> {
    let col_w = cells / columns;
    pairs
        .chunks(columns)
        .map(|row| {
            let mut spans = Vec::new();
            for (i, (label, value, style)) in row.iter().enumerate() {
                let w = if i + 1 == columns {
                    cells - col_w * i
                } else {
                    col_w
                };
                spans.extend(pair_spans(label, value, *style, w.saturating_sub(1), theme));
                spans.push(Span::raw(" "));
            }
            Line::from(spans)
        })
        .collect()
}

fn line_text(line: &Line<'_>) -> String {
    line.spans.iter().map(|s| s.content.as_ref()).collect()
}

fn description_lines<'a>(image: &Image, cells: usize, theme: &Theme) -> Vec<Line<'a>> {
    let room = cells.saturating_sub(LABEL + 1).max(1);
    wrap(&theme.text(&or_dash(&image.description)), room)
        .into_iter()
        .enumerate()
        .map(|(i, l)| {
            let label = if i == 0 { "Description" } else { "" };
            Line::from(vec![
                Span::styled(pad(label, LABEL, theme.ellipsis()), theme.dim()),
                Span::raw(" "),
                Span::raw(l),
            ])
        })
        .collect()
}

fn yes_no(b: bool) -> String {
    if b { "yes" } else { "no" }.to_string()
}

/// Every field — two columns where they fit — then the tags, the disks, the description
/// in full and who uses the image.
fn full<'a>(app: &App, image: &Image, area: Rect, theme: &Theme) -> Vec<Line<'a>> {
    let cells = area.width as usize;
    let plain = Style::new();
    let os_name = if image.os_name_en.is_empty() {
        &image.os_name
    } else {
        &image.os_name_en
    };
    // The long values get the whole width.
    let mut lines: Vec<Line> = [
        ("Image ID", image.image_id.clone()),
        ("Name", image.image_name.clone()),
        ("OS", or_dash(os_name)),
    ]
    .into_iter()
    .map(|(l, v)| Line::from(pair_spans(l, &v, plain, cells, theme)))
    .collect();
    let mut fields: Vec<(&'static str, String, Style)> = pairs(image, theme);
    // Where OS was: what it runs on.
    let at = fields.iter().position(|(l, ..)| *l == "OS").unwrap_or(0);
    fields.splice(
        at..=at,
        [
            ("Arch", or_dash(&image.architecture), plain),
            ("OS type", or_dash(&image.os_type), plain),
            ("Platform", or_dash(&image.platform), plain),
        ],
    );
    fields.extend([
        ("Copied", yes_no(image.is_copied), plain),
        ("Cloud-init", yes_no(image.is_support_cloudinit), plain),
        ("IO optim.", yes_no(image.is_support_io_optimized), plain),
        ("Owner", or_dash(&image.image_owner_alias), plain),
        ("Progress", or_dash(&image.progress), plain),
        ("Version", or_dash(&image.image_version), plain),
        ("Res.group", or_dash(&image.resource_group_id), plain),
    ]);
    let columns = if cells >= 76 { 2 } else { 1 };
    lines.extend(columned(&fields, cells, columns, theme));
    let tags: Vec<String> = image
        .tags
        .tag
        .iter()
        .map(|t| format!("{}={}", t.tag_key, t.tag_value))
        .collect();
    let disks: Vec<String> = image
        .disk_device_mappings
        .disk_device_mapping
        .iter()
        .map(|d| format!("{} {} {}G {}", d.device, d.kind, d.size, d.snapshot_id))
        .collect();
    for (label, value) in [("Tags", tags.join(", ")), ("Disks", disks.join("; "))] {
        lines.extend(labelled(label, &or_dash(&value), plain, cells, theme));
    }
    lines.extend(description_lines(image, cells, theme));
    lines.extend(super::usage::full_lines(app, image, cells, theme));
    lines
}

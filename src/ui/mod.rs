//! Rendering: a function of `App`, nothing else. One file per view.
//!
//! The screen is a header line (who, where, what is running), a body (the list and the
//! detail pane, or the notices), and a bottom line (hints from the key table, or a message).
//! Dialogs are drawn over the body and clamped to it. Below [`MIN_WIDTH`]×[`MIN_HEIGHT`]
//! only "terminal too small" is drawn; nothing panics at any size.

mod batch;
mod browser;
mod bulk;
mod bulk_plan;
mod buttons;
mod command_line;
mod confirm;
mod detail;
mod diff;
mod error;
mod footer;
mod form;
mod header;
mod help;
mod journal;
mod layout;
mod list;
mod notices;
mod profile;
mod region;
mod result;
mod status;
pub mod text;
mod theme;
mod usage;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Padding, Paragraph};
use ratatui::Frame;

use crate::app::{App, Screen};

pub use layout::viewport;
pub use theme::Theme;

/// The smallest terminal the full screen is drawn on.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

/// Draws the whole screen.
pub fn draw(frame: &mut Frame<'_>, app: &App, theme: &Theme) {
    let area = frame.area();
    match layout::split(area) {
        Some(areas) => draw_screen(frame, areas, app, theme),
        None => too_small(frame, area, theme),
    }
    guard(frame.buffer_mut());
}

/// The last line of defence behind `Theme::text`: a cell that would still carry a control,
/// bidirectional or invisible character to the terminal shows `?` instead.
fn guard(buffer: &mut ratatui::buffer::Buffer) {
    for cell in buffer.content.iter_mut() {
        if cell.symbol().chars().any(text::is_unsafe) {
            cell.set_symbol("?");
        }
    }
}

fn draw_screen(frame: &mut Frame<'_>, [top, body, bottom]: [Rect; 3], app: &App, theme: &Theme) {
    header::draw(frame, top, app, theme);
    match &app.screen {
        Screen::Notices { offset } => notices::draw(frame, body, app, *offset, theme),
        Screen::Journal(view) => journal::draw(frame, body, app, view, theme),
        Screen::Marked { offset } => bulk::draw_marked(frame, body, app, *offset, theme),
        Screen::BulkPlan(review) => bulk_plan::draw(frame, body, app, review, theme),
        Screen::BatchReport { offset } => batch::draw_report(frame, body, app, *offset, theme),
        _ => browser::draw(frame, body, app, theme),
    }
    match &app.screen {
        Screen::Form(form) => form::draw(frame, body, app, form, theme),
        Screen::StatusPicker(picker) => status::draw(frame, body, app, picker, theme),
        Screen::Confirm(confirm) => confirm::draw(frame, body, app, confirm, theme),
        Screen::RegionPicker(picker) => region::draw(frame, body, app, picker, theme),
        Screen::ProfilePicker(picker) => profile::draw(frame, body, app, picker, theme),
        Screen::Browser => {
            if let Some(result) = app.results.front() {
                result::draw(frame, body, app, result, theme);
            }
        }
        Screen::BulkEdit(form) => bulk::draw_edit(frame, body, app, form, theme),
        Screen::Notices { .. }
        | Screen::Journal(_)
        | Screen::Marked { .. }
        | Screen::BulkPlan(_)
        | Screen::BatchReport { .. } => {}
    }
    footer::draw(frame, bottom, app, theme);
    if let Some(help) = &app.help {
        help::draw(frame, body, app, help, theme);
    }
}

fn too_small(frame: &mut Frame<'_>, area: Rect, theme: &Theme) {
    let message = format!("terminal too small (need {MIN_WIDTH}×{MIN_HEIGHT})");
    let lines: Vec<Line> = text::wrap(&theme.text(&message), area.width as usize)
        .into_iter()
        .map(Line::from)
        .collect();
    let height = (lines.len() as u16).min(area.height);
    let y = area.y + (area.height - height) / 2;
    let rect = Rect::new(area.x, y, area.width, height);
    frame.render_widget(
        Paragraph::new(lines).alignment(ratatui::layout::Alignment::Center),
        rect,
    );
}

/// Columns a dialog's border and padding take.
const DIALOG_CHROME: u16 = 4;

/// A rectangle of at most `width`×`height`, centred in `area` and never larger than it.
fn popup(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// Clears `rect` and draws a bordered box titled `title`; returns the inside.
fn dialog(frame: &mut Frame<'_>, rect: Rect, title: Line<'_>, theme: &Theme) -> Rect {
    clear_wide_edge(frame, rect);
    frame.render_widget(Clear, rect);
    let block = dialog_block(theme).title(title);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    inner
}

/// A dialog's frame: a border and a column of padding either side.
fn dialog_block(theme: &Theme) -> Block<'static> {
    Block::default()
        .borders(Borders::ALL)
        .border_set(theme.borders())
        .border_style(theme.border())
        .padding(Padding::horizontal(1))
}

/// A view that takes the whole body: a rule with its title along the top.
fn view_block(theme: &Theme) -> Block<'static> {
    Block::default()
        .borders(Borders::TOP)
        .border_set(theme.borders())
        .border_style(theme.border())
}

/// The inside of a dialog drawn in `rect`.
fn dialog_inner(rect: Rect, theme: &Theme) -> Rect {
    dialog_block(theme).inner(rect)
}

/// A wide character just left of `rect` would have its right half under the box's
/// border, and terminals disagree on what that looks like: blank it instead.
fn clear_wide_edge(frame: &mut Frame<'_>, rect: Rect) {
    if rect.x == 0 {
        return;
    }
    let buffer = frame.buffer_mut();
    for y in rect.top()..rect.bottom() {
        let cell = &mut buffer[(rect.x - 1, y)];
        if text::width(cell.symbol()) > 1 {
            cell.set_symbol(" ");
        }
    }
}

/// A title for a dialog, fitted to `cells`.
fn title<'a>(s: &str, cells: u16, theme: &Theme) -> Line<'a> {
    let s = text::fit(
        &theme.text(s),
        cells.saturating_sub(4) as usize,
        theme.ellipsis(),
    );
    Line::from(Span::styled(format!(" {s} "), theme.title()))
}

/// Draws `lines` in `area`, starting at line `offset`.
/// Lines already cut to fit, one a row from the top of `area`, straight into the buffer: a
/// paragraph's line composer would only repeat that work, cell by cell, every frame.
fn put_lines(frame: &mut Frame<'_>, area: Rect, lines: &[Line<'_>]) {
    let buf = frame.buffer_mut();
    for (y, line) in (area.y..area.y + area.height).zip(lines) {
        put_line(buf, area.x, y, line, area.width);
    }
}

/// Writes `line` at (`x`, `y`), at most `width` cells: ASCII text a cell per byte (most
/// names and IDs), anything else through ratatui's grapheme-aware writer.
fn put_line(buf: &mut Buffer, x: u16, y: u16, line: &Line<'_>, width: u16) {
    let end = x.saturating_add(width).min(buf.area.right());
    let mut at = x;
    for span in &line.spans {
        if at >= end {
            break;
        }
        let style = line.style.patch(span.style);
        let text = span.content.as_ref();
        if text.bytes().all(|b| (b' '..=b'~').contains(&b)) {
            let n = text.len().min(usize::from(end - at));
            let start = buf.index_of(at, y);
            for (cell, c) in buf.content[start..start + n].iter_mut().zip(text.chars()) {
                cell.set_char(c).set_style(style);
            }
            at += n as u16;
        } else {
            at = buf.set_stringn(at, y, text, usize::from(end - at), style).0;
        }
    }
}

fn lines_at(frame: &mut Frame<'_>, area: Rect, lines: Vec<Line<'_>>, offset: usize) {
    let shown: Vec<Line> = lines
        .into_iter()
        .skip(offset)
        .take(area.height as usize)
        .collect();
    frame.render_widget(Paragraph::new(shown), area);
}

/// Draws `lines` in `area` from line `offset`, like [`lines_at`], but never cuts them
/// without a sign: a line hidden above or below gives its row to a marker saying how many
/// more there are.
fn lines_scrolled(
    frame: &mut Frame<'_>,
    area: Rect,
    mut lines: Vec<Line<'_>>,
    offset: usize,
    theme: &Theme,
) {
    let height = area.height as usize;
    let offset = offset.min(lines.len().saturating_sub(height));
    let (up, down) = if theme.ascii {
        ("^", "v")
    } else {
        ("↑", "↓")
    };
    let marker = |arrow: &str, n: usize, place: &str| {
        let s = if n == 1 { "" } else { "s" };
        Line::from(Span::styled(
            format!("{arrow} {n} more line{s} {place}"),
            theme.dim(),
        ))
    };
    if height >= 2 && lines.len() > offset + height {
        let below = lines.len() - (offset + height - 1);
        lines[offset + height - 1] = marker(down, below, "below");
    }
    if height >= 2 && offset > 0 {
        lines[offset] = marker(up, offset + 1, "above");
    }
    lines_at(frame, area, lines, offset);
}

/// The label column of the detail pane and what lines up with it.
const LABEL: usize = 11;

/// `value` wrapped beside `label` (dim, [`LABEL`] wide), continuing under the value column.
fn labelled<'a>(
    label: &str,
    value: &str,
    style: ratatui::style::Style,
    cells: usize,
    theme: &Theme,
) -> Vec<Line<'a>> {
    let room = cells.saturating_sub(LABEL + 1).max(1);
    text::wrap(&theme.text(value), room)
        .into_iter()
        .enumerate()
        .map(|(i, l)| {
            Line::from(vec![
                Span::styled(
                    text::pad(if i == 0 { label } else { "" }, LABEL, theme.ellipsis()),
                    theme.dim(),
                ),
                Span::raw(" "),
                Span::styled(l, style),
            ])
        })
        .collect()
}

/// Wrapped text as styled lines, each at most `cells` wide, every line after the first
/// indented by `indent` spaces.
fn wrapped<'a>(
    s: &str,
    cells: usize,
    indent: usize,
    style: ratatui::style::Style,
    theme: &Theme,
) -> Vec<Line<'a>> {
    text::wrap_hanging(&theme.text(s), cells, indent)
        .into_iter()
        .map(|line| Line::from(Span::styled(line, style)))
        .collect()
}

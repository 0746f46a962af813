//! How results are printed: tables fitted to the terminal width (measured by display width,
//! so a Chinese character counts two columns), the stable JSON shapes, and small shared
//! texts (problems, diffs — worded by `change`, laid out here).
//!
//! Every text written to the terminal, stdout and stderr alike, goes through the one
//! sanitiser (`ui::text::sanitize`): text from ECS is data, never terminal control. Table
//! cells are sanitised before they are measured, so an invisible character cannot shift a
//! column. JSON keeps exact values (see `cli::json`).

use std::io::IsTerminal;

use serde::Serialize;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::change::{self, DiffLine, Field};
use crate::ecs::model::Image;
use crate::rules::Problem;
use crate::ui::text::{sanitize, sanitize_lines};

pub use super::args::OutputFormat;

/// Columns to fit: `COLUMNS` when set, else the terminal's width, else 100.
pub fn terminal_width() -> usize {
    if let Some(cols) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|c| *c > 0)
    {
        return cols;
    }
    if std::io::stdout().is_terminal() {
        if let Ok((cols, _)) = crossterm::terminal::size() {
            if cols > 0 {
                return usize::from(cols);
            }
        }
    }
    100
}

/// How a column behaves when the table is too wide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    /// Never shortened (IDs, statuses, dates: a script or a person copies them whole).
    Fixed,
    /// Shortened with an ellipsis, down to `min` columns.
    Flex { min: usize },
    /// What a person picks a row by (the name): the other columns shrink or go first,
    /// and when it must be cut, it is cut in the middle, so names that differ only at
    /// the end (`ci-nightly-20250625`, `…0626`) still differ.
    Lead { min: usize },
    /// Shown only when everything else fits at full width; dropped rightmost first.
    Optional,
}

/// A table of text cells.
#[derive(Debug, Clone)]
pub struct Table {
    headers: Vec<&'static str>,
    fits: Vec<Fit>,
    rows: Vec<Vec<String>>,
    /// Each column's widest cell so far, the header included.
    natural: Vec<usize>,
}

const GAP: usize = 2;

/// The width below which a cut name stops being readable (`ci-nightly-2…0626`): a
/// flexible column goes before the lead column is cut narrower.
pub const LEAD_READABLE: usize = 20;

impl Table {
    pub fn new(columns: &[(&'static str, Fit)]) -> Table {
        Table {
            headers: columns.iter().map(|(h, _)| *h).collect(),
            fits: columns.iter().map(|(_, f)| *f).collect(),
            rows: Vec::new(),
            natural: columns.iter().map(|(h, _)| h.width()).collect(),
        }
    }

    pub fn push(&mut self, row: Vec<String>) {
        debug_assert_eq!(row.len(), self.headers.len());
        let row: Vec<String> = row.into_iter().map(|cell| one_line(&cell)).collect();
        self.measure(&row);
        self.rows.push(row);
    }

    /// Widens the columns for `row` without keeping it: a table too long to hold (the
    /// journal) is measured in one pass and printed row by row ([`Table::line`]) in another.
    pub fn measure(&mut self, row: &[String]) {
        for (natural, cell) in self.natural.iter_mut().zip(row) {
            *natural = (*natural).max(one_line(cell).width());
        }
    }

    /// The table in at most `width` columns (unless its fixed columns alone are wider).
    pub fn render(&self, width: usize, ascii: bool) -> String {
        let widths = self.widths(width);
        let mut out = self.header(&widths, ascii);
        for row in &self.rows {
            out.push_str(&self.line(&widths, row, ascii));
        }
        out
    }

    /// The header line for the column widths of [`Table::widths`].
    pub fn header(&self, widths: &[Option<usize>], ascii: bool) -> String {
        let header: Vec<String> = self.headers.iter().map(|h| h.to_string()).collect();
        self.line(widths, &header, ascii)
    }

    /// One row, fitted to `widths`, with its newline.
    pub fn line(&self, widths: &[Option<usize>], row: &[String], ascii: bool) -> String {
        let ellipsis = if ascii { "~" } else { "…" };
        let mut line = String::new();
        let shown: Vec<(usize, &String, Fit)> = widths
            .iter()
            .zip(row)
            .zip(&self.fits)
            .filter_map(|((w, cell), f)| w.map(|w| (w, cell, *f)))
            .collect();
        for (i, (w, cell, f)) in shown.iter().enumerate() {
            if i > 0 {
                line.push_str(&" ".repeat(GAP));
            }
            let last = i + 1 == shown.len();
            let cell = one_line(cell);
            line.push_str(&if matches!(f, Fit::Lead { .. }) {
                fit_middle(&cell, *w, ellipsis, !last)
            } else {
                fit(&cell, *w, ellipsis, !last)
            });
        }
        let mut line = line.trim_end().to_string();
        line.push('\n');
        line
    }

    /// Each column's width, `None` for a dropped column. Optional columns go first (the
    /// rightmost first), so the flexible ones are cut only when nothing else can give,
    /// and the lead column last of all; a flexible column is dropped (the rightmost
    /// first) rather than leave the lead narrower than [`LEAD_READABLE`].
    pub fn widths(&self, width: usize) -> Vec<Option<usize>> {
        let mut dropped: Vec<usize> = Vec::new();
        loop {
            let widths = self.widths_without(width, &dropped);
            let lead_cut = (0..widths.len()).any(|i| match (self.fits[i], widths[i]) {
                (Fit::Lead { .. }, Some(w)) => w < self.natural[i].min(LEAD_READABLE),
                _ => false,
            });
            let next = (0..widths.len())
                .rev()
                .find(|i| matches!(self.fits[*i], Fit::Flex { .. }) && widths[*i].is_some());
            match next {
                Some(i) if lead_cut => dropped.push(i),
                _ => return widths,
            }
        }
    }

    fn widths_without(&self, width: usize, dropped: &[usize]) -> Vec<Option<usize>> {
        let mut widths: Vec<Option<usize>> = self
            .natural
            .iter()
            .enumerate()
            .map(|(i, w)| (!dropped.contains(&i)).then_some(*w))
            .collect();
        let total = |ws: &[Option<usize>]| {
            let shown: Vec<usize> = ws.iter().flatten().copied().collect();
            shown.iter().sum::<usize>() + GAP * shown.len().saturating_sub(1)
        };
        while total(&widths) > width {
            let Some(drop) = (0..widths.len())
                .rev()
                .find(|i| self.fits[*i] == Fit::Optional && widths[*i].is_some())
            else {
                break;
            };
            widths[drop] = None;
        }
        // Take one column at a time from the widest flexible column that can still give;
        // then from the lead column.
        for lead in [false, true] {
            while total(&widths) > width {
                let widest = (0..widths.len())
                    .filter_map(|i| {
                        let min = match self.fits[i] {
                            Fit::Flex { min } if !lead => min,
                            Fit::Lead { min } if lead => min,
                            _ => return None,
                        };
                        widths[i]
                            .filter(|w| *w > min.max(self.headers[i].width()))
                            .map(|w| (w, i))
                    })
                    .max();
                match widest {
                    Some((_, i)) => widths[i] = widths[i].map(|w| w - 1),
                    None => break,
                }
            }
        }
        widths
    }
}

/// `text` cut to `width` display columns (with `ellipsis` when cut), padded with spaces
/// to exactly `width` when `pad`.
pub fn fit(text: &str, width: usize, ellipsis: &str, pad: bool) -> String {
    let mut out = String::new();
    let mut used = 0;
    if text.width() <= width {
        out.push_str(text);
        used = text.width();
    } else {
        let room = width.saturating_sub(ellipsis.width());
        for c in text.chars() {
            let w = c.width().unwrap_or(0);
            if used + w > room {
                break;
            }
            out.push(c);
            used += w;
        }
        if width >= ellipsis.width() {
            out.push_str(ellipsis);
            used += ellipsis.width();
        }
    }
    if pad {
        out.push_str(&" ".repeat(width.saturating_sub(used)));
    }
    out
}

/// Like [`fit`], cut in the middle instead of at the end.
fn fit_middle(text: &str, width: usize, ellipsis: &str, pad: bool) -> String {
    let out = crate::ui::text::fit_middle(text, width, ellipsis);
    if pad {
        crate::ui::text::pad(&out, width, ellipsis)
    } else {
        out
    }
}

/// A cell or value on one line: a newline in a description shows as `\n` instead of
/// breaking the row, an escape sequence as `\x1b…` instead of acting on the terminal.
pub fn one_line(text: &str) -> String {
    sanitize(text).into_owned()
}

/// Every problem, one a line, with the code ECS would answer.
pub fn problems(problems: &[Problem]) -> String {
    let mut out = format!(
        "{} problem{} — nothing was sent:",
        problems.len(),
        if problems.len() == 1 { "" } else { "s" }
    );
    for p in problems {
        out.push_str(&format!("\n  {p}"));
    }
    out
}

/// `  Name  old → new`, one line per changed field, the labels in a column.
pub fn diff_lines(diff: &[DiffLine]) -> Vec<String> {
    let label_width = diff.iter().map(|d| d.label.width()).max().unwrap_or(0);
    diff.iter()
        .map(|d| {
            format!(
                "  {}{}  {} → {}",
                d.label,
                " ".repeat(label_width - d.label.width()),
                one_line(&d.before),
                one_line(&d.after)
            )
        })
        .collect()
}

/// A value as a person reads it on one line (see [`change::shown`]).
pub fn shown(value: &str) -> String {
    one_line(&change::shown(value))
}

/// Writes `text` to stdout, sanitised (line breaks kept). A reader that went away
/// (`ecsimg … | head`) ends the process quietly with 0 instead of a panic: the output it
/// wanted was delivered.
pub fn emit(text: &str) {
    emit_raw(&sanitize_lines(text));
}

/// Writes `text` to stdout as it is: for JSON (already terminal-safe, see `cli::json`)
/// and completion scripts, which hold no server text.
pub fn emit_raw(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        emit_err(&format!("ecsimg: cannot write to stdout: {e}"));
        std::process::exit(1);
    }
}

/// `text` and a newline on stdout (see [`emit`]).
pub fn emit_line(text: &str) {
    emit(&format!("{text}\n"));
}

/// `text` and a newline on stderr, sanitised (line breaks kept): messages, warnings and
/// errors, which often quote what ECS answered.
pub fn emit_err(text: &str) {
    use std::io::Write;
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{}", sanitize_lines(text));
}

/// Prints `value` as pretty JSON with a trailing newline, written as it is encoded.
pub fn print_json<T: Serialize>(value: &T) {
    use std::io::Write;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let written = super::json::to_writer_pretty(&mut out, value)
        .map_err(std::io::Error::from)
        .and_then(|()| out.write_all(b"\n"))
        .and_then(|()| out.flush());
    if let Err(e) = written {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        emit_err(&format!("ecsimg: cannot write JSON to stdout: {e}"));
        std::process::exit(1);
    }
}

/// One image in the stable JSON shape of `images list` and `images show`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ImageJson {
    pub id: String,
    pub name: String,
    pub status: String,
    /// `""` when the image is in no family.
    pub family: String,
    pub description: String,
    /// `yyyy-MM-ddTHH:mm:ssZ`.
    pub created: String,
    pub size_gib: u64,
    pub os_name: String,
    pub os_name_en: String,
    pub os_type: String,
    pub architecture: String,
    pub platform: String,
    pub boot_mode: String,
    pub license_type: String,
    pub nvme_support: String,
    pub imds_support: String,
    pub shared: bool,
    pub owner_alias: String,
    pub usage: String,
    pub progress: String,
    pub version: String,
    pub resource_group_id: String,
    pub copied: bool,
    pub supports_cloudinit: bool,
    /// The region the image lives in.
    pub region: String,
}

impl From<&Image> for ImageJson {
    fn from(i: &Image) -> ImageJson {
        ImageJson {
            id: i.image_id.clone(),
            name: i.image_name.clone(),
            status: i.status.to_string(),
            family: i.image_family.clone(),
            description: i.description.clone(),
            created: i.creation_time.clone(),
            size_gib: i.size,
            os_name: i.os_name.clone(),
            os_name_en: i.os_name_en.clone(),
            os_type: i.os_type.clone(),
            architecture: i.architecture.clone(),
            platform: i.platform.clone(),
            boot_mode: i.boot_mode.clone(),
            license_type: i.license_type.clone(),
            nvme_support: Field::NvmeSupport.value_of(i),
            imds_support: Field::ImdsSupport.value_of(i),
            shared: i.is_shared(),
            owner_alias: i.image_owner_alias.clone(),
            usage: i.usage.clone(),
            progress: i.progress.clone(),
            version: i.image_version.clone(),
            resource_group_id: i.resource_group_id.clone(),
            copied: i.is_copied,
            supports_cloudinit: i.is_support_cloudinit,
            region: i.region_id.clone(),
        }
    }
}

/// A short reference to another image (what a family resolves to, its members).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ImageRefJson {
    pub id: String,
    pub name: String,
    pub status: String,
    pub created: String,
}

impl From<&Image> for ImageRefJson {
    fn from(i: &Image) -> ImageRefJson {
        ImageRefJson {
            id: i.image_id.clone(),
            name: i.image_name.clone(),
            status: i.status.to_string(),
            created: i.creation_time.clone(),
        }
    }
}

#[cfg(test)]
mod tests;

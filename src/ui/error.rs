//! An API error a person can act on: the code, what it means, what ECS said, the
//! RequestId and the Recommend link. The RequestId and the link each get a line of their
//! own, unbroken where the width allows (so the terminal's selection copies them whole),
//! else wrapped across whole lines — never cut.

use ratatui::text::{Line, Span};

use crate::ecs::error::ApiError;

use super::text::{width, wrap};
use super::{wrapped, Theme};

/// The lines of `e`, each at most `cells` wide. `change` says the request was a change
/// (whether it may have landed anyway matters only then).
pub(super) fn api_error_lines<'a>(
    e: &ApiError,
    change: bool,
    cells: usize,
    theme: &Theme,
) -> Vec<Line<'a>> {
    let mut lines = Vec::new();
    let status = e
        .http_status
        .map(|s| format!(" (HTTP {s})"))
        .unwrap_or_default();
    lines.extend(wrapped(
        &format!("{} {}{status}", theme.mark_bad(), e.code),
        cells,
        2,
        theme.error(),
        theme,
    ));
    lines.extend(wrapped(&e.meaning(), cells, 2, theme.bold(), theme));
    if !e.summary().is_empty() {
        lines.extend(wrapped(
            &format!("ECS said: {}", e.summary()),
            cells,
            2,
            theme.dim(),
            theme,
        ));
    }
    if e.string_to_sign().is_some() {
        // Hundreds of percent-encoded characters: the notices hold it, not this panel.
        lines.extend(wrapped(
            "The server's string to sign is in the notices.",
            cells,
            2,
            theme.dim(),
            theme,
        ));
    }
    if change && e.ambiguous {
        lines.extend(wrapped(
            "It may have reached ECS anyway: r refreshes to see what ECS holds.",
            cells,
            2,
            theme.warning(),
            theme,
        ));
    }
    lines.extend(token_lines(
        "RequestId",
        e.request_id.as_deref().unwrap_or("(none: no answer)"),
        cells,
        theme.bold(),
        theme,
    ));
    if let Some(link) = e.recommend.as_deref().filter(|l| !l.is_empty()) {
        lines.extend(token_lines("See", link, cells, theme.info(), theme));
    }
    lines
}

/// `label: value` on one line when it fits, else the label and then the value on lines of
/// its own: one when it fits, else as many whole lines as it takes (nothing is cut).
pub(super) fn token_lines<'a>(
    label: &str,
    value: &str,
    cells: usize,
    style: ratatui::style::Style,
    theme: &Theme,
) -> Vec<Line<'a>> {
    let value = theme.text(value).into_owned();
    let head = format!("{label}: ");
    if width(&head) + width(&value) <= cells {
        return vec![Line::from(vec![
            Span::styled(head, theme.dim()),
            Span::styled(value, style),
        ])];
    }
    let mut lines = vec![Line::from(Span::styled(format!("{label}:"), theme.dim()))];
    lines.extend(
        wrap(&value, cells)
            .into_iter()
            .map(|part| Line::from(Span::styled(part, style))),
    );
    lines
}

/// The cells an error's unbreakable values want, so a dialog can widen to hold them.
pub(super) fn wanted_cells(e: &ApiError) -> usize {
    let rid = e
        .request_id
        .as_deref()
        .map_or(0, |r| width("RequestId: ") + width(r));
    let link = e
        .recommend
        .as_deref()
        .map_or(0, |l| width("See: ") + width(l));
    rid.max(link)
}

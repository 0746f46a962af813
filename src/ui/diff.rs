//! Before → after as the dialogs draw it: one line per changed field (label, before,
//! arrow, after), wrapped under the values. The words come from `change`; this only lays
//! them out. The confirm dialog, the result panel and a journal entry all use it.

use ratatui::text::{Line, Span};

use crate::change::DiffLine;

use super::text::pad;
use super::{wrapped, Theme};

const LABEL: usize = 12;

/// "Label  before → after" for every line, wrapped.
pub(super) fn lines<'a>(diff: &[DiffLine], cells: usize, theme: &Theme) -> Vec<Line<'a>> {
    let mut lines = Vec::new();
    for d in diff {
        let text = format!(
            "{} {} {} {}",
            pad(&d.label, LABEL, theme.ellipsis()),
            d.before,
            theme.arrow(),
            d.after
        );
        for (i, line) in wrapped(&text, cells, LABEL + 1, ratatui::style::Style::new(), theme)
            .into_iter()
            .enumerate()
        {
            if i == 0 {
                let content: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
                let label: String = content.chars().take(LABEL).collect();
                let rest: String = content.chars().skip(LABEL).collect();
                lines.push(Line::from(vec![
                    Span::styled(label, theme.dim()),
                    Span::styled(rest, theme.bold()),
                ]));
            } else {
                lines.push(line.patch_style(theme.bold()));
            }
        }
    }
    lines
}

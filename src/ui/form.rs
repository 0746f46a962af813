//! The edit form: under each text field what is wrong and the API code it would hit, a
//! character counter and a valid/invalid mark; the pickers; what the change does to the
//! image's family; [Submit] [Cancel].

use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::Frame;

use crate::app::form::{FieldInput, Form, FormFocus};
use crate::app::{App, ImpactView};
use crate::change::shown;

use super::text::{pad, pad_left, width, window};
use super::{dialog, lines_scrolled, popup, title, wrapped, Theme, DIALOG_CHROME};

const MARK: usize = 2;
const LABEL: usize = 12;
const COUNTER: usize = 7;

pub(super) fn draw(frame: &mut Frame<'_>, area: Rect, app: &App, form: &Form, theme: &Theme) {
    let box_width = area.width.min(104);
    let cells = box_width.saturating_sub(DIALOG_CHROME) as usize;
    if cells < 4 || area.height < 3 {
        return;
    }
    let ell = theme.ellipsis();
    let box_w = cells
        .saturating_sub(MARK + LABEL + 1 + COUNTER + 1 + 2)
        .max(4);
    let mut lines: Vec<Line> = Vec::new();
    let mut focus_row = 0;
    let mut cursor = None;
    if app.context.read_only {
        lines.extend(wrapped(
            "Read-only mode: a submit is refused and nothing is sent.",
            cells,
            0,
            theme.warning(),
            theme,
        ));
    }
    lines.extend(creating_banner(&form.image, cells, theme));
    if let Some(note) = status_note(&form.image.status) {
        lines.extend(wrapped(&note, cells, 2, theme.warning(), theme));
    }
    for (i, field) in form.fields.iter().enumerate() {
        let focused = form.focus == FormFocus::Field(i);
        let check = form.check(i).expect("index in range");
        if focused {
            focus_row = lines.len();
        }
        let marker = if focused { "> " } else { "  " };
        let label_style = if focused { theme.bold() } else { theme.dim() };
        let mut spans = vec![
            Span::styled(marker, theme.bold()),
            Span::styled(pad(field.field.label(), LABEL, ell), label_style),
        ];
        let mark = match (&check.problem, check.changed) {
            (Some(_), _) => Span::styled(theme.mark_bad(), theme.error()),
            (None, true) => Span::styled(theme.mark_ok(), theme.ok()),
            (None, false) => Span::raw(""),
        };
        match &field.input {
            FieldInput::Text(input) => {
                // Unfocused, a long value shows its start; focused, wherever the cursor is.
                let skip = if focused { input.scroll(box_w) } else { 0 };
                let shown = theme.text(&window(input.value(), skip, box_w)).into_owned();
                spans.push(Span::styled(pad(&shown, box_w, ""), theme.input()));
                let counter = format!("{}/{}", check.count, check.max.unwrap_or(0));
                let counter_style = if check.max.is_some_and(|m| check.count > m) {
                    theme.error()
                } else {
                    theme.dim()
                };
                spans.push(Span::raw(" "));
                spans.push(Span::styled(
                    pad_left(&counter, COUNTER, ell),
                    counter_style,
                ));
                spans.push(Span::raw(" "));
                spans.push(mark);
                if focused {
                    let col = MARK + LABEL + input.cursor_col().saturating_sub(skip);
                    cursor = Some((col.min(cells - 1), lines.len()));
                }
                lines.push(Line::from(spans));
                let indent = MARK + LABEL;
                let note = match &check.problem {
                    Some(p) => Some((
                        format!("{} {}", theme.mark_bad(), p.reason()),
                        theme.error(),
                    )),
                    None if check.changed => Some((
                        format!("was: {}", field.field.value_of(&form.image)),
                        theme.dim(),
                    )),
                    None => None,
                };
                match note {
                    Some((text, style)) => {
                        for (n, l) in wrapped(&text, cells - indent, 2, style, theme)
                            .into_iter()
                            .enumerate()
                        {
                            if n >= 2 {
                                break;
                            }
                            let mut spans = vec![Span::raw(" ".repeat(indent))];
                            spans.extend(l.spans);
                            lines.push(Line::from(spans));
                        }
                    }
                    None => lines.push(Line::raw("")),
                }
            }
            FieldInput::Choice { .. } => {
                let (l, r) = theme.choice_arrows();
                let value = shown(&field.value());
                let style = if focused {
                    theme.focused()
                } else {
                    Style::new()
                };
                spans.push(Span::styled(format!("{l} {value} {r}"), style));
                spans.push(Span::raw(" "));
                spans.push(mark);
                let note = match &check.problem {
                    Some(p) => Some((format!(" {}", p.reason()), theme.error())),
                    None if check.changed => Some((
                        format!(" was: {}", shown(&field.field.value_of(&form.image))),
                        theme.dim(),
                    )),
                    None => None,
                };
                let used: usize = spans.iter().map(|s| width(&s.content)).sum();
                match note {
                    // Beside the choice when it fits; else under it, whole (an error code
                    // is never cut).
                    Some((text, style))
                        if width(&theme.text(&text)) <= cells.saturating_sub(used) =>
                    {
                        spans.push(Span::styled(theme.text(&text).into_owned(), style));
                        lines.push(Line::from(spans));
                    }
                    Some((text, style)) => {
                        lines.push(Line::from(spans));
                        let indent = MARK + LABEL;
                        for l in wrapped(
                            text.trim_start(),
                            cells.saturating_sub(indent),
                            2,
                            style,
                            theme,
                        ) {
                            let mut row = vec![Span::raw(" ".repeat(indent))];
                            row.extend(l.spans);
                            lines.push(Line::from(row));
                        }
                    }
                    None => lines.push(Line::from(spans)),
                }
            }
        }
    }
    let changes = form.changes();
    let impact_lines = impact_lines(
        &app.impact(&form.image, &changes),
        cells.saturating_sub(2),
        theme,
    );
    if !impact_lines.is_empty() {
        lines.push(Line::raw(""));
        lines.extend(impact_lines.into_iter().map(|l| {
            let mut spans = vec![Span::raw("  ")];
            spans.extend(l.spans);
            Line::from(spans)
        }));
    }
    let problems = form.problems();
    if problems.len() > 1 {
        // Each is under its field too; here they are all in one place, codes whole.
        lines.push(Line::raw(""));
        let codes: Vec<&str> = problems.iter().map(|p| p.code).collect();
        let text = format!(
            "{} {} fields ECS would refuse: {}",
            theme.mark_bad(),
            problems.len(),
            codes.join(", ")
        );
        lines.extend(wrapped(&text, cells, 2, theme.error(), theme));
    }
    lines.push(Line::raw(""));
    if matches!(form.focus, FormFocus::Submit | FormFocus::Cancel) {
        focus_row = lines.len();
    }
    let button = |label: &str, focused: bool| {
        let style = if focused {
            theme.focused()
        } else {
            theme.bold()
        };
        Span::styled(format!("[ {label} ]"), style)
    };
    let count = changes.fields().len();
    let summary = match count {
        0 => "no changes yet".to_string(),
        1 => "1 field changed".to_string(),
        n => format!("{n} fields changed"),
    };
    lines.push(Line::from(vec![
        Span::raw("  "),
        button("Submit", form.focus == FormFocus::Submit),
        Span::raw("  "),
        button("Cancel", form.focus == FormFocus::Cancel),
        Span::styled(format!("   {summary}"), theme.dim()),
    ]));
    let rect = popup(area, box_width, (lines.len() as u16).saturating_add(2));
    let heading = format!(
        "Edit {} {} {}",
        form.image.image_name,
        theme.sep(),
        form.image.image_id
    );
    let inner = dialog(frame, rect, title(&heading, rect.width, theme), theme);
    let height = inner.height as usize;
    let offset = if focus_row + 3 > height {
        (focus_row + 3 - height).min(lines.len().saturating_sub(height))
    } else {
        0
    };
    // A marker takes the first row when lines are hidden above: the focus stays below it.
    let offset = offset.min(focus_row.saturating_sub(1));
    if let Some((col, row)) = cursor {
        if row >= offset && row < offset + height {
            frame.set_cursor_position(Position::new(
                inner.x + col as u16,
                inner.y + (row - offset) as u16,
            ));
        }
    }
    lines_scrolled(frame, inner, lines, offset, theme);
}

/// What the change does to the family, coloured by how serious it is.
pub(super) fn impact_lines<'a>(view: &ImpactView, cells: usize, theme: &Theme) -> Vec<Line<'a>> {
    let style = match view {
        ImpactView::Checking(_) => theme.dim(),
        ImpactView::Unknown { .. } => theme.warning(),
        ImpactView::Known(impact) => theme.severity(impact.severity()),
    };
    view.lines()
        .iter()
        .flat_map(|l| wrapped(l, cells, 2, style, theme))
        .collect()
}

/// A banner for an image ECS will not let be changed yet (`InvalidStatus.ImageIsCreating`).
pub(super) fn creating_banner<'a>(
    image: &crate::ecs::model::Image,
    cells: usize,
    theme: &Theme,
) -> Vec<Line<'a>> {
    match crate::rules::still_creating(image) {
        Some(problem) => wrapped(
            &format!(
                "{} Still being created ({}): it cannot be changed until Available ({}).",
                theme.mark_bad(),
                image.status,
                problem.code
            ),
            cells,
            2,
            theme.error(),
            theme,
        ),
        None => Vec::new(),
    }
}

/// What a status ECS gives an image by itself means, before anyone changes it.
pub(super) fn status_note(status: &crate::ecs::model::ImageStatus) -> Option<String> {
    let text = match status {
        crate::ecs::model::ImageStatus::CreateFailed => {
            "CreateFailed: ECS could not create this image, so it cannot launch instances \
             whatever its status says. Changing the status does not repair it: create the \
             image again."
        }
        _ => return None,
    };
    Some(text.to_string())
}

//! The result of a change: the RequestId and the fields applied (verified by a re-read),
//! or the error a person can act on — code, meaning, message, RequestId, Recommend link.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::Frame;

use crate::app::{App, Landed, Outcome, ResultPanel};
use crate::change::{lost_words, ApplyError};
use crate::keys::{Context, Intent};

use super::error::{api_error_lines, token_lines, wanted_cells};
use super::{dialog, diff, lines_scrolled, popup, title, wrapped, Theme, DIALOG_CHROME};

pub(super) fn draw(
    frame: &mut Frame<'_>,
    area: Rect,
    app: &App,
    result: &ResultPanel,
    theme: &Theme,
) {
    // Wide enough for the RequestId and the Recommend link on one line each, if the
    // screen is.
    let wanted = match &result.outcome {
        Outcome::Failed(error) => error
            .api()
            .map_or(0, |e| wanted_cells(e) as u16 + DIALOG_CHROME),
        _ => 0,
    };
    let image = result.image();
    let diff = result.change.operation.diff_lines(image);
    let width = area.width.min(wanted.max(84));
    let cells = width.saturating_sub(DIALOG_CHROME) as usize;
    let mut lines: Vec<Line> = Vec::new();
    let heading;
    match &result.outcome {
        Outcome::Applied(applied) => {
            heading = format!(
                "Applied: {} {} {}",
                image.image_name,
                theme.sep(),
                image.image_id
            );
            lines.extend(wrapped(
                &format!("{} ECS accepted the change.", theme.mark_ok()),
                cells,
                2,
                theme.ok(),
                theme,
            ));
            lines.extend(token_lines(
                "RequestId",
                &applied.request_id,
                cells,
                theme.bold(),
                theme,
            ));
            let verified = if applied.verified {
                (
                    format!(
                        "{} Verified: a re-read shows the new values.",
                        theme.mark_ok()
                    ),
                    theme.ok(),
                )
            } else if let Some(code) = &applied.reread_failed {
                (
                    format!("Not verified: the re-read failed: {code} (r refreshes the list)."),
                    theme.warning(),
                )
            } else {
                (
                    "Not verified: the re-read does not show every new value yet (r refreshes)."
                        .to_string(),
                    theme.warning(),
                )
            };
            lines.extend(wrapped(&verified.0, cells, 2, verified.1, theme));
            if let Some(problem) = &applied.journal_error {
                lines.extend(wrapped(
                    &format!("Not journaled: {problem}"),
                    cells,
                    2,
                    theme.warning(),
                    theme,
                ));
            }
            lines.push(Line::raw(""));
            lines.extend(diff::lines(&diff, cells, theme));
        }
        Outcome::Failed(error) => {
            heading = format!(
                "Not applied: {} {} {}",
                image.image_name,
                theme.sep(),
                image.image_id
            );
            lines.extend(failure_lines(error, cells, theme));
            if app.returns_to_form(result) {
                let key = app
                    .keys
                    .label_of(Context::ResultForm, Intent::Back)
                    .unwrap_or_else(|| "Enter/Esc".to_string())
                    .replace('/', " or ");
                lines.push(Line::raw(""));
                lines.extend(wrapped(
                    &format!("Your form is kept as you typed it: {key} goes back to it."),
                    cells,
                    2,
                    theme.dim(),
                    theme,
                ));
            }
            lines.push(Line::raw(""));
            lines.extend(diff::lines(&diff, cells, theme));
        }
        Outcome::Cancelled(landed) => {
            heading = format!(
                "Cancelled: {} {} {}",
                image.image_name,
                theme.sep(),
                image.image_id
            );
            let (finding, style) = match landed {
                Landed::Yes => (
                    "The request was cancelled, but it did reach ECS: the new values are in \
                     place."
                        .to_string(),
                    theme.warning(),
                ),
                Landed::No => (
                    format!(
                        "{} Cancelled in time: ECS still holds the old values.",
                        theme.mark_ok()
                    ),
                    theme.ok(),
                ),
                Landed::Partly => (
                    "The request was cancelled; ECS holds some of the new values and not \
                     others. The list shows what ECS holds now."
                        .to_string(),
                    theme.warning(),
                ),
                Landed::Gone => (
                    "The request was cancelled; the image no longer exists.".to_string(),
                    theme.warning(),
                ),
                Landed::Unknown(code) => (
                    format!(
                        "The request was cancelled. It may still have reached ECS; the re-read \
                         failed ({code}): r refreshes the list to see what ECS holds."
                    ),
                    theme.warning(),
                ),
            };
            lines.extend(wrapped(&finding, cells, 2, style, theme));
            lines.push(Line::raw(""));
            lines.extend(diff::lines(&diff, cells, theme));
        }
    }
    if app.results.len() > 1 {
        lines.push(Line::raw(""));
        lines.push(Line::from(Span::styled(
            format!("{} more result(s) after this one", app.results.len() - 1),
            theme.dim(),
        )));
    }
    let height = (lines.len() as u16 + 2).min(area.height);
    let rect = popup(area, width, height);
    let inner = dialog(frame, rect, title(&heading, rect.width, theme), theme);
    lines_scrolled(frame, inner, lines, 0, theme);
}

/// What went wrong, said so a person can act on it.
pub(super) fn failure_lines<'a>(error: &ApplyError, cells: usize, theme: &Theme) -> Vec<Line<'a>> {
    let mut lines = Vec::new();
    match error {
        ApplyError::Api(e) => lines.extend(api_error_lines(e, true, cells, theme)),
        ApplyError::Lost { error, landed } => {
            lines.extend(api_error_lines(error, true, cells, theme));
            let style = match landed {
                Landed::No => theme.info(),
                _ => theme.warning(),
            };
            lines.extend(wrapped(
                &format!("The answer was lost; {}.", lost_words(landed)),
                cells,
                2,
                style,
                theme,
            ));
        }
        ApplyError::ReadOnly => {
            lines.extend(wrapped(
                &format!("{} {error}", theme.mark_bad()),
                cells,
                2,
                theme.error(),
                theme,
            ));
            lines.extend(wrapped(
                "Nothing was sent to ECS.",
                cells,
                2,
                theme.dim(),
                theme,
            ));
        }
        ApplyError::NoChanges => {
            lines.extend(wrapped(
                "No changes: every field already has that value. Nothing was sent.",
                cells,
                2,
                theme.info(),
                theme,
            ));
        }
        ApplyError::Invalid(problems) => {
            lines.extend(wrapped(
                &format!("{} Not sent: ECS would refuse it.", theme.mark_bad()),
                cells,
                2,
                theme.error(),
                theme,
            ));
            for p in problems {
                lines.extend(wrapped(&p.to_string(), cells, 2, theme.bold(), theme));
            }
        }
    }
    lines
}

//! The profile picker (`P`): the credential profiles of the aliyun CLI's config and the
//! credentials file, the current one marked; what a switch is doing, or why it failed.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::Frame;

use crate::app::{App, Loadable, ProfilePicker};

use super::text::fit;
use super::{dialog, lines_at, popup, title, wrapped, Theme, DIALOG_CHROME};

pub(super) fn draw(
    frame: &mut Frame<'_>,
    area: Rect,
    app: &App,
    picker: &ProfilePicker,
    theme: &Theme,
) {
    let width = area.width.min(64);
    let cells = width.saturating_sub(DIALOG_CHROME) as usize;
    let mut lines = Vec::new();
    let choices = app.profile_choices();
    for (i, name) in choices.iter().enumerate() {
        let chosen = i == picker.selected;
        let current = *name == app.context.profile;
        let text = format!(
            "{}{}{}",
            if chosen { "> " } else { "  " },
            name,
            if current { "  (current)" } else { "" }
        );
        let line = Line::from(Span::raw(fit(&theme.text(&text), cells, theme.ellipsis())));
        lines.push(if chosen {
            line.patch_style(theme.selected())
        } else {
            line
        });
    }
    let mut notes = Vec::new();
    if app.context.demo {
        notes.extend(wrapped(
            "The demo has one profile, demo. Real profiles come from ~/.aliyun/config.json \
             and ~/.alibabacloud/credentials.",
            cells,
            0,
            theme.dim(),
            theme,
        ));
    } else if app.profiles.as_ref().is_some_and(Loadable::is_loading) {
        notes.push(Line::from(Span::styled(
            theme.text("listing profiles…").into_owned(),
            theme.dim(),
        )));
    } else if choices.len() == 1 {
        notes.extend(wrapped(
            "No other profile in ~/.aliyun/config.json or ~/.alibabacloud/credentials \
             (`aliyun configure --profile NAME` adds one).",
            cells,
            0,
            theme.dim(),
            theme,
        ));
    }
    if let Some(profile) = &app.switching {
        notes.extend(wrapped(
            &format!("connecting with profile {profile}…"),
            cells,
            0,
            theme.info(),
            theme,
        ));
    }
    if let Some(error) = &picker.error {
        for line in error.lines() {
            notes.extend(wrapped(line, cells, 2, theme.error(), theme));
        }
    }
    if !notes.is_empty() {
        lines.push(Line::raw(""));
        lines.extend(notes);
    }
    let height = (lines.len() as u16 + 2).min(area.height);
    let rect = popup(area, width, height);
    let inner = dialog(
        frame,
        rect,
        title("Switch profile", rect.width, theme),
        theme,
    );
    let rows = inner.height as usize;
    let offset = (picker.selected + 1).saturating_sub(rows);
    lines_at(frame, inner, lines, offset);
}

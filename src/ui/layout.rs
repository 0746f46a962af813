//! The frame of the screen — a header line, the body, the bottom line — and what each
//! scrolling view shows of the body, measured with the same functions that draw it and
//! handed to `app` as a [`Viewport`] by the event loop.

use ratatui::layout::{Constraint, Layout, Rect};

use crate::app::{App, Screen, Viewport};

use super::{
    browser, detail, dialog_inner, help, journal, notices, popup, Theme, MIN_HEIGHT, MIN_WIDTH,
};

/// The header, body and bottom line of `area`; `None` below the smallest size drawn.
pub(super) fn split(area: Rect) -> Option<[Rect; 3]> {
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return None;
    }
    Some(
        Layout::vertical([
            Constraint::Length(1),
            Constraint::Fill(1),
            Constraint::Length(1),
        ])
        .areas(area),
    )
}

/// What `draw` would show of each view of `app` on a `width`×`height` screen. Views not
/// on screen are measured as they would open; a screen too small to draw on measures
/// nothing (every page is one).
pub fn viewport(app: &App, width: u16, height: u16, theme: &Theme) -> Viewport {
    let Some([_, body, _]) = split(Rect::new(0, 0, width, height)) else {
        return Viewport::default();
    };
    let picker = dialog_inner(popup(body, body.width.min(64), body.height), theme);
    Viewport {
        list: browser::list_rows(app, body),
        list_top: browser::list_top(app, body),
        journal: journal::page(body, theme),
        notices: match app.screen {
            Screen::Notices { offset } => notices::page(app, body, offset, theme),
            _ => notices::page(app, body, 0, theme),
        },
        notices_tail: notices::tail(app, body, theme),
        picker: picker.height as usize,
        entry_scroll: match &app.screen {
            Screen::Journal(view) => journal::entry_scroll(app, view, body, theme),
            _ => 0,
        },
        help_scroll: app
            .help
            .as_ref()
            .map_or(0, |h| help::scroll(app, h, body, theme)),
        help_page: app
            .help
            .as_ref()
            .map_or(0, |h| help::page(app, h, body, theme)),
        detail_scroll: if app.details_full {
            detail::full_scroll(app, body, theme)
        } else {
            0
        },
        // The pane's border takes a row, and "PgDn shows more" the last one.
        detail: (body.height as usize).saturating_sub(2).max(1),
    }
}

//! How much of each scrolling view the screen shows, as `ui` measured it. The event loop
//! measures after every action and sends [`super::Action::Viewport`] when it changed, so a
//! page key moves by exactly what the screen shows and scrolling stops where the text
//! ends — without `update` knowing any row arithmetic.

/// What the screen shows, in rows (or entries) per view. Zero means not measured yet; a
/// page is never less than one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Viewport {
    /// Rows of the image list.
    pub list: usize,
    /// The screen row of the list's first image (a click there selects it); 0 when the
    /// list is not on screen.
    pub list_top: u16,
    /// Entries of the journal view (`J`).
    pub journal: usize,
    /// Requests the notices view shows whole, from where it is scrolled to.
    pub notices: usize,
    /// Requests the notices view shows whole when scrolled to its end (the oldest at the
    /// bottom): `G` and the page keys stop there, so the last screen is a full one.
    pub notices_tail: usize,
    /// Rows of the region and profile pickers.
    pub picker: usize,
    /// How far the open journal entry scrolls before its last line is in view.
    pub entry_scroll: usize,
    /// How far the help overlay scrolls before its last line is in view.
    pub help_scroll: usize,
    /// Rows one PgDn moves the help overlay by.
    pub help_page: usize,
    /// How far the opened-out detail pane (`d`) scrolls before its last line is in view.
    pub detail_scroll: usize,
    /// Rows one PgDn moves the opened-out detail pane by (what it shows above its "more"
    /// line).
    pub detail: usize,
}

//! What a key asks for, named once: the serde name of an [`Intent`] is its name in the
//! config file's `[keys]` (`refresh = "F5"`), in error messages and anywhere else it is
//! written down.

use std::fmt;

use serde::{Deserialize, Serialize};

/// What a key asks for. Each screen interprets the intents its table holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Intent {
    ForceQuit,
    Suspend,
    Quit,
    Back,
    Help,
    Up,
    Down,
    Top,
    Bottom,
    PageUp,
    PageDown,
    /// ctrl-d / ctrl-u: half a page, where no text field has the keyboard.
    HalfPageDown,
    HalfPageUp,
    Left,
    Right,
    Filter,
    Edit,
    Status,
    Refresh,
    Region,
    Notices,
    /// `P`: switch credential profile.
    Profile,
    /// `J`: the journal of changes.
    Journal,
    /// `u`: undo a journaled change.
    Undo,
    /// Show only the changes of the image selected in the list.
    ImageOnly,
    Sort,
    /// `O`: the current sort, backwards.
    Reverse,
    Details,
    /// `y`: copy the selected image ID, or a panel's RequestId and link (OSC 52).
    Copy,
    /// `Y`: copy the `ecsimg images modify …` command of the change under review.
    CopyCommand,
    /// `:`: the command line (`:region cn-shanghai`, `:sort created`, `:q`).
    Command,
    /// `space`: mark or unmark the selected image.
    Mark,
    /// `*`: mark every image the filter shows.
    MarkAll,
    /// `-`: clear the marks.
    ClearMarks,
    /// `v`: the marked images.
    ShowMarks,
    /// `b`: one edit for every marked image.
    BulkEdit,
    /// `F`: keep the newest N Available images of the selected image's family.
    Retention,
    /// `B`: the running batch's progress, or the last batch's report.
    BatchReport,
    /// `f` in a report: plan again only the images that were not applied.
    RetryFailed,
    /// `X` in a report: put back what the batch's applied changes replaced.
    UndoBatch,
    NextField,
    PrevField,
    /// Enter: move on, or press the focused button.
    Press,
    Submit,
    /// An edit inside a text field, named by itself (`word_left`, `delete_line`).
    #[serde(untagged)]
    Text(TextOp),
}

/// An edit inside a one-line text input; printable characters are inserted without a
/// table entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextOp {
    Home,
    End,
    WordLeft,
    WordRight,
    DeleteBack,
    DeleteForward,
    DeleteWord,
    DeleteLine,
    DeleteToEnd,
}

impl Intent {
    /// Whether a `[keys]` line may move it. Quitting, suspending, form navigation and text
    /// editing keep their keys: a config file must not be able to take away the way out of
    /// a screen or the cursor keys of a field.
    pub fn configurable(self) -> bool {
        !matches!(
            self,
            Intent::ForceQuit
                | Intent::Suspend
                | Intent::Left
                | Intent::Right
                | Intent::NextField
                | Intent::PrevField
                | Intent::Press
                | Intent::Submit
                | Intent::Text(_)
        )
    }

    /// The intent a name stands for (`page_down`), if any.
    pub fn from_name(name: &str) -> Option<Intent> {
        use serde::de::{value::Error, IntoDeserializer};
        Intent::deserialize(IntoDeserializer::<Error>::into_deserializer(name)).ok()
    }
}

/// Its serde name: `page_down`, `image_only`, `delete_line`.
impl fmt::Display for Intent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.serialize(f)
    }
}

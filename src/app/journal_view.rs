//! The journal view (`J`) and an undo (`u`) on its way to the confirm dialog.

use crate::change::{Drift, JournalEntry};

/// The journal view: the entries newest first, one selected, maybe only one image's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JournalView {
    /// The selected row of [`JournalView::rows`].
    pub selected: usize,
    /// Only this image's changes: `(image ID, name)`.
    pub image: Option<(String, String)>,
    /// The selected entry is shown whole, scrolled this many lines.
    pub open: Option<usize>,
}

impl JournalView {
    /// The entries shown, newest first, each with its number in the file (from 1, as
    /// `ecsimg journal` and `ecsimg undo N` count); `older` changes come before `entries`.
    pub fn rows<'a>(
        &self,
        entries: &'a [JournalEntry],
        older: usize,
    ) -> Vec<(usize, &'a JournalEntry)> {
        entries
            .iter()
            .enumerate()
            .rev()
            .map(|(i, e)| (older + i + 1, e))
            .filter(|(_, e)| self.image.as_ref().is_none_or(|(id, _)| e.image_id == *id))
            .collect()
    }

    /// The selected entry and its number.
    pub fn chosen<'a>(
        &self,
        entries: &'a [JournalEntry],
        older: usize,
    ) -> Option<(usize, &'a JournalEntry)> {
        self.rows(entries, older).get(self.selected).copied()
    }
}

/// An undo being prepared: the journal is read, then the image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UndoPending {
    /// `u` on the list: the journal is read to find the last successful change.
    Last,
    /// The image is read again, to compare with what the entry left behind.
    Reading(Box<UndoTarget>),
}

/// The journal entry an undo puts back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UndoTarget {
    /// Its number in the journal (from 1).
    pub number: usize,
    pub entry: JournalEntry,
    /// The journal view to go back to on Cancel (`None`: the list).
    pub from: Option<JournalView>,
}

/// An undo in the confirm dialog: the entry, and what changed since it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UndoOrigin {
    pub target: UndoTarget,
    /// Fields whose value today is not what the entry set.
    pub drift: Vec<Drift>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::change::Outcome;

    fn entry(id: &str) -> JournalEntry {
        JournalEntry {
            id: None,
            batch: None,
            settled_at: None,
            time: "2026-05-01T10:00:00Z".into(),
            source: "tui".into(),
            profile: "default".into(),
            region: "cn-hangzhou".into(),
            endpoint: "https://ecs.cn-hangzhou.aliyuncs.com/".into(),
            image_id: id.into(),
            image_name: id.into(),
            changes: vec![],
            request_id: None,
            outcome: Outcome::Applied { verified: true },
        }
    }

    #[test]
    fn rows_are_newest_first_with_file_numbers_and_filter_by_image() {
        let entries = vec![entry("m-1"), entry("m-2"), entry("m-1")];
        let mut view = JournalView::default();
        let numbers: Vec<usize> = view.rows(&entries, 0).iter().map(|(n, _)| *n).collect();
        assert_eq!(numbers, [3, 2, 1]);
        view.image = Some(("m-1".into(), "m-1".into()));
        let numbers: Vec<usize> = view.rows(&entries, 0).iter().map(|(n, _)| *n).collect();
        assert_eq!(numbers, [3, 1]);
        view.selected = 1;
        assert_eq!(view.chosen(&entries, 0).unwrap().0, 1);
        let numbers: Vec<usize> = view.rows(&entries, 40).iter().map(|(n, _)| *n).collect();
        assert_eq!(
            numbers,
            [43, 41],
            "after 40 older changes that were not read"
        );
    }
}

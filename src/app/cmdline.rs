//! The `:` command line as data: what is typed, where in the history Up and Down are, the
//! completions Tab offered, and why the last command was refused. The commands themselves
//! (one table that runs them, completes them and prints them in help) are in
//! `update::cmdline`.

use super::text::TextInput;

/// The most commands the history keeps.
const HISTORY: usize = 50;

/// The open command line.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CommandLine {
    pub input: TextInput,
    /// The history entry Up/Down show (0 is the newest); `None` while typing anew.
    pub recalled: Option<usize>,
    /// What the last Tab offered for the word being completed, and which one is shown.
    pub candidates: Vec<String>,
    pub cycled: Option<usize>,
    /// What the last Tab or Enter has to say: why a command was refused (the line stays
    /// as typed), or that its values are being listed.
    pub note: Option<Note>,
}

impl CommandLine {
    /// Something was typed: offers and errors of the last Tab or Enter no longer apply.
    pub fn edited(&mut self) {
        self.candidates.clear();
        self.cycled = None;
        self.note = None;
        self.recalled = None;
    }
}

/// A word beside the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub text: String,
    /// The command was refused, or Tab found nothing (as opposed to news, like "listing
    /// the regions").
    pub refused: bool,
}

/// The commands run this session, newest last.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    lines: Vec<String>,
}

impl History {
    /// Remembers `line`, unless it repeats the newest one.
    pub fn push(&mut self, line: &str) {
        let line = line.trim();
        if line.is_empty() || self.lines.last().is_some_and(|l| l == line) {
            return;
        }
        self.lines.push(line.to_string());
        if self.lines.len() > HISTORY {
            self.lines.remove(0);
        }
    }

    /// The `n`th newest line (0 is the newest).
    pub fn back(&self, n: usize) -> Option<&str> {
        let i = self.lines.len().checked_sub(n + 1)?;
        self.lines.get(i).map(String::as_str)
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }
}

/// The longest start every one of `words` shares (by character).
pub fn common_prefix(words: &[String]) -> String {
    let Some(first) = words.first() else {
        return String::new();
    };
    let mut end = first.len();
    for w in &words[1..] {
        end = first
            .char_indices()
            .zip(w.chars())
            .find(|((_, a), b)| a != b)
            .map_or(end.min(w.len()), |((i, _), _)| i.min(end));
    }
    first[..end].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_keeps_the_newest_last_and_skips_repeats() {
        let mut h = History::default();
        h.push("region cn-shanghai");
        h.push("region cn-shanghai");
        h.push(" sort created ");
        assert_eq!(h.len(), 2);
        assert_eq!(h.back(0), Some("sort created"));
        assert_eq!(h.back(1), Some("region cn-shanghai"));
        assert_eq!(h.back(2), None);
    }

    #[test]
    fn the_common_prefix_counts_characters() {
        let words = |w: &[&str]| w.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            common_prefix(&words(&["cn-hangzhou", "cn-hongkong"])),
            "cn-h"
        );
        assert_eq!(common_prefix(&words(&["数据库", "数据仓库"])), "数据");
        assert_eq!(common_prefix(&words(&["web", "web-frontend"])), "web");
        assert_eq!(common_prefix(&words(&[])), "");
    }
}

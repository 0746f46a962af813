//! One row of a key table: the keys, the intent, the words help and the hint line print.
//! Its own file so the screens' tables (`table`, `bulk_table`) share it without importing
//! each other.

use super::intent::Intent;
use super::key::Key;

/// One row of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Binding {
    /// The keys help and hints print, first the one a `[keys]` override replaces.
    pub keys: &'static [Key],
    /// Keys that do the same without being printed (the arrows beside `j`/`k` in the
    /// status picker, ctrl-h beside Backspace).
    pub also: &'static [Key],
    pub intent: Intent,
    /// What it does, in a few words.
    pub desc: &'static str,
    /// Shown on the bottom hint line (help shows every row).
    pub hint: bool,
}

pub(super) const fn bind(
    keys: &'static [Key],
    intent: Intent,
    desc: &'static str,
    hint: bool,
) -> Binding {
    Binding {
        keys,
        also: &[],
        intent,
        desc,
        hint,
    }
}

impl Binding {
    pub(super) const fn also(self, also: &'static [Key]) -> Binding {
        Binding { also, ..self }
    }
}

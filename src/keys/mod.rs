//! The one key vocabulary: what a key can ask for ([`Intent`], named once by serde), the
//! default table of which keys mean which intent on each screen ([`Context`]), and the
//! config file's `[keys]` overrides on top ([`Keymap`]). The `?` help overlay and the
//! bottom hint line are printed from the same rows that handle the keys, so they never go
//! stale. It knows keys and names only: no screen, no state.

mod binding;
mod bulk_table;
mod intent;
mod key;
mod keymap;
mod table;

pub use binding::Binding;
pub use intent::{Intent, TextOp};
pub use key::{typed_char, Key};
pub use keymap::{action_names, default_key, KeyError, Keymap, Shown};
pub use table::Context;

#[cfg(test)]
mod tests;

//! One-line text input (the filter, the form's text fields, the typed confirmation), on top
//! of `tui_input::Input`, which counts the cursor in characters and steps by grapheme.

use tui_input::{Input, InputRequest};

use crate::keys::{Intent, TextOp};

/// A one-line text input.
#[derive(Debug, Clone, Default)]
pub struct TextInput {
    input: Input,
}

impl TextInput {
    /// An input holding `value`, the cursor at its end.
    pub fn new(value: &str) -> TextInput {
        TextInput {
            input: Input::new(value.to_string()),
        }
    }

    pub fn value(&self) -> &str {
        self.input.value()
    }

    /// The cursor's column, in display cells from the start.
    pub fn cursor_col(&self) -> usize {
        self.input.visual_cursor()
    }

    /// The first display column to show so the cursor fits in `width` cells.
    pub fn scroll(&self, width: usize) -> usize {
        self.input.visual_scroll(width.max(1))
    }

    pub fn insert(&mut self, c: char) {
        self.input.handle(InputRequest::InsertChar(c));
    }

    /// Inserts pasted text. Line breaks and tabs become spaces and other control
    /// characters are dropped: these are one-line fields.
    pub fn paste(&mut self, text: &str) {
        let text = text.trim_end_matches(['\r', '\n']);
        let mut last_was_break = false;
        for c in text.chars() {
            match c {
                '\r' | '\n' => {
                    if !last_was_break {
                        self.insert(' ');
                    }
                    last_was_break = true;
                    continue;
                }
                '\t' => self.insert(' '),
                c if c.is_control() => {}
                c => self.insert(c),
            }
            last_was_break = false;
        }
    }

    pub fn clear(&mut self) {
        self.input.reset();
    }

    /// Applies an editing intent; returns whether it was one.
    pub fn apply(&mut self, intent: Intent) -> bool {
        let request = match intent {
            Intent::Left => InputRequest::GoToPrevChar,
            Intent::Right => InputRequest::GoToNextChar,
            Intent::Text(op) => match op {
                TextOp::Home => InputRequest::GoToStart,
                TextOp::End => InputRequest::GoToEnd,
                TextOp::WordLeft => InputRequest::GoToPrevWord,
                TextOp::WordRight => InputRequest::GoToNextWord,
                TextOp::DeleteBack => InputRequest::DeletePrevChar,
                TextOp::DeleteForward => InputRequest::DeleteNextChar,
                TextOp::DeleteWord => InputRequest::DeletePrevWord,
                TextOp::DeleteLine => InputRequest::DeleteLine,
                TextOp::DeleteToEnd => InputRequest::DeleteTillEnd,
            },
            _ => return false,
        };
        self.input.handle(request);
        true
    }
}

impl PartialEq for TextInput {
    fn eq(&self, other: &Self) -> bool {
        self.value() == other.value() && self.input.cursor() == other.input.cursor()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_step_by_character_not_byte() {
        let mut t = TextInput::new("镜像ab");
        t.apply(Intent::Text(TextOp::Home));
        t.apply(Intent::Right);
        t.insert('X');
        assert_eq!(t.value(), "镜X像ab");
        assert_eq!(t.cursor_col(), 3);
        t.apply(Intent::Text(TextOp::End));
        t.apply(Intent::Text(TextOp::DeleteBack));
        assert_eq!(t.value(), "镜X像a");
        t.apply(Intent::Text(TextOp::DeleteLine));
        assert_eq!(t.value(), "");
    }

    #[test]
    fn ctrl_w_deletes_the_word_before_the_cursor() {
        let mut t = TextInput::new("web server");
        t.apply(Intent::Text(TextOp::DeleteWord));
        assert_eq!(t.value(), "web ");
    }

    #[test]
    fn paste_folds_line_breaks_and_drops_control_characters() {
        let mut t = TextInput::new("");
        t.paste("line one\r\nline\ttwo\x1b[2J\n");
        assert_eq!(t.value(), "line one line two[2J");
    }
}

//! `y` and `Y` reach the clipboard as OSC 52 (`ESC ] 52 ; c ; BASE64 BEL`), which terminals
//! honour over ssh and tmux forwards with `set-clipboard on`. The text is sanitised first:
//! whatever a server put in an ID or a RequestId, what lands on the clipboard (and in the
//! shell it is pasted into) carries no control characters.

use std::io::{self, Write};

use base64::Engine;

use crate::ui::text::sanitize_lines;

/// The most bytes of text sent: some terminals drop longer OSC 52 strings whole.
const MAX: usize = 74_994;

/// The OSC 52 sequence that puts `text` on the clipboard.
pub fn osc52(text: &str) -> Vec<u8> {
    // Line breaks stay (a RequestId and its link go on two lines).
    let clean = sanitize_lines(text);
    let mut end = clean.len().min(MAX);
    while !clean.is_char_boundary(end) {
        end -= 1;
    }
    let payload = base64::engine::general_purpose::STANDARD.encode(&clean.as_bytes()[..end]);
    format!("\x1b]52;c;{payload}\x07").into_bytes()
}

/// Writes the sequence for `text` to the terminal, between frames.
pub fn copy(text: &str) -> io::Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(&osc52(text))?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(bytes: &[u8]) -> String {
        let text = std::str::from_utf8(bytes).unwrap();
        let payload = text
            .strip_prefix("\x1b]52;c;")
            .and_then(|t| t.strip_suffix('\x07'))
            .expect("an OSC 52 sequence");
        let raw = base64::engine::general_purpose::STANDARD
            .decode(payload)
            .unwrap();
        String::from_utf8(raw).unwrap()
    }

    #[test]
    fn the_text_goes_base64_in_one_osc_52_sequence() {
        let bytes = osc52("m-bp1abc");
        assert_eq!(bytes, b"\x1b]52;c;bS1icDFhYmM=\x07");
        assert_eq!(
            decoded(&osc52("镜像 web\nhttps://x")),
            "镜像 web\nhttps://x"
        );
    }

    #[test]
    fn control_characters_never_reach_the_clipboard() {
        let copied = decoded(&osc52("m-1\x1b]0;pwned\x07\r\u{202e}"));
        assert_eq!(copied, "m-1\\x1b]0;pwned\\x07\\r\\u202e");
    }
}

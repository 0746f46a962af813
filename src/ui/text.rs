//! Text measured by display width (a Chinese character takes two cells), truncated and
//! wrapped by width — never sliced by bytes; and the one sanitiser every writer to a
//! terminal (the TUI and the CLI's text output alike) passes server text through.
//!
//! Sanitising makes visible what a terminal would otherwise act on or hide, in Python's
//! `repr` convention: `\n` `\r` `\t` by name, other C0/C1 controls and DEL as `\x1b`,
//! bidirectional overrides and invisible characters as `\u202e` (`\U000e0041` beyond the
//! BMP). A backslash already in the text is left as it is.

use std::borrow::Cow;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Whether `c` must not reach a terminal as itself: a control character (C0, DEL, C1 —
/// the start of every escape sequence: ESC, CSI U+009B, OSC U+009D, DCS U+0090), a format
/// character (bidirectional overrides and isolates, zero-width space and joiners, word
/// joiner, BOM, tag characters …) or a line/paragraph separator.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || is_format(c) || matches!(c, '\u{2028}' | '\u{2029}')
}

/// Unicode's format characters (general category Cf): invisible, or reordering the text
/// around them (U+202A–U+202E, U+2066–U+2069).
fn is_format(c: char) -> bool {
    matches!(c as u32,
        0xAD
        | 0x600..=0x605
        | 0x61C
        | 0x6DD
        | 0x70F
        | 0x890..=0x891
        | 0x8E2
        | 0x180E
        | 0x200B..=0x200F
        | 0x202A..=0x202E
        | 0x2060..=0x2064
        | 0x2066..=0x206F
        | 0xFEFF
        | 0xFFF9..=0xFFFB
        | 0x110BD
        | 0x110CD
        | 0x13430..=0x1343F
        | 0x1BCA0..=0x1BCA3
        | 0x1D173..=0x1D17A
        | 0xE0001
        | 0xE0020..=0xE007F)
}

/// How an unsafe character is written instead.
fn escaped(c: char, out: &mut String) {
    use std::fmt::Write;
    let n = c as u32;
    let _ = match c {
        '\n' => write!(out, "\\n"),
        '\r' => write!(out, "\\r"),
        '\t' => write!(out, "\\t"),
        _ if n < 0x100 => write!(out, "\\x{n:02x}"),
        _ if n < 0x10000 => write!(out, "\\u{n:04x}"),
        _ => write!(out, "\\U{n:08x}"),
    };
}

/// `s` as one line of terminal text: every unsafe character (newlines included) made
/// visible, never interpreted.
pub fn sanitize(s: &str) -> Cow<'_, str> {
    sanitize_keeping(s, false)
}

/// Like [`sanitize`], but newlines stay line breaks (multi-line CLI output).
pub fn sanitize_lines(s: &str) -> Cow<'_, str> {
    sanitize_keeping(s, true)
}

fn sanitize_keeping(s: &str, newlines: bool) -> Cow<'_, str> {
    let unsafe_here = |c: char| is_unsafe(c) && !(newlines && c == '\n');
    if !s.chars().any(unsafe_here) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if unsafe_here(c) {
            escaped(c, &mut out);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Display cells `s` takes.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

fn char_width(c: char) -> usize {
    UnicodeWidthChar::width(c).unwrap_or(0)
}

/// `s` cut to at most `max` cells, ending with `ellipsis` when cut.
pub fn fit(s: &str, max: usize, ellipsis: &str) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    let room = max.saturating_sub(width(ellipsis));
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = char_width(c);
        if used + w > room {
            break;
        }
        used += w;
        out.push(c);
    }
    if width(ellipsis) <= max {
        out.push_str(ellipsis);
    }
    out
}

/// `s` cut in the middle to at most `max` cells, so both ends stay readable: image names
/// of one family differ at the end (`web-frontend-v1.2.0`, `web-frontend-v1.3.0`).
pub fn fit_middle(s: &str, max: usize, ellipsis: &str) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    let room = max.saturating_sub(width(ellipsis));
    if room < 4 {
        return fit(s, max, ellipsis);
    }
    let tail_room = room * 2 / 5;
    let mut tail: Vec<char> = Vec::new();
    let mut used = 0;
    for c in s.chars().rev() {
        let w = char_width(c);
        if used + w > tail_room {
            break;
        }
        used += w;
        tail.push(c);
    }
    let head = fit(s, room - used, "");
    let tail: String = tail.into_iter().rev().collect();
    format!("{head}{ellipsis}{tail}")
}

/// `s` cut to `cells` and padded with spaces to exactly that width.
pub fn pad(s: &str, cells: usize, ellipsis: &str) -> String {
    let mut out = fit(s, cells, ellipsis);
    let w = width(&out);
    out.extend(std::iter::repeat_n(' ', cells.saturating_sub(w)));
    out
}

/// Like [`pad`], aligned right.
pub fn pad_left(s: &str, cells: usize, ellipsis: &str) -> String {
    let out = fit(s, cells, ellipsis);
    let w = width(&out);
    let mut padded: String = std::iter::repeat_n(' ', cells.saturating_sub(w)).collect();
    padded.push_str(&out);
    padded
}

/// The part of `s` from display column `skip`, at most `cells` wide (for a text input
/// scrolled sideways). A wide character cut by the left edge is left out.
pub fn window(s: &str, skip: usize, cells: usize) -> String {
    let mut out = String::new();
    let mut col = 0;
    let mut used = 0;
    for c in s.chars() {
        let w = char_width(c);
        if col < skip {
            col += w;
            continue;
        }
        if used + w > cells {
            break;
        }
        used += w;
        out.push(c);
    }
    out
}

/// `s` wrapped to lines at most `cells` wide, breaking at spaces where it can and
/// anywhere in a run without spaces (Chinese text has none).
pub fn wrap(s: &str, cells: usize) -> Vec<String> {
    wrap_hanging(s, cells, 0)
}

/// Like [`wrap`], with every line after the first indented by `indent` spaces (the
/// indent counts in the width).
pub fn wrap_hanging(s: &str, cells: usize, indent: usize) -> Vec<String> {
    let cells = cells.max(1);
    let indent = if indent >= cells { 0 } else { indent };
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut line_w = 0;
    let rest = cells - indent;
    let room = |lines: &Vec<String>| if lines.is_empty() { cells } else { rest };
    let push = |lines: &mut Vec<String>, line: &mut String| {
        let text = std::mem::take(line);
        let text = text.trim_end();
        if lines.is_empty() {
            lines.push(text.to_string());
        } else {
            lines.push(format!("{}{text}", " ".repeat(indent)));
        }
    };
    for (n, paragraph) in s.split('\n').enumerate() {
        if n > 0 {
            push(&mut lines, &mut line);
            line_w = 0;
        }
        for word in split_keep_spaces(paragraph) {
            let w = width(word);
            let max = room(&lines);
            if line_w + w <= max {
                line.push_str(word);
                line_w += w;
                continue;
            }
            if word.starts_with(' ') {
                push(&mut lines, &mut line);
                line_w = 0;
                continue;
            }
            // A run of Chinese has no spaces to break at: it fills the line instead.
            let wide = word.chars().any(|c| char_width(c) > 1);
            if w <= rest && line_w > 0 && !wide {
                push(&mut lines, &mut line);
                line.push_str(word);
                line_w = w;
                continue;
            }
            for c in word.chars() {
                let cw = char_width(c);
                if line_w + cw > room(&lines) && line_w > 0 {
                    push(&mut lines, &mut line);
                    line_w = 0;
                }
                line.push(c);
                line_w += cw;
            }
        }
    }
    push(&mut lines, &mut line);
    lines
}

fn split_keep_spaces(s: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut in_space = None;
    for (i, c) in s.char_indices() {
        let space = c == ' ';
        if in_space.is_some_and(|prev| prev != space) {
            parts.push(&s[start..i]);
            start = i;
        }
        in_space = Some(space);
    }
    if start < s.len() {
        parts.push(&s[start..]);
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_are_made_visible_never_passed_through() {
        assert_eq!(sanitize("a\x1b]0;pwned\x07b"), "a\\x1b]0;pwned\\x07b");
        assert_eq!(
            sanitize("\x1b]52;c;ZWNobw==\x07"),
            "\\x1b]52;c;ZWNobw==\\x07"
        );
        assert_eq!(sanitize("\u{9b}31m"), "\\x9b31m");
        assert_eq!(sanitize("\x1bP1$r\x1b\\"), "\\x1bP1$r\\x1b\\");
        assert_eq!(sanitize("x\u{7f}\r\n\t"), "x\\x7f\\r\\n\\t");
        assert_eq!(sanitize_lines("one\ntwo\x1b[2J"), "one\ntwo\\x1b[2J");
    }

    #[test]
    fn bidirectional_and_invisible_characters_are_named() {
        assert_eq!(sanitize("abc\u{202e}fed"), "abc\\u202efed");
        for (c, shown) in [
            ('\u{202a}', "\\u202a"),
            ('\u{202c}', "\\u202c"),
            ('\u{2066}', "\\u2066"),
            ('\u{2069}', "\\u2069"),
            ('\u{200b}', "\\u200b"),
            ('\u{200d}', "\\u200d"),
            ('\u{2060}', "\\u2060"),
            ('\u{feff}', "\\ufeff"),
            ('\u{e0041}', "\\U000e0041"),
        ] {
            assert_eq!(sanitize(&format!("a{c}b")), format!("a{shown}b"));
        }
        // Nothing a sanitised string holds is zero-width any more.
        let shown = sanitize("a\u{200b}b\u{200d}c\u{feff}");
        assert_eq!(width(&shown), shown.chars().count());
    }

    #[test]
    fn ordinary_text_is_borrowed_untouched() {
        for s in [
            "web-2024",
            "每日构建的镜像",
            "café ü",
            "emoji 👍🏽",
            r"C:\path",
        ] {
            assert!(matches!(sanitize(s), Cow::Borrowed(_)), "{s}");
        }
    }

    #[test]
    fn fit_counts_cells_and_never_splits_a_character() {
        assert_eq!(fit("镜像名称", 5, "…"), "镜像…");
        assert_eq!(width(&fit("镜像名称", 5, "…")), 5);
        assert_eq!(fit("web-01", 6, "…"), "web-01");
        assert_eq!(fit("web-010", 6, "…"), "web-0…");
        assert_eq!(fit("镜像", 1, "…"), "…");
        assert_eq!(fit("镜像", 0, "…"), "");
    }

    #[test]
    fn fit_middle_keeps_both_ends() {
        assert_eq!(
            fit_middle("web-frontend-v1.2.0", 17, "…"),
            "web-fronte…v1.2.0"
        );
        let cut = fit_middle("数据库主节点镜像-2024", 17, "…");
        assert!((16..=17).contains(&width(&cut)), "{cut}");
        assert!(cut.ends_with("-2024"), "{cut}");
        assert_eq!(fit_middle("short", 17, "…"), "short");
    }

    #[test]
    fn pad_fills_to_the_exact_width() {
        assert_eq!(pad("镜像名称", 5, "…"), "镜像…");
        assert_eq!(pad("镜", 5, "…"), "镜   ");
        assert_eq!(pad_left("40G", 5, "…"), "  40G");
    }

    #[test]
    fn window_scrolls_by_columns() {
        assert_eq!(window("ab镜像cd", 2, 4), "镜像");
        assert_eq!(window("ab镜像cd", 3, 4), "像cd");
    }

    #[test]
    fn hanging_wrap_indents_the_rest() {
        let lines = wrap_hanging("Description: 每日构建的镜像每日构建的镜像", 20, 4);
        assert!(lines[0].starts_with("Description: 每"), "{lines:?}");
        assert!(width(&lines[0]) >= 19 && width(&lines[0]) <= 20);
        for line in &lines[1..] {
            assert!(line.starts_with("    "), "{line:?}");
            assert!(width(line) <= 20, "{line:?}");
        }
        assert_eq!(
            lines.concat().replace(' ', ""),
            "Description:每日构建的镜像每日构建的镜像"
        );
    }

    #[test]
    fn wrap_breaks_words_and_chinese_runs() {
        assert_eq!(wrap("hello big world", 9), ["hello big", "world"]);
        assert_eq!(wrap("一二三四五", 4), ["一二", "三四", "五"]);
        for line in wrap("每日构建的镜像 nightly build of the web tier", 10) {
            assert!(width(&line) <= 10, "{line}");
        }
    }
}

//! JSON for a terminal: exact values, and still nothing a terminal would act on.
//!
//! `serde_json` escapes C0 controls but writes C1 controls (U+009B is a CSI to some
//! terminals), DEL, bidirectional overrides and invisible characters as they are. Here every
//! character the sanitiser calls unsafe is written as a `\uXXXX` escape instead: a JSON
//! reader gets back exactly the value ECS sent, a person reading the JSON on a terminal
//! sees the escape.

use std::io;

use serde::Serialize;
use serde_json::ser::{Formatter, PrettyFormatter};

use crate::ui::text::is_unsafe;

/// `value` as pretty JSON, every unsafe character escaped.
pub fn to_string_pretty<T: Serialize>(value: &T) -> serde_json::Result<String> {
    let mut out = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(&mut out, Safe(PrettyFormatter::new()));
    value.serialize(&mut ser)?;
    // The serializer writes only UTF-8 (escapes are ASCII).
    Ok(String::from_utf8(out).unwrap_or_default())
}

/// `value` as pretty JSON written to `writer` as it is serialized, every unsafe character
/// escaped: a large document (ten thousand images, the journal: its entries can come from
/// an iterator, see [`Lazy`]) is never held whole in memory.
pub fn to_writer_pretty<W: io::Write, T: Serialize>(
    writer: W,
    value: &T,
) -> serde_json::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(writer, Safe(PrettyFormatter::new()));
    value.serialize(&mut ser)
}

/// A sequence serialized from an iterator, once: what [`to_writer_pretty`] streams.
pub struct Lazy<I>(std::cell::RefCell<Option<I>>);

impl<I> Lazy<I> {
    pub fn new(items: I) -> Lazy<I> {
        Lazy(std::cell::RefCell::new(Some(items)))
    }
}

impl<I> Serialize for Lazy<I>
where
    I: Iterator,
    I::Item: Serialize,
{
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let items = self.0.borrow_mut().take();
        serializer.collect_seq(items.into_iter().flatten())
    }
}

/// `PrettyFormatter`, with string fragments escaped where the sanitiser would.
struct Safe(PrettyFormatter<'static>);

impl Formatter for Safe {
    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if !is_unsafe(c) {
                continue;
            }
            writer.write_all(&fragment.as_bytes()[start..i])?;
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                write!(writer, "\\u{unit:04x}")?;
            }
            start = i + c.len_utf8();
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }

    fn begin_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_stay_exact_and_the_terminal_safe() {
        let hostile = "a\u{1b}]0;pwned\u{7}\u{9b}2J\u{7f}\u{202e}\u{200b}\u{e0041} 镜像";
        let text = to_string_pretty(&serde_json::json!({ "description": hostile })).unwrap();
        assert!(
            !text.lines().flat_map(str::chars).any(is_unsafe),
            "{text:?}"
        );
        assert!(
            text.contains(r"\u009b2J\u007f\u202e\u200b\udb40\udc41 镜像"),
            "{text}"
        );
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back["description"], hostile);
        assert_eq!(
            to_string_pretty(&serde_json::json!({"a": [1, "b"]})).unwrap(),
            serde_json::to_string_pretty(&serde_json::json!({"a": [1, "b"]})).unwrap()
        );
    }
}

//! Reads one Rust source file for the module paths it names: every `use` (its tree spread
//! into one path per leaf) and every `crate::`/`super::`/`self::` path in the code, each
//! with the module it is written in (inline `mod name { … }` blocks included, so `super`
//! inside `mod tests` means the file itself) and its line. Comments and string literals
//! are blanked first: a path in a doc comment or a message is not an import.

/// A path as written, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The inline modules around it, outermost first (empty at the file's top level).
    pub inline: Vec<String>,
    /// The segments as written: `["super", "shared", "Shared"]`.
    pub segments: Vec<String>,
    pub line: usize,
}

/// What one file names.
#[derive(Debug, Default)]
pub struct Scan {
    pub references: Vec<Reference>,
    /// Child modules declared with `mod name;` at the file's top level.
    pub children: Vec<String>,
}

pub fn scan(text: &str) -> Scan {
    let code = blank(text);
    let chars: Vec<char> = code.chars().collect();
    let inline = inline_modules(&chars);
    let scope_at = |at: usize| -> Vec<String> {
        inline
            .iter()
            .filter(|m| m.open < at && at < m.close)
            .map(|m| m.name.clone())
            .collect()
    };
    let newlines: Vec<usize> = (0..chars.len()).filter(|&i| chars[i] == '\n').collect();
    let line_at = |at: usize| newlines.partition_point(|&n| n < at) + 1;
    let mut scan = Scan::default();
    let mut in_use = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if let Some(after) = keyword_at(&chars, i, "use") {
            let end = statement_end(&chars, after);
            let tree: String = chars[after..end].iter().collect();
            for segments in spread(&tree) {
                scan.references.push(Reference {
                    inline: scope_at(i),
                    segments,
                    line: line_at(i),
                });
            }
            in_use.push((i, end));
            i = end;
        } else if let Some(after) = keyword_at(&chars, i, "mod") {
            let (name, next) = ident_at(&chars, skip_space(&chars, after));
            let declared = chars.get(skip_space(&chars, next)) == Some(&';');
            if !name.is_empty() && declared && scope_at(i).is_empty() {
                scan.children.push(name);
            }
            i = next.max(i + 1);
        } else {
            i += 1;
        }
    }
    let inside_use = |at: usize| in_use.iter().any(|&(s, e)| s <= at && at < e);
    for head in ["crate", "super", "self"] {
        let mut i = 0;
        while i < chars.len() {
            match keyword_at(&chars, i, head) {
                Some(after) if !inside_use(i) && chars[after..].starts_with(&[':', ':']) => {
                    let (segments, end) = path_at(&chars, i);
                    scan.references.push(Reference {
                        inline: scope_at(i),
                        segments,
                        line: line_at(i),
                    });
                    i = end;
                }
                _ => i += 1,
            }
        }
    }
    scan
}

/// The text with every comment and string or char literal turned into spaces (newlines
/// kept, so lines and offsets still match the file).
pub fn blank(text: &str) -> String {
    let c: Vec<char> = text.chars().collect();
    let mut out = c.clone();
    let wipe = |out: &mut Vec<char>, from: usize, to: usize| {
        for ch in &mut out[from..to.min(c.len())] {
            if *ch != '\n' {
                *ch = ' ';
            }
        }
    };
    let ident = |i: usize| i > 0 && (c[i - 1].is_alphanumeric() || c[i - 1] == '_');
    let mut i = 0;
    while i < c.len() {
        if c[i..].starts_with(&['/', '/']) {
            let end = c[i..]
                .iter()
                .position(|&ch| ch == '\n')
                .map_or(c.len(), |n| i + n);
            wipe(&mut out, i, end);
            i = end;
        } else if c[i..].starts_with(&['/', '*']) {
            let (mut depth, mut j) = (0, i);
            while j < c.len() {
                if c[j..].starts_with(&['/', '*']) {
                    depth += 1;
                    j += 2;
                } else if c[j..].starts_with(&['*', '/']) {
                    depth -= 1;
                    j += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    j += 1;
                }
            }
            wipe(&mut out, i, j);
            i = j;
        } else if let Some((hashes, open)) = raw_string_at(&c, i).filter(|_| !ident(i)) {
            let close: Vec<char> = std::iter::once('"')
                .chain((0..hashes).map(|_| '#'))
                .collect();
            let end = (open..c.len())
                .find(|&j| c[j..].starts_with(&close))
                .map_or(c.len(), |j| j + close.len());
            wipe(&mut out, i, end);
            i = end;
        } else if c[i] == '"' {
            let mut j = i + 1;
            while j < c.len() && c[j] != '"' {
                j += if c[j] == '\\' { 2 } else { 1 };
            }
            wipe(&mut out, i, j + 1);
            i = j + 1;
        } else if c[i] == '\'' {
            // A char literal ('a', '\n', '\'', '\u{1b}'), or else a lifetime ('a, '_).
            let end = if c.get(i + 1) == Some(&'\\') {
                (i + 3..c.len()).find(|&j| c[j] == '\'').map(|j| j + 1)
            } else if c.get(i + 2) == Some(&'\'') {
                Some(i + 3)
            } else {
                None
            };
            match end {
                Some(end) => {
                    wipe(&mut out, i, end);
                    i = end;
                }
                None => i += 1,
            }
        } else {
            i += 1;
        }
    }
    out.into_iter().collect()
}

/// `r"`, `r#"`, `br##"` at `i`: the number of hashes and where the contents start.
fn raw_string_at(c: &[char], i: usize) -> Option<(usize, usize)> {
    let r = if c[i] == 'b' && c.get(i + 1) == Some(&'r') {
        i + 1
    } else if c[i] == 'r' {
        i
    } else {
        return None;
    };
    let hashes = c[r + 1..].iter().take_while(|&&ch| ch == '#').count();
    (c.get(r + 1 + hashes) == Some(&'"')).then_some((hashes, r + 2 + hashes))
}

struct InlineModule {
    name: String,
    open: usize,
    close: usize,
}

/// Every `mod name { … }` with the offsets of its braces.
fn inline_modules(c: &[char]) -> Vec<InlineModule> {
    let mut found = Vec::new();
    for i in 0..c.len() {
        let Some(after) = keyword_at(c, i, "mod") else {
            continue;
        };
        let (name, next) = ident_at(c, skip_space(c, after));
        let open = skip_space(c, next);
        if name.is_empty() || c.get(open) != Some(&'{') {
            continue;
        }
        let mut depth = 0;
        let mut close = c.len();
        for (j, &ch) in c.iter().enumerate().skip(open) {
            match ch {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        close = j;
                        break;
                    }
                }
                _ => {}
            }
        }
        found.push(InlineModule { name, open, close });
    }
    found
}

fn is_ident(ch: char) -> bool {
    ch.is_alphanumeric() || ch == '_'
}

/// `word` as a whole token at `i` (not part of a longer name or path): where it ends.
fn keyword_at(c: &[char], i: usize, word: &str) -> Option<usize> {
    let mut end = i;
    for ch in word.chars() {
        if c.get(end) != Some(&ch) {
            return None;
        }
        end += 1;
    }
    let before_ok = i == 0 || !(is_ident(c[i - 1]) || c[i - 1] == ':' || c[i - 1] == '#');
    let after_ok = c.get(end).is_none_or(|&ch| !is_ident(ch));
    (before_ok && after_ok).then_some(end)
}

fn skip_space(c: &[char], mut i: usize) -> usize {
    while c.get(i).is_some_and(|ch| ch.is_whitespace()) {
        i += 1;
    }
    i
}

fn ident_at(c: &[char], i: usize) -> (String, usize) {
    let len = c[i.min(c.len())..]
        .iter()
        .take_while(|&&ch| is_ident(ch))
        .count();
    (c[i..i + len].iter().collect(), i + len)
}

/// `a::b::c` from `i` on, with where it ends.
fn path_at(c: &[char], mut i: usize) -> (Vec<String>, usize) {
    let mut segments = Vec::new();
    loop {
        let (name, next) = ident_at(c, i);
        if name.is_empty() {
            break;
        }
        segments.push(name);
        i = next;
        if c[i..].starts_with(&[':', ':']) && c.get(i + 2).is_some_and(|&ch| is_ident(ch)) {
            i += 2;
        } else {
            break;
        }
    }
    (segments, i)
}

/// The `;` that ends the statement starting at `i` (outside any braces).
fn statement_end(c: &[char], i: usize) -> usize {
    let mut depth = 0i32;
    for (j, &ch) in c.iter().enumerate().skip(i) {
        match ch {
            '{' => depth += 1,
            '}' => depth -= 1,
            ';' if depth == 0 => return j,
            _ => {}
        }
    }
    c.len()
}

/// A use tree (`a::{b, c::{d, e as f}, self}`) as one path per leaf; `self` and `*` name
/// the prefix itself, and an alias is dropped.
pub fn spread(tree: &str) -> Vec<Vec<String>> {
    // One space between words, none around punctuation: `e as f` stays apart.
    let words = tree.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut tight = String::new();
    for (i, ch) in words.char_indices() {
        let near = |c: Option<char>| c.is_some_and(|c| ":{},".contains(c));
        if ch == ' ' && (near(words[..i].chars().last()) || near(words[i + 1..].chars().next())) {
            continue;
        }
        tight.push(ch);
    }
    let mut paths = Vec::new();
    spread_into(&mut paths, &[], &tight);
    paths
}

fn spread_into(paths: &mut Vec<Vec<String>>, prefix: &[String], tree: &str) {
    for part in split_top(tree) {
        let mut path = prefix.to_vec();
        match part.find('{') {
            Some(open) => {
                path.extend(segments(&part[..open]));
                let inner = &part[open + 1..part.rfind('}').unwrap_or(part.len())];
                spread_into(paths, &path, inner);
            }
            None => {
                let leaf = part.split(" as ").next().unwrap_or(part);
                path.extend(segments(leaf).filter(|s| s != "self" || prefix.is_empty()));
                if !path.is_empty() {
                    paths.push(path);
                }
            }
        }
    }
}

fn segments(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split("::")
        .filter(|s| !s.is_empty() && *s != "*")
        .map(str::to_string)
}

/// Splits at the commas outside braces.
fn split_top(tree: &str) -> Vec<&str> {
    let (mut parts, mut depth, mut start) = (Vec::new(), 0, 0);
    for (i, ch) in tree.char_indices() {
        match ch {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&tree[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&tree[start..]);
    parts.into_iter().filter(|p| !p.is_empty()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(text: &str) -> Vec<String> {
        let mut found: Vec<String> = scan(text)
            .references
            .into_iter()
            .map(|r| {
                let mut s = r.inline.join("/");
                if !s.is_empty() {
                    s.push(' ');
                }
                s + &r.segments.join("::")
            })
            .collect();
        found.sort();
        found
    }

    #[test]
    fn a_use_tree_is_spread_into_one_path_per_leaf() {
        assert_eq!(
            spread("crate::ecs::{\n  model::{Image, Tag},\n  error::ApiError as E, self,\n}"),
            [
                vec!["crate", "ecs", "model", "Image"],
                vec!["crate", "ecs", "model", "Tag"],
                vec!["crate", "ecs", "error", "ApiError"],
                vec!["crate", "ecs"],
            ]
        );
        assert_eq!(spread("super::*"), [vec!["super"]]);
        assert_eq!(
            spread("crate::ecs::timefmt::{format_timestamp as rpc_timestamp}"),
            [vec!["crate", "ecs", "timefmt", "format_timestamp"]]
        );
    }

    #[test]
    fn paths_in_comments_and_strings_are_not_imports() {
        let text = r##"
            //! See [`crate::ui::draw`].
            /* use crate::cli; /* nested */ crate::term */
            const A: &str = "crate::sim::start";
            const B: &str = r#"use crate::cli;"#;
            const C: char = '"';
            fn f<'a>(x: &'a str) -> char { '\'' }
            use crate::rules::Field;
        "##;
        assert_eq!(paths(text), ["crate::rules::Field"]);
    }

    #[test]
    fn code_paths_count_and_inline_modules_are_scopes() {
        let text = "
            mod child;
            pub(super) fn f() { super::shared::lock(); crate::ecs::sign::sign(); }
            #[cfg(test)]
            mod tests {
                use super::*;
                fn g() { self::h(); }
            }
        ";
        assert_eq!(
            paths(text),
            [
                "crate::ecs::sign::sign",
                "super::shared::lock",
                "tests self::h",
                "tests super",
            ]
        );
        assert_eq!(scan(text).children, ["child"]);
    }

    #[test]
    fn lines_are_counted_from_the_file() {
        let refs = scan("/* a\nb */\n\nuse crate::x;").references;
        assert_eq!(refs[0].line, 4);
    }
}

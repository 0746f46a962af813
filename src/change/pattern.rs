//! Renaming many images with one pattern: `{name}`, `{family}`, `{date}` and `{n}` are
//! replaced per image; every other character is kept as typed. `{{` and `}}` write a
//! brace (which no image name accepts, but the rule says so, not the pattern).
//!
//! `{date}` is the image's own creation date (`2024-06-01`), not today's: renaming a
//! release train by a convention needs each image's date, and a plan must not depend on
//! the clock. `{n}` counts the batch from 1 in the order the plan lists the images.

use crate::ecs::model::Image;

/// Why a pattern cannot be used, said for a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError(pub String);

impl std::fmt::Display for PatternError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The placeholders a pattern may hold, as the screens list them.
pub const PLACEHOLDERS: &str = "{name}, {family}, {date}, {n}";

/// The name `pattern` gives `image`, the `n`th of its batch (from 1).
pub fn render(pattern: &str, image: &Image, n: usize) -> Result<String, PatternError> {
    let mut out = String::new();
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                out.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                out.push('}');
            }
            '{' => {
                let mut name = String::new();
                let mut closed = false;
                for c in chars.by_ref() {
                    if c == '}' {
                        closed = true;
                        break;
                    }
                    name.push(c);
                }
                if !closed {
                    return Err(PatternError(format!(
                        "an unclosed {{ in the pattern: close it with }}, or write {{{{ for a brace (placeholders: {PLACEHOLDERS})"
                    )));
                }
                match name.as_str() {
                    "name" => out.push_str(&image.image_name),
                    "family" => out.push_str(&image.image_family),
                    "date" => out.push_str(image.created_date()),
                    "n" => out.push_str(&n.to_string()),
                    other => {
                        return Err(PatternError(format!(
                            "{{{other}}} is not a placeholder: use {PLACEHOLDERS}"
                        )))
                    }
                }
            }
            other => out.push(other),
        }
    }
    Ok(out)
}

/// Whether `text` uses any placeholder (a plain name renames every image alike).
pub fn has_placeholder(text: &str) -> bool {
    text.contains('{')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image() -> Image {
        Image {
            image_id: "m-1".into(),
            image_name: "web".into(),
            image_family: "prod".into(),
            creation_time: "2024-06-01T08:00:00Z".into(),
            ..Image::default()
        }
    }

    #[test]
    fn placeholders_take_the_image_s_values() {
        assert_eq!(
            render("{family}-{name}-{date}-{n}", &image(), 7).unwrap(),
            "prod-web-2024-06-01-7"
        );
        assert_eq!(render("{{x}}", &image(), 1).unwrap(), "{x}");
        assert_eq!(render("plain", &image(), 1).unwrap(), "plain");
    }

    #[test]
    fn an_unknown_or_unclosed_placeholder_says_what_is_allowed() {
        let e = render("web-{dat}", &image(), 1).unwrap_err();
        assert!(e.0.contains("{dat} is not a placeholder"), "{e}");
        assert!(e.0.contains("{name}, {family}, {date}, {n}"), "{e}");
        let e = render("web-{name", &image(), 1).unwrap_err();
        assert!(e.0.contains("unclosed"), "{e}");
    }
}

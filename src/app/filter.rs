//! The `/` filter's language, and what it searches, prepared once per image.
//!
//! - Words separated by spaces must all match (AND).
//! - A plain word matches the name, ID, family or description, case-insensitively.
//! - `field:value` matches one field: `name:`, `id:`, `family:`, `os:`, `region:` contain
//!   the value; `status:` starts with it (`status:avail` is Available, not UnAvailable).
//! - `!` before a word or a `field:value` negates it: `!status:deprecated`, `!nightly`.
//! - A word whose `field:` is not one of these is matched as plain text, and
//!   [`Query::notes`] says so: a typo never filters in silence.
//!
//! [`Haystack`] is built when an image is loaded (lowercased once), so a keystroke only
//! scans prepared text: no allocation per image per key.

use std::cmp::Ordering;

use crate::ecs::model::Image;

/// A field a term can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterField {
    Name,
    Id,
    Family,
    Status,
    Os,
    Region,
}

impl FilterField {
    pub const ALL: [FilterField; 6] = [
        FilterField::Status,
        FilterField::Family,
        FilterField::Name,
        FilterField::Id,
        FilterField::Os,
        FilterField::Region,
    ];

    /// How the field is written before its `:`.
    pub fn name(self) -> &'static str {
        match self {
            FilterField::Name => "name",
            FilterField::Id => "id",
            FilterField::Family => "family",
            FilterField::Status => "status",
            FilterField::Os => "os",
            FilterField::Region => "region",
        }
    }

    fn parse(text: &str) -> Option<FilterField> {
        FilterField::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(text))
    }

    /// The slot of the field in a [`Haystack`].
    fn slot(self) -> usize {
        match self {
            FilterField::Name => 0,
            FilterField::Id => 1,
            FilterField::Family => 2,
            FilterField::Status => 4,
            FilterField::Os => 5,
            FilterField::Region => 6,
        }
    }
}

/// One image's searchable text, lowercased: name, ID, family, description, status, OS and
/// region, one after the other.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Haystack {
    text: String,
    /// Where each slot ends in `text`.
    ends: [u32; 7],
}

impl Haystack {
    pub fn of(image: &Image) -> Haystack {
        let os = if image.os_name_en.is_empty() {
            &image.os_name
        } else {
            &image.os_name_en
        };
        let parts = [
            image.image_name.as_str(),
            image.image_id.as_str(),
            image.image_family.as_str(),
            image.description.as_str(),
            image.status.as_str(),
            os.as_str(),
            image.region_id.as_str(),
        ];
        let mut text = String::with_capacity(parts.iter().map(|p| p.len() + 1).sum());
        let mut ends = [0u32; 7];
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                // A separator no needle holds, so a word never matches across two fields.
                text.push('\n');
            }
            if part.is_ascii() {
                text.extend(part.chars().map(|c| c.to_ascii_lowercase()));
            } else {
                text.push_str(&part.to_lowercase());
            }
            ends[i] = text.len() as u32;
        }
        Haystack { text, ends }
    }

    fn slot(&self, i: usize) -> &str {
        let start = if i == 0 {
            0
        } else {
            self.ends[i - 1] as usize + 1
        };
        &self.text[start..self.ends[i] as usize]
    }

    /// Name, ID, family and description: what a plain word searches.
    fn plain(&self) -> &str {
        &self.text[..self.ends[3] as usize]
    }

    /// The lowercased name, for sorting.
    pub fn name(&self) -> &str {
        self.slot(0)
    }

    /// The lowercased family, for sorting.
    pub fn family(&self) -> &str {
        self.slot(2)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Term {
    field: Option<FilterField>,
    /// Lowercased.
    needle: String,
    negate: bool,
}

/// A parsed filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    terms: Vec<Term>,
    /// What the person should know about how it was read.
    pub notes: Vec<String>,
}

impl Query {
    pub fn parse(text: &str) -> Query {
        let mut query = Query::default();
        for word in text.split_whitespace() {
            let (negate, word) = match word.strip_prefix('!') {
                Some(rest) => (true, rest),
                None => (false, word),
            };
            let (field, needle) = match word.split_once(':') {
                Some((name, value)) => match FilterField::parse(name) {
                    Some(field) => (Some(field), value),
                    None => {
                        let known: Vec<&str> = FilterField::ALL.iter().map(|f| f.name()).collect();
                        query.notes.push(format!(
                            "{name}: is not a field ({}): matched as text",
                            known.join(", ")
                        ));
                        (None, word)
                    }
                },
                None => (None, word),
            };
            // `status:` or `!` alone: still being typed; it filters nothing yet.
            if needle.is_empty() {
                continue;
            }
            query.terms.push(Term {
                field,
                needle: needle.to_lowercase(),
                negate,
            });
        }
        query
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    pub fn matches(&self, hay: &Haystack) -> bool {
        self.terms.iter().all(|t| {
            let found = match t.field {
                None => hay.plain().contains(&t.needle),
                Some(FilterField::Status) => hay.slot(4).starts_with(&t.needle),
                Some(field) => hay.slot(field.slot()).contains(&t.needle),
            };
            found != t.negate
        })
    }
}

/// Compares as a person reads: runs of digits by their number (`v2` before `v10`), the
/// rest character by character. Both sides are expected lowercased.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a.as_bytes(), b.as_bytes());
    loop {
        match (a.first(), b.first()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let (da, ra) = split_digits(a);
                let (db, rb) = split_digits(b);
                let (na, nb) = (trim_zeros(da), trim_zeros(db));
                let by_number = na.len().cmp(&nb.len()).then_with(|| na.cmp(nb));
                // Equal numbers: fewer leading zeros first, so the order is total.
                let order = by_number.then_with(|| da.len().cmp(&db.len()));
                if order != Ordering::Equal {
                    return order;
                }
                (a, b) = (ra, rb);
            }
            (Some(x), Some(y)) => {
                if x != y {
                    // Bytes of UTF-8 compare in code point order.
                    return x.cmp(y);
                }
                (a, b) = (&a[1..], &b[1..]);
            }
        }
    }
}

fn split_digits(s: &[u8]) -> (&[u8], &[u8]) {
    let n = s.iter().take_while(|c| c.is_ascii_digit()).count();
    s.split_at(n)
}

fn trim_zeros(s: &[u8]) -> &[u8] {
    let n = s.iter().take_while(|c| **c == b'0').count();
    &s[n.min(s.len().saturating_sub(1))..]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ecs::model::ImageStatus;

    fn img(name: &str, family: &str, status: ImageStatus, os: &str) -> Image {
        Image {
            image_id: format!("m-{name}"),
            image_name: name.into(),
            image_family: family.into(),
            description: "nginx and 数据库".into(),
            status,
            os_name_en: os.into(),
            region_id: "cn-shanghai".into(),
            ..Image::default()
        }
    }

    fn hits(query: &str, image: &Image) -> bool {
        Query::parse(query).matches(&Haystack::of(image))
    }

    #[test]
    fn field_terms_negation_and_plain_words() {
        let web = img("Web-v2", "web", ImageStatus::Deprecated, "Ubuntu 22.04");
        assert!(hits("status:Deprecated", &web));
        assert!(hits("status:dep family:web", &web));
        assert!(!hits("status:Available", &web));
        assert!(hits("!status:available", &web));
        assert!(!hits("!family:web", &web));
        assert!(hits("name:web-v id:m-web os:ubuntu region:shanghai", &web));
        assert!(
            hits("NGINX 数据", &web),
            "plain words search the description"
        );
        assert!(
            !hits("deprecated", &web),
            "a plain word does not search the status"
        );
        assert!(
            hits("status: !", &web),
            "terms still being typed filter nothing"
        );
        let unavailable = img("x", "", ImageStatus::UnAvailable, "");
        assert!(!hits("status:available", &unavailable));
        assert!(hits("status:unavail", &unavailable));
    }

    #[test]
    fn an_unknown_field_is_matched_as_text_and_said() {
        let q = Query::parse("fmaily:web");
        assert_eq!(q.notes.len(), 1);
        assert!(
            q.notes[0].starts_with("fmaily: is not a field"),
            "{:?}",
            q.notes
        );
        let mut image = img("a", "", ImageStatus::Available, "");
        assert!(!q.matches(&Haystack::of(&image)));
        image.description = "see fmaily:web".into();
        assert!(q.matches(&Haystack::of(&image)));
    }

    #[test]
    fn a_word_never_matches_across_two_fields() {
        let image = img("abc", "def", ImageStatus::Available, "");
        assert!(hits("m-abc", &image));
        assert!(!hits("cm-abc", &image), "the name's end and the ID's start");
        assert!(!hits("name:abcm", &image));
    }

    #[test]
    fn natural_order_reads_numbers_as_numbers() {
        let mut names = vec![
            "web-v10", "web-v2", "web-v1", "web-v02", "web", "web-v1a", "api-9",
        ];
        names.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            names,
            ["api-9", "web", "web-v1", "web-v1a", "web-v2", "web-v02", "web-v10"]
        );
        assert_eq!(natural_cmp("v0", "v00"), Ordering::Less);
        assert_eq!(natural_cmp("数据-2", "数据-10"), Ordering::Less);
        assert_eq!(
            natural_cmp("x99999999999999999999999", "x100000000000000000000000"),
            Ordering::Less
        );
    }
}

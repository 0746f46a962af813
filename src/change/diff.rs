//! Before → after, built once: the field changes a journal entry records and the lines the
//! confirm dialog, the result panel, the journal view and the CLI print from them. Values
//! are worded here once ("(not set)" for an empty one); each writer only lays them out
//! and makes them safe for its terminal.

use serde::{Deserialize, Serialize};

use crate::ecs::model::Image;
use crate::rules::Field;

use super::edit::ImageChanges;

/// One field's value before and after a change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: Field,
    pub before: String,
    pub after: String,
}

/// The field changes `changes` make to `before`, in form order.
pub fn field_changes(before: &Image, changes: &ImageChanges) -> Vec<FieldChange> {
    changes
        .values()
        .into_iter()
        .map(|(field, after)| FieldChange {
            field,
            before: field.value_of(before),
            after,
        })
        .collect()
}

/// One line of a diff, worded for a person: what changes, and its two values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffLine {
    pub label: String,
    pub before: String,
    pub after: String,
}

impl DiffLine {
    /// "Label: before → after", for a line that holds several (`arrow` is `→` or `->`).
    pub fn inline(&self, arrow: &str) -> String {
        format!("{}: {} {arrow} {}", self.label, self.before, self.after)
    }
}

/// The diff lines of `changes`.
pub fn lines(changes: &[FieldChange]) -> Vec<DiffLine> {
    changes
        .iter()
        .map(|c| DiffLine {
            label: c.field.label().to_string(),
            before: shown(&c.before),
            after: shown(&c.after),
        })
        .collect()
}

/// Several changes on one line: "Name: a → b; Status: Available → Deprecated".
pub fn inline(changes: &[FieldChange], arrow: &str) -> String {
    lines(changes)
        .iter()
        .map(|l| l.inline(arrow))
        .collect::<Vec<_>>()
        .join("; ")
}

/// A value as a diff shows it: `(not set)` when empty, quoted when spaces at its ends would
/// otherwise be invisible.
pub fn shown(value: &str) -> String {
    if value.is_empty() {
        "(not set)".to_string()
    } else if value.trim() != value {
        format!("{value:?}")
    } else {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ecs::model::ImageStatus;

    #[test]
    fn the_diff_has_every_changed_field_in_form_order_with_one_wording() {
        let before = Image {
            image_name: "web".into(),
            status: ImageStatus::Available,
            ..Image::default()
        };
        let changes = ImageChanges {
            status: Some(ImageStatus::Deprecated),
            description: Some(" padded ".into()),
            image_name: Some("web-2".into()),
            ..ImageChanges::default()
        };
        let diff = field_changes(&before, &changes);
        assert_eq!(
            diff.iter().map(|c| c.field).collect::<Vec<_>>(),
            [Field::ImageName, Field::Description, Field::Status]
        );
        let lines = lines(&diff);
        assert_eq!(lines[1].before, "(not set)");
        assert_eq!(lines[1].after, "\" padded \"");
        assert_eq!(
            inline(&diff, "->"),
            "Name: web -> web-2; Description: (not set) -> \" padded \"; \
             Status: Available -> Deprecated"
        );
    }
}

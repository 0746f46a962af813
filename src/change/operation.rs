//! What a change does, independent of the screen that asked for it: an [`Operation`]
//! applied to a target set of images ([`Change`]).
//!
//! Today there is one operation, `Modify`. Sharing, tags, copies and deletion come as
//! further variants: each answers the questions below in one arm per method, and the
//! screens, the journal and the executor ask only these methods.

use std::collections::BTreeMap;

use crate::ecs::model::{Image, ImageStatus};
use crate::rules::{self, Problem};

use super::diff::{self, field_changes, DiffLine, FieldChange};
use super::edit::ImageChanges;

/// One thing to do to an image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Operation {
    /// ModifyImageAttribute: new values for some editable fields.
    Modify(ImageChanges),
}

impl Operation {
    /// The API action that carries it.
    pub fn action(&self) -> &'static str {
        match self {
            Operation::Modify(_) => "ModifyImageAttribute",
        }
    }

    /// The request parameters for `image_id` (without the region, which the client adds).
    pub fn params(&self, image_id: &str) -> BTreeMap<String, String> {
        let mut params = match self {
            Operation::Modify(changes) => changes.params(),
        };
        params.insert("ImageId".into(), image_id.to_string());
        params
    }

    /// The part of it `before` does not hold already: what is worth sending.
    pub fn for_image(&self, before: &Image) -> Operation {
        match self {
            Operation::Modify(changes) => Operation::Modify(changes.only_differences(before)),
        }
    }

    /// It would change nothing.
    pub fn is_empty(&self) -> bool {
        match self {
            Operation::Modify(changes) => changes.is_empty(),
        }
    }

    /// What it does to `before`, one entry per field: the journal's record and the source
    /// of every diff on screen.
    pub fn diff(&self, before: &Image) -> Vec<FieldChange> {
        match self {
            Operation::Modify(changes) => field_changes(before, changes),
        }
    }

    /// What it does to `before`, worded for a person: every screen and the CLI print these.
    pub fn diff_lines(&self, before: &Image) -> Vec<DiffLine> {
        match self {
            Operation::Modify(_) => diff::lines(&self.diff(before)),
        }
    }

    /// `before` as it is once the operation is applied.
    pub fn after(&self, before: &Image) -> Image {
        match self {
            Operation::Modify(changes) => changes.apply_to(before),
        }
    }

    /// Why ECS would refuse it for `before`; empty when it should accept it.
    pub fn problems(&self, before: &Image) -> Vec<Problem> {
        match self {
            Operation::Modify(changes) => rules::validate(&changes.values(), before),
        }
    }

    /// The status and the family it gives the image, when it touches either: what the
    /// family impact is asked about.
    pub fn family_move(&self) -> Option<(Option<&ImageStatus>, Option<&str>)> {
        match self {
            Operation::Modify(changes) => {
                let touches = changes.status.is_some() || changes.image_family.is_some();
                touches.then_some((changes.status.as_ref(), changes.image_family.as_deref()))
            }
        }
    }

    /// Whether undo can put the image back as it was (a deletion could not).
    pub fn reversible(&self) -> bool {
        match self {
            Operation::Modify(_) => true,
        }
    }

    /// How a confirmation asks for it: "Apply 2 changes".
    pub fn question(&self) -> String {
        match self {
            Operation::Modify(changes) => {
                let n = changes.fields().len();
                format!("Apply {n} change{}", if n == 1 { "" } else { "s" })
            }
        }
    }

    /// The fields it sets, for the edit screens (`None` for an operation that is not an
    /// edit).
    pub fn changes(&self) -> Option<&ImageChanges> {
        match self {
            Operation::Modify(changes) => Some(changes),
        }
    }
}

/// An operation on a target set of images, each as it was read before the change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub operation: Operation,
    pub targets: Vec<Image>,
}

impl Change {
    /// `operation` on one image.
    pub fn one(before: Image, operation: Operation) -> Change {
        Change {
            operation,
            targets: vec![before],
        }
    }

    /// A modification of one image.
    pub fn modify(before: Image, changes: ImageChanges) -> Change {
        Change::one(before, Operation::Modify(changes))
    }

    /// The first target (the only one for a change made from the form or a picker).
    pub fn image(&self) -> &Image {
        // A change is built with at least one target; an empty set has nothing to show.
        static NONE: std::sync::OnceLock<Image> = std::sync::OnceLock::new();
        self.targets
            .first()
            .unwrap_or_else(|| NONE.get_or_init(Image::default))
    }

    /// The IDs of the targets.
    pub fn image_ids(&self) -> Vec<&str> {
        self.targets.iter().map(|i| i.image_id.as_str()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_what_differs_is_sent_and_the_request_names_the_image() {
        let before = Image {
            image_id: "m-1".into(),
            image_name: "web".into(),
            ..Image::default()
        };
        let op = Operation::Modify(ImageChanges {
            image_name: Some("web".into()),
            status: Some(ImageStatus::Deprecated),
            ..ImageChanges::default()
        })
        .for_image(&before);
        let params = op.params("m-1");
        assert_eq!(params.get("ImageId").map(String::as_str), Some("m-1"));
        assert_eq!(params.get("Status").map(String::as_str), Some("Deprecated"));
        assert!(!params.contains_key("ImageName"), "{params:?}");
        assert_eq!(op.question(), "Apply 1 change");
        assert_eq!(op.after(&before).status, ImageStatus::Deprecated);
        assert!(op.reversible());
        assert!(Operation::Modify(ImageChanges::default()).is_empty());
    }
}

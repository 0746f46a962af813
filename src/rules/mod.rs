//! The rules of ECS, in one place: what each field accepts (the same codes the API returns)
//! and what a change does to an image family. The TUI, the CLI and the simulator all ask
//! here, so they never disagree.

mod family;
mod fields;

pub use family::{family_impact, FamilyFacts, FamilyImpact, Severity};
pub use fields::{
    check_field, check_transition, choices, is_chinese, is_name_start, malformed_code, max_len,
    Problem, DESCRIPTION_MAX, MIN_LEN, NAME_MAX,
};

use crate::ecs::model::{Field, Image, ImageChanges, ImageStatus};

/// Every problem with `changes` against `before`, in form order. Empty means ECS should
/// accept them.
pub fn validate(changes: &ImageChanges, before: &Image) -> Vec<Problem> {
    let fields = changes.fields();
    if let (Some(first), Some(problem)) = (fields.first(), still_creating(before)) {
        // ECS refuses every change to an image still being created, whatever the field.
        return vec![Problem {
            field: *first,
            ..problem
        }];
    }
    changes
        .fields()
        .into_iter()
        .filter_map(|field| {
            let value = changes.get(field)?;
            check_field(field, &value).or_else(|| check_transition(field, &value, before))
        })
        .collect()
}

/// Why `image` cannot be changed at all yet, if it cannot.
pub fn still_creating(image: &Image) -> Option<Problem> {
    matches!(image.status, ImageStatus::Creating | ImageStatus::Waiting).then(|| Problem {
        field: Field::Status,
        code: "InvalidStatus.ImageIsCreating",
        message: "the image is still being created: it cannot be changed until it is Available"
            .to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validate_reports_every_bad_field_in_form_order() {
        let before = Image::default();
        let changes = ImageChanges {
            image_name: Some("1bad".into()),
            description: Some("ok description".into()),
            boot_mode: Some("EFI".into()),
            ..ImageChanges::default()
        };
        let problems = validate(&changes, &before);
        let fields: Vec<Field> = problems.iter().map(|p| p.field).collect();
        assert_eq!(fields, vec![Field::ImageName, Field::BootMode]);
    }

    #[test]
    fn nothing_about_a_creating_image_can_change() {
        let before = Image {
            status: ImageStatus::Creating,
            ..Image::default()
        };
        let changes = ImageChanges {
            description: Some("fine text".into()),
            ..ImageChanges::default()
        };
        let problems = validate(&changes, &before);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].code, "InvalidStatus.ImageIsCreating");
        assert_eq!(problems[0].field, Field::Description);
    }
}

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

use crate::ecs::model::{Image, ImageChanges};

/// Every problem with `changes` against `before`, in form order. Empty means ECS should
/// accept them.
pub fn validate(changes: &ImageChanges, before: &Image) -> Vec<Problem> {
    changes
        .fields()
        .into_iter()
        .filter_map(|field| {
            let value = changes.get(field)?;
            check_field(field, &value).or_else(|| check_transition(field, &value, before))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ecs::model::Field;

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
}

//! The rules of ECS, in one place: what each field accepts (the same codes the API returns)
//! and what a change does to an image family. The TUI, the CLI and the simulator all ask
//! here, so they never disagree.

mod family;
mod fields;

pub use family::{family_impact, FamilyFacts, FamilyImpact, Severity};
pub use fields::{
    check_field, check_transition, choices, is_chinese, is_name_start, malformed_code, max_len,
    Field, Problem, DESCRIPTION_MAX, MIN_LEN, NAME_MAX,
};

use crate::ecs::model::{Image, ImageStatus};

/// Every problem with the values `wanted` (field, new value) against `before`, in the order
/// given. Empty means ECS should accept them.
pub fn validate(wanted: &[(Field, String)], before: &Image) -> Vec<Problem> {
    if let (Some((first, _)), Some(problem)) = (wanted.first(), still_creating(before)) {
        // ECS refuses every change to an image still being created, whatever the field.
        return vec![Problem {
            field: *first,
            ..problem
        }];
    }
    wanted
        .iter()
        .filter_map(|(field, value)| {
            check_field(*field, value).or_else(|| check_transition(*field, value, before))
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

    fn wanted(pairs: &[(Field, &str)]) -> Vec<(Field, String)> {
        pairs.iter().map(|(f, v)| (*f, v.to_string())).collect()
    }

    #[test]
    fn validate_reports_every_bad_field_in_form_order() {
        let before = Image::default();
        let changes = wanted(&[
            (Field::ImageName, "1bad"),
            (Field::Description, "ok description"),
            (Field::BootMode, "EFI"),
        ]);
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
        let problems = validate(&wanted(&[(Field::Description, "fine text")]), &before);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].code, "InvalidStatus.ImageIsCreating");
        assert_eq!(problems[0].field, Field::Description);
    }

    #[test]
    fn a_problem_is_said_one_way() {
        let p = check_field(Field::ImdsSupport, "v3").unwrap();
        assert_eq!(
            p.to_string(),
            "IMDS: must be one of v1, v2 (InvalidParameter.FeaturesImdsSupport)"
        );
        assert_eq!(
            p.reason(),
            "must be one of v1, v2 (InvalidParameter.FeaturesImdsSupport)"
        );
    }
}

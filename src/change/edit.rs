//! `ImageChanges`: the attributes one ModifyImageAttribute sets, by field. `None` leaves a
//! field as it is, so only the fields that change are ever sent.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::ecs::model::{Image, ImageStatus};
use crate::rules::Field;

/// New values for some of an image's editable fields.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ImageChanges {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<ImageStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_family: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub boot_mode: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub license_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nvme_support: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub imds_support: Option<String>,
}

impl ImageChanges {
    pub fn get(&self, field: Field) -> Option<String> {
        match field {
            Field::ImageName => self.image_name.clone(),
            Field::Description => self.description.clone(),
            Field::ImageFamily => self.image_family.clone(),
            Field::Status => self.status.as_ref().map(|s| s.to_string()),
            Field::BootMode => self.boot_mode.clone(),
            Field::LicenseType => self.license_type.clone(),
            Field::NvmeSupport => self.nvme_support.clone(),
            Field::ImdsSupport => self.imds_support.clone(),
        }
    }

    pub fn set(&mut self, field: Field, value: Option<String>) {
        match field {
            Field::ImageName => self.image_name = value,
            Field::Description => self.description = value,
            Field::ImageFamily => self.image_family = value,
            Field::Status => self.status = value.map(|v| ImageStatus::parse(&v)),
            Field::BootMode => self.boot_mode = value,
            Field::LicenseType => self.license_type = value,
            Field::NvmeSupport => self.nvme_support = value,
            Field::ImdsSupport => self.imds_support = value,
        }
    }

    /// Every field this change sets with its new value, in form order.
    pub fn values(&self) -> Vec<(Field, String)> {
        Field::ALL
            .into_iter()
            .filter_map(|f| self.get(f).map(|v| (f, v)))
            .collect()
    }

    /// Keeps only the fields whose value differs from `before`.
    pub fn only_differences(&self, before: &Image) -> ImageChanges {
        let mut out = ImageChanges::default();
        for (field, value) in self.values() {
            if value != field.value_of(before) {
                out.set(field, Some(value));
            }
        }
        out
    }

    /// The fields this change sets, in form order.
    pub fn fields(&self) -> Vec<Field> {
        self.values().into_iter().map(|(f, _)| f).collect()
    }

    pub fn is_empty(&self) -> bool {
        Field::ALL.into_iter().all(|f| self.get(f).is_none())
    }

    /// The changes that would put an image back to the values of `before` for the same
    /// fields.
    pub fn inverse(&self, before: &Image) -> ImageChanges {
        let mut out = ImageChanges::default();
        for field in self.fields() {
            out.set(field, Some(field.value_of(before)));
        }
        out
    }

    /// Whether `image` already holds every value these changes set.
    pub fn held_by(&self, image: &Image) -> bool {
        self.values()
            .into_iter()
            .all(|(f, v)| v == f.value_of(image))
    }

    /// `image` with these changes applied.
    pub fn apply_to(&self, image: &Image) -> Image {
        let mut out = image.clone();
        for (field, value) in self.values() {
            field.set_on(&mut out, &value);
        }
        out
    }

    /// The ModifyImageAttribute parameters for these changes (without ImageId/RegionId).
    pub fn params(&self) -> BTreeMap<String, String> {
        self.values()
            .into_iter()
            .map(|(f, v)| (f.param().to_string(), v))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_differences_drops_unchanged_fields() {
        let image = Image {
            image_name: "a1".into(),
            description: "dd".into(),
            ..Image::default()
        };
        let changes = ImageChanges {
            image_name: Some("a1".into()),
            description: Some("new".into()),
            ..ImageChanges::default()
        }
        .only_differences(&image);
        assert_eq!(changes.fields(), vec![Field::Description]);
        assert_eq!(
            changes.params().get("Description").map(String::as_str),
            Some("new")
        );
        let undo = changes.inverse(&image);
        assert_eq!(undo.description.as_deref(), Some("dd"));
    }

    #[test]
    fn features_are_flattened_with_a_dot() {
        let changes = ImageChanges {
            imds_support: Some("v2".into()),
            ..ImageChanges::default()
        };
        assert_eq!(
            changes
                .params()
                .get("Features.ImdsSupport")
                .map(String::as_str),
            Some("v2")
        );
        let after = changes.apply_to(&Image::default());
        assert_eq!(after.features.imds_support.as_deref(), Some("v2"));
        assert!(changes.held_by(&after));
        assert!(!changes.held_by(&Image::default()));
    }
}

//! The editable fields of an image and the constraints of each (spec §3.1), with the error
//! code ECS would answer. A new editable field is a variant here, its arms in the tables
//! below, a member of `change::ImageChanges` and a flag in `cli::args`.
//!
//! Lengths are counted in characters, not bytes: a Chinese character counts as one.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::ecs::model::{Image, ImageStatus};

/// One editable attribute, in the order forms and diffs show them. Its serde name is the
/// journal's (`"ImageName"`), so it never changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Field {
    ImageName,
    Description,
    ImageFamily,
    Status,
    BootMode,
    LicenseType,
    NvmeSupport,
    ImdsSupport,
}

impl Field {
    pub const ALL: [Field; 8] = [
        Field::ImageName,
        Field::Description,
        Field::ImageFamily,
        Field::Status,
        Field::BootMode,
        Field::LicenseType,
        Field::NvmeSupport,
        Field::ImdsSupport,
    ];

    /// The ModifyImageAttribute parameter.
    pub fn param(self) -> &'static str {
        match self {
            Field::ImageName => "ImageName",
            Field::Description => "Description",
            Field::ImageFamily => "ImageFamily",
            Field::Status => "Status",
            Field::BootMode => "BootMode",
            Field::LicenseType => "LicenseType",
            Field::NvmeSupport => "Features.NvmeSupport",
            Field::ImdsSupport => "Features.ImdsSupport",
        }
    }

    /// Its `ecsimg images modify` flag (the TUI's `Y` writes the command with it).
    pub fn flag(self) -> &'static str {
        match self {
            Field::ImageName => "--name",
            Field::Description => "--description",
            Field::ImageFamily => "--family",
            Field::Status => "--status",
            Field::BootMode => "--boot-mode",
            Field::LicenseType => "--license-type",
            Field::NvmeSupport => "--nvme",
            Field::ImdsSupport => "--imds",
        }
    }

    /// A short label for screens.
    pub fn label(self) -> &'static str {
        match self {
            Field::ImageName => "Name",
            Field::Description => "Description",
            Field::ImageFamily => "Family",
            Field::Status => "Status",
            Field::BootMode => "Boot mode",
            Field::LicenseType => "License",
            Field::NvmeSupport => "NVMe",
            Field::ImdsSupport => "IMDS",
        }
    }

    /// The field's current value on `image`, as text ("" when unset).
    pub fn value_of(self, image: &Image) -> String {
        match self {
            Field::ImageName => image.image_name.clone(),
            Field::Description => image.description.clone(),
            Field::ImageFamily => image.image_family.clone(),
            Field::Status => image.status.to_string(),
            Field::BootMode => image.boot_mode.clone(),
            Field::LicenseType => image.license_type.clone(),
            Field::NvmeSupport => image.features.nvme_support.clone().unwrap_or_default(),
            Field::ImdsSupport => image.features.imds_support.clone().unwrap_or_default(),
        }
    }

    /// Gives `image` the value `value` (what ECS does when it accepts the field).
    pub fn set_on(self, image: &mut Image, value: &str) {
        let v = value.to_string();
        match self {
            Field::ImageName => image.image_name = v,
            Field::Description => image.description = v,
            Field::ImageFamily => image.image_family = v,
            Field::Status => image.status = ImageStatus::parse(&v),
            Field::BootMode => image.boot_mode = v,
            Field::LicenseType => image.license_type = v,
            Field::NvmeSupport => image.features.nvme_support = Some(v),
            Field::ImdsSupport => image.features.imds_support = Some(v),
        }
    }
}

/// Why a value would be refused, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub field: Field,
    /// The code ECS answers for the same mistake.
    pub code: &'static str,
    /// What is wrong and how to fix it, in a few words.
    pub message: String,
}

impl Problem {
    /// "message (code)": for a place that already names the field.
    pub fn reason(&self) -> String {
        format!("{} ({})", self.message, self.code)
    }
}

/// "Label: message (code)", the one way a problem is said.
impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field.label(), self.reason())
    }
}

pub const NAME_MAX: usize = 128;
pub const DESCRIPTION_MAX: usize = 256;
pub const MIN_LEN: usize = 2;

/// The values a picker offers for `field`; empty for free-text fields.
pub fn choices(field: Field) -> &'static [&'static str] {
    match field {
        Field::Status => &["Available", "Deprecated"],
        Field::BootMode => &["BIOS", "UEFI", "UEFI-Preferred"],
        Field::LicenseType => &["BYOL"],
        Field::NvmeSupport => &["supported", "unsupported"],
        Field::ImdsSupport => &["v1", "v2"],
        Field::ImageName | Field::Description | Field::ImageFamily => &[],
    }
}

/// The longest value `field` takes, in characters, for free-text fields.
pub fn max_len(field: Field) -> Option<usize> {
    match field {
        Field::ImageName | Field::ImageFamily => Some(NAME_MAX),
        Field::Description => Some(DESCRIPTION_MAX),
        _ => None,
    }
}

/// The API code for a malformed value of `field`.
pub fn malformed_code(field: Field) -> &'static str {
    match field {
        Field::ImageName => "InvalidImageName.Malformed",
        Field::Description => "InvalidDescription.Malformed",
        Field::ImageFamily => "InvalidImageFamily.Malformed",
        Field::BootMode => "InvalidBootMode.NotSupport",
        Field::LicenseType => "InvalidLicenseType.NotSupported",
        Field::ImdsSupport => "InvalidParameter.FeaturesImdsSupport",
        Field::NvmeSupport | Field::Status => "InvalidParameter",
    }
}

/// Checks the format of one value on its own. An empty name or description is refused
/// here: ECS would silently keep the old value, which is never what a person typing means.
pub fn check_field(field: Field, value: &str) -> Option<Problem> {
    let message = match field {
        Field::ImageName | Field::ImageFamily => check_name(value),
        Field::Description => check_description(value),
        _ => check_choice(field, value),
    }?;
    Some(Problem {
        field,
        code: malformed_code(field),
        message,
    })
}

/// Checks a change against the image it applies to: what the format alone cannot tell.
pub fn check_transition(field: Field, value: &str, before: &Image) -> Option<Problem> {
    let problem = |code: &'static str, message: &str| {
        Some(Problem {
            field,
            code,
            message: message.to_string(),
        })
    };
    match field {
        Field::ImdsSupport
            if value == "v1" && before.features.imds_support.as_deref() == Some("v2") =>
        {
            problem(
                "InvalidOperation.FeaturesImdsSupportNotMatch",
                "cannot go back from v2 to v1; keep v2",
            )
        }
        Field::Status if value == "Deprecated" && before.is_shared() => problem(
            "ImageUseShared",
            "this image is shared with other accounts: unshare it first",
        ),
        Field::Status if value != before.status.as_str() && is_creating(&before.status) => problem(
            "InvalidStatus.ImageIsCreating",
            "the image is still being created: wait until it is Available",
        ),
        _ => None,
    }
}

fn is_creating(status: &ImageStatus) -> bool {
    matches!(status, ImageStatus::Creating | ImageStatus::Waiting)
}

/// A character ECS accepts as the first of a name: an ASCII letter or a Chinese character.
pub fn is_name_start(c: char) -> bool {
    c.is_ascii_alphabetic() || is_chinese(c)
}

/// CJK ideographs (the unified block, extension A, compatibility ideographs).
pub fn is_chinese(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}')
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || is_chinese(c) || matches!(c, '.' | ':' | '_' | '-')
}

fn length_message(len: usize, max: usize) -> Option<String> {
    (len < MIN_LEN || len > max).then(|| format!("{MIN_LEN}–{max} characters: {len} now"))
}

fn check_name(value: &str) -> Option<String> {
    let len = value.chars().count();
    if let Some(m) = length_message(len, NAME_MAX) {
        return Some(m);
    }
    let lower = value.to_ascii_lowercase();
    if lower.starts_with("aliyun") || lower.starts_with("acs:") {
        return Some("cannot start with acs: or aliyun".to_string());
    }
    if lower.contains("http://") || lower.contains("https://") {
        return Some(format!(
            "may not contain {}",
            if lower.contains("http://") {
                "http://"
            } else {
                "https://"
            }
        ));
    }
    let first = value.chars().next()?;
    if !is_name_start(first) {
        return Some("must start with a letter or a Chinese character".to_string());
    }
    if let Some(bad) = value.chars().find(|c| !is_name_char(*c)) {
        return Some(format!(
            "{} is not allowed: use letters, Chinese characters, digits, . : _ -",
            describe_char(bad)
        ));
    }
    None
}

fn check_description(value: &str) -> Option<String> {
    let len = value.chars().count();
    if let Some(m) = length_message(len, DESCRIPTION_MAX) {
        return Some(m);
    }
    let lower = value.to_ascii_lowercase();
    for prefix in ["http://", "https://"] {
        if lower.starts_with(prefix) {
            return Some(format!("cannot start with {prefix}"));
        }
    }
    None
}

fn check_choice(field: Field, value: &str) -> Option<String> {
    let allowed = choices(field);
    (!allowed.contains(&value)).then(|| format!("must be one of {}", allowed.join(", ")))
}

fn describe_char(c: char) -> String {
    match c {
        ' ' => "a space".to_string(),
        '/' => "\"/\"".to_string(),
        c if c.is_control() => format!("U+{:04X}", c as u32),
        c => format!("\"{c}\""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(v: &str) -> Option<String> {
        check_field(Field::ImageName, v).map(|p| p.message)
    }

    #[test]
    fn names_follow_the_documented_rules() {
        assert_eq!(name("web-2024.05:a_b"), None);
        assert_eq!(name("镜像-01"), None);
        assert_eq!(name("a").as_deref(), Some("2–128 characters: 1 now"));
        assert_eq!(
            name(&"a".repeat(129)).as_deref(),
            Some("2–128 characters: 129 now")
        );
        assert_eq!(name(&"a".repeat(128)), None);
        assert_eq!(
            name("1web").as_deref(),
            Some("must start with a letter or a Chinese character")
        );
        assert_eq!(
            name("acs:web").as_deref(),
            Some("cannot start with acs: or aliyun")
        );
        assert_eq!(
            name("AliyunWeb").as_deref(),
            Some("cannot start with acs: or aliyun")
        );
        assert_eq!(
            name("webhttp://x").as_deref(),
            Some("may not contain http://")
        );
        assert!(name("web image").unwrap().contains("a space"));
        assert!(name("web😀").unwrap().contains("not allowed"));
    }

    #[test]
    fn lengths_count_characters_not_bytes() {
        // 128 Chinese characters are 384 bytes and still valid.
        assert_eq!(name(&"镜".repeat(128)), None);
        assert_eq!(
            name(&"镜".repeat(129)).as_deref(),
            Some("2–128 characters: 129 now")
        );
        let d = "描".repeat(256);
        assert_eq!(check_field(Field::Description, &d), None);
    }

    #[test]
    fn codes_match_the_api() {
        assert_eq!(
            check_field(Field::ImageName, "1").unwrap().code,
            "InvalidImageName.Malformed"
        );
        assert_eq!(
            check_field(Field::ImageFamily, "acs:x").unwrap().code,
            "InvalidImageFamily.Malformed"
        );
        assert_eq!(
            check_field(Field::Description, "https://x").unwrap().code,
            "InvalidDescription.Malformed"
        );
        assert_eq!(
            check_field(Field::BootMode, "EFI").unwrap().code,
            "InvalidBootMode.NotSupport"
        );
        assert_eq!(
            check_field(Field::LicenseType, "Auto").unwrap().code,
            "InvalidLicenseType.NotSupported"
        );
        assert_eq!(check_field(Field::BootMode, "UEFI-Preferred"), None);
    }

    #[test]
    fn description_may_contain_but_not_start_with_a_url() {
        assert_eq!(
            check_field(Field::Description, "see https://example.com"),
            None
        );
        assert_eq!(
            check_field(Field::Description, "http://x").unwrap().message,
            "cannot start with http://"
        );
        assert_eq!(check_field(Field::Description, "每日更新 🚀"), None);
    }

    #[test]
    fn transitions_need_the_image() {
        let mut image = Image::default();
        image.features.imds_support = Some("v2".into());
        assert_eq!(
            check_transition(Field::ImdsSupport, "v1", &image)
                .unwrap()
                .code,
            "InvalidOperation.FeaturesImdsSupportNotMatch"
        );
        image.is_self_shared = "true".into();
        assert_eq!(
            check_transition(Field::Status, "Deprecated", &image)
                .unwrap()
                .code,
            "ImageUseShared"
        );
        image.is_self_shared = "False".into();
        image.status = ImageStatus::Creating;
        assert_eq!(
            check_transition(Field::Status, "Deprecated", &image)
                .unwrap()
                .code,
            "InvalidStatus.ImageIsCreating"
        );
    }
}

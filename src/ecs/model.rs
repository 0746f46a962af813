//! The wire types: the ECS resources and the response shapes ecsimg reads (API version
//! 2014-05-26), as serde decodes them. What a change is lives in `change`.
//!
//! Decoding is lenient on purpose: ECS leaves fields out, sends `IsSelfShared` as a string
//! (`"False"`, `"true"`, `""`) and wraps every list in an object (`Images.Image[]`).
//! Who uses an image (instances, launch templates, scaling groups, shares) is in `usage`.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

use super::sign::Params;

mod usage;
pub use usage::{
    Instance, InstancePage, LaunchTemplate, LaunchTemplateData, LaunchTemplatePage,
    LaunchTemplateVersion, LaunchTemplateVersionPage, List, Paged, ScalingConfiguration,
    ScalingConfigurationPage, ScalingGroup, ScalingGroupPage, ShareAccount, ShareGroup,
    SharePermissionPage,
};

/// The lifecycle state of an image as ECS reports it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum ImageStatus {
    #[default]
    Available,
    Deprecated,
    Creating,
    Waiting,
    UnAvailable,
    CreateFailed,
    Other(String),
}

impl ImageStatus {
    /// Every status an operator cares about when browsing custom images.
    pub const BROWSE: &'static [ImageStatus] = &[
        ImageStatus::Available,
        ImageStatus::Deprecated,
        ImageStatus::Creating,
        ImageStatus::Waiting,
        ImageStatus::UnAvailable,
        ImageStatus::CreateFailed,
    ];

    pub fn as_str(&self) -> &str {
        match self {
            ImageStatus::Available => "Available",
            ImageStatus::Deprecated => "Deprecated",
            ImageStatus::Creating => "Creating",
            ImageStatus::Waiting => "Waiting",
            ImageStatus::UnAvailable => "UnAvailable",
            ImageStatus::CreateFailed => "CreateFailed",
            ImageStatus::Other(s) => s,
        }
    }

    /// Parses a status name, case-insensitively for the known ones.
    pub fn parse(s: &str) -> ImageStatus {
        for known in Self::BROWSE {
            if known.as_str().eq_ignore_ascii_case(s) {
                return known.clone();
            }
        }
        ImageStatus::Other(s.to_string())
    }

    /// The comma list DescribeImages takes for `Status`.
    pub fn join(statuses: &[ImageStatus]) -> String {
        statuses
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(",")
    }
}

impl fmt::Display for ImageStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ImageStatus {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ImageStatus {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(ImageStatus::parse(&String::deserialize(d)?))
    }
}

/// Optional image features (`Features.NvmeSupport`, `Features.ImdsSupport`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Features {
    /// `supported` or `unsupported`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nvme_support: Option<String>,
    /// `v1` or `v2`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub imds_support: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Tag {
    pub tag_key: String,
    pub tag_value: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DiskDeviceMapping {
    pub device: String,
    #[serde(rename = "Type")]
    pub kind: String,
    pub snapshot_id: String,
    /// A string in the API ("60").
    #[serde(deserialize_with = "string_or_number")]
    pub size: String,
    pub format: String,
}

/// One image as DescribeImages and DescribeImageFromFamily return it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Image {
    pub image_id: String,
    /// The region the image lives in. ECS names it once per answer, not per image: the
    /// client fills it in from the region it asked, so every image read knows where a
    /// change to it must go. Empty for an image built by hand.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub region_id: String,
    pub image_name: String,
    pub image_family: String,
    pub description: String,
    pub status: ImageStatus,
    /// `yyyy-MM-ddTHH:mm:ssZ`, UTC; sorts as text.
    pub creation_time: String,
    /// GiB of the system disk.
    #[serde(deserialize_with = "lenient_u64")]
    pub size: u64,
    #[serde(rename = "OSName")]
    pub os_name: String,
    #[serde(rename = "OSNameEn")]
    pub os_name_en: String,
    #[serde(rename = "OSType")]
    pub os_type: String,
    pub architecture: String,
    pub platform: String,
    pub usage: String,
    /// ECS sends a string: `"False"`, `"true"` or `""`.
    #[serde(deserialize_with = "string_or_bool")]
    pub is_self_shared: String,
    pub image_owner_alias: String,
    pub progress: String,
    pub image_version: String,
    pub boot_mode: String,
    pub license_type: String,
    pub features: Features,
    pub is_copied: bool,
    pub is_public: bool,
    pub is_support_cloudinit: bool,
    pub is_support_io_optimized: bool,
    pub resource_group_id: String,
    pub tags: Tags,
    pub disk_device_mappings: DiskDeviceMappings,
}

impl Image {
    /// Whether the image is shared with other accounts (then it cannot be deprecated).
    pub fn is_shared(&self) -> bool {
        self.is_self_shared.eq_ignore_ascii_case("true")
    }

    /// The family name, `None` when the image belongs to no family.
    pub fn family(&self) -> Option<&str> {
        (!self.image_family.is_empty()).then_some(self.image_family.as_str())
    }

    /// `2024-05-01` out of the creation time.
    pub fn created_date(&self) -> &str {
        self.creation_time.get(..10).unwrap_or(&self.creation_time)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Tags {
    pub tag: Vec<Tag>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DiskDeviceMappings {
    pub disk_device_mapping: Vec<DiskDeviceMapping>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Images {
    pub image: Vec<Image>,
}

/// One page of DescribeImages.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ImagePage {
    pub request_id: String,
    pub region_id: String,
    #[serde(deserialize_with = "lenient_u64")]
    pub total_count: u64,
    #[serde(deserialize_with = "lenient_u64")]
    pub page_number: u64,
    #[serde(deserialize_with = "lenient_u64")]
    pub page_size: u64,
    pub images: Images,
}

impl Paged for ImagePage {
    type Item = Image;
    fn total(&self) -> u64 {
        self.total_count
    }
    fn count(&self) -> usize {
        self.images.image.len()
    }
    fn into_items(self) -> Vec<Image> {
        self.images.image
    }
}

/// The filters of DescribeImages that ecsimg sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageQuery {
    /// `self` for custom images.
    pub owner_alias: Option<String>,
    pub image_ids: Vec<String>,
    /// Fuzzy match on the name.
    pub name: Option<String>,
    pub family: Option<String>,
    /// Empty means "whatever ECS defaults to" — which is Available only.
    pub statuses: Vec<ImageStatus>,
    /// 1–100.
    pub page_size: u32,
}

impl Default for ImageQuery {
    fn default() -> Self {
        ImageQuery {
            owner_alias: Some("self".to_string()),
            image_ids: Vec::new(),
            name: None,
            family: None,
            statuses: ImageStatus::BROWSE.to_vec(),
            page_size: 100,
        }
    }
}

impl ImageQuery {
    /// The request parameters for page `page_number` (1-based).
    pub fn params(&self, page_number: u32) -> Params {
        let mut p = Params::new();
        if let Some(alias) = &self.owner_alias {
            p.insert("ImageOwnerAlias".into(), alias.clone());
        }
        if !self.image_ids.is_empty() {
            p.insert("ImageId".into(), self.image_ids.join(","));
        }
        if let Some(name) = &self.name {
            p.insert("ImageName".into(), name.clone());
        }
        if let Some(family) = &self.family {
            p.insert("ImageFamily".into(), family.clone());
        }
        if !self.statuses.is_empty() {
            p.insert("Status".into(), ImageStatus::join(&self.statuses));
        }
        p.insert("PageNumber".into(), page_number.to_string());
        p.insert("PageSize".into(), self.page_size.clamp(1, 100).to_string());
        p
    }
}

/// One region from DescribeRegions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Region {
    pub region_id: String,
    pub region_endpoint: String,
    pub local_name: String,
    /// `available` or `soldOut`.
    pub status: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Regions {
    pub region: Vec<Region>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct RegionsResponse {
    pub request_id: String,
    pub regions: Regions,
}

/// DescribeImageFromFamily. `Image` is absent, `{}`, or all empty strings when the family
/// has no Available image; [`FamilyImageResponse::image`] folds all three into `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct FamilyImageResponse {
    pub request_id: String,
    pub image: Option<serde_json::Value>,
}

impl FamilyImageResponse {
    pub fn image(&self) -> Result<Option<Image>, serde_json::Error> {
        let Some(value) = &self.image else {
            return Ok(None);
        };
        if value.is_null() {
            return Ok(None);
        }
        let image: Image = serde_json::from_value(value.clone())?;
        Ok((!image.image_id.is_empty()).then_some(image))
    }
}

/// A response that carries nothing but its RequestId (ModifyImageAttribute).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct RequestIdOnly {
    pub request_id: String,
}

fn string_or_bool<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) => s,
        serde_json::Value::Bool(b) => if b { "true" } else { "false" }.to_string(),
        _ => String::new(),
    })
}

fn string_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) => s,
        serde_json::Value::Number(n) => n.to_string(),
        _ => String::new(),
    })
}

fn lenient_u64<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::Number(n) => n.as_u64().unwrap_or(0),
        serde_json::Value::String(s) => s.trim().parse().unwrap_or(0),
        _ => 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"{ "RequestId":"66189103", "RegionId":"cn-hangzhou",
      "TotalCount":1, "PageNumber":1, "PageSize":1,
      "Images":{ "Image":[ {
        "ImageId":"m-bp1g7004ksh0oeuc****", "ImageName":"testImageName", "ImageFamily":"hangzhou-daily-update",
        "Description":"Archive log for Oracle", "Status":"Available", "CreationTime":"2019-11-15T06:07:05Z",
        "Size":60, "OSName":"x", "OSNameEn":"x", "OSType":"windows", "Architecture":"x86_64", "Platform":"Windows Server 2016",
        "Usage":"none", "IsSelfShared":"False", "ImageOwnerAlias":"self", "Progress":"100%", "ImageVersion":"",
        "IsCopied":false, "IsSubscribed":false, "IsSupportCloudinit":true, "IsSupportIoOptimized":true,
        "ProductCode":"", "ResourceGroupId":"",
        "DiskDeviceMappings":{"DiskDeviceMapping":[{"Device":"/dev/xvda","Type":"system","SnapshotId":"s-1","Size":"60",
            "Format":"","ImportOSSBucket":"","ImportOSSObject":"","Progress":"","RemainTime":0}]},
        "Tags":{"Tag":[{"TagKey":"DTS","TagValue":"Oracle"}]} } ] } }"#;

    #[test]
    fn decodes_the_documented_sample() {
        let page: ImagePage = serde_json::from_str(SAMPLE).unwrap();
        let image = &page.images.image[0];
        assert_eq!(page.total_count, 1);
        assert_eq!(image.image_family, "hangzhou-daily-update");
        assert_eq!(image.status, ImageStatus::Available);
        assert_eq!(image.size, 60);
        assert!(!image.is_shared());
        assert_eq!(image.disk_device_mappings.disk_device_mapping[0].size, "60");
        assert_eq!(image.tags.tag[0].tag_value, "Oracle");
        assert_eq!(image.created_date(), "2019-11-15");
    }

    #[test]
    fn empty_family_answers_fold_into_none() {
        for body in [
            r#"{"RequestId":"a"}"#,
            r#"{"RequestId":"a","Image":{}}"#,
            r#"{"RequestId":"a","Image":null}"#,
            r#"{"RequestId":"a","Image":{"ImageId":"","ImageName":""}}"#,
        ] {
            let r: FamilyImageResponse = serde_json::from_str(body).unwrap();
            assert_eq!(r.image().unwrap(), None, "{body}");
        }
        let r: FamilyImageResponse =
            serde_json::from_str(r#"{"Image":{"ImageId":"m-1","Status":"Available"}}"#).unwrap();
        assert_eq!(r.image().unwrap().unwrap().image_id, "m-1");
    }
}

//! The wire types of who uses an image: DescribeInstances, DescribeLaunchTemplates and
//! DescribeLaunchTemplateVersions, DescribeImageSharePermission (ECS 2014-05-26) and Auto
//! Scaling's DescribeScalingGroups / DescribeScalingConfigurations (ESS 2014-08-28).
//!
//! Decoding is lenient as everywhere in `model`, and for the traps the API is known for:
//! `AliyunId` comes as a number or a string, `CreatedBy` too, `PageSize` is sometimes a
//! string, and Auto Scaling's lists come wrapped (`ScalingGroups.ScalingGroup[]`, version
//! 2014-08-28) or flat (`ScalingGroups[]`, 2022-02-22) — [`List`] reads either.

use serde::{Deserialize, Deserializer, Serialize};

use super::{lenient_u64, string_or_number};

/// Paging, as every one of these answers reports it.
pub trait Paged {
    type Item;
    /// `TotalCount`: meaningless in DescribeInstances' NextToken mode.
    fn total(&self) -> u64;
    /// Items on this page.
    fn count(&self) -> usize;
    fn into_items(self) -> Vec<Self::Item>;
}

/// A list the API wraps in an object (`{"Instance": [...]}`) — or, in Auto Scaling's
/// 2022-02-22 shape, sends as the bare array. Either decodes to the items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct List<T>(pub Vec<T>);

impl<T> Default for List<T> {
    fn default() -> Self {
        List(Vec::new())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for List<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(d)?;
        let items = match value {
            serde_json::Value::Array(items) => items,
            // `{"ScalingGroup": [...]}`: the one member is the list, whatever it is named.
            serde_json::Value::Object(map) => match map.into_iter().next() {
                Some((_, serde_json::Value::Array(items))) => items,
                _ => Vec::new(),
            },
            _ => Vec::new(),
        };
        items
            .into_iter()
            .map(|item| T::deserialize(item).map_err(serde::de::Error::custom))
            .collect::<Result<_, _>>()
            .map(List)
    }
}

/// One instance, as far as usage needs it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Instance {
    pub instance_id: String,
    pub instance_name: String,
    /// `Pending`, `Running`, `Starting`, `Stopping`, `Stopped`.
    pub status: String,
    pub zone_id: String,
    pub image_id: String,
}

/// One page of DescribeInstances. In NextToken mode `TotalCount` is not valid; an empty
/// or absent `NextToken` ends the list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct InstancePage {
    pub request_id: String,
    #[serde(deserialize_with = "lenient_u64")]
    pub total_count: u64,
    pub next_token: String,
    pub instances: List<Instance>,
}

/// One launch template.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct LaunchTemplate {
    pub launch_template_id: String,
    pub launch_template_name: String,
    #[serde(deserialize_with = "lenient_u64")]
    pub default_version_number: u64,
    #[serde(deserialize_with = "lenient_u64")]
    pub latest_version_number: u64,
    /// Typed a string, sent as a number in the documented sample.
    #[serde(deserialize_with = "string_or_number")]
    pub created_by: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct LaunchTemplatePage {
    #[serde(deserialize_with = "lenient_u64")]
    pub total_count: u64,
    pub launch_template_sets: List<LaunchTemplate>,
}

/// What a template version launches; only the image matters here. Its keys hold literal
/// dots (`"SystemDisk.Size"`): they are not nested objects.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct LaunchTemplateData {
    /// Absent or empty when the template fixes no image.
    pub image_id: String,
    pub image_owner_alias: String,
    pub instance_type: String,
    #[serde(rename = "SystemDisk.Category")]
    pub system_disk_category: String,
    #[serde(rename = "SystemDisk.Size", deserialize_with = "lenient_u64")]
    pub system_disk_size: u64,
}

/// One version of a launch template.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct LaunchTemplateVersion {
    pub launch_template_id: String,
    pub launch_template_name: String,
    #[serde(deserialize_with = "lenient_u64")]
    pub version_number: u64,
    pub default_version: bool,
    pub launch_template_data: LaunchTemplateData,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct LaunchTemplateVersionPage {
    /// Documented as templates; counts versions.
    #[serde(deserialize_with = "lenient_u64")]
    pub total_count: u64,
    pub launch_template_version_sets: List<LaunchTemplateVersion>,
}

/// One account an image is shared with.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ShareAccount {
    /// A string in the SDK, a number in the documented sample: kept as the digits.
    #[serde(deserialize_with = "string_or_number")]
    pub aliyun_id: String,
    pub shared_time: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ShareGroup {
    /// `all`: published as a community image.
    pub group: String,
}

/// One page of DescribeImageSharePermission (the pages page over the accounts).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct SharePermissionPage {
    #[serde(deserialize_with = "lenient_u64")]
    pub total_count: u64,
    pub accounts: List<ShareAccount>,
    pub share_groups: List<ShareGroup>,
}

/// One Auto Scaling group.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ScalingGroup {
    pub scaling_group_id: String,
    pub scaling_group_name: String,
    /// `Active`, `Inactive` or `Deleting`.
    pub lifecycle_state: String,
    /// The one configuration new instances are launched from; empty in a launch-template
    /// group.
    pub active_scaling_configuration_id: String,
    pub launch_template_id: String,
    /// A version number (as a string), `Default` or `Latest`.
    #[serde(deserialize_with = "string_or_number")]
    pub launch_template_version: String,
}

/// One Auto Scaling configuration.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ScalingConfiguration {
    pub scaling_configuration_id: String,
    pub scaling_configuration_name: String,
    pub scaling_group_id: String,
    /// `Active` (used for scale-out) or `Inactive`.
    pub lifecycle_state: String,
    pub image_id: String,
    /// Set instead of `ImageId`: each scale-out takes the family's newest Available image.
    pub image_family: String,
    pub image_name: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ScalingGroupPage {
    #[serde(deserialize_with = "lenient_u64")]
    pub total_count: u64,
    pub scaling_groups: List<ScalingGroup>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ScalingConfigurationPage {
    #[serde(deserialize_with = "lenient_u64")]
    pub total_count: u64,
    pub scaling_configurations: List<ScalingConfiguration>,
}

macro_rules! paged {
    ($page:ty, $item:ty, $field:ident) => {
        impl Paged for $page {
            type Item = $item;
            fn total(&self) -> u64 {
                self.total_count
            }
            fn count(&self) -> usize {
                self.$field.0.len()
            }
            fn into_items(self) -> Vec<$item> {
                self.$field.0
            }
        }
    };
}

paged!(InstancePage, Instance, instances);
paged!(LaunchTemplatePage, LaunchTemplate, launch_template_sets);
paged!(
    LaunchTemplateVersionPage,
    LaunchTemplateVersion,
    launch_template_version_sets
);
paged!(SharePermissionPage, ShareAccount, accounts);
paged!(ScalingGroupPage, ScalingGroup, scaling_groups);
paged!(
    ScalingConfigurationPage,
    ScalingConfiguration,
    scaling_configurations
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliyun_id_reads_as_a_number_or_a_string() {
        let page: SharePermissionPage = serde_json::from_str(
            r#"{"TotalCount":2,"PageNumber":1,"PageSize":10,
                "ShareGroups":{"ShareGroup":[{"Group":"all"}]},
                "Accounts":{"Account":[{"AliyunId":1234567890123456,"SharedTime":"2023-01-01T12:05:00Z"},
                                        {"AliyunId":"6543210987654321"}]}}"#,
        )
        .unwrap();
        let ids: Vec<&str> = page
            .accounts
            .0
            .iter()
            .map(|a| a.aliyun_id.as_str())
            .collect();
        assert_eq!(ids, ["1234567890123456", "6543210987654321"]);
        assert_eq!(page.share_groups.0[0].group, "all");
    }

    #[test]
    fn auto_scaling_lists_read_wrapped_and_flat() {
        let wrapped: ScalingGroupPage = serde_json::from_str(
            r#"{"TotalCount":1,"PageNumber":1,"PageSize":"50",
                "ScalingGroups":{"ScalingGroup":[{"ScalingGroupId":"asg-1","LifecycleState":"Active",
                  "LaunchTemplateId":"lt-1","LaunchTemplateVersion":"Default",
                  "VSwitchIds":{"VSwitchId":["vsw-1"]}}]}}"#,
        )
        .unwrap();
        let flat: ScalingGroupPage = serde_json::from_str(
            r#"{"TotalCount":1,"ScalingGroups":[{"ScalingGroupId":"asg-1","LifecycleState":"Active",
                  "LaunchTemplateId":"lt-1","LaunchTemplateVersion":"Default","VSwitchIds":["vsw-1"]}]}"#,
        )
        .unwrap();
        assert_eq!(wrapped.scaling_groups, flat.scaling_groups);
        assert_eq!(flat.scaling_groups.0[0].launch_template_version, "Default");
        let configs: ScalingConfigurationPage = serde_json::from_str(
            r#"{"ScalingConfigurations":[{"ScalingConfigurationId":"asc-1","ImageFamily":"web",
                 "InstanceTypes":["ecs.g6.large"]}]}"#,
        )
        .unwrap();
        assert_eq!(configs.scaling_configurations.0[0].image_family, "web");
    }

    #[test]
    fn template_data_keys_hold_literal_dots() {
        let page: LaunchTemplateVersionPage = serde_json::from_str(
            r#"{"TotalCount":1,"LaunchTemplateVersionSets":{"LaunchTemplateVersionSet":[{
                "LaunchTemplateId":"lt-1","LaunchTemplateName":"web","VersionNumber":3,"DefaultVersion":true,
                "CreatedBy":"123456789","LaunchTemplateData":{"ImageId":"m-1","SystemDisk.Size":40,
                "SystemDisk.Category":"cloud_ssd","SecurityGroupIds":{"SecurityGroupId":[["sg-1"]]}}}]}}"#,
        )
        .unwrap();
        let v = &page.launch_template_version_sets.0[0];
        assert_eq!((v.version_number, v.default_version), (3, true));
        assert_eq!(v.launch_template_data.image_id, "m-1");
        assert_eq!(v.launch_template_data.system_disk_size, 40);
        let templates: LaunchTemplatePage = serde_json::from_str(
            r#"{"LaunchTemplateSets":{"LaunchTemplateSet":[{"LaunchTemplateId":"lt-1",
                "DefaultVersionNumber":2,"LatestVersionNumber":"5","CreatedBy":1234567890}]}}"#,
        )
        .unwrap();
        let t = &templates.launch_template_sets.0[0];
        assert_eq!((t.default_version_number, t.latest_version_number), (2, 5));
        assert_eq!(t.created_by, "1234567890");
    }

    #[test]
    fn an_instance_page_ends_without_a_token() {
        let page: InstancePage = serde_json::from_str(
            r#"{"TotalCount":0,"NextToken":"","Instances":{"Instance":[{"InstanceId":"i-1",
                "Status":"Running","ZoneId":"cn-hangzhou-h","OperationLocks":{"LockReason":[]}}]}}"#,
        )
        .unwrap();
        assert!(page.next_token.is_empty());
        assert_eq!(page.into_items()[0].zone_id, "cn-hangzhou-h");
    }
}

//! The ECS reads behind "who uses this image": its instances, the launch templates and
//! their versions, and the accounts it is shared with — all pages of each.
//!
//! DescribeInstances has a trap: an identity without `ecs:DescribeInstances` gets an empty
//! list, not an error. An empty answer is therefore asked again with `DryRun=true`, and
//! only `DryRunOperation` (allowed) lets "no instances" stand; any other answer is an error
//! the caller shows as "could not check".

use super::EcsClient;
use crate::ecs::error::{ApiError, ErrorKind};
use crate::ecs::model::{
    Instance, InstancePage, LaunchTemplate, LaunchTemplatePage, LaunchTemplateVersion,
    LaunchTemplateVersionPage, ShareAccount, SharePermissionPage,
};
use crate::ecs::sign::Params;

/// Launch template pages hold at most 50 (the API's documented maximum; larger sizes may
/// be clamped).
const TEMPLATE_PAGE: u64 = 50;
/// DescribeImageSharePermission pages hold up to 100 accounts.
const SHARE_PAGE: u64 = 100;
/// DescribeInstances' NextToken pages hold up to 100 instances.
const INSTANCE_PAGE: u64 = 100;
/// More instance pages than this is not an answer about one image.
const MAX_INSTANCE_PAGES: usize = 10_000;

impl EcsClient {
    /// Every instance whose image is `image_id`, following `NextToken` (where `TotalCount`
    /// means nothing). An empty list stands only once a `DryRun` shows the identity may
    /// list instances at all.
    pub async fn describe_instances_of(&self, image_id: &str) -> Result<Vec<Instance>, ApiError> {
        let mut base = Params::new();
        base.insert("ImageId".into(), image_id.to_string());
        base.insert("MaxResults".into(), INSTANCE_PAGE.to_string());
        let mut all = Vec::new();
        let mut token = String::new();
        for _ in 0..MAX_INSTANCE_PAGES {
            let mut params = base.clone();
            if !token.is_empty() {
                params.insert("NextToken".into(), token.clone());
            }
            let page: InstancePage = self.call_as("DescribeInstances", params).await?;
            all.extend(page.instances.0);
            if page.next_token.is_empty() || page.next_token == token {
                break;
            }
            token = page.next_token;
        }
        if all.is_empty() {
            self.may_list_instances(base).await?;
        }
        // The filter is the server's; an answer holding other images' instances is not
        // trusted to be about this one.
        all.retain(|i| i.image_id.is_empty() || i.image_id == image_id);
        Ok(all)
    }

    /// `DryRun=true`: `DryRunOperation` means the identity may list instances.
    async fn may_list_instances(&self, mut params: Params) -> Result<(), ApiError> {
        params.insert("DryRun".into(), "true".into());
        match self
            .call_as::<serde_json::Value>("DescribeInstances", params)
            .await
        {
            Err(e) if e.code == "DryRunOperation" => Ok(()),
            Err(e) => Err(e),
            Ok(_) => {
                let mut e = ApiError::from_code(
                    "DryRunNotHonoured",
                    "DescribeInstances answered an empty list, and its DryRun=true check \
                     answered a list too instead of DryRunOperation: an identity without \
                     ecs:DescribeInstances also gets an empty list, so no instances cannot be \
                     told from no permission",
                    None,
                );
                e.kind = ErrorKind::Forbidden;
                Err(e)
            }
        }
    }

    /// Every launch template of the region (sending neither ID nor name lists them all).
    pub async fn describe_launch_templates(&self) -> Result<Vec<LaunchTemplate>, ApiError> {
        self.all_pages::<LaunchTemplatePage>(
            "DescribeLaunchTemplates",
            Params::new(),
            TEMPLATE_PAGE,
        )
        .await
    }

    /// Every version of one launch template, with its data (there is no ImageId filter).
    pub async fn describe_launch_template_versions(
        &self,
        template_id: &str,
    ) -> Result<Vec<LaunchTemplateVersion>, ApiError> {
        let mut params = Params::new();
        params.insert("LaunchTemplateId".into(), template_id.to_string());
        params.insert("DetailFlag".into(), "true".into());
        self.all_pages::<LaunchTemplateVersionPage>(
            "DescribeLaunchTemplateVersions",
            params,
            TEMPLATE_PAGE,
        )
        .await
    }

    /// Every account `image_id` is shared with.
    pub async fn describe_image_share_permission(
        &self,
        image_id: &str,
    ) -> Result<Vec<ShareAccount>, ApiError> {
        let mut params = Params::new();
        params.insert("ImageId".into(), image_id.to_string());
        self.all_pages::<SharePermissionPage>("DescribeImageSharePermission", params, SHARE_PAGE)
            .await
    }
}

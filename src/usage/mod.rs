//! Who uses an image: its instances, the launch template versions that pin it, the Auto
//! Scaling groups that launch it (by image, through its family, or through a template
//! version), and the accounts it is shared with — read from ECS and Auto Scaling and put
//! together as a [`change::ImageUsage`](crate::change::ImageUsage).
//!
//! Every source is read independently and at the same time (each template's versions
//! too, a bounded number at once), so the whole answer takes the pages of each source side
//! by side, not a round trip per template in turn. A source that fails — no permission,
//! throttled after the client's retries, no answer — becomes an "unchecked" entry with its
//! code and reason; it never fails the whole answer, and nothing says "nothing uses this"
//! unless every source was read. [`combine`] is the pure half: what the reads mean.

mod combine;

use std::sync::Arc;

use tokio::sync::Semaphore;

use crate::change::ImageUsage;
use crate::ecs::client::EcsClient;
use crate::ecs::error::ApiError;
use crate::ecs::model::{Image, LaunchTemplate, LaunchTemplateVersion};

pub use combine::{combine, Reads, TemplateRead};

/// Template version listings read at once: a region's default quota is 30 templates, so
/// most accounts' listings all go out together.
pub const TEMPLATE_CONCURRENCY: usize = 32;

/// Reads every source for `image` (in `client`'s region) and puts them together.
pub async fn check(client: &EcsClient, image: &Image) -> ImageUsage {
    let ess = client.ess();
    let family = image.family().map(str::to_string);
    let resolves = async {
        match &family {
            Some(f) => Some(
                client
                    .describe_image_from_family(f)
                    .await
                    .map(|now| now.is_some_and(|i| i.image_id == image.image_id)),
            ),
            None => None,
        }
    };
    let (instances, templates, groups, configurations, family_resolves_here, shares) = tokio::join!(
        client.describe_instances_of(&image.image_id),
        templates(client),
        ess.describe_scaling_groups(),
        ess.describe_scaling_configurations(),
        resolves,
        client.describe_image_share_permission(&image.image_id),
    );
    combine(
        image,
        Reads {
            instances,
            templates,
            groups,
            configurations,
            family_resolves_here,
            shares,
        },
    )
}

/// The usage when nothing could be read at all (`error` came before the first request):
/// every source unchecked, with its code.
pub fn unreadable(error: &ApiError) -> ImageUsage {
    use crate::change::{Source, Unchecked};
    ImageUsage {
        unchecked: [
            Source::Instances,
            Source::LaunchTemplates,
            Source::Scaling,
            Source::Shares,
        ]
        .into_iter()
        .map(|source| Unchecked {
            source,
            code: error.code.clone(),
            reason: error.meaning(),
        })
        .collect(),
        ..ImageUsage::default()
    }
}

/// Every template with its versions, the version listings side by side.
async fn templates(client: &EcsClient) -> Result<Vec<TemplateRead>, ApiError> {
    let list: Vec<LaunchTemplate> = client.describe_launch_templates().await?;
    let limit = Arc::new(Semaphore::new(TEMPLATE_CONCURRENCY));
    let tasks: Vec<_> = list
        .iter()
        .map(|t| {
            let (client, limit, id) = (client.clone(), limit.clone(), t.launch_template_id.clone());
            tokio::spawn(async move {
                let _permit = limit.acquire_owned().await;
                client.describe_launch_template_versions(&id).await
            })
        })
        .collect();
    let mut tasks = AbortOnDrop(tasks);
    let mut out = Vec::with_capacity(list.len());
    for (template, task) in list.into_iter().zip(tasks.0.iter_mut()) {
        let versions: Result<Vec<LaunchTemplateVersion>, ApiError> = task
            .await
            .unwrap_or_else(|e| Err(ApiError::transport(format!("stopped: {e}"), false)));
        out.push(TemplateRead { template, versions });
    }
    Ok(out)
}

/// Aborts the listings still running when the answer is dropped (the screen moved on).
struct AbortOnDrop<T>(Vec<tokio::task::JoinHandle<T>>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        for task in &self.0 {
            task.abort();
        }
    }
}

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
//! unless every source was read. For many images at once ([`check_many`], a bulk plan)
//! what every image shares — templates, scaling groups, configurations, each family's
//! resolution — is read once, and each image's instances and shares a bounded number of
//! images at once. [`combine`] is the pure half: what the reads mean.

mod combine;

use std::collections::{BTreeSet, HashMap};
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

/// Images whose own sources (instances, shares) are read at once by [`check_many`].
pub const IMAGE_CONCURRENCY: usize = 8;

/// Reads every source for `image` (in `client`'s region) and puts them together.
pub async fn check(client: &EcsClient, image: &Image) -> ImageUsage {
    let mut all = check_many(client, std::slice::from_ref(image)).await;
    all.pop().map(|(_, usage)| usage).unwrap_or_default()
}

/// Reads who uses each of `images` (all in `client`'s region), in their order. The
/// sources every image shares — templates with their versions, scaling groups and their
/// configurations, and what each family resolves to — are read once, not once an image;
/// each image's instances and shares are read [`IMAGE_CONCURRENCY`] images at once, all
/// of it side by side.
pub async fn check_many(client: &EcsClient, images: &[Image]) -> Vec<(String, ImageUsage)> {
    let ess = client.ess();
    let families: Vec<String> = images
        .iter()
        .filter_map(|i| i.family().map(str::to_string))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let ((templates, groups, configurations), resolved, own) = tokio::join!(
        async {
            tokio::join!(
                templates(client),
                ess.describe_scaling_groups(),
                ess.describe_scaling_configurations(),
            )
        },
        bounded(
            client,
            IMAGE_CONCURRENCY,
            families.clone(),
            |c, f| async move {
                let now = c.describe_image_from_family(&f).await;
                now.map(|i| i.map(|i| i.image_id))
            }
        ),
        bounded(
            client,
            IMAGE_CONCURRENCY,
            images.to_vec(),
            |c, image| async move {
                tokio::join!(
                    c.describe_instances_of(&image.image_id),
                    c.describe_image_share_permission(&image.image_id),
                )
            }
        ),
    );
    let resolved: HashMap<String, Result<Option<String>, ApiError>> =
        families.into_iter().zip(resolved).collect();
    images
        .iter()
        .zip(own)
        .map(|(image, (instances, shares))| {
            let family_resolves_here = image.family().and_then(|f| {
                let now = resolved.get(f)?;
                Some(now.clone().map(|id| id.as_deref() == Some(&image.image_id)))
            });
            let reads = Reads {
                instances,
                templates: templates.clone(),
                groups: groups.clone(),
                configurations: configurations.clone(),
                family_resolves_here,
                shares,
            };
            (image.image_id.clone(), combine(image, reads))
        })
        .collect()
}

/// Runs `read` on every item, at most `limit` at once; the answers in the items' order. A
/// task that could not finish answers as its read would on no answer.
async fn bounded<T, R, F, Fut>(client: &EcsClient, limit: usize, items: Vec<T>, read: F) -> Vec<R>
where
    T: Send + 'static,
    R: Send + 'static + Stopped,
    F: Fn(EcsClient, T) -> Fut,
    Fut: std::future::Future<Output = R> + Send + 'static,
{
    let limit = Arc::new(Semaphore::new(limit));
    let tasks: Vec<_> = items
        .into_iter()
        .map(|item| {
            let (limit, work) = (limit.clone(), read(client.clone(), item));
            tokio::spawn(async move {
                let _permit = limit.acquire_owned().await;
                work.await
            })
        })
        .collect();
    let mut tasks = AbortOnDrop(tasks);
    let mut out = Vec::with_capacity(tasks.0.len());
    for task in tasks.0.iter_mut() {
        out.push(task.await.unwrap_or_else(|e| R::stopped(&e.to_string())));
    }
    out
}

/// What a read answers when its task was stopped before it finished.
trait Stopped {
    fn stopped(why: &str) -> Self;
}

impl<T> Stopped for Result<T, ApiError> {
    fn stopped(why: &str) -> Self {
        Err(ApiError::transport(format!("stopped: {why}"), false))
    }
}

impl<A: Stopped, B: Stopped> Stopped for (A, B) {
    fn stopped(why: &str) -> Self {
        (A::stopped(why), B::stopped(why))
    }
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
    let ids = list.iter().map(|t| t.launch_template_id.clone()).collect();
    let versions: Vec<Result<Vec<LaunchTemplateVersion>, ApiError>> =
        bounded(client, TEMPLATE_CONCURRENCY, ids, |c, id| async move {
            c.describe_launch_template_versions(&id).await
        })
        .await;
    Ok(list
        .into_iter()
        .zip(versions)
        .map(|(template, versions)| TemplateRead { template, versions })
        .collect())
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

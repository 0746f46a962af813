//! Loading the list: every custom image of one region, or of each region several at once,
//! sent to the app page by page as the pages arrive, then one `ImagesDone` per region.

use tokio::sync::mpsc::UnboundedSender;

use crate::app::{Action, ImagesPage};
use crate::ecs::client::{EcsClient, REGIONS_AT_ONCE};
use crate::ecs::error::ApiError;
use crate::ecs::model::{ImageQuery, ImageStatus};
use crate::session::Session;

use super::{in_region, now};

/// What the list loads: every custom image, all statuses (ECS sends only Available when
/// `Status` is absent).
fn list_query() -> ImageQuery {
    ImageQuery {
        owner_alias: Some("self".to_string()),
        statuses: ImageStatus::BROWSE.to_vec(),
        page_size: 100,
        ..ImageQuery::default()
    }
}

/// Every custom image of the region, page by page as they arrive.
pub(super) async fn load_images(
    session: Session,
    region: String,
    generation: u64,
    results: UnboundedSender<Action>,
) {
    match in_region(&session, &region) {
        Ok(s) => load_region(s.client, generation, results).await,
        Err(e) => images_done(&results, generation, region, Err(e)),
    }
}

/// Every custom image of each region, several regions at once (each at its own pace); one
/// `ImagesDone` per region.
pub(super) async fn load_all_images(
    session: Session,
    regions: Vec<String>,
    generation: u64,
    results: UnboundedSender<Action>,
) {
    let out = results.clone();
    let ended = session
        .client
        .in_regions(&regions, REGIONS_AT_ONCE, move |client| {
            let out = out.clone();
            async move {
                load_region(client, generation, out).await;
                Ok(())
            }
        })
        .await;
    // A region no client could be built for never started: say so for it.
    for (region, result) in ended {
        if let Err(e) = result {
            images_done(&results, generation, region, Err(e));
        }
    }
}

/// One region's listing, sent page by page, then how it ended.
async fn load_region(client: EcsClient, generation: u64, results: UnboundedSender<Action>) {
    let region = client.region().to_string();
    let mut count = 0u64;
    let result = client
        .describe_all_images_with(&list_query(), |page| {
            count += page.images.image.len() as u64;
            let _ = results.send(Action::ImagesPage(ImagesPage {
                generation,
                region: region.clone(),
                request_id: page.request_id.clone(),
                page_number: page.page_number,
                total: page.total_count,
                images: page.images.image.clone(),
            }));
        })
        .await;
    // A listing with pages missing is a failure the list shows as incomplete.
    let result = result.and_then(|end| match end.incomplete_error() {
        Some(error) => Err(error),
        None => Ok(count),
    });
    images_done(&results, generation, region, result);
}

fn images_done(
    results: &UnboundedSender<Action>,
    generation: u64,
    region: String,
    result: Result<u64, ApiError>,
) {
    let _ = results.send(Action::ImagesDone {
        generation,
        region,
        result: Box::new(result),
        at: now(),
    });
}

//! Reading every page of a PageNumber/PageSize action at the server's pace — DescribeImages
//! and the usage reads alike: page 1 says how many pages there are, the rest go out as many
//! at once as the [`Pacer`] allows (it grows while the answers keep their latency and backs
//! off on Throttling and on slowing answers), within the per-minute [`Budget`] shared by
//! every client of the account, and they are handed over in page order.
//!
//! The page size the server actually used is taken from page 1 (a server may clamp a size
//! it finds too large), and an answer that claims a huge `TotalCount` costs requests one
//! window at a time, never a task per page.
//!
//! A page that still fails after the transport's retries does not end the listing in
//! silence: the others are still read (unless the failure says the rest would fail too:
//! credentials, permissions, a bad parameter), and the [`ListingEnd`] names the pages that
//! are missing and why. A caller that needs every item ([`EcsClient::all_pages`],
//! [`EcsClient::describe_all_images`]) gets that as its error.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::de::DeserializeOwned;
use tokio::task::JoinSet;
use tokio::time::Instant;

use super::pace::{Budget, Outcome, Pacer, RATE_LIMIT, RATE_WINDOW};
use super::{EcsClient, RetryNotice, RetryObserver};
use crate::ecs::error::{ApiError, ErrorKind};
use crate::ecs::model::{Image, ImagePage, ImageQuery, Paged};
use crate::ecs::sign::Params;

/// More pages than this is not an answer about one region's resources.
const MAX_PAGES: u64 = 10_000;

/// The per-minute budgets of one account, by API and region; shared by every client made
/// from one (`with_region`, `with_retry_observer`).
#[derive(Debug)]
pub(super) struct Budgets {
    start: Instant,
    by_key: Mutex<HashMap<String, Budget>>,
}

impl Default for Budgets {
    fn default() -> Budgets {
        Budgets {
            start: Instant::now(),
            by_key: Mutex::new(HashMap::new()),
        }
    }
}

impl Budgets {
    /// Waits until `key` may be called again, and counts the call.
    async fn take(&self, key: &str) {
        loop {
            let now = self.start.elapsed();
            let wait = {
                let mut map = self.by_key.lock().unwrap_or_else(|p| p.into_inner());
                let budget = map.entry(key.to_string()).or_default();
                let wait = budget.wait(now, RATE_LIMIT, RATE_WINDOW);
                if wait.is_zero() {
                    budget.record(now);
                }
                wait
            };
            if wait.is_zero() {
                return;
            }
            tracing::info!(key, wait_ms = wait.as_millis() as u64, "rate budget spent");
            tokio::time::sleep(wait).await;
        }
    }
}

/// How a listing ended.
#[derive(Debug, Clone)]
pub struct ListingEnd {
    /// What page 1 said the listing holds.
    pub total: u64,
    /// Pages of the listing.
    pub pages: u64,
    /// Images received.
    pub received: u64,
    /// Pages that could not be read, in order.
    pub missing: Vec<u32>,
    /// Why the first missing page is missing.
    pub error: Option<ApiError>,
}

impl ListingEnd {
    pub fn is_complete(&self) -> bool {
        self.missing.is_empty()
    }

    /// For an incomplete listing, its first failure with the message saying what is
    /// missing ("3 of 50 pages could not be read (7, 9, 12): …").
    pub fn incomplete_error(&self) -> Option<ApiError> {
        let mut error = self.error.clone()?;
        error.message = format!("{}: {}", self.shortfall(), error.message);
        Some(error)
    }

    /// "3 of 50 pages could not be read (pages 7, 9, 12); 4,700 of 5,000 images listed".
    pub fn shortfall(&self) -> String {
        let shown: Vec<String> = self.missing.iter().take(8).map(u32::to_string).collect();
        let more = if self.missing.len() > 8 { ", …" } else { "" };
        format!(
            "{} of {} page{} could not be read (page{} {}{more}); {} of {} images listed",
            self.missing.len(),
            self.pages,
            if self.pages == 1 { "" } else { "s" },
            if self.missing.len() == 1 { "" } else { "s" },
            shown.join(", "),
            self.received,
            self.total,
        )
    }
}

/// Every image of a listing, each once, and how it ended.
#[derive(Debug, Clone)]
pub struct Listing {
    pub images: Vec<Image>,
    pub end: ListingEnd,
}

impl EcsClient {
    /// Every image matching `query`, each once. An incomplete listing is an error that says
    /// which pages are missing: a caller that needs every image never gets fewer silently.
    pub async fn describe_all_images(&self, query: &ImageQuery) -> Result<Vec<Image>, ApiError> {
        let listing = self.list_images(query).await?;
        match listing.end.incomplete_error() {
            Some(error) => Err(error),
            None => Ok(listing.images),
        }
    }

    /// Every image matching `query` that could be read, each once, and what is missing.
    /// Fails only when page 1 does (then nothing is known).
    pub async fn list_images(&self, query: &ImageQuery) -> Result<Listing, ApiError> {
        let mut images: Vec<Image> = Vec::new();
        let mut seen = HashSet::new();
        let end = self
            .describe_all_images_with(query, |page| {
                // Paging while images change can show one twice; keep its first sighting.
                images.extend(
                    page.images
                        .image
                        .iter()
                        .filter(|i| seen.insert(i.image_id.clone()))
                        .cloned(),
                );
            })
            .await?;
        Ok(Listing { images, end })
    }

    /// Reads page 1, then the remaining pages at the pace the server allows (at most
    /// `page_concurrency` at once), calling `on_page` for each page in order as soon as it
    /// and every page before it have arrived or failed; each image knows its region. Fails
    /// only when page 1 does.
    pub async fn describe_all_images_with(
        &self,
        query: &ImageQuery,
        mut on_page: impl FnMut(&ImagePage),
    ) -> Result<ListingEnd, ApiError> {
        let mut params = query.params(1);
        params.remove("PageNumber");
        params.remove("PageSize");
        let page_size = u64::from(query.page_size.clamp(1, 100));
        let region = self.region().to_string();
        self.paced_pages::<ImagePage>("DescribeImages", params, page_size, |mut page| {
            for image in &mut page.images.image {
                image.region_id.clone_from(&region);
            }
            on_page(&page);
        })
        .await
    }

    /// Every item `action` lists for `params`, `page_size` a page; a page that could not be
    /// read makes it an error saying which.
    pub(super) async fn all_pages<P>(
        &self,
        action: &'static str,
        params: Params,
        page_size: u64,
    ) -> Result<Vec<P::Item>, ApiError>
    where
        P: DeserializeOwned + Paged + Send + 'static,
    {
        let mut items = Vec::new();
        let end = self
            .paced_pages::<P>(action, params, page_size, |page| {
                items.extend(page.into_items())
            })
            .await?;
        match end.incomplete_error() {
            Some(error) => Err(error),
            None => Ok(items),
        }
    }

    /// The one pager: page 1, then the rest as the pacer and the budget allow, each handed
    /// to `on_page` in page order. Fails only when page 1 does.
    async fn paced_pages<P>(
        &self,
        action: &'static str,
        params: Params,
        page_size: u64,
        mut on_page: impl FnMut(P),
    ) -> Result<ListingEnd, ApiError>
    where
        P: DeserializeOwned + Paged + Send + 'static,
    {
        let page_params = |number: u64, size: u64| {
            let mut params = params.clone();
            params.insert("PageNumber".into(), number.to_string());
            params.insert("PageSize".into(), size.to_string());
            params
        };
        let first: P = self.call_as(action, page_params(1, page_size)).await?;
        let total = first.total();
        let received = first.count() as u64;
        // The size the server used: it may clamp what it finds too large.
        let served = received.min(page_size);
        let pages = if served == 0 || received >= total {
            1
        } else {
            total.div_ceil(served).min(MAX_PAGES)
        };
        let mut end = ListingEnd {
            total,
            pages,
            received,
            missing: Vec::new(),
            error: None,
        };
        on_page(first);

        let pacer = Arc::new(Mutex::new(Pacer::new(self.inner.config.page_concurrency)));
        let budget_key = format!("{action}@{}", self.region());
        let mut running: JoinSet<(u32, Result<P, ApiError>, Outcome)> = JoinSet::new();
        // Pages that arrived ahead of an earlier one, and pages known to be missing.
        let mut arrived: BTreeMap<u32, Option<P>> = BTreeMap::new();
        let mut next_to_send: u64 = 2;
        let mut next_to_hand: u32 = 2;
        let mut stop_sending = false;
        loop {
            while !stop_sending && next_to_send <= pages && lock(&pacer).may_start() {
                self.inner.budgets.take(&budget_key).await;
                lock(&pacer).started();
                let page = next_to_send as u32;
                let params = page_params(next_to_send, served);
                running.spawn(
                    self.clone()
                        .paced_page::<P>(action, params, page, pacer.clone()),
                );
                next_to_send += 1;
            }
            let Some(joined) = running.join_next().await else {
                break;
            };
            let (page, result, outcome) = joined.map_err(|e| {
                ApiError::transport(format!("{action}: page fetch stopped: {e}"), false)
            })?;
            {
                let mut p = lock(&pacer);
                p.finished(outcome);
                tracing::debug!(
                    action,
                    page,
                    ?outcome,
                    limit = p.limit(),
                    in_flight = p.in_flight(),
                    "page back"
                );
            }
            match result {
                Ok(p) => {
                    arrived.insert(page, Some(p));
                }
                Err(error) => {
                    tracing::warn!(action, page, code = %error.code, "page could not be read");
                    // Another page would meet the same refusal: stop asking, say what is
                    // missing. A busy server or one damaged answer says nothing of the rest.
                    if !matches!(
                        error.kind,
                        ErrorKind::Throttled
                            | ErrorKind::Server
                            | ErrorKind::Transport
                            | ErrorKind::Decode
                    ) {
                        stop_sending = true;
                    }
                    end.error.get_or_insert(error);
                    arrived.insert(page, None);
                }
            }
            while let Some(slot) = arrived.remove(&next_to_hand) {
                match slot {
                    Some(p) => {
                        end.received += p.count() as u64;
                        on_page(p);
                    }
                    None => end.missing.push(next_to_hand),
                }
                next_to_hand += 1;
            }
        }
        // Pages never sent (after a refusal) are missing too, in order.
        for page in u64::from(next_to_hand)..=pages {
            if let Some(Some(p)) = arrived.remove(&(page as u32)) {
                end.received += p.count() as u64;
                on_page(p);
            } else {
                end.missing.push(page as u32);
            }
        }
        Ok(end)
    }

    /// One page, timed; tells the pacer when ECS throttles it while it is being retried.
    async fn paced_page<P: DeserializeOwned>(
        self,
        action: &'static str,
        params: Params,
        page: u32,
        pacer: Arc<Mutex<Pacer>>,
    ) -> (u32, Result<P, ApiError>, Outcome) {
        let retried = Arc::new(AtomicBool::new(false));
        let previous = self.inner.retry_observer.clone();
        let seen = retried.clone();
        let observer: RetryObserver = Arc::new(move |notice: &RetryNotice| {
            seen.store(true, Ordering::Relaxed);
            if notice.code.starts_with("Throttling") {
                lock(&pacer).throttled();
            }
            if let Some(previous) = &previous {
                previous(notice);
            }
        });
        let client = self.with_retry_observer(observer);
        let started = Instant::now();
        let result = client.call_as::<P>(action, params).await;
        let elapsed: Duration = started.elapsed();
        let outcome = match (&result, retried.load(Ordering::Relaxed)) {
            (Ok(_), false) => Outcome::Answered(elapsed),
            _ => Outcome::Other,
        };
        (page, result, outcome)
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

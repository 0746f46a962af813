//! Reading every page of a PageNumber/PageSize action: page 1 says how many there are,
//! the rest are read a few at a time and handed back in order.
//!
//! The page size the server actually used is taken from page 1 (a server may clamp a size
//! it finds too large), and the number of requests in flight is bounded, so an answer that
//! claims a huge `TotalCount` costs requests one window at a time, never a task per page.

use std::collections::VecDeque;

use serde::de::DeserializeOwned;

use super::EcsClient;
use crate::ecs::error::ApiError;
use crate::ecs::model::Paged;
use crate::ecs::sign::Params;

/// More pages than this is not an answer about one region's resources.
const MAX_PAGES: u64 = 10_000;

impl EcsClient {
    /// Every item `action` lists for `params`, `page_size` a page.
    pub(super) async fn all_pages<P>(
        &self,
        action: &'static str,
        params: Params,
        page_size: u64,
    ) -> Result<Vec<P::Item>, ApiError>
    where
        P: DeserializeOwned + Paged + Send + 'static,
        P::Item: Send + 'static,
    {
        let page = |number: u64| {
            let mut params = params.clone();
            params.insert("PageNumber".into(), number.to_string());
            params.insert("PageSize".into(), page_size.to_string());
            params
        };
        let first: P = self.call_as(action, page(1)).await?;
        let total = first.total();
        let mut items = first.into_items();
        let served = (items.len() as u64).min(page_size);
        if served == 0 || items.len() as u64 >= total {
            return Ok(items);
        }
        let pages = total.div_ceil(served).min(MAX_PAGES);
        let window = self.inner.config.page_concurrency.max(1);
        let mut in_flight = VecDeque::new();
        let mut next = 2;
        while next <= pages || !in_flight.is_empty() {
            while next <= pages && in_flight.len() < window {
                let client = self.clone();
                let mut params = page(next);
                params.insert("PageSize".into(), served.to_string());
                in_flight.push_back(tokio::spawn(async move {
                    client.call_as::<P>(action, params).await
                }));
                next += 1;
            }
            let Some(task) = in_flight.pop_front() else {
                break;
            };
            let result = task.await.map_err(|e| {
                ApiError::transport(format!("{action}: page fetch stopped: {e}"), false)
            });
            match result.and_then(|r| r) {
                Ok(page) => items.extend(page.into_items()),
                Err(e) => {
                    for task in &in_flight {
                        task.abort();
                    }
                    return Err(e);
                }
            }
        }
        Ok(items)
    }
}

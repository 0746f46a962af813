//! The same work in many regions at once: one client per region (the custom endpoint for
//! all of them, or each region's own public or VPC endpoint), a bounded number of regions
//! in flight, every region's result kept — one region failing loses none of the others.

use std::future::Future;

use tokio::task::JoinSet;

use super::EcsClient;
use crate::ecs::error::ApiError;

/// Regions worked on at once by [`EcsClient::in_regions`]: each region pages at its own
/// pace (ECS throttles per region), so a few regions at once cost the largest little.
pub const REGIONS_AT_ONCE: usize = 16;

impl EcsClient {
    /// Runs `work` with a client for each of `regions`, at most `at_once` regions at a
    /// time; the results in the order of `regions`. A region ecsimg will not build a URL
    /// for is that region's error, and nothing is sent for it.
    pub async fn in_regions<T, F, Fut>(
        &self,
        regions: &[String],
        at_once: usize,
        work: F,
    ) -> Vec<(String, Result<T, ApiError>)>
    where
        T: Send + 'static,
        F: Fn(EcsClient) -> Fut,
        Fut: Future<Output = Result<T, ApiError>> + Send + 'static,
    {
        let mut results: Vec<Option<Result<T, ApiError>>> = regions.iter().map(|_| None).collect();
        let mut running = JoinSet::new();
        let mut next = 0;
        loop {
            while next < regions.len() && running.len() < at_once.max(1) {
                let i = next;
                next += 1;
                match self.with_region(&regions[i]) {
                    Ok(client) => {
                        let job = work(client);
                        running.spawn(async move { (i, job.await) });
                    }
                    Err(e) => results[i] = Some(Err(e)),
                }
            }
            let Some(joined) = running.join_next().await else {
                break;
            };
            match joined {
                Ok((i, result)) => results[i] = Some(result),
                Err(e) => tracing::error!(error = %e, "a region's work stopped"),
            }
        }
        regions
            .iter()
            .cloned()
            .zip(results)
            .map(|(region, result)| {
                let result = result.unwrap_or_else(|| {
                    Err(ApiError::transport(
                        format!("the work for {region} stopped before it ended"),
                        false,
                    ))
                });
                (region, result)
            })
            .collect()
    }
}

//! Listing every page at the server's pace, against a scripted server over loopback: more
//! than four pages at once when the server keeps up, never more than the ceiling, pages
//! handed over in order, Throttling mid-listing survived, and a page that fails after its
//! retries named as missing — never a silently short list.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::support::scripted::{Reply, ScriptedServer};
use ecsimg::ecs::client::{ClientConfig, EcsClient, Endpoint};
use ecsimg::ecs::credentials::{AccessKey, Credentials};
use ecsimg::ecs::model::ImageQuery;

const PER_PAGE: u32 = 100;

fn client(server: &ScriptedServer, ceiling: usize) -> EcsClient {
    let mut config = ClientConfig::new("cn-hangzhou", Endpoint::Custom(server.endpoint()));
    config.retry_base = Duration::from_millis(1);
    config.page_concurrency = ceiling;
    EcsClient::new(
        config,
        Credentials::fixed(AccessKey::new("LTAI5tPagingKey0001", "s")),
    )
    .unwrap()
}

fn page_number(r: &crate::support::scripted::Received) -> u32 {
    r.params["PageNumber"].parse().unwrap()
}

fn page_body(page: u32, total: u32) -> String {
    let first = (page - 1) * PER_PAGE;
    let images: Vec<String> = (first..(first + PER_PAGE).min(total))
        .map(|i| format!(r#"{{"ImageId":"m-{i:05}","ImageName":"img-{i}","Status":"Available"}}"#))
        .collect();
    format!(
        r#"{{"RequestId":"P{page}","RegionId":"cn-hangzhou","TotalCount":{total},"PageNumber":{page},"PageSize":{PER_PAGE},"Images":{{"Image":[{}]}}}}"#,
        images.join(",")
    )
}

/// A server whose every answer takes `delay`, recording when each page was asked for.
fn paced_server(server: &ScriptedServer, total: u32, delay: Duration) -> Arc<Mutex<Vec<Instant>>> {
    let arrivals = Arc::new(Mutex::new(Vec::new()));
    let seen = arrivals.clone();
    server.respond_with(move |r| {
        seen.lock().unwrap().push(Instant::now());
        Some(Reply::ok(&page_body(page_number(r), total)).delayed(delay))
    });
    arrivals
}

/// The most requests the server held at once: each is held `delay` from its arrival.
fn most_at_once(arrivals: &[Instant], delay: Duration) -> usize {
    // A little under the hold, so a request sent the moment another was answered does
    // not count as overlapping it.
    let window = delay.mul_f64(0.9);
    arrivals
        .iter()
        .map(|t| {
            arrivals
                .iter()
                .filter(|o| *o <= t && t.duration_since(**o) < window)
                .count()
        })
        .max()
        .unwrap_or(0)
}

#[tokio::test]
async fn a_server_that_keeps_up_gets_more_than_four_pages_at_once_but_never_more_than_the_ceiling()
{
    let delay = Duration::from_millis(100);
    let server = ScriptedServer::start().await;
    let arrivals = paced_server(&server, 60 * PER_PAGE, delay);
    let images = client(&server, 16)
        .describe_all_images(&ImageQuery::default())
        .await
        .unwrap();
    assert_eq!(images.len(), 6000);
    let most = most_at_once(&arrivals.lock().unwrap(), delay);
    assert!(
        most > 4 && most <= 16,
        "{most} pages in flight at most: the pace should grow past four, up to 16"
    );

    let server = ScriptedServer::start().await;
    let arrivals = paced_server(&server, 40 * PER_PAGE, delay);
    client(&server, 6)
        .describe_all_images(&ImageQuery::default())
        .await
        .unwrap();
    let most = most_at_once(&arrivals.lock().unwrap(), delay);
    assert!(most <= 6, "{most} in flight with a ceiling of 6");
}

#[tokio::test]
async fn throttling_mid_listing_is_retried_and_pages_still_arrive_in_order_once_each() {
    let server = ScriptedServer::start().await;
    let total = 30 * PER_PAGE;
    let throttled: Arc<Mutex<HashSet<u32>>> = Arc::default();
    let asked: Arc<Mutex<HashMap<u32, usize>>> = Arc::default();
    let (t, a) = (throttled.clone(), asked.clone());
    server.respond_with(move |r| {
        let page = page_number(r);
        *a.lock().unwrap().entry(page).or_default() += 1;
        // Pages 5 to 12 are refused once each, as ECS's flow control would.
        if (5..=12).contains(&page) && t.lock().unwrap().insert(page) {
            return Some(Reply::error(
                400,
                "Throttling.User",
                "Request was denied due to user flow control.",
            ));
        }
        // Early pages answer last, so arrival order is not page order.
        let delay = Duration::from_millis(u64::from(30 - page.min(30)) * 3);
        Some(Reply::ok(&page_body(page, total)).delayed(delay))
    });
    let c = client(&server, 16);
    let mut order = Vec::new();
    let mut ids = Vec::new();
    let end = c
        .describe_all_images_with(&ImageQuery::default(), |p| {
            order.push(p.page_number);
            ids.extend(p.images.image.iter().map(|i| i.image_id.clone()));
        })
        .await
        .unwrap();
    assert!(end.is_complete(), "{}", end.shortfall());
    assert_eq!(order, (1..=30).collect::<Vec<u64>>());
    assert_eq!(ids.len(), total as usize);
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "images in page order");
    let asked = asked.lock().unwrap();
    for page in 1..=30u32 {
        let expected = if (5..=12).contains(&page) { 2 } else { 1 };
        assert_eq!(
            asked[&page], expected,
            "page {page}: asked once, or retried once"
        );
    }
}

#[tokio::test]
async fn a_page_that_fails_after_its_retries_makes_the_listing_say_it_is_incomplete() {
    let server = ScriptedServer::start().await;
    let total = 12 * PER_PAGE;
    let asked: Arc<Mutex<HashMap<u32, usize>>> = Arc::default();
    let a = asked.clone();
    server.respond_with(move |r| {
        let page = page_number(r);
        *a.lock().unwrap().entry(page).or_default() += 1;
        Some(if page == 7 {
            Reply::error(
                503,
                "ServiceUnavailable",
                "The request has failed due to a temporary failure of the server.",
            )
        } else {
            Reply::ok(&page_body(page, total))
        })
    });
    let c = client(&server, 16);
    let listing = c.list_images(&ImageQuery::default()).await.unwrap();
    assert!(!listing.end.is_complete());
    assert_eq!(listing.end.missing, [7]);
    assert_eq!(listing.end.received, u64::from(total - PER_PAGE));
    assert_eq!(
        listing.images.len(),
        (total - PER_PAGE) as usize,
        "the other pages are kept"
    );
    assert!(listing
        .images
        .iter()
        .all(|i| !i.image_id.starts_with("m-006")));
    assert_eq!(
        asked.lock().unwrap()[&7],
        4,
        "the first try and three retries"
    );
    assert_eq!(
        listing.end.error.as_ref().unwrap().code,
        "ServiceUnavailable"
    );

    // A caller that needs every image gets an error that says what is missing.
    let err = c
        .describe_all_images(&ImageQuery::default())
        .await
        .unwrap_err();
    assert_eq!(err.code, "ServiceUnavailable");
    assert!(
        err.message
            .contains("1 of 12 pages could not be read (page 7); 1100 of 1200 images listed"),
        "{err}"
    );
}

#[tokio::test]
async fn a_refusal_mid_listing_stops_asking_and_names_every_page_not_read() {
    let server = ScriptedServer::start().await;
    let total = 40 * PER_PAGE;
    server.respond_with(move |r| {
        let page = page_number(r);
        Some(if page >= 3 {
            Reply::error(
                403,
                "Forbidden.RAM",
                "User not authorized to operate on the specified resource.",
            )
        } else {
            Reply::ok(&page_body(page, total)).delayed(Duration::from_millis(20))
        })
    });
    let c = client(&server, 16);
    let listing = c.list_images(&ImageQuery::default()).await.unwrap();
    assert_eq!(listing.images.len(), 2 * PER_PAGE as usize);
    assert_eq!(listing.end.missing, (3..=40).collect::<Vec<u32>>());
    assert!(
        server.received().len() < 40,
        "no point asking for every page once ECS refuses: {} requests",
        server.received().len()
    );
}

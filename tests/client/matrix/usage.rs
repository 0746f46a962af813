//! The fault matrix's usage column: `usage::check` for one image (instances over two pages,
//! launch templates and their versions, scaling groups and configurations, the family's
//! resolution, shares) with the fault on every request. A source that fails is an
//! "unchecked" entry with its code and words to act on — never an empty list, never
//! "nothing uses it", never the whole answer failing — and a source that answered says
//! exactly what it says without the fault.

use ecsimg::change::{ImageUsage, Source};
use ecsimg::ecs::model::{Image, ImageStatus};
use ecsimg::usage;

use super::{Bench, Make, Read, Row, REGION};

const SOURCES: [Source; 4] = [
    Source::Instances,
    Source::LaunchTemplates,
    Source::Scaling,
    Source::Shares,
];

/// The first requests of a check: instances, the template list, scaling groups, scaling
/// configurations, the family's resolution and the shares, all at once.
const FIRST_CALLS: u64 = 6;

/// The demo's latest web-frontend image: 130 instances, a default template version, two
/// active scaling groups (one through the family).
fn used_image(bench: &Bench) -> Image {
    bench
        .sim
        .images(REGION)
        .into_iter()
        .filter(|i| i.image_family == "web-frontend" && i.status == ImageStatus::Available)
        .max_by(|a, b| a.creation_time.cmp(&b.creation_time))
        .expect("the demo's web-frontend family")
}

/// One source's part of an answer, to compare with the answer without the fault.
fn part(usage: &ImageUsage, source: Source) -> String {
    match source {
        Source::Instances => format!("{:?}", usage.instances),
        Source::LaunchTemplates => format!("{:?}", usage.launch_templates),
        Source::Scaling => format!("{:?}", usage.scaling),
        Source::Shares => format!("{:?}", usage.shared_with),
    }
}

/// Runs the check under `row`'s fault and checks it; returns what it ended with.
pub(super) async fn cell(row: &Row) -> String {
    let bench = Bench::new(row.make).await;
    let image = used_image(&bench);
    let clean = usage::check(&bench.clean.client, &image).await;
    assert!(clean.unchecked.is_empty(), "{:?}", clean.unchecked);
    assert!(!clean.in_use().is_empty(), "the image is in use");
    let start = bench.sim.faults().calls();
    bench.inject(row.make, None);
    let got = usage::check(&bench.faulty.client, &image).await;
    bench.sim.faults().clear();
    let requests = bench.sim.faults().calls() - start;
    let retries = bench.retries.load(std::sync::atomic::Ordering::SeqCst);
    let cell = format!("{} × Usage", row.name);

    // Never "nothing uses it" while a source is unread, and every source is accounted for:
    // answered as without the fault, or unchecked with its code and what to do.
    assert!(!got.is_unused(), "{cell}: said unused: {got:?}");
    assert!(!got.in_use().is_empty(), "{cell}: said not in use: {got:?}");
    for source in SOURCES {
        let unchecked: Vec<_> = got
            .unchecked
            .iter()
            .filter(|u| u.source == source)
            .collect();
        match unchecked.as_slice() {
            [] => assert_eq!(
                part(&got, source),
                part(&clean, source),
                "{cell}: {source:?} answered, but not as without the fault"
            ),
            [u] => {
                assert!(!u.code.is_empty() && !u.reason.is_empty(), "{cell}: {u:?}");
                // What was read of it is still shown (a group found by image while the
                // family's resolution failed), and nothing else.
                assert!(
                    within(&got, &clean, source),
                    "{cell}: {source:?} unchecked, and shows what is not there"
                );
            }
            more => panic!("{cell}: {source:?} unchecked {} times", more.len()),
        }
    }
    let said = match row.read {
        // Calls throttled together come back together: one of the check's calls at once
        // may meet the throttle on all four attempts, and its source is then unchecked.
        Read::Ok | Read::OkOrFails { .. } => {
            if matches!(row.read, Read::Ok) {
                assert!(
                    got.unchecked
                        .iter()
                        .all(|u| u.code.starts_with("Throttling")),
                    "{cell}: {:?}",
                    got.unchecked
                );
            }
            for u in &got.unchecked {
                assert!(
                    matches!(
                        u.code.as_str(),
                        "ServiceUnavailable" | "InternalError" | "Throttling"
                    ),
                    "{cell}: {u:?}"
                );
            }
            format!("{} of 4 sources unchecked", sources(&got))
        }
        Read::Fails { code, says, .. } => {
            assert_eq!(sources(&got), 4, "{cell}: {:?}", got.unchecked);
            for u in &got.unchecked {
                assert!(u.code.starts_with(code), "{cell}: {u:?}");
                assert!(u.reason.contains(says), "{cell}: {u:?}");
            }
            // Each call made its attempts and no more: the first six, one after another
            // failing, stop their source (a failed template list reads no versions).
            let calls = match row.make {
                Make::Refused | Make::BlackHole => FIRST_CALLS,
                _ => {
                    assert_eq!(requests % row.attempts, 0, "{cell}: {requests} requests");
                    requests / row.attempts
                }
            };
            assert_eq!(calls, FIRST_CALLS, "{cell}: calls");
            assert_eq!(retries, calls * (row.attempts - 1), "{cell}: retries");
            let code = &got.unchecked[0].code;
            format!("all 4 sources unchecked ({code}), {retries} retries")
        }
    };
    let most = requests.max(FIRST_CALLS * row.attempts) * (row.attempts - 1) / row.attempts;
    assert!(retries <= most, "{cell}: {retries} retries, at most {most}");
    said
}

/// `got`'s part of `source` is all in `clean`'s.
fn within(got: &ImageUsage, clean: &ImageUsage, source: Source) -> bool {
    fn all_in<T: PartialEq>(part: &[T], whole: &[T]) -> bool {
        part.iter().all(|x| whole.contains(x))
    }
    match source {
        Source::Instances => {
            got.instances == clean.instances || got.instances == Default::default()
        }
        Source::LaunchTemplates => all_in(&got.launch_templates, &clean.launch_templates),
        Source::Scaling => all_in(&got.scaling, &clean.scaling),
        Source::Shares => all_in(&got.shared_with, &clean.shared_with),
    }
}

/// How many sources are unchecked.
fn sources(usage: &ImageUsage) -> usize {
    let mut seen: Vec<Source> = usage.unchecked.iter().map(|u| u.source).collect();
    seen.sort();
    seen.dedup();
    seen.len()
}

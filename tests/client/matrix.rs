//! The fault matrix: every operation that exists, against the simulator (over real sockets)
//! under every fault, one row a fault and one column an operation. For each pair: no panic;
//! the error's kind, exit code and advice; at most four attempts a call (none after an
//! answer that another attempt cannot change); and for a change, the journal and the
//! simulator agree — applied only if the simulator has it, not applied only if it does not,
//! an ambiguous answer settled by one re-read — and the TUI keeps the form as typed.
//!
//! A new operation is one more `Op` (and its arm in `run`); a new fault one more `FAULTS`
//! row. The usage check and a bulk of 50 have their own columns, in `matrix/usage.rs` and
//! `matrix/bulk.rs`, with the same rows. RELIABILITY.md carries this table in words.

mod bulk;
mod usage;

use std::net::SocketAddr;
use std::time::Duration;

use crossterm::event::KeyCode;
use ecsimg::app::{self, Action, Command, Screen};
use ecsimg::change::{undo_plan, ApplyError, ApplyMode, ImageChanges, ItemOutcome, Operation};
use ecsimg::cli::{CliError, Exit};
use ecsimg::ecs::client::{ClientConfig, EcsClient, Endpoint};
use ecsimg::ecs::credentials::Credentials;
use ecsimg::ecs::error::ApiError;
use ecsimg::ecs::model::{Image, ImageQuery, ImageStatus};
use ecsimg::exec::{self, StopSignal};
use ecsimg::session::Session;
use ecsimg::sim::{self, Fault, SimConfig, SimHandle};
use ecsimg::store::Journal;

use crate::support::tui;

const REGION: &str = "cn-hangzhou";
/// Short, so a fault of "no answer" costs a test a second or two, not minutes.
const READ_TIMEOUT: Duration = Duration::from_millis(300);

/// How a fault is made.
#[derive(Debug, Clone, Copy)]
enum Make {
    /// Every request waits this long before the simulator acts on it (beyond the read
    /// timeout); a request whose client gave up is dropped unacted.
    Latency(Duration),
    /// Half the requests are answered 503 or 500, at random (a fixed seed).
    HalfServerErrors,
    /// Every second request is answered `Throttling`.
    ThrottleEverySecond,
    /// The simulator's fault, on every request of a read; on the attempts of a change
    /// (then its re-read gets through).
    Sim(Fault),
    /// Nothing listens on the port.
    Refused,
    /// A server accepts the connection and never answers.
    BlackHole,
}

/// What a read ends with under a fault.
#[derive(Debug, Clone, Copy)]
enum Read {
    Ok,
    /// Either: a random fault may or may not outlast the retries.
    OkOrFails {
        exit: Exit,
    },
    Fails {
        exit: Exit,
        code: &'static str,
        says: &'static str,
    },
}

struct Row {
    name: &'static str,
    make: Make,
    /// How many attempts one call makes under this fault: 4 for what may succeed on a retry,
    /// 1 for an answer that another attempt cannot change.
    attempts: u64,
    read: Read,
    /// What the journal may say after a change under this fault (`outcome.result`).
    journal: &'static [&'static str],
    /// The change's exit code (0: applied, found so by the re-read).
    change_exit: &'static [Exit],
}

const FAULTS: &[Row] = &[
    Row {
        name: "latency beyond the read timeout",
        make: Make::Latency(Duration::from_millis(1500)),
        attempts: 4,
        read: Read::Fails {
            exit: Exit::Network,
            code: "Timeout",
            says: "check the network",
        },
        journal: &["applied", "not_applied"],
        change_exit: &[Exit::Ok, Exit::Network],
    },
    Row {
        name: "answer held past the read timeout (ECS acted)",
        make: Make::Sim(Fault::HeldAnswer),
        attempts: 4,
        read: Read::Fails {
            exit: Exit::Network,
            code: "Timeout",
            says: "check the network",
        },
        journal: &["applied"],
        change_exit: &[Exit::Ok],
    },
    Row {
        name: "50% 5xx (503 and 500)",
        make: Make::HalfServerErrors,
        attempts: 4,
        read: Read::OkOrFails { exit: Exit::Api },
        journal: &["applied", "not_applied", "uncertain"],
        change_exit: &[Exit::Ok, Exit::Api],
    },
    Row {
        name: "Throttling every 2nd call",
        make: Make::ThrottleEverySecond,
        attempts: 2,
        read: Read::Ok,
        journal: &["applied"],
        change_exit: &[Exit::Ok],
    },
    Row {
        name: "connection reset mid-response",
        make: Make::Sim(Fault::Reset),
        attempts: 4,
        read: Read::Fails {
            exit: Exit::Network,
            code: "Transport",
            says: "check the network",
        },
        journal: &["applied"],
        change_exit: &[Exit::Ok],
    },
    Row {
        name: "truncated body",
        make: Make::Sim(Fault::Truncated),
        attempts: 1,
        read: Read::Fails {
            exit: Exit::Api,
            code: "Decode",
            says: "is the endpoint right",
        },
        journal: &["applied"],
        change_exit: &[Exit::Ok],
    },
    Row {
        name: "malformed JSON (200)",
        make: Make::Sim(Fault::Malformed),
        attempts: 1,
        read: Read::Fails {
            exit: Exit::Api,
            code: "Decode",
            says: "is the endpoint right",
        },
        journal: &["applied"],
        change_exit: &[Exit::Ok],
    },
    Row {
        name: "HTML error page, status 502",
        make: Make::Sim(Fault::BadGateway),
        attempts: 4,
        read: Read::Fails {
            exit: Exit::Api,
            code: "Decode",
            says: "is the endpoint right",
        },
        journal: &["not_applied"],
        change_exit: &[Exit::Api],
    },
    Row {
        name: "200 with an empty body",
        make: Make::Sim(Fault::EmptyOk),
        attempts: 1,
        read: Read::Fails {
            exit: Exit::Api,
            code: "Decode",
            says: "is the endpoint right",
        },
        journal: &["applied"],
        change_exit: &[Exit::Ok],
    },
    Row {
        name: "50 MB body",
        make: Make::Sim(Fault::Huge),
        attempts: 1,
        read: Read::Fails {
            exit: Exit::Api,
            code: "ResponseTooLarge",
            says: "not a proxy's page or a download",
        },
        journal: &["applied"],
        change_exit: &[Exit::Ok],
    },
    Row {
        name: "connection refused",
        make: Make::Refused,
        attempts: 4,
        read: Read::Fails {
            exit: Exit::Network,
            code: "Transport",
            says: "check the network",
        },
        journal: &["refused"],
        change_exit: &[Exit::Network],
    },
    Row {
        name: "accepts and never answers",
        make: Make::BlackHole,
        attempts: 4,
        read: Read::Fails {
            exit: Exit::Network,
            code: "Timeout",
            says: "check the network",
        },
        journal: &["uncertain"],
        change_exit: &[Exit::Network],
    },
];

/// The operations that exist now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    /// Every page of DescribeImages (50 a page: seven pages).
    ListAll,
    /// A family's members and what it resolves to (two calls at once).
    FamilyFacts,
    /// A change of description, through `exec`.
    Modify,
    /// The undo of a change made before the fault, through `exec`.
    Undo,
}

const OPS: &[Op] = &[Op::ListAll, Op::FamilyFacts, Op::Modify, Op::Undo];

/// A simulator, a journal, and a session pointed at the simulator or at the fault's own
/// endpoint.
struct Bench {
    sim: SimHandle,
    _dir: tempfile::TempDir,
    journal: Journal,
    clean: Session,
    faulty: Session,
    /// Retries the faulty session's client made (each attempt after a call's first).
    retries: std::sync::Arc<std::sync::atomic::AtomicU64>,
    _hole: Option<tokio::task::JoinHandle<()>>,
}

fn session(endpoint: String, journal: &Journal) -> Session {
    let mut config = ClientConfig::new(REGION, Endpoint::Custom(endpoint));
    config.retry_base = Duration::from_millis(1);
    config.read_timeout = READ_TIMEOUT;
    config.connect_timeout = READ_TIMEOUT;
    Session {
        client: EcsClient::new(config, Credentials::fixed(sim::demo_access_key())).unwrap(),
        profile: "demo".into(),
        endpoint_kind: "custom".into(),
        demo: true,
        read_only: false,
        journal: Some(journal.clone()),
    }
}

/// A port nothing listens on.
fn refused_port() -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap()
}

/// A server that accepts and never answers (nor closes), until dropped.
async fn black_hole() -> (SocketAddr, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let task = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    (addr, task)
}

impl Bench {
    async fn new(make: Make) -> Bench {
        let sim = sim::start(SimConfig::demo().with_fault_seed(7))
            .await
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::at(dir.path().join("journal.jsonl"));
        let clean = session(sim.endpoint(), &journal);
        let (endpoint, hole) = match make {
            Make::Refused => (format!("http://{}/", refused_port()), None),
            Make::BlackHole => {
                let (addr, task) = black_hole().await;
                (format!("http://{addr}/"), Some(task))
            }
            _ => (sim.endpoint(), None),
        };
        let mut faulty = session(endpoint, &journal);
        let retries = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
        let counted = retries.clone();
        faulty.client = faulty
            .client
            .with_retry_observer(std::sync::Arc::new(move |_| {
                counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            }));
        Bench {
            sim,
            _dir: dir,
            journal,
            clean,
            faulty,
            retries,
            _hole: hole,
        }
    }

    /// Turns the fault on: for every request, or for the next `attempts` (one call's).
    fn inject(&self, make: Make, attempts: Option<u64>) {
        let faults = self.sim.faults();
        match make {
            Make::Latency(delay) => faults.set_latency(delay, Duration::ZERO),
            Make::HalfServerErrors => faults.set_error_rate(0.5),
            Make::ThrottleEverySecond => faults.set_throttle_every(2),
            Make::Sim(fault) => match attempts {
                Some(n) => faults.fail_next(n as usize, fault),
                None => faults.update(|s| s.always = Some(fault)),
            },
            Make::Refused | Make::BlackHole => {}
        }
    }

    /// An Available custom image nobody shares, with its family if `in_family`.
    fn image(&self, in_family: bool) -> Image {
        self.sim
            .images(REGION)
            .into_iter()
            .find(|i| {
                i.status == ImageStatus::Available
                    && !i.is_shared()
                    && i.image_owner_alias == "self"
                    && i.family().is_some() == in_family
            })
            .expect("such an image in the demo inventory")
    }
}

/// What one operation did.
enum Done {
    Read(Result<(), ApiError>),
    Change {
        outcome: Box<ItemOutcome>,
        image: String,
        wanted: String,
        /// Requests the change made (its attempts and its re-read).
        calls: u64,
    },
}

async fn run(bench: &Bench, row: &Row, op: Op) -> Done {
    let faults = bench.sim.faults();
    match op {
        Op::ListAll | Op::FamilyFacts => {
            bench.inject(row.make, None);
            let client = &bench.faulty.client;
            let result = if op == Op::ListAll {
                let query = ImageQuery {
                    page_size: 50,
                    ..ImageQuery::default()
                };
                client.describe_all_images(&query).await.map(|all| {
                    let ids: std::collections::HashSet<_> =
                        all.iter().map(|i| &i.image_id).collect();
                    assert_eq!(ids.len(), all.len(), "{}: an image twice", row.name);
                    assert!(all.len() >= 300, "{}: {} images", row.name, all.len());
                })
            } else {
                let family = bench.image(true).image_family;
                exec::family_facts(&bench.faulty, &family)
                    .await
                    .map(|facts| assert!(!facts.members.is_empty(), "{}", row.name))
            };
            Done::Read(result)
        }
        Op::Modify | Op::Undo => {
            let before = bench.image(false);
            let wanted = format!("set under {}", row.name);
            let (current, operation) = if op == Op::Modify {
                let changes = ImageChanges {
                    description: Some(wanted.clone()),
                    ..ImageChanges::default()
                };
                (before.clone(), Operation::Modify(changes))
            } else {
                // A change made cleanly first; its undo is what meets the fault.
                let changes = ImageChanges {
                    description: Some("to be undone".into()),
                    ..ImageChanges::default()
                };
                exec::apply_change(&bench.clean, &before, &changes, ApplyMode::Send, "cli")
                    .await
                    .expect("the change to undo");
                let entry = bench.journal.entries().unwrap().pop().unwrap();
                let current = bench.clean.client.describe_image(&before.image_id).await;
                let current = current.unwrap().unwrap();
                let plan = undo_plan(&entry, &current);
                (current, plan.operation)
            };
            let Operation::Modify(changes) = &operation;
            let wanted = changes.description.clone().unwrap_or(wanted);
            let start = faults.calls();
            bench.inject(row.make, Some(row.attempts));
            let mut never = StopSignal::never();
            let apply = exec::apply_one(
                &bench.faulty,
                &current,
                &operation,
                ApplyMode::Send,
                "cli",
                &mut never,
            );
            // Under latency, the re-read is what settles the change: it is let through once
            // every attempt of the change has arrived.
            let let_reread_through = async {
                if !matches!(row.make, Make::Latency(_)) {
                    return std::future::pending().await;
                }
                while faults.calls() < start + row.attempts {
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
                faults.set_latency(Duration::ZERO, Duration::ZERO);
            };
            tokio::pin!(apply);
            let outcome = tokio::select! {
                outcome = &mut apply => outcome,
                () = let_reread_through => apply.await,
            };
            Done::Change {
                outcome: Box::new(outcome),
                image: before.image_id,
                wanted,
                calls: faults.calls() - start,
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_under_every_fault() {
    let report = rows(|row| async move {
        let mut said = Vec::new();
        for &op in OPS {
            let bench = Bench::new(row.make).await;
            let done = run(&bench, row, op).await;
            let cell = check(&bench, row, op, done).await;
            said.push(format!("{:<32} {:<12} {cell}", row.name, format!("{op:?}")));
        }
        said.join("\n")
    })
    .await;
    // The matrix as it came out, for RELIABILITY.md (`cargo test --test client matrix --
    // --nocapture`).
    println!("{}", report.join("\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_usage_check_under_every_fault() {
    let report = rows(|row| async move {
        format!("{:<32} Usage        {}", row.name, usage::cell(row).await)
    })
    .await;
    println!("{}", report.join("\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bulk_of_50_under_every_fault() {
    let report =
        rows(
            |row| async move { format!("{:<32} Bulk         {}", row.name, bulk::cell(row).await) },
        )
        .await;
    println!("{}", report.join("\n"));
}

/// Runs `cell` for every row, three at once: each cell has its own simulator, journal and
/// endpoints, so their waits (timeouts, held answers) overlap; the report keeps the rows'
/// order, and a cell's panic is the test's, with its message.
async fn rows<F, Fut>(cell: F) -> Vec<String>
where
    F: Fn(&'static Row) -> Fut,
    Fut: std::future::Future<Output = String> + Send + 'static,
{
    let limit = std::sync::Arc::new(tokio::sync::Semaphore::new(3));
    let mut running = tokio::task::JoinSet::new();
    for (i, row) in FAULTS.iter().enumerate() {
        let (limit, cell) = (limit.clone(), cell(row));
        running.spawn(async move {
            let _turn = limit.acquire_owned().await;
            (i, cell.await)
        });
    }
    let mut out = vec![String::new(); FAULTS.len()];
    while let Some(done) = running.join_next().await {
        let (i, said) = done.unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()));
        out[i] = said;
    }
    out
}

/// Checks one cell; returns what it ended with, in a few words.
async fn check(bench: &Bench, row: &Row, op: Op, done: Done) -> String {
    let cell = format!("{} × {op:?}", row.name);
    let calls = bench.sim.faults().calls();
    let retries = bench.retries.load(std::sync::atomic::Ordering::SeqCst);
    // Never more than three retries a call — ListAll's seven pages, FamilyFacts' two calls,
    // a change and its re-read — and none after an answer no retry can change.
    let most = if op == Op::ListAll { 7 } else { 2 } * (row.attempts - 1);
    assert!(retries <= most, "{cell}: {retries} retries, at most {most}");
    match done {
        Done::Read(result) => {
            let reached = !matches!(row.make, Make::Refused | Make::BlackHole);
            // One call (ListAll's first page) or two at once (FamilyFacts) meet the fault
            // first; a failed call stops the rest.
            let per_call = row.attempts;
            match (row.read, result) {
                (Read::Ok, Ok(())) => "ok".into(),
                (Read::OkOrFails { .. }, Ok(())) => "ok (after retries)".into(),
                (Read::OkOrFails { exit }, Err(e)) => {
                    assert_eq!(Exit::for_api(&e), exit, "{cell}: {e}");
                    format!("exit {} {}", exit.code(), e.code)
                }
                (Read::Fails { exit, code, says }, Err(e)) => {
                    assert_eq!(Exit::for_api(&e), exit, "{cell}: {e}");
                    assert!(e.code.starts_with(code), "{cell}: {e}");
                    assert!(e.to_string().contains(says), "{cell}: {e}");
                    if reached && op == Op::ListAll {
                        // Page 1 failed: the pages after it were never asked for.
                        assert_eq!(calls, per_call, "{cell}: attempts");
                    }
                    if op == Op::ListAll {
                        assert_eq!(retries, per_call - 1, "{cell}: retries of page 1");
                    }
                    format!("exit {} {}, {retries} retries", exit.code(), e.code)
                }
                (expected, got) => panic!("{cell}: expected {expected:?}, got {got:?}"),
            }
        }
        Done::Change {
            outcome,
            image,
            wanted,
            calls,
        } => {
            let exit = match outcome.as_ref() {
                ItemOutcome::Applied(_) => Exit::Ok,
                ItemOutcome::Failed(e) => CliError::from(e.clone()).exit,
                other => panic!("{cell}: {other:?}"),
            };
            assert!(
                row.change_exit.contains(&exit),
                "{cell}: exit {exit:?}: {outcome:?}"
            );
            // The change's attempts, and one re-read (its own attempts) when it is ambiguous.
            assert!(calls <= 2 * row.attempts.max(4), "{cell}: {calls} requests");
            // A request held by the latency row is dropped with its connection (the
            // simulator does not act on it later): what it holds now is what it will hold.
            bench.sim.faults().clear();
            let settled = bench.journal.entries().unwrap();
            let entry = settled.last().expect("a journal entry");
            let result = serde_json::to_value(&entry.outcome).unwrap()["result"]
                .as_str()
                .unwrap()
                .to_string();
            assert!(
                row.journal.contains(&result.as_str()),
                "{cell}: journal says {result}"
            );
            let holds = bench.sim.image(REGION, &image).unwrap().description == wanted;
            match result.as_str() {
                "applied" => assert!(holds, "{cell}: journaled applied, not in ECS"),
                "not_applied" | "refused" => {
                    assert!(!holds, "{cell}: journaled {result}, but ECS has it")
                }
                _ => {}
            }
            if let ItemOutcome::Failed(error) = outcome.as_ref() {
                form_survives(error);
            }
            format!(
                "exit {}, {retries} retries, journal {result}, ECS has it: {holds}",
                exit.code()
            )
        }
    }
}

/// The TUI, given this failure for a change typed in its form, keeps the form as typed.
fn form_survives(error: &ApplyError) {
    let mut app = tui::loaded_app();
    tui::select(&mut app, tui::LONE);
    tui::press(&mut app, KeyCode::Char('e'));
    app::update(&mut app, tui::ctrl('u'));
    tui::type_text(&mut app, "jump-host-typed");
    let typed = match &app.screen {
        Screen::Form(form) => form.fields.clone(),
        other => panic!("no form: {other:?}"),
    };
    app::update(&mut app, tui::ctrl('o'));
    tui::press(&mut app, KeyCode::Tab);
    let job = match &tui::press(&mut app, KeyCode::Enter)[..] {
        [Command::ApplyChange { job, .. }] => *job,
        other => panic!("expected one ApplyChange, got {other:?}"),
    };
    app::update(
        &mut app,
        Action::ChangeFailed {
            job,
            error: Box::new(error.clone()),
            at: tui::AT.into(),
        },
    );
    tui::press(&mut app, KeyCode::Char('e'));
    match &app.screen {
        Screen::Form(form) => assert_eq!(form.fields, typed, "{error:?}"),
        other => panic!("the form did not come back after {error:?}: {other:?}"),
    }
}

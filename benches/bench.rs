//! ecsimg's figures: what the TUI costs on the wire and on the CPU.
//!
//! `cargo bench --bench bench` prints a table; BENCHMARKS.md holds a run of it.
//! `cargo bench --bench bench -- cpu` (or `wire`, `api`) runs one part.
//! - wire, real binary: `ecsimg --demo` in a pseudo-terminal, bytes counted as the terminal
//!   receives them;
//! - wire, in process: the same browser frames through ecsimg's `LeanBackend` and through
//!   ratatui's stock crossterm backend, to show what the lean one saves;
//! - CPU: `app::update` and `ui::draw` with the demo inventory's cn-hangzhou images (330)
//!   and with a generated inventory of 10,000 (`ecsimg sim --images 10000`).
//!
//! No criterion: a median and a p99 over many runs are enough to compare changes, and keep
//! the dependency tree lean.

#[path = "../tests/support/mod.rs"]
mod support;

use std::cell::RefCell;
use std::hint::black_box;
use std::io::Write;
use std::rc::Rc;
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::{Backend, CrosstermBackend, TestBackend};
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};

use ecsimg::app::{self, Action, App, AppContext, Command, ImagesPage};
use ecsimg::term::LeanBackend;
use ecsimg::ui::{self, Theme};

use support::pty::{find, Launch, Pty};

const REGION: &str = "cn-hangzhou";

fn main() {
    println!("ecsimg benchmarks (cargo bench --bench bench)\n");
    println!("| what | figure |");
    println!("|---|---|");
    // `cargo bench --bench bench -- cpu api` runs only those parts.
    let asked: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let part = |name: &str| asked.is_empty() || asked.iter().any(|a| a == name);
    let mut rows = Rows;
    if part("wire") {
        wire(&mut rows);
        wire_in_process(&mut rows);
    }
    if part("cpu") {
        cpu(&mut rows);
    }
    if part("api") {
        api(&mut rows);
    }
}

/// Prints each figure as a table row as soon as it is measured.
struct Rows;

impl Rows {
    fn push(&mut self, what: impl std::fmt::Display, figure: impl std::fmt::Display) {
        println!("| {what} | {figure} |");
    }
}

// ---------------------------------------------------------------- an app in process

fn key(code: KeyCode) -> Action {
    Action::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn ctrl(c: char) -> Action {
    Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

/// The region's images: the demo's (330), or `n` generated ones.
fn inventory(n: Option<usize>) -> Vec<ecsimg::ecs::model::Image> {
    let inventory = match n {
        Some(n) => ecsimg::sim::Inventory::demo().with_generated(REGION, n),
        None => ecsimg::sim::Inventory::demo(),
    };
    inventory.images.get(REGION).cloned().unwrap_or_default()
}

/// An app with every demo image of the region loaded, as after start-up.
fn loaded_app(width: u16, height: u16) -> (App, usize) {
    loaded_app_with(width, height, inventory(None))
}

/// An app with `images` loaded, page by page as the worker delivers them.
fn loaded_app_with(
    width: u16,
    height: u16,
    images: Vec<ecsimg::ecs::model::Image>,
) -> (App, usize) {
    let count = images.len();
    let mut app = App::new(AppContext {
        profile: "demo".into(),
        region: REGION.into(),
        endpoint_kind: "custom".into(),
        demo: true,
        read_only: false,
    });
    let viewport = ui::viewport(&app, width, height, &colour());
    app::update(&mut app, Action::Viewport(viewport));
    let generation = app::init(&mut app)
        .into_iter()
        .find_map(|c| match c {
            Command::LoadImages { generation, .. } => Some(generation),
            _ => None,
        })
        .expect("the app loads images at start");
    for (n, chunk) in images.chunks(100).enumerate() {
        app::update(
            &mut app,
            Action::ImagesPage(ImagesPage {
                generation,
                region: REGION.into(),
                request_id: format!("BENCH-{n}"),
                page_number: n as u64 + 1,
                total: count as u64,
                images: chunk.to_vec(),
            }),
        );
    }
    app::update(
        &mut app,
        Action::ImagesDone {
            generation,
            region: REGION.into(),
            result: Box::new(Ok(count as u64)),
            at: "00:00:00".into(),
        },
    );
    (app, count)
}

fn colour() -> Theme {
    Theme {
        color: true,
        ascii: false,
    }
}

// ---------------------------------------------------------------- CPU

/// Runs `f` `runs` times after a warm-up; returns (median, p99).
fn time(runs: usize, mut f: impl FnMut()) -> (Duration, Duration) {
    for _ in 0..runs / 10 {
        f();
    }
    let mut samples: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    samples.sort();
    (samples[runs / 2], samples[runs * 99 / 100])
}

fn show((median, p99): (Duration, Duration)) -> String {
    format!("median {median:.1?}, p99 {p99:.1?}")
}

fn cpu(rows: &mut Rows) {
    let large = inventory(Some(10_000));
    for images in [inventory(None), large] {
        cpu_with(rows, images);
    }
}

fn cpu_with(rows: &mut Rows, images: Vec<ecsimg::ecs::model::Image>) {
    let theme = colour();
    let started = Instant::now();
    let (_, count) = loaded_app_with(80, 24, images.clone());
    rows.push(
        format!("CPU: {count} images arrive in pages of 100 (`app::update` of every page)"),
        format!("{:.1?}", started.elapsed()),
    );
    for (w, h) in [(80u16, 24u16), (200, 50)] {
        let (app, count) = loaded_app_with(w, h, images.clone());
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        let figure = time(500, || {
            terminal
                .draw(|f| ui::draw(f, black_box(&app), &theme))
                .unwrap();
        });
        rows.push(
            format!("CPU: `ui::draw` of the browser, {count} images, {w}×{h} (TestBackend)"),
            show(figure),
        );
    }

    let (mut app, count) = loaded_app_with(80, 24, images.clone());
    let mut down = true;
    let figure = time(5000, || {
        let k = if down { 'j' } else { 'k' };
        down = !down;
        black_box(app::update(&mut app, key(KeyCode::Char(k))));
    });
    rows.push(
        format!("CPU: `app::update`, one j/k key, {count} images"),
        show(figure),
    );

    // Typing in the filter re-filters every image on each key.
    for typed in ["e", "status:dep"] {
        let (mut app, count) = loaded_app_with(80, 24, images.clone());
        app::update(&mut app, key(KeyCode::Char('/')));
        for c in typed.chars().take(typed.len() - 1) {
            app::update(&mut app, key(KeyCode::Char(c)));
        }
        let last = typed.chars().last().unwrap_or('e');
        let mut on = false;
        let figure = time(2000, || {
            let action = if on {
                key(KeyCode::Backspace)
            } else {
                key(KeyCode::Char(last))
            };
            on = !on;
            black_box(app::update(&mut app, action));
        });
        rows.push(
            format!("CPU: `app::update`, one key typed in the filter (`{typed}`), {count} images"),
            show(figure),
        );
    }

    // A key plus the frame it causes, as the event loop runs them.
    for (w, h) in [(80u16, 24u16), (200, 50)] {
        let (mut app, count) = loaded_app_with(w, h, images.clone());
        let mut terminal = Terminal::new(LeanBackend::with_size(w, h)).unwrap();
        let mut down = true;
        let figure = time(1000, || {
            let k = if down { 'j' } else { 'k' };
            down = !down;
            app::update(&mut app, key(KeyCode::Char(k)));
            terminal.draw(|f| ui::draw(f, &app, &theme)).unwrap();
            black_box(terminal.backend_mut().take());
        });
        rows.push(
            format!("CPU: j/k key + frame encoded by LeanBackend, {count} images, {w}×{h}"),
            show(figure),
        );
    }
}

// ---------------------------------------------------------------- wire, in process

/// A writer whose bytes stay readable after ratatui takes the backend.
#[derive(Clone, Default)]
struct Shared(Rc<RefCell<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The byte cost of each step of a short session, through one backend.
fn session_bytes<B: Backend>(
    mut terminal: Terminal<B>,
    mut take: impl FnMut(&mut Terminal<B>) -> usize,
) -> Vec<(&'static str, usize)>
where
    B::Error: std::fmt::Debug,
{
    let theme = colour();
    let (mut app, _) = loaded_app(80, 24);
    let mut costs = Vec::new();
    let mut frame = |terminal: &mut Terminal<B>, app: &App| {
        terminal.draw(|f| ui::draw(f, app, &theme)).unwrap();
        take(terminal)
    };
    costs.push((
        "first frame of the loaded browser",
        frame(&mut terminal, &app),
    ));
    costs.push((
        "same frame again (nothing changed)",
        frame(&mut terminal, &app),
    ));
    app::update(&mut app, key(KeyCode::Char('j')));
    costs.push((
        "j: next image (row highlight + detail pane)",
        frame(&mut terminal, &app),
    ));
    app::update(&mut app, key(KeyCode::Char('e')));
    costs.push(("e: the edit form opens", frame(&mut terminal, &app)));
    app::update(&mut app, key(KeyCode::Char('x')));
    costs.push((
        "first character typed in the name",
        frame(&mut terminal, &app),
    ));
    app::update(&mut app, key(KeyCode::Char('y')));
    costs.push((
        "next character typed in the name",
        frame(&mut terminal, &app),
    ));
    app::update(&mut app, ctrl('u'));
    costs.push((
        "ctrl-u clears the name (now invalid)",
        frame(&mut terminal, &app),
    ));
    costs
}

fn wire_in_process(rows: &mut Rows) {
    let lean = session_bytes(
        Terminal::new(LeanBackend::with_size(80, 24)).unwrap(),
        |t| t.backend_mut().take().len(),
    );
    let shared = Shared::default();
    let stock = session_bytes(
        Terminal::with_options(
            CrosstermBackend::new(shared.clone()),
            TerminalOptions {
                viewport: Viewport::Fixed(Rect::new(0, 0, 80, 24)),
            },
        )
        .unwrap(),
        |_| std::mem::take(&mut *shared.0.borrow_mut()).len(),
    );
    for ((what, lean), (_, stock)) in lean.iter().zip(&stock) {
        rows.push(
            format!("wire, in process, 80×24: {what}"),
            format!("{lean} B (ratatui's crossterm backend: {stock} B)"),
        );
    }
}

// ---------------------------------------------------------------- wire, real binary

const BEGIN: &[u8] = b"\x1b[?2026h";
const END: &[u8] = b"\x1b[?2026l";

/// Byte ranges of the synchronized-update blocks (one per frame).
fn frames(out: &[u8]) -> Vec<std::ops::Range<usize>> {
    let mut frames = Vec::new();
    let mut at = 0;
    while let Some(b) = find(&out[at..], BEGIN) {
        let start = at + b;
        let Some(e) = find(&out[start..], END) else {
            break;
        };
        let end = start + e + END.len();
        frames.push(start..end);
        at = end;
    }
    frames
}

fn median(mut v: Vec<usize>) -> usize {
    v.sort_unstable();
    v[v.len() / 2]
}

/// Sends `keys`, waits until `shown` is on screen and the output settles; returns the bytes
/// written.
fn cost(pty: &mut Pty, keys: &str, shown: Option<&str>) -> usize {
    let before = pty.settle();
    pty.send(keys);
    match shown {
        Some(text) => pty.wait_for(text),
        // Output that has not started yet would look settled at once.
        None => pty.wait_bytes("a frame", |b| b.len() > before),
    }
    pty.settle() - before
}

fn wire(rows: &mut Rows) {
    let mut pty = Pty::spawn(Launch::default());
    pty.wait_for(REGION);
    pty.wait_for("images");
    let settled = pty.settle();
    let out = pty.bytes();
    let blocks = frames(&out);
    let setup = blocks.first().map_or(out.len(), |f| f.start);
    let first = blocks.first().map_or(0, |f| f.len());
    rows.push(
        "wire, ecsimg --demo in a pty: terminal setup (alternate screen, cursor, paste mode)",
        format!("{setup} B"),
    );
    rows.push(
        "wire, ecsimg --demo in a pty: first frame, 80×24",
        format!("{first} B"),
    );
    let spinner: Vec<usize> = blocks.iter().skip(1).map(|f| f.len()).collect();
    rows.push(
        "wire, ecsimg --demo in a pty: start-up until loaded and idle",
        format!(
            "{settled} B in {} frames (median frame {} B)",
            blocks.len(),
            if spinner.is_empty() {
                0
            } else {
                median(spinner)
            }
        ),
    );

    let quiet = Duration::from_secs(5);
    std::thread::sleep(quiet);
    let idle = pty.len() - settled;
    rows.push(
        "wire, ecsimg --demo in a pty: idle, per second",
        format!("{} B", idle as f64 / quiet.as_secs_f64()),
    );

    let moves: Vec<usize> = (0..6)
        .map(|i| cost(&mut pty, if i % 2 == 0 { "j" } else { "k" }, None))
        .collect();
    rows.push(
        "wire, ecsimg --demo in a pty: one j/k in the list",
        format!("{} B (median of 6)", median(moves)),
    );

    cost(&mut pty, "e", Some("Submit"));
    let first_key = cost(&mut pty, "Q", Some("Q"));
    let typed: Vec<usize> = (0..6).map(|_| cost(&mut pty, "x", None)).collect();
    rows.push(
        "wire, ecsimg --demo in a pty: first character typed into the name field",
        format!("{first_key} B"),
    );
    rows.push(
        "wire, ecsimg --demo in a pty: each next character typed into the name field",
        format!("{} B (median of 6)", median(typed)),
    );
    let erased: Vec<usize> = (0..6).map(|_| cost(&mut pty, "\x7f", None)).collect();
    rows.push(
        "wire, ecsimg --demo in a pty: one backspace in the name field",
        format!("{} B (median of 6)", median(erased)),
    );

    pty.send("\x03");
    pty.wait_exit();
}

// ---------------------------------------------------------------- signing and the API

/// Signing one request, and loading a whole region from the simulator over loopback with
/// pages fetched one at a time and four at a time (the client's default), under a 50 ms
/// round trip like a far region's.
fn api(rows: &mut Rows) {
    use ecsimg::ecs::client::{ClientConfig, EcsClient, Endpoint};
    use ecsimg::ecs::credentials::Credentials;
    use ecsimg::ecs::model::ImageQuery;
    use ecsimg::ecs::sign;
    use ecsimg::sim::{self, SimConfig};

    let mut params = sign::Params::new();
    params.insert("ImageId".into(), "m-bp1paymentsbase00v4".into());
    params.insert("ImageName".into(), "生产环境-订单服务-v4".into());
    params.insert(
        "Description".into(),
        "weekly rebuild, JDK 17 + Arthas".into(),
    );
    let common = sign::Common {
        action: "ModifyImageAttribute",
        version: "2014-05-26",
        access_key_id: sim::DEMO_ACCESS_KEY_ID,
        security_token: None,
        timestamp: "2026-11-27T10:00:00Z",
        nonce: "0123456789abcdef0123456789abcdef",
    };
    let signing = time(20_000, || {
        let mut p = params.clone();
        sign::sign_request("GET", &mut p, &common, sim::DEMO_ACCESS_KEY_SECRET);
        black_box(p);
    });
    rows.push(
        "CPU: sign one ModifyImageAttribute request (canonicalise + HMAC-SHA1)",
        show(signing),
    );

    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    runtime.block_on(async {
        for (config, what) in [
            (SimConfig::demo(), "the demo's"),
            (SimConfig::generated(5000), "5,000 generated"),
        ] {
            let sim = sim::start(config).await.expect("the simulator starts");
            sim.faults().set_latency(Duration::from_millis(50), Duration::ZERO);
            for ceiling in [1, 4, 16] {
                let mut config = ClientConfig::new(REGION, Endpoint::Custom(sim.endpoint()));
                config.page_concurrency = ceiling;
                let client = EcsClient::new(config, Credentials::fixed(sim::demo_access_key()))
                    .expect("a client");
                let (count, median) = median_of(5, || async {
                    client
                        .describe_all_images(&ImageQuery::default())
                        .await
                        .expect("images")
                        .len()
                })
                .await;
                rows.push(
                    format!(
                        "API: load all {count} images ({what}) of {REGION} from the simulator, \
                         50 ms a request, at most {ceiling} page(s) at once"
                    ),
                    format!("median {median:.1?} of 5"),
                );
            }
            // Every region at once, against the one largest.
            let client = EcsClient::new(
                ClientConfig::new(REGION, Endpoint::Custom(sim.endpoint())),
                Credentials::fixed(sim::demo_access_key()),
            )
            .expect("a client");
            let regions: Vec<String> = client
                .describe_regions()
                .await
                .expect("regions")
                .into_iter()
                .map(|r| r.region_id)
                .collect();
            let (count, median) = median_of(5, || async {
                client
                    .in_regions(&regions, ecsimg::ecs::client::REGIONS_AT_ONCE, |c| async move {
                        c.describe_all_images(&ImageQuery::default()).await
                    })
                    .await
                    .into_iter()
                    .map(|(_, r)| r.expect("a region").len())
                    .sum::<usize>()
            })
            .await;
            rows.push(
                format!(
                    "API: all {} regions at once ({count} images, {what} in {REGION}), 50 ms a request",
                    regions.len()
                ),
                format!("median {median:.1?} of 5"),
            );
            sim.shutdown().await;
        }
    });
}

/// Runs `f` `runs` times; what it returned and the median time.
async fn median_of<T, F, Fut>(runs: usize, mut f: F) -> (T, Duration)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = T>,
{
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..runs {
        let started = Instant::now();
        last = Some(f().await);
        times.push(started.elapsed());
    }
    times.sort();
    (last.expect("at least one run"), times[times.len() / 2])
}

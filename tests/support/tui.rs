//! What the TUI tests share: a small inventory with Chinese names, the family facts ECS
//! would give for it, key helpers, and a renderer that turns the screen into text.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ecsimg::app::{self, Action, App, AppContext, Command, ImagesPage};
use ecsimg::ecs::error::ApiError;
use ecsimg::ecs::model::{Features, Image, ImageStatus};
use ecsimg::rules::FamilyFacts;
use ecsimg::ui::{self, Theme};
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::Terminal;
use unicode_width::UnicodeWidthStr;

pub const REGION: &str = "cn-hangzhou";
pub const AT: &str = "08:30:00";

#[allow(clippy::too_many_arguments)]
pub fn image(
    id: &str,
    name: &str,
    family: &str,
    status: ImageStatus,
    created: &str,
    description: &str,
    os: &str,
    size: u64,
) -> Image {
    Image {
        image_id: id.into(),
        image_name: name.into(),
        image_family: family.into(),
        description: description.into(),
        status,
        creation_time: created.into(),
        size,
        os_name: os.into(),
        os_name_en: os.into(),
        os_type: "linux".into(),
        architecture: "x86_64".into(),
        platform: "Ubuntu".into(),
        usage: "instance".into(),
        is_self_shared: "False".into(),
        image_owner_alias: "self".into(),
        progress: "100%".into(),
        boot_mode: "UEFI".into(),
        features: Features {
            nvme_support: Some("supported".into()),
            imds_support: Some("v2".into()),
        },
        ..Image::default()
    }
}

pub const WEB_OLD: &str = "m-bp1webfront00000001";
pub const WEB_LATEST: &str = "m-bp1webfront00000002";
pub const WEB_GONE: &str = "m-bp1webfront00000003";
pub const DB_ONLY: &str = "m-bp1database00000001";
pub const SHARED: &str = "m-bp1shared0000000001";
pub const API_NEWER: &str = "m-bp1apigw00000000002";
pub const API_CURRENT: &str = "m-bp1apigw00000000001";
pub const LONE: &str = "m-bp1lone000000000001";
pub const CREATING: &str = "m-bp1nightly000000001";

/// The inventory the tests browse: families with a latest, an older and a deprecated
/// image; a family with one Available image; a shared image; a restorable newer image.
pub fn images() -> Vec<Image> {
    use ImageStatus::*;
    let mut shared = image(
        SHARED,
        "共享基础镜像-v3",
        "base",
        Available,
        "2024-02-20T03:00:00Z",
        "shared with the data team",
        "CentOS 7.9 64位",
        40,
    );
    shared.is_self_shared = "true".into();
    let mut lone = image(
        LONE,
        "jump-host",
        "",
        Available,
        "2023-08-01T09:15:00Z",
        "bastion image",
        "Debian 12 64 bit",
        20,
    );
    lone.boot_mode = "BIOS".into();
    lone.features = Features::default();
    vec![
        image(
            WEB_OLD,
            "web-frontend-v1.2.0",
            "web-frontend",
            Available,
            "2024-01-10T08:00:00Z",
            "前端服务镜像，基于 Ubuntu 22.04，预装 nginx 1.24 与 node 20",
            "Ubuntu 22.04 64位",
            40,
        ),
        image(
            WEB_LATEST,
            "web-frontend-v1.3.0",
            "web-frontend",
            Available,
            "2024-03-05T08:00:00Z",
            "前端服务镜像 v1.3.0：升级 openssl，修复 CVE-2024-0727",
            "Ubuntu 22.04 64位",
            40,
        ),
        image(
            WEB_GONE,
            "web-frontend-v1.1.0",
            "web-frontend",
            Deprecated,
            "2023-11-01T08:00:00Z",
            "旧版本，已弃用",
            "Ubuntu 20.04 64位",
            40,
        ),
        image(
            DB_ONLY,
            "数据库主节点镜像-2024",
            "数据库",
            Available,
            "2024-04-01T12:30:00Z",
            "MySQL 8.0 主节点，包含备份脚本与监控代理。请勿在生产环境外使用此镜像，\
             如需测试请联系数据库团队获取专用测试镜像。",
            "Alibaba Cloud Linux 3.2104 LTS 64位",
            100,
        ),
        shared,
        image(
            API_CURRENT,
            "api-gateway-2024.02",
            "api",
            Available,
            "2024-02-01T00:00:00Z",
            "API gateway, February build",
            "Ubuntu 22.04 64位",
            40,
        ),
        image(
            API_NEWER,
            "api-gateway-2024.05",
            "api",
            Deprecated,
            "2024-05-01T00:00:00Z",
            "API gateway, May build (rolled back)",
            "Ubuntu 22.04 64位",
            40,
        ),
        lone,
        image(
            CREATING,
            "nightly-构建",
            "",
            Creating,
            "2024-06-01T02:00:00Z",
            "nightly build",
            "Ubuntu 24.04 64位",
            40,
        ),
    ]
}

/// `n` plain images, `image-00` …, for views that must scroll.
pub fn numbered_images(n: usize) -> Vec<Image> {
    (0..n)
        .map(|i| {
            image(
                &format!("m-bp1many{i:012}"),
                &format!("image-{i:02}"),
                "",
                ImageStatus::Available,
                "2024-01-01T00:00:00Z",
                "short",
                "Linux",
                20,
            )
        })
        .collect()
}

pub fn find(id: &str) -> Image {
    images().into_iter().find(|i| i.image_id == id).unwrap()
}

/// What ECS would say about `family` for the inventory `all`.
pub fn facts_of(family: &str, all: &[Image]) -> FamilyFacts {
    let members: Vec<Image> = all
        .iter()
        .filter(|i| {
            i.image_family == family
                && matches!(i.status, ImageStatus::Available | ImageStatus::Deprecated)
        })
        .cloned()
        .collect();
    let resolves_to = members
        .iter()
        .filter(|i| i.status == ImageStatus::Available)
        .max_by(|a, b| a.creation_time.cmp(&b.creation_time))
        .cloned();
    FamilyFacts {
        family: family.to_string(),
        members,
        resolves_to,
    }
}

pub fn context() -> AppContext {
    AppContext {
        profile: "default".into(),
        region: REGION.into(),
        endpoint_kind: "public".into(),
        demo: false,
        read_only: false,
    }
}

/// Tells `app` what a `width`×`height` screen shows of each view, as the event loop does
/// after every action.
pub fn measure(app: &mut App, width: u16, height: u16) {
    let viewport = ui::viewport(app, width, height, &COLOR);
    assert!(app::update(app, Action::Viewport(viewport)).is_empty());
}

/// A new app, measured on an 80×24 screen.
pub fn new_app(context: AppContext) -> App {
    let mut app = App::new(context);
    measure(&mut app, 80, 24);
    app
}

/// An app whose image list has loaded (one page).
pub fn loaded_app() -> App {
    loaded_app_with(context(), images())
}

pub fn loaded_app_with(context: AppContext, images: Vec<Image>) -> App {
    let mut app = new_app(context);
    let commands = app::init(&mut app);
    let generation = match &commands[..] {
        [Command::LoadImages { generation, .. }] => *generation,
        other => panic!("init asked for {other:?}"),
    };
    let region = app.context.region.clone();
    let total = images.len() as u64;
    app::update(&mut app, page(generation, &region, 1, total, images));
    app::update(&mut app, done(generation, &region, total));
    app
}

pub fn page(generation: u64, region: &str, number: u64, total: u64, images: Vec<Image>) -> Action {
    Action::ImagesPage(ImagesPage {
        generation,
        region: region.into(),
        request_id: format!("REQ-PAGE-{number}"),
        page_number: number,
        total,
        images,
    })
}

pub fn done(generation: u64, region: &str, count: u64) -> Action {
    Action::ImagesDone {
        generation,
        region: region.into(),
        result: Box::new(Ok(count)),
        at: AT.into(),
    }
}

/// A load of `region` that ended with `error`.
pub fn load_failed(generation: u64, region: &str, error: ApiError) -> Action {
    Action::ImagesDone {
        generation,
        region: region.into(),
        result: Box::new(Err(error)),
        at: AT.into(),
    }
}

/// Who uses `image_id` arriving for the current region.
pub fn usage_of(app: &mut App, image_id: &str, usage: ecsimg::change::ImageUsage) -> Vec<Command> {
    let region = app.context.region.clone();
    app::update(
        app,
        Action::Usage {
            region,
            image_id: image_id.into(),
            usage: Box::new(usage),
            at: AT.into(),
        },
    )
}

/// What the demo's newest web image looks like: 130 instances (120 running), two Active
/// scaling groups (by image, through the family) and the default version of a template.
pub fn in_use() -> ecsimg::change::ImageUsage {
    use ecsimg::change::{ImageUsage, InstanceRef, Instances, ScalingUse, TemplateUse, Via};
    let group = |name: &str, via: Via, through: &str| ScalingUse {
        group_id: format!("asg-bp1{name}"),
        group_name: name.into(),
        configuration_id: format!("asc-bp1{name}"),
        active: true,
        via,
        through: through.into(),
    };
    ImageUsage {
        instances: Instances {
            total: 130,
            by_status: [("Running".to_string(), 120), ("Stopped".to_string(), 10)]
                .into_iter()
                .collect(),
            sample: (1..=10)
                .map(|n| InstanceRef {
                    id: format!("i-bp1web{n:010}"),
                    name: format!("web-{n:03}"),
                    status: "Running".into(),
                    zone: "cn-hangzhou-h".into(),
                })
                .collect(),
        },
        launch_templates: vec![TemplateUse {
            id: "lt-bp1webfront000001".into(),
            name: "web-lt".into(),
            version: 3,
            default: true,
        }],
        scaling: vec![
            group("web-asg", Via::Image, ""),
            group("web-family-asg", Via::Family, "web-frontend"),
        ],
        shared_with: Vec::new(),
        unchecked: Vec::new(),
    }
}

/// A shared image's usage: two accounts, nothing else.
pub fn shared_usage() -> ecsimg::change::ImageUsage {
    ecsimg::change::ImageUsage {
        shared_with: vec!["1357924680135792".into(), "2468013579246801".into()],
        ..ecsimg::change::ImageUsage::default()
    }
}

/// Every source read, and nothing uses `image_id`.
pub fn unused(app: &mut App, image_id: &str) -> Vec<Command> {
    usage_of(app, image_id, ecsimg::change::ImageUsage::default())
}

/// Answers the bulk plan's `Command::LoadUsages` among `commands`, in its own region: every
/// source read, nothing uses any of its images. Panics when no such command was sent.
pub fn none_use(app: &mut App, commands: &[Command]) -> Vec<Command> {
    let (region, images) = commands
        .iter()
        .find_map(|c| match c {
            Command::LoadUsages { region, images } => Some((region.clone(), images.clone())),
            _ => None,
        })
        .unwrap_or_else(|| panic!("who uses the plan's images is asked: {commands:?}"));
    app::update(
        app,
        Action::Usages {
            region,
            usages: images
                .into_iter()
                .map(|i| (i.image_id, ecsimg::change::ImageUsage::default()))
                .collect(),
            at: AT.into(),
        },
    )
}

/// The family facts arriving for the current region.
pub fn facts(app: &mut App, family: &str) -> Vec<Command> {
    let region = app.context.region.clone();
    app::update(
        app,
        Action::FamilyFacts {
            region,
            family: family.into(),
            result: Box::new(Ok(facts_of(family, &images()))),
            at: AT.into(),
        },
    )
}

pub fn key(code: KeyCode) -> Action {
    Action::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

pub fn ctrl(c: char) -> Action {
    Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

pub fn ch(c: char) -> Action {
    let mods = if c.is_ascii_uppercase() {
        KeyModifiers::SHIFT
    } else {
        KeyModifiers::NONE
    };
    Action::Key(KeyEvent::new(KeyCode::Char(c), mods))
}

/// Types `text` one key at a time; returns every command asked for.
pub fn type_text(app: &mut App, text: &str) -> Vec<Command> {
    text.chars().flat_map(|c| app::update(app, ch(c))).collect()
}

pub fn press(app: &mut App, code: KeyCode) -> Vec<Command> {
    app::update(app, key(code))
}

/// Selects the row of `image_id` by moving down from the top, as a person would.
pub fn select(app: &mut App, image_id: &str) {
    press(app, KeyCode::Home);
    for _ in 0..app.list.visible_len() {
        if app.list.selected().map(|i| i.image_id.as_str()) == Some(image_id) {
            return;
        }
        press(app, KeyCode::Down);
    }
    panic!("{image_id} is not in the list");
}

pub const COLOR: Theme = Theme {
    color: true,
    ascii: false,
};
pub const NO_COLOR: Theme = Theme {
    color: false,
    ascii: false,
};
pub const ASCII: Theme = Theme {
    color: true,
    ascii: true,
};

/// Draws the app on a `width`×`height` test terminal.
pub fn draw(app: &App, width: u16, height: u16, theme: Theme) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| ui::draw(f, app, &theme)).unwrap();
    terminal.backend().buffer().clone()
}

/// The screen as text, one line a row, wide characters once (as a person sees them).
pub fn screen_text(buffer: &Buffer) -> String {
    let mut out = String::new();
    for y in 0..buffer.area.height {
        let mut skip = 0;
        let mut line = String::new();
        for x in 0..buffer.area.width {
            let symbol = buffer[(x, y)].symbol();
            if skip > 0 {
                skip -= 1;
                continue;
            }
            line.push_str(symbol);
            skip = UnicodeWidthStr::width(symbol).saturating_sub(1);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

pub fn render(app: &App, width: u16, height: u16, theme: Theme) -> String {
    screen_text(&draw(app, width, height, theme))
}

/// A journal entry for `id` in this session's profile and region, changing `changes`
/// (field, before, after).
pub fn journal_entry(
    id: &str,
    name: &str,
    time: &str,
    changes: &[(ecsimg::change::Field, &str, &str)],
    outcome: ecsimg::change::Outcome,
) -> ecsimg::change::JournalEntry {
    ecsimg::change::JournalEntry {
        id: None,
        batch: None,
        settled_at: None,
        time: time.into(),
        source: "tui".into(),
        profile: "default".into(),
        region: REGION.into(),
        endpoint: "https://ecs.cn-hangzhou.aliyuncs.com/".into(),
        image_id: id.into(),
        image_name: name.into(),
        changes: changes
            .iter()
            .map(|(field, before, after)| ecsimg::change::FieldChange {
                field: *field,
                before: before.to_string(),
                after: after.to_string(),
            })
            .collect(),
        request_id: Some(format!("REQ-{id}-{time}")),
        outcome,
    }
}

pub fn applied_ok() -> ecsimg::change::Outcome {
    ecsimg::change::Outcome::Applied { verified: true }
}

/// The journal arriving, read from `path`.
pub fn journal_read(app: &mut App, entries: Vec<ecsimg::change::JournalEntry>) -> Vec<Command> {
    app::update(
        app,
        Action::Journal {
            path: Some("/state/ecsimg/journal.jsonl".into()),
            result: Box::new(Ok(entries)),
            damaged: Vec::new(),
            older: 0,
        },
    )
}

/// An image read again, as the worker reports it.
pub fn reread(app: &mut App, image: Image) -> Vec<Command> {
    let region = app.context.region.clone();
    app::update(
        app,
        Action::ImageReread {
            region,
            image_id: image.image_id.clone(),
            result: Box::new(Ok(Some(image))),
            at: AT.into(),
        },
    )
}

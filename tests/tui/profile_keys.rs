//! Switching profile (`P`), key overrides from `[keys]`, page keys that move by what the
//! screen shows, and the header's endpoint — through the pure `update` and the rendered screen.

use crate::support::tui::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ecsimg::app::{self, Action, App, AppContext, Command, Screen};
use ecsimg::config::Config;
use ecsimg::keys::Keymap;

fn flash(app: &App) -> String {
    app.flash
        .as_ref()
        .map(|f| f.text.clone())
        .unwrap_or_default()
}

fn demo_context() -> AppContext {
    AppContext {
        profile: "demo".into(),
        endpoint_kind: "sim 127.0.0.1:40123".into(),
        demo: true,
        ..context()
    }
}

fn switched(app: &mut App, profile: &str, result: Result<AppContext, String>) -> Vec<Command> {
    app::update(
        app,
        Action::ProfileSwitched {
            profile: profile.into(),
            result: Box::new(result),
            at: AT.into(),
        },
    )
}

// ---- P: switch profile ------------------------------------------------------------------

#[test]
fn p_lists_the_profiles_and_switching_reloads_under_a_new_generation() {
    let mut app = loaded_app();
    assert_eq!(
        press(&mut app, KeyCode::Char('P')),
        vec![Command::LoadProfiles]
    );
    assert!(app.busy());
    app::update(
        &mut app,
        Action::Profiles {
            names: vec!["dev".into(), "default".into(), "prod".into()],
        },
    );
    assert_eq!(app.profile_choices(), ["default", "dev", "prod"]);
    press(&mut app, KeyCode::Char('G'));
    let commands = press(&mut app, KeyCode::Enter);
    assert_eq!(
        commands,
        vec![Command::SwitchProfile {
            profile: "prod".into(),
            region: REGION.into()
        }]
    );
    assert_eq!(app.switching.as_deref(), Some("prod"));
    assert!(render(&app, 80, 24, COLOR).contains("switching to profile prod"));

    let prod = AppContext {
        profile: "prod".into(),
        read_only: true,
        ..context()
    };
    let commands = switched(&mut app, "prod", Ok(prod.clone()));
    assert_eq!(
        commands,
        vec![Command::LoadImages {
            region: REGION.into(),
            generation: 2
        }]
    );
    assert_eq!(app.context, prod);
    assert_eq!(app.screen, Screen::Browser);
    assert_eq!(app.list.all().len(), 0, "the old profile's images are gone");
    assert!(flash(&app).contains("switched to profile prod (read-only)"));
    let header = render(&app, 80, 24, COLOR);
    assert!(header.lines().next().unwrap().contains("prod"), "{header}");
    assert!(header.lines().next().unwrap().contains(" RO "), "{header}");

    // A page of the old profile's load, still on its way, is dropped.
    app::update(&mut app, page(1, REGION, 1, 9, images()));
    assert_eq!(app.list.all().len(), 0);
    app::update(&mut app, page(2, REGION, 1, 1, vec![find(LONE)]));
    assert_eq!(app.list.all().len(), 1);
}

#[test]
fn a_failed_switch_keeps_the_connection_and_says_why() {
    let mut app = loaded_app();
    press(&mut app, KeyCode::Char('P'));
    app::update(
        &mut app,
        Action::Profiles {
            names: vec!["broken".into()],
        },
    );
    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::Enter);
    let why = "profile broken (RamRoleArn) needs role_arn in ~/.aliyun/config.json\nFix: run `aliyun configure --profile broken`.";
    assert!(switched(&mut app, "broken", Err(why.into())).is_empty());
    assert_eq!(app.context, context(), "still the old connection");
    assert_eq!(app.list.all().len(), 9, "and its images");
    assert!(matches!(app.screen, Screen::ProfilePicker(_)));
    let screen = render(&app, 80, 24, COLOR);
    assert!(screen.contains("needs role_arn"), "{screen}");
    assert!(
        screen.contains("aliyun configure --profile broken"),
        "{screen}"
    );
    assert!(!app.busy());
}

#[test]
fn no_switch_while_a_change_is_in_flight() {
    let mut app = loaded_app();
    select(&mut app, LONE);
    press(&mut app, KeyCode::Char('e'));
    app::update(&mut app, ctrl('u'));
    type_text(&mut app, "jump-host-2");
    app::update(&mut app, ctrl('o'));
    press(&mut app, KeyCode::Tab);
    assert_eq!(press(&mut app, KeyCode::Enter).len(), 1);
    press(&mut app, KeyCode::Char('P'));
    app::update(
        &mut app,
        Action::Profiles {
            names: vec!["prod".into()],
        },
    );
    press(&mut app, KeyCode::Char('j'));
    assert!(press(&mut app, KeyCode::Enter).is_empty());
    assert!(render(&app, 80, 24, COLOR).contains("a change is in flight"));
}

#[test]
fn the_demo_has_one_profile_and_says_so() {
    let mut app = loaded_app_with(demo_context(), images());
    assert!(
        press(&mut app, KeyCode::Char('P')).is_empty(),
        "nothing to list"
    );
    assert_eq!(app.profile_choices(), ["demo"]);
    let screen = render(&app, 80, 24, COLOR);
    assert!(screen.contains("demo  (current)"), "{screen}");
    assert!(screen.contains("The demo has one profile"), "{screen}");
    assert!(press(&mut app, KeyCode::Enter).is_empty());
    assert_eq!(app.screen, Screen::Browser);
    assert!(flash(&app).contains("the demo has one profile"));
}

// ---- [keys] overrides ---------------------------------------------------------------------

fn keys(toml: &str) -> Keymap {
    let config = Config::parse(toml, std::path::Path::new("config.toml")).unwrap();
    config.keymap
}

#[test]
fn key_overrides_from_the_config_file_drive_the_app_and_its_hints() {
    let mut app = loaded_app().with_keys(keys("[keys]\nrefresh = \"F5\"\nundo = \"U\"\n"));
    assert!(
        press(&mut app, KeyCode::Char('r')).is_empty(),
        "r is free now"
    );
    assert_eq!(
        press(&mut app, KeyCode::F(5)),
        vec![Command::LoadImages {
            region: REGION.into(),
            generation: 2
        }]
    );
    app::update(&mut app, done(2, REGION, 0));
    assert!(press(&mut app, KeyCode::Char('u')).is_empty());
    assert_eq!(
        app::update(
            &mut app,
            Action::Key(KeyEvent::new(KeyCode::Char('U'), KeyModifiers::SHIFT))
        ),
        vec![Command::LoadJournal]
    );
    let screen = render(&app, 80, 24, COLOR);
    let hints = screen.lines().last().unwrap();
    assert!(hints.contains("F5 refresh"), "{hints}");
    assert!(hints.contains("U undo last"), "{hints}");
    press(&mut app, KeyCode::Char('?'));
    let help = render(&app, 120, 40, COLOR);
    assert!(help.contains("F5             refresh"), "{help}");
    assert!(!help.contains("r              refresh"), "{help}");
}

#[test]
fn the_filter_prompt_names_the_keys_that_keep_and_clear_it() {
    let mut app = loaded_app();
    press(&mut app, KeyCode::Char('/'));
    let prompt = |app: &App| {
        render(app, 80, 24, COLOR)
            .lines()
            .last()
            .unwrap()
            .to_string()
    };
    assert!(
        prompt(&app).ends_with("Enter keep · Esc clear"),
        "{}",
        prompt(&app)
    );
    let mut app = loaded_app().with_keys(keys("[keys]\nback = \"F4\"\n"));
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "web");
    assert!(
        prompt(&app).ends_with("Enter keep · F4 clear"),
        "{}",
        prompt(&app)
    );
    press(&mut app, KeyCode::F(4));
    assert_eq!(app.list.filter.value(), "", "F4 clears the filter");
}

#[test]
fn an_override_to_a_letter_still_types_in_the_form() {
    let mut app = loaded_app().with_keys(keys("[keys]\nback = \"x\"\n"));
    select(&mut app, LONE);
    press(&mut app, KeyCode::Char('e'));
    type_text(&mut app, "x");
    assert_eq!(
        app.form().unwrap().fields[0].value(),
        "jump-hostx",
        "x typed, not back"
    );
    // Esc (asked once, as the form has a change) still cancels the form.
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.screen, Screen::Browser, "Esc still cancels the form");
    press(&mut app, KeyCode::Char('n'));
    assert!(matches!(app.screen, Screen::Notices { .. }));
    press(&mut app, KeyCode::Char('x'));
    assert_eq!(app.screen, Screen::Browser, "x goes back on the notices");
}

// ---- what the screen shows decides how far a page key moves -------------------------------

/// `n` images whose names sort in the order they are made.
fn numbered(n: usize) -> Vec<ecsimg::ecs::model::Image> {
    (0..n)
        .map(|i| {
            image(
                &format!("m-bp1page{i:013}"),
                &format!("page-test-{i:02}"),
                "",
                ecsimg::ecs::model::ImageStatus::Available,
                "2024-01-01T00:00:00Z",
                "",
                "Ubuntu 22.04 64位",
                40,
            )
        })
        .collect()
}

/// The names of the list's rows on `screen`, top to bottom.
fn listed(screen: &str) -> Vec<String> {
    screen
        .lines()
        .filter_map(|l| {
            l.get(2..)
                .filter(|_| l.starts_with("> ") || l.starts_with("  "))
        })
        .filter_map(|rest| rest.split_whitespace().next())
        .filter(|name| name.starts_with("page-test-"))
        .map(str::to_string)
        .collect()
}

#[test]
fn page_down_moves_by_the_rows_the_list_shows_at_every_size() {
    let mut pages = Vec::new();
    for (width, height) in [(80, 24), (120, 40), (60, 16)] {
        let mut app = loaded_app_with(context(), numbered(60));
        measure(&mut app, width, height);
        let shown = listed(&render(&app, width, height, COLOR));
        assert_eq!(shown[0], "page-test-00", "{width}x{height}");
        press(&mut app, KeyCode::PageDown);
        let next = format!("page-test-{:02}", shown.len());
        let selected = app.list.selected().unwrap().image_name.clone();
        assert_eq!(
            selected, next,
            "{width}x{height}: PgDn selects the first image below the screen"
        );
        let after = render(&app, width, height, COLOR);
        assert!(after.contains(&format!("> {next}")), "{after}");
        // Page up from there shows the first page again, the top row selected.
        press(&mut app, KeyCode::PageUp);
        assert_eq!(listed(&render(&app, width, height, COLOR)), shown);
        assert_eq!(app.list.selected_row(), Some(0));
        pages.push(shown.len());
    }
    assert!(pages[1] > pages[0] && pages[0] > pages[2], "{pages:?}");
}

#[test]
fn page_down_in_the_journal_moves_by_the_entries_it_shows() {
    let entries: Vec<_> = (1..=20)
        .map(|i| {
            journal_entry(
                LONE,
                "jump-host",
                &format!("2024-06-01T10:{i:02}:00Z"),
                &[(ecsimg::change::Field::ImageName, "a", "b")],
                applied_ok(),
            )
        })
        .collect();
    let mut app = loaded_app();
    press(&mut app, KeyCode::Char('J'));
    journal_read(&mut app, entries);
    measure(&mut app, 80, 24);
    let numbers = |screen: &str| -> Vec<String> {
        screen
            .lines()
            .filter_map(|l| l.get(2..).filter(|rest| rest.starts_with('#')))
            .map(|rest| rest.split_whitespace().next().unwrap().to_string())
            .collect()
    };
    let shown = numbers(&render(&app, 80, 24, COLOR));
    assert_eq!(shown.first().map(String::as_str), Some("#20"));
    press(&mut app, KeyCode::PageDown);
    let Screen::Journal(view) = &app.screen else {
        panic!("{:?}", app.screen)
    };
    let (n, _) = view.chosen(app.journal_entries(), 0).unwrap();
    assert_eq!(
        format!("#{n}"),
        format!("#{}", 20 - shown.len()),
        "PgDn selects the first entry below the screen ({shown:?})"
    );
}

/// The notices (`n`) after 30 reloads, measured at 80×24.
fn notices_of_31_loads() -> App {
    let mut app = loaded_app();
    for _ in 0..30 {
        let commands = press(&mut app, KeyCode::Char('r'));
        let [Command::LoadImages { generation, .. }] = commands[..] else {
            panic!("{commands:?}")
        };
        app::update(&mut app, page(generation, REGION, 1, 9, images()));
        app::update(&mut app, done(generation, REGION, 9));
    }
    press(&mut app, KeyCode::Char('n'));
    measure(&mut app, 80, 24);
    app
}

#[test]
fn page_down_in_the_notices_moves_by_the_requests_they_show() {
    let mut app = notices_of_31_loads();
    let seqs = |screen: &str| -> Vec<u64> {
        screen
            .lines()
            .filter_map(|l| l.split_whitespace().next()?.parse().ok())
            .collect()
    };
    let screen = render(&app, 80, 24, COLOR);
    let mut shown = seqs(&screen);
    assert_eq!(shown[0], app.notices.len() as u64);
    // The last row of the body (above the hint line) opening a request shows it in part.
    let rows: Vec<&str> = screen.lines().collect();
    if seqs(rows[rows.len() - 2]).len() == 1 {
        shown.pop();
    }
    press(&mut app, KeyCode::PageDown);
    let after = seqs(&render(&app, 80, 24, COLOR));
    assert_eq!(
        after[0],
        shown.last().unwrap() - 1,
        "the first request not shown whole comes to the top ({shown:?})"
    );
}

#[test]
fn scrolling_an_entry_or_the_help_stops_at_its_last_line() {
    let long = "前端服务镜像，基于 Ubuntu 22.04，预装 nginx 1.24 与 node 20。".repeat(12);
    let entry = journal_entry(
        LONE,
        "jump-host",
        "2024-06-01T10:00:00Z",
        &[(ecsimg::change::Field::Description, &long, "short")],
        applied_ok(),
    );
    let mut app = loaded_app();
    press(&mut app, KeyCode::Char('J'));
    journal_read(&mut app, vec![entry]);
    press(&mut app, KeyCode::Enter);
    measure(&mut app, 80, 24);
    let top = render(&app, 80, 24, COLOR);
    let mut bottom = top.clone();
    for _ in 0..40 {
        press(&mut app, KeyCode::Char('j'));
        bottom = render(&app, 80, 24, COLOR);
    }
    assert_ne!(bottom, top, "the entry is longer than the screen");
    press(&mut app, KeyCode::Char('k'));
    assert_ne!(
        render(&app, 80, 24, COLOR),
        bottom,
        "one k after the end scrolls back at once"
    );
    // A screen tall enough for the whole entry scrolls it to its start.
    measure(&mut app, 80, 40);
    measure(&mut app, 80, 24);
    assert_eq!(render(&app, 80, 24, COLOR), top);

    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('?'));
    measure(&mut app, 80, 24);
    for _ in 0..40 {
        press(&mut app, KeyCode::Char('j'));
    }
    let end = render(&app, 80, 24, COLOR);
    press(&mut app, KeyCode::Char('k'));
    assert_ne!(
        render(&app, 80, 24, COLOR),
        end,
        "help scrolls back at once"
    );
}

#[test]
fn the_help_takes_the_page_keys_and_g_and_capital_g() {
    let mut app = loaded_app();
    press(&mut app, KeyCode::Char('?'));
    measure(&mut app, 80, 24);
    let top = render(&app, 80, 24, COLOR);
    for _ in 0..60 {
        press(&mut app, KeyCode::Char('j'));
    }
    let end = render(&app, 80, 24, COLOR);
    press(&mut app, KeyCode::Char('g'));
    assert_eq!(render(&app, 80, 24, COLOR), top, "g goes to the top");
    press(&mut app, KeyCode::Char('G'));
    assert_eq!(render(&app, 80, 24, COLOR), end, "G goes to the last line");
    press(&mut app, KeyCode::Char('g'));
    press(&mut app, KeyCode::PageDown);
    let paged = render(&app, 80, 24, COLOR);
    assert_ne!(paged, top, "PgDn scrolls");
    // A page is what the overlay showed above its "more lines" marker, not one line.
    let page = app.viewport.help_page;
    assert!(page > 5, "{page}");
    assert_eq!(app.help.map(|h| h.offset), Some(page));
    press(&mut app, KeyCode::PageUp);
    assert_eq!(render(&app, 80, 24, COLOR), top, "PgUp comes back");
    assert_eq!(app.help.map(|h| h.offset), Some(0));
}

#[test]
fn the_header_names_the_simulator_and_fits_a_long_host() {
    let app = loaded_app_with(demo_context(), images());
    let screen = render(&app, 80, 24, COLOR);
    let header = screen.lines().next().unwrap();
    assert!(
        header.contains("demo · cn-hangzhou · sim 127.0.0.1:40123  DEMO"),
        "{header}"
    );
    assert!(header.ends_with("9 images"), "{header}");

    let long = AppContext {
        endpoint_kind: "ecs-internal.cn-hangzhou.corp.example-company.internal:8443".into(),
        read_only: true,
        ..context()
    };
    let app = loaded_app_with(long, images());
    let screen = render(&app, 80, 24, COLOR);
    let header = screen.lines().next().unwrap();
    assert!(header.contains("ecs-internal.cn-hangzhou"), "{header}");
    assert!(header.contains('…'), "{header}");
    assert!(header.contains(" RO "), "{header}");
    assert!(header.ends_with("9 images"), "{header}");
}

#[test]
fn bottom_in_the_notices_ends_on_a_full_screen_with_the_first_request_last() {
    let mut app = notices_of_31_loads();
    press(&mut app, KeyCode::Char('G'));
    measure(&mut app, 80, 24);
    let screen = render(&app, 80, 24, COLOR);
    let seqs: Vec<u64> = screen
        .lines()
        .filter_map(|l| l.split_whitespace().next()?.parse().ok())
        .collect();
    assert_eq!(
        seqs.last(),
        Some(&1),
        "the first request is at the bottom:\n{screen}"
    );
    assert!(
        seqs.len() > 3,
        "G leaves a full screen of requests, not the last one alone:\n{screen}"
    );
    press(&mut app, KeyCode::PageDown);
    press(&mut app, KeyCode::Char('j'));
    assert_eq!(
        render(&app, 80, 24, COLOR),
        screen,
        "past the end, the page keys and j move nothing"
    );
}

#[test]
fn a_long_action_name_in_the_notices_keeps_a_space_before_its_target() {
    let mut app = loaded_app();
    app::update(
        &mut app,
        Action::Retrying {
            action: "DescribeLaunchTemplateVersions".into(),
            code: "ServiceUnavailable".into(),
            request_id: Some("REQ-1".into()),
            retry: 1,
            max_retries: 3,
            wait_ms: 300,
            at: "12:00:00".into(),
        },
    );
    press(&mut app, KeyCode::Char('n'));
    let screen = render(&app, 80, 24, COLOR);
    assert!(
        screen.contains("DescribeLaunchTemplateVersions try 1 of at most 4"),
        "{screen}"
    );
}

#[test]
fn a_key_bound_to_nothing_says_so_and_a_text_field_takes_it_as_text() {
    let mut app = loaded_app();
    let before = app.list.selected().map(|i| i.image_id.clone());
    let commands = app::update(&mut app, ch('x'));
    assert!(commands.is_empty(), "{commands:?}");
    assert_eq!(app.list.selected().map(|i| i.image_id.clone()), before);
    assert_eq!(
        flash(&app),
        "x does nothing here: ? lists this screen's keys"
    );
    let screen = render(&app, 80, 24, COLOR);
    assert!(screen.contains("x does nothing here"), "{screen}");
    // A bound key clears it and acts.
    press(&mut app, KeyCode::Char('j'));
    assert_eq!(flash(&app), "");
    // In the filter, the same key is text.
    press(&mut app, KeyCode::Char('/'));
    app::update(&mut app, ch('x'));
    assert_eq!(flash(&app), "");
    assert_eq!(app.list.filter.value(), "x");
}

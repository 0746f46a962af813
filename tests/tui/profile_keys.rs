//! Switching profile (`P`), key overrides from `[keys]`, the size at start and the header's
//! endpoint — through the pure `update` and the rendered screen.

use crate::support::tui::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ecsimg::app::{self, list_rows, Action, App, AppContext, Command, KeyOverrides, Screen};
use ecsimg::config::Config;

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

fn keys(toml: &str) -> KeyOverrides {
    let config = Config::parse(toml, std::path::Path::new("config.toml")).unwrap();
    KeyOverrides::from_config(&config.keymap)
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
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.screen, Screen::Browser, "Esc still cancels the form");
    press(&mut app, KeyCode::Char('n'));
    assert!(matches!(app.screen, Screen::Notices { .. }));
    press(&mut app, KeyCode::Char('x'));
    assert_eq!(app.screen, Screen::Browser, "x goes back on the notices");
}

// ---- the size at start and the header --------------------------------------------------------

#[test]
fn the_app_starts_at_the_terminals_size() {
    let app = App::new(context()).with_size(120, 40);
    assert_eq!(app.size, (120, 40));
    assert_eq!(app.list.page(), list_rows(40, false));
    assert_ne!(list_rows(40, false), list_rows(24, false));
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

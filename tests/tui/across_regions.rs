//! A list of every region, through the pure `update`: marks, the bulk edit, a family's
//! retention and the usage line ask (and send) in each image's own region, and a bulk
//! edit over images of several regions is refused, saying why — never sent to the
//! session's region instead.

use crate::support::tui::*;
use crossterm::event::KeyCode;
use ecsimg::app::{self, Action, App, Command, Screen};
use ecsimg::ecs::model::{Image, Region};

const SHANGHAI: &str = "cn-shanghai";
const SH_OLD: &str = "m-uf6webfront00000001";
const SH_LATEST: &str = "m-uf6webfront00000002";

fn flash(app: &App) -> String {
    app.flash
        .as_ref()
        .map(|f| f.text.clone())
        .unwrap_or_default()
}

fn in_region(mut image: Image, region: &str) -> Image {
    image.region_id = region.into();
    image
}

/// Shanghai's web-frontend family: a family of the same name as Hangzhou's, two images.
fn shanghai() -> Vec<Image> {
    [(WEB_OLD, SH_OLD), (WEB_LATEST, SH_LATEST)]
        .into_iter()
        .map(|(like, id)| {
            let mut image = in_region(find(like), SHANGHAI);
            image.image_id = id.into();
            image
        })
        .collect()
}

/// "All regions" chosen in the picker, Hangzhou's and Shanghai's images loaded.
fn all_regions_app() -> App {
    let mut app = loaded_app();
    let commands = press(&mut app, KeyCode::Char('R'));
    assert_eq!(commands, [Command::LoadRegions]);
    let regions = [REGION, SHANGHAI]
        .into_iter()
        .map(|id| Region {
            region_id: id.into(),
            ..Region::default()
        })
        .collect();
    app::update(
        &mut app,
        Action::Regions {
            result: Box::new(Ok(regions)),
            at: AT.into(),
        },
    );
    type_text(&mut app, "all");
    let generation = match &press(&mut app, KeyCode::Enter)[..] {
        [Command::LoadAllImages { generation, .. }] => *generation,
        other => panic!("{other:?}"),
    };
    let hangzhou: Vec<Image> = images().into_iter().map(|i| in_region(i, REGION)).collect();
    let n = hangzhou.len() as u64;
    app::update(&mut app, page(generation, REGION, 1, n, hangzhou));
    app::update(&mut app, page(generation, SHANGHAI, 1, 2, shanghai()));
    app::update(&mut app, done(generation, REGION, n));
    app::update(&mut app, done(generation, SHANGHAI, 2));
    assert!(app.spans_regions() && app.loading.is_none());
    app
}

fn filter(app: &mut App, text: &str) {
    press(app, KeyCode::Char('/'));
    app::update(app, ctrl('u'));
    type_text(app, text);
    press(app, KeyCode::Enter);
}

#[test]
fn marks_in_two_regions_are_refused_for_a_bulk_edit_and_one_region_s_batch_goes_there() {
    let mut app = all_regions_app();
    filter(&mut app, "family:web-frontend");
    app::update(&mut app, ch('*'));
    assert_eq!(
        app.bulk.marks.len(),
        5,
        "three in Hangzhou, two in Shanghai"
    );
    let commands = app::update(&mut app, ch('b'));
    assert!(commands.is_empty(), "{commands:?}");
    assert!(matches!(app.screen, Screen::Browser));
    assert!(
        flash(&app).starts_with("a batch goes to one region and these are in 2")
            && flash(&app).contains("(cn-hangzhou, cn-shanghai)"),
        "{}",
        flash(&app)
    );

    // Shanghai's older image alone: the plan and the batch are Shanghai's.
    app::update(&mut app, ch('-'));
    filter(&mut app, "region:shanghai");
    select(&mut app, SH_OLD);
    app::update(&mut app, ch(' '));
    app::update(&mut app, ch('b'));
    assert!(matches!(app.screen, Screen::BulkEdit(_)), "{}", flash(&app));
    let commands = press(&mut app, KeyCode::Enter);
    assert_eq!(
        commands[0],
        Command::LoadFamilyFacts {
            region: SHANGHAI.into(),
            family: "web-frontend".into(),
        }
    );
    // Who uses the image it deprecates is asked in its region too.
    match &commands[1..] {
        [Command::LoadUsages { region, images }] => {
            assert_eq!(region, SHANGHAI);
            assert_eq!(images[0].image_id, SH_OLD);
        }
        other => panic!("{other:?}"),
    }
    none_use(&mut app, &commands);
    // Hangzhou's facts of a family of the same name do not answer for Shanghai's.
    facts(&mut app, "web-frontend");
    assert!(app
        .facts
        .get("web-frontend")
        .is_some_and(|f| f.is_loading()));
    app::update(
        &mut app,
        Action::FamilyFacts {
            region: SHANGHAI.into(),
            family: "web-frontend".into(),
            result: Box::new(Ok(facts_of("web-frontend", &shanghai()))),
            at: AT.into(),
        },
    );
    press(&mut app, KeyCode::Tab);
    let commands = press(&mut app, KeyCode::Enter);
    match &commands[..] {
        [Command::RunBatch(batch)] => {
            assert_eq!(batch.region, SHANGHAI);
            let ids: Vec<&str> = batch
                .pairs
                .iter()
                .map(|(i, _)| i.image_id.as_str())
                .collect();
            assert_eq!(ids, [SH_OLD]);
        }
        other => panic!("{other:?} ({})", flash(&app)),
    }
}

#[test]
fn a_family_s_retention_keeps_to_the_selected_image_s_region() {
    let mut app = all_regions_app();
    filter(&mut app, "region:shanghai");
    select(&mut app, SH_LATEST);
    app::update(&mut app, ch('F'));
    assert!(matches!(app.screen, Screen::BulkEdit(_)), "{}", flash(&app));
    app::update(&mut app, ctrl('u'));
    type_text(&mut app, "1");
    let commands = press(&mut app, KeyCode::Enter);
    assert!(
        commands.iter().all(|c| matches!(
            c,
            Command::LoadFamilyFacts { region, .. } | Command::LoadUsages { region, .. }
                if region == SHANGHAI
        )),
        "{commands:?}"
    );
    let Screen::BulkPlan(review) = &app.screen else {
        panic!("no plan: {}", flash(&app));
    };
    let ids: Vec<&str> = review
        .pairs
        .iter()
        .map(|(i, _)| i.image_id.as_str())
        .collect();
    assert_eq!(
        ids,
        [SH_OLD],
        "Hangzhou's web-frontend images are not Shanghai's family"
    );
}

#[test]
fn who_uses_another_region_s_image_and_its_family_are_asked_in_that_region() {
    let mut app = all_regions_app();
    filter(&mut app, "region:shanghai");
    select(&mut app, SH_LATEST);
    let commands = app::update(&mut app, ch('s'));
    assert!(
        commands.contains(&Command::LoadFamilyFacts {
            region: SHANGHAI.into(),
            family: "web-frontend".into(),
        }),
        "{commands:?}"
    );
    let usage = commands
        .iter()
        .find_map(|c| match c {
            Command::LoadUsage { region, image } => Some((region.clone(), image.image_id.clone())),
            _ => None,
        })
        .expect("who uses it is asked");
    assert_eq!(usage, (SHANGHAI.to_string(), SH_LATEST.to_string()));
    // Shanghai's answer is the image's usage.
    app::update(
        &mut app,
        Action::Usage {
            region: SHANGHAI.into(),
            image_id: SH_LATEST.into(),
            usage: Box::new(in_use()),
            at: AT.into(),
        },
    );
    assert!(
        matches!(
            app.usage.of(SH_LATEST),
            ecsimg::change::Usage::Known(ref u) if u.instances.total == 130
        ),
        "{:?}",
        app.usage.entry(SH_LATEST)
    );

    // The detail pane's pause asks there too.
    press(&mut app, KeyCode::Esc);
    assert!(matches!(app.screen, Screen::Browser));
    let commands = press(&mut app, KeyCode::Up);
    assert_eq!(app.list.selected().unwrap().image_id, SH_OLD);
    let timer = commands
        .iter()
        .find_map(|c| match c {
            Command::UsageTimer { timer, .. } => Some(*timer),
            _ => None,
        })
        .expect("a pause timer");
    let commands = app::update(&mut app, Action::UsagePause { timer });
    assert!(
        commands.iter().any(|c| matches!(
            c,
            Command::LoadUsage { region, image } if region == SHANGHAI && image.image_id == SH_OLD
        )),
        "{commands:?}"
    );
}

#[test]
fn region_command_leaves_the_all_regions_list_even_for_the_session_s_region() {
    let mut app = all_regions_app();
    app::update(&mut app, ch(':'));
    type_text(&mut app, "region cn-hangzhou");
    let commands = press(&mut app, KeyCode::Enter);
    assert!(
        matches!(&commands[..], [Command::LoadImages { region, .. }] if region == REGION),
        "{commands:?} ({})",
        flash(&app)
    );
    assert!(!app.spans_regions());
}

#[test]
fn the_copied_command_of_a_change_names_the_image_s_region() {
    let mut app = all_regions_app();
    filter(&mut app, "region:shanghai");
    select(&mut app, SH_LATEST);
    press(&mut app, KeyCode::Char('e'));
    app::update(&mut app, ctrl('u'));
    type_text(&mut app, "web-frontend-sh");
    app::update(&mut app, ctrl('o'));
    assert!(matches!(app.screen, Screen::Confirm(_)), "{}", flash(&app));
    let commands = app::update(&mut app, ch('Y'));
    match &commands[..] {
        [Command::Copy(text)] => {
            assert!(
                text.starts_with("ecsimg images modify m-uf6webfront00000002"),
                "{text}"
            );
            assert!(text.ends_with("--region cn-shanghai"), "{text}");
        }
        other => panic!("{other:?}"),
    }
}

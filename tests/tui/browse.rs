//! Finding an image among many, through the pure `update`: the filter's `field:value`
//! terms and `!`, the natural sort and `O`, the region picker's type-ahead and "all
//! regions" — a list that spans regions, with a region column, whose changes go to each
//! image's own region.

use crate::support::tui::*;
use crossterm::event::KeyCode;
use ecsimg::app::{self, Action, App, Command, Screen};
use ecsimg::ecs::error::ApiError;
use ecsimg::ecs::model::{Image, ImageStatus, Region};

fn shown(app: &App) -> Vec<String> {
    app.list.visible().map(|i| i.image_id.clone()).collect()
}

fn filter(app: &mut App, text: &str) {
    if !app.list.filtering {
        press(app, KeyCode::Char('/'));
    }
    app::update(app, ctrl('u'));
    type_text(app, text);
}

fn flash(app: &App) -> String {
    app.flash
        .as_ref()
        .map(|f| f.text.clone())
        .unwrap_or_default()
}

#[test]
fn the_filter_takes_field_terms_negation_and_plain_words() {
    let mut app = loaded_app();
    filter(&mut app, "status:Deprecated");
    let mut deprecated = shown(&app);
    deprecated.sort();
    assert_eq!(deprecated, [API_NEWER, WEB_GONE]);

    filter(&mut app, "family:web !status:dep");
    let mut web = shown(&app);
    web.sort();
    assert_eq!(web, [WEB_OLD, WEB_LATEST]);

    filter(&mut app, "os:debian");
    assert_eq!(shown(&app), [LONE]);
    filter(&mut app, "id:webfront00000003 name:v1.1");
    assert_eq!(shown(&app), [WEB_GONE]);
    filter(
        &mut app,
        "!family:web !family:api !family:数据库 !family:base",
    );
    let mut loose = shown(&app);
    loose.sort();
    assert_eq!(loose, [LONE, CREATING], "images in no family");

    // Plain words search the name, ID, family and description, as before.
    filter(&mut app, "CVE-2024");
    assert_eq!(shown(&app), [WEB_LATEST]);
    filter(&mut app, "status:");
    assert_eq!(
        shown(&app).len(),
        9,
        "a term still being typed filters nothing"
    );
}

#[test]
fn a_field_the_filter_does_not_know_is_said_on_the_filter_line() {
    let mut app = loaded_app();
    filter(&mut app, "fmaily:web");
    assert_eq!(
        app.list.visible_len(),
        0,
        "matched as text: nothing holds it"
    );
    let screen = render(&app, 80, 24, COLOR);
    let last = screen.lines().last().unwrap();
    assert!(last.contains("fmaily: is not a field"), "{last}");
}

#[test]
fn help_explains_the_filter_syntax() {
    let mut app = loaded_app();
    press(&mut app, KeyCode::Char('?'));
    measure(&mut app, 80, 24);
    // Scroll to the end of the overlay, where the syntax is.
    for _ in 0..40 {
        press(&mut app, KeyCode::Char('j'));
    }
    let screen = render(&app, 80, 24, COLOR);
    assert!(
        screen.contains("status: family: name: id: os: region:"),
        "{screen}"
    );
    assert!(screen.contains("!word leaves out"), "{screen}");
}

fn versioned(names: &[&str]) -> Vec<Image> {
    names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            image(
                &format!("m-bp1version{i:09}"),
                name,
                "web",
                ImageStatus::Available,
                &format!("2024-0{}-01T00:00:00Z", i + 1),
                "",
                "Ubuntu",
                40,
            )
        })
        .collect()
}

fn names(app: &App) -> Vec<String> {
    app.list.visible().map(|i| i.image_name.clone()).collect()
}

#[test]
fn names_sort_naturally_and_o_reverses_the_sort() {
    let mut app = loaded_app_with(
        context(),
        versioned(&["web-v10", "web-v2", "Web-v1", "web-v9"]),
    );
    assert_eq!(names(&app), ["Web-v1", "web-v2", "web-v9", "web-v10"]);
    press(&mut app, KeyCode::Char('O'));
    assert_eq!(names(&app), ["web-v10", "web-v9", "web-v2", "Web-v1"]);
    assert_eq!(flash(&app), "sorted by name, Z to A");
    // The next sort keeps the direction: created, oldest first.
    press(&mut app, KeyCode::Char('o'));
    assert_eq!(names(&app), ["web-v10", "web-v2", "Web-v1", "web-v9"]);
    assert_eq!(flash(&app), "sorted by created, oldest first");
    press(&mut app, KeyCode::Char('O'));
    assert_eq!(
        names(&app),
        ["web-v9", "Web-v1", "web-v2", "web-v10"],
        "newest first"
    );
}

fn regions() -> Vec<Region> {
    [
        ("cn-hangzhou", "华东1（杭州）"),
        ("cn-shanghai", "华东2（上海）"),
        ("ap-southeast-1", "新加坡"),
    ]
    .into_iter()
    .map(|(id, name)| Region {
        region_id: id.into(),
        local_name: name.into(),
        ..Region::default()
    })
    .collect()
}

/// `R`, and DescribeRegions answers.
fn open_picker(app: &mut App) {
    let commands = press(app, KeyCode::Char('R'));
    if commands == [Command::LoadRegions] {
        app::update(
            app,
            Action::Regions {
                result: Box::new(Ok(regions())),
                at: AT.into(),
            },
        );
    }
    assert!(matches!(app.screen, Screen::RegionPicker(_)));
}

#[test]
fn the_region_picker_narrows_as_you_type() {
    let mut app = loaded_app();
    open_picker(&mut app);
    // `g` is a letter of "shanghai", not "go to the top".
    type_text(&mut app, "shang");
    let screen = render(&app, 80, 24, COLOR);
    assert!(screen.contains("cn-shanghai"), "{screen}");
    assert!(!screen.contains("华东1"), "{screen}");
    let commands = press(&mut app, KeyCode::Enter);
    assert_eq!(
        commands,
        vec![Command::LoadImages {
            region: "cn-shanghai".into(),
            generation: 2
        }]
    );

    open_picker(&mut app);
    type_text(&mut app, "杭州");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.context.region, REGION);
    open_picker(&mut app);
    type_text(&mut app, "mars");
    assert!(press(&mut app, KeyCode::Enter).is_empty());
    assert!(flash(&app).contains("no region matches"), "{}", flash(&app));
}

/// An image of `region`, as the client reads it.
fn in_region(mut image: Image, region: &str) -> Image {
    image.region_id = region.into();
    image
}

/// The test inventory, as read from the session's region.
fn hangzhou() -> Vec<Image> {
    images().into_iter().map(|i| in_region(i, REGION)).collect()
}

/// Switches to "all regions": every region loads at once.
fn all_regions(app: &mut App) -> u64 {
    open_picker(app);
    type_text(app, "all");
    let commands = press(app, KeyCode::Enter);
    match &commands[..] {
        [Command::LoadAllImages {
            regions,
            generation,
        }] => {
            assert_eq!(regions, &["cn-hangzhou", "cn-shanghai", "ap-southeast-1"]);
            *generation
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn all_regions_lists_every_region_with_a_region_column_and_changes_go_to_the_images_region() {
    let mut app = loaded_app();
    let generation = all_regions(&mut app);
    let mut shanghai = in_region(find(WEB_LATEST), "cn-shanghai");
    shanghai.image_id = "m-uf6webfront00000002".into();
    shanghai.image_name = "web-frontend-v2".into();
    app::update(
        &mut app,
        page(generation, "cn-shanghai", 1, 1, vec![shanghai.clone()]),
    );
    app::update(&mut app, page(generation, REGION, 1, 9, hangzhou()));
    app::update(&mut app, done(generation, "cn-shanghai", 1));
    app::update(&mut app, done(generation, REGION, 9));
    assert!(app.loading.is_some(), "Singapore is still loading");
    app::update(&mut app, done(generation, "ap-southeast-1", 0));
    assert!(app.loading.is_none());
    assert_eq!(app.list.all().len(), 10);

    let screen = render(&app, 120, 40, COLOR);
    assert!(
        screen.lines().next().unwrap().contains("all 3 regions"),
        "{screen}"
    );
    assert!(screen.contains("Region"), "{screen}");
    let row = screen
        .lines()
        .find(|l| l.contains("m-uf6webfront00000002"))
        .expect("the Shanghai image is listed");
    assert!(row.contains("cn-shanghai"), "{row}");

    // Filter and sort work across regions.
    filter(&mut app, "region:shanghai");
    assert_eq!(shown(&app), ["m-uf6webfront00000002"]);
    press(&mut app, KeyCode::Enter);

    // Its family facts and its change go to Shanghai, not to the session's region.
    let commands = press(&mut app, KeyCode::Char('e'));
    assert!(
        commands.contains(&Command::LoadFamilyFacts {
            region: "cn-shanghai".into(),
            family: "web-frontend".into()
        }),
        "{commands:?}"
    );
    app::update(&mut app, ctrl('u'));
    type_text(&mut app, "web-frontend-v2-ok");
    app::update(&mut app, ctrl('o'));
    assert!(matches!(app.screen, Screen::Confirm(_)), "{}", flash(&app));
    press(&mut app, KeyCode::Tab);
    let commands = press(&mut app, KeyCode::Enter);
    match &commands[..] {
        [Command::ApplyChange { region, change, .. }] => {
            assert_eq!(region, "cn-shanghai");
            assert_eq!(change.image().image_id, "m-uf6webfront00000002");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_region_that_fails_is_named_and_the_others_stay() {
    let mut app = loaded_app();
    let generation = all_regions(&mut app);
    app::update(&mut app, page(generation, REGION, 1, 9, hangzhou()));
    app::update(&mut app, done(generation, REGION, 9));
    app::update(&mut app, done(generation, "cn-shanghai", 0));
    app::update(
        &mut app,
        load_failed(
            generation,
            "ap-southeast-1",
            ApiError::from_code("Forbidden.RAM", "User not authorized", Some(403)),
        ),
    );
    assert_eq!(app.list.all().len(), 9);
    assert_eq!(
        flash(&app),
        "1 region not listed in full: ap-southeast-1 (Forbidden.RAM) (r retries, n details)"
    );
    assert!(app.incomplete.is_some());
    let failed = app
        .notices
        .iter()
        .find(|n| !n.ok)
        .expect("the failure is a notice");
    assert!(failed.target.contains("ap-southeast-1"), "{failed:?}");
}

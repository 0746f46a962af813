//! The sums of a bulk plan, checked through the plan that builds them: a family rolled
//! back or emptied by the batch as a whole, and the usage summed with what was not read
//! said as unchecked.

use crate::change::bulk::{plan_edit, BulkEdit};
use crate::change::bulk_sum::FamilyFate;
use crate::change::plan::Facts;
use crate::change::usage::Usage;
use crate::change::usage::{ImageUsage, TemplateUse};
use crate::ecs::model::{Image, ImageStatus};
use crate::rules::FamilyFacts;
use std::collections::HashMap;

fn img(id: &str, status: ImageStatus, created: &str) -> Image {
    Image {
        image_id: id.into(),
        image_name: format!("web-{id}"),
        image_family: "web".into(),
        status,
        creation_time: created.into(),
        ..Image::default()
    }
}

fn web() -> (Vec<Image>, FamilyFacts) {
    let members = vec![
        img("m-1", ImageStatus::Available, "2024-01-01T00:00:00Z"),
        img("m-2", ImageStatus::Available, "2024-02-01T00:00:00Z"),
        img("m-3", ImageStatus::Available, "2024-03-01T00:00:00Z"),
    ];
    let facts = FamilyFacts {
        family: "web".into(),
        resolves_to: Some(members[2].clone()),
        members: members.clone(),
    };
    (members, facts)
}

#[test]
fn deprecating_some_rolls_back_and_all_empties_the_family_which_asks_for_its_name() {
    let (members, facts) = web();
    let deprecate = BulkEdit::Status(ImageStatus::Deprecated);
    let none = HashMap::new();
    let two = plan_edit(&deprecate, &members[1..], &members, &none, |_| {
        Facts::Known(&facts)
    });
    assert!(matches!(
        &two.families[0].fate,
        FamilyFate::RollsBack { from, to } if from.image_id == "m-3" && to.image_id == "m-1"
    ));
    assert_eq!(two.families[0].leaving, 2);
    assert_eq!(two.confirm_word(), None);
    let all = plan_edit(&deprecate, &members, &members, &none, |_| {
        Facts::Known(&facts)
    });
    assert!(matches!(all.families[0].fate, FamilyFate::Empties { .. }));
    assert!(all.families[0].line().contains("RESOLVES TO NOTHING"));
    assert_eq!(all.confirm_word().as_deref(), Some("web"));
    let checking = plan_edit(&deprecate, &members, &members, &none, |_| Facts::Checking);
    assert!(!checking.settled());
    let failed = plan_edit(&deprecate, &members, &members, &none, |_| {
        Facts::Failed("Throttling".into())
    });
    assert_eq!(
        failed.confirm_word().as_deref(),
        Some("3"),
        "unknown asks for the count"
    );
}

#[test]
fn usage_is_summed_and_unchecked_is_never_nothing() {
    let (members, facts) = web();
    let deprecate = BulkEdit::Status(ImageStatus::Deprecated);
    let mut usage = HashMap::new();
    let mut pinned = ImageUsage::default();
    pinned.instances.total = 4;
    pinned.launch_templates.push(TemplateUse {
        id: "lt-1".into(),
        name: "web-lt".into(),
        version: 3,
        default: true,
    });
    usage.insert("m-1".to_string(), Usage::Known(pinned));
    let p = plan_edit(&deprecate, &members[..2], &members, &usage, |_| {
        Facts::Known(&facts)
    });
    let lines = p.usage.lines();
    assert!(
        lines[0].starts_with(
            "usage of 1 image: 4 instances, 0 scaling groups, 1 launch template version"
        ),
        "{lines:?}"
    );
    assert!(
        lines[1].starts_with("IN USE m-1: launch template web-lt v3"),
        "{lines:?}"
    );
    assert!(
        lines[2].starts_with("usage unchecked for 1 image"),
        "{lines:?}"
    );
    assert_eq!(
        p.confirm_word().as_deref(),
        Some("2"),
        "in use asks for the count"
    );
    let rename = BulkEdit::Description("weekly".into());
    let p = plan_edit(&rename, &members, &members, &usage, |_| {
        Facts::Known(&facts)
    });
    assert!(p.usage.lines().is_empty() && p.families.is_empty());
}

//! The sums of a bulk plan, checked through the plan that builds them: a family rolled
//! back or emptied by the batch as a whole, and the usage summed with what was not read
//! said as unchecked.

use crate::change::bulk::{plan_edit, BulkEdit};
use crate::change::bulk_sum::FamilyFate;
use crate::change::plan::Facts;
use crate::change::usage::Usage;
use crate::change::usage::{ImageUsage, Source, TemplateUse, Unchecked};
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
    // Nothing uses them: only the families decide what is asked.
    let none: HashMap<String, Usage> = members
        .iter()
        .map(|m| (m.image_id.clone(), Usage::Known(ImageUsage::default())))
        .collect();
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
    let unread = plan_edit(&deprecate, &members[1..], &members, &HashMap::new(), |_| {
        Facts::Known(&facts)
    });
    assert_eq!(
        unread.confirm_word().as_deref(),
        Some("2"),
        "nobody read who uses them: they might be in use"
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

#[test]
fn while_usage_is_read_the_plan_waits_and_a_shared_image_is_refused_naming_its_accounts() {
    let (members, facts) = web();
    let deprecate = BulkEdit::Status(ImageStatus::Deprecated);
    let checking: HashMap<String, Usage> = members
        .iter()
        .map(|m| (m.image_id.clone(), Usage::Checking))
        .collect();
    let p = plan_edit(&deprecate, &members[1..], &members, &checking, |_| {
        Facts::Known(&facts)
    });
    assert_eq!(p.blocked().as_deref(), Some("checking who uses 2 images…"));
    assert_eq!(p.usage.lines()[0], "checking who uses 2 images…");

    let mut known: HashMap<String, Usage> = HashMap::new();
    known.insert(
        "m-2".into(),
        Usage::Known(ImageUsage {
            shared_with: vec!["1357924680135792".into()],
            ..ImageUsage::default()
        }),
    );
    known.insert(
        "m-3".into(),
        Usage::Known(ImageUsage {
            unchecked: vec![Unchecked {
                source: Source::Scaling,
                code: "Forbidden.RAM".into(),
                reason: "no".into(),
            }],
            ..ImageUsage::default()
        }),
    );
    let p = plan_edit(&deprecate, &members[1..], &members, &known, |_| {
        Facts::Known(&facts)
    });
    let blocked = p.blocked().unwrap();
    assert!(
        blocked.starts_with("m-2 is shared with account 1357924680135792"),
        "{blocked}"
    );
    let lines = p.usage.lines();
    assert!(
        lines.contains(
            &"not checked: scaling groups for 1 image (Forbidden.RAM): 1 image might be in use"
                .to_string()
        ),
        "{lines:?}"
    );
    assert_eq!(p.usage.asks(), 1);
    known.insert(
        "m-2".into(),
        Usage::Known(ImageUsage {
            launch_templates: vec![TemplateUse {
                id: "lt-1".into(),
                name: "web-lt".into(),
                version: 1,
                default: true,
            }],
            ..ImageUsage::default()
        }),
    );
    let p = plan_edit(&deprecate, &members[1..], &members, &known, |_| {
        Facts::Known(&facts)
    });
    let lines = p.usage.lines();
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("IN USE m-2: launch template web-lt v1"))
            && lines
                .iter()
                .any(|l| l.ends_with(": 1 more image might be in use")),
        "{lines:?}"
    );

    // Moving images to another family deprecates nothing: usage is not asked for.
    let moved = plan_edit(
        &BulkEdit::Family("web-next".into()),
        &members,
        &members,
        &HashMap::new(),
        |_| Facts::Known(&facts),
    );
    assert!(moved.usage.lines().is_empty(), "{:?}", moved.usage.lines());
}

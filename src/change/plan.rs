//! The plan of a change, before anything is sent: for each target image its before and
//! after, the diff, what it does to the image's family, who uses the image, the problems
//! ECS would refuse it for, and whether undo could reverse it.
//!
//! A plan is computed, never stored: the family facts arrive while a dialog is open, and
//! each frame (or the CLI, once) asks again with what is known by then.

use std::sync::Arc;

use crate::ecs::model::Image;
use crate::rules::{self, FamilyFacts, FamilyImpact, Problem, Severity};

use super::diff::{DiffLine, FieldChange};
use super::operation::{Change, Operation};
use super::usage::Usage;

/// What is known of a family's facts right now.
#[derive(Debug, Clone)]
pub enum Facts<'a> {
    /// Being fetched (or not asked for yet).
    Checking,
    /// They could not be fetched: why, as a person reads it.
    Failed(String),
    Known(&'a FamilyFacts),
}

/// What a change does to the image's family, as far as is known now.
// One per plan item, rebuilt for each frame; boxing the impact would only add noise.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum ImpactView {
    /// The facts of the family are being fetched.
    Checking(String),
    /// They could not be fetched.
    Unknown {
        family: String,
        error: String,
    },
    Known(FamilyImpact),
}

impl ImpactView {
    /// The change may go ahead: the facts are in (or not needed), and they do not say
    /// ECS will refuse it.
    pub fn settled(&self) -> bool {
        match self {
            ImpactView::Checking(_) => false,
            ImpactView::Unknown { .. } => true,
            ImpactView::Known(i) => i.severity() != Severity::Blocked,
        }
    }

    /// The image ID must be typed: the change empties the family, or nobody could check
    /// whether it does.
    pub fn needs_typed_confirmation(&self) -> bool {
        match self {
            ImpactView::Known(i) => i.needs_typed_confirmation(),
            ImpactView::Unknown { .. } => true,
            ImpactView::Checking(_) => false,
        }
    }

    /// How serious it is, for the colour of its lines.
    pub fn severity(&self) -> Severity {
        match self {
            ImpactView::Known(i) => i.severity(),
            ImpactView::Unknown { .. } => Severity::Warning,
            ImpactView::Checking(_) => Severity::Info,
        }
    }

    /// The words every screen and the CLI show, one line each.
    pub fn lines(&self) -> Vec<String> {
        match self {
            ImpactView::Checking(family) => vec![format!("checking family {family}…")],
            ImpactView::Unknown { family, error } => vec![
                format!("Could not check family {family}: {error}"),
                "Without it there is no telling whether this leaves the family resolving to \
                 nothing: confirming asks for the image ID."
                    .to_string(),
            ],
            ImpactView::Known(impact) => impact.lines(),
        }
    }
}

/// What `operation` does to `image`'s family, with the facts `facts` knows of.
pub fn family_impact<'a>(
    image: &Image,
    operation: &Operation,
    facts: impl Fn(&str) -> Facts<'a>,
) -> ImpactView {
    let Some((status, new_family)) = operation.family_move() else {
        return ImpactView::Known(FamilyImpact::None);
    };
    let impact = |facts| rules::family_impact(image, status, new_family, facts);
    let Some(family) = image.family() else {
        return ImpactView::Known(impact(None));
    };
    // Deprecating a shared image is refused whatever the family looks like.
    let without_facts = impact(None);
    if without_facts == FamilyImpact::Shared {
        return ImpactView::Known(without_facts);
    }
    match facts(family) {
        Facts::Known(known) => ImpactView::Known(impact(Some(known))),
        Facts::Failed(error) => ImpactView::Unknown {
            family: family.to_string(),
            error,
        },
        Facts::Checking => ImpactView::Checking(family.to_string()),
    }
}

/// One image of a plan.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanItem {
    /// As read; shared with the list of images a bulk plan was made from (a plan of
    /// thousands is made again on every frame of its screen, and a batch holds it to the end).
    pub before: Arc<Image>,
    /// The part of the operation this image does not hold yet: what is sent.
    pub operation: Operation,
    pub diff: Vec<FieldChange>,
    pub family: ImpactView,
    pub usage: Usage,
    /// Why ECS would refuse it; empty when it should accept it.
    pub problems: Vec<Problem>,
    /// Undo could put it back.
    pub reversible: bool,
}

impl PlanItem {
    /// The image as it will be, made when asked rather than held by every item.
    pub fn after(&self) -> Image {
        self.operation.after(&self.before)
    }

    /// The diff as every screen and the CLI word it.
    pub fn diff_lines(&self) -> Vec<DiffLine> {
        self.operation.diff_lines(&self.before)
    }

    /// What to warn about before confirming: the family's fate.
    pub fn warnings(&self) -> Vec<String> {
        self.family.lines()
    }

    /// Nothing to send: the image holds every value already.
    pub fn is_empty(&self) -> bool {
        self.operation.is_empty()
    }
}

/// A change over its target set, planned.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub operation: Operation,
    pub items: Vec<PlanItem>,
    /// Shared by the journal entries of a change to many images.
    pub batch: Option<String>,
}

impl Plan {
    /// Some image needs its ID typed before the change may go: it empties a family, or
    /// (for a Deprecate) it is in use or nobody read who uses it.
    pub fn needs_typed_confirmation(&self) -> bool {
        self.items.iter().any(PlanItem::needs_typed_confirmation)
    }

    /// Every image's family facts (and, for a Deprecate, its usage) are in, and none says
    /// ECS will refuse.
    pub fn settled(&self) -> bool {
        self.items
            .iter()
            .all(|i| i.family.settled() && !i.usage_checking())
    }
}

/// The plan of `change`, with the family facts known so far and no usage read (see
/// [`super::plan_with_usage`]).
pub fn plan<'a>(change: &Change, facts: impl Fn(&str) -> Facts<'a>) -> Plan {
    Plan {
        operation: change.operation.clone(),
        items: plan_items(change, facts, |_| Usage::NotChecked),
        batch: None,
    }
}

/// One item per target, with the facts and the usage known so far.
pub(super) fn plan_items<'a>(
    change: &Change,
    facts: impl Fn(&str) -> Facts<'a>,
    usage: impl Fn(&Image) -> Usage,
) -> Vec<PlanItem> {
    change
        .targets
        .iter()
        .map(|before| {
            let operation = change.operation.for_image(before);
            let usage = usage(before);
            plan_item(Arc::new(before.clone()), operation, usage, &facts)
        })
        .collect()
}

/// The item of `before` (shared, not copied) for `operation`, already narrowed to what the
/// image does not hold.
pub(super) fn plan_item<'a>(
    before: Arc<Image>,
    operation: Operation,
    usage: Usage,
    facts: impl Fn(&str) -> Facts<'a>,
) -> PlanItem {
    PlanItem {
        diff: operation.diff(&before),
        family: family_impact(&before, &operation, facts),
        usage,
        problems: operation.problems(&before),
        reversible: operation.reversible(),
        before,
        operation,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::change::ImageChanges;
    use crate::ecs::model::ImageStatus;

    fn image(id: &str, status: ImageStatus, created: &str) -> Image {
        Image {
            image_id: id.into(),
            image_name: format!("web-{id}"),
            image_family: "web".into(),
            status,
            creation_time: created.into(),
            ..Image::default()
        }
    }

    fn deprecate(image: &Image) -> Change {
        Change::modify(
            image.clone(),
            ImageChanges {
                status: Some(ImageStatus::Deprecated),
                ..ImageChanges::default()
            },
        )
    }

    #[test]
    fn the_family_impact_follows_what_is_known_of_the_family() {
        let old = image("m-1", ImageStatus::Available, "2024-01-01T00:00:00Z");
        let new = image("m-2", ImageStatus::Available, "2024-02-01T00:00:00Z");
        let facts = FamilyFacts {
            family: "web".into(),
            members: vec![old.clone(), new.clone()],
            resolves_to: Some(new.clone()),
        };
        let change = deprecate(&new);
        let checking = plan(&change, |_| Facts::Checking);
        assert_eq!(checking.items[0].family, ImpactView::Checking("web".into()));
        assert!(!checking.settled(), "Apply waits for the facts");
        let unused = |_: &Image| Usage::Known(super::super::ImageUsage::default());
        let known = super::super::plan_with_usage(&change, |_| Facts::Known(&facts), unused);
        assert!(matches!(
            &known.items[0].family,
            ImpactView::Known(FamilyImpact::Rollback { next, .. }) if next.image_id == "m-1"
        ));
        assert!(known.settled() && !known.needs_typed_confirmation());
        let failed = plan(&change, |_| Facts::Failed("Throttling: slow down".into()));
        assert!(failed.needs_typed_confirmation(), "unknown asks for the ID");
        assert!(failed.items[0].warnings()[0].contains("Throttling: slow down"));
    }

    #[test]
    fn a_plan_item_has_before_after_diff_problems_and_reversibility() {
        let only = image("m-1", ImageStatus::Available, "2024-01-01T00:00:00Z");
        let mut shared = only.clone();
        shared.is_self_shared = "true".into();
        let change = Change {
            targets: vec![only.clone(), shared],
            ..deprecate(&only)
        };
        let p = plan(&change, |_| Facts::Checking);
        assert_eq!(p.items.len(), 2);
        let first = &p.items[0];
        assert_eq!(first.after().status, ImageStatus::Deprecated);
        assert_eq!(
            first.diff_lines()[0].inline("→"),
            "Status: Available → Deprecated"
        );
        assert!(first.problems.is_empty() && first.reversible);
        assert_eq!(first.usage, Usage::NotChecked);
        assert_eq!(p.items[1].problems[0].code, "ImageUseShared");
        assert_eq!(p.items[1].family, ImpactView::Known(FamilyImpact::Shared));
        assert!(!p.settled(), "a shared image blocks the plan");
        assert_eq!(p.batch, None);
    }

    #[test]
    fn a_change_that_leaves_the_family_alone_needs_no_facts() {
        let img = image("m-1", ImageStatus::Available, "2024-01-01T00:00:00Z");
        let change = Change::modify(
            img.clone(),
            ImageChanges {
                description: Some("weekly".into()),
                image_name: Some(img.image_name.clone()),
                ..ImageChanges::default()
            },
        );
        let p = plan(&change, |_| Facts::Checking);
        assert_eq!(p.items[0].family, ImpactView::Known(FamilyImpact::None));
        assert!(p.settled());
        assert_eq!(
            p.items[0].diff.len(),
            1,
            "the unchanged name is not in the plan"
        );
    }
}

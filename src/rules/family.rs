//! What a status or family change does to an image family.
//!
//! ECS resolves a family to its newest Available image (by CreationTime, in the region).
//! Deprecating that image rolls the family back; deprecating the only Available one leaves
//! the family resolving to nothing, and instance creation from it fails.

use crate::ecs::model::{Image, ImageStatus};

/// What ECS says about a family today: its members and what it resolves to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FamilyFacts {
    pub family: String,
    /// The family's Available and Deprecated images.
    pub members: Vec<Image>,
    /// DescribeImageFromFamily's answer today.
    pub resolves_to: Option<Image>,
}

/// How serious an impact is; the screen colours by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Info,
    Warning,
    Danger,
    /// ECS would refuse the change.
    Blocked,
}

/// What the change does to the image's family.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FamilyImpact {
    /// The change touches neither the status nor the family membership.
    None,
    /// The image is in no family; deprecating still leaves it usable by ID.
    NoFamily { deprecating: bool },
    /// Deprecating a shared image: ECS answers ImageUseShared.
    Shared,
    /// The image leaves the Available set and was the only Available one.
    EmptiesFamily { family: String, moving: bool },
    /// The image is what the family resolves to today; the family rolls back to `next`.
    Rollback {
        family: String,
        next: Image,
        moving: bool,
    },
    /// An older image leaves the Available set; the family keeps resolving to `current`.
    KeepsResolving {
        family: String,
        current: Image,
        moving: bool,
    },
    /// A Deprecated image becomes Available and is newer than today's latest (or the family
    /// has none): the family will resolve to it.
    BecomesLatest {
        family: String,
        previous: Option<Image>,
    },
    /// A Deprecated image becomes Available but an Available newer one exists.
    RestoredNotLatest { family: String, current: Image },
}

impl FamilyImpact {
    pub fn severity(&self) -> Severity {
        match self {
            FamilyImpact::Shared => Severity::Blocked,
            FamilyImpact::EmptiesFamily { .. } => Severity::Danger,
            FamilyImpact::Rollback { .. } | FamilyImpact::BecomesLatest { .. } => Severity::Warning,
            _ => Severity::Info,
        }
    }

    /// Deprecating the only Available image asks the person to type the image ID.
    pub fn needs_typed_confirmation(&self) -> bool {
        matches!(self, FamilyImpact::EmptiesFamily { .. })
    }

    /// The words the TUI and the CLI show, one line each.
    pub fn lines(&self) -> Vec<String> {
        const BY_ID: &str = "A Deprecated image can still launch instances by its ID.";
        let leaves = |moving: bool| {
            if moving {
                "Moving it out"
            } else {
                "Deprecating it"
            }
        };
        match self {
            FamilyImpact::None => vec![],
            FamilyImpact::NoFamily { deprecating } => {
                if *deprecating {
                    vec![BY_ID.to_string()]
                } else {
                    vec![]
                }
            }
            FamilyImpact::Shared => vec![
                "This image is shared with other accounts: unshare it first.".to_string(),
                "ECS refuses to deprecate a shared image (ImageUseShared).".to_string(),
            ],
            FamilyImpact::EmptiesFamily { family, moving } => {
                let mut lines = vec![
                    format!("This is the only Available image of family {family}."),
                    format!(
                        "{} leaves {family} resolving to nothing: instances created from the family will fail until an image is Available again.",
                        leaves(*moving)
                    ),
                ];
                if !*moving {
                    lines.push(BY_ID.to_string());
                }
                lines
            }
            FamilyImpact::Rollback {
                family,
                next,
                moving,
            } => {
                let mut lines = vec![format!(
                    "This is a rollback: family {family} will resolve to {} ({}, created {}).",
                    next.image_name,
                    next.image_id,
                    next.created_date()
                )];
                if !*moving {
                    lines.push(BY_ID.to_string());
                }
                lines
            }
            FamilyImpact::KeepsResolving {
                family,
                current,
                moving,
            } => {
                let mut lines = vec![format!(
                    "Family {family} keeps resolving to {} ({}).",
                    current.image_name, current.image_id
                )];
                if !*moving {
                    lines.push(BY_ID.to_string());
                }
                lines
            }
            FamilyImpact::BecomesLatest { family, previous } => {
                let mut lines = vec![format!("Family {family} will resolve to this image.")];
                if let Some(prev) = previous {
                    lines.push(format!(
                        "Today it resolves to {} ({}, created {}).",
                        prev.image_name,
                        prev.image_id,
                        prev.created_date()
                    ));
                }
                lines
            }
            FamilyImpact::RestoredNotLatest { family, current } => vec![format!(
                "Family {family} keeps resolving to {} ({}), which is newer.",
                current.image_name, current.image_id
            )],
        }
    }
}

/// What giving `image` the status `new_status` and the family `new_family` (`None`: left
/// as they are) does to the family it is in today, given what ECS says of it.
///
/// `facts` are for the image's current family; `None` when it has none (or they are not
/// loaded yet, in which case the caller shows that they are loading).
pub fn family_impact(
    image: &Image,
    new_status: Option<&ImageStatus>,
    new_family: Option<&str>,
    facts: Option<&FamilyFacts>,
) -> FamilyImpact {
    let new_status = new_status.unwrap_or(&image.status);
    let deprecating =
        *new_status == ImageStatus::Deprecated && image.status != ImageStatus::Deprecated;
    let restoring =
        *new_status == ImageStatus::Available && image.status == ImageStatus::Deprecated;
    let moving = new_family.is_some_and(|f| f != image.image_family && image.family().is_some());

    if deprecating && image.is_shared() {
        return FamilyImpact::Shared;
    }
    let Some(family) = image.family() else {
        return if deprecating {
            FamilyImpact::NoFamily { deprecating: true }
        } else {
            FamilyImpact::None
        };
    };
    let Some(facts) = facts else {
        return FamilyImpact::None;
    };
    let family = family.to_string();
    let was_available = image.status == ImageStatus::Available;

    if was_available && (deprecating || moving) {
        let current = facts
            .resolves_to
            .clone()
            .or_else(|| newest_available(&facts.members, None));
        let is_current = current
            .as_ref()
            .is_some_and(|c| c.image_id == image.image_id);
        if !is_current {
            if let Some(current) = current {
                return FamilyImpact::KeepsResolving {
                    family,
                    current,
                    moving: !deprecating,
                };
            }
        }
        return match newest_available(&facts.members, Some(&image.image_id)) {
            Some(next) => FamilyImpact::Rollback {
                family,
                next,
                moving: !deprecating,
            },
            None => FamilyImpact::EmptiesFamily {
                family,
                moving: !deprecating,
            },
        };
    }
    if restoring && !moving {
        let current = facts
            .resolves_to
            .clone()
            .or_else(|| newest_available(&facts.members, None));
        return match current {
            Some(c) if c.creation_time > image.creation_time => {
                FamilyImpact::RestoredNotLatest { family, current: c }
            }
            previous => FamilyImpact::BecomesLatest { family, previous },
        };
    }
    FamilyImpact::None
}

/// The newest Available image among `members`, leaving out `except`.
fn newest_available(members: &[Image], except: Option<&str>) -> Option<Image> {
    members
        .iter()
        .filter(|m| m.status == ImageStatus::Available && Some(m.image_id.as_str()) != except)
        .max_by(|a, b| a.creation_time.cmp(&b.creation_time))
        .cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn img(id: &str, status: ImageStatus, created: &str) -> Image {
        Image {
            image_id: id.into(),
            image_name: format!("name-{id}"),
            image_family: "web".into(),
            status,
            creation_time: created.into(),
            ..Image::default()
        }
    }

    fn facts(members: &[Image]) -> FamilyFacts {
        FamilyFacts {
            family: "web".into(),
            members: members.to_vec(),
            resolves_to: newest_available(members, None),
        }
    }

    const BY_ID_LINE: &str = "A Deprecated image can still launch instances by its ID.";

    /// The impact of a status change.
    fn to(image: &Image, status: ImageStatus, facts: Option<&FamilyFacts>) -> FamilyImpact {
        family_impact(image, Some(&status), None, facts)
    }

    #[test]
    fn deprecating_the_latest_is_a_rollback_to_the_previous() {
        let old = img("m-1", ImageStatus::Available, "2024-01-01T00:00:00Z");
        let new = img("m-2", ImageStatus::Available, "2024-02-01T00:00:00Z");
        let f = facts(&[old.clone(), new.clone()]);
        let impact = to(&new, ImageStatus::Deprecated, Some(&f));
        assert_eq!(
            impact,
            FamilyImpact::Rollback {
                family: "web".into(),
                next: old,
                moving: false
            }
        );
        assert!(
            impact.lines()[0].contains("this is a rollback")
                || impact.lines()[0].contains("This is a rollback")
        );
        assert!(impact.lines()[0].contains("name-m-1 (m-1, created 2024-01-01)"));
    }

    #[test]
    fn deprecating_an_older_image_keeps_the_family() {
        let old = img("m-1", ImageStatus::Available, "2024-01-01T00:00:00Z");
        let new = img("m-2", ImageStatus::Available, "2024-02-01T00:00:00Z");
        let f = facts(&[old.clone(), new.clone()]);
        let impact = to(&old, ImageStatus::Deprecated, Some(&f));
        assert!(
            matches!(impact, FamilyImpact::KeepsResolving { ref current, .. } if current.image_id == "m-2")
        );
        assert_eq!(
            impact.lines()[0],
            "Family web keeps resolving to name-m-2 (m-2)."
        );
        assert!(impact.lines()[1].contains("by its ID"));
    }

    #[test]
    fn deprecating_the_only_available_image_empties_the_family() {
        let gone = img("m-0", ImageStatus::Deprecated, "2023-01-01T00:00:00Z");
        let only = img("m-1", ImageStatus::Available, "2024-01-01T00:00:00Z");
        let f = facts(&[gone, only.clone()]);
        let impact = to(&only, ImageStatus::Deprecated, Some(&f));
        assert_eq!(impact.severity(), Severity::Danger);
        assert!(impact.needs_typed_confirmation());
        assert!(impact.lines().join(" ").contains("resolving to nothing"));
        assert!(impact.lines().contains(&BY_ID_LINE.to_string()));
    }

    #[test]
    fn restoring_a_newer_image_makes_it_the_latest() {
        let cur = img("m-1", ImageStatus::Available, "2024-01-01T00:00:00Z");
        let newer = img("m-2", ImageStatus::Deprecated, "2024-03-01T00:00:00Z");
        let older = img("m-0", ImageStatus::Deprecated, "2023-03-01T00:00:00Z");
        let f = facts(&[cur.clone(), newer.clone(), older.clone()]);
        let impact = to(&newer, ImageStatus::Available, Some(&f));
        assert_eq!(impact.lines()[0], "Family web will resolve to this image.");
        let impact = to(&older, ImageStatus::Available, Some(&f));
        assert!(matches!(impact, FamilyImpact::RestoredNotLatest { .. }));
    }

    #[test]
    fn shared_and_familyless_images() {
        let mut shared = img("m-1", ImageStatus::Available, "2024-01-01T00:00:00Z");
        shared.is_self_shared = "true".into();
        assert_eq!(
            to(&shared, ImageStatus::Deprecated, None).severity(),
            Severity::Blocked
        );
        let mut lone = img("m-2", ImageStatus::Available, "2024-01-01T00:00:00Z");
        lone.image_family.clear();
        let impact = to(&lone, ImageStatus::Deprecated, None);
        assert_eq!(impact, FamilyImpact::NoFamily { deprecating: true });
        assert_eq!(
            impact.lines(),
            vec![BY_ID_LINE.to_string()],
            "no family note, only the ID note"
        );
    }

    #[test]
    fn moving_the_only_available_image_out_empties_the_family() {
        let only = img("m-1", ImageStatus::Available, "2024-01-01T00:00:00Z");
        let f = facts(std::slice::from_ref(&only));
        let impact = family_impact(&only, None, Some("other"), Some(&f));
        assert_eq!(
            impact,
            FamilyImpact::EmptiesFamily {
                family: "web".into(),
                moving: true
            }
        );
        assert!(impact.lines()[1].starts_with("Moving it out"));
    }
}

//! Family retention: which images "keep the newest N" deprecates, which one a restore
//! makes Available again, and the families of a region with their members by status and
//! what each resolves to — ECS's rule: the newest Available image by CreationTime.

use std::collections::BTreeMap;

use crate::ecs::model::{Image, ImageStatus};

/// Newest first; the ID breaks a tie so the order never depends on the listing.
fn newest_first(a: &&Image, b: &&Image) -> std::cmp::Ordering {
    b.creation_time
        .cmp(&a.creation_time)
        .then_with(|| a.image_id.cmp(&b.image_id))
}

/// The Available members of `family` past the newest `keep`, newest first: what a prune
/// deprecates.
pub fn prune_targets(images: &[Image], family: &str, keep: usize) -> Vec<Image> {
    let mut available: Vec<&Image> = images
        .iter()
        .filter(|i| i.image_family == family && i.status == ImageStatus::Available)
        .collect();
    available.sort_by(newest_first);
    available.into_iter().skip(keep).cloned().collect()
}

/// The newest Deprecated member of `family`: what a restore makes Available again (the
/// rollback, rolled back).
pub fn restore_target(images: &[Image], family: &str) -> Option<Image> {
    images
        .iter()
        .filter(|i| i.image_family == family && i.status == ImageStatus::Deprecated)
        .min_by(newest_first)
        .cloned()
}

/// One family of a region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FamilyRow {
    pub family: String,
    /// Members by status name, e.g. `Available: 3, Deprecated: 2`.
    pub by_status: BTreeMap<String, usize>,
    /// Newest first.
    pub members: Vec<Image>,
    pub resolves_to: Option<Image>,
}

/// Every family `images` hold, by name.
pub fn family_members(images: &[Image]) -> Vec<FamilyRow> {
    let mut by_family: BTreeMap<&str, Vec<&Image>> = BTreeMap::new();
    for image in images {
        if let Some(f) = image.family() {
            by_family.entry(f).or_default().push(image);
        }
    }
    by_family
        .into_iter()
        .map(|(family, mut members)| {
            members.sort_by(newest_first);
            let mut by_status = BTreeMap::new();
            for m in &members {
                *by_status.entry(m.status.to_string()).or_insert(0) += 1;
            }
            FamilyRow {
                family: family.to_string(),
                by_status,
                resolves_to: members
                    .iter()
                    .find(|m| m.status == ImageStatus::Available)
                    .map(|m| (*m).clone()),
                members: members.into_iter().cloned().collect(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn img(id: &str, status: ImageStatus, created: &str) -> Image {
        Image {
            image_id: id.into(),
            image_family: "web".into(),
            status,
            creation_time: created.into(),
            ..Image::default()
        }
    }

    fn family() -> Vec<Image> {
        vec![
            img("m-1", ImageStatus::Available, "2024-01-01T00:00:00Z"),
            img("m-4", ImageStatus::Available, "2024-04-01T00:00:00Z"),
            img("m-2", ImageStatus::Deprecated, "2024-02-01T00:00:00Z"),
            img("m-3", ImageStatus::Available, "2024-03-01T00:00:00Z"),
            img("m-5", ImageStatus::Deprecated, "2024-05-01T00:00:00Z"),
        ]
    }

    #[test]
    fn prune_keeps_the_newest_available_and_restore_takes_the_newest_deprecated() {
        let ids = |v: Vec<Image>| v.into_iter().map(|i| i.image_id).collect::<Vec<_>>();
        assert_eq!(ids(prune_targets(&family(), "web", 1)), ["m-3", "m-1"]);
        assert_eq!(
            ids(prune_targets(&family(), "web", 5)),
            Vec::<String>::new()
        );
        assert_eq!(
            ids(prune_targets(&family(), "other", 0)),
            Vec::<String>::new()
        );
        assert_eq!(restore_target(&family(), "web").unwrap().image_id, "m-5");
    }

    #[test]
    fn families_list_members_by_status_and_what_they_resolve_to() {
        let mut all = family();
        all.push(Image::default());
        let rows = family_members(&all);
        assert_eq!(rows.len(), 1, "an image with no family is in none");
        assert_eq!(rows[0].by_status["Available"], 3);
        assert_eq!(rows[0].by_status["Deprecated"], 2);
        assert_eq!(rows[0].resolves_to.as_ref().unwrap().image_id, "m-4");
        assert_eq!(rows[0].members[0].image_id, "m-5");
    }
}

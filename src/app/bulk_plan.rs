//! What the screens for many images ask of the app: the marked images, the edit a bulk
//! form stands for, and its plan with what is known now (the region's images, the family
//! facts and the usage read so far) — always asked of `change`, never stored.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use crate::change::{
    plan_pairs, prune_targets, restore_target, BulkEdit, BulkPlan, ImageChanges, Operation, Usage,
};
use crate::ecs::model::{Image, ImageStatus};

use super::bulk::{BulkForm, BulkKind, BulkReview, BulkScope, BULK_STATUSES};
use super::state::App;

impl App {
    /// The marked images that are still loaded, by name (the order `{n}` counts).
    pub fn marked_images(&self) -> Vec<Image> {
        let mut out: Vec<Image> = self
            .list
            .all()
            .iter()
            .filter(|i| self.bulk.marks.contains(&i.image_id))
            .cloned()
            .collect();
        out.sort_by(|a, b| {
            a.image_name
                .cmp(&b.image_name)
                .then_with(|| a.image_id.cmp(&b.image_id))
        });
        out
    }

    /// The one region `images` are in, where their batch goes (the list's region when
    /// there are none); `Err` says why not when they are in several.
    pub fn one_region<'a>(
        &self,
        images: impl IntoIterator<Item = &'a Image>,
    ) -> Result<String, String> {
        let regions: BTreeSet<String> = images.into_iter().map(|i| self.region_of(i)).collect();
        match regions.len() {
            0 => Ok(self.context.region.clone()),
            1 => Ok(regions.into_iter().next().unwrap_or_default()),
            n => {
                let named: Vec<String> = regions.into_iter().collect();
                // What to do first: on 80 columns only the names are cut.
                Err(format!(
                    "a batch goes to one region and these are in {n}: filter region:ID, \
                     then * ({})",
                    named.join(", ")
                ))
            }
        }
    }

    /// The images a bulk form works on, as loaded now.
    fn form_targets(&self, form: &BulkForm) -> Vec<Image> {
        match &form.scope {
            BulkScope::Marked(ids) => ids
                .iter()
                .filter_map(|id| self.list.get(id).cloned())
                .collect(),
            BulkScope::Family(family) => {
                // A family is a family of one region: the list may hold every region's.
                let members: Vec<Image> = self
                    .list
                    .all()
                    .iter()
                    .filter(|i| i.image_family == *family && self.region_of(i) == form.region)
                    .cloned()
                    .collect();
                match form.kind {
                    BulkKind::Restore => restore_target(&members, family).into_iter().collect(),
                    _ => {
                        let keep = form.text.value().trim().parse().unwrap_or(usize::MAX);
                        prune_targets(&members, family, keep)
                    }
                }
            }
        }
    }

    /// The form as one edit on its images: `Err` says what to fix first.
    pub fn bulk_edit_of(
        &self,
        form: &BulkForm,
    ) -> Result<(String, Vec<(Image, Operation)>), String> {
        let value = form.text.value().trim().to_string();
        let edit = match form.kind {
            BulkKind::Status => BulkEdit::Status(BULK_STATUSES[form.status % 2].clone()),
            BulkKind::Family => BulkEdit::Family(value),
            BulkKind::Description => BulkEdit::Description(value),
            BulkKind::Rename => BulkEdit::Rename(value),
            BulkKind::KeepNewest | BulkKind::Restore => {
                let status = if form.kind == BulkKind::Restore {
                    ImageStatus::Available
                } else {
                    if value.parse::<usize>().is_err() {
                        return Err(format!("keep newest: {value:?} is not a number of images"));
                    }
                    ImageStatus::Deprecated
                };
                let targets = self.form_targets(form);
                let BulkScope::Family(family) = &form.scope else {
                    return Err("no family".to_string());
                };
                let label = match form.kind {
                    BulkKind::Restore => format!("restore the newest Deprecated image of {family}"),
                    _ => format!(
                        "keep the newest {value} of {family}, deprecate {}",
                        targets.len()
                    ),
                };
                let changes = ImageChanges {
                    status: Some(status),
                    ..ImageChanges::default()
                };
                let pairs = targets
                    .into_iter()
                    .map(|i| (i, Operation::Modify(changes.clone())))
                    .collect();
                return Ok((label, pairs));
            }
        };
        let targets = self.form_targets(form);
        let mut pairs = Vec::with_capacity(targets.len());
        for (i, image) in targets.into_iter().enumerate() {
            let changes = edit.changes_for(&image, i + 1).map_err(|e| e.0)?;
            pairs.push((image, Operation::Modify(changes)));
        }
        Ok((edit.label(), pairs))
    }

    /// The plan of `label` and `pairs` with what is known now: the region's images for the
    /// duplicate check, the family facts loaded so far, who uses each image as read so far
    /// (being read, or not asked: said so, never as nothing).
    pub fn bulk_plan_of(&self, label: &str, pairs: &[(Arc<Image>, Operation)]) -> BulkPlan {
        self.bulk_plan_taking(label, pairs.to_vec())
    }

    /// [`App::bulk_plan_of`] taking `pairs`: each image goes into its plan item without
    /// being copied (thousands of images are planned on each frame of the plan screen).
    pub fn bulk_plan_taking<I: Into<Arc<Image>>>(
        &self,
        label: &str,
        pairs: Vec<(I, Operation)>,
    ) -> BulkPlan {
        let pairs: Vec<(Arc<Image>, Operation)> =
            pairs.into_iter().map(|(i, o)| (i.into(), o)).collect();
        let usage: HashMap<String, Usage> = pairs
            .iter()
            .map(|(image, _)| (image.image_id.clone(), self.usage.of(&image.image_id)))
            .collect();
        plan_pairs(label.to_string(), pairs, self.list.all(), &usage, |f| {
            self.facts_of(f)
        })
    }

    /// The plan under review.
    pub fn bulk_plan(&self, review: &BulkReview) -> BulkPlan {
        self.bulk_plan_of(&review.label, &review.pairs)
    }

    /// The word the review asks to be typed now, if any.
    pub fn bulk_word(&self, review: &BulkReview) -> Option<String> {
        self.bulk_plan(review).confirm_word()
    }

    /// Apply may be pressed: nothing blocks the plan, and the word is typed when asked.
    pub fn bulk_ready(&self, review: &BulkReview) -> Result<(), String> {
        self.bulk_ready_with(review, &self.bulk_plan(review))
    }

    /// [`App::bulk_ready`] with the review's plan already asked for: a screen that holds it
    /// does not plan every image a second time.
    pub fn bulk_ready_with(&self, review: &BulkReview, plan: &BulkPlan) -> Result<(), String> {
        if let Some(why) = plan.blocked() {
            return Err(why);
        }
        match plan.confirm_word() {
            Some(word) if review.typed.value().trim() != word => {
                Err(format!("type {word} to confirm"))
            }
            _ => Ok(()),
        }
    }
}

//! A change to many images at once: one [`BulkEdit`] (or one operation per image, as undo
//! and retention build them) over a target set → a [`BulkPlan`]: the per-image plan items,
//! the images that already hold the values (nothing is sent for them), every problem ECS
//! would refuse — duplicate names within the batch and against the region's other images
//! included, a shared image named with its accounts — the family fates summed per family,
//! the usage summed with the one in-use rule, and the number of calls. Pure: the facts,
//! the usage and the region's images are passed in.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use crate::ecs::model::{Image, ImageStatus};
use crate::rules::{Field, Problem};

use super::bulk_sum::{families, FamilyFate, FamilySum, UsageSum};
use super::edit::ImageChanges;
use super::operation::Operation;
use super::pattern::{self, PatternError};
use super::plan::{plan_item, Facts, Plan};
use super::report::words_for;
use super::usage::Usage;

/// What a bulk edit sets on every marked image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BulkEdit {
    Status(ImageStatus),
    Family(String),
    Description(String),
    /// A name pattern (see [`pattern`]).
    Rename(String),
}

impl BulkEdit {
    /// "set status to Deprecated", for titles and the CLI.
    pub fn label(&self) -> String {
        match self {
            BulkEdit::Status(s) => format!("set status to {s}"),
            BulkEdit::Family(f) => format!("set family to {f}"),
            BulkEdit::Description(d) => format!("set description to {d}"),
            BulkEdit::Rename(p) => format!("rename to {p}"),
        }
    }

    /// The changes it makes to `image`, the `n`th of the batch (from 1).
    pub fn changes_for(&self, image: &Image, n: usize) -> Result<ImageChanges, PatternError> {
        let mut changes = ImageChanges::default();
        match self {
            BulkEdit::Status(s) => changes.status = Some(s.clone()),
            BulkEdit::Family(f) => changes.image_family = Some(f.clone()),
            BulkEdit::Description(d) => changes.description = Some(d.clone()),
            BulkEdit::Rename(p) => changes.image_name = Some(pattern::render(p, image, n)?),
        }
        Ok(changes)
    }
}

/// A change to many images, planned.
#[derive(Debug, Clone, PartialEq)]
pub struct BulkPlan {
    /// What it does, in a few words ("set status to Deprecated", "undo batch b-…").
    pub label: String,
    /// The images it sends a change for, in order.
    pub plan: Plan,
    /// Images that already hold every value: nothing is sent for them.
    pub unchanged: Vec<Arc<Image>>,
    /// The pattern cannot be used: nothing can be planned.
    pub pattern_error: Option<PatternError>,
    pub families: Vec<FamilySum>,
    pub usage: UsageSum,
}

impl BulkPlan {
    /// Every problem, with the image it belongs to.
    pub fn problems(&self) -> Vec<(&Image, &Problem)> {
        self.plan
            .items
            .iter()
            .flat_map(|i| i.problems.iter().map(move |p| (&*i.before, p)))
            .collect()
    }

    /// The images it deprecates, as read: who uses them decides what the plan asks.
    pub fn deprecated_images(&self) -> Vec<Image> {
        self.plan
            .items
            .iter()
            .filter(|i| i.needs_usage())
            .map(|i| Image::clone(&i.before))
            .collect()
    }

    /// How many changes would be sent (one ModifyImageAttribute each).
    pub fn calls(&self) -> usize {
        self.plan.items.len()
    }

    /// The time the calls take at `rate` calls a second (`None`: no limit, no estimate).
    pub fn expected(&self, rate: Option<f64>) -> Option<Duration> {
        let rate = rate.filter(|r| *r > 0.0)?;
        Some(Duration::from_secs_f64(self.calls() as f64 / rate))
    }

    /// Every family's fate and every usage is known (or could not be): the plan no longer
    /// changes.
    pub fn settled(&self) -> bool {
        self.waiting_for().is_none()
    }

    /// What the plan waits for, said for a person: "checking the families", "checking who
    /// uses 3 images".
    pub fn waiting_for(&self) -> Option<String> {
        let families = self
            .families
            .iter()
            .any(|f| matches!(f.fate, FamilyFate::Checking));
        let n = self.usage.checking;
        let images = super::bulk_sum::images(n);
        match (families, n > 0) {
            (true, true) => Some(format!("checking the families and who uses {images}")),
            (true, false) => Some("checking the families".to_string()),
            (false, true) => Some(format!("checking who uses {images}")),
            (false, false) => None,
        }
    }

    /// Why it cannot be sent as it is, if it cannot: a bad pattern, a problem ECS would
    /// refuse, nothing to send, or facts still arriving.
    pub fn blocked(&self) -> Option<String> {
        if let Some(e) = &self.pattern_error {
            return Some(e.0.clone());
        }
        if let Some(first) = self.usage.shared.first() {
            let n = self.usage.shared.len();
            return Some(if n == 1 {
                first.clone()
            } else {
                format!("{n} images are shared; first, {first}")
            });
        }
        let problems = self.problems();
        if let Some((image, problem)) = problems.first() {
            let n = problems.len();
            return Some(format!(
                "{n} problem{} ECS would refuse, first {}: {problem}; nothing is sent until \
                 every image can be changed",
                if n == 1 { "" } else { "s" },
                image.image_id
            ));
        }
        if self.plan.items.is_empty() {
            return Some("no changes: every image already holds these values".to_string());
        }
        if let Some(what) = self.waiting_for() {
            return Some(format!("{what}…"));
        }
        None
    }

    /// What must be typed before it may go: the family's name when it empties exactly
    /// one family, else the number of images (an image in use, or one whose usage was not
    /// read, asks for it too); `None` when a plain confirmation will do.
    pub fn confirm_word(&self) -> Option<String> {
        let emptied: Vec<&str> = self
            .families
            .iter()
            .filter(|f| matches!(f.fate, FamilyFate::Empties { .. }))
            .map(|f| f.family.as_str())
            .collect();
        let unknown = self
            .families
            .iter()
            .any(|f| matches!(f.fate, FamilyFate::Unknown(_)));
        // In use, or nobody read who uses it: it might be.
        let in_use = self.usage.asks() > 0;
        match (emptied.as_slice(), unknown || in_use) {
            ([], false) => None,
            ([only], false) => Some(only.to_string()),
            _ => Some(self.calls().to_string()),
        }
    }

    /// The summary lines the plan screen and the CLI print under the per-image diff:
    /// families, usage, calls and time.
    pub fn summary_lines(&self, rate: Option<f64>, concurrency: usize) -> Vec<String> {
        let mut lines: Vec<String> = self.families.iter().map(FamilySum::line).collect();
        lines.extend(self.usage.lines());
        if !self.unchanged.is_empty() {
            lines.push(format!(
                "{} image{} already so: nothing is sent for {}",
                self.unchanged.len(),
                if self.unchanged.len() == 1 {
                    " is"
                } else {
                    "s are"
                },
                if self.unchanged.len() == 1 {
                    "it"
                } else {
                    "them"
                }
            ));
        }
        let n = self.calls();
        let time = match self.expected(rate) {
            Some(t) => format!(
                "at least {} at {} calls/s",
                words_for(t),
                rate.unwrap_or_default()
            ),
            None => "no rate limit set".to_string(),
        };
        lines.push(format!(
            "{n} call{} (ModifyImageAttribute, then one re-read each), {concurrency} at a time; {time}",
            if n == 1 { "" } else { "s" }
        ));
        lines
    }
}

/// The plan of `edit` on `targets` (in order; `{n}` counts them from 1). `region` holds
/// every image of the region as read, for the duplicate-name check; `usage` what is known
/// of each image's usage by ID.
pub fn plan_edit<'a>(
    edit: &BulkEdit,
    targets: &[Image],
    region: &[Image],
    usage: &HashMap<String, Usage>,
    facts: impl Fn(&str) -> Facts<'a>,
) -> BulkPlan {
    let mut pairs = Vec::with_capacity(targets.len());
    for (i, image) in targets.iter().enumerate() {
        match edit.changes_for(image, i + 1) {
            Ok(changes) => pairs.push((image.clone(), Operation::Modify(changes))),
            Err(e) => {
                let none: Vec<(Image, Operation)> = Vec::new();
                let mut plan = plan_pairs(edit.label(), none, region, usage, facts);
                plan.pattern_error = Some(e);
                return plan;
            }
        }
    }
    plan_pairs(edit.label(), pairs, region, usage, facts)
}

/// The plan of one operation per image (undo, retry and retention build these); each image
/// is shared by its plan item, not copied.
pub fn plan_pairs<'a, I: Into<Arc<Image>>>(
    label: String,
    pairs: Vec<(I, Operation)>,
    region: &[Image],
    usage: &HashMap<String, Usage>,
    facts: impl Fn(&str) -> Facts<'a>,
) -> BulkPlan {
    let mut items = Vec::with_capacity(pairs.len());
    let mut unchanged = Vec::new();
    for (image, operation) in pairs {
        let image = image.into();
        let operation = operation.for_image(&image);
        if operation.is_empty() {
            unchanged.push(image);
            continue;
        }
        let usage = usage
            .get(&image.image_id)
            .cloned()
            .unwrap_or(Usage::NotChecked);
        items.push(plan_item(image, operation, usage, &facts));
    }
    duplicates(&mut items, region);
    let operation = items
        .first()
        .map(|i| i.operation.clone())
        .unwrap_or_else(|| Operation::Modify(ImageChanges::default()));
    let plan = Plan {
        operation,
        items,
        batch: None,
    };
    BulkPlan {
        label,
        families: families(&plan.items, &facts),
        usage: UsageSum::of(&plan.items),
        plan,
        unchanged,
        pattern_error: None,
    }
}

/// Marks every new name another image of the batch also gets, or another image of the
/// region holds today: ECS answers `InvalidImageName.Duplicated` to the second.
fn duplicates(items: &mut [super::plan::PlanItem], region: &[Image]) {
    let new_name =
        |item: &super::plan::PlanItem| item.operation.changes().and_then(|c| c.image_name.clone());
    let mut by_name: HashMap<String, Vec<String>> = HashMap::new();
    for item in items.iter() {
        if let Some(name) = new_name(item) {
            by_name
                .entry(name)
                .or_default()
                .push(item.before.image_id.clone());
        }
    }
    for item in items.iter_mut() {
        let Some(name) = new_name(item) else { continue };
        let id = item.before.image_id.clone();
        let twins: Vec<&String> = by_name[&name].iter().filter(|o| **o != id).collect();
        let message = if let Some(other) = twins.first() {
            format!(
                "{name} is also the new name of {other} in this batch: add {{n}} or {{date}} to the pattern"
            )
        } else if let Some(holder) = region.iter().find(|i| {
            // Names are unique within a region: a list of every region holds the others.
            let same_region = i.region_id.is_empty()
                || item.before.region_id.is_empty()
                || i.region_id == item.before.region_id;
            same_region && i.image_id != id && i.image_name == name
        }) {
            format!(
                "{name} is the name of {} in this region today",
                holder.image_id
            )
        } else {
            continue;
        };
        item.problems.push(Problem {
            field: Field::ImageName,
            code: "InvalidImageName.Duplicated",
            message,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn img(id: &str, name: &str) -> Image {
        Image {
            image_id: id.into(),
            image_name: name.into(),
            creation_time: "2024-06-01T00:00:00Z".into(),
            ..Image::default()
        }
    }

    fn no_usage() -> HashMap<String, Usage> {
        HashMap::new()
    }

    #[test]
    fn a_rename_giving_two_images_one_name_is_refused_before_sending() {
        let targets = [img("m-1", "web-a"), img("m-2", "web-b")];
        let edit = BulkEdit::Rename("web-{date}".into());
        let p = plan_edit(&edit, &targets, &targets, &no_usage(), |_| Facts::Checking);
        let problems = p.problems();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert_eq!(problems[0].1.code, "InvalidImageName.Duplicated");
        assert!(problems[0].1.message.contains("new name of m-2"));
        assert!(p.blocked().unwrap().contains("2 problems"));
        let numbered = BulkEdit::Rename("web-{date}-{n}".into());
        let p = plan_edit(&numbered, &targets, &targets, &no_usage(), |_| {
            Facts::Checking
        });
        assert!(p.blocked().is_none(), "{:?}", p.blocked());
        let names: Vec<String> = p
            .plan
            .items
            .iter()
            .map(|i| i.after().image_name.clone())
            .collect();
        assert_eq!(names, ["web-2024-06-01-1", "web-2024-06-01-2"]);
    }

    #[test]
    fn a_name_another_image_holds_today_is_refused_and_bad_names_are_named() {
        let targets = [img("m-1", "web-a")];
        let region = [img("m-1", "web-a"), img("m-9", "taken")];
        let p = plan_edit(
            &BulkEdit::Rename("taken".into()),
            &targets,
            &region,
            &no_usage(),
            |_| Facts::Checking,
        );
        assert!(p.problems()[0].1.message.contains("name of m-9"));
        let p = plan_edit(
            &BulkEdit::Rename("1{name}".into()),
            &targets,
            &region,
            &no_usage(),
            |_| Facts::Checking,
        );
        assert_eq!(p.problems()[0].1.code, "InvalidImageName.Malformed");
        let p = plan_edit(
            &BulkEdit::Rename("{nam}".into()),
            &targets,
            &region,
            &no_usage(),
            |_| Facts::Checking,
        );
        assert!(p.blocked().unwrap().contains("{nam} is not a placeholder"));
    }

    #[test]
    fn a_name_held_in_another_region_is_no_duplicate() {
        let of = |id: &str, name: &str, region: &str| Image {
            region_id: region.into(),
            ..img(id, name)
        };
        let targets = [of("m-1", "web-a", "cn-hangzhou")];
        let listed = [
            of("m-1", "web-a", "cn-hangzhou"),
            of("m-9", "taken", "cn-shanghai"),
        ];
        let rename = BulkEdit::Rename("taken".into());
        let p = plan_edit(&rename, &targets, &listed, &no_usage(), |_| Facts::Checking);
        assert!(p.problems().is_empty(), "{:?}", p.problems());
        let listed = [listed[0].clone(), of("m-8", "taken", "cn-hangzhou")];
        let p = plan_edit(&rename, &targets, &listed, &no_usage(), |_| Facts::Checking);
        assert!(p.problems()[0].1.message.contains("name of m-8"));
    }

    #[test]
    fn images_that_already_hold_the_value_are_not_sent_and_calls_count_the_rest() {
        let mut done = img("m-1", "a1");
        done.description = "weekly".into();
        let targets = [done, img("m-2", "a2")];
        let p = plan_edit(
            &BulkEdit::Description("weekly".into()),
            &targets,
            &targets,
            &no_usage(),
            |_| Facts::Checking,
        );
        assert_eq!(p.calls(), 1);
        assert_eq!(p.unchanged.len(), 1);
        assert_eq!(p.expected(Some(10.0)), Some(Duration::from_millis(100)));
        let lines = p.summary_lines(Some(10.0), 4);
        assert!(
            lines.iter().any(|l| l.contains("1 image is already so")),
            "{lines:?}"
        );
        assert!(lines
            .last()
            .unwrap()
            .starts_with("1 call (ModifyImageAttribute"));
    }
}

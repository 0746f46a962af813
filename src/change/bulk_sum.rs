//! What a change to many images does, summed: per family, what it resolves to before and
//! after the whole batch (one image at a time would miss that deprecating three of four
//! empties nothing, and four of four does); and the usage of the images the batch
//! deprecates — which are in use and by which rule, which sources could not be read, which
//! images are shared — with what could not be checked said as unchecked, never as nothing.

use std::collections::{BTreeMap, BTreeSet};

use crate::ecs::model::{Image, ImageStatus};

use super::plan::{Facts, PlanItem};
use super::usage::{InUse, Source, Usage};

/// What the batch does to one family.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FamilyFate {
    /// Its facts are being fetched.
    Checking,
    /// Its facts could not be fetched: why.
    Unknown(String),
    /// It keeps resolving to the same image (or to nothing, as today).
    Keeps(Option<Image>),
    /// It will resolve to an older image than today.
    RollsBack { from: Image, to: Image },
    /// It will resolve to a newer image than today (or to one, where it had none).
    MovesForward { from: Option<Image>, to: Image },
    /// It will resolve to nothing: launches from the family fail.
    Empties { from: Image },
}

/// One family the batch touches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FamilySum {
    pub family: String,
    /// Images of the batch that leave its Available set (deprecated or moved out).
    pub leaving: usize,
    /// Images of the batch that join it (restored or moved in).
    pub joining: usize,
    pub fate: FamilyFate,
}

impl FamilySum {
    /// One line for the plan: "family web: 3 leave; rolls back to web-5 (m-5, created …)".
    pub fn line(&self) -> String {
        let named = |i: &Image| {
            format!(
                "{} ({}, created {})",
                i.image_name,
                i.image_id,
                i.created_date()
            )
        };
        let fate = match &self.fate {
            FamilyFate::Checking => "checking…".to_string(),
            FamilyFate::Unknown(e) => {
                format!("could not be checked ({e}): it may resolve to nothing")
            }
            FamilyFate::Keeps(Some(i)) => format!("keeps resolving to {}", named(i)),
            FamilyFate::Keeps(None) => "resolves to nothing, as today".to_string(),
            FamilyFate::RollsBack { from, to } => {
                format!("rolls back from {} to {}", from.image_id, named(to))
            }
            FamilyFate::MovesForward { from, to } => match from {
                Some(f) => format!("moves from {} to {}", f.image_id, named(to)),
                None => format!("will resolve to {}", named(to)),
            },
            FamilyFate::Empties { from } => format!(
                "RESOLVES TO NOTHING (today {}): instances created from the family will fail",
                from.image_id
            ),
        };
        let mut moves = Vec::new();
        if self.leaving > 0 {
            moves.push(format!(
                "{} leave{}",
                self.leaving,
                if self.leaving == 1 { "s" } else { "" }
            ));
        }
        if self.joining > 0 {
            moves.push(format!(
                "{} join{}",
                self.joining,
                if self.joining == 1 { "s" } else { "" }
            ));
        }
        format!("family {}: {}; {fate}", self.family, moves.join(", "))
    }
}

/// Every family the items touch, by name, with its fate after the whole batch.
pub fn families<'a>(items: &[PlanItem], facts: &impl Fn(&str) -> Facts<'a>) -> Vec<FamilySum> {
    let mut touched: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for item in items.iter().filter(|i| i.operation.family_move().is_some()) {
        let was = available_in(&item.before);
        let after = item.after();
        let will = available_in(&after);
        if let Some(f) = was.filter(|f| will != Some(*f)) {
            touched.entry(f.to_string()).or_default().0 += 1;
        }
        if let Some(f) = will.filter(|f| was != Some(*f)) {
            touched.entry(f.to_string()).or_default().1 += 1;
        }
    }
    touched
        .into_iter()
        .map(|(family, (leaving, joining))| {
            let fate = match facts(&family) {
                Facts::Checking => FamilyFate::Checking,
                Facts::Failed(e) => FamilyFate::Unknown(e),
                Facts::Known(known) => {
                    let before = known
                        .resolves_to
                        .clone()
                        .or_else(|| newest(known.members.iter()));
                    let after_of = |id: &str| items.iter().find(|i| i.before.image_id == id);
                    let mut members: Vec<Image> = known
                        .members
                        .iter()
                        .map(|m| after_of(&m.image_id).map_or_else(|| m.clone(), |i| i.after()))
                        .collect();
                    members.extend(
                        items
                            .iter()
                            .filter(|i| {
                                !known
                                    .members
                                    .iter()
                                    .any(|m| m.image_id == i.before.image_id)
                            })
                            .map(|i| i.after()),
                    );
                    members.retain(|m| m.image_family == family);
                    fate(before, newest(members.iter()))
                }
            };
            FamilySum {
                family,
                leaving,
                joining,
                fate,
            }
        })
        .collect()
}

/// The family an image counts in when launched from: Available images only.
fn available_in(image: &Image) -> Option<&str> {
    (image.status == ImageStatus::Available)
        .then(|| image.family())
        .flatten()
}

fn newest<'a>(members: impl Iterator<Item = &'a Image>) -> Option<Image> {
    members
        .filter(|m| m.status == ImageStatus::Available)
        .max_by(|a, b| a.creation_time.cmp(&b.creation_time))
        .cloned()
}

fn fate(before: Option<Image>, after: Option<Image>) -> FamilyFate {
    match (before, after) {
        (Some(b), Some(a)) if a.image_id == b.image_id => FamilyFate::Keeps(Some(b)),
        (Some(b), Some(a)) if a.creation_time < b.creation_time => {
            FamilyFate::RollsBack { from: b, to: a }
        }
        (b, Some(a)) => FamilyFate::MovesForward { from: b, to: a },
        (Some(b), None) => FamilyFate::Empties { from: b },
        (None, None) => FamilyFate::Keeps(None),
    }
}

/// The usage of the images a batch deprecates, summed — the one in-use rule applied to
/// each, as for one image.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UsageSum {
    /// Images deprecated whose usage nobody read (they might be in use).
    pub unchecked: usize,
    /// Images whose usage is being read now.
    pub checking: usize,
    /// How many were read.
    pub checked: usize,
    pub instances: u64,
    pub scaling_groups: BTreeSet<String>,
    pub templates: BTreeSet<String>,
    /// The images in use by the one rule, with why.
    pub in_use: Vec<(String, Vec<InUse>)>,
    /// Each source that could not be read: for how many images, and the first code.
    pub sources_unchecked: BTreeMap<Source, (usize, String)>,
    /// Why ECS would refuse each shared image, naming its accounts.
    pub shared: Vec<String>,
}

impl UsageSum {
    /// Over the items that deprecate an image (the only change usage matters to).
    pub fn of(items: &[PlanItem]) -> UsageSum {
        let mut sum = UsageSum::default();
        for item in items.iter().filter(|i| i.needs_usage()) {
            sum.shared.extend(item.shared_refusal());
            let u = match &item.usage {
                Usage::Known(u) => u,
                Usage::Checking => {
                    sum.checking += 1;
                    continue;
                }
                Usage::NotChecked => {
                    sum.unchecked += 1;
                    continue;
                }
            };
            sum.checked += 1;
            sum.instances += u.instances.total;
            sum.scaling_groups
                .extend(u.scaling.iter().map(|s| s.group_name.clone()));
            sum.templates.extend(
                u.launch_templates
                    .iter()
                    .map(|t| format!("{} v{}", t.name, t.version)),
            );
            for c in &u.unchecked {
                let entry = sum
                    .sources_unchecked
                    .entry(c.source)
                    .or_insert_with(|| (0, c.code.clone()));
                entry.0 += 1;
            }
            let why = item.in_use();
            if !why.is_empty() {
                sum.in_use.push((item.before.image_id.clone(), why));
            }
        }
        sum
    }

    /// Images that might be in use, as the rule counts them: in use, or never read.
    pub fn asks(&self) -> usize {
        self.in_use.len() + self.unchecked
    }

    /// The plan's usage lines; none when the batch deprecates nothing.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        if self.checking > 0 {
            lines.push(format!(
                "checking who uses {} image{}…",
                self.checking,
                plural(self.checking as u64)
            ));
        }
        if self.checked > 0 {
            lines.push(format!(
                "usage of {} image{}: {} instance{}, {} scaling group{}, {} launch template version{}",
                self.checked,
                plural(self.checked as u64),
                self.instances,
                plural(self.instances),
                self.scaling_groups.len(),
                plural(self.scaling_groups.len() as u64),
                self.templates.len(),
                plural(self.templates.len() as u64),
            ));
        }
        let mut only_unread = 0;
        for (id, why) in &self.in_use {
            let known: Vec<String> = why
                .iter()
                .filter(|w| !matches!(w, InUse::Unchecked { .. }))
                .map(InUse::reason)
                .collect();
            if known.is_empty() {
                only_unread += 1;
            } else {
                lines.push(format!("IN USE {id}: {}", known.join("; ")));
            }
        }
        if !self.sources_unchecked.is_empty() {
            let sources: Vec<String> = self
                .sources_unchecked
                .iter()
                .map(|(source, (n, code))| {
                    format!(
                        "{} for {n} image{} ({code})",
                        source.label(),
                        plural(*n as u64)
                    )
                })
                .collect();
            let more = if only_unread < self.in_use.len() {
                " more"
            } else {
                ""
            };
            let might = if only_unread > 0 {
                format!(
                    ": {only_unread}{more} image{} might be in use",
                    plural(only_unread as u64)
                )
            } else {
                String::new()
            };
            lines.push(format!("not checked: {}{might}", sources.join("; ")));
        }
        if self.unchecked > 0 {
            lines.push(format!(
                "usage unchecked for {} image{}: instances, scaling groups and launch templates were not read, so {} might be in use",
                self.unchecked,
                plural(self.unchecked as u64),
                if self.unchecked == 1 { "it" } else { "they" }
            ));
        }
        lines
    }
}

/// "1 image", "3 images": how every screen and the CLI count images.
pub fn images(n: usize) -> String {
    format!("{n} image{}", plural(n as u64))
}

fn plural(n: u64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

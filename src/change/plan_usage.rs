//! What a plan knows of who uses each image, and what that asks of the person.
//!
//! Only a Deprecate takes an image out of what launches, so only then does usage matter:
//! while it is being read, Apply waits; once read, an image *in use* (the one rule,
//! [`ImageUsage::in_use`]) needs its ID typed, and so does one whose usage nobody read —
//! it might be in use. A shared image is refused before anything is sent, naming the
//! accounts it is shared with.

use crate::ecs::model::{Image, ImageStatus};
use crate::rules::Severity;

use super::operation::Operation;
use super::plan::{plan_items, Facts, Plan, PlanItem};
use super::usage::{InUse, Usage};
use super::Change;

/// Whether `operation` deprecates `before` (so who uses it matters).
pub fn deprecates(before: &Image, operation: &Operation) -> bool {
    matches!(
        operation.family_move(),
        Some((Some(ImageStatus::Deprecated), _))
    ) && before.status != ImageStatus::Deprecated
}

/// The plan of `change` with the family facts and the usage (by image) known so far.
pub fn plan_with_usage<'a>(
    change: &Change,
    facts: impl Fn(&str) -> Facts<'a>,
    usage: impl Fn(&Image) -> Usage,
) -> Plan {
    Plan {
        operation: change.operation.clone(),
        items: plan_items(change, facts, usage),
        batch: None,
    }
}

impl PlanItem {
    /// Who uses the image matters for this change: it deprecates the image.
    pub fn needs_usage(&self) -> bool {
        deprecates(&self.before, &self.operation)
    }

    /// Apply waits: who uses the image is still being read.
    pub fn usage_checking(&self) -> bool {
        self.needs_usage() && self.usage == Usage::Checking
    }

    /// Every rule that makes the image in use, for a change that needs usage; empty when
    /// none applies, when the change does not need usage, or while it is being read.
    pub fn in_use(&self) -> Vec<InUse> {
        match (&self.usage, self.needs_usage()) {
            (Usage::Known(u), true) => u.in_use(),
            _ => Vec::new(),
        }
    }

    /// The image ID must be typed: the change empties the family, the image is in use, or
    /// nobody read who uses it.
    pub fn needs_typed_confirmation(&self) -> bool {
        self.family.needs_typed_confirmation()
            || !self.in_use().is_empty()
            || self.needs_usage() && self.usage == Usage::NotChecked
    }

    /// Who uses the image, as every screen and the CLI say it next to the family's fate:
    /// the summary, then the rule that makes it in use and what could not be checked.
    pub fn usage_lines(&self) -> Vec<String> {
        if !self.needs_usage() {
            return Vec::new();
        }
        let usage = match &self.usage {
            Usage::NotChecked => {
                return vec![
                    "Who uses it was not checked: it might be in use, so confirming asks for \
                     the image ID."
                        .into(),
                ]
            }
            Usage::Checking => {
                return vec![
                    "Checking who uses it (instances, launch templates, scaling groups, \
                     shares)…"
                        .into(),
                ]
            }
            Usage::Known(u) => u,
        };
        let mut lines = vec![format!("Used by: {}", usage.summary())];
        for u in &usage.unchecked {
            lines.push(format!("Not checked: {} — {}", u.source.label(), u.reason));
        }
        let rules = self.in_use();
        if !rules.is_empty() {
            let reasons: Vec<String> = rules.iter().map(InUse::reason).collect();
            lines.push(format!(
                "In use: {} — confirming asks for the image ID.",
                reasons.join("; ")
            ));
        } else if usage.instances.total > 0 {
            lines.push("Its instances keep running after a Deprecate.".into());
        }
        lines
    }

    /// Who uses the image in one line, for a plan of many images: `None` when the change
    /// does not need usage, or it was read and nothing uses it.
    pub fn usage_line(&self) -> Option<String> {
        if !self.needs_usage() {
            return None;
        }
        match &self.usage {
            Usage::Known(u) if u.is_unused() => None,
            Usage::Known(u) => Some(format!("used by: {}", u.summary())),
            Usage::Checking => Some("checking who uses it…".into()),
            Usage::NotChecked => Some("who uses it was not checked".into()),
        }
    }

    /// How serious the usage is, for the colour of its lines: in use is a danger, a source
    /// that could not be read a warning.
    pub fn usage_severity(&self) -> Severity {
        match &self.usage {
            _ if !self.in_use().is_empty() => Severity::Danger,
            Usage::NotChecked => Severity::Warning,
            Usage::Known(u) if !u.unchecked.is_empty() => Severity::Warning,
            _ => Severity::Info,
        }
    }

    /// Why ECS will refuse this Deprecate, naming the accounts; `None` when the image is
    /// not shared (as far as is known).
    pub fn shared_refusal(&self) -> Option<String> {
        if !self.needs_usage() {
            return None;
        }
        shared_refusal(&self.before, &self.usage)
    }
}

/// "Not sent: m-… is shared with 1357…, 2468…: ECS refuses to deprecate a shared image
/// (ImageUseShared) — unshare it first." `None` when neither the image nor its usage says
/// it is shared.
pub fn shared_refusal(image: &Image, usage: &Usage) -> Option<String> {
    let known = usage.known();
    let accounts = known.map(|u| u.shared_with.as_slice()).unwrap_or(&[]);
    if !image.is_shared() && accounts.is_empty() {
        return None;
    }
    let with = if !accounts.is_empty() {
        let noun = if accounts.len() == 1 {
            "account"
        } else {
            "accounts"
        };
        format!("{noun} {}", accounts.join(", "))
    } else {
        match known.and_then(|u| {
            u.unchecked
                .iter()
                .find(|c| c.source == super::usage::Source::Shares)
        }) {
            Some(u) => format!("other accounts (which ones could not be read: {})", u.code),
            None if *usage == Usage::Checking => "other accounts (reading which…)".into(),
            None => "other accounts".into(),
        }
    };
    Some(format!(
        "{} is shared with {with}: ECS refuses to deprecate a shared image (ImageUseShared) \
         — unshare it first (ModifyImageSharePermission RemoveAccount), then deprecate it.",
        image.image_id
    ))
}

impl Plan {
    /// Some image's family facts or usage are still being read.
    pub fn checking(&self) -> bool {
        self.items
            .iter()
            .any(|i| matches!(i.family, super::ImpactView::Checking(_)) || i.usage_checking())
    }

    /// What Apply waits for, said for a person: "the family check", "the usage check".
    pub fn waiting_for(&self) -> Option<&'static str> {
        let family = self
            .items
            .iter()
            .any(|i| matches!(i.family, super::ImpactView::Checking(_)));
        let usage = self.items.iter().any(PlanItem::usage_checking);
        match (family, usage) {
            (true, true) => Some("the family and usage checks"),
            (true, false) => Some("the family check"),
            (false, true) => Some("the usage check"),
            (false, false) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::change::{ImageChanges, ImageUsage, ScalingUse, Source, Unchecked, Via};
    use crate::rules::FamilyFacts;

    fn image(id: &str, created: &str) -> Image {
        Image {
            image_id: id.into(),
            image_name: format!("web-{id}"),
            image_family: "web".into(),
            status: ImageStatus::Available,
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

    fn facts(members: &[Image]) -> FamilyFacts {
        FamilyFacts {
            family: "web".into(),
            members: members.to_vec(),
            resolves_to: members.last().cloned(),
        }
    }

    #[test]
    fn apply_waits_for_the_usage_then_asks_for_the_id_when_a_group_launches_it() {
        let old = image("m-1", "2024-01-01T00:00:00Z");
        let new = image("m-2", "2024-02-01T00:00:00Z");
        let f = facts(&[old, new.clone()]);
        let change = deprecate(&new);
        let checking = plan_with_usage(&change, |_| Facts::Known(&f), |_| Usage::Checking);
        assert!(checking.checking() && !checking.settled());
        assert_eq!(checking.waiting_for(), Some("the usage check"));
        let in_use = ImageUsage {
            scaling: vec![ScalingUse {
                group_id: "asg-1".into(),
                group_name: "web-asg".into(),
                configuration_id: "asc-1".into(),
                active: true,
                via: Via::Image,
                through: String::new(),
            }],
            ..ImageUsage::default()
        };
        let known = plan_with_usage(
            &change,
            |_| Facts::Known(&f),
            |_| Usage::Known(in_use.clone()),
        );
        assert!(known.settled() && !known.checking());
        assert!(
            known.needs_typed_confirmation(),
            "a rollback alone would not ask"
        );
        let lines = known.items[0].usage_lines();
        assert!(
            lines[0].starts_with("Used by: 1 scaling group launches it"),
            "{lines:?}"
        );
        assert!(lines
            .last()
            .unwrap()
            .contains("scaling group web-asg launches it on its next scale-out"));
        let unused = plan_with_usage(
            &change,
            |_| Facts::Known(&f),
            |_| Usage::Known(ImageUsage::default()),
        );
        assert!(!unused.needs_typed_confirmation());
        let unread = plan_with_usage(&change, |_| Facts::Known(&f), |_| Usage::NotChecked);
        assert!(
            unread.needs_typed_confirmation(),
            "nobody looked: it might be in use"
        );
    }

    #[test]
    fn usage_does_not_matter_to_a_rename_or_a_restore() {
        let img = image("m-1", "2024-01-01T00:00:00Z");
        let rename = Change::modify(
            img.clone(),
            ImageChanges {
                image_name: Some("web-renamed".into()),
                ..ImageChanges::default()
            },
        );
        let p = plan_with_usage(&rename, |_| Facts::Checking, |_| Usage::Checking);
        assert!(!p.items[0].needs_usage() && !p.checking());
        assert!(p.items[0].usage_lines().is_empty());
    }

    #[test]
    fn a_shared_image_is_refused_naming_its_accounts() {
        let mut shared = image("m-9", "2024-01-01T00:00:00Z");
        shared.is_self_shared = "true".into();
        let usage = Usage::Known(ImageUsage {
            shared_with: vec!["1357924680135792".into(), "2468013579246801".into()],
            ..ImageUsage::default()
        });
        let text = shared_refusal(&shared, &usage).unwrap();
        assert!(text.contains("shared with accounts 1357924680135792, 2468013579246801"));
        assert!(text.contains("ImageUseShared") && text.contains("unshare it first"));
        let unread = Usage::Known(ImageUsage {
            unchecked: vec![Unchecked {
                source: Source::Shares,
                code: "Forbidden.RAM".into(),
                reason: String::new(),
            }],
            ..ImageUsage::default()
        });
        assert!(shared_refusal(&shared, &unread)
            .unwrap()
            .contains("could not be read: Forbidden.RAM"));
        let plain = image("m-1", "2024-01-01T00:00:00Z");
        assert_eq!(
            shared_refusal(&plain, &Usage::Known(ImageUsage::default())),
            None
        );
    }
}

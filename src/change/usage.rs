//! Who launches from an image, as data, and the one rule that decides whether it is *in
//! use* — shared by the TUI, the CLI and bulk plans, so all three refuse and ask alike.
//!
//! The `usage` module gathers an [`ImageUsage`] (instances, launch template versions,
//! scaling groups, shares); this file only judges it and words it. A source that could not
//! be checked is an [`Unchecked`] entry, never an empty list: "nothing uses this" is said
//! only when every source was looked at. The serde names are the CLI's JSON (`images show
//! --output json`'s `usage`): keys may be added, never removed.

use std::collections::BTreeMap;

use serde::Serialize;

/// What is known of an image's usage right now.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Usage {
    /// Not asked for (the operation does not need it, or nothing has asked yet).
    #[default]
    NotChecked,
    /// Being read.
    Checking,
    /// Read; some sources may still be in `unchecked`.
    Known(ImageUsage),
}

impl Usage {
    /// The usage, once read.
    pub fn known(&self) -> Option<&ImageUsage> {
        match self {
            Usage::Known(u) => Some(u),
            _ => None,
        }
    }
}

/// Everything that launches from (or holds on to) one image, in one region.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImageUsage {
    pub instances: Instances,
    /// Launch template versions whose `ImageId` is this image.
    pub launch_templates: Vec<TemplateUse>,
    /// Scaling configurations and groups that launch it.
    pub scaling: Vec<ScalingUse>,
    /// The accounts it is shared with (`AliyunId`s, as strings).
    pub shared_with: Vec<String>,
    /// The sources that could not be checked, and why.
    pub unchecked: Vec<Unchecked>,
}

/// The instances running (or stopped on) this image.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Instances {
    pub total: u64,
    /// Count by `Status` (`Running`, `Stopped`, …).
    pub by_status: BTreeMap<String, u64>,
    /// Up to ten of them, to name.
    pub sample: Vec<InstanceRef>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InstanceRef {
    pub id: String,
    pub name: String,
    pub status: String,
    pub zone: String,
}

/// One launch template version that pins the image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TemplateUse {
    pub id: String,
    pub name: String,
    pub version: u64,
    /// It is the template's default version: launches that name no version use it.
    pub default: bool,
}

/// How a scaling configuration or group comes to launch the image.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Via {
    /// The configuration names the image.
    Image,
    /// The configuration names the image's family, and the family resolves to this image.
    Family,
    /// The group launches from a launch template version that pins the image.
    LaunchTemplate,
}

/// One scaling group that launches the image, through one configuration or template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScalingUse {
    pub group_id: String,
    pub group_name: String,
    /// The scaling configuration (`asc-…`), or empty for a launch-template group.
    pub configuration_id: String,
    /// The group is Active and this is what it launches now (its active configuration, or
    /// the template version it resolves to): its next scale-out launches this image.
    pub active: bool,
    pub via: Via,
    /// For `Via::Family`: the family named; for `Via::LaunchTemplate`: the template name
    /// and version, as a person reads them. Empty for `Via::Image`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub through: String,
}

/// A usage source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Instances,
    LaunchTemplates,
    Scaling,
    Shares,
}

impl Source {
    /// As a person reads it.
    pub fn label(self) -> &'static str {
        match self {
            Source::Instances => "instances",
            Source::LaunchTemplates => "launch templates",
            Source::Scaling => "scaling groups",
            Source::Shares => "shares",
        }
    }
}

/// A source that could not be checked: its API code (`Forbidden.RAM`, `Throttling`, …) and
/// why, as a person reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unchecked {
    pub source: Source,
    pub code: String,
    pub reason: String,
}

/// Why an image counts as in use: the rule that applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InUse {
    /// An Active scaling group launches it on its next scale-out.
    ScalingGroup { group_name: String, via: Via },
    /// A launch template's default version pins it.
    DefaultTemplate { name: String, version: u64 },
    /// A source could not be checked: it might be.
    Unchecked { source: Source, code: String },
}

impl InUse {
    /// The rule, said for a person.
    pub fn reason(&self) -> String {
        match self {
            InUse::ScalingGroup { group_name, via } => {
                let how = match via {
                    Via::Image => "",
                    Via::Family => " through its family",
                    Via::LaunchTemplate => " through its launch template",
                };
                format!("scaling group {group_name} launches it{how} on its next scale-out")
            }
            InUse::DefaultTemplate { name, version } => {
                format!("launch template {name} v{version} is the default version and pins it")
            }
            InUse::Unchecked { source, code } => {
                format!(
                    "{} could not be checked ({code}): it might be",
                    source.label()
                )
            }
        }
    }
}

impl ImageUsage {
    /// Every rule that makes the image *in use*, empty when none does. Running instances
    /// alone never do: they keep running after a Deprecate.
    pub fn in_use(&self) -> Vec<InUse> {
        let scaling = self
            .scaling
            .iter()
            .filter(|s| s.active)
            .map(|s| InUse::ScalingGroup {
                group_name: s.group_name.clone(),
                via: s.via,
            });
        let templates =
            self.launch_templates
                .iter()
                .filter(|t| t.default)
                .map(|t| InUse::DefaultTemplate {
                    name: t.name.clone(),
                    version: t.version,
                });
        let unchecked = self.unchecked.iter().map(|u| InUse::Unchecked {
            source: u.source,
            code: u.code.clone(),
        });
        scaling.chain(templates).chain(unchecked).collect()
    }

    /// Nothing launches from it and every source was looked at.
    pub fn is_unused(&self) -> bool {
        self.instances.total == 0
            && self.launch_templates.is_empty()
            && self.scaling.is_empty()
            && self.shared_with.is_empty()
            && self.unchecked.is_empty()
    }

    /// One line for the detail pane, the status picker and the confirm dialog, e.g.
    /// "130 instances run it (120 running) · 2 scaling groups launch it (G1 active; G2
    /// through family web) · launch template web-lt v3 (default)".
    pub fn summary(&self) -> String {
        let mut parts = Vec::new();
        let n = self.instances.total;
        if n > 0 {
            let running = self
                .instances
                .by_status
                .get("Running")
                .copied()
                .unwrap_or(0);
            let noun = if n == 1 {
                "instance runs"
            } else {
                "instances run"
            };
            parts.push(if running == n {
                format!("{n} {noun} it (all running)")
            } else {
                format!("{n} {noun} it ({running} running)")
            });
        }
        if !self.scaling.is_empty() {
            let groups: Vec<String> = self.scaling.iter().map(scaling_words).collect();
            let n = self.scaling.len();
            let noun = if n == 1 {
                "scaling group launches"
            } else {
                "scaling groups launch"
            };
            parts.push(format!("{n} {noun} it ({})", groups.join("; ")));
        }
        for t in &self.launch_templates {
            let default = if t.default { " (default)" } else { "" };
            parts.push(format!(
                "launch template {} v{}{default}",
                t.name, t.version
            ));
        }
        if !self.shared_with.is_empty() {
            let n = self.shared_with.len();
            let noun = if n == 1 { "account" } else { "accounts" };
            parts.push(format!("shared with {n} {noun}"));
        }
        for u in &self.unchecked {
            parts.push(format!("{} unchecked ({})", u.source.label(), u.code));
        }
        if parts.is_empty() {
            "nothing uses it (instances, launch templates, scaling groups and shares checked)"
                .to_string()
        } else {
            parts.join(" · ")
        }
    }
}

fn scaling_words(s: &ScalingUse) -> String {
    let state = if s.active { " active" } else { "" };
    match s.via {
        Via::Image => format!("{}{state}", s.group_name),
        Via::Family => format!("{}{state} through family {}", s.group_name, s.through),
        Via::LaunchTemplate => {
            format!(
                "{}{state} through launch template {}",
                s.group_name, s.through
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(name: &str, active: bool, via: Via, through: &str) -> ScalingUse {
        ScalingUse {
            group_id: format!("asg-{name}"),
            group_name: name.into(),
            configuration_id: format!("asc-{name}"),
            active,
            via,
            through: through.into(),
        }
    }

    fn template(name: &str, version: u64, default: bool) -> TemplateUse {
        TemplateUse {
            id: format!("lt-{name}"),
            name: name.into(),
            version,
            default,
        }
    }

    fn running(n: u64, stopped: u64) -> Instances {
        Instances {
            total: n + stopped,
            by_status: [("Running".to_string(), n), ("Stopped".to_string(), stopped)]
                .into_iter()
                .filter(|(_, c)| *c > 0)
                .collect(),
            sample: Vec::new(),
        }
    }

    #[test]
    fn running_instances_alone_do_not_make_an_image_in_use() {
        let usage = ImageUsage {
            instances: running(120, 10),
            ..ImageUsage::default()
        };
        assert!(usage.in_use().is_empty());
        assert!(!usage.is_unused());
        assert_eq!(usage.summary(), "130 instances run it (120 running)");
    }

    #[test]
    fn an_active_group_a_default_template_and_an_unchecked_source_each_make_it_in_use() {
        let usage = ImageUsage {
            scaling: vec![
                group("G1", true, Via::Image, ""),
                group("G2", false, Via::Family, "web"),
            ],
            launch_templates: vec![template("web-lt", 3, true), template("old-lt", 1, false)],
            unchecked: vec![Unchecked {
                source: Source::Shares,
                code: "Forbidden.RAM".into(),
                reason: "no permission".into(),
            }],
            ..ImageUsage::default()
        };
        let rules = usage.in_use();
        assert_eq!(
            rules,
            vec![
                InUse::ScalingGroup {
                    group_name: "G1".into(),
                    via: Via::Image
                },
                InUse::DefaultTemplate {
                    name: "web-lt".into(),
                    version: 3
                },
                InUse::Unchecked {
                    source: Source::Shares,
                    code: "Forbidden.RAM".into()
                },
            ]
        );
        assert!(rules[2]
            .reason()
            .contains("could not be checked (Forbidden.RAM)"));
    }

    #[test]
    fn an_inactive_group_or_a_non_default_version_alone_does_not() {
        let usage = ImageUsage {
            scaling: vec![group("G2", false, Via::LaunchTemplate, "web-lt v2")],
            launch_templates: vec![template("web-lt", 2, false)],
            ..ImageUsage::default()
        };
        assert!(usage.in_use().is_empty());
    }

    #[test]
    fn the_summary_names_groups_templates_and_what_could_not_be_checked() {
        let usage = ImageUsage {
            instances: running(120, 10),
            scaling: vec![
                group("G1", true, Via::Image, ""),
                group("G2", false, Via::Family, "web-family"),
            ],
            launch_templates: vec![template("web-lt", 3, true)],
            unchecked: vec![Unchecked {
                source: Source::Scaling,
                code: "Throttling".into(),
                reason: "throttled after 3 retries".into(),
            }],
            ..ImageUsage::default()
        };
        assert_eq!(
            usage.summary(),
            "130 instances run it (120 running) · 2 scaling groups launch it (G1 active; \
             G2 through family web-family) · launch template web-lt v3 (default) · \
             scaling groups unchecked (Throttling)"
        );
    }

    #[test]
    fn nothing_is_said_to_use_it_only_when_every_source_was_checked() {
        assert!(ImageUsage::default().is_unused());
        assert!(ImageUsage::default()
            .summary()
            .starts_with("nothing uses it"));
        let unchecked = ImageUsage {
            unchecked: vec![Unchecked {
                source: Source::Instances,
                code: "Forbidden".into(),
                reason: "".into(),
            }],
            ..ImageUsage::default()
        };
        assert!(!unchecked.is_unused());
        assert!(!unchecked.summary().contains("nothing"));
    }

    #[test]
    fn the_json_has_the_documented_keys() {
        let usage = ImageUsage {
            instances: Instances {
                total: 1,
                by_status: [("Running".to_string(), 1)].into_iter().collect(),
                sample: vec![InstanceRef {
                    id: "i-1".into(),
                    name: "web-1".into(),
                    status: "Running".into(),
                    zone: "cn-hangzhou-h".into(),
                }],
            },
            launch_templates: vec![template("web-lt", 3, true)],
            scaling: vec![group("G1", true, Via::LaunchTemplate, "web-lt v3")],
            shared_with: vec!["1234567890123456".into()],
            unchecked: vec![Unchecked {
                source: Source::Scaling,
                code: "Forbidden.RAM".into(),
                reason: "no permission".into(),
            }],
        };
        let json = serde_json::to_value(&usage).unwrap();
        assert_eq!(json["instances"]["by_status"]["Running"], 1);
        assert_eq!(json["instances"]["sample"][0]["zone"], "cn-hangzhou-h");
        assert_eq!(json["launch_templates"][0]["default"], true);
        assert_eq!(json["scaling"][0]["via"], "launch_template");
        assert_eq!(json["scaling"][0]["configuration_id"], "asc-G1");
        assert_eq!(json["shared_with"][0], "1234567890123456");
        assert_eq!(json["unchecked"][0]["source"], "scaling");
    }
}

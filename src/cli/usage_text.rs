//! Who uses an image, as the CLI prints it: `images show`'s readable lines (every source,
//! what could not be checked, whether it is in use) and the lines `images modify` prints
//! before a Deprecate. Every value from a server is put on one line of its own.

use crate::change::{ImageUsage, Via};

use super::output::one_line;

/// `label  value` lines for `images show`, after the family.
pub fn lines(usage: &ImageUsage) -> String {
    let mut rows: Vec<(&str, String)> = vec![("Used by", one_line(&usage.summary()))];
    let i = &usage.instances;
    if i.total > 0 {
        let by: Vec<String> = i
            .by_status
            .iter()
            .map(|(s, n)| format!("{n} {s}"))
            .collect();
        rows.push((
            "Instances",
            format!("{} ({})", i.total, one_line(&by.join(", "))),
        ));
        for s in &i.sample {
            let line = format!("{} {} {} {}", s.id, s.name, s.status, s.zone);
            rows.push(("", one_line(&line)));
        }
        if i.total as usize > i.sample.len() {
            rows.push((
                "",
                format!("… and {} more", i.total as usize - i.sample.len()),
            ));
        }
    }
    for t in &usage.launch_templates {
        let default = if t.default {
            ", the default version"
        } else {
            ""
        };
        let line = format!("{} ({}) v{}{default}", t.name, t.id, t.version);
        rows.push(("Template", one_line(&line)));
    }
    for s in &usage.scaling {
        let how = match s.via {
            Via::Image => format!("by image, configuration {}", s.configuration_id),
            Via::Family => format!(
                "through family {}, configuration {}",
                s.through, s.configuration_id
            ),
            Via::LaunchTemplate => format!("through launch template {}", s.through),
        };
        let when = if s.active {
            "its next scale-out launches it"
        } else {
            "not on its next scale-out"
        };
        let line = format!("{} ({}): {how}; {when}", s.group_name, s.group_id);
        rows.push(("Scaling group", one_line(&line)));
    }
    if !usage.shared_with.is_empty() {
        rows.push(("Shared with", one_line(&usage.shared_with.join(", "))));
    }
    for u in &usage.unchecked {
        let line = format!("{} ({}): {}", u.source.label(), u.code, u.reason);
        rows.push(("Unchecked", one_line(&line)));
    }
    let rules = usage.in_use();
    rows.push((
        "In use",
        if rules.is_empty() {
            "no (running instances alone do not make it in use)".to_string()
        } else {
            let reasons: Vec<String> = rules.iter().map(|r| one_line(&r.reason())).collect();
            format!("yes: {}", reasons.join("; "))
        },
    ));
    let width = rows.iter().map(|(l, _)| l.len()).max().unwrap_or(0);
    rows.into_iter()
        .map(|(label, value)| format!("{label:<width$}  {value}\n"))
        .collect()
}

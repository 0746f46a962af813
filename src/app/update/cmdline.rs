//! The `:` command line: one table of commands that runs them, completes their arguments
//! on Tab, and is printed by the help overlay — so the help never names a command that
//! does not run. History is Up and Down; a refused command stays on the line, with why.

use crate::app::cmdline::{common_prefix, CommandLine, Note};
use crate::app::command::Command;
use crate::app::list::SortKey;
use crate::app::state::{App, Level, Loadable};
use crate::ecs::model::ImageStatus;
use crate::keys::Intent;

use super::{ask_quit, dialogs, flash, profile};

/// One command of the `:` line.
pub struct CommandSpec {
    pub name: &'static str,
    /// What it takes, as help prints it (`ID`, `[NAME]`).
    pub arg: &'static str,
    pub desc: &'static str,
    run: fn(&mut App, &str) -> Result<Vec<Command>, String>,
    /// The values its argument may take, as far as they are known now.
    values: fn(&App) -> Vec<String>,
}

impl std::fmt::Debug for CommandSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

/// Every command, in the order help lists them.
pub const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "region",
        arg: "ID",
        desc: "switch region",
        run: run_region,
        values: region_values,
    },
    CommandSpec {
        name: "profile",
        arg: "NAME",
        desc: "switch credential profile",
        run: run_profile,
        values: profile_values,
    },
    CommandSpec {
        name: "family",
        arg: "[NAME]",
        desc: "show only this family (none: all)",
        run: run_family,
        values: family_values,
    },
    CommandSpec {
        name: "status",
        arg: "[STATUS]",
        desc: "show only this status (none: all)",
        run: run_status,
        values: status_values,
    },
    CommandSpec {
        name: "sort",
        arg: "KEY",
        desc: "sort by name, created or family",
        run: run_sort,
        values: sort_values,
    },
    CommandSpec {
        name: "q",
        arg: "",
        desc: "quit",
        run: |app, _| Ok(ask_quit(app)),
        values: |_| Vec::new(),
    },
];

/// `:` on the list.
pub(super) fn open(app: &mut App) -> Vec<Command> {
    app.command_line = Some(CommandLine::default());
    Vec::new()
}

pub(super) fn on_key(app: &mut App, intent: Option<Intent>, typed: Option<char>) -> Vec<Command> {
    let Some(line) = app.command_line.as_mut() else {
        return Vec::new();
    };
    match (intent, typed) {
        (Some(Intent::Back), _) => app.command_line = None,
        (Some(Intent::Press), _) => return run(app),
        (Some(Intent::NextField), _) => return complete(app),
        (Some(Intent::Up), _) => recall(app, true),
        (Some(Intent::Down), _) => recall(app, false),
        (Some(other), _) => {
            if line.input.apply(other) {
                line.edited();
            }
        }
        (None, Some(c)) => {
            line.input.insert(c);
            line.edited();
        }
        (None, None) => {}
    }
    Vec::new()
}

pub(super) fn on_paste(app: &mut App, text: &str) {
    if let Some(line) = app.command_line.as_mut() {
        line.input.paste(text);
        line.edited();
    }
}

/// Up (`older`) or Down through the history; past the newest, the line empties.
fn recall(app: &mut App, older: bool) {
    let Some(line) = app.command_line.as_mut() else {
        return;
    };
    let next = match (line.recalled, older) {
        (None, true) => Some(0),
        (Some(n), true) => Some((n + 1).min(app.history.len().saturating_sub(1))),
        (Some(0) | None, false) => None,
        (Some(n), false) => Some(n - 1),
    };
    let text = next.and_then(|n| app.history.back(n)).unwrap_or("");
    if next.is_some() && app.history.is_empty() {
        line.note = Some(Note {
            text: "no earlier commands this session".to_string(),
            refused: false,
        });
        return;
    }
    line.input = crate::app::text::TextInput::new(text);
    line.candidates.clear();
    line.cycled = None;
    line.note = None;
    line.recalled = next;
}

/// The command `word` names: its full name, or the start of exactly one.
fn find(word: &str) -> Result<&'static CommandSpec, String> {
    if let Some(spec) = COMMANDS.iter().find(|c| c.name == word) {
        return Ok(spec);
    }
    let starts: Vec<&CommandSpec> = COMMANDS
        .iter()
        .filter(|c| c.name.starts_with(word))
        .collect();
    match starts[..] {
        [one] => Ok(one),
        [] => Err(format!("no command {word:?}: {}", names())),
        _ => Err(format!(
            "{word:?} could be {}",
            starts.iter().map(|c| c.name).collect::<Vec<_>>().join(", ")
        )),
    }
}

fn names() -> String {
    COMMANDS
        .iter()
        .map(|c| format!(":{}", c.name))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Enter: runs the line. A refused command keeps the line open as typed, with why.
fn run(app: &mut App) -> Vec<Command> {
    let Some(line) = app.command_line.as_ref() else {
        return Vec::new();
    };
    let text = line
        .input
        .value()
        .trim()
        .trim_start_matches(':')
        .to_string();
    if text.is_empty() {
        app.command_line = None;
        return Vec::new();
    }
    app.history.push(&text);
    let (word, arg) = text.split_once(' ').unwrap_or((&text, ""));
    let outcome = find(word).and_then(|spec| (spec.run)(app, arg.trim()));
    match outcome {
        Ok(commands) => {
            app.command_line = None;
            commands
        }
        Err(why) => {
            note(app, true, why);
            Vec::new()
        }
    }
}

/// Tab: completes the command name, then its argument. One candidate is filled in; many
/// fill in what they share and are listed, and Tab again steps through them.
fn complete(app: &mut App) -> Vec<Command> {
    let Some(line) = app.command_line.as_ref() else {
        return Vec::new();
    };
    let text = line.input.value().trim_start().to_string();
    let (head, word, candidates) = match text.split_once(' ') {
        None => (
            String::new(),
            text.clone(),
            COMMANDS.iter().map(|c| c.name.to_string()).collect(),
        ),
        Some((name, arg)) => match find(name) {
            Ok(spec) => {
                if let Some(commands) = want_values(app, spec) {
                    return commands;
                }
                (
                    format!("{} ", spec.name),
                    arg.trim().to_string(),
                    (spec.values)(app),
                )
            }
            Err(why) => {
                note(app, true, why);
                return Vec::new();
            }
        },
    };
    let Some(line) = app.command_line.as_mut() else {
        return Vec::new();
    };
    // Tab again steps through what the last Tab offered.
    if let Some(i) = line.cycled.filter(|_| !line.candidates.is_empty()) {
        let i = (i + 1) % line.candidates.len();
        let value = format!("{head}{}", line.candidates[i]);
        line.input = crate::app::text::TextInput::new(&value);
        line.cycled = Some(i);
        return Vec::new();
    }
    let lower = word.to_lowercase();
    let matching: Vec<String> = candidates
        .into_iter()
        .filter(|c: &String| c.to_lowercase().starts_with(&lower))
        .collect();
    match &matching[..] {
        [] => {
            let text = if word.is_empty() {
                "nothing to complete here".to_string()
            } else {
                format!("nothing starts with {word:?}")
            };
            line.note = Some(Note {
                text,
                refused: true,
            });
        }
        [one] => {
            // A command name is followed by its argument.
            let space =
                if head.is_empty() && COMMANDS.iter().any(|c| c.name == one && !c.arg.is_empty()) {
                    " "
                } else {
                    ""
                };
            line.input = crate::app::text::TextInput::new(&format!("{head}{one}{space}"));
            line.edited();
        }
        many => {
            let shared = common_prefix(many);
            // Already at what they share: this Tab starts stepping through them.
            let extends = shared.chars().count() > word.chars().count();
            let shown = if extends { &shared } else { &many[0] };
            line.input = crate::app::text::TextInput::new(&format!("{head}{shown}"));
            line.note = None;
            line.candidates = many.to_vec();
            line.cycled = (!extends).then_some(0);
        }
    }
    Vec::new()
}

/// The values of `spec`'s argument must be fetched first (the regions, the profiles):
/// asks for them and says so on the line. `None` when what is known can be offered.
fn want_values(app: &mut App, spec: &CommandSpec) -> Option<Vec<Command>> {
    /// Ready, being listed, or to be asked for.
    fn wanted<T, E>(state: &mut Option<Loadable<T, E>>) -> Option<bool> {
        match state {
            Some(Loadable::Ready(_)) => None,
            Some(Loadable::Loading) => Some(false),
            None | Some(Loadable::Failed(_)) => {
                *state = Some(Loadable::Loading);
                Some(true)
            }
        }
    }
    let (ask, command, what) = match spec.name {
        "region" => (wanted(&mut app.regions)?, Command::LoadRegions, "regions"),
        "profile" if !app.context.demo => (
            wanted(&mut app.profiles)?,
            Command::LoadProfiles,
            "profiles",
        ),
        _ => return None,
    };
    let commands = if ask { vec![command] } else { Vec::new() };
    note(
        app,
        false,
        format!("listing the {what}: Tab again in a moment"),
    );
    Some(commands)
}

fn note(app: &mut App, refused: bool, text: String) {
    if let Some(line) = app.command_line.as_mut() {
        line.note = Some(Note { text, refused });
    }
}

fn region_values(app: &App) -> Vec<String> {
    app.regions
        .as_ref()
        .and_then(Loadable::ready)
        .map(|r| r.iter().map(|r| r.region_id.clone()).collect())
        .unwrap_or_default()
}

fn profile_values(app: &App) -> Vec<String> {
    app.profile_choices()
}

fn family_values(app: &App) -> Vec<String> {
    let mut families: Vec<String> = app
        .list
        .all()
        .iter()
        .filter(|i| !i.image_family.is_empty())
        .map(|i| i.image_family.clone())
        .collect();
    families.sort();
    families.dedup();
    families
}

fn status_values(_: &App) -> Vec<String> {
    ImageStatus::BROWSE.iter().map(|s| s.to_string()).collect()
}

fn sort_keys() -> Vec<SortKey> {
    let mut keys = vec![SortKey::default()];
    loop {
        let next = keys[keys.len() - 1].next();
        if next == keys[0] {
            return keys;
        }
        keys.push(next);
    }
}

fn sort_values(_: &App) -> Vec<String> {
    sort_keys()
        .into_iter()
        .map(|k| k.label().to_string())
        .collect()
}

fn run_region(app: &mut App, arg: &str) -> Result<Vec<Command>, String> {
    if arg.is_empty() {
        return Err(format!(
            "which region? :region ID (now {})",
            app.context.region
        ));
    }
    let known = region_values(app);
    if !known.is_empty() && !known.iter().any(|r| r == arg) {
        return Err(format!("no region {arg:?} (Tab lists them)"));
    }
    crate::ecs::client::check_region(arg)?;
    if arg == app.context.region && !app.spans_regions() {
        flash(app, Level::Info, format!("already in {arg}"));
        return Ok(Vec::new());
    }
    Ok(dialogs::switch_region(app, arg.to_string()))
}

fn run_profile(app: &mut App, arg: &str) -> Result<Vec<Command>, String> {
    if arg.is_empty() {
        return Err(format!(
            "which profile? :profile NAME (now {})",
            app.context.profile
        ));
    }
    let known = app.profile_choices();
    let listed = app.profiles.as_ref().is_some_and(|p| p.ready().is_some());
    if listed && !known.iter().any(|p| p == arg) {
        return Err(format!("no profile {arg:?}: {}", known.join(", ")));
    }
    Ok(profile::switch_to(app, arg.to_string()))
}

fn run_family(app: &mut App, arg: &str) -> Result<Vec<Command>, String> {
    set_term(app, "family", arg);
    Ok(Vec::new())
}

fn run_status(app: &mut App, arg: &str) -> Result<Vec<Command>, String> {
    let status = if arg.is_empty() {
        String::new()
    } else {
        match ImageStatus::parse(arg) {
            ImageStatus::Other(bad) => {
                return Err(format!(
                    "no status {bad:?}: {}",
                    status_values(app).join(", ")
                ))
            }
            known => known.to_string(),
        }
    };
    set_term(app, "status", &status);
    Ok(Vec::new())
}

fn run_sort(app: &mut App, arg: &str) -> Result<Vec<Command>, String> {
    let key = sort_keys()
        .into_iter()
        .find(|k| k.label() == arg.to_lowercase())
        .ok_or_else(|| format!("sort by {}", sort_values(app).join(", ")))?;
    app.list.set_sort(key);
    flash(app, Level::Info, format!("sorted by {}", key.label()));
    Ok(Vec::new())
}

/// Puts `field:value` in the `/` filter in place of any `field:` term it has (an empty
/// value just removes it); the other terms stay.
fn set_term(app: &mut App, field: &str, value: &str) {
    let prefix = format!("{field}:");
    let mut terms: Vec<String> = app
        .list
        .filter
        .value()
        .split_whitespace()
        .filter(|t| !t.to_lowercase().starts_with(&prefix))
        .map(str::to_string)
        .collect();
    if !value.is_empty() {
        terms.push(format!("{prefix}{value}"));
    }
    app.list.filter = crate::app::text::TextInput::new(&terms.join(" "));
    app.list.refilter();
    let shown = app.list.visible_len();
    let text = if value.is_empty() {
        format!("{field}: any ({shown} shown)")
    } else {
        format!("{field} {value}: {shown} shown (Esc clears the filter)")
    };
    flash(app, Level::Info, text);
}

//! `y` and `Y`: what goes to the clipboard. `update` only decides the text and says so;
//! the terminal layer writes it as OSC 52 (`Command::Copy`). Whether the terminal took it
//! cannot be known, so the flash says it was sent, and how to let it through.

use crate::app::changes::{Outcome, ResultPanel};
use crate::app::command::Command;
use crate::app::state::{App, Level, Screen};
use crate::change::Change;

use super::flash;

/// What a terminal needs for OSC 52 to reach the clipboard, in a few words.
const ALLOW: &str = "OSC 52; in tmux: set-clipboard on";

/// `y`: the image ID of the list, the picker or the dialog; the RequestId and link of a
/// result panel.
pub(super) fn copy(app: &mut App) -> Vec<Command> {
    if let Some(result) = app.results.front() {
        return copy_result(app, result.clone());
    }
    let id = match &app.screen {
        Screen::StatusPicker(p) => Some(p.image.image_id.clone()),
        Screen::Confirm(c) => Some(c.image().image_id.clone()),
        Screen::Form(f) => Some(f.image.image_id.clone()),
        _ => app.list.selected().map(|i| i.image_id.clone()),
    };
    match id {
        Some(id) => send(app, id.clone(), &id),
        None => {
            flash(app, Level::Info, "no image selected: nothing to copy");
            Vec::new()
        }
    }
}

/// `y` on the notices: the RequestId (and link) of the request at the top.
pub(super) fn copy_notice(app: &mut App, offset: usize) -> Vec<Command> {
    let Some(notice) = app.notices.iter().rev().nth(offset) else {
        flash(app, Level::Info, "no requests yet: nothing to copy");
        return Vec::new();
    };
    let Some(rid) = notice.request_id.clone() else {
        let text = format!("request {} has no RequestId: nothing to copy", notice.seq);
        flash(app, Level::Info, text);
        return Vec::new();
    };
    let text = with_link(&rid, notice.recommend.as_deref());
    let link = if notice.recommend.is_some() {
        " and link"
    } else {
        ""
    };
    send(
        app,
        text,
        &format!("request {}'s RequestId{link}", notice.seq),
    )
}

fn copy_result(app: &mut App, result: ResultPanel) -> Vec<Command> {
    let (rid, link) = match &result.outcome {
        Outcome::Applied(applied) => (Some(applied.request_id.clone()), None),
        Outcome::Failed(error) => match error.api() {
            Some(e) => (e.request_id.clone(), e.recommend.clone()),
            None => (None, None),
        },
        Outcome::Cancelled(_) => (None, None),
    };
    match rid.filter(|r| !r.is_empty()) {
        Some(rid) => {
            let link = link.as_deref().filter(|l| !l.is_empty());
            // The panel shows the RequestId; a 36-character ID in the flash would push
            // the clipboard hint off an 80-column line.
            let what = if link.is_some() {
                "the RequestId and link"
            } else {
                "the RequestId"
            };
            send(app, with_link(&rid, link), what)
        }
        None => {
            // No answer from ECS, so no RequestId: the image ID is what there is to quote.
            let id = result.image().image_id.clone();
            let what = format!("the image ID {id} (no RequestId: ECS did not answer)");
            send(app, id, &what)
        }
    }
}

/// `Y`: the `ecsimg` command that makes the change under review.
pub(super) fn copy_command(app: &mut App) -> Vec<Command> {
    let change = match &app.screen {
        Screen::Confirm(c) => Some(c.change.clone()),
        Screen::StatusPicker(p) => {
            let changes = p.changes();
            (!changes.is_empty()).then(|| Change::modify(p.image.clone(), changes))
        }
        Screen::Form(f) => {
            let changes = f.changes();
            (!changes.is_empty()).then(|| Change::modify(f.image.clone(), changes))
        }
        _ => None,
    };
    let Some(command) = change.as_ref().and_then(|c| command_line(app, c)) else {
        let text = match app.screen {
            Screen::Browser => "Y copies the command of a change: open one with e or s first",
            _ => "no change to copy yet: change a field (or choose the other status) first",
        };
        flash(app, Level::Info, text);
        return Vec::new();
    };
    send(app, command, "the ecsimg command")
}

fn send(app: &mut App, text: String, what: &str) -> Vec<Command> {
    flash(app, Level::Info, format!("copied {what} ({ALLOW})"));
    vec![Command::Copy(text)]
}

fn with_link(rid: &str, link: Option<&str>) -> String {
    match link {
        Some(link) => format!("RequestId: {rid}\n{link}"),
        None => rid.to_string(),
    }
}

/// `ecsimg images modify ID --flag value …` for `change`, in the image's region (the list
/// may span every region) and the session's profile, every value shell-quoted; `None` for a change the CLI cannot make in one line.
pub fn command_line(app: &App, change: &Change) -> Option<String> {
    let changes = change.operation.changes()?;
    if change.targets.len() != 1 || changes.is_empty() {
        return None;
    }
    let mut words = vec![
        "ecsimg".to_string(),
        "images".to_string(),
        "modify".to_string(),
        quote(&change.image().image_id),
    ];
    for (field, value) in changes.values() {
        words.push(field.flag().to_string());
        words.push(quote(&value));
    }
    if app.context.demo {
        words.push("--demo".to_string());
    } else if !matches!(app.context.profile.as_str(), "" | "env" | "default") {
        words.push("--profile".to_string());
        words.push(quote(&app.context.profile));
    }
    words.push("--region".to_string());
    words.push(quote(&app.region_of(change.image())));
    Some(words.join(" "))
}

/// `s` as one word for a POSIX shell: as it is when it holds only characters no shell
/// treats specially, else in single quotes (a quote inside closes, escapes and reopens).
pub fn quote(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "@%+=:,./-_".contains(c));
    if plain {
        return s.to_string();
    }
    format!("'{}'", s.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::quote;

    #[test]
    fn values_are_quoted_only_when_a_shell_would_read_them_otherwise() {
        assert_eq!(quote("m-bp1abc"), "m-bp1abc");
        assert_eq!(quote("web v2"), "'web v2'");
        assert_eq!(quote("it's"), r"'it'\''s'");
        assert_eq!(quote("$(rm -rf ~)"), "'$(rm -rf ~)'");
        assert_eq!(quote("镜像"), "'镜像'");
        assert_eq!(quote(""), "''");
    }
}

//! Confirming a change: a prompt on a terminal, `--yes` for scripts, and refusal (exit 6)
//! when neither is there. Deprecating the only Available image of a family needs the image
//! ID typed, or `--yes --force-empty-family`; deprecating an image in use, the typed ID or
//! `--yes --force-in-use`.

use std::io::{BufRead, IsTerminal, Write};

use super::exit::CliError;

/// What the flags and the terminal allow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Proceed,
    /// Ask y/N on the terminal.
    AskYesNo,
    /// Ask for the image ID to be typed.
    AskTypedId,
    Refuse(String),
}

/// What a change asks for beyond a yes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Asks {
    /// It leaves a family with no Available image (or that could not be checked).
    pub empties_family: bool,
    /// It deprecates an image in use: the rule that applied, said for a person.
    pub in_use: Option<String>,
}

/// What the person said up front.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Given {
    pub yes: bool,
    pub force_empty_family: bool,
    pub force_in_use: bool,
}

/// The rules, without I/O. `typed_id_needed` is `FamilyImpact::needs_typed_confirmation()`.
pub fn decide(
    yes: bool,
    force_empty_family: bool,
    typed_id_needed: bool,
    interactive: bool,
) -> Decision {
    let (given, asks) = family_only(yes, force_empty_family, typed_id_needed);
    decide_change(given, &asks, interactive)
}

/// What a change that may only empty a family gives and asks.
fn family_only(yes: bool, force_empty_family: bool, empties_family: bool) -> (Given, Asks) {
    let given = Given {
        yes,
        force_empty_family,
        force_in_use: false,
    };
    let asks = Asks {
        empties_family,
        in_use: None,
    };
    (given, asks)
}

/// The rules for a change that may empty a family or deprecate an image in use.
pub fn decide_change(given: Given, asks: &Asks, interactive: bool) -> Decision {
    let typed_id_needed = asks.empties_family || asks.in_use.is_some();
    match (given.yes, typed_id_needed, interactive) {
        (true, _, _) if asks.empties_family && !given.force_empty_family => Decision::Refuse(
            "this leaves the family with no Available image: add --force-empty-family to \
             --yes if that is what you mean (nothing was sent)"
                .to_string(),
        ),
        (true, _, _) if asks.in_use.is_some() && !given.force_in_use => Decision::Refuse(format!(
            "this image is in use — {} — add --force-in-use to --yes if that is what you \
             mean (nothing was sent)",
            asks.in_use.as_deref().unwrap_or_default()
        )),
        (true, _, _) => Decision::Proceed,
        (false, true, true) => Decision::AskTypedId,
        (false, false, true) => Decision::AskYesNo,
        (false, _, false) => Decision::Refuse(
            "stdin is not a terminal, so ecsimg cannot ask: add --yes to apply without a \
             prompt (nothing was sent)"
                .to_string(),
        ),
    }
}

/// Whether ecsimg can ask a question: stdin is a terminal.
pub fn interactive() -> bool {
    std::io::stdin().is_terminal()
}

/// Confirms a change to `image_id` or says why not (exit 6). Prompts go to stderr so
/// stdout stays clean for `--output json`.
pub fn confirm(
    image_id: &str,
    yes: bool,
    force_empty_family: bool,
    typed_id_needed: bool,
) -> Result<(), CliError> {
    let (given, asks) = family_only(yes, force_empty_family, typed_id_needed);
    confirm_change(image_id, given, &asks)
}

/// [`confirm`] for a change that may also deprecate an image in use.
pub fn confirm_change(image_id: &str, given: Given, asks: &Asks) -> Result<(), CliError> {
    let answer = match decide_change(given, asks, interactive()) {
        Decision::Proceed => return Ok(()),
        Decision::Refuse(why) => return Err(CliError::refused(why)),
        Decision::AskYesNo => {
            let a = ask(&format!("Apply this change to {image_id}? [y/N] "))?;
            matches!(a.to_ascii_lowercase().as_str(), "y" | "yes")
        }
        Decision::AskTypedId => {
            ask(&format!("Type the image ID ({image_id}) to confirm: "))? == image_id
        }
    };
    if answer {
        Ok(())
    } else {
        Err(CliError::refused("not confirmed: nothing was sent"))
    }
}

/// Asks `question` on the terminal; a yes is `y` or `yes`.
pub fn ask_yes_no(question: &str) -> Result<bool, CliError> {
    let a = ask(question)?;
    Ok(matches!(a.to_ascii_lowercase().as_str(), "y" | "yes"))
}

/// Asks `question` on the terminal and returns the line typed, trimmed.
pub fn ask_line(question: &str) -> Result<String, CliError> {
    ask(question)
}

fn ask(question: &str) -> Result<String, CliError> {
    let mut stderr = std::io::stderr();
    let _ = write!(stderr, "{}", crate::ui::text::sanitize(question));
    let _ = stderr.flush();
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| CliError::failure(format!("cannot read the answer: {e}")))?;
    Ok(line.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_terminal_only_yes_proceeds() {
        assert!(
            matches!(decide(false, false, false, false), Decision::Refuse(m) if m.contains("--yes"))
        );
        assert_eq!(decide(true, false, false, false), Decision::Proceed);
    }

    #[test]
    fn emptying_a_family_needs_force_or_the_typed_id() {
        assert!(matches!(
            decide(true, false, true, false),
            Decision::Refuse(m) if m.contains("--force-empty-family")
        ));
        assert_eq!(decide(true, true, true, false), Decision::Proceed);
        assert_eq!(decide(false, false, true, true), Decision::AskTypedId);
        assert!(matches!(
            decide(false, true, true, false),
            Decision::Refuse(_)
        ));
    }

    #[test]
    fn an_image_in_use_needs_force_in_use_beside_yes_or_the_typed_id() {
        let asks = Asks {
            empties_family: false,
            in_use: Some("scaling group web launches it on its next scale-out".into()),
        };
        let yes = Given {
            yes: true,
            ..Given::default()
        };
        assert!(matches!(
            decide_change(yes, &asks, false),
            Decision::Refuse(m) if m.contains("--force-in-use") && m.contains("scaling group web")
        ));
        let forced = Given {
            force_in_use: true,
            ..yes
        };
        assert_eq!(decide_change(forced, &asks, false), Decision::Proceed);
        assert_eq!(
            decide_change(Given::default(), &asks, true),
            Decision::AskTypedId
        );
        let both = Asks {
            empties_family: true,
            ..asks
        };
        assert!(matches!(
            decide_change(forced, &both, false),
            Decision::Refuse(m) if m.contains("--force-empty-family")
        ));
    }

    #[test]
    fn a_terminal_gets_asked() {
        assert_eq!(decide(false, false, false, true), Decision::AskYesNo);
    }
}

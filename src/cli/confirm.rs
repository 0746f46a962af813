//! Confirming a change: a prompt on a terminal, `--yes` for scripts, and refusal (exit 6)
//! when neither is there. Deprecating the only Available image of a family needs the image
//! ID typed, or `--yes --force-empty-family`.

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

/// The rules, without I/O. `typed_id_needed` is `FamilyImpact::needs_typed_confirmation()`.
pub fn decide(
    yes: bool,
    force_empty_family: bool,
    typed_id_needed: bool,
    interactive: bool,
) -> Decision {
    match (yes, typed_id_needed, interactive) {
        (true, true, _) if !force_empty_family => Decision::Refuse(
            "this leaves the family with no Available image: add --force-empty-family to \
             --yes if that is what you mean (nothing was sent)"
                .to_string(),
        ),
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
    let answer = match decide(yes, force_empty_family, typed_id_needed, interactive()) {
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
    fn a_terminal_gets_asked() {
        assert_eq!(decide(false, false, false, true), Decision::AskYesNo);
    }
}

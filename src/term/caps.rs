//! What the terminal can show, from `TERM`: the Linux console draws no box-drawing or `…`
//! reliably and knows 8 colours (no grey, no italics); a vt100 and a dumb terminal know
//! no colour at all. Everything else is taken to be an xterm-like terminal with 16
//! colours. The person still decides: `--ascii` and `NO_COLOR` only ever take away, and
//! the config's `[theme] color` wins.

/// The colours a terminal shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Colors {
    /// The 16 ANSI colours, bright ones and grey included.
    Sixteen,
    /// The 8 basic ones: bright colours fall back to them, grey to half-bright.
    Eight,
    None,
}

/// What a terminal can show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caps {
    /// Plain ASCII borders and symbols.
    pub ascii: bool,
    pub colors: Colors,
}

/// The capabilities of a terminal named `term` (`$TERM`).
pub fn from_term(term: Option<&str>) -> Caps {
    let term = term.unwrap_or("").trim().to_ascii_lowercase();
    // `linux-16color` and the like name their own colours; the plain console does not.
    let base = term.split('-').next().unwrap_or("");
    match base {
        "linux" if term == "linux" => Caps {
            ascii: true,
            colors: Colors::Eight,
        },
        "dumb" | "vt52" | "vt100" | "vt102" | "vt220" | "vt320" => Caps {
            ascii: true,
            colors: Colors::None,
        },
        _ => Caps {
            ascii: false,
            colors: Colors::Sixteen,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_terminals_fall_back_on_their_own() {
        let linux = from_term(Some("linux"));
        assert!(linux.ascii);
        assert_eq!(linux.colors, Colors::Eight);
        for term in ["vt100", "vt220", "dumb", "VT100"] {
            let caps = from_term(Some(term));
            assert!(caps.ascii, "{term}");
            assert_eq!(caps.colors, Colors::None, "{term}");
        }
        for term in [
            "xterm-256color",
            "screen-256color",
            "tmux-256color",
            "alacritty",
        ] {
            assert_eq!(
                from_term(Some(term)),
                Caps {
                    ascii: false,
                    colors: Colors::Sixteen
                },
                "{term}"
            );
        }
        assert_eq!(from_term(None).colors, Colors::Sixteen);
        assert_eq!(from_term(Some("vt100-am")).colors, Colors::None);
    }
}

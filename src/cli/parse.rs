//! How ecsimg reads its command line and prints its help: the [`Cli`] of `args`, with
//! each subcommand's help listing its own options and one line pointing to `ecsimg --help`
//! for the global ones (which every subcommand still takes).

use clap::{CommandFactory, FromArgMatches};

use super::args::Cli;

/// The line a subcommand's help gives the global options, which only `ecsimg --help`
/// lists in full.
pub const GLOBALS_POINTER: &str =
    "Global options (--profile, --region, --output, --demo, …): see `ecsimg --help`.";

impl Cli {
    /// The command line as ecsimg parses it and prints its help: each subcommand's help
    /// lists its own options and points to `ecsimg --help` for the global ones, which
    /// every subcommand still takes. (Completions use [`CommandFactory::command`], which
    /// offers them everywhere.)
    pub fn command_for_help() -> clap::Command {
        let cmd = Cli::command();
        let globals: Vec<clap::Arg> = cmd
            .get_arguments()
            .filter(|a| a.is_global_set())
            .cloned()
            .collect();
        hide_globals(cmd, &globals)
    }

    /// Parses `args` (the program name first) as `ecsimg` does.
    pub fn parse_from_args<I, T>(args: I) -> Result<Cli, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        let mut matches = Cli::command_for_help().try_get_matches_from(args)?;
        Cli::from_arg_matches_mut(&mut matches)
    }
}

/// Gives every subcommand of `cmd` its own hidden copy of `globals` (clap then propagates
/// that copy instead of the listed one) and a line pointing to the full list.
fn hide_globals(mut cmd: clap::Command, globals: &[clap::Arg]) -> clap::Command {
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in names {
        cmd = cmd.mut_subcommand(name, |mut sub| {
            for arg in globals {
                sub = sub.arg(arg.clone().hide(true));
            }
            let after = match sub.get_after_help() {
                // `ansi()` keeps the text's escapes (see `args.rs` on "{n}").
                Some(text) => format!("{GLOBALS_POINTER}\n\n{}", text.ansi()),
                None => GLOBALS_POINTER.to_string(),
            };
            hide_globals(sub.after_help(after), globals)
        });
    }
    cmd
}

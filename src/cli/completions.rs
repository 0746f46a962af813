//! `ecsimg completions bash|zsh|fish`: a completion script on stdout.

use clap::CommandFactory;
use clap_complete::Shell;

use super::args::Cli;

/// Writes the completion script for `shell` to stdout.
pub fn print(shell: Shell) {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "ecsimg", &mut script);
    super::output::emit_raw(&String::from_utf8_lossy(&script));
}

//! `ecsimg completions bash|zsh|fish`: a completion script on stdout, offering every flag
//! and, for the flags that take one of a few values (`--status`, `--output`, `--imds` …),
//! those values (`values`) — never file names where a file makes no sense.

use clap::CommandFactory;
use clap_complete::Shell;

use super::args::Cli;

/// Writes the completion script for `shell` to stdout.
pub fn print(shell: Shell) {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "ecsimg", &mut script);
    super::output::emit_raw(&String::from_utf8_lossy(&script));
}

//! Terminal setup and teardown, the event loop, signals. (Placeholder.)

use crate::session::Session;

/// How the TUI should look and behave on this terminal.
#[derive(Debug, Clone, Default)]
pub struct TuiOptions {
    /// `--ascii`.
    pub ascii: bool,
    /// `--mouse`.
    pub mouse: bool,
    /// `--log-file`.
    pub log_file: Option<std::path::PathBuf>,
}

/// Runs the TUI until the person quits.
pub async fn run(_session: Session, _options: TuiOptions) -> anyhow::Result<()> {
    anyhow::bail!("the terminal UI is not built yet")
}

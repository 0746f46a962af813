//! Logs go to a file, never to the screen: `--log-file`, else `ecsimg.log` in the state
//! directory. The level comes from `ECSIMG_LOG` (error, warn, info, debug, trace; info by
//! default). Nothing secret is logged anywhere in the code base, and `Secret` redacts itself
//! if it ever is.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::Context;
use tracing::level_filters::LevelFilter;

/// `$XDG_STATE_HOME/ecsimg/ecsimg.log` (or `~/.local/state/ecsimg/ecsimg.log`).
pub fn default_path() -> Option<PathBuf> {
    crate::store::state_dir().map(|d| d.join("ecsimg.log"))
}

/// Starts logging to `explicit` or the default file; returns the file's path.
///
/// A `--log-file` that cannot be opened is an error (the person asked for it); a default
/// location that cannot be used means running without a log, since there is nowhere on a
/// TUI's screen to complain. When a logger is already installed (a second `run` in one
/// process), it is kept.
pub fn init(explicit: Option<&Path>) -> anyhow::Result<Option<PathBuf>> {
    let (path, file) = match explicit {
        Some(path) => {
            let file = open(path)
                .with_context(|| format!("cannot open the log file {}", path.display()))?;
            (path.to_path_buf(), file)
        }
        None => match default_path().and_then(|p| open(&p).ok().map(|f| (p, f))) {
            Some(found) => found,
            None => return Ok(None),
        },
    };
    let _ = tracing_subscriber::fmt()
        .with_max_level(level_from_env())
        .with_ansi(false)
        .with_target(false)
        .with_writer(Mutex::new(file))
        .try_init();
    Ok(Some(path))
}

/// The log is `0600` (its new directories `0700`): image names and account regions are
/// nobody else's business on a shared jump host.
fn open(path: &Path) -> io::Result<File> {
    crate::owner_only::open_append(path)
}

fn level_from_env() -> LevelFilter {
    std::env::var("ECSIMG_LOG")
        .ok()
        .and_then(|v| parse_level(&v))
        .unwrap_or(LevelFilter::INFO)
}

fn parse_level(value: &str) -> Option<LevelFilter> {
    value.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_parse_by_name_and_junk_falls_back() {
        assert_eq!(parse_level("debug"), Some(LevelFilter::DEBUG));
        assert_eq!(parse_level(" TRACE "), Some(LevelFilter::TRACE));
        assert_eq!(parse_level("off"), Some(LevelFilter::OFF));
        assert_eq!(parse_level("loud"), None);
    }

    #[test]
    fn the_log_file_is_created_with_its_directory_and_private() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/deeper/ecsimg.log");
        open(&path).unwrap();
        assert!(path.exists());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "log readable by others: {mode:o}");
        }
    }
}

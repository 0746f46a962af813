//! Files and directories only their owner reads: every file ecsimg writes (the journal, the
//! log, the demo state) is `0600` and every directory it creates `0700`, whatever the umask
//! — the mode is set on the open file descriptor after creating, not left to the umask,
//! which can widen (`000`) or narrow (`277`) what `open` asks for. A file ecsimg writes that
//! already exists readable by others is tightened, and the log says so. Directories that
//! already exist are left as they are: they may be shared (`/tmp`, `~/.local`).
//!
//! Image names, accounts and regions are nobody else's business on a shared jump host.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::Path;

/// The mode of every file ecsimg writes.
pub const FILE_MODE: u32 = 0o600;
/// The mode of every directory ecsimg creates.
pub const DIR_MODE: u32 = 0o700;

/// Creates `dir` and its missing parents, each `0700`.
pub fn create_dir_all(dir: &Path) -> io::Result<()> {
    if dir.as_os_str().is_empty() || dir.is_dir() {
        return Ok(());
    }
    if let Some(parent) = dir.parent() {
        create_dir_all(parent)?;
    }
    match std::fs::create_dir(dir) {
        Ok(()) => set_mode(dir, DIR_MODE),
        // Another process made it in between: it is not ours to change.
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists && dir.is_dir() => Ok(()),
        Err(e) => Err(e),
    }
}

/// Opens `path` to append (and read), creating it and its directory; the file is `0600`
/// afterwards, whatever it was.
pub fn open_append(path: &Path) -> io::Result<File> {
    if let Some(dir) = path.parent() {
        create_dir_all(dir)?;
    }
    let mut options = OpenOptions::new();
    options.create(true).append(true).read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(FILE_MODE);
    }
    let file = options.open(path)?;
    tighten(&file, path)?;
    Ok(file)
}

/// Replaces `path` with `bytes` at once (a synced temporary file beside it, renamed over
/// it): a reader sees the old contents or the new, never half; the new file is `0600`.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    create_dir_all(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "state".to_string());
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut options = OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(FILE_MODE);
        }
        let mut f = options.open(&tmp)?;
        tighten(&f, &tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Sets an opened regular file to `0600` when it is anything else, saying so in the log
/// when others could read it. A device or a FIFO (`--log-file /dev/stderr`) is left alone.
fn tighten(file: &File, path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = file.metadata()?;
        let mode = meta.permissions().mode() & 0o777;
        if !meta.is_file() || mode == FILE_MODE {
            return Ok(());
        }
        file.set_permissions(std::fs::Permissions::from_mode(FILE_MODE))?;
        if mode & 0o077 != 0 {
            tracing::warn!(
                path = %path.display(),
                was = format!("{mode:o}"),
                "the file was readable by others; it is 600 now"
            );
        }
    }
    #[cfg(not(unix))]
    let _ = (file, path);
    Ok(())
}

fn set_mode(dir: &Path, mode: u32) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(mode))?;
    }
    #[cfg(not(unix))]
    let _ = (dir, mode);
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn new_directories_are_0700_and_existing_ones_are_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let deep = dir.path().join("a/b/c");
        create_dir_all(&deep).unwrap();
        for made in ["a", "a/b", "a/b/c"] {
            assert_eq!(mode(&dir.path().join(made)), 0o700, "{made}");
        }
        assert_eq!(mode(dir.path()), 0o755, "not created here");
    }

    #[test]
    fn an_existing_file_readable_by_others_is_tightened() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.jsonl");
        std::fs::write(&path, "x\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        open_append(&path).unwrap();
        assert_eq!(mode(&path), 0o600);
        write_atomically(&dir.path().join("state.json"), b"{}").unwrap();
        assert_eq!(mode(&dir.path().join("state.json")), 0o600);
    }
}

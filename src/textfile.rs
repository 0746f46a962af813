//! Reading a small text file a person keeps — ecsimg's config, the aliyun CLI's config and
//! credentials files: only a regular file (a FIFO would block forever, `/dev/zero` would
//! never end), at most [`MAX_BYTES`], UTF-8, a leading BOM dropped. Large files (the
//! journal) are read as streams elsewhere.

use std::fmt;
use std::io::{self, Read};
use std::path::Path;

/// The most a config or credentials file may hold; real ones are a few kilobytes.
pub const MAX_BYTES: u64 = 4 * 1024 * 1024;

/// Why a file could not be read.
#[derive(Debug)]
pub enum ReadError {
    NotFound,
    /// Something other than a regular file: `a directory`, `a FIFO`, `a device`, …
    NotRegular(&'static str),
    /// Larger than [`MAX_BYTES`]; the size when known.
    TooLarge(Option<u64>),
    NotUtf8,
    Io(io::Error),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::NotFound => f.write_str("it does not exist"),
            ReadError::NotRegular(kind) => write!(
                f,
                "it is {kind}, not a regular file (ecsimg reads settings and credentials only \
                 from regular files)"
            ),
            ReadError::TooLarge(size) => {
                write!(f, "it is larger than {} MB", MAX_BYTES / (1024 * 1024))?;
                if let Some(size) = size {
                    write!(f, " ({} bytes)", size)?;
                }
                f.write_str(", far more than such a file holds")
            }
            ReadError::NotUtf8 => f.write_str("it is not UTF-8 text"),
            ReadError::Io(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for ReadError {}

/// The text of the regular file at `path` (symlinks followed).
pub fn read(path: &Path) -> Result<String, ReadError> {
    let file = open(path).map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => ReadError::NotFound,
        _ => ReadError::Io(e),
    })?;
    // Checked on the opened file, not the path: nothing can swap the file in between.
    let meta = file.metadata().map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular(kind_of(&meta)));
    }
    if meta.len() > MAX_BYTES {
        return Err(ReadError::TooLarge(Some(meta.len())));
    }
    let mut bytes = Vec::new();
    // A file that grows while it is read stops at the cap all the same.
    file.take(MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(ReadError::TooLarge(None));
    }
    let text = String::from_utf8(bytes).map_err(|_| ReadError::NotUtf8)?;
    Ok(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    })
}

/// Opens without blocking: opening a FIFO for reading waits for a writer otherwise.
#[cfg(unix)]
fn open(path: &Path) -> io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open(path: &Path) -> io::Result<std::fs::File> {
    std::fs::File::open(path)
}

#[cfg(unix)]
fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let t = meta.file_type();
    if t.is_dir() {
        "a directory"
    } else if t.is_fifo() {
        "a FIFO (named pipe)"
    } else if t.is_char_device() || t.is_block_device() {
        "a device"
    } else if t.is_socket() {
        "a socket"
    } else {
        "not a regular file"
    }
}

#[cfg(not(unix))]
fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    if meta.is_dir() {
        "a directory"
    } else {
        "not a regular file"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_regular_file_reads_and_loses_its_bom() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, "\u{feff}[default]\n").unwrap();
        assert_eq!(read(&path).unwrap(), "[default]\n");
        assert!(matches!(
            read(&dir.path().join("none")),
            Err(ReadError::NotFound)
        ));
        assert!(matches!(
            read(dir.path()),
            Err(ReadError::NotRegular("a directory"))
        ));
        std::fs::write(&path, [0xff, 0xfe]).unwrap();
        assert!(matches!(read(&path), Err(ReadError::NotUtf8)));
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_or_a_device_is_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: mkfifo with a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        assert!(matches!(read(&fifo), Err(ReadError::NotRegular(k)) if k.contains("FIFO")));
        let zero = dir.path().join("zero");
        std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
        let err = read(&zero).unwrap_err();
        assert!(matches!(err, ReadError::NotRegular("a device")), "{err}");
    }

    #[test]
    fn a_file_over_the_cap_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big");
        let file = std::fs::File::create(&path).unwrap();
        file.set_len(MAX_BYTES + 1).unwrap();
        let err = read(&path).unwrap_err();
        assert!(matches!(err, ReadError::TooLarge(Some(_))), "{err}");
        assert!(err.to_string().contains("larger than 4 MB"), "{err}");
    }
}

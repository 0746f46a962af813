//! Reading credential files (a regular file of a few MB at most, see `textfile`), and
//! naming them the way a person typed them (`~/...`).

use std::path::{Path, PathBuf};

use crate::textfile::{self, ReadError};

use super::CredentialError;

/// A credential file ecsimg may read, with the name shown in messages.
#[derive(Debug, Clone)]
pub(super) struct CredFile {
    pub path: PathBuf,
    /// The path with the home directory shortened to `~`.
    pub shown: String,
}

impl CredFile {
    pub fn new(path: PathBuf, home: Option<&Path>) -> CredFile {
        let shown = match home.and_then(|h| path.strip_prefix(h).ok()) {
            Some(rest) => format!("~/{}", rest.display()),
            None => path.display().to_string(),
        };
        CredFile { path, shown }
    }

    /// The file's text, or `None` when it does not exist.
    pub fn read(&self) -> Result<Option<String>, CredentialError> {
        let err = match textfile::read(&self.path) {
            Ok(text) => return Ok(Some(text)),
            Err(ReadError::NotFound) => return Ok(None),
            Err(e) => e,
        };
        let fix = match err {
            ReadError::NotUtf8 => "Fix or remove the file.",
            ReadError::Io(_) => "Check the file's owner and permissions.",
            _ => {
                "Fix: put the file itself there (or point ecsimg at it with \
                  ALIBABA_CLOUD_CONFIG_FILE / ALIBABA_CLOUD_CREDENTIALS_FILE)."
            }
        };
        Err(CredentialError::new(format!(
            "cannot read {}: {err}. {fix}",
            self.shown
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_paths_under_home_with_a_tilde() {
        let f = CredFile::new(
            PathBuf::from("/home/ann/.aliyun/config.json"),
            Some(Path::new("/home/ann")),
        );
        assert_eq!(f.shown, "~/.aliyun/config.json");
        let g = CredFile::new(PathBuf::from("/etc/creds"), Some(Path::new("/home/ann")));
        assert_eq!(g.shown, "/etc/creds");
    }
}

//! Reading credential files, and naming them the way a person typed them (`~/...`).

use std::io::ErrorKind;
use std::path::{Path, PathBuf};

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
        match std::fs::read(&self.path) {
            Ok(bytes) => String::from_utf8(bytes).map(Some).map_err(|_| {
                CredentialError::new(format!(
                    "{} is not UTF-8 text. Fix or remove the file.",
                    self.shown
                ))
            }),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
            Err(e) => Err(CredentialError::new(format!(
                "cannot read {}: {e}. Check the file's owner and permissions.",
                self.shown
            ))),
        }
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

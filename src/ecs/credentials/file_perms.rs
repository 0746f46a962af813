//! The warning for credential files that other users can read.

use super::files::CredFile;

/// A warning when `file` is readable (or writable) by group or others, with the fix.
#[cfg(unix)]
pub(super) fn loose_permissions_warning(file: &CredFile) -> Option<String> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&file.path).ok()?.permissions().mode() & 0o777;
    (mode & 0o077 != 0).then(|| {
        format!(
            "{} holds secrets but other users can read it (mode {mode:o}). Fix: chmod 600 {}",
            file.shown, file.shown
        )
    })
}

/// Windows ACLs are not mode bits; nothing to check the same way.
#[cfg(not(unix))]
pub(super) fn loose_permissions_warning(_file: &CredFile) -> Option<String> {
    None
}

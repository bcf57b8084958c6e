//! Configuration profiles as macOS keeps them: an MDM-installed profile's
//! payload for Veil's domain becomes `/Library/Managed Preferences/<domain>.plist`
//! (for the computer) or `/Library/Managed Preferences/<user>/<domain>.plist`
//! (for one user). Both folders are root's; a file anyone else could have
//! written is refused, as for `policy.toml`.

use std::path::PathBuf;

use veil_core::settings::managed::{ManagedKind, ManagedSet};

use super::{profile, BUNDLE_ID};
use crate::files::{self, ReadError};

const MANAGED_PREFERENCES: &str = "/Library/Managed Preferences";

/// Managed preferences are a few kilobytes.
const MAX_BYTES: u64 = 1024 * 1024;

/// The user's profile first: it is the more specific one.
pub fn paths(user: &str) -> Vec<PathBuf> {
    let file = format!("{BUNDLE_ID}.plist");
    let base = PathBuf::from(MANAGED_PREFERENCES);
    let mut out = Vec::new();
    // A user name that could climb out of the folder is no user's.
    if !user.is_empty() && !user.contains('/') && user != ".." && user != "." {
        out.push(base.join(user).join(&file));
    }
    out.push(base.join(file));
    out
}

pub fn read(user: &str) -> Vec<ManagedSet> {
    paths(user)
        .into_iter()
        .filter_map(|path| {
            let location = path.display().to_string();
            match read_bytes(&path) {
                Ok(bytes) => Some(profile::preferences_set(&location, &bytes)),
                Err(ReadError::Missing) => None,
                Err(e) => Some(ManagedSet::unreadable(
                    ManagedKind::Profile,
                    location,
                    e.to_string(),
                )),
            }
        })
        .collect()
}

fn read_bytes(path: &std::path::Path) -> Result<Vec<u8>, ReadError> {
    files::admin_owned(path)?;
    files::read_bytes(path, MAX_BYTES)
}

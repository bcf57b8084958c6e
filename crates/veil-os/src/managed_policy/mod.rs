//! The managed policy IT deploys outside the policy file: the registry
//! under `HKLM\SOFTWARE\Policies\Veil` on Windows (Group Policy, Intune),
//! configuration profiles on macOS (Jamf or another MDM). Read here; checked
//! and merged over `policy.toml` in `veil_core::settings::managed`. Linux has
//! neither: the file is the whole policy there.

#[cfg(target_os = "macos")]
mod macos;
pub mod profile;
pub mod registry;
#[cfg(windows)]
mod windows;

use veil_core::settings::managed::ManagedSet;

/// Veil's bundle identifier (`identifier` in `tauri.conf.json`): the
/// managed preferences domain a profile's payload is for.
pub const BUNDLE_ID: &str = "com.veil.desktop";

/// Every managed source on this computer, most important first; empty
/// where there are none (Linux).
pub fn read() -> Vec<ManagedSet> {
    #[cfg(windows)]
    {
        vec![windows::read()]
    }
    #[cfg(target_os = "macos")]
    {
        macos::read(&crate::paths::current_user())
    }
    #[cfg(not(any(windows, target_os = "macos")))]
    {
        Vec::new()
    }
}

/// Whether the organization deployed anything this way (then, as with a
/// system policy file, `VEIL_POLICY` is refused in a release build).
pub fn present() -> bool {
    read().iter().any(ManagedSet::is_present)
}

/// Notices a change to the managed sources, like `watch::FileWatch` for
/// the policy file: true on the first call and after each change.
#[derive(Debug)]
pub struct Watch {
    #[cfg(windows)]
    last: Option<(std::time::Instant, Vec<ManagedSet>)>,
    #[cfg(target_os = "macos")]
    files: Vec<crate::watch::FileWatch>,
    #[cfg(not(any(windows, target_os = "macos")))]
    first: bool,
}

/// The registry has no cheap "changed" check like a file's metadata:
/// it is read again this often.
#[cfg(windows)]
const REGISTRY_POLL: std::time::Duration = std::time::Duration::from_secs(2);

impl Watch {
    pub fn new() -> Self {
        Self {
            #[cfg(windows)]
            last: None,
            #[cfg(target_os = "macos")]
            files: macos::paths(&crate::paths::current_user())
                .into_iter()
                .map(crate::watch::FileWatch::new)
                .collect(),
            #[cfg(not(any(windows, target_os = "macos")))]
            first: true,
        }
    }

    pub fn changed(&mut self) -> bool {
        #[cfg(windows)]
        {
            let now = std::time::Instant::now();
            if let Some((at, _)) = &self.last {
                if now.duration_since(*at) < REGISTRY_POLL {
                    return false;
                }
            }
            let read = read();
            let changed = self.last.as_ref().map(|(_, r)| r) != Some(&read);
            self.last = Some((now, read));
            changed
        }
        #[cfg(target_os = "macos")]
        {
            // Every file looked at, not just up to the first change.
            self.files
                .iter_mut()
                .fold(false, |changed, f| f.changed() | changed)
        }
        #[cfg(not(any(windows, target_os = "macos")))]
        {
            std::mem::replace(&mut self.first, false)
        }
    }
}

impl Default for Watch {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_bundle_id_is_the_apps_identifier() {
        let conf = include_str!("../../../../tauri.conf.json");
        assert!(
            conf.contains(&format!("\"identifier\": \"{}\"", super::BUNDLE_ID)),
            "tauri.conf.json's identifier is not {}",
            super::BUNDLE_ID
        );
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn linux_has_no_managed_sources() {
        assert!(super::read().is_empty());
        assert!(!super::present());
        let mut w = super::Watch::new();
        assert!(w.changed());
        assert!(!w.changed());
    }
}

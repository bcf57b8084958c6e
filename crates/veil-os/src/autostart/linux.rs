//! Start at sign-in on Linux. The package installs one XDG autostart entry
//! for every account (`/etc/xdg/autostart/veil.desktop`); an agent who turns
//! it off gets a per-user entry of the same name with `Hidden=true`, which
//! the XDG autostart spec lets override the system one. Without the
//! package's entry (a build from source) the per-user entry starts Veil
//! itself. One entry, one start: a second start would open the window.

use std::path::{Path, PathBuf};

use crate::files;

pub const ENTRY_NAME: &str = "veil.desktop";
pub const SYSTEM_ENTRY: &str = "/etc/xdg/autostart/veil.desktop";

/// The per-user autostart folder (`$XDG_CONFIG_HOME/autostart`).
pub fn user_folder() -> Option<PathBuf> {
    dirs::config_dir().map(|d| d.join("autostart"))
}

/// What the per-user entry should say, given whether Veil should start and
/// whether the system entry exists. None: no per-user entry.
pub fn user_entry(wanted: bool, system_entry: bool, exe: &Path) -> Option<String> {
    match (wanted, system_entry) {
        (true, true) => None,
        (false, _) => Some(
            "[Desktop Entry]\nType=Application\nName=Veil\nExec=veil\nHidden=true\n".to_string(),
        ),
        (true, false) => Some(format!(
            "[Desktop Entry]\nType=Application\nName=Veil\nExec={}\nIcon=veil\nTerminal=false\nNoDisplay=true\nX-GNOME-Autostart-enabled=true\n",
            exe.display()
        )),
    }
}

/// The per-user entry's path.
pub fn user_entry_path() -> Option<PathBuf> {
    user_folder().map(|f| f.join(ENTRY_NAME))
}

/// Makes the per-user entry match `wanted`. True when a per-user entry
/// that was there had to go or be rewritten (someone else put it there).
pub fn apply(wanted: bool) -> std::io::Result<bool> {
    let folder = user_folder().ok_or_else(|| std::io::Error::other("no config folder"))?;
    let path = folder.join(ENTRY_NAME);
    let exe = std::env::current_exe()?;
    let before = files::read_text(&path, 64 * 1024).ok();
    match user_entry(wanted, Path::new(SYSTEM_ENTRY).exists(), &exe) {
        None => match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            Err(_) => Ok(false),
            Ok(()) => Ok(true),
        },
        Some(text) => {
            if before.as_deref() == Some(text.as_str()) {
                return Ok(false);
            }
            std::fs::create_dir_all(&folder)?;
            files::atomic_write(&path, text.as_bytes())?;
            Ok(before.is_some())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_entry_for_each_case() {
        let exe = Path::new("/opt/veil/veil");
        assert_eq!(user_entry(true, true, exe), None);
        assert!(user_entry(false, true, exe)
            .unwrap()
            .contains("Hidden=true"));
        assert!(user_entry(false, false, exe)
            .unwrap()
            .contains("Hidden=true"));
        let own = user_entry(true, false, exe).unwrap();
        assert!(own.contains("Exec=/opt/veil/veil") && !own.contains("Hidden"));
    }
}

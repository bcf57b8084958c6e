//! `screen_lock` on Linux: GNOME's settings through GSettings (the same
//! backend GNOME itself reads: dconf, or a keyfile where
//! `GSETTINGS_BACKEND=keyfile`), KDE's `kscreenlockerrc` with Plasma's
//! defaults; any other desktop is `unknown`.

use std::path::PathBuf;
use std::time::Duration;

use gtk::gio;
use gtk::gio::prelude::*;
use veil_core::posture::screen_lock::{self as decide, Gnome, Kde};
use veil_core::posture::{Observation, Platform};

use super::Environment;

pub struct ScreenLockProbe {
    env: Environment,
}

impl ScreenLockProbe {
    pub fn new(env: Environment) -> Self {
        Self { env }
    }

    /// Files whose change means the setting may have changed: GNOME's dconf
    /// database or keyfile, KDE's config.
    pub fn watched_files(&self) -> Vec<PathBuf> {
        match Platform::linux_desktop(&self.env.desktop) {
            Platform::Gnome => vec![
                self.env.config_home.join("dconf/user"),
                self.env.config_home.join("glib-2.0/settings/keyfile"),
            ],
            Platform::Kde => vec![self.env.config_home.join("kscreenlockerrc")],
            _ => vec![],
        }
    }

    pub fn read_gnome(&self) -> Result<Gnome, String> {
        let source =
            gio::SettingsSchemaSource::default().ok_or("no GSettings schemas are installed")?;
        let settings = |id: &str| -> Result<gio::Settings, String> {
            // Settings::new aborts on a missing schema: look it up first.
            source
                .lookup(id, true)
                .ok_or_else(|| format!("the GSettings schema {id} is not installed"))?;
            Ok(gio::Settings::new(id))
        };
        let saver = settings("org.gnome.desktop.screensaver")?;
        let session = settings("org.gnome.desktop.session")?;
        let lockdown = settings("org.gnome.desktop.lockdown")?;
        Ok(Gnome {
            lock_enabled: saver.boolean("lock-enabled"),
            idle_delay: session.uint("idle-delay"),
            lock_delay: saver.uint("lock-delay"),
            lockdown_disabled: lockdown.boolean("disable-lock-screen"),
        })
    }

    /// The system-wide defaults (`/etc/xdg`), then the agent's file. A
    /// file that is there but cannot be read (a FIFO in the agent's
    /// ~/.config, which would hang a plain read) is an error, not absent:
    /// KDE's defaults would then pass for the agent's settings.
    pub fn read_kde(&self) -> Result<Kde, String> {
        let read = |p: std::path::PathBuf| match crate::files::read_text(
            &p,
            crate::files::CONFIG_MAX_BYTES,
        ) {
            Ok(text) => Ok(Some(text)),
            Err(crate::files::ReadError::Missing) => Ok(None),
            Err(e) => Err(format!("{} cannot be read: {e}", p.display())),
        };
        let system = read(self.env.path("/etc/xdg/kscreenlockerrc"))?;
        let user = read(self.env.config_home.join("kscreenlockerrc"))?;
        let text = match (system, user) {
            (None, None) => None,
            (s, u) => Some(format!(
                "{}\n{}",
                s.unwrap_or_default(),
                u.unwrap_or_default()
            )),
        };
        Ok(Kde::parse(text.as_deref()))
    }
}

impl crate::posture::ScreenLock for ScreenLockProbe {
    fn screen_lock(&self, max: Duration) -> Observation {
        match Platform::linux_desktop(&self.env.desktop) {
            Platform::Gnome => match self.read_gnome() {
                Ok(g) => decide::decide_gnome(&g, max),
                Err(e) => Observation::unknown(
                    &format!("locks within {} minutes", max.as_secs().div_ceil(60)),
                    e,
                ),
            },
            Platform::Kde => match self.read_kde() {
                Ok(k) => decide::decide_kde(&k, max),
                Err(e) => Observation::unknown(
                    &format!("locks within {} minutes", max.as_secs().div_ceil(60)),
                    e,
                ),
            },
            _ => decide::unknown_desktop(&self.env.desktop, max),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::posture::ScreenLock;
    use veil_core::posture::CheckResult;

    const MAX: Duration = Duration::from_secs(900);

    fn env(desktop: &str, config_home: PathBuf) -> Environment {
        Environment {
            root: config_home.join("root"),
            system_bus: None,
            desktop: desktop.into(),
            config_home,
        }
    }

    #[test]
    fn kde_files_and_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let p = ScreenLockProbe::new(env("KDE", dir.path().into()));
        // No file at all: Plasma's defaults (lock after 5 minutes).
        assert_eq!(p.screen_lock(MAX).result, CheckResult::Pass);
        std::fs::write(
            dir.path().join("kscreenlockerrc"),
            "[Daemon]\nAutolock=false\n",
        )
        .unwrap();
        assert_eq!(p.screen_lock(MAX).observed, "lock_off");
        std::fs::write(dir.path().join("kscreenlockerrc"), "[Daemon]\nTimeout=60\n").unwrap();
        assert_eq!(p.screen_lock(MAX).observed, "lock_too_late");
    }

    /// A FIFO as the agent's file (an attacker's way to hang a reader) is
    /// answered at once, as could-not-tell with the file named, never with
    /// KDE's defaults.
    #[test]
    fn a_fifo_as_the_kde_file_is_unknown_and_named() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("kscreenlockerrc");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let o = ScreenLockProbe::new(env("KDE", dir.path().into())).screen_lock(MAX);
        assert_eq!(o.result, CheckResult::Unknown);
        let why = o.reason.unwrap();
        assert!(
            why.contains("kscreenlockerrc") && why.contains("FIFO"),
            "{why}"
        );
    }

    #[test]
    fn other_desktops_are_unknown() {
        let dir = tempfile::tempdir().unwrap();
        let o = ScreenLockProbe::new(env("XFCE", dir.path().into())).screen_lock(MAX);
        assert_eq!(o.result, CheckResult::Unknown);
        assert!(o.reason.unwrap().contains("XFCE"));
    }
}

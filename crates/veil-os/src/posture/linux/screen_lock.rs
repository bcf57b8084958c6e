//! `screen_lock` on Linux: GNOME's settings through the `gsettings` tool
//! (the same backend GNOME itself reads: dconf, or a keyfile where
//! `GSETTINGS_BACKEND=keyfile`), KDE's `kscreenlockerrc` with Plasma's
//! defaults; any other desktop is `unknown`.

use std::path::PathBuf;
use std::time::Duration;

use veil_core::posture::screen_lock::{self as decide, Gnome, Kde};
use veil_core::posture::{Observation, Platform};

use super::Environment;

/// How long one `gsettings get` may take: as long as a D-Bus probe (its
/// start loads GIO's modules, which on a loaded machine takes a while).
const GSETTINGS_TIME_LIMIT: Duration = crate::posture::PROBE_TIMEOUT;

/// A GVariant boolean as `gsettings` prints it.
fn parse_boolean(text: &str) -> Option<bool> {
    match text {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

/// A GVariant uint32 as `gsettings` prints it: `300`, or `uint32 300`
/// where the type is not implied by the number.
fn parse_uint32(text: &str) -> Option<u32> {
    text.strip_prefix("uint32 ").unwrap_or(text).parse().ok()
}

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

    /// GNOME's settings, as the `gsettings` tool reads them from the same
    /// backend GNOME uses. Read in a separate process with a time limit,
    /// never through GIO in Veil's own: there, the first GSettings use
    /// loads GIO's modules while the toolkit starts on the main thread,
    /// and once in a while the two deadlocked and every later check waited
    /// behind it; and the keyfile backend answered from its cache until it
    /// noticed a change.
    pub fn read_gnome(&self) -> Result<Gnome, String> {
        let tool = crate::process::system_tool("gsettings")
            .ok_or("GNOME's gsettings tool is not installed (package libglib2.0-bin)")?;
        let get = |schema: &str, key: &str| -> Result<String, String> {
            crate::process::run_within(
                std::process::Command::new(&tool).args(["get", schema, key]),
                GSETTINGS_TIME_LIMIT,
            )
            .map(|out| out.trim().to_string())
            .map_err(|e| format!("GSettings key {schema} {key} could not be read ({e})"))
        };
        let flag = |schema: &str, key: &str| -> Result<bool, String> {
            let text = get(schema, key)?;
            parse_boolean(&text)
                .ok_or_else(|| format!("GSettings key {schema} {key} is not true or false: {text}"))
        };
        let number = |schema: &str, key: &str| -> Result<u32, String> {
            let text = get(schema, key)?;
            parse_uint32(&text)
                .ok_or_else(|| format!("GSettings key {schema} {key} is not a number: {text}"))
        };
        Ok(Gnome {
            lock_enabled: flag("org.gnome.desktop.screensaver", "lock-enabled")?,
            idle_delay: number("org.gnome.desktop.session", "idle-delay")?,
            lock_delay: number("org.gnome.desktop.screensaver", "lock-delay")?,
            lockdown_disabled: flag("org.gnome.desktop.lockdown", "disable-lock-screen")?,
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
    fn gsettings_values_are_read_as_it_prints_them() {
        assert_eq!(parse_boolean("true"), Some(true));
        assert_eq!(parse_boolean("false"), Some(false));
        assert_eq!(parse_boolean("'yes'"), None);
        assert_eq!(parse_uint32("uint32 300"), Some(300));
        assert_eq!(parse_uint32("0"), Some(0));
        assert_eq!(parse_uint32("uint32 -1"), None);
        assert_eq!(parse_uint32(""), None);
    }

    #[test]
    fn other_desktops_are_unknown() {
        let dir = tempfile::tempdir().unwrap();
        let o = ScreenLockProbe::new(env("XFCE", dir.path().into())).screen_lock(MAX);
        assert_eq!(o.result, CheckResult::Unknown);
        assert!(o.reason.unwrap().contains("XFCE"));
    }
}

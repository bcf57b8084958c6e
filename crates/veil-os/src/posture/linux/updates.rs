//! `os_updates` on Linux: PackageKit over the system bus (the pending
//! updates and how old its package lists are) and whether
//! unattended-upgrades is switched on in APT's configuration.

use std::fs;
use std::time::{Duration, Instant};

use dbus::blocking::Connection;
use dbus::message::MessageType;
use veil_core::posture::system::{decide_linux_updates, LinuxUpdates, PackageKit};
use veil_core::posture::{Observation, PostureConfig};

use super::{bus, Environment};

const PACKAGEKIT: &str = "org.freedesktop.PackageKit";
const PACKAGEKIT_PATH: &str = "/org/freedesktop/PackageKit";
const TRANSACTION: &str = "org.freedesktop.PackageKit.Transaction";

/// PackageKit is started on demand by the bus and loads the whole package
/// cache before its first answer (seconds on a large system), so the update
/// list gets longer than the other probes' `PROBE_TIMEOUT`.
const PACKAGEKIT_TIMEOUT: Duration = Duration::from_secs(30);

/// `PK_INFO_ENUM_SECURITY` (PackageKit 1.2, `pk-enum.h`).
const INFO_SECURITY: u32 = 8;
/// `PK_ROLE_ENUM_REFRESH_CACHE`.
const ROLE_REFRESH_CACHE: u32 = 13;
/// `PK_EXIT_ENUM_SUCCESS`.
const EXIT_SUCCESS: u32 = 1;

pub struct UpdatesProbe {
    env: Environment,
}

impl UpdatesProbe {
    pub fn new(env: Environment) -> Self {
        Self { env }
    }

    /// What PackageKit says is pending.
    pub fn packagekit(&self) -> PackageKit {
        let c = match self.env.system_bus() {
            Ok(c) => c,
            Err(e) => return PackageKit::Error(format!("the system bus: {e}")),
        };
        let present =
            bus::has_owner(&c, PACKAGEKIT).and_then(|o| Ok(o || bus::activatable(&c, PACKAGEKIT)?));
        match present {
            Ok(true) => {}
            Ok(false) => return PackageKit::Absent,
            Err(e) => return PackageKit::Error(format!("the system bus: {e}")),
        }
        match pending_updates(&c) {
            Ok((security_pending, other_pending)) => PackageKit::Read {
                security_pending,
                other_pending,
                cache_age: [cache_age(&c), self.apt_lists_age()]
                    .into_iter()
                    .flatten()
                    .min(),
            },
            Err(Failure::Absent) => PackageKit::Absent,
            Err(Failure::Other(e)) => PackageKit::Error(e),
        }
    }

    /// Since APT last fetched its package lists (its own timer refreshes
    /// them without PackageKit): the newest `*_InRelease`/`*_Release` file
    /// or APT's update stamp. None where there is no APT.
    fn apt_lists_age(&self) -> Option<Duration> {
        let stamp = self.env.path("/var/lib/apt/periodic/update-success-stamp");
        let lists = fs::read_dir(self.env.path("/var/lib/apt/lists")).ok();
        let newest = lists
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| {
                let n = e.file_name();
                let n = n.to_string_lossy();
                n.ends_with("_InRelease") || n.ends_with("_Release")
            })
            .map(|e| e.path())
            .chain(std::iter::once(stamp))
            .filter_map(|p| fs::metadata(p).and_then(|m| m.modified()).ok())
            .max()?;
        std::time::SystemTime::now().duration_since(newest).ok()
    }

    /// `APT::Periodic::Unattended-Upgrade` as APT reads it; None when
    /// unattended-upgrades is not installed.
    pub fn unattended_upgrades(&self) -> Option<bool> {
        if !self.env.path("/usr/bin/unattended-upgrade").exists() {
            return None;
        }
        let mut files: Vec<_> = fs::read_dir(self.env.path("/etc/apt/apt.conf.d"))
            .map(|d| {
                d.flatten()
                    .filter(|e| apt_reads(&e.file_name().to_string_lossy()))
                    .map(|e| e.path())
                    .collect()
            })
            .unwrap_or_default();
        // APT reads the parts in name order, then apt.conf; the last wins.
        files.sort();
        files.push(self.env.path("/etc/apt/apt.conf"));
        let mut value = None;
        for f in files {
            if let Ok(text) = crate::files::read_text(&f, crate::files::CONFIG_MAX_BYTES) {
                value = unattended_setting(&text).or(value);
            }
        }
        // APT's default for the setting is "0": off.
        Some(value.unwrap_or(false))
    }
}

enum Failure {
    Absent,
    Other(String),
}

/// A `GetUpdates` transaction: security updates and all others.
fn pending_updates(c: &Connection) -> Result<(u32, u32), Failure> {
    let created: Result<(dbus::Path<'static>,), _> = bus::call(
        c,
        PACKAGEKIT,
        PACKAGEKIT_PATH,
        PACKAGEKIT,
        "CreateTransaction",
        (),
        PACKAGEKIT_TIMEOUT,
    );
    let tid = match created {
        Ok((p,)) => p,
        Err(e) if bus::is_absent(&e) => return Err(Failure::Absent),
        Err(e) => {
            return Err(Failure::Other(format!(
                "CreateTransaction: {}",
                bus::describe(&e)
            )))
        }
    };
    let other =
        |what: &str, e: dbus::Error| Failure::Other(format!("{what}: {}", bus::describe(&e)));
    // Never ask the agent for a password; the update list needs none.
    let hints = vec!["interactive=false".to_string(), "locale=C".to_string()];
    bus::call::<(), _>(
        c,
        PACKAGEKIT,
        &tid,
        TRANSACTION,
        "SetHints",
        (hints,),
        PACKAGEKIT_TIMEOUT,
    )
    .map_err(|e| other("SetHints", e))?;
    // Subscribe before asking, so no Package signal is missed.
    let rule =
        format!("type='signal',sender='{PACKAGEKIT}',path='{tid}',interface='{TRANSACTION}'");
    c.add_match_no_cb(&rule).map_err(|e| other("AddMatch", e))?;
    // Filter 0: no filter, every update the backend knows.
    bus::call::<(), _>(
        c,
        PACKAGEKIT,
        &tid,
        TRANSACTION,
        "GetUpdates",
        (0u64,),
        PACKAGEKIT_TIMEOUT,
    )
    .map_err(|e| other("GetUpdates", e))?;

    let deadline = Instant::now() + PACKAGEKIT_TIMEOUT;
    let (mut security, mut others) = (0u32, 0u32);
    let mut error: Option<String> = None;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(Failure::Other(format!(
                "GetUpdates did not finish within {} seconds",
                PACKAGEKIT_TIMEOUT.as_secs()
            )));
        }
        let msg = match c.channel().blocking_pop_message(left) {
            Ok(Some(m)) => m,
            Ok(None) => continue,
            Err(e) => return Err(other("the system bus", e)),
        };
        if msg.msg_type() != MessageType::Signal
            || msg.path().as_deref() != Some(&*tid)
            || msg.interface().as_deref() != Some(TRANSACTION)
        {
            continue;
        }
        match msg.member().as_deref() {
            Some("Package") => {
                if let Some(info) = msg.get1::<u32>() {
                    tally(info, &mut security, &mut others);
                }
            }
            // Sent instead of Package to clients that set the
            // supports-plural-signals hint; read too, in case.
            Some("Packages") => {
                if let Some(list) = msg.get1::<Vec<(u32, String, String)>>() {
                    for (info, _, _) in list {
                        tally(info, &mut security, &mut others);
                    }
                }
            }
            Some("ErrorCode") => {
                let (code, details) = msg.get2::<u32, String>();
                error = Some(format!(
                    "GetUpdates failed (error {}): {}",
                    code.unwrap_or(0),
                    details.unwrap_or_default()
                ));
            }
            Some("Finished") => {
                let exit = msg.get1::<u32>().unwrap_or(0);
                if exit == EXIT_SUCCESS {
                    return Ok((security, others));
                }
                return Err(Failure::Other(error.unwrap_or_else(|| {
                    format!("GetUpdates ended with exit code {exit}")
                })));
            }
            _ => {}
        }
    }
}

fn tally(info: u32, security: &mut u32, others: &mut u32) {
    // PackageKit 1.2 packs the update severity into the upper 16 bits.
    if info & 0xffff == INFO_SECURITY {
        *security += 1;
    } else {
        *others += 1;
    }
}

/// Since PackageKit last refreshed the package lists. None when it never
/// did (it answers the largest u32): APT's own timer may refresh them
/// without PackageKit, so the lists' own age is looked at too.
fn cache_age(c: &Connection) -> Option<Duration> {
    let (secs,): (u32,) = bus::call(
        c,
        PACKAGEKIT,
        PACKAGEKIT_PATH,
        PACKAGEKIT,
        "GetTimeSinceAction",
        (ROLE_REFRESH_CACHE,),
        PACKAGEKIT_TIMEOUT,
    )
    .ok()?;
    (secs != u32::MAX).then(|| Duration::from_secs(secs.into()))
}

/// The file names APT reads from a `.d` folder: letters, digits, `_-.`,
/// and not a package manager's or editor's leftover.
fn apt_reads(name: &str) -> bool {
    const IGNORED: [&str; 6] = [".disabled", ".bak", ".save", ".orig", ".distUpgrade", "~"];
    name.chars()
        .all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c))
        && !IGNORED.iter().any(|s| name.ends_with(s))
        && !name.contains(".dpkg-")
        && !name.contains(".ucf-")
}

/// The last `APT::Periodic::Unattended-Upgrade "N";` in one file: any
/// number but 0 is on.
fn unattended_setting(text: &str) -> Option<bool> {
    const KEY: &str = "apt::periodic::unattended-upgrade";
    let mut value = None;
    for line in text.lines() {
        let line = line.split("//").next().unwrap_or_default().trim();
        if line.starts_with('#') {
            continue;
        }
        let lower = line.to_ascii_lowercase();
        let Some(rest) = lower.strip_prefix(KEY) else {
            continue;
        };
        let v = rest.trim().trim_end_matches(';').trim().trim_matches('"');
        if v.is_empty() {
            continue;
        }
        value = Some(v.parse::<u64>().map(|n| n != 0).unwrap_or(true));
    }
    value
}

impl crate::posture::OsUpdates for UpdatesProbe {
    fn os_updates(&self, _config: &PostureConfig) -> Observation {
        decide_linux_updates(&LinuxUpdates {
            packagekit: self.packagekit(),
            unattended_upgrades: self.unattended_upgrades(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(root: &std::path::Path) -> Environment {
        Environment {
            root: root.to_path_buf(),
            system_bus: None,
            desktop: String::new(),
            config_home: root.into(),
        }
    }

    #[test]
    fn unattended_upgrades_from_apt_conf_d() {
        let dir = tempfile::tempdir().unwrap();
        let p = UpdatesProbe::new(env(dir.path()));
        assert_eq!(p.unattended_upgrades(), None);
        fs::create_dir_all(dir.path().join("usr/bin")).unwrap();
        fs::write(dir.path().join("usr/bin/unattended-upgrade"), "").unwrap();
        // Installed, nothing set: APT's default is off.
        assert_eq!(p.unattended_upgrades(), Some(false));
        let d = dir.path().join("etc/apt/apt.conf.d");
        fs::create_dir_all(&d).unwrap();
        fs::write(
            d.join("20auto-upgrades"),
            "APT::Periodic::Update-Package-Lists \"1\";\nAPT::Periodic::Unattended-Upgrade \"1\";\n",
        )
        .unwrap();
        assert_eq!(p.unattended_upgrades(), Some(true));
        // A later file turns it off again; a leftover is not read.
        fs::write(
            d.join("99local"),
            "APT::Periodic::Unattended-Upgrade \"0\"; // off\n",
        )
        .unwrap();
        fs::write(
            d.join("99zz.dpkg-old"),
            "APT::Periodic::Unattended-Upgrade \"1\";\n",
        )
        .unwrap();
        assert_eq!(p.unattended_upgrades(), Some(false));
        fs::write(
            d.join("99local"),
            "// APT::Periodic::Unattended-Upgrade \"0\";\n",
        )
        .unwrap();
        assert_eq!(p.unattended_upgrades(), Some(true));
    }

    #[test]
    fn apt_file_names() {
        assert!(apt_reads("20auto-upgrades"));
        assert!(apt_reads("50unattended-upgrades"));
        assert!(!apt_reads("20auto-upgrades.dpkg-dist"));
        assert!(!apt_reads("20auto-upgrades~"));
        assert!(!apt_reads("my file"));
    }
}

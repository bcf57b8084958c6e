//! `os_updates`, `antivirus` and `secure_boot`: is the system patched, is
//! the required antivirus running, does the firmware only boot signed code?

use std::time::Duration;

use super::Observation;
use crate::i18n::Message;

const EXPECTED_UPDATES: &str = "no security updates pending";
/// An update list older than this cannot vouch for "nothing pending".
pub const STALE_UPDATE_CACHE: Duration = Duration::from_secs(14 * 24 * 3600);

/// PackageKit's answer (the daemon on the system bus).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PackageKit {
    /// Not on the bus and not activatable.
    Absent,
    Error(String),
    Read {
        security_pending: u32,
        other_pending: u32,
        /// Since the package lists were last refreshed.
        cache_age: Option<Duration>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinuxUpdates {
    pub packagekit: PackageKit,
    /// unattended-upgrades (Debian, Ubuntu): None when not installed.
    pub unattended_upgrades: Option<bool>,
}

pub fn decide_linux_updates(u: &LinuxUpdates) -> Observation {
    match &u.packagekit {
        PackageKit::Absent => Observation::unknown_because(
            EXPECTED_UPDATES,
            Message::new("check-os-updates-reason-no-packagekit"),
        ),
        PackageKit::Error(e) => Observation::unknown_because(
            EXPECTED_UPDATES,
            Message::new("check-os-updates-reason-packagekit-error").arg("error", e.as_str()),
        ),
        PackageKit::Read {
            security_pending,
            other_pending,
            cache_age,
        } => {
            if *security_pending > 0 {
                return Observation::fail(
                    "security_updates_pending",
                    EXPECTED_UPDATES,
                    Message::new("check-os-updates-security-pending")
                        .number("count", *security_pending),
                );
            }
            if cache_age.is_some_and(|a| a > STALE_UPDATE_CACHE) {
                let days = cache_age.map(|a| a.as_secs() / 86_400).unwrap_or(0);
                return Observation::fail(
                    "update_check_stale",
                    EXPECTED_UPDATES,
                    Message::new("check-os-updates-stale")
                        .number("days", i64::try_from(days).unwrap_or(i64::MAX)),
                );
            }
            if u.unattended_upgrades == Some(false) {
                return Observation::fail(
                    "automatic_updates_off",
                    EXPECTED_UPDATES,
                    Message::new("check-os-updates-linux-automatic-off"),
                );
            }
            Observation::pass(
                "up_to_date",
                EXPECTED_UPDATES,
                if *other_pending > 0 {
                    Message::new("check-os-updates-only-other-pending")
                        .number("count", *other_pending)
                } else {
                    Message::new("check-os-updates-none-pending")
                },
            )
        }
    }
}

/// Windows: automatic updates configured (None: not known) and the build.
pub fn decide_windows_updates(
    automatic: Option<bool>,
    build: Option<u32>,
    min_build: u32,
) -> Observation {
    let expected = if min_build > 0 {
        format!("automatic updates on, build {min_build} or later")
    } else {
        "automatic updates on".to_string()
    };
    match build {
        Some(b) if b < min_build => {
            return Observation::fail(
                "os_too_old",
                &expected,
                Message::new("check-os-updates-windows-too-old")
                    .arg("build", b.to_string())
                    .arg("min", min_build.to_string()),
            )
        }
        None if min_build > 0 => {
            return Observation::unknown_because(
                &expected,
                Message::new("check-os-updates-reason-windows-build"),
            )
        }
        _ => {}
    }
    match automatic {
        Some(true) => Observation::pass(
            "up_to_date",
            &expected,
            Message::new("check-os-updates-windows-automatic"),
        ),
        Some(false) => Observation::fail(
            "automatic_updates_off",
            &expected,
            Message::new("check-os-updates-windows-automatic-off"),
        ),
        None => Observation::unknown_because(
            &expected,
            Message::new("check-os-updates-reason-windows-update-unread"),
        ),
    }
}

/// Dotted versions compared number by number ("14.10" > "14.9").
pub fn version_at_least(have: &str, want: &str) -> bool {
    let nums = |s: &str| -> Vec<u64> {
        s.trim()
            .split('.')
            .map(|p| p.parse().unwrap_or(0))
            .collect()
    };
    let (h, w) = (nums(have), nums(want));
    for i in 0..h.len().max(w.len()) {
        let (a, b) = (
            h.get(i).copied().unwrap_or(0),
            w.get(i).copied().unwrap_or(0),
        );
        if a != b {
            return a > b;
        }
    }
    true
}

pub fn decide_macos_updates(version: Option<&str>, min: &str) -> Observation {
    let expected = if min.is_empty() {
        "a supported macOS".to_string()
    } else {
        format!("macOS {min} or later")
    };
    match version {
        None => Observation::unknown_because(
            &expected,
            Message::new("check-os-updates-reason-macos-version"),
        ),
        Some(v) if !min.is_empty() && !version_at_least(v, min) => Observation::fail(
            "os_too_old",
            &expected,
            Message::new("check-os-updates-macos-too-old")
                .arg("version", v)
                .arg("min", min),
        ),
        Some(v) => Observation::pass(
            "up_to_date",
            &expected,
            Message::new("check-os-updates-macos-version").arg("version", v),
        ),
    }
}

const EXPECTED_AV: &str = "antivirus on, signatures current";

/// One product registered with Windows Security Center.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WscProduct {
    pub name: String,
    /// `productState`: bits 12–13 say on (0x1000) or snoozed (0x2000),
    /// bits 4–7 say the signatures are out of date (0x10).
    pub state: u32,
    /// When the product last reported (RFC 1123 text as WSC keeps it, or
    /// any sortable form); used to drop stale duplicates.
    pub updated: Option<String>,
}

impl WscProduct {
    pub fn enabled(&self) -> bool {
        (self.state >> 12) & 0x3 == 0x1
    }

    pub fn up_to_date(&self) -> bool {
        (self.state >> 4) & 0xF == 0
    }
}

/// Uninstalled products often leave their entry behind: of several entries
/// with the same name, only the most recently updated one counts.
pub fn decide_wsc_antivirus(products: &[WscProduct]) -> Observation {
    if products.is_empty() {
        return Observation::unknown_because(
            EXPECTED_AV,
            Message::new("check-antivirus-reason-wsc-none"),
        );
    }
    let mut current: Vec<&WscProduct> = Vec::new();
    for p in products {
        match current.iter_mut().find(|c| c.name == p.name) {
            Some(c) => {
                if p.updated > c.updated {
                    *c = p;
                }
            }
            None => current.push(p),
        }
    }
    let on: Vec<&&WscProduct> = current.iter().filter(|p| p.enabled()).collect();
    if on.iter().any(|p| p.up_to_date()) {
        Observation::pass("av_on", EXPECTED_AV, Message::new("check-antivirus-on"))
    } else if !on.is_empty() {
        Observation::fail(
            "av_signatures_stale",
            EXPECTED_AV,
            Message::new("check-antivirus-signatures-stale"),
        )
    } else {
        Observation::fail("av_off", EXPECTED_AV, Message::new("check-antivirus-off"))
    }
}

/// Linux and macOS: only what policy names (processes or units) is looked
/// for; `running` says whether one of them was found.
pub fn decide_named_antivirus(named: &[String], running: Option<bool>) -> Observation {
    if named.is_empty() {
        return Observation::not_applicable_because(Message::new("check-antivirus-not-named"));
    }
    match running {
        Some(true) => Observation::pass(
            "av_running",
            EXPECTED_AV,
            Message::new("check-antivirus-running"),
        ),
        Some(false) => Observation::fail(
            "av_not_running",
            EXPECTED_AV,
            Message::new("check-antivirus-not-running"),
        ),
        None => Observation::unknown_because(
            EXPECTED_AV,
            Message::new("check-antivirus-reason-processes-unlisted"),
        ),
    }
}

const EXPECTED_SB: &str = "secure_boot_on";

/// Linux: whether the machine booted through UEFI, and the `SecureBoot`
/// EFI variable (4 attribute bytes, then the value), or why it could not
/// be read.
pub fn decide_linux_secure_boot(uefi: bool, var: Result<Option<Vec<u8>>, String>) -> Observation {
    if !uefi {
        return Observation::fail(
            "legacy_boot",
            EXPECTED_SB,
            Message::new("check-secure-boot-legacy"),
        );
    }
    match var {
        Err(e) => Observation::unknown_because(
            EXPECTED_SB,
            Message::new("check-secure-boot-reason-efi-error").arg("error", e),
        ),
        Ok(None) => Observation::fail(
            "unsupported",
            EXPECTED_SB,
            Message::new("check-secure-boot-unsupported"),
        ),
        Ok(Some(bytes)) => match bytes.get(4) {
            Some(1) => Observation::pass(
                "secure_boot_on",
                EXPECTED_SB,
                Message::new("check-secure-boot-on"),
            ),
            Some(0) => Observation::fail(
                "secure_boot_off",
                EXPECTED_SB,
                Message::new("check-secure-boot-off"),
            ),
            _ => Observation::unknown_because(
                EXPECTED_SB,
                Message::new("check-secure-boot-reason-efi-unexpected"),
            ),
        },
    }
}

/// Windows: UEFI or legacy, and `UEFISecureBootEnabled`.
pub fn decide_windows_secure_boot(uefi: Option<bool>, enabled: Option<bool>) -> Observation {
    match (uefi, enabled) {
        (Some(false), _) => Observation::fail(
            "legacy_boot",
            EXPECTED_SB,
            Message::new("check-secure-boot-windows-legacy"),
        ),
        (_, Some(true)) => Observation::pass(
            "secure_boot_on",
            EXPECTED_SB,
            Message::new("check-secure-boot-on"),
        ),
        (_, Some(false)) => Observation::fail(
            "secure_boot_off",
            EXPECTED_SB,
            Message::new("check-secure-boot-off"),
        ),
        (_, None) => Observation::unknown_because(
            EXPECTED_SB,
            Message::new("check-secure-boot-reason-windows-unreported"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::super::CheckResult::{self, *};
    use super::*;

    #[test]
    fn linux_updates() {
        let pk = |s, o, days: Option<u64>| PackageKit::Read {
            security_pending: s,
            other_pending: o,
            cache_age: days.map(|d| Duration::from_secs(d * 86_400)),
        };
        let u = |packagekit, unattended_upgrades| LinuxUpdates {
            packagekit,
            unattended_upgrades,
        };
        let table: Vec<(LinuxUpdates, CheckResult, &str)> = vec![
            (u(pk(0, 0, Some(1)), None), Pass, "up_to_date"),
            (u(pk(0, 12, Some(1)), Some(true)), Pass, "up_to_date"),
            (
                u(pk(3, 12, Some(1)), Some(true)),
                Fail,
                "security_updates_pending",
            ),
            (
                u(pk(0, 0, Some(30)), Some(true)),
                Fail,
                "update_check_stale",
            ),
            (
                u(pk(0, 0, None), Some(false)),
                Fail,
                "automatic_updates_off",
            ),
            (u(PackageKit::Absent, None), Unknown, "unknown"),
            (
                u(PackageKit::Error("timed out".into()), None),
                Unknown,
                "unknown",
            ),
        ];
        for (facts, result, observed) in table {
            let o = decide_linux_updates(&facts);
            assert_eq!(
                (o.result, o.observed.as_str()),
                (result, observed),
                "{facts:?}"
            );
        }
    }

    #[test]
    fn windows_and_macos_updates() {
        assert_eq!(
            decide_windows_updates(Some(true), Some(22631), 19045).result,
            Pass
        );
        assert_eq!(
            decide_windows_updates(Some(true), Some(19044), 19045).observed,
            "os_too_old"
        );
        assert_eq!(
            decide_windows_updates(Some(false), Some(22631), 0).result,
            Fail
        );
        assert_eq!(
            decide_windows_updates(Some(true), None, 19045).result,
            Unknown
        );
        assert!(version_at_least("14.10", "14.9"));
        assert!(version_at_least("14.4", "14.4.0"));
        assert!(!version_at_least("13.6.1", "14"));
        assert_eq!(decide_macos_updates(Some("13.6"), "14.0").result, Fail);
        assert_eq!(decide_macos_updates(Some("14.5"), "14.0").result, Pass);
    }

    #[test]
    fn security_center_products_with_stale_duplicates() {
        let p = |name: &str, state, updated: &str| WscProduct {
            name: name.into(),
            state,
            updated: Some(updated.into()),
        };
        let table: Vec<(Vec<WscProduct>, CheckResult, &str)> = vec![
            // Defender on and current (0x61100).
            (
                vec![p("Microsoft Defender Antivirus", 0x61100, "2026-11-30")],
                Pass,
                "av_on",
            ),
            // Defender off (0x60100) because a third-party product is on.
            (
                vec![
                    p("Microsoft Defender Antivirus", 0x60100, "2026-11-30"),
                    p("Sophos", 0x41000, "2026-11-30"),
                ],
                Pass,
                "av_on",
            ),
            // On, definitions out of date (0x61110).
            (
                vec![p("Microsoft Defender Antivirus", 0x61110, "2026-11-30")],
                Fail,
                "av_signatures_stale",
            ),
            (
                vec![p("Microsoft Defender Antivirus", 0x60100, "2026-11-30")],
                Fail,
                "av_off",
            ),
            // An old entry of an uninstalled suite says "on"; its newer entry says off.
            (
                vec![
                    p("Norton", 0x61000, "2024-01-01"),
                    p("Norton", 0x60000, "2026-11-30"),
                    p("Microsoft Defender Antivirus", 0x60100, "2026-11-30"),
                ],
                Fail,
                "av_off",
            ),
            // A stale "off" entry does not hide the current "on" one.
            (
                vec![
                    p("Sophos", 0x40000, "2023-05-01"),
                    p("Sophos", 0x41000, "2026-11-30"),
                ],
                Pass,
                "av_on",
            ),
            (vec![], Unknown, "unknown"),
        ];
        for (products, result, observed) in table {
            let o = decide_wsc_antivirus(&products);
            assert_eq!(
                (o.result, o.observed.as_str()),
                (result, observed),
                "{products:?}"
            );
        }
        assert_eq!(
            decide_named_antivirus(&[], Some(false)).result,
            NotApplicable
        );
        let named = vec!["clamd".to_string()];
        assert_eq!(decide_named_antivirus(&named, Some(true)).result, Pass);
        assert_eq!(decide_named_antivirus(&named, Some(false)).result, Fail);
    }

    #[test]
    fn secure_boot() {
        let var = |v: u8| Ok(Some(vec![6, 0, 0, 0, v]));
        assert_eq!(decide_linux_secure_boot(true, var(1)).result, Pass);
        assert_eq!(decide_linux_secure_boot(true, var(0)).result, Fail);
        assert_eq!(
            decide_linux_secure_boot(true, Ok(None)).observed,
            "unsupported"
        );
        assert_eq!(
            decide_linux_secure_boot(false, Ok(None)).observed,
            "legacy_boot"
        );
        assert_eq!(
            decide_linux_secure_boot(true, Err("denied".into())).result,
            Unknown
        );
        assert_eq!(
            decide_windows_secure_boot(Some(true), Some(true)).result,
            Pass
        );
        assert_eq!(decide_windows_secure_boot(Some(false), None).result, Fail);
        assert_eq!(decide_windows_secure_boot(None, None).result, Unknown);
    }
}

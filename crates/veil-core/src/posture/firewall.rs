//! `firewall`: is a personal firewall on? Linux asks firewalld over D-Bus,
//! else reads ufw's own configuration and unit state (its rules need root,
//! so that is "configured", not "verified"); Windows combines Security
//! Center's firewall health (third-party firewalls count) with the active
//! profiles of Windows Firewall; macOS reads the application firewall.

use super::Observation;
use crate::i18n::Message;

const EXPECTED: &str = "firewall_on";

/// firewalld as its D-Bus service shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Firewalld {
    /// No firewalld on the system bus and no unit file.
    NotInstalled,
    /// Installed (a unit file) but not running.
    Stopped,
    Running {
        /// The default zone's target (`default`, `ACCEPT`, `DROP`, ...).
        default_zone_target: Option<String>,
        default_zone: String,
    },
    /// The bus answered with an error.
    Error(String),
}

/// ufw, from `/etc/ufw/ufw.conf` and its systemd unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ufw {
    /// `ENABLED=yes`; None: the file is absent (ufw not installed).
    pub enabled_in_config: Option<bool>,
    /// `ufw.service` active; None: not known.
    pub unit_active: Option<bool>,
}

pub fn decide_linux(firewalld: &Firewalld, ufw: &Ufw) -> Observation {
    match firewalld {
        Firewalld::Running {
            default_zone_target,
            default_zone,
        } => {
            if default_zone == "trusted" || default_zone_target.as_deref() == Some("ACCEPT") {
                return Observation::fail(
                    "firewalld_accepts_all",
                    EXPECTED,
                    Message::new("check-firewall-firewalld-accepts-all"),
                );
            }
            return Observation::pass(
                "firewalld_running",
                EXPECTED,
                Message::new("check-firewall-firewalld-running"),
            );
        }
        Firewalld::Stopped if ufw.enabled_in_config != Some(true) => {
            return Observation::fail(
                "firewalld_stopped",
                EXPECTED,
                Message::new("check-firewall-firewalld-stopped"),
            );
        }
        _ => {}
    }
    match (ufw.enabled_in_config, ufw.unit_active) {
        (Some(true), Some(false)) => Observation::fail(
            "ufw_inactive",
            EXPECTED,
            Message::new("check-firewall-ufw-inactive"),
        ),
        (Some(true), _) => Observation::pass(
            "ufw_configured",
            EXPECTED,
            Message::new("check-firewall-ufw-configured"),
        ),
        (Some(false), _) => {
            Observation::fail("ufw_off", EXPECTED, Message::new("check-firewall-ufw-off"))
        }
        (None, _) => match firewalld {
            Firewalld::Error(e) => Observation::unknown_because(
                EXPECTED,
                Message::new("check-firewall-reason-firewalld-error").arg("error", e.as_str()),
            ),
            _ => Observation::unknown_because(
                EXPECTED,
                Message::new("check-firewall-reason-none-installed"),
            ),
        },
    }
}

/// Windows: Security Center's firewall health (`WSC_SECURITY_PROVIDER_HEALTH`:
/// 0 good, 1 not monitored, 2 poor, 3 snoozed) and, per active profile,
/// whether Windows Firewall is on.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WindowsFirewall {
    pub wsc_health: Option<u32>,
    pub active_profiles_on: Option<Vec<bool>>,
}

pub fn decide_windows(f: &WindowsFirewall) -> Observation {
    // No active profile (no network): Windows Firewall's state says nothing.
    let profiles_on = f
        .active_profiles_on
        .as_ref()
        .filter(|p| !p.is_empty())
        .map(|p| p.iter().all(|on| *on));
    match (f.wsc_health, profiles_on) {
        (Some(0), _) | (_, Some(true)) => Observation::pass(
            "firewall_on",
            EXPECTED,
            Message::new("check-firewall-windows-on"),
        ),
        (Some(2 | 3), _) | (_, Some(false)) => Observation::fail(
            "firewall_off",
            EXPECTED,
            Message::new("check-firewall-windows-off"),
        ),
        _ => Observation::unknown_because(
            EXPECTED,
            Message::new("check-firewall-reason-windows-unreported"),
        ),
    }
}

/// macOS application firewall: `globalstate` 0 off, 1 on, 2 blocks all.
pub fn decide_macos(global_state: Option<u32>) -> Observation {
    match global_state {
        Some(1 | 2) => Observation::pass(
            "firewall_on",
            EXPECTED,
            Message::new("check-firewall-macos-on"),
        ),
        Some(0) => Observation::fail(
            "firewall_off",
            EXPECTED,
            Message::new("check-firewall-macos-off"),
        ),
        _ => Observation::unknown_because(
            EXPECTED,
            Message::new("check-firewall-reason-macos-unread"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::super::CheckResult::{self, *};
    use super::*;

    #[test]
    fn linux_firewalls() {
        let running = |zone: &str, target: Option<&str>| Firewalld::Running {
            default_zone: zone.into(),
            default_zone_target: target.map(Into::into),
        };
        let ufw = |cfg, unit| Ufw {
            enabled_in_config: cfg,
            unit_active: unit,
        };
        let table: Vec<(Firewalld, Ufw, CheckResult, &str)> = vec![
            (
                running("public", Some("default")),
                ufw(None, None),
                Pass,
                "firewalld_running",
            ),
            (
                running("trusted", Some("ACCEPT")),
                ufw(None, None),
                Fail,
                "firewalld_accepts_all",
            ),
            (
                Firewalld::Stopped,
                ufw(None, None),
                Fail,
                "firewalld_stopped",
            ),
            (
                Firewalld::Stopped,
                ufw(Some(true), Some(true)),
                Pass,
                "ufw_configured",
            ),
            (
                Firewalld::NotInstalled,
                ufw(Some(true), Some(true)),
                Pass,
                "ufw_configured",
            ),
            (
                Firewalld::NotInstalled,
                ufw(Some(true), None),
                Pass,
                "ufw_configured",
            ),
            (
                Firewalld::NotInstalled,
                ufw(Some(true), Some(false)),
                Fail,
                "ufw_inactive",
            ),
            (
                Firewalld::NotInstalled,
                ufw(Some(false), Some(true)),
                Fail,
                "ufw_off",
            ),
            (Firewalld::NotInstalled, ufw(None, None), Unknown, "unknown"),
            (
                Firewalld::Error("timeout".into()),
                ufw(None, None),
                Unknown,
                "unknown",
            ),
        ];
        for (fd, u, result, observed) in table {
            let o = decide_linux(&fd, &u);
            assert_eq!(
                (o.result, o.observed.as_str()),
                (result, observed),
                "{fd:?} {u:?}"
            );
        }
    }

    #[test]
    fn windows_and_macos() {
        let w = |h, p: Option<Vec<bool>>| WindowsFirewall {
            wsc_health: h,
            active_profiles_on: p,
        };
        for (f, result) in [
            (w(Some(0), Some(vec![false])), Pass), // a third-party firewall
            (w(None, Some(vec![true, true])), Pass),
            (w(Some(2), None), Fail),
            (w(None, Some(vec![true, false])), Fail),
            (w(Some(1), None), Unknown),
            (w(None, Some(vec![])), Unknown),
            (w(None, None), Unknown),
        ] {
            assert_eq!(decide_windows(&f).result, result, "{f:?}");
        }
        assert_eq!(decide_macos(Some(1)).result, Pass);
        assert_eq!(decide_macos(Some(0)).result, Fail);
        assert_eq!(decide_macos(None).result, Unknown);
    }
}

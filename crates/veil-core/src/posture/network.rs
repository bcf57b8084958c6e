//! `wifi` and `vpn`: is the Wi-Fi this computer uses protected, and is the
//! company's VPN up where policy requires it? Only the kind of security and
//! whether a tunnel is up are kept: never a network's name or address.

use super::{glob_match, Observation};
use crate::i18n::Message;

const EXPECTED_WIFI: &str = "wpa2, wpa3 or owe";

/// NetworkManager's `NM80211ApSecurityFlags`.
pub mod nm_flags {
    pub const AP_PRIVACY: u32 = 0x1;
    pub const PAIR_WEP40: u32 = 0x1;
    pub const PAIR_WEP104: u32 = 0x2;
    pub const KEY_MGMT_PSK: u32 = 0x100;
    pub const KEY_MGMT_802_1X: u32 = 0x200;
    pub const KEY_MGMT_SAE: u32 = 0x400;
    pub const KEY_MGMT_OWE: u32 = 0x800;
    pub const KEY_MGMT_OWE_TM: u32 = 0x1000;
    pub const KEY_MGMT_EAP_SUITE_B_192: u32 = 0x2000;
}

/// An access point this computer is connected to, as NetworkManager
/// describes it (`Flags`, `WpaFlags`, `RsnFlags`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccessPoint {
    pub flags: u32,
    pub wpa_flags: u32,
    pub rsn_flags: u32,
}

/// The security of one access point: an observed token and whether it is
/// enough.
pub fn ap_security(ap: &AccessPoint) -> (&'static str, bool) {
    use nm_flags::*;
    let rsn = ap.rsn_flags;
    if rsn & (KEY_MGMT_SAE | KEY_MGMT_EAP_SUITE_B_192) != 0 {
        ("wpa3", true)
    } else if rsn & KEY_MGMT_802_1X != 0 {
        ("wpa2_enterprise", true)
    } else if rsn & KEY_MGMT_PSK != 0 {
        ("wpa2", true)
    } else if rsn & (KEY_MGMT_OWE | KEY_MGMT_OWE_TM) != 0 {
        ("owe", true)
    } else if ap.wpa_flags & (KEY_MGMT_PSK | KEY_MGMT_802_1X) != 0 {
        // WPA (TKIP) is broken; routers offer WPA2 alongside it.
        ("wpa1", false)
    } else if ap.flags & AP_PRIVACY != 0 || (ap.wpa_flags | rsn) & (PAIR_WEP40 | PAIR_WEP104) != 0 {
        ("wep", false)
    } else {
        ("open", false)
    }
}

fn wifi_result(token: &'static str, ok: bool) -> Observation {
    if ok {
        // The names of the standards, the same in every language.
        let name = match token {
            "wpa3" => "WPA3",
            "wpa2_enterprise" => "WPA2-Enterprise",
            "wpa2" => "WPA2",
            _ => "Enhanced Open (OWE)",
        };
        Observation::pass(
            token,
            EXPECTED_WIFI,
            Message::new("check-wifi-protected").arg("security", name),
        )
    } else {
        Observation::fail(
            token,
            EXPECTED_WIFI,
            match token {
                "wpa1" => Message::new("check-wifi-weak-wpa1"),
                "wep" => Message::new("check-wifi-weak-wep"),
                _ => Message::new("check-wifi-weak-open"),
            },
        )
    }
}

/// NetworkManager's view: None when NetworkManager is not on the bus.
/// Each active Wi-Fi connection's access point; the weakest decides.
pub fn decide_nm_wifi(aps: Option<&[AccessPoint]>) -> Observation {
    let Some(aps) = aps else {
        return Observation::unknown_because(
            EXPECTED_WIFI,
            Message::new("check-wifi-reason-no-networkmanager"),
        );
    };
    if aps.is_empty() {
        return Observation::not_applicable_because(Message::new("check-wifi-not-connected"));
    }
    let mut worst: Option<(&'static str, bool)> = None;
    for ap in aps {
        let s = ap_security(ap);
        if worst.is_none_or(|w| w.1 && !s.1) {
            worst = Some(s);
        }
    }
    let (token, ok) = worst.unwrap_or(("open", false));
    wifi_result(token, ok)
}

/// Windows: the connected network's `DOT11_AUTH_ALGORITHM`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WindowsWifi {
    NotConnected,
    Auth(u32),
    /// Windows 11 asks for location permission before it names networks.
    NoPermission,
    Error(String),
}

pub fn decide_windows_wifi(w: &WindowsWifi) -> Observation {
    match w {
        WindowsWifi::NotConnected => {
            Observation::not_applicable_because(Message::new("check-wifi-not-connected"))
        }
        WindowsWifi::NoPermission => Observation::unknown_because(
            EXPECTED_WIFI,
            Message::new("check-wifi-reason-windows-location"),
        ),
        WindowsWifi::Error(e) => Observation::unknown(EXPECTED_WIFI, e.clone()),
        WindowsWifi::Auth(a) => match a {
            1 => wifi_result("open", false),
            2 => wifi_result("wep", false),
            3..=5 => wifi_result("wpa1", false),
            6 | 11 => wifi_result("wpa2_enterprise", true),
            7 => wifi_result("wpa2", true),
            8 | 9 => wifi_result("wpa3", true),
            10 => wifi_result("owe", true),
            other => Observation::unknown_because(
                EXPECTED_WIFI,
                Message::new("check-wifi-reason-windows-unfamiliar")
                    .arg("value", other.to_string()),
            ),
        },
    }
}

const EXPECTED_VPN: &str = "vpn_up";

/// What shows a tunnel: NetworkManager's active VPN or WireGuard
/// connections (None: not known) and the names of interfaces that are up.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct VpnFacts {
    pub nm_vpn_active: Option<bool>,
    pub interfaces_up: Vec<String>,
}

pub fn decide_vpn(f: &VpnFacts, required: bool, patterns: &[String]) -> Observation {
    if !required {
        return Observation::not_applicable_because(Message::new("check-vpn-not-required"));
    }
    let by_name = f
        .interfaces_up
        .iter()
        .any(|i| patterns.iter().any(|p| glob_match(p, i)));
    if by_name || f.nm_vpn_active == Some(true) {
        return Observation::pass(
            EXPECTED_VPN,
            EXPECTED_VPN,
            Message::new("check-vpn-connected"),
        );
    }
    if patterns.is_empty() && f.nm_vpn_active.is_none() {
        return Observation::unknown_because(
            EXPECTED_VPN,
            Message::new("check-vpn-reason-no-way-to-tell"),
        );
    }
    Observation::fail("vpn_down", EXPECTED_VPN, Message::new("check-vpn-down"))
}

#[cfg(test)]
mod tests {
    use super::super::CheckResult::{self, *};
    use super::nm_flags::*;
    use super::*;

    #[test]
    fn networkmanager_flag_combinations() {
        let ap = |flags, wpa_flags, rsn_flags| AccessPoint {
            flags,
            wpa_flags,
            rsn_flags,
        };
        // (flags, wpa, rsn) as NetworkManager reports them for real routers.
        let table: &[(AccessPoint, &str, bool)] = &[
            (ap(0, 0, 0), "open", false),
            (ap(AP_PRIVACY, 0, 0), "wep", false),
            (ap(AP_PRIVACY, 0x4 | 0x40 | KEY_MGMT_PSK, 0), "wpa1", false),
            (ap(AP_PRIVACY, 0, 0x8 | 0x80 | KEY_MGMT_PSK), "wpa2", true),
            // WPA/WPA2 mixed mode: the router also offers WPA2.
            (
                ap(
                    AP_PRIVACY,
                    0x4 | 0x40 | KEY_MGMT_PSK,
                    0x8 | 0x80 | KEY_MGMT_PSK,
                ),
                "wpa2",
                true,
            ),
            // WPA2/WPA3 transition mode.
            (
                ap(AP_PRIVACY, 0, 0x88 | KEY_MGMT_PSK | KEY_MGMT_SAE),
                "wpa3",
                true,
            ),
            (ap(AP_PRIVACY, 0, 0x88 | KEY_MGMT_SAE), "wpa3", true),
            (
                ap(AP_PRIVACY, 0, 0x88 | KEY_MGMT_802_1X),
                "wpa2_enterprise",
                true,
            ),
            (ap(0, 0, 0x88 | KEY_MGMT_OWE), "owe", true),
            (ap(0, 0, KEY_MGMT_OWE_TM), "owe", true),
        ];
        for (a, token, ok) in table {
            assert_eq!(ap_security(a), (*token, *ok), "{a:?}");
        }
        let good = ap(AP_PRIVACY, 0, 0x88 | KEY_MGMT_PSK);
        let bad = ap(0, 0, 0);
        assert_eq!(decide_nm_wifi(Some(&[good])).result, Pass);
        assert_eq!(decide_nm_wifi(Some(&[good, bad])).observed, "open");
        assert_eq!(decide_nm_wifi(Some(&[])).result, NotApplicable);
        assert_eq!(decide_nm_wifi(None).result, Unknown);
    }

    #[test]
    fn windows_auth_algorithms() {
        for (w, result) in [
            (WindowsWifi::Auth(1), Fail),
            (WindowsWifi::Auth(2), Fail),
            (WindowsWifi::Auth(7), Pass),
            (WindowsWifi::Auth(9), Pass),
            (WindowsWifi::Auth(10), Pass),
            (WindowsWifi::NoPermission, Unknown),
            (WindowsWifi::NotConnected, NotApplicable),
        ] {
            assert_eq!(decide_windows_wifi(&w).result, result, "{w:?}");
        }
    }

    #[test]
    fn vpn() {
        let f = |nm, ifs: &[&str]| VpnFacts {
            nm_vpn_active: nm,
            interfaces_up: ifs.iter().map(|s| s.to_string()).collect(),
        };
        let pats = vec!["wg*".to_string(), "tun0".to_string()];
        let table: Vec<(VpnFacts, bool, Vec<String>, CheckResult)> = vec![
            (f(None, &["eth0"]), false, pats.clone(), NotApplicable),
            (f(Some(false), &["eth0", "wg0"]), true, pats.clone(), Pass),
            (f(Some(true), &["eth0"]), true, vec![], Pass),
            (f(Some(false), &["eth0", "tun1"]), true, pats.clone(), Fail),
            (f(None, &["eth0"]), true, pats.clone(), Fail),
            (f(None, &["eth0"]), true, vec![], Unknown),
        ];
        for (facts, required, p, result) in table {
            assert_eq!(
                decide_vpn(&facts, required, &p).result,
                result,
                "{facts:?} {p:?}"
            );
        }
    }
}

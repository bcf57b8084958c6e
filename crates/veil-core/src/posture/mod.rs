//! Device posture (pure): what the company's rules ask of the agent's
//! computer (disk encryption, firewall, screen lock, updates, antivirus,
//! Wi-Fi, VPN, Secure Boot), how raw facts from the OS become a result, how
//! results are kept from flapping, and what the agent is told to do.
//!
//! Probes in veil-os gather facts and call the `decide` functions here; the
//! app feeds the observations to a [`Tracker`].

pub mod disk;
pub mod firewall;
pub mod fixes;
pub mod network;
pub mod screen_lock;
pub mod system;
pub mod tracker;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use tracker::Tracker;

/// One check. Its name (`disk_encryption`, ...) is a contract: policy's
/// `posture.required`, `veil status --json`, `veil posture` and the
/// `posture_changed` record use it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CheckId {
    DiskEncryption,
    Firewall,
    ScreenLock,
    OsUpdates,
    Antivirus,
    Wifi,
    Vpn,
    SecureBoot,
}

impl CheckId {
    pub const ALL: [CheckId; 8] = [
        CheckId::DiskEncryption,
        CheckId::Firewall,
        CheckId::ScreenLock,
        CheckId::OsUpdates,
        CheckId::Antivirus,
        CheckId::Wifi,
        CheckId::Vpn,
        CheckId::SecureBoot,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CheckId::DiskEncryption => "disk_encryption",
            CheckId::Firewall => "firewall",
            CheckId::ScreenLock => "screen_lock",
            CheckId::OsUpdates => "os_updates",
            CheckId::Antivirus => "antivirus",
            CheckId::Wifi => "wifi",
            CheckId::Vpn => "vpn",
            CheckId::SecureBoot => "secure_boot",
        }
    }

    pub fn parse(s: &str) -> Option<CheckId> {
        CheckId::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The check's name for the agent.
    pub fn title(self) -> &'static str {
        match self {
            CheckId::DiskEncryption => "Disk encryption",
            CheckId::Firewall => "Firewall",
            CheckId::ScreenLock => "Screen lock",
            CheckId::OsUpdates => "Security updates",
            CheckId::Antivirus => "Antivirus",
            CheckId::Wifi => "Wi-Fi security",
            CheckId::Vpn => "VPN",
            CheckId::SecureBoot => "Secure Boot",
        }
    }

    /// Why it matters, in one line, from the company's work-from-home rules.
    pub fn why(self) -> &'static str {
        match self {
            CheckId::DiskEncryption => "If this laptop is lost or stolen, an encrypted disk keeps customers' data unreadable.",
            CheckId::Firewall => "A home network is less protected than the office; a personal firewall keeps others on it out of this computer.",
            CheckId::ScreenLock => "A screen that locks itself keeps family and visitors from seeing customers' data when you step away.",
            CheckId::OsUpdates => "Security updates close the holes attackers use; a computer that handles card numbers must have them.",
            CheckId::Antivirus => "Your organization requires its antivirus to run on every computer used for customer work.",
            CheckId::Wifi => "An open or WEP Wi-Fi lets anyone nearby join your network and watch its traffic.",
            CheckId::Vpn => "Your organization's systems must be reached through its VPN, so work traffic stays encrypted.",
            CheckId::SecureBoot => "Secure Boot stops malware that loads before the operating system, where nothing else can see it.",
        }
    }
}

/// A check's outcome. `Unknown` is never a failure: it means Veil could not
/// tell, and `reason` says why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CheckResult {
    Pass,
    Fail,
    Unknown,
    NotApplicable,
}

impl CheckResult {
    pub fn as_str(self) -> &'static str {
        match self {
            CheckResult::Pass => "pass",
            CheckResult::Fail => "fail",
            CheckResult::Unknown => "unknown",
            CheckResult::NotApplicable => "not_applicable",
        }
    }
}

/// What one run of a check found. `observed` is a short token from a fixed
/// vocabulary (README: "Device posture"), never an SSID, address or
/// process list; `detail` says it in plain words for the agent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Observation {
    pub result: CheckResult,
    pub observed: String,
    pub expected: String,
    /// Why the result is `unknown` or `not_applicable`.
    pub reason: Option<String>,
    /// The finding in plain words ("The disk holding / is not encrypted.").
    pub detail: String,
}

impl Observation {
    pub fn new(
        result: CheckResult,
        observed: impl Into<String>,
        expected: impl Into<String>,
        detail: impl Into<String>,
    ) -> Self {
        Self {
            result,
            observed: observed.into(),
            expected: expected.into(),
            reason: None,
            detail: detail.into(),
        }
    }

    pub fn pass(observed: &str, expected: &str, detail: impl Into<String>) -> Self {
        Self::new(CheckResult::Pass, observed, expected, detail)
    }

    pub fn fail(observed: &str, expected: &str, detail: impl Into<String>) -> Self {
        Self::new(CheckResult::Fail, observed, expected, detail)
    }

    /// Could not tell: `reason` is for the record and the card.
    pub fn unknown(expected: &str, reason: impl Into<String>) -> Self {
        let reason = reason.into();
        Self {
            result: CheckResult::Unknown,
            observed: "unknown".into(),
            expected: expected.into(),
            detail: format!("Veil could not check this: {reason}."),
            reason: Some(reason),
        }
    }

    pub fn not_applicable(reason: impl Into<String>) -> Self {
        let reason = reason.into();
        Self {
            result: CheckResult::NotApplicable,
            observed: "not_applicable".into(),
            expected: String::new(),
            detail: format!("Does not apply: {reason}."),
            reason: Some(reason),
        }
    }
}

/// Which OS and desktop the fix text is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Platform {
    Windows,
    Macos,
    Gnome,
    Kde,
    /// Linux with another desktop (or none known).
    LinuxOther,
}

impl Platform {
    /// The OS this was built for; on Linux the app names the desktop.
    pub fn native_default() -> Platform {
        if cfg!(windows) {
            Platform::Windows
        } else if cfg!(target_os = "macos") {
            Platform::Macos
        } else {
            Platform::LinuxOther
        }
    }

    /// From `XDG_CURRENT_DESKTOP` (`ubuntu:GNOME`, `KDE`).
    pub fn linux_desktop(xdg_current_desktop: &str) -> Platform {
        let parts: Vec<String> = xdg_current_desktop
            .split(':')
            .map(|p| p.trim().to_ascii_uppercase())
            .collect();
        if parts.iter().any(|p| p == "GNOME" || p == "UNITY") {
            Platform::Gnome
        } else if parts.iter().any(|p| p == "KDE") {
            Platform::Kde
        } else {
            Platform::LinuxOther
        }
    }
}

/// What policy asks (`posture.*`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PostureConfig {
    pub required: Vec<CheckId>,
    /// A newly failing required check may be fixed within this; zero: at once.
    pub grace: std::time::Duration,
    pub check_every: std::time::Duration,
    /// The lowest Windows build accepted (0: any).
    pub min_windows_build: u32,
    /// The lowest macOS version accepted ("14.4"; empty: any).
    pub min_macos_version: String,
    /// Interface name patterns (`wg*`, `tun0`) that count as the VPN.
    pub vpn_interfaces: Vec<String>,
    /// Processes or units (Linux, macOS) that count as the antivirus.
    pub antivirus: Vec<String>,
    /// The longest idle time before the OS locks the screen.
    pub max_lock_delay: std::time::Duration,
    /// Veil's own shield (with its lock) counts as the screen lock.
    pub shield_counts_as_screen_lock: bool,
}

impl Default for PostureConfig {
    fn default() -> Self {
        crate::settings::Settings::default().posture
    }
}

impl PostureConfig {
    pub fn is_required(&self, id: CheckId) -> bool {
        self.required.contains(&id)
    }
}

/// How to fix a check on this computer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Fix {
    pub steps: Vec<String>,
    /// The settings page the "Open settings" button opens (a URI or a
    /// program name Veil knows), when the OS has one.
    pub settings: Option<String>,
    /// The button's label.
    pub settings_label: Option<String>,
}

/// One entry of `posture.checks` in `veil status --json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CheckStatus {
    pub id: CheckId,
    pub result: CheckResult,
    pub required: bool,
    pub observed: String,
    pub expected: String,
    pub reason: Option<String>,
    /// Unix ms since this result holds.
    pub since: i64,
    /// Unix ms by which a failing required check must be fixed (grace);
    /// null when not failing, not required, or without grace.
    pub fix_by: Option<i64>,
    /// For the card: the check's name, the finding, why it matters, the fix.
    pub title: String,
    pub detail: String,
    pub why: String,
    pub fix: Option<Fix>,
}

impl CheckStatus {
    /// A required check failing past its grace.
    pub fn needs_attention(&self, now_ms: i64) -> bool {
        self.required
            && self.result == CheckResult::Fail
            && self.fix_by.is_none_or(|by| now_ms >= by)
    }
}

/// The `posture` object of `veil status --json`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct PostureStatus {
    pub checks: Vec<CheckStatus>,
    /// No required check fails (an `unknown` is not a failure).
    pub compliant: bool,
    /// Unix ms of the last run; null before the first.
    pub checked_at: Option<i64>,
    /// A run is under way ("Check again").
    pub checking: bool,
}

impl PostureStatus {
    /// Each required check failing past its grace needs attention.
    pub fn problems(&self, now_ms: i64) -> Vec<crate::status::Problem> {
        self.checks
            .iter()
            .filter(|c| c.needs_attention(now_ms))
            .map(|c| {
                crate::status::Problem::new(
                    "posture",
                    &format!("posture-{}", c.id.as_str()),
                    fixes::summary(c.id).into(),
                    format!(
                        "{} Your organization requires it. {}",
                        c.detail, "Open \"This computer\" on the dashboard for how to fix it."
                    ),
                )
                .arg("detail", c.detail.as_str())
            })
            .collect()
    }
}

/// Whether `name` matches a policy pattern: `*` matches any run of
/// characters, everything else literally but for ASCII case (Windows
/// adapter names ignore case; Linux interface names are lower case).
pub fn glob_match(pattern: &str, name: &str) -> bool {
    fn go(p: &[u8], n: &[u8]) -> bool {
        match (p.first(), n.first()) {
            (None, None) => true,
            (Some(b'*'), _) => go(&p[1..], n) || (!n.is_empty() && go(p, &n[1..])),
            (Some(a), Some(b)) if a.eq_ignore_ascii_case(b) => go(&p[1..], &n[1..]),
            _ => false,
        }
    }
    go(pattern.as_bytes(), name.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_names_round_trip() {
        for id in CheckId::ALL {
            assert_eq!(CheckId::parse(id.as_str()), Some(id));
            let json = serde_json::to_value(id).unwrap();
            assert_eq!(json, id.as_str());
        }
        assert_eq!(CheckId::parse("disk"), None);
    }

    #[test]
    fn globs() {
        for (p, n, ok) in [
            ("wg*", "wg0", true),
            ("wg*", "wlan0", false),
            ("tun0", "tun0", true),
            ("tun0", "tun01", false),
            ("*vpn*", "corpvpn1", true),
            ("*", "", true),
            ("WireGuard*", "wireguard tunnel", true),
        ] {
            assert_eq!(glob_match(p, n), ok, "{p} {n}");
        }
    }
}

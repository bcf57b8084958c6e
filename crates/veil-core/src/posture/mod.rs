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

use crate::i18n::{Language, Message};

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
    pub fn title_message(self) -> Message {
        match self {
            CheckId::DiskEncryption => Message::new("check-disk-encryption-title"),
            CheckId::Firewall => Message::new("check-firewall-title"),
            CheckId::ScreenLock => Message::new("check-screen-lock-title"),
            CheckId::OsUpdates => Message::new("check-os-updates-title"),
            CheckId::Antivirus => Message::new("check-antivirus-title"),
            CheckId::Wifi => Message::new("check-wifi-title"),
            CheckId::Vpn => Message::new("check-vpn-title"),
            CheckId::SecureBoot => Message::new("check-secure-boot-title"),
        }
    }

    /// Why it matters, in one line, from the company's work-from-home rules.
    pub fn why_message(self) -> Message {
        match self {
            CheckId::DiskEncryption => Message::new("check-disk-encryption-why"),
            CheckId::Firewall => Message::new("check-firewall-why"),
            CheckId::ScreenLock => Message::new("check-screen-lock-why"),
            CheckId::OsUpdates => Message::new("check-os-updates-why"),
            CheckId::Antivirus => Message::new("check-antivirus-why"),
            CheckId::Wifi => Message::new("check-wifi-why"),
            CheckId::Vpn => Message::new("check-vpn-why"),
            CheckId::SecureBoot => Message::new("check-secure-boot-why"),
        }
    }

    /// The check's name in English (JSON, the CLI).
    pub fn title(self) -> String {
        self.title_message().text(Language::En)
    }

    pub fn why(self) -> String {
        self.why_message().text(Language::En)
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
    /// Why the result is `unknown` or `not_applicable` (English).
    pub reason: Option<String>,
    /// The finding in plain English words ("The disk holding / is not
    /// encrypted."), for scripts and logs: `message` in English.
    pub detail: String,
    /// The finding as a catalog message (locales/<lang>/posture.ftl), for
    /// the agent's language.
    pub message: Message,
}

impl Observation {
    pub fn new(
        result: CheckResult,
        observed: impl Into<String>,
        expected: impl Into<String>,
        message: Message,
    ) -> Self {
        Self {
            result,
            observed: observed.into(),
            expected: expected.into(),
            reason: None,
            detail: message.text(Language::En),
            message,
        }
    }

    pub fn pass(observed: &str, expected: &str, message: Message) -> Self {
        Self::new(CheckResult::Pass, observed, expected, message)
    }

    pub fn fail(observed: &str, expected: &str, message: Message) -> Self {
        Self::new(CheckResult::Fail, observed, expected, message)
    }

    /// Could not tell, for a reason a probe gave at run time (an error from
    /// the OS, a path): it is shown as it is, inside the translated
    /// sentence. `reason` is for the record and the card.
    pub fn unknown(expected: &str, reason: impl Into<String>) -> Self {
        let reason = reason.into();
        Self::unknown_with(
            expected,
            Message::new("check-could-not-check").arg("reason", reason.as_str()),
            reason,
        )
    }

    /// Could not tell, for a reason Veil words itself (a catalog message).
    pub fn unknown_because(expected: &str, reason: Message) -> Self {
        let english = reason.text(Language::En);
        Self::unknown_with(
            expected,
            Message::new("check-could-not-check").part("reason", reason),
            english,
        )
    }

    fn unknown_with(expected: &str, message: Message, reason: String) -> Self {
        Self {
            reason: Some(reason),
            ..Self::new(CheckResult::Unknown, "unknown", expected, message)
        }
    }

    /// Does not apply, for a reason a probe gave (shown as it is).
    pub fn not_applicable(reason: impl Into<String>) -> Self {
        let reason = reason.into();
        Self::not_applicable_with(
            Message::new("check-does-not-apply").arg("reason", reason.as_str()),
            reason,
        )
    }

    /// Does not apply, for a reason Veil words itself.
    pub fn not_applicable_because(reason: Message) -> Self {
        let english = reason.text(Language::En);
        Self::not_applicable_with(
            Message::new("check-does-not-apply").part("reason", reason),
            english,
        )
    }

    fn not_applicable_with(message: Message, reason: String) -> Self {
        Self {
            reason: Some(reason),
            ..Self::new(CheckResult::NotApplicable, "not_applicable", "", message)
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
    /// In English, for scripts and the CLI: `step_messages` in English.
    pub steps: Vec<String>,
    /// The settings page the "Open settings" button opens (a URI or a
    /// program name Veil knows), when the OS has one.
    pub settings: Option<String>,
    /// The button's label (English).
    pub settings_label: Option<String>,
    /// The steps and the label as catalog messages, for the window.
    pub step_messages: Vec<Message>,
    pub settings_label_message: Option<Message>,
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
    /// For the card: the check's name, the finding, why it matters, the fix
    /// (in English, for scripts; the window shows the messages below).
    pub title: String,
    pub detail: String,
    pub why: String,
    pub fix: Option<Fix>,
    /// `title`, `detail` and `why` as catalog messages, for the window.
    pub title_message: Message,
    pub detail_message: Message,
    pub why_message: Message,
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
                // problems.ftl words it (`problem-posture-<check>-*`); the
                // finding is a part, in the agent's language in the windows.
                crate::status::Problem::new(
                    "posture",
                    &format!("posture-{}", c.id.as_str()),
                    String::new(),
                    String::new(),
                )
                .arg("detail", c.detail.as_str())
                .part("detail", c.detail_message.clone())
                .in_english()
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

    #[test]
    fn findings_keep_their_english_for_json_and_have_a_message_for_the_agent() {
        let o = Observation::unknown("x", "org.freedesktop.DBus.Error.ServiceUnknown");
        assert_eq!(
            o.detail,
            "Veil could not check this: org.freedesktop.DBus.Error.ServiceUnknown."
        );
        assert_eq!(
            o.message.text(Language::Es),
            "Veil no pudo comprobarlo: org.freedesktop.DBus.Error.ServiceUnknown."
        );
        let o = network::decide_nm_wifi(None);
        assert_eq!(o.reason.as_deref(), Some("NetworkManager is not running"));
        assert_eq!(
            o.detail,
            "Veil could not check this: NetworkManager is not running."
        );
        assert_eq!(
            o.message.text(Language::Es),
            "Veil no pudo comprobarlo: NetworkManager no está en ejecución."
        );
        let o = network::decide_vpn(&network::VpnFacts::default(), false, &[]);
        assert_eq!(
            o.detail,
            "Does not apply: your organization does not require a VPN."
        );
        assert_eq!(
            o.message.text(Language::Es),
            "No aplica: tu organización no exige una VPN."
        );
        let o = system::decide_linux_updates(&system::LinuxUpdates {
            packagekit: system::PackageKit::Read {
                security_pending: 1,
                other_pending: 0,
                cache_age: None,
            },
            unattended_upgrades: None,
        });
        assert_eq!(o.detail, "1 security update is waiting to be installed.");
        assert_eq!(
            o.message.text(Language::Es),
            "Hay 1 actualización de seguridad esperando a instalarse."
        );
    }

    #[test]
    fn a_failing_checks_problem_is_worded_by_the_catalogs() {
        let mut t = Tracker::new(Platform::Gnome);
        let config = PostureConfig {
            required: vec![CheckId::Firewall],
            grace: std::time::Duration::ZERO,
            ..PostureConfig::default()
        };
        let off = firewall::decide_macos(Some(0));
        t.observe(
            vec![(CheckId::Firewall, off)],
            crate::clock::Millis(0),
            &config,
        );
        let problems = t.status(&config).problems(0);
        let p = &problems[0];
        assert_eq!(p.summary, "Turn on the firewall");
        assert_eq!(
            p.message,
            "The macOS firewall is off. Your organization requires it. Open \"This computer\" on the dashboard for how to fix it."
        );
        assert_eq!(p.args["detail"], "The macOS firewall is off.");
        assert_eq!(p.summary_in(Language::Es), "Activa el cortafuegos");
        assert_eq!(
            p.message_in(Language::Es),
            "El cortafuegos de macOS está desactivado. Tu organización lo exige. Abre «Este equipo» en el panel para ver cómo corregirlo."
        );
    }
}

//! Every setting Veil knows: its key, type, allowed range, default and who may
//! set it. One table drives parsing, validation, `veil policy show` and the
//! settings page, so they cannot disagree.

use serde::Serialize;
use ts_rs::TS;

/// What values a setting accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Kind {
    Bool,
    Integer {
        min: i64,
        max: i64,
    },
    Choice {
        options: &'static [&'static str],
    },
    Text,
    /// A list of strings, in order (order can mean rank).
    TextList,
    /// A list of names, each one of `options`.
    ChoiceList {
        options: &'static [&'static str],
    },
    /// A keyboard shortcut such as "Ctrl+Alt+Shift+P"; empty for none.
    Shortcut,
    /// A program by its absolute path, then its arguments (split on spaces,
    /// no shell); empty for none. Never looked up in `PATH`, which the agent
    /// controls.
    Command,
    /// A table of names to strings (`{ site = "lisbon", team = "billing" }`).
    Table,
    /// A URL Veil sends to: `https://` (or `http://` to this computer only).
    Url,
    /// `host:port`.
    HostPort,
}

/// A default, in a form that can live in a `static` table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DefaultValue {
    Bool(bool),
    Integer(i64),
    Text(&'static str),
    TextList(&'static [&'static str]),
    EmptyTable,
}

/// Who may set a key. Some keys only make sense as an organization's rule
/// (an agent forbidding themselves to quit is meaningless).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    UserAndPolicy,
    PolicyOnly,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SettingSpec {
    /// Dotted TOML key, e.g. `shield.idle_seconds`.
    pub key: &'static str,
    pub kind: Kind,
    #[serde(skip)]
    pub default: DefaultValue,
    pub scope: Scope,
    /// Short label for the settings page.
    pub title: &'static str,
    /// One sentence that tells the agent or IT what the key does.
    pub help: &'static str,
}

pub const START_AT_LOGIN: &str = "start_at_login";
pub const APPEARANCE: &str = "appearance";
pub const LANGUAGE: &str = "language";
pub const ALLOW_QUIT: &str = "allow_quit";
pub const FORCE_PRIVACY_MODE: &str = "force_privacy_mode";
pub const AUDIT_RETAIN_DAYS: &str = "audit.retain_days";
pub const STORE_KEY_FALLBACK: &str = "store.key_fallback";
pub const MIC_APPROVED_HEADSETS: &str = "microphone.approved_headsets";
pub const SHIELD_IDLE_SECONDS: &str = "shield.idle_seconds";
pub const SHIELD_WARNING_SECONDS: &str = "shield.warning_seconds";
pub const SHIELD_LOCK_AFTER_SECONDS: &str = "shield.lock_after_seconds";
pub const SHIELD_MAX_CALL_SECONDS: &str = "shield.max_call_seconds";
pub const SHIELD_ALWAYS_ON: &str = "shield.always_on";
pub const SHIELD_LOCK_COMMAND: &str = "shield.lock_command";
pub const SHIELD_SHORTCUT: &str = "shield.shortcut";
pub const SHIELD_STYLE: &str = "shield.style";
pub const TRAINING_EVERY_MINUTES: &str = "training.quiz_every_minutes";
pub const TRAINING_SNOOZE_MINUTES: &str = "training.snooze_minutes";
pub const TRAINING_MAX_SNOOZES: &str = "training.max_snoozes";
pub const TRAINING_MANDATORY: &str = "training.mandatory";
pub const TRAINING_EXTRA_FOLDER: &str = "training.extra_folder";
pub const CAMERA_ALLOWED_APPS: &str = "camera.allowed_apps";
pub const MIC_ALLOWED_APPS: &str = "microphone.allowed_apps";
pub const CAMERA_DEVICE_PATTERN: &str = "camera.device_pattern";
pub const CAMERA_COVER_CHECK: &str = "camera.cover_check";
pub const CAMERA_COVER_CHECK_MINUTES: &str = "camera.cover_check_minutes";
pub const FLEET_OTLP_ENDPOINT: &str = "fleet.otlp_endpoint";
pub const FLEET_OTLP_HEADERS: &str = "fleet.otlp_headers";
pub const FLEET_SYSLOG_ENDPOINT: &str = "fleet.syslog_endpoint";
pub const FLEET_CA_FILE: &str = "fleet.ca_file";
pub const FLEET_CLIENT_CERT_FILE: &str = "fleet.client_cert_file";
pub const FLEET_CLIENT_KEY_FILE: &str = "fleet.client_key_file";
pub const FLEET_HEARTBEAT_SECONDS: &str = "fleet.heartbeat_seconds";
pub const FLEET_RETRY_MAX_SECONDS: &str = "fleet.retry_max_seconds";
pub const FLEET_BACKLOG_DAYS: &str = "fleet.backlog_days";
pub const FLEET_ALERT_AFTER_MINUTES: &str = "fleet.alert_after_minutes";
pub const FLEET_LABELS: &str = "fleet.labels";
pub const POSTURE_REQUIRED: &str = "posture.required";
pub const POSTURE_GRACE_DAYS: &str = "posture.grace_days";
pub const POSTURE_CHECK_MINUTES: &str = "posture.check_minutes";
pub const POSTURE_MIN_OS_BUILD_WINDOWS: &str = "posture.min_os_build.windows";
pub const POSTURE_MIN_OS_BUILD_MACOS: &str = "posture.min_os_build.macos";
pub const POSTURE_VPN_INTERFACES: &str = "posture.vpn_interfaces";
pub const POSTURE_ANTIVIRUS: &str = "posture.antivirus";
pub const POSTURE_MAX_LOCK_MINUTES: &str = "posture.max_lock_minutes";
pub const POSTURE_SHIELD_COUNTS: &str = "posture.shield_counts_as_screen_lock";

/// The names `posture.required` takes (`posture::CheckId`).
pub const POSTURE_CHECKS: &[&str] = &[
    "disk_encryption",
    "firewall",
    "screen_lock",
    "os_updates",
    "antivirus",
    "wifi",
    "vpn",
    "secure_boot",
];

pub static SETTINGS: &[SettingSpec] = &[
    SettingSpec {
        key: START_AT_LOGIN,
        kind: Kind::Bool,
        default: DefaultValue::Bool(true),
        scope: Scope::UserAndPolicy,
        title: "Start Veil when you sign in",
        help: "Veil starts in the tray each time you sign in to this computer.",
    },
    SettingSpec {
        key: APPEARANCE,
        kind: Kind::Choice {
            options: &["system", "light", "dark"],
        },
        default: DefaultValue::Text("system"),
        scope: Scope::UserAndPolicy,
        title: "Appearance",
        help: "Follow the system's light or dark theme, or always use one.",
    },
    SettingSpec {
        key: LANGUAGE,
        kind: Kind::Choice {
            options: &["auto", "en", "es"],
        },
        default: DefaultValue::Text("auto"),
        scope: Scope::UserAndPolicy,
        title: "Language",
        help: "The language of Veil's windows, menus and notifications: auto follows the computer's language; en is English, es Spanish.",
    },
    SettingSpec {
        key: ALLOW_QUIT,
        kind: Kind::Bool,
        default: DefaultValue::Bool(true),
        scope: Scope::PolicyOnly,
        title: "Agents may quit Veil",
        help: "When false, the tray menu has no Quit item.",
    },
    SettingSpec {
        key: FORCE_PRIVACY_MODE,
        kind: Kind::Bool,
        default: DefaultValue::Bool(false),
        scope: Scope::PolicyOnly,
        title: "Privacy mode is always on",
        help: "When true, privacy mode is on and agents cannot turn it off.",
    },
    SettingSpec {
        key: AUDIT_RETAIN_DAYS,
        kind: Kind::Integer { min: 1, max: 3650 },
        default: DefaultValue::Integer(365),
        scope: Scope::PolicyOnly,
        title: "Audit log kept for (days)",
        help: "Older audit entries are removed; the removal itself is recorded.",
    },
    SettingSpec {
        key: STORE_KEY_FALLBACK,
        kind: Kind::Choice {
            options: &["key_file", "refuse"],
        },
        default: DefaultValue::Text("key_file"),
        scope: Scope::PolicyOnly,
        title: "Without a credential store",
        help: "Where no OS credential store is available: keep the store's key in a file only the agent can read, or store nothing.",
    },
    SettingSpec {
        key: MIC_APPROVED_HEADSETS,
        kind: Kind::TextList,
        default: DefaultValue::TextList(&[]),
        scope: Scope::PolicyOnly,
        title: "Approved headsets",
        help: "Name patterns (* matches anything, case ignored) of headsets the microphone guard treats as headsets, most preferred first.",
    },
    SettingSpec {
        key: SHIELD_IDLE_SECONDS,
        kind: Kind::Integer { min: 5, max: 3600 },
        default: DefaultValue::Integer(60),
        scope: Scope::UserAndPolicy,
        title: "Cover the screen after (seconds idle)",
        help: "When you step away this long, the screen dims with a countdown, then every monitor is covered.",
    },
    SettingSpec {
        key: SHIELD_WARNING_SECONDS,
        kind: Kind::Integer { min: 1, max: 60 },
        default: DefaultValue::Integer(10),
        scope: Scope::UserAndPolicy,
        title: "Countdown before covering (seconds)",
        help: "How long the dimmed countdown lasts before the screen is covered.",
    },
    SettingSpec {
        key: SHIELD_LOCK_AFTER_SECONDS,
        kind: Kind::Integer { min: 10, max: 86400 },
        default: DefaultValue::Integer(300),
        scope: Scope::UserAndPolicy,
        title: "Lock the computer after (seconds idle)",
        help: "After this long away the computer locks, so your password is needed.",
    },
    SettingSpec {
        key: SHIELD_MAX_CALL_SECONDS,
        kind: Kind::Integer { min: 60, max: 14400 },
        default: DefaultValue::Integer(1800),
        scope: Scope::PolicyOnly,
        title: "Longest idle time during a call (seconds)",
        help: "While the microphone or camera is in use, the screen is covered only after this long without input.",
    },
    SettingSpec {
        key: SHIELD_ALWAYS_ON,
        kind: Kind::Bool,
        default: DefaultValue::Bool(false),
        scope: Scope::PolicyOnly,
        title: "Screen shield even with privacy mode off",
        help: "When true, the idle shield works whether or not privacy mode is on.",
    },
    SettingSpec {
        key: SHIELD_SHORTCUT,
        kind: Kind::Shortcut,
        default: DefaultValue::Text(crate::shield::shortcut::DEFAULT_SHORTCUT),
        scope: Scope::UserAndPolicy,
        title: "Shield-now shortcut",
        help: "Keys that cover the screen at once from any program, such as Ctrl+Alt+Shift+P; empty for none.",
    },
    SettingSpec {
        key: SHIELD_STYLE,
        kind: Kind::Choice {
            options: &["blur", "opaque"],
        },
        default: DefaultValue::Text("blur"),
        scope: Scope::UserAndPolicy,
        title: "Shield style",
        help: "Blur shows your screen as it was, too blurred to read; opaque covers it in dark grey. Where the screen cannot be captured the shield is opaque.",
    },
    SettingSpec {
        key: SHIELD_LOCK_COMMAND,
        kind: Kind::Command,
        default: DefaultValue::Text(""),
        scope: Scope::PolicyOnly,
        title: "Lock command",
        help: "A command that locks the session, for desktops where the system's own lock does not work; empty uses the system's.",
    },
    SettingSpec {
        key: CAMERA_ALLOWED_APPS,
        kind: Kind::TextList,
        default: DefaultValue::TextList(&[]),
        scope: Scope::PolicyOnly,
        title: "Programs allowed to use the camera",
        help: "Program names or paths (* matches anything, case ignored) whose camera use is recorded without telling the agent; any other program's use is told once per call.",
    },
    SettingSpec {
        key: MIC_ALLOWED_APPS,
        kind: Kind::TextList,
        default: DefaultValue::TextList(&[]),
        scope: Scope::PolicyOnly,
        title: "Programs allowed to use the microphone",
        help: "Program names or paths (* matches anything, case ignored), such as the softphone, whose microphone use is recorded without telling the agent.",
    },
    SettingSpec {
        key: CAMERA_DEVICE_PATTERN,
        kind: Kind::Text,
        default: DefaultValue::Text("/dev/video*"),
        scope: Scope::PolicyOnly,
        title: "Camera device nodes (Linux)",
        help: "The device nodes Veil watches for camera use; * matches any run of characters in the file name.",
    },
    SettingSpec {
        key: CAMERA_COVER_CHECK,
        kind: Kind::Bool,
        default: DefaultValue::Bool(false),
        scope: Scope::PolicyOnly,
        title: "Check that the camera is covered",
        help: "When no program uses the camera, Veil reads one frame and reports whether the lens is covered. The frame is never stored or sent.",
    },
    SettingSpec {
        key: CAMERA_COVER_CHECK_MINUTES,
        kind: Kind::Integer { min: 5, max: 1440 },
        default: DefaultValue::Integer(60),
        scope: Scope::PolicyOnly,
        title: "Camera cover check every (minutes)",
        help: "How often the cover check runs, when it is on.",
    },
    SettingSpec {
        key: TRAINING_EVERY_MINUTES,
        kind: Kind::Integer { min: 0, max: 1440 },
        default: DefaultValue::Integer(120),
        scope: Scope::PolicyOnly,
        title: "A security quiz every (minutes of active time)",
        help: "Minutes at the computer between two short quizzes; 0 asks at the first good moment (pilots and tests).",
    },
    SettingSpec {
        key: TRAINING_SNOOZE_MINUTES,
        kind: Kind::Integer { min: 1, max: 240 },
        default: DefaultValue::Integer(15),
        scope: Scope::PolicyOnly,
        title: "\"Later\" postpones a quiz by (minutes)",
        help: "How long \"Later\" on a quiz waits before asking again.",
    },
    SettingSpec {
        key: TRAINING_MAX_SNOOZES,
        kind: Kind::Integer { min: 0, max: 10 },
        default: DefaultValue::Integer(3),
        scope: Scope::PolicyOnly,
        title: "\"Later\" allowed in a row",
        help: "After this many, the quiz no longer offers \"Later\".",
    },
    SettingSpec {
        key: TRAINING_MANDATORY,
        kind: Kind::TextList,
        default: DefaultValue::TextList(&[]),
        scope: Scope::PolicyOnly,
        title: "Mandatory training modules",
        help: "Module ids, each optionally with a due date: \"phishing@2026-12-31\". Mandatory modules come first.",
    },
    SettingSpec {
        key: TRAINING_EXTRA_FOLDER,
        kind: Kind::Text,
        default: DefaultValue::Text(""),
        scope: Scope::PolicyOnly,
        title: "The organization's own training modules",
        help: "A folder of module files (same format as Veil's own) loaded in addition to Veil's.",
    },
    SettingSpec {
        key: FLEET_OTLP_ENDPOINT,
        kind: Kind::Url,
        default: DefaultValue::Text(""),
        scope: Scope::PolicyOnly,
        title: "OpenTelemetry collector",
        help: "The collector's base URL (Veil posts to /v1/logs); https, or http to this computer only. Empty: not used.",
    },
    SettingSpec {
        key: FLEET_OTLP_HEADERS,
        kind: Kind::Table,
        default: DefaultValue::EmptyTable,
        scope: Scope::PolicyOnly,
        title: "Collector request headers",
        help: "Headers sent with every request to the collector, such as an API token.",
    },
    SettingSpec {
        key: FLEET_SYSLOG_ENDPOINT,
        kind: Kind::HostPort,
        default: DefaultValue::Text(""),
        scope: Scope::PolicyOnly,
        title: "Syslog receiver (TLS)",
        help: "host:port of an RFC 5425 syslog receiver over TLS (usually port 6514). Empty: not used.",
    },
    SettingSpec {
        key: FLEET_CA_FILE,
        kind: Kind::Text,
        default: DefaultValue::Text(""),
        scope: Scope::PolicyOnly,
        title: "Receivers' certificate authority",
        help: "A PEM file of the CA certificates the receivers' certificates must chain to; empty uses the system's.",
    },
    SettingSpec {
        key: FLEET_CLIENT_CERT_FILE,
        kind: Kind::Text,
        default: DefaultValue::Text(""),
        scope: Scope::PolicyOnly,
        title: "Client certificate",
        help: "A PEM client certificate for mutual TLS with the receivers (with fleet.client_key_file).",
    },
    SettingSpec {
        key: FLEET_CLIENT_KEY_FILE,
        kind: Kind::Text,
        default: DefaultValue::Text(""),
        scope: Scope::PolicyOnly,
        title: "Client key",
        help: "The PEM private key of the client certificate.",
    },
    SettingSpec {
        key: FLEET_HEARTBEAT_SECONDS,
        kind: Kind::Integer { min: 10, max: 3600 },
        default: DefaultValue::Integer(60),
        scope: Scope::PolicyOnly,
        title: "Heartbeat every (seconds)",
        help: "How often Veil sends its state summary to the receivers.",
    },
    SettingSpec {
        key: FLEET_RETRY_MAX_SECONDS,
        kind: Kind::Integer { min: 1, max: 3600 },
        default: DefaultValue::Integer(300),
        scope: Scope::PolicyOnly,
        title: "Longest retry wait (seconds)",
        help: "The cap of the backoff between retries, and of the random delay before reconnecting after an outage.",
    },
    SettingSpec {
        key: FLEET_BACKLOG_DAYS,
        kind: Kind::Integer { min: 1, max: 365 },
        default: DefaultValue::Integer(30),
        scope: Scope::PolicyOnly,
        title: "Undelivered records kept for (days)",
        help: "Records a receiver has not taken for this long are given up (oldest first) and a fleet_gap record says so.",
    },
    SettingSpec {
        key: FLEET_ALERT_AFTER_MINUTES,
        kind: Kind::Integer { min: 0, max: 10080 },
        default: DefaultValue::Integer(0),
        scope: Scope::PolicyOnly,
        title: "Tell the agent after (minutes)",
        help: "A receiver unreachable for longer turns the tray to Needs attention; 0 never does.",
    },
    SettingSpec {
        key: FLEET_LABELS,
        kind: Kind::Table,
        default: DefaultValue::EmptyTable,
        scope: Scope::PolicyOnly,
        title: "Labels",
        help: "Names sent with every record, such as site and team.",
    },
    SettingSpec {
        key: POSTURE_REQUIRED,
        kind: Kind::ChoiceList {
            options: POSTURE_CHECKS,
        },
        default: DefaultValue::TextList(&[]),
        scope: Scope::PolicyOnly,
        title: "Required device checks",
        help: "The checks of \"This computer\" your organization requires; a failing one needs attention. The others are shown as advice.",
    },
    SettingSpec {
        key: POSTURE_GRACE_DAYS,
        kind: Kind::Integer { min: 0, max: 90 },
        default: DefaultValue::Integer(0),
        scope: Scope::PolicyOnly,
        title: "Days to fix a failing check",
        help: "A newly failing required check first shows \"fix by\" this many days later, then needs attention; 0 needs attention at once.",
    },
    SettingSpec {
        key: POSTURE_CHECK_MINUTES,
        kind: Kind::Integer { min: 5, max: 1440 },
        default: DefaultValue::Integer(30),
        scope: Scope::PolicyOnly,
        title: "Check the computer every (minutes)",
        help: "How often the device checks run (with a random spread), besides when the system signals a change.",
    },
    SettingSpec {
        key: POSTURE_MIN_OS_BUILD_WINDOWS,
        kind: Kind::Integer { min: 0, max: 99999 },
        default: DefaultValue::Integer(0),
        scope: Scope::PolicyOnly,
        title: "Lowest Windows build",
        help: "os_updates fails below this Windows build number (19045 is Windows 10 22H2); 0 accepts any.",
    },
    SettingSpec {
        key: POSTURE_MIN_OS_BUILD_MACOS,
        kind: Kind::Text,
        default: DefaultValue::Text(""),
        scope: Scope::PolicyOnly,
        title: "Lowest macOS version",
        help: "os_updates fails below this macOS version (\"14.4\"); empty accepts any.",
    },
    SettingSpec {
        key: POSTURE_VPN_INTERFACES,
        kind: Kind::TextList,
        default: DefaultValue::TextList(&[]),
        scope: Scope::PolicyOnly,
        title: "VPN interfaces",
        help: "Network interface names (with * for any characters, like \"wg*\") that count as the company VPN being up.",
    },
    SettingSpec {
        key: POSTURE_ANTIVIRUS,
        kind: Kind::TextList,
        default: DefaultValue::TextList(&[]),
        scope: Scope::PolicyOnly,
        title: "Antivirus to look for (Linux, macOS)",
        help: "Process names or systemd units (ending in .service) of the required antivirus; empty: the check does not apply there.",
    },
    SettingSpec {
        key: POSTURE_MAX_LOCK_MINUTES,
        kind: Kind::Integer { min: 1, max: 240 },
        default: DefaultValue::Integer(15),
        scope: Scope::PolicyOnly,
        title: "Longest time before the screen locks (minutes)",
        help: "screen_lock fails when the system locks later than this after the last input.",
    },
    SettingSpec {
        key: POSTURE_SHIELD_COUNTS,
        kind: Kind::Bool,
        default: DefaultValue::Bool(false),
        scope: Scope::PolicyOnly,
        title: "Veil's shield counts as the screen lock",
        help: "When true, Veil's own idle shield and lock pass screen_lock where the system's own lock is off or unknown.",
    },
];

pub fn spec(key: &str) -> Option<&'static SettingSpec> {
    SETTINGS.iter().find(|s| s.key == key)
}

/// The known key closest to a mistyped one, for "did you mean" hints.
pub fn closest_key(unknown: &str) -> Option<&'static str> {
    SETTINGS
        .iter()
        .map(|s| (edit_distance(unknown, s.key), s.key))
        .filter(|(d, key)| *d <= 3.max(key.len() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_defaults_fit_their_kind() {
        for (i, s) in SETTINGS.iter().enumerate() {
            assert!(
                SETTINGS[i + 1..].iter().all(|o| o.key != s.key),
                "{}",
                s.key
            );
            let ok = match (s.kind, s.default) {
                (Kind::Bool, DefaultValue::Bool(_)) => true,
                (Kind::Integer { min, max }, DefaultValue::Integer(v)) => v >= min && v <= max,
                (Kind::Choice { options }, DefaultValue::Text(v)) => options.contains(&v),
                (
                    Kind::Text | Kind::Command | Kind::Url | Kind::HostPort,
                    DefaultValue::Text(_),
                ) => true,
                (Kind::Table, DefaultValue::EmptyTable) => true,
                (Kind::TextList, DefaultValue::TextList(_)) => true,
                (Kind::ChoiceList { options }, DefaultValue::TextList(l)) => {
                    l.iter().all(|v| options.contains(v))
                }
                (Kind::Shortcut, DefaultValue::Text(v)) => {
                    crate::shield::shortcut::parse_setting(v).is_ok()
                }
                _ => false,
            };
            assert!(ok, "default of {} does not fit its kind", s.key);
        }
    }

    #[test]
    fn closest_key_suggests_near_misses_only() {
        assert_eq!(closest_key("start_at_logon"), Some(START_AT_LOGIN));
        assert_eq!(closest_key("apperance"), Some(APPEARANCE));
        assert_eq!(closest_key("completely_unrelated_thing"), None);
    }
}

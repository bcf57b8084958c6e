//! Effective settings: built-in defaults < the agent's file < the policy file.
//! A key set by policy is locked.

use serde::Serialize;
use ts_rs::TS;

use super::layer::Layer;
use super::schema::{self, Kind, Scope, SETTINGS};
use super::value::Value;

/// Where an effective value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Default,
    User,
    Policy,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Entry {
    pub key: &'static str,
    pub title: &'static str,
    pub help: &'static str,
    pub kind: Kind,
    pub scope: Scope,
    pub value: Value,
    pub source: Source,
    /// Set by the organization: the agent cannot change it.
    pub locked: bool,
    /// Line in the file the value came from, for `veil policy show`.
    pub line: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Effective {
    pub entries: Vec<Entry>,
}

impl Effective {
    pub fn merge(user: &Layer, policy: &Layer) -> Effective {
        let entries = SETTINGS
            .iter()
            .map(|spec| {
                let (value, source, line) = if let Some(v) = policy.get(spec.key) {
                    (v.clone(), Source::Policy, policy.line_of(spec.key))
                } else if let Some(v) = user.get(spec.key) {
                    (v.clone(), Source::User, user.line_of(spec.key))
                } else {
                    (Value::from(spec.default), Source::Default, None)
                };
                Entry {
                    key: spec.key,
                    title: spec.title,
                    help: spec.help,
                    kind: spec.kind,
                    scope: spec.scope,
                    value,
                    locked: source == Source::Policy,
                    source,
                    line,
                }
            })
            .collect();
        Effective { entries }
    }

    /// What differs from `before`, as `key: old -> new` lines for the record.
    pub fn changes_from(&self, before: &Effective) -> Vec<String> {
        self.entries
            .iter()
            .filter_map(|e| {
                let old = before.entry(e.key)?;
                (old.value != e.value || old.source != e.source).then(|| {
                    format!(
                        "{}: {} -> {} ({})",
                        e.key,
                        old.value,
                        e.value,
                        match e.source {
                            Source::Default => "default",
                            Source::User => "agent's settings",
                            Source::Policy => "policy",
                        }
                    )
                })
            })
            .collect()
    }

    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.key == key)
    }

    pub fn is_locked(&self, key: &str) -> bool {
        self.entry(key).is_some_and(|e| e.locked)
    }

    fn bool(&self, key: &str) -> bool {
        match self.entry(key).map(|e| &e.value) {
            Some(Value::Bool(b)) => *b,
            _ => default_bool(key),
        }
    }

    fn int(&self, key: &str) -> i64 {
        match self.entry(key).map(|e| &e.value) {
            Some(Value::Integer(i)) => *i,
            _ => match schema::spec(key).map(|s| Value::from(s.default)) {
                Some(Value::Integer(i)) => i,
                _ => 0,
            },
        }
    }

    fn text(&self, key: &str) -> String {
        match self.entry(key).map(|e| &e.value) {
            Some(Value::Text(t)) => t.clone(),
            _ => match schema::spec(key).map(|s| Value::from(s.default)) {
                Some(Value::Text(t)) => t,
                _ => String::new(),
            },
        }
    }

    fn list(&self, key: &str) -> Vec<String> {
        match self.entry(key).map(|e| &e.value) {
            Some(Value::List(l)) => l.clone(),
            _ => match schema::spec(key).map(|s| Value::from(s.default)) {
                Some(Value::List(l)) => l,
                _ => Vec::new(),
            },
        }
    }

    fn map(&self, key: &str) -> std::collections::BTreeMap<String, String> {
        match self.entry(key).map(|e| &e.value) {
            Some(Value::Map(m)) => m.clone(),
            _ => Default::default(),
        }
    }

    /// The typed view the rest of the app reads.
    pub fn settings(&self) -> Settings {
        Settings {
            start_at_login: self.bool(schema::START_AT_LOGIN),
            appearance: match self.text(schema::APPEARANCE).as_str() {
                "light" => Appearance::Light,
                "dark" => Appearance::Dark,
                _ => Appearance::System,
            },
            language: self.text(schema::LANGUAGE),
            allow_quit: self.bool(schema::ALLOW_QUIT),
            force_privacy_mode: self.bool(schema::FORCE_PRIVACY_MODE),
            audit_retain_days: self.int(schema::AUDIT_RETAIN_DAYS),
            store_key_fallback: match self.text(schema::STORE_KEY_FALLBACK).as_str() {
                "refuse" => KeyFallback::Refuse,
                _ => KeyFallback::KeyFile,
            },
            approved_headsets: self.list(schema::MIC_APPROVED_HEADSETS),
            shield: crate::shield::ShieldTimes {
                idle: secs(self.int(schema::SHIELD_IDLE_SECONDS)),
                warning: secs(self.int(schema::SHIELD_WARNING_SECONDS)),
                lock_after: secs(self.int(schema::SHIELD_LOCK_AFTER_SECONDS)),
                max_call: secs(self.int(schema::SHIELD_MAX_CALL_SECONDS)),
                overlay_deadline: std::time::Duration::from_secs(1),
            },
            shield_always_on: self.bool(schema::SHIELD_ALWAYS_ON),
            shield_blur: self.text(schema::SHIELD_STYLE) != "opaque",
            shield_lock_command: self.text(schema::SHIELD_LOCK_COMMAND),
            // Checked when read; canonical form, empty for none.
            shield_shortcut: crate::shield::shortcut::parse_setting(
                &self.text(schema::SHIELD_SHORTCUT),
            )
            .ok()
            .flatten()
            .map(|s| s.to_string())
            .unwrap_or_default(),
            allowed_apps: crate::camera::AllowList {
                camera: self.list(schema::CAMERA_ALLOWED_APPS),
                microphone: self.list(schema::MIC_ALLOWED_APPS),
            },
            camera_device_pattern: self.text(schema::CAMERA_DEVICE_PATTERN),
            training: crate::training::TrainingPolicy {
                every: secs(self.int(schema::TRAINING_EVERY_MINUTES) * 60),
                snooze: secs(self.int(schema::TRAINING_SNOOZE_MINUTES) * 60),
                max_snoozes: self.int(schema::TRAINING_MAX_SNOOZES).max(0) as u32,
                mandatory: self.list(schema::TRAINING_MANDATORY),
                extra_folder: self.text(schema::TRAINING_EXTRA_FOLDER),
            },
            camera_cover_check: self
                .bool(schema::CAMERA_COVER_CHECK)
                .then(|| secs(self.int(schema::CAMERA_COVER_CHECK_MINUTES) * 60)),
            fleet: crate::fleet::FleetConfig {
                otlp_endpoint: self.text(schema::FLEET_OTLP_ENDPOINT),
                otlp_headers: self.map(schema::FLEET_OTLP_HEADERS),
                syslog_endpoint: self.text(schema::FLEET_SYSLOG_ENDPOINT),
                ca_file: self.text(schema::FLEET_CA_FILE),
                client_cert_file: self.text(schema::FLEET_CLIENT_CERT_FILE),
                client_key_file: self.text(schema::FLEET_CLIENT_KEY_FILE),
                heartbeat: secs(self.int(schema::FLEET_HEARTBEAT_SECONDS)),
                retry_max: secs(self.int(schema::FLEET_RETRY_MAX_SECONDS)),
                backlog_days: self.int(schema::FLEET_BACKLOG_DAYS),
                alert_after: match self.int(schema::FLEET_ALERT_AFTER_MINUTES) {
                    0 => None,
                    m => Some(secs(m * 60)),
                },
                labels: self.map(schema::FLEET_LABELS),
            },
            posture: crate::posture::PostureConfig {
                required: self
                    .list(schema::POSTURE_REQUIRED)
                    .iter()
                    .filter_map(|s| crate::posture::CheckId::parse(s))
                    .collect(),
                grace: secs(self.int(schema::POSTURE_GRACE_DAYS) * 86_400),
                check_every: secs(self.int(schema::POSTURE_CHECK_MINUTES) * 60),
                min_windows_build: self.int(schema::POSTURE_MIN_OS_BUILD_WINDOWS).max(0) as u32,
                min_macos_version: self.text(schema::POSTURE_MIN_OS_BUILD_MACOS),
                vpn_interfaces: self.list(schema::POSTURE_VPN_INTERFACES),
                antivirus: self.list(schema::POSTURE_ANTIVIRUS),
                max_lock_delay: secs(self.int(schema::POSTURE_MAX_LOCK_MINUTES) * 60),
                shield_counts_as_screen_lock: self.bool(schema::POSTURE_SHIELD_COUNTS),
            },
        }
    }
}

impl Default for Effective {
    fn default() -> Self {
        Effective::merge(&Layer::default(), &Layer::default())
    }
}

fn default_bool(key: &str) -> bool {
    matches!(
        schema::spec(key).map(|s| Value::from(s.default)),
        Some(Value::Bool(true))
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Appearance {
    System,
    Light,
    Dark,
}

/// What the store does without an OS credential store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyFallback {
    KeyFile,
    Refuse,
}

/// Effective settings as typed values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Settings {
    pub start_at_login: bool,
    pub appearance: Appearance,
    /// `language`: auto, en or es (resolved against the OS locale by
    /// [`crate::i18n::Language::resolve`]).
    pub language: String,
    pub allow_quit: bool,
    pub force_privacy_mode: bool,
    pub audit_retain_days: i64,
    pub store_key_fallback: KeyFallback,
    /// Headset name patterns, most preferred first.
    pub approved_headsets: Vec<String>,
    pub shield: crate::shield::ShieldTimes,
    pub shield_always_on: bool,
    /// `shield.style = "blur"`: the cover shows the screen, unreadable.
    pub shield_blur: bool,
    /// Empty: the OS's own lock.
    pub shield_lock_command: String,
    /// "Shield now" from any program ("Ctrl+Alt+Shift+P"); empty for none.
    pub shield_shortcut: String,
    pub allowed_apps: crate::camera::AllowList,
    /// Linux camera nodes to watch.
    pub camera_device_pattern: String,
    /// How often to check the camera cover; None when the check is off.
    pub camera_cover_check: Option<std::time::Duration>,
    pub training: crate::training::TrainingPolicy,
    /// The organization's receivers (policy only).
    pub fleet: crate::fleet::FleetConfig,
    /// What the organization requires of the computer (policy only).
    pub posture: crate::posture::PostureConfig,
}

fn secs(n: i64) -> std::time::Duration {
    std::time::Duration::from_secs(n.max(0) as u64)
}

impl Default for Settings {
    fn default() -> Self {
        Effective::default().settings()
    }
}

#[cfg(test)]
mod tests {
    use super::super::layer::Origin;
    use super::*;

    fn layer(text: &str, origin: Origin) -> Layer {
        Layer::parse("f", text, origin).unwrap()
    }

    #[test]
    fn policy_beats_user_beats_default() {
        let table: &[(&str, &str, &str, Value, Source, bool)] = &[
            (
                "",
                "",
                "appearance",
                Value::Text("system".into()),
                Source::Default,
                false,
            ),
            (
                "appearance = \"dark\"",
                "",
                "appearance",
                Value::Text("dark".into()),
                Source::User,
                false,
            ),
            (
                "appearance = \"dark\"",
                "appearance = \"light\"",
                "appearance",
                Value::Text("light".into()),
                Source::Policy,
                true,
            ),
            (
                "",
                "start_at_login = false",
                "start_at_login",
                Value::Bool(false),
                Source::Policy,
                true,
            ),
            (
                "start_at_login = false",
                "",
                "start_at_login",
                Value::Bool(false),
                Source::User,
                false,
            ),
        ];
        for (user, policy, key, value, source, locked) in table {
            let eff = Effective::merge(&layer(user, Origin::User), &layer(policy, Origin::Policy));
            let e = eff.entry(key).unwrap();
            assert_eq!(
                (&e.value, e.source, e.locked),
                (value, *source, *locked),
                "{user} / {policy}"
            );
        }
    }

    #[test]
    fn typed_view_reads_merged_values() {
        let eff = Effective::merge(
            &layer("appearance = \"dark\"", Origin::User),
            &layer(
                "allow_quit = false\nforce_privacy_mode = true",
                Origin::Policy,
            ),
        );
        let s = eff.settings();
        assert_eq!(s.appearance, Appearance::Dark);
        assert!(!s.allow_quit);
        assert!(s.force_privacy_mode);
        assert!(s.start_at_login);
        assert_eq!(Settings::default().appearance, Appearance::System);
    }
}

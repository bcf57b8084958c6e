//! Veil's own life on the record: how the previous run ended, how long
//! Veil was not running, and what changed in its files meanwhile. The agent
//! can stop Veil (a signal, kill -9, logging out) and edit its files while
//! it is down; none of that can be prevented from inside the account, so
//! the next start says it, and the record reaches the organization's log
//! pipeline.
//!
//! The truth comes from the audit chain: a run that ended cleanly wrote
//! `veil_stopped` as its last entry; anything else ended without stopping.
//! A small marker file (agent-writable, so only a hint) says when the last
//! run was last alive and on which boot.

use serde::{Deserialize, Serialize};

use crate::audit::RecordKind;
use crate::state::{ChangedBy, PrivacyMode, Record};

/// Written by the running Veil every [`ALIVE_EVERY_SECONDS`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunMarker {
    /// The kernel's boot id: a different one means the computer restarted.
    pub boot_id: String,
    pub pid: u32,
    pub started_ms: i64,
    /// The last time this run was seen alive.
    pub alive_ms: i64,
}

pub const ALIVE_EVERY_SECONDS: u64 = 30;

/// An absence shorter than this (a restart by the service manager) is only
/// in `veil_started`.
const NOTABLE_ABSENCE_MS: i64 = 60_000;

/// What the starting Veil found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartFacts {
    pub now_ms: i64,
    pub pid: u32,
    pub boot_id: String,
    /// When the login session began, where the OS says (logind).
    pub session_started_ms: Option<i64>,
    /// The previous run's marker, if one could be read.
    pub marker: Option<RunMarker>,
    /// The newest audit entry: (kind, details, at_ms).
    pub last_entry: Option<(String, String, i64)>,
    /// The privacy mode the audit log last recorded (privacy_on/off).
    pub recorded_privacy: Option<PrivacyMode>,
    /// The privacy mode in the file now (what this run starts with).
    pub privacy_file: Option<PrivacyMode>,
    /// The settings file's SHA-256 as last recorded, and now.
    pub recorded_settings: Option<String>,
    pub settings_now: Option<String>,
}

/// How the previous run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PreviousRun {
    /// No audit entry yet: a new install.
    None,
    /// Its last entry is `veil_stopped`, with the reason it gave.
    Stopped(String),
    /// It ended without recording a stop: kill -9, a crash, power loss.
    Unclean,
}

impl PreviousRun {
    pub fn of(last_entry: Option<&(String, String, i64)>) -> PreviousRun {
        match last_entry {
            None => PreviousRun::None,
            Some((kind, details, _)) if kind == RecordKind::VeilStopped.as_str() => {
                PreviousRun::Stopped(details.clone())
            }
            Some(_) => PreviousRun::Unclean,
        }
    }
}

/// The records a start writes, in order.
pub fn on_start(f: &StartFacts) -> Vec<Record> {
    let mut out = Vec::new();
    let previous = PreviousRun::of(f.last_entry.as_ref());
    let ended = match &previous {
        PreviousRun::None => "first start of Veil for this account".to_string(),
        PreviousRun::Stopped(why) => format!("the previous run stopped: {why}"),
        PreviousRun::Unclean => match &f.marker {
            Some(m) => format!(
                "the previous run (pid {}) ended without stopping (killed, crashed or power lost); last seen alive at {}",
                m.pid,
                crate::timefmt::rfc3339(m.alive_ms)
            ),
            None => "the previous run ended without stopping (killed, crashed or power lost)".into(),
        },
    };
    out.push(record(
        RecordKind::VeilStarted,
        ChangedBy::Veil,
        format!(
            "pid {}; {ended}; {}",
            f.pid,
            fingerprint(f.settings_now.as_deref(), f.privacy_file)
        ),
    ));

    let mut absent_since: Option<(i64, &str)> = None;
    let same_boot = f.marker.as_ref().is_some_and(|m| m.boot_id == f.boot_id);
    if same_boot {
        let since = match (&previous, &f.last_entry) {
            (PreviousRun::Stopped(_), Some((_, _, at))) => *at,
            _ => f.marker.as_ref().map_or(f.now_ms, |m| m.alive_ms),
        };
        absent_since = Some((since, "since the previous run"));
    } else if let Some(session) = f.session_started_ms {
        absent_since = Some((session, "since this session began"));
    }
    let mut changes = Vec::new();
    if let (Some(recorded), Some(now)) = (f.recorded_privacy, f.privacy_file) {
        if recorded != now {
            changes.push(format!(
                "the privacy-mode file was changed to {} outside Veil",
                mode_word(now)
            ));
            out.push(record(
                match now {
                    PrivacyMode::On => RecordKind::PrivacyOn,
                    PrivacyMode::Off => RecordKind::PrivacyOff,
                },
                ChangedBy::Outside,
                "the privacy-mode file was changed while Veil was not running".into(),
            ));
        }
    }
    if let (Some(recorded), Some(now)) = (&f.recorded_settings, &f.settings_now) {
        if recorded != now {
            changes.push("the settings file was changed".into());
        }
    }
    let gap = absent_since.map(|(since, from)| (f.now_ms - since, since, from));
    let notable_gap = gap.filter(|(ms, _, _)| *ms >= NOTABLE_ABSENCE_MS);
    if notable_gap.is_some() || !changes.is_empty() {
        let how_long = match gap {
            Some((ms, since, from)) => format!(
                "not running for {} ({from}, from {} to {})",
                duration_words(ms),
                crate::timefmt::rfc3339(since),
                crate::timefmt::rfc3339(f.now_ms)
            ),
            None => "not running".into(),
        };
        let mut details = how_long;
        if !changes.is_empty() {
            details.push_str("; meanwhile ");
            details.push_str(&changes.join(", and "));
        }
        // Keep the privacy record after veil_absent, so the absence that
        // explains it comes first.
        let privacy = (out.len() > 1).then(|| out.remove(1));
        out.push(record(RecordKind::VeilAbsent, ChangedBy::Veil, details));
        out.extend(privacy);
    }
    out
}

/// What a stop records, with the files' state so the next start can tell
/// what changed while Veil was down.
pub fn on_stop(reason: &str, settings_now: Option<&str>, privacy: Option<PrivacyMode>) -> Record {
    record(
        RecordKind::VeilStopped,
        ChangedBy::Veil,
        format!("{reason}; {}", fingerprint(settings_now, privacy)),
    )
}

/// `settings_sha256=HEX privacy=on`, read back by [`recorded_settings`].
fn fingerprint(settings: Option<&str>, privacy: Option<PrivacyMode>) -> String {
    format!(
        "settings_sha256={} privacy={}",
        settings.unwrap_or("none"),
        privacy.map_or("unknown", mode_word)
    )
}

/// The settings hash a lifecycle record carries.
pub fn recorded_settings(details: &str) -> Option<String> {
    details
        .split_whitespace()
        .find_map(|w| w.strip_prefix("settings_sha256="))
        .filter(|h| *h != "none")
        .map(|h| h.trim_end_matches([';', ',']).to_string())
}

/// The kinds whose details carry the settings hash.
pub const SETTINGS_RECORDS: &[RecordKind] = &[
    RecordKind::VeilStarted,
    RecordKind::VeilStopped,
    RecordKind::SettingsChanged,
];

/// The kinds that say which privacy mode was in force.
pub const PRIVACY_RECORDS: &[RecordKind] = &[
    RecordKind::PrivacyOn,
    RecordKind::PrivacyOff,
    RecordKind::VeilStarted,
    RecordKind::VeilStopped,
];

/// The privacy mode one of [`PRIVACY_RECORDS`] says was in force.
pub fn recorded_privacy(kind: &str, details: &str) -> Option<PrivacyMode> {
    match RecordKind::from_name(kind)? {
        RecordKind::PrivacyOn => Some(PrivacyMode::On),
        RecordKind::PrivacyOff => Some(PrivacyMode::Off),
        RecordKind::VeilStarted | RecordKind::VeilStopped => match details
            .split_whitespace()
            .find_map(|w| w.strip_prefix("privacy="))?
            .trim_end_matches([';', ','])
        {
            "on" => Some(PrivacyMode::On),
            "off" => Some(PrivacyMode::Off),
            _ => None,
        },
        _ => None,
    }
}

/// `settings_sha256=HEX`, appended to a settings change so the next start
/// knows the file as Veil last saw it.
pub fn settings_fingerprint(sha256: Option<&str>) -> String {
    format!("settings_sha256={}", sha256.unwrap_or("none"))
}

fn mode_word(m: PrivacyMode) -> &'static str {
    match m {
        PrivacyMode::On => "on",
        PrivacyMode::Off => "off",
    }
}

fn duration_words(ms: i64) -> String {
    let s = ms.max(0) / 1000;
    match s {
        0..=119 => format!("{s} s"),
        120..=7199 => format!("{} min", s / 60),
        _ => format!("{} h {} min", s / 3600, (s % 3600) / 60),
    }
}

fn record(kind: RecordKind, by: ChangedBy, details: String) -> Record {
    Record { kind, by, details }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> StartFacts {
        StartFacts {
            now_ms: 10_000_000,
            pid: 200,
            boot_id: "boot-a".into(),
            session_started_ms: None,
            marker: Some(RunMarker {
                boot_id: "boot-a".into(),
                pid: 100,
                started_ms: 1_000_000,
                alive_ms: 9_000_000,
            }),
            last_entry: Some(("privacy_on".into(), String::new(), 8_000_000)),
            recorded_privacy: Some(PrivacyMode::On),
            privacy_file: Some(PrivacyMode::On),
            recorded_settings: Some("aa".into()),
            settings_now: Some("aa".into()),
        }
    }

    fn kinds(records: &[Record]) -> Vec<&'static str> {
        records.iter().map(|r| r.kind.as_str()).collect()
    }

    #[test]
    fn a_kill_9_is_unclean_and_the_time_down_is_recorded() {
        let out = on_start(&facts());
        assert_eq!(kinds(&out), ["veil_started", "veil_absent"]);
        assert!(
            out[0].details.contains("pid 100) ended without stopping"),
            "{}",
            out[0].details
        );
        assert!(out[0].details.contains("settings_sha256=aa privacy=on"));
        assert!(
            out[1]
                .details
                .starts_with("not running for 16 min (since the previous run"),
            "{}",
            out[1].details
        );
    }

    #[test]
    fn a_clean_stop_and_a_quick_restart_is_only_a_start() {
        let mut f = facts();
        f.last_entry = Some((
            "veil_stopped".into(),
            "quit from the tray; settings_sha256=aa privacy=on".into(),
            9_990_000,
        ));
        let out = on_start(&f);
        assert_eq!(kinds(&out), ["veil_started"]);
        assert!(out[0]
            .details
            .contains("the previous run stopped: quit from the tray"));
    }

    #[test]
    fn files_changed_while_down_are_recorded_with_the_absence() {
        let mut f = facts();
        f.marker.as_mut().unwrap().alive_ms = 9_990_000;
        f.privacy_file = Some(PrivacyMode::Off);
        f.settings_now = Some("bb".into());
        let out = on_start(&f);
        assert_eq!(kinds(&out), ["veil_started", "veil_absent", "privacy_off"]);
        assert!(out[1].details.contains("the privacy-mode file was changed to off outside Veil, and the settings file was changed"), "{}", out[1].details);
        assert_eq!(out[2].by, ChangedBy::Outside);
    }

    #[test]
    fn a_new_boot_counts_from_the_session_start_when_known() {
        let mut f = facts();
        f.boot_id = "boot-b".into();
        assert_eq!(kinds(&on_start(&f)), ["veil_started"]);
        f.session_started_ms = Some(f.now_ms - 600_000);
        let out = on_start(&f);
        assert_eq!(kinds(&out), ["veil_started", "veil_absent"]);
        assert!(out[1].details.contains("10 min (since this session began"));
    }

    #[test]
    fn a_first_start_says_so() {
        let f = StartFacts {
            marker: None,
            last_entry: None,
            recorded_privacy: None,
            recorded_settings: None,
            ..facts()
        };
        let out = on_start(&f);
        assert_eq!(kinds(&out), ["veil_started"]);
        assert!(out[0].details.contains("first start"));
    }

    #[test]
    fn the_recorded_privacy_mode_reads_back() {
        assert_eq!(recorded_privacy("privacy_off", ""), Some(PrivacyMode::Off));
        let r = on_stop("quit", None, Some(PrivacyMode::On));
        assert_eq!(
            recorded_privacy("veil_stopped", &r.details),
            Some(PrivacyMode::On)
        );
        assert_eq!(recorded_privacy("mic_enforced", "privacy=on"), None);
    }

    #[test]
    fn the_settings_hash_reads_back() {
        let r = on_stop("SIGTERM from pid 7", Some("cafe"), Some(PrivacyMode::Off));
        assert_eq!(recorded_settings(&r.details).as_deref(), Some("cafe"));
        assert_eq!(recorded_settings("settings_sha256=none privacy=on"), None);
    }
}

//! The app's one state, owned by one actor: events in, actions out. The
//! actor in the app crate feeds it and carries out what it returns; nothing
//! here touches the OS.

use serde::{Deserialize, Serialize};

use crate::clock::Millis;
use crate::mic::{ChangeKind, MicReport, MicStatus};
use crate::settings::{Config, ConfigChange, Effective, FileRead, FileState, Settings};
use crate::shield::ShieldStatus;
use crate::status::{Overall, Problem, Snapshot, Status, StoreState, StoreStatus};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PrivacyMode {
    On,
    Off,
}

impl PrivacyMode {
    pub fn from_on(on: bool) -> Self {
        if on {
            PrivacyMode::On
        } else {
            PrivacyMode::Off
        }
    }
}

/// Who asked for a change; recorded with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Actor {
    /// The agent, from the tray or the dashboard.
    Agent,
    /// The `veil` command line (support scripts, IT).
    Cli,
    /// The organization's policy file.
    Policy,
    /// Veil itself.
    Veil,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    SetPrivacy {
        on: bool,
        actor: Actor,
    },
    UserFileRead(FileRead),
    PolicyFileRead(FileRead),
    /// The store opened, failed, or was reset.
    StoreChanged(StoreStatus),
    /// The microphone guard looked at the devices (and maybe changed them).
    Microphone(MicReport),
    /// The idle shield's state, and what to record about a change.
    Shield {
        status: ShieldStatus,
        record: Option<(&'static str, String)>,
    },
}

/// Something worth keeping in the record of privacy events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Record {
    pub kind: &'static str,
    pub actor: Actor,
    pub details: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Keep the agent's chosen mode across restarts.
    SavePrivacyMode(PrivacyMode),
    /// Keep a copy of a valid policy, in force if the file later breaks.
    CachePolicy(String),
    Record(Record),
    /// Tell the agent, briefly.
    Notify {
        title: String,
        body: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ConfigFile {
    Policy,
    Settings,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Denied {
    #[error("privacy mode is required by your organization's policy and cannot be turned off")]
    PrivacyForcedByPolicy,
}

#[derive(Debug, Clone)]
pub struct VeilState {
    /// The mode the agent chose; policy may force the effective mode on.
    chosen: PrivacyMode,
    config: Config,
    /// The settings in force; `settings` is its typed view.
    effective: Effective,
    settings: Settings,
    store: StoreStatus,
    mic: MicStatus,
    shield: ShieldStatus,
    /// When the agent was last told about a microphone correction.
    last_mic_notice: Option<Millis>,
}

/// The agent hears about microphone corrections at most this often.
const MIC_NOTICE_SPACING: std::time::Duration = std::time::Duration::from_secs(60);

impl VeilState {
    pub fn new(chosen: PrivacyMode, config: Config, store_path: &str) -> Self {
        let effective = config.effective();
        Self {
            chosen,
            config,
            settings: effective.settings(),
            effective,
            store: StoreStatus::starting(store_path),
            mic: MicStatus::starting(crate::mic::status::native_backend()),
            last_mic_notice: None,
            shield: ShieldStatus::starting(),
        }
    }

    pub fn shield_enabled(&self) -> bool {
        shield_enabled(self.privacy_mode(), &self.settings)
    }

    pub fn microphone(&self) -> &MicStatus {
        &self.mic
    }

    pub fn privacy_mode(&self) -> PrivacyMode {
        if self.settings.force_privacy_mode {
            PrivacyMode::On
        } else {
            self.chosen
        }
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    pub fn store(&self) -> &StoreStatus {
        &self.store
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn handle(&mut self, event: Event) -> Result<Vec<Action>, Denied> {
        match event {
            Event::SetPrivacy { on, actor } => self.set_privacy(PrivacyMode::from_on(on), actor),
            Event::UserFileRead(read) => {
                let change = self.config.update_user(read);
                Ok(self.after_config_change(ConfigFile::Settings, change))
            }
            Event::PolicyFileRead(read) => {
                let change = self.config.update_policy(read);
                Ok(self.after_config_change(ConfigFile::Policy, change))
            }
            Event::StoreChanged(store) => {
                self.store = store;
                Ok(vec![])
            }
            Event::Microphone(report) => Ok(self.microphone_report(report)),
            Event::Shield { status, record } => {
                self.shield = status;
                Ok(record
                    .map(|(kind, details)| {
                        Action::Record(Record {
                            kind,
                            actor: Actor::Veil,
                            details,
                        })
                    })
                    .into_iter()
                    .collect())
            }
        }
    }

    fn microphone_report(&mut self, report: MicReport) -> Vec<Action> {
        self.mic = report.status;
        let mut actions: Vec<Action> = report
            .changes
            .iter()
            .map(|c| {
                Action::Record(Record {
                    kind: c.kind.record_kind(),
                    actor: Actor::Veil,
                    details: format!("{}: {}; {}", c.device, c.what, c.why),
                })
            })
            .collect();
        let correction = report
            .changes
            .iter()
            .find(|c| c.kind == ChangeKind::Corrected);
        if let Some(c) = correction {
            let due = self
                .last_mic_notice
                .is_none_or(|last| report.at.since(last) >= MIC_NOTICE_SPACING);
            if due {
                self.last_mic_notice = Some(report.at);
                actions.push(Action::Notify {
                    title: "Veil put your microphone back".into(),
                    body: format!("{}: {}, because {}.", c.device, c.what, c.why),
                });
            }
        }
        actions
    }

    fn set_privacy(&mut self, wanted: PrivacyMode, actor: Actor) -> Result<Vec<Action>, Denied> {
        if wanted == PrivacyMode::Off && self.settings.force_privacy_mode {
            return Err(Denied::PrivacyForcedByPolicy);
        }
        if wanted == self.chosen {
            return Ok(vec![]);
        }
        let before = self.privacy_mode();
        self.chosen = wanted;
        let mut actions = vec![Action::SavePrivacyMode(wanted)];
        if self.privacy_mode() != before {
            actions.push(privacy_record(self.privacy_mode(), actor));
        }
        Ok(actions)
    }

    fn after_config_change(&mut self, file: ConfigFile, change: ConfigChange) -> Vec<Action> {
        let (noun, path) = match file {
            ConfigFile::Policy => ("policy", self.config.policy_path().to_string()),
            ConfigFile::Settings => ("settings", self.config.user_path().to_string()),
        };
        match change {
            ConfigChange::Unchanged => vec![],
            ConfigChange::Rejected(errors) => {
                let first = errors.first().map(ToString::to_string).unwrap_or_default();
                vec![
                    Action::Record(Record {
                        kind: match file {
                            ConfigFile::Policy => "policy_rejected",
                            ConfigFile::Settings => "settings_rejected",
                        },
                        actor: Actor::Veil,
                        details: first.clone(),
                    }),
                    Action::Notify {
                        title: format!("Veil could not use the {noun} file"),
                        body: format!("{first}. Veil keeps the last good {noun}."),
                    },
                ]
            }
            ConfigChange::Applied { first, present } => {
                let before_mode = self.privacy_mode();
                let changed = self.config.effective().changes_from(&self.effective);
                self.effective = self.config.effective();
                self.settings = self.effective.settings();
                let kind = match (file, first, present) {
                    (ConfigFile::Policy, true, true) => Some("policy_loaded"),
                    (ConfigFile::Policy, false, true) => Some("policy_changed"),
                    (ConfigFile::Policy, false, false) => Some("policy_removed"),
                    (ConfigFile::Settings, false, _) => Some("settings_changed"),
                    // Nothing deployed, or the agent's file read at start.
                    (_, true, _) => None,
                };
                let mut actions: Vec<Action> = kind
                    .map(|kind| {
                        Action::Record(Record {
                            kind,
                            actor: match file {
                                ConfigFile::Policy => Actor::Policy,
                                ConfigFile::Settings => Actor::Agent,
                            },
                            details: if changed.is_empty() {
                                path.clone()
                            } else {
                                format!("{path}: {}", changed.join("; "))
                            },
                        })
                    })
                    .into_iter()
                    .collect();
                if file == ConfigFile::Policy {
                    if let Some(text) = self.config.policy_text_in_force() {
                        actions.push(Action::CachePolicy(text.to_string()));
                    }
                }
                if self.privacy_mode() != before_mode {
                    actions.push(privacy_record(self.privacy_mode(), Actor::Policy));
                }
                actions
            }
        }
    }

    /// Problems that make the state Attention.
    pub fn problems(&self) -> Vec<Problem> {
        let mut out = Vec::new();
        if self.store.state == StoreState::Unavailable {
            out.push(Problem {
                source: "store".into(),
                summary: "Audit log not recording".into(),
                message: format!(
                    "Privacy events cannot be recorded: {}",
                    self.store
                        .message
                        .as_deref()
                        .unwrap_or("the store is unavailable")
                ),
            });
        }
        for (source, status) in [
            ("policy", self.config.policy_status()),
            ("settings", self.config.user_status()),
        ] {
            if let FileState::Rejected { errors } = status.state {
                for e in errors {
                    out.push(Problem {
                        source: source.to_string(),
                        summary: format!("{source} file has errors"),
                        message: e.to_string(),
                    });
                }
            }
        }
        if self.shield_enabled() && self.shield.idle_source == "none" {
            if let Some(why) = &self.shield.message {
                out.push(Problem {
                    source: "shield".into(),
                    summary: "Screen not covered when idle".into(),
                    message: format!(
                        "Veil cannot tell when you are away ({why}), so it cannot cover your screen on its own. Use \"Shield screen now\" or lock the computer when you step away."
                    ),
                });
            }
        }
        if self.privacy_mode() == PrivacyMode::On {
            if let Some((summary, message)) = self.mic.problem() {
                out.push(Problem {
                    source: "microphone".into(),
                    summary,
                    message,
                });
            }
        }
        out
    }

    pub fn status(&self) -> Status {
        let problems = self.problems();
        let privacy_mode = self.privacy_mode();
        let state = match (privacy_mode, problems.is_empty()) {
            (PrivacyMode::Off, _) => Overall::Off,
            (PrivacyMode::On, true) => Overall::Protected,
            (PrivacyMode::On, false) => Overall::Attention,
        };
        Status {
            version: crate::VERSION.to_string(),
            privacy_mode,
            state,
            privacy_mode_locked: self.settings.force_privacy_mode,
            problems,
            policy_file: self.config.policy_status(),
            settings_file: self.config.user_status(),
            store: self.store.clone(),
            microphone: self.mic.clone(),
            shield: self.shield.clone(),
        }
    }

    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            status: self.status(),
            settings: self.effective.clone(),
        }
    }
}

/// The idle shield runs when privacy mode is on, or policy keeps it on.
pub fn shield_enabled(mode: PrivacyMode, settings: &Settings) -> bool {
    mode == PrivacyMode::On || settings.shield_always_on
}

fn privacy_record(mode: PrivacyMode, actor: Actor) -> Action {
    Action::Record(Record {
        kind: match mode {
            PrivacyMode::On => "privacy_on",
            PrivacyMode::Off => "privacy_off",
        },
        actor,
        details: String::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(chosen: PrivacyMode, policy: &str) -> VeilState {
        let mut s = VeilState::new(chosen, Config::new("user.toml", "policy.toml"), "veil.db");
        s.handle(Event::PolicyFileRead(FileRead::Text(policy.into())))
            .unwrap();
        s
    }

    #[test]
    fn privacy_requests() {
        use PrivacyMode::*;
        // (chosen, policy, request on?, result ok?, effective after, saved)
        type Row = (
            PrivacyMode,
            &'static str,
            bool,
            bool,
            PrivacyMode,
            Option<PrivacyMode>,
        );
        let table: &[Row] = &[
            (Off, "", true, true, On, Some(On)),
            (On, "", false, true, Off, Some(Off)),
            (On, "", true, true, On, None),
            (On, "force_privacy_mode = true", false, false, On, None),
            (Off, "force_privacy_mode = true", true, true, On, Some(On)),
        ];
        for (chosen, policy, on, ok, after, saved) in table {
            let mut s = state(*chosen, policy);
            let res = s.handle(Event::SetPrivacy {
                on: *on,
                actor: Actor::Cli,
            });
            assert_eq!(res.is_ok(), *ok, "{chosen:?} {policy} {on}");
            assert_eq!(s.privacy_mode(), *after);
            let got_saved = res.ok().and_then(|a| {
                a.iter().find_map(|a| match a {
                    Action::SavePrivacyMode(m) => Some(*m),
                    _ => None,
                })
            });
            assert_eq!(got_saved, *saved, "{chosen:?} {policy} {on}");
        }
    }

    #[test]
    fn a_policy_forcing_privacy_turns_it_on_and_records_it() {
        let mut s = state(PrivacyMode::Off, "");
        assert_eq!(s.status().state, Overall::Off);
        let actions = s
            .handle(Event::PolicyFileRead(FileRead::Text(
                "force_privacy_mode = true".into(),
            )))
            .unwrap();
        assert_eq!(s.privacy_mode(), PrivacyMode::On);
        assert!(s.status().privacy_mode_locked);
        assert!(actions.iter().any(
            |a| matches!(a, Action::Record(r) if r.kind == "privacy_on" && r.actor == Actor::Policy)
        ));
        assert!(actions.iter().any(|a| matches!(a, Action::CachePolicy(_))));
    }

    #[test]
    fn an_unavailable_store_means_attention() {
        let mut s = state(PrivacyMode::On, "");
        s.handle(Event::StoreChanged(StoreStatus::unavailable(
            "veil.db",
            "no credential store",
        )))
        .unwrap();
        let st = s.status();
        assert_eq!(st.state, Overall::Attention);
        assert_eq!(st.problems[0].source, "store");
        assert!(st.problems[0].message.contains("no credential store"));
    }

    #[test]
    fn settings_changes_record_what_changed() {
        let mut s = state(PrivacyMode::On, "");
        s.handle(Event::UserFileRead(FileRead::Text(String::new())))
            .unwrap();
        let actions = s
            .handle(Event::UserFileRead(FileRead::Text(
                "appearance = \"dark\"".into(),
            )))
            .unwrap();
        let details = actions
            .iter()
            .find_map(|a| match a {
                Action::Record(r) if r.kind == "settings_changed" => Some(r.details.clone()),
                _ => None,
            })
            .unwrap();
        assert!(
            details.ends_with("appearance: \"system\" -> \"dark\" (agent's settings)"),
            "{details}"
        );
    }

    #[test]
    fn config_reads_are_recorded_as_what_they_are() {
        let kinds = |s: &mut VeilState, e: Event| -> Vec<&'static str> {
            s.handle(e)
                .unwrap()
                .into_iter()
                .filter_map(|a| match a {
                    Action::Record(r) => Some(r.kind),
                    _ => None,
                })
                .collect()
        };
        let mut s = VeilState::new(PrivacyMode::On, Config::new("u", "p"), "veil.db");
        let policy = |t: &str| Event::PolicyFileRead(FileRead::Text(t.into()));
        let user = |t: &str| Event::UserFileRead(FileRead::Text(t.into()));
        assert!(kinds(&mut s, Event::PolicyFileRead(FileRead::Missing)).is_empty());
        assert!(kinds(&mut s, user("")).is_empty());
        assert_eq!(
            kinds(&mut s, policy("allow_quit = false")),
            ["policy_changed"]
        );
        assert_eq!(
            kinds(&mut s, user("appearance = \"dark\"")),
            ["settings_changed"]
        );
        assert_eq!(kinds(&mut s, policy("allow_quit = ")), ["policy_rejected"]);
        assert_eq!(
            kinds(&mut s, Event::PolicyFileRead(FileRead::Missing)),
            ["policy_removed"]
        );
        let mut fresh = VeilState::new(PrivacyMode::On, Config::new("u", "p"), "veil.db");
        assert_eq!(kinds(&mut fresh, policy("")), ["policy_loaded"]);
    }

    #[test]
    fn a_broken_policy_means_attention_and_is_named() {
        let mut s = state(PrivacyMode::On, "allow_quit = false");
        assert_eq!(s.status().state, Overall::Protected);
        let actions = s
            .handle(Event::PolicyFileRead(FileRead::Text(
                "allow_quit = nope".into(),
            )))
            .unwrap();
        let st = s.status();
        assert_eq!(st.state, Overall::Attention);
        assert!(st.problems[0].message.starts_with("policy.toml:1:"));
        assert!(!s.settings().allow_quit, "last good policy stays in force");
        assert!(actions.iter().any(|a| matches!(a, Action::Notify { .. })));
        s.handle(Event::PolicyFileRead(FileRead::Text(
            "allow_quit = false".into(),
        )))
        .unwrap();
        assert_eq!(s.status().state, Overall::Protected);
    }

    fn mic_report(headset: bool, changes: &[ChangeKind], at_s: i64) -> Event {
        use crate::mic::plan::{Input, View};
        use crate::mic::{Change, Class};
        let mut inputs = vec![Input {
            id: "laptop".into(),
            name: "Built-in Microphone".into(),
            class: Class::BuiltIn,
            rank: None,
            muted: true,
        }];
        if headset {
            inputs.push(Input {
                id: "hs".into(),
                name: "USB Headset".into(),
                class: Class::Headset,
                rank: None,
                muted: false,
            });
        }
        let view = View {
            default_id: Some(if headset { "hs" } else { "laptop" }.into()),
            inputs,
            streams: vec![],
        };
        Event::Microphone(MicReport {
            status: MicStatus::of(&view, "pulseaudio", true, false),
            changes: changes
                .iter()
                .map(|k| Change {
                    kind: *k,
                    device: "Built-in Microphone".into(),
                    what: "muted".into(),
                    why: "test".into(),
                })
                .collect(),
            at: Millis(at_s * 1000),
        })
    }

    #[test]
    fn microphone_reports_are_recorded_and_told_at_most_once_a_minute() {
        use ChangeKind::*;
        let mut s = state(PrivacyMode::On, "");
        // (at second, changes, records, notified)
        let rows: &[(i64, &[ChangeKind], usize, bool)] = &[
            (0, &[Enforced, Enforced], 2, false),
            (10, &[Corrected], 1, true),
            (30, &[Corrected], 1, false),
            (69, &[Corrected], 1, false),
            (70, &[Corrected], 1, true),
            (200, &[Restored], 1, false),
        ];
        for (at, changes, records, notified) in rows {
            let actions = s.handle(mic_report(true, changes, *at)).unwrap();
            let n_rec = actions
                .iter()
                .filter(|a| matches!(a, Action::Record(_)))
                .count();
            let told = actions.iter().any(|a| matches!(a, Action::Notify { .. }));
            assert_eq!((n_rec, told), (*records, *notified), "at {at}");
        }
    }

    #[test]
    fn no_headset_needs_attention_only_in_privacy_mode() {
        let mut s = state(PrivacyMode::On, "");
        s.handle(mic_report(false, &[], 0)).unwrap();
        let st = s.status();
        assert_eq!(st.state, Overall::Attention);
        assert_eq!(st.problems[0].summary, "Connect your headset");
        assert_eq!(st.microphone.headset, None);
        s.handle(Event::SetPrivacy {
            on: false,
            actor: Actor::Agent,
        })
        .unwrap();
        assert!(s.status().problems.is_empty());
        s.handle(Event::SetPrivacy {
            on: true,
            actor: Actor::Agent,
        })
        .unwrap();
        s.handle(mic_report(true, &[], 1)).unwrap();
        assert_eq!(s.status().state, Overall::Protected);
        assert_eq!(
            s.status().microphone.headset.as_deref(),
            Some("USB Headset")
        );
    }
}

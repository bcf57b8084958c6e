//! The app's one state, owned by one actor: events in, actions out. The
//! actor in the app crate feeds it and carries out what it returns; nothing
//! here touches the OS. This is the reducer: each capability's decisions
//! live in its own module (its status says what needs attention, its
//! events are handled there), and this routes events to them.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::audit::RecordKind;
use crate::camera::{CameraScan, CameraStatus, CameraWatch, CoverReading};
use crate::clock::Millis;
use crate::i18n::Message;
use crate::mic::{MicReport, MicStatus};
use crate::settings::records::{self, ConfigFile};
use crate::settings::{Config, ConfigChange, Effective, FileRead, PolicyRead, Settings};
use crate::shield::ShieldStatus;
use crate::status::{Overall, Problem, Snapshot, Status, StoreStatus};
use crate::training::{TrainingAction, TrainingEvent};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
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
pub enum ChangedBy {
    /// The agent, from the tray or the dashboard.
    Agent,
    /// The `veil` command line (support scripts, IT).
    Cli,
    /// The organization's policy file.
    Policy,
    /// Veil itself.
    Veil,
    /// Someone outside Veil (a file edited while Veil was not running).
    Outside,
}

impl ChangedBy {
    /// As the audit log stores it.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangedBy::Agent => "agent",
            ChangedBy::Cli => "cli",
            ChangedBy::Policy => "policy",
            ChangedBy::Veil => "veil",
            ChangedBy::Outside => "outside",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    SetPrivacy {
        on: bool,
        by: ChangedBy,
    },
    UserFileRead(FileRead),
    /// The policy file, with the registry or profiles merged over it.
    PolicyFileRead(PolicyRead),
    /// The store opened, failed, or was reset.
    StoreChanged(StoreStatus),
    /// The microphone guard looked at the devices (and maybe changed them).
    Microphone(MicReport),
    /// The idle shield's state, and what to record about a change.
    Shield {
        status: ShieldStatus,
        record: Option<(RecordKind, String)>,
    },
    /// The camera detector looked.
    Camera {
        scan: CameraScan,
        at: Millis,
    },
    /// The camera cover check read a frame, or could not.
    CameraCover {
        reading: Result<CoverReading, String>,
        at: Millis,
    },
    /// Content, history, the quiz clock and the agent's answers.
    Training(TrainingEvent),
    /// The dashboard's mic check opened the microphone, or closed it.
    MicCheck {
        running: bool,
    },
    /// The fleet senders' view of the organization's receivers.
    Fleet {
        status: crate::fleet::FleetStatus,
        at: Millis,
    },
    /// Device posture: a run of the checks, a resume, a run started.
    Posture(PostureEvent),
}

#[derive(Debug, Clone, PartialEq)]
pub enum PostureEvent {
    Ran {
        run: Vec<(crate::posture::CheckId, crate::posture::Observation)>,
        at: Millis,
    },
    /// The computer woke from sleep: results settle before they are used.
    Resumed { at: Millis },
    /// A run started ("Check again"): the card shows it.
    Checking,
    /// `posture_changed` records from the store (details, at_ms), newest
    /// first: what was last known of each check.
    Recorded(Vec<(String, i64)>),
}

/// Something worth keeping in the record of privacy events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub kind: RecordKind,
    pub by: ChangedBy,
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
        title: crate::i18n::Message,
        body: crate::i18n::Message,
    },
    /// Store training progress, or show the quiz.
    Training(TrainingAction),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Denied {
    #[error("privacy mode is required by your organization's policy and cannot be turned off")]
    PrivacyForcedByPolicy,
    #[error("{0}")]
    Training(crate::training::trainer::Refused),
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
    /// When the agent was last told about a microphone correction.
    last_mic_notice: Option<Millis>,
    shield: ShieldStatus,
    /// The mic check has the microphone open.
    mic_check: bool,
    fleet: crate::fleet::FleetStatus,
    fleet_at: Millis,
    posture: crate::posture::Tracker,
    posture_at: Millis,
    /// The newest time an event carried (the training clock ticks each
    /// second): what "now" is for alerts and grace periods.
    latest: Millis,
    camera: CameraWatch,
    trainer: crate::training::Trainer,
    /// The OS locale (the app reads it at start), for `language = "auto"`.
    os_locale: Option<String>,
}

impl VeilState {
    pub fn new(chosen: PrivacyMode, config: Config, store_path: &str) -> Self {
        let effective = config.effective();
        let settings = effective.settings();
        Self {
            chosen,
            config,
            camera: CameraWatch::new(settings.allowed_apps.clone()),
            settings,
            effective,
            store: StoreStatus::starting(store_path),
            mic: MicStatus::starting(crate::mic::status::native_backend()),
            last_mic_notice: None,
            shield: ShieldStatus::starting(),
            mic_check: false,
            fleet: Default::default(),
            fleet_at: Millis(0),
            posture: crate::posture::Tracker::new(crate::posture::Platform::native_default()),
            posture_at: Millis(0),
            latest: Millis(0),
            trainer: Default::default(),
            os_locale: None,
        }
    }

    /// The OS locale (`es_MX.UTF-8`, `es-419`), read by the app at start.
    pub fn set_os_locale(&mut self, locale: Option<String>) {
        self.os_locale = locale;
    }

    /// The language the agent sees: the `language` setting, else the OS
    /// locale.
    pub fn language(&self) -> crate::i18n::Language {
        crate::i18n::Language::resolve(&self.settings.language, self.os_locale.as_deref())
    }

    pub fn trainer(&self) -> &crate::training::Trainer {
        &self.trainer
    }

    /// Which desktop's fix texts the posture card shows (the app knows).
    pub fn set_posture_platform(&mut self, platform: crate::posture::Platform) {
        self.posture = crate::posture::Tracker::new(platform);
    }

    pub fn posture(&self) -> crate::posture::PostureStatus {
        self.posture.status(&self.settings.posture)
    }

    /// The latest time any input told us, for grace periods.
    fn now(&self) -> Millis {
        self.latest
            .max(self.posture_at)
            .max(self.trainer.now())
            .max(self.fleet_at)
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

    fn privacy_on(&self) -> bool {
        self.privacy_mode() == PrivacyMode::On
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
        let privacy_on = self.privacy_on();
        if let Event::Training(TrainingEvent::Tick(m)) = &event {
            self.latest = self.latest.max(m.now);
        }
        match event {
            Event::SetPrivacy { on, by } => self.set_privacy(PrivacyMode::from_on(on), by),
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
            Event::Microphone(report) => {
                let mut actions =
                    self.camera
                        .audio_users(report.users.clone(), report.at, privacy_on);
                actions.extend(report.actions(&mut self.last_mic_notice));
                self.mic = report.status;
                Ok(actions)
            }
            Event::Camera { scan, at } => Ok(self.camera.scanned(scan, at, privacy_on)),
            Event::CameraCover { reading, at } => Ok(self.camera.cover_reading(reading, at)),
            Event::Training(event) => Ok(self
                .trainer
                .handle(event, &self.settings.training)
                .map_err(Denied::Training)?
                .into_iter()
                .map(|a| match a {
                    TrainingAction::Record { kind, details } => Action::Record(Record {
                        kind,
                        by: ChangedBy::Veil,
                        details,
                    }),
                    other => Action::Training(other),
                })
                .collect()),
            Event::Fleet { status, at } => {
                self.fleet = status;
                self.fleet_at = at;
                Ok(vec![])
            }
            Event::Posture(event) => Ok(self.posture_event(event)),
            Event::MicCheck { running } => {
                if running == self.mic_check {
                    return Ok(vec![]);
                }
                self.mic_check = running;
                Ok(vec![Action::Record(Record {
                    kind: if running {
                        RecordKind::MicCheckStarted
                    } else {
                        RecordKind::MicCheckStopped
                    },
                    by: ChangedBy::Agent,
                    details: "the dashboard's microphone test".into(),
                })])
            }
            Event::Shield { status, record } => {
                self.shield = status;
                Ok(record
                    .map(|(kind, details)| {
                        Action::Record(Record {
                            kind,
                            by: ChangedBy::Veil,
                            details,
                        })
                    })
                    .into_iter()
                    .collect())
            }
        }
    }

    /// The kept copy of the last good policy is not the organization's:
    /// forget it. True when the settings in force changed (the copy was in
    /// force and the fail-closed policy replaced it).
    pub fn distrust_policy_cache(&mut self) -> bool {
        if !self.config.distrust_seed() {
            return false;
        }
        self.effective = self.config.effective();
        self.settings = self.effective.settings();
        self.camera.set_allow(self.settings.allowed_apps.clone());
        true
    }

    pub fn camera(&self) -> CameraStatus {
        let mic_visible = match self.mic.connection {
            crate::mic::Connection::Disconnected => Err(self
                .mic
                .message
                .clone()
                .unwrap_or_else(|| "the audio system is not reachable".into())),
            _ => Ok(()),
        };
        self.camera.status(mic_visible)
    }

    fn set_privacy(&mut self, wanted: PrivacyMode, by: ChangedBy) -> Result<Vec<Action>, Denied> {
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
            actions.push(privacy_record(self.privacy_mode(), by));
        }
        Ok(actions)
    }

    fn after_config_change(&mut self, file: ConfigFile, change: ConfigChange) -> Vec<Action> {
        let status = match file {
            ConfigFile::Policy => self.config.policy_status(),
            ConfigFile::Settings => self.config.user_status(),
        };
        match change {
            ConfigChange::Unchanged => vec![],
            ConfigChange::Rejected(errors) => records::rejected(file, &status, &errors),
            ConfigChange::Applied { first, present } => {
                let before_mode = self.privacy_mode();
                let changed = self.config.effective().changes_from(&self.effective);
                self.effective = self.config.effective();
                self.settings = self.effective.settings();
                self.camera.set_allow(self.settings.allowed_apps.clone());
                let mut actions: Vec<Action> =
                    records::applied(file, &status, first, present, &changed)
                        .into_iter()
                        .collect();
                if file == ConfigFile::Policy {
                    if let Some(text) = self.config.policy_text_in_force() {
                        actions.push(Action::CachePolicy(text));
                    }
                }
                if self.privacy_mode() != before_mode {
                    actions.push(privacy_record(self.privacy_mode(), ChangedBy::Policy));
                }
                actions
            }
        }
    }

    fn posture_event(&mut self, event: PostureEvent) -> Vec<Action> {
        match event {
            PostureEvent::Checking => {
                self.posture.set_checking(true);
                vec![]
            }
            PostureEvent::Resumed { at } => {
                self.posture.resumed(at);
                vec![]
            }
            PostureEvent::Recorded(records) => {
                for (details, at) in records {
                    self.posture.remember(&details, Millis(at));
                }
                vec![]
            }
            PostureEvent::Ran { run, at } => {
                self.posture_at = self.posture_at.max(at);
                let config = &self.settings.posture;
                let transitions = self.posture.observe(run, at, config);
                let status = self.posture.status(config);
                let mut actions = vec![];
                for t in transitions {
                    actions.push(Action::Record(Record {
                        kind: RecordKind::PostureChanged,
                        by: ChangedBy::Veil,
                        details: t.details(),
                    }));
                    let newly_failing = t.required
                        && t.to == crate::posture::CheckResult::Fail
                        && t.from != Some(crate::posture::CheckResult::Fail);
                    if let Some(c) = status
                        .checks
                        .iter()
                        .find(|c| c.id == t.id)
                        .filter(|_| newly_failing)
                    {
                        actions.push(Action::Notify {
                            title: Message::new(format!(
                                "problem-posture-{}-summary",
                                t.id.as_str()
                            )),
                            body: match c.fix_by {
                                Some(by) => Message::new("notify-posture-fix-by")
                                    .part("detail", c.detail_message.clone())
                                    .arg(
                                        "date",
                                        crate::timefmt::rfc3339(by).get(..10).unwrap_or(""),
                                    ),
                                None => Message::new("notify-posture-how")
                                    .part("detail", c.detail_message.clone()),
                            },
                        });
                    }
                }
                actions
            }
        }
    }

    /// Problems that make the state Attention, each from its capability.
    pub fn problems(&self) -> Vec<Problem> {
        self.problems_with(&self.camera())
    }

    fn problems_with(&self, camera: &CameraStatus) -> Vec<Problem> {
        let mut out: Vec<Problem> = self.store.problem().into_iter().collect();
        out.extend(self.config.policy_problems());
        out.extend(self.config.user_status().problems("settings"));
        out.extend(self.shield.problem(self.shield_enabled()));
        if self.privacy_on() {
            out.extend(self.mic.problem());
        }
        out.extend(self.camera.problems(camera, self.privacy_on()));
        // The latest time any input gave, not the fleet's own last report:
        // a receiver that stays down reports nothing new.
        out.extend(
            self.fleet
                .problem(self.settings.fleet.alert_after, self.now().0),
        );
        out.extend(self.posture().problems(self.now().0));
        out
    }

    pub fn status(&self) -> Status {
        let camera = self.camera();
        let problems = self.problems_with(&camera);
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
            microphone: MicStatus {
                mic_check: self.mic_check,
                ..self.mic.clone()
            },
            shield: self.shield.clone(),
            camera,
            training: self
                .trainer
                .status(&self.settings.training, self.trainer.now()),
            fleet: self.fleet.clone(),
            posture: self.posture(),
        }
    }

    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            status: self.status(),
            settings: self.effective.clone(),
            in_force: self.settings.clone(),
            quiz: self.trainer.quiz_view(),
            language: self.language(),
        }
    }
}

/// The idle shield runs when privacy mode is on, or policy keeps it on.
pub fn shield_enabled(mode: PrivacyMode, settings: &Settings) -> bool {
    mode == PrivacyMode::On || settings.shield_always_on
}

fn privacy_record(mode: PrivacyMode, by: ChangedBy) -> Action {
    Action::Record(Record {
        kind: match mode {
            PrivacyMode::On => RecordKind::PrivacyOn,
            PrivacyMode::Off => RecordKind::PrivacyOff,
        },
        by,
        details: String::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::camera::{DeviceUse, UseKind};
    use crate::mic::ChangeKind;

    fn state(chosen: PrivacyMode, policy: &str) -> VeilState {
        let mut s = VeilState::new(chosen, Config::new("user.toml", "policy.toml"), "veil.db");
        s.handle(Event::PolicyFileRead(FileRead::Text(policy.into()).into()))
            .unwrap();
        s
    }

    #[test]
    fn a_receiver_down_past_the_alert_time_needs_attention_though_it_reports_nothing_new() {
        use crate::fleet::{DestinationKind, DestinationState, DestinationStatus, FleetStatus};
        let mut s = state(PrivacyMode::On, "fleet.alert_after_minutes = 1\n");
        let down = FleetStatus {
            destinations: vec![DestinationStatus {
                kind: DestinationKind::Syslog,
                endpoint: "logs.example.com:6514".into(),
                state: DestinationState::Retrying,
                queued: 3,
                last_delivered_at: None,
                last_error: Some("connection refused".into()),
                failing_since: Some(1_000),
            }],
            host_id: None,
        };
        s.handle(Event::Fleet {
            status: down,
            at: Millis(1_000),
        })
        .unwrap();
        let tick = |s: &mut VeilState, at: i64| {
            s.handle(Event::Training(TrainingEvent::Tick(
                crate::training::Moment {
                    now: Millis(at),
                    idle: std::time::Duration::ZERO,
                    call: false,
                    shield_up: false,
                },
            )))
            .unwrap();
        };
        tick(&mut s, 30_000);
        assert!(s.problems().iter().all(|p| p.source != "fleet"));
        tick(&mut s, 61_500);
        assert!(s.problems().iter().any(|p| p.source == "fleet"));
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
                by: ChangedBy::Cli,
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
            .handle(Event::PolicyFileRead(
                FileRead::Text("force_privacy_mode = true".into()).into(),
            ))
            .unwrap();
        assert_eq!(s.privacy_mode(), PrivacyMode::On);
        assert!(s.status().privacy_mode_locked);
        assert!(actions.iter().any(
            |a| matches!(a, Action::Record(r) if r.kind == "privacy_on" && r.by == ChangedBy::Policy)
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
            details.contains("appearance: \"system\" -> \"dark\" (agent's settings)"),
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
                    Action::Record(r) => Some(r.kind.as_str()),
                    _ => None,
                })
                .collect()
        };
        let mut s = VeilState::new(PrivacyMode::On, Config::new("u", "p"), "veil.db");
        let policy = |t: &str| Event::PolicyFileRead(FileRead::Text(t.into()).into());
        let user = |t: &str| Event::UserFileRead(FileRead::Text(t.into()));
        assert_eq!(
            kinds(&mut s, Event::PolicyFileRead(FileRead::Missing.into())),
            ["policy_missing"]
        );
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
            kinds(&mut s, Event::PolicyFileRead(FileRead::Missing.into())),
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
            .handle(Event::PolicyFileRead(
                FileRead::Text("allow_quit = nope".into()).into(),
            ))
            .unwrap();
        let st = s.status();
        assert_eq!(st.state, Overall::Attention);
        assert!(st.problems[0].message.starts_with("policy.toml:1:"));
        assert!(!s.settings().allow_quit, "last good policy stays in force");
        assert!(actions.iter().any(|a| matches!(a, Action::Notify { .. })));
        s.handle(Event::PolicyFileRead(
            FileRead::Text("allow_quit = false".into()).into(),
        ))
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
                .map(|k| {
                    Change::new(
                        *k,
                        "Built-in Microphone",
                        crate::i18n::Message::new("mic-what-muted"),
                        crate::i18n::Message::new("mic-why-laptop-muted"),
                    )
                })
                .collect(),
            users: vec![],
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
            by: ChangedBy::Agent,
        })
        .unwrap();
        assert!(s.status().problems.is_empty());
        s.handle(Event::SetPrivacy {
            on: true,
            by: ChangedBy::Agent,
        })
        .unwrap();
        s.handle(mic_report(true, &[], 1)).unwrap();
        assert_eq!(s.status().state, Overall::Protected);
        assert_eq!(
            s.status().microphone.headset.as_deref(),
            Some("USB Headset")
        );
    }

    fn camera_scan(uses: &[(u32, &str)], detects: bool) -> CameraScan {
        use crate::camera::{CameraDevice, SourceCheck};
        CameraScan {
            devices: vec![CameraDevice {
                name: "Integrated Camera".into(),
                path: "/dev/video0".into(),
            }],
            uses: uses
                .iter()
                .map(|(pid, exe)| DeviceUse {
                    kind: UseKind::Camera,
                    device: "/dev/video0".into(),
                    device_name: "Integrated Camera".into(),
                    pid: *pid,
                    exe: exe.to_string(),
                    user: None,
                    trust: crate::camera::Trust::Verified,
                })
                .collect(),
            sources: vec![if detects {
                SourceCheck::ok("procfs")
            } else {
                SourceCheck::failed("procfs", "/proc is not mounted")
            }],
            camera_sources: vec!["procfs".into()],
        }
    }

    fn kinds_and_notices(actions: &[Action]) -> (Vec<&'static str>, usize) {
        let kinds = actions
            .iter()
            .filter_map(|a| match a {
                Action::Record(r) => Some(r.kind.as_str()),
                _ => None,
            })
            .collect();
        let notices = actions
            .iter()
            .filter(|a| matches!(a, Action::Notify { .. }))
            .count();
        (kinds, notices)
    }

    #[test]
    fn camera_use_is_recorded_told_and_needs_attention_while_it_lasts() {
        let mut s = state(PrivacyMode::On, "camera.allowed_apps = [\"zoiper\"]");
        let cam = |s: &mut VeilState, uses: &[(u32, &str)], at: i64| {
            s.handle(Event::Camera {
                scan: camera_scan(uses, true),
                at: Millis(at),
            })
            .unwrap()
        };
        // (uses, records, notices, attention summary)
        type Row<'a> = (&'a [(u32, &'a str)], &'a [&'a str], usize, Option<&'a str>);
        let rows: &[Row] = &[
            (&[], &[], 0, None),
            (&[(7, "/usr/bin/zoiper")], &["camera_use_started"], 0, None),
            (
                &[(7, "/usr/bin/zoiper"), (9, "/usr/bin/chrome")],
                &["camera_use_started"],
                1,
                Some("chrome is using the camera"),
            ),
            (&[(7, "/usr/bin/zoiper")], &["camera_use_stopped"], 0, None),
        ];
        for (i, (uses, records, notices, attention)) in rows.iter().enumerate() {
            let actions = cam(&mut s, uses, i as i64 * 1000);
            assert_eq!(
                kinds_and_notices(&actions),
                (records.to_vec(), *notices),
                "row {i}"
            );
            let st = s.status();
            assert_eq!(
                st.problems.first().map(|p| p.summary.as_str()),
                *attention,
                "row {i}"
            );
            let v = serde_json::to_value(&st).unwrap();
            assert_eq!(v["camera"]["detection"], "ok");
            assert_eq!(v["camera"]["devices"][0]["in_use"], !uses.is_empty());
            assert_eq!(
                v["camera"]["devices"][0]["users"].as_array().unwrap().len(),
                uses.len()
            );
        }
        assert_eq!(s.camera().recent[0].app, "chrome");
    }

    #[test]
    fn a_camera_user_that_execs_another_program_is_recorded_and_told() {
        let mut s = state(PrivacyMode::On, "camera.allowed_apps = [\"zoiper\"]");
        let mut cam = |uses: &[(u32, &str)], at: i64| {
            s.handle(Event::Camera {
                scan: camera_scan(uses, true),
                at: Millis(at),
            })
            .unwrap()
        };
        cam(&[(7, "/usr/bin/zoiper")], 0);
        let actions = cam(&[(7, "/tmp/grabber")], 1);
        assert_eq!(kinds_and_notices(&actions), (vec!["camera_use_changed"], 1));
        let details = actions.iter().find_map(|a| match a {
            Action::Record(r) => Some(r.details.clone()),
            _ => None,
        });
        assert!(
            details.as_deref().is_some_and(
                |d| d.contains("grabber (pid 7") && d.ends_with("; was /usr/bin/zoiper")
            ),
            "{details:?}"
        );
    }

    #[test]
    fn with_privacy_off_camera_use_is_recorded_but_not_told() {
        let mut s = state(PrivacyMode::Off, "");
        let actions = s
            .handle(Event::Camera {
                scan: camera_scan(&[(9, "/usr/bin/chrome")], true),
                at: Millis(0),
            })
            .unwrap();
        assert_eq!(kinds_and_notices(&actions), (vec!["camera_use_started"], 0));
        assert!(s.status().problems.is_empty());
    }

    #[test]
    fn degraded_detection_is_never_shown_as_nothing_in_use() {
        let mut s = state(PrivacyMode::On, "");
        assert_eq!(s.camera().detection, crate::camera::Detection::Degraded);
        assert!(
            s.status().problems.is_empty(),
            "not a problem while starting"
        );
        s.handle(Event::Camera {
            scan: camera_scan(&[], false),
            at: Millis(0),
        })
        .unwrap();
        let st = s.status();
        assert_eq!(st.camera.detection, crate::camera::Detection::Degraded);
        assert_eq!(st.state, Overall::Attention);
        assert!(
            st.problems[0].message.contains("/proc is not mounted"),
            "{:?}",
            st.problems
        );
    }

    #[test]
    fn microphone_users_come_from_the_audio_system() {
        let mut s = state(PrivacyMode::On, "microphone.allowed_apps = [\"zoiper\"]");
        let mut report = match mic_report(true, &[], 0) {
            Event::Microphone(r) => r,
            _ => unreachable!(),
        };
        report.users = vec![DeviceUse {
            kind: UseKind::Microphone,
            device: "hs".into(),
            device_name: "USB Headset".into(),
            pid: 7,
            exe: "/usr/bin/zoiper".into(),
            user: None,
            trust: crate::camera::Trust::Verified,
        }];
        let actions = s.handle(Event::Microphone(report)).unwrap();
        assert_eq!(
            kinds_and_notices(&actions),
            (vec!["microphone_use_started"], 0)
        );
        let v = serde_json::to_value(s.status()).unwrap();
        assert_eq!(v["camera"]["microphone_users"][0]["pid"], 7);
        assert_eq!(v["camera"]["microphone_users"][0]["device"], "USB Headset");
        let actions = s.handle(mic_report(true, &[], 1)).unwrap();
        assert_eq!(
            kinds_and_notices(&actions),
            (vec!["microphone_use_stopped"], 0)
        );
    }

    #[test]
    fn cover_check_changes_are_recorded_and_uncovered_is_told() {
        let mut s = state(PrivacyMode::On, "");
        let read = |s: &mut VeilState, lum: f32| {
            s.handle(Event::CameraCover {
                reading: Ok(CoverReading {
                    device: "Integrated Camera".into(),
                    luminance: lum,
                }),
                at: Millis(0),
            })
            .unwrap()
        };
        assert_eq!(
            kinds_and_notices(&read(&mut s, 3.0)),
            (vec!["camera_cover_checked"], 0)
        );
        assert_eq!(kinds_and_notices(&read(&mut s, 4.0)), (vec![], 0));
        assert_eq!(
            kinds_and_notices(&read(&mut s, 90.0)),
            (vec!["camera_cover_checked"], 1)
        );
        assert_eq!(s.camera().cover.map(|c| c.covered), Some(false));
    }
}

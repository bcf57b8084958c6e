//! The app's one state, owned by one actor: events in, actions out. The
//! actor in the app crate feeds it and carries out what it returns; nothing
//! here touches the OS.

use serde::{Deserialize, Serialize};

use crate::camera::status::describe;
use crate::camera::{
    CameraScan, CameraStatus, CoverCheck, CoverReading, DeviceUse, SessionEvent, Sessions, UseKind,
};
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

#[derive(Debug, Clone, PartialEq)]
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
    /// The camera detector looked.
    Camera {
        scan: CameraScan,
        at: Millis,
    },
    /// The training modules were loaded (at start, and again when the
    /// organization's folder changes).
    TrainingContent {
        modules: Vec<crate::training::Module>,
        errors: Vec<crate::training::ContentError>,
    },
    /// The agent's stored training history (once the store is open).
    TrainingHistory {
        lessons: Vec<(String, i64)>,
        answers: Vec<crate::training::Answer>,
    },
    /// Once a second: may a quiz pop up?
    TrainingTick(crate::training::Moment),
    LessonRead {
        module: String,
        at: Millis,
    },
    QuizAnswer {
        question: String,
        chosen: Vec<String>,
        took_ms: i64,
        at: Millis,
    },
    /// The quiz pop-up closed; `later` when the agent chose "Later".
    QuizClosed {
        later: bool,
        at: Millis,
    },
    /// "Practice now" from the training window.
    Practice {
        module: Option<String>,
        at: Millis,
    },
    /// The camera cover check read a frame, or could not.
    CameraCover {
        reading: Result<CoverReading, String>,
        at: Millis,
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
    /// Store a training answer durably.
    SaveAnswer(crate::training::Answer),
    SaveLessonRead {
        module: String,
        at: i64,
    },
    /// Open the quiz pop-up (its content is in the snapshot).
    ShowQuiz,
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
    #[error("{0}")]
    Training(String),
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
    /// The camera detector's last look; None until the first.
    camera_scan: Option<CameraScan>,
    /// Recording programs as the audio system sees them.
    audio_mic_users: Vec<DeviceUse>,
    sessions: Sessions,
    cover: Option<CoverCheck>,
    trainer: crate::training::Trainer,
}

/// The agent hears about microphone corrections at most this often.
const MIC_NOTICE_SPACING: std::time::Duration = std::time::Duration::from_secs(60);

impl VeilState {
    pub fn new(chosen: PrivacyMode, config: Config, store_path: &str) -> Self {
        let effective = config.effective();
        let sessions = Sessions::new(effective.settings().allowed_apps);
        Self {
            chosen,
            config,
            settings: effective.settings(),
            effective,
            store: StoreStatus::starting(store_path),
            mic: MicStatus::starting(crate::mic::status::native_backend()),
            last_mic_notice: None,
            shield: ShieldStatus::starting(),
            camera_scan: None,
            audio_mic_users: vec![],
            sessions,
            cover: None,
            trainer: Default::default(),
        }
    }

    pub fn trainer(&self) -> &crate::training::Trainer {
        &self.trainer
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
            Event::Camera { scan, at } => {
                self.camera_scan = Some(scan);
                let mut actions = self.observe_uses(UseKind::Camera, at);
                actions.extend(self.observe_uses(UseKind::Microphone, at));
                Ok(actions)
            }
            Event::CameraCover { reading, at } => Ok(self.cover_reading(reading, at)),
            Event::TrainingContent { modules, errors } => {
                self.trainer.set_content(modules, errors);
                Ok(vec![])
            }
            Event::TrainingHistory { lessons, answers } => {
                self.trainer.set_history(&lessons, &answers);
                Ok(vec![])
            }
            Event::TrainingTick(moment) => {
                let show = self.trainer.tick(moment, &self.settings.training);
                Ok(if show { vec![Action::ShowQuiz] } else { vec![] })
            }
            Event::LessonRead { module, at } => match self.trainer.lesson_read(&module, at) {
                Ok(true) => Ok(vec![Action::SaveLessonRead { module, at: at.0 }]),
                Ok(false) => Ok(vec![]),
                Err(e) => Err(Denied::Training(e)),
            },
            Event::QuizAnswer {
                question,
                chosen,
                took_ms,
                at,
            } => self
                .trainer
                .answer(&question, chosen, took_ms, at)
                .map(|a| vec![Action::SaveAnswer(a)])
                .map_err(Denied::Training),
            Event::QuizClosed { later, at } => {
                self.trainer.close_quiz(later, &self.settings.training, at);
                Ok(vec![])
            }
            Event::Practice { module, at } => {
                let first_read = self
                    .trainer
                    .practice(module.as_deref(), &self.settings.training, at)
                    .map_err(Denied::Training)?;
                let mut actions = vec![Action::ShowQuiz];
                if let (true, Some(m)) = (first_read, module) {
                    actions.push(Action::SaveLessonRead {
                        module: m,
                        at: at.0,
                    });
                }
                Ok(actions)
            }
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
        self.audio_mic_users = report.users;
        let mut actions = self.observe_uses(UseKind::Microphone, report.at);
        actions.extend(report.changes.iter().map(|c| {
            Action::Record(Record {
                kind: c.kind.record_kind(),
                actor: Actor::Veil,
                details: format!("{}: {}; {}", c.device, c.what, c.why),
            })
        }));
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

    /// Every use of `kind` now, from whichever detectors see it.
    fn observe_uses(&mut self, kind: UseKind, at: Millis) -> Vec<Action> {
        let mut uses: Vec<DeviceUse> = self
            .camera_scan
            .iter()
            .flat_map(|s| s.uses.iter())
            .filter(|u| u.kind == kind)
            .cloned()
            .collect();
        if kind == UseKind::Microphone {
            uses.extend(self.audio_mic_users.iter().cloned());
        }
        let privacy_on = self.privacy_mode() == PrivacyMode::On;
        let mut actions = Vec::new();
        for event in self.sessions.observe(kind, &uses, at) {
            match event {
                SessionEvent::Started { session, notify } => {
                    actions.push(Action::Record(Record {
                        kind: kind.record_kinds().started,
                        actor: Actor::Veil,
                        details: session.details(at),
                    }));
                    if notify && privacy_on {
                        let did = format!("opened {}", session.device_name);
                        actions.push(use_notice(&session, &did));
                    }
                }
                SessionEvent::Changed {
                    session,
                    previous_exe,
                    notify,
                } => {
                    let previous = if previous_exe.is_empty() {
                        "a program whose name was hidden".to_string()
                    } else {
                        previous_exe
                    };
                    actions.push(Action::Record(Record {
                        kind: kind.record_kinds().changed,
                        actor: Actor::Veil,
                        details: format!("{}; was {previous}", session.details(at)),
                    }));
                    if notify && privacy_on {
                        let did = format!("took over {} from {previous}", session.device_name);
                        actions.push(use_notice(&session, &did));
                    }
                }
                SessionEvent::Stopped(session) => actions.push(Action::Record(Record {
                    kind: kind.record_kinds().stopped,
                    actor: Actor::Veil,
                    details: session.details(at),
                })),
            }
        }
        actions
    }

    fn cover_reading(&mut self, reading: Result<CoverReading, String>, at: Millis) -> Vec<Action> {
        let reading = match reading {
            Ok(r) => r,
            Err(why) => {
                return vec![Action::Record(Record {
                    kind: "camera_cover_check_failed",
                    actor: Actor::Veil,
                    details: why,
                })]
            }
        };
        let covered = crate::camera::cover::covered(reading.luminance);
        let changed = self.cover.as_ref().is_none_or(|c| c.covered != covered);
        self.cover = Some(CoverCheck {
            covered,
            device: reading.device.clone(),
            luminance: reading.luminance,
            checked_at: at.0,
        });
        if !changed {
            return vec![];
        }
        let mut actions = vec![Action::Record(Record {
            kind: "camera_cover_checked",
            actor: Actor::Veil,
            details: format!(
                "{}: {} (mean luminance {:.1})",
                reading.device,
                if covered { "covered" } else { "not covered" },
                reading.luminance
            ),
        })];
        if !covered {
            actions.push(Action::Notify {
                title: "Cover your camera".into(),
                body: format!(
                    "{} is not covered. Slide the cover closed when you are not on a video call.",
                    reading.device
                ),
            });
        }
        actions
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
        CameraStatus::of(
            self.camera_scan.as_ref(),
            mic_visible,
            self.sessions.open(),
            self.sessions.history(),
            self.cover.clone(),
        )
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
                self.sessions.set_allow(self.settings.allowed_apps.clone());
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
            for s in self.sessions.open().filter(|s| !s.allowed) {
                out.push(Problem {
                    source: "camera".into(),
                    summary: describe(s),
                    message: format!(
                        "{} is using {} ({}). Your organization has not approved it; if you did not start it, close it and report it to IT.",
                        s.app, s.device_name, s.exe
                    ),
                });
            }
        }
        if self.camera_scan.is_some() {
            let camera = self.camera();
            if let Some(why) = camera
                .message
                .filter(|_| camera.detection == crate::camera::Detection::Degraded)
            {
                out.push(Problem {
                    source: "camera".into(),
                    summary: "Camera use not fully visible".into(),
                    message: format!(
                        "Veil cannot see every use of the camera and microphone: {why}."
                    ),
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
            camera: self.camera(),
            training: self
                .trainer
                .status(&self.settings.training, self.trainer.now()),
        }
    }

    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            status: self.status(),
            settings: self.effective.clone(),
            quiz: self.trainer.quiz().cloned(),
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

/// Tells the agent what an unapproved program did with a device (`did`:
/// "opened Integrated Camera").
fn use_notice(session: &crate::camera::Session, did: &str) -> Action {
    Action::Notify {
        title: describe(session),
        body: format!(
            "{} {did}. If you did not start this, close it and report it to IT.",
            session.app
        ),
    }
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
                Action::Record(r) => Some(r.kind),
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

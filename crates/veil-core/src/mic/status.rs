//! What `veil status --json` and the dashboard show about the microphones.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::guard::{Change, ChangeKind};
use super::plan::{self, View};
use crate::audit::RecordKind;
use crate::clock::Millis;
use crate::state::{Action, ChangedBy, Record};
use crate::status::Problem;

/// The audio backend this build talks to.
pub fn native_backend() -> &'static str {
    if cfg!(windows) {
        "wasapi"
    } else if cfg!(target_os = "macos") {
        "coreaudio"
    } else {
        "pulseaudio"
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Connection {
    /// Veil has not reached the audio system yet.
    Starting,
    Connected,
    /// The audio server went away; Veil keeps trying to reconnect.
    Disconnected,
}

/// The `microphone` object of `veil status --json`. `default`, `headset`,
/// `muted`, `compliant` and `backend` are the contract; the rest explains.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct MicStatus {
    /// The default input's name.
    pub default: Option<String>,
    /// The headset Veil keeps as the default, if one is connected.
    pub headset: Option<String>,
    /// Every muted input, by name.
    pub muted: Vec<String>,
    /// A headset is the default and no laptop or webcam microphone is open.
    pub compliant: bool,
    /// `pulseaudio`, `wasapi` or `coreaudio`.
    pub backend: String,
    pub connection: Connection,
    /// Privacy mode is on, so the guard enforces the rule.
    pub enforcing: bool,
    /// Another program keeps undoing Veil's changes.
    pub contested: bool,
    /// Why the audio system cannot be reached, when it cannot.
    pub message: Option<String>,
    /// An application is recording (a call is likely under way).
    pub recording: bool,
    /// The dashboard's mic check has the default microphone open now.
    pub mic_check: bool,
}

impl MicStatus {
    pub fn starting(backend: &str) -> Self {
        Self {
            default: None,
            headset: None,
            muted: vec![],
            compliant: false,
            backend: backend.to_string(),
            connection: Connection::Starting,
            enforcing: false,
            contested: false,
            message: None,
            recording: false,
            mic_check: false,
        }
    }

    pub fn disconnected(backend: &str, message: impl Into<String>) -> Self {
        Self {
            connection: Connection::Disconnected,
            message: Some(message.into()),
            ..Self::starting(backend)
        }
    }

    /// The status of the devices as they are now.
    pub fn of(view: &View, backend: &str, enforcing: bool, contested: bool) -> Self {
        let plan = plan::plan(view);
        let name = |id: &str| {
            view.inputs
                .iter()
                .find(|i| i.id == id)
                .map(|i| i.name.clone())
                .unwrap_or_else(|| id.to_string())
        };
        Self {
            default: view.default_id.as_deref().map(name),
            headset: plan.headset.as_deref().map(name),
            muted: view
                .inputs
                .iter()
                .filter(|i| i.muted)
                .map(|i| i.name.clone())
                .collect(),
            compliant: plan.compliant,
            backend: backend.to_string(),
            connection: Connection::Connected,
            enforcing,
            contested,
            message: None,
            recording: !view.streams.is_empty(),
            mic_check: false,
        }
    }

    /// What needs the agent's attention while privacy mode is on, if
    /// anything.
    pub fn problem(&self) -> Option<Problem> {
        let why = self.message.as_deref().unwrap_or("no connection");
        let (code, summary, message) = match self.connection {
            Connection::Starting => return None,
            Connection::Disconnected => (
                "audio-unreachable",
                "Audio system unreachable".to_string(),
                format!(
                    "Veil cannot reach the audio system ({}); it keeps trying, and re-applies the microphone rules when it is back.",
                    self.message.as_deref().unwrap_or("no connection")
                ),
            ),
            Connection::Connected if self.headset.is_none() => (
                "no-headset",
                "Connect your headset".into(),
                "Connect your headset. Until then the laptop microphone stays muted.".into(),
            ),
            Connection::Connected if self.contested => (
                "mic-contested",
                "Microphone settings keep changing".into(),
                "Another program keeps changing the microphone settings; Veil keeps putting them back.".into(),
            ),
            Connection::Connected => return None,
        };
        Some(Problem::new("microphone", code, summary, message).arg("why", why))
    }
}

/// What the microphone guard tells the app after each look at the devices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MicReport {
    pub status: MicStatus,
    pub changes: Vec<Change>,
    /// Programs recording from an input now (other than Veil itself).
    pub users: Vec<crate::camera::DeviceUse>,
    pub at: Millis,
}

/// The agent hears about microphone corrections at most this often.
const MIC_NOTICE_SPACING: std::time::Duration = std::time::Duration::from_secs(60);

impl MicReport {
    /// Each change recorded; a correction told to the agent unless they
    /// were told less than a minute ago (`last_notice`).
    pub fn actions(&self, last_notice: &mut Option<Millis>) -> Vec<Action> {
        let mut actions: Vec<Action> = self
            .changes
            .iter()
            .map(|c| {
                Action::Record(Record {
                    kind: c.kind.record_kind(),
                    by: ChangedBy::Veil,
                    details: format!("{}: {}; {}", c.device, c.what, c.why),
                })
            })
            .collect();
        let correction = self
            .changes
            .iter()
            .find(|c| c.kind == ChangeKind::Corrected);
        if let Some(c) = correction {
            let due = last_notice.is_none_or(|last| self.at.since(last) >= MIC_NOTICE_SPACING);
            if due {
                *last_notice = Some(self.at);
                actions.push(Action::Notify {
                    title: crate::i18n::Message::new("notify-mic-corrected-title"),
                    body: crate::i18n::Message::new("notify-mic-corrected-body")
                        .arg("device", c.device.as_str())
                        .part("what", c.what_message.clone())
                        .part("why", c.why_message.clone()),
                });
            }
        }
        actions
    }
}

impl ChangeKind {
    /// The audit log's kind for it.
    pub fn record_kind(self) -> RecordKind {
        match self {
            ChangeKind::Enforced => RecordKind::MicEnforced,
            ChangeKind::Corrected => RecordKind::MicCorrected,
            ChangeKind::Restored => RecordKind::MicRestored,
        }
    }
}

/// The dashboard's mic check: the live input level of the default
/// microphone, as the tray app measures it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum MicLevel {
    Running { device: String, level: f32 },
    Stopped,
    Failed { message: String },
}

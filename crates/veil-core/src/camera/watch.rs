//! The camera guard's state: what the detectors and the audio system last
//! saw, the sessions that makes, and the last cover check; what to record
//! and tell about each change, and what needs attention.

use super::status::describe;
use super::{
    CameraScan, CameraStatus, CoverCheck, CoverReading, Detection, DeviceUse, Session,
    SessionEvent, Sessions, UseKind,
};
use crate::audit::RecordKind;
use crate::clock::Millis;
use crate::i18n::Message;
use crate::state::{Action, ChangedBy, Record};
use crate::status::Problem;

#[derive(Debug, Clone)]
pub struct CameraWatch {
    /// The camera detector's last look; None until the first.
    scan: Option<CameraScan>,
    /// Recording programs as the audio system sees them.
    audio_users: Vec<DeviceUse>,
    sessions: Sessions,
    cover: Option<CoverCheck>,
}

impl CameraWatch {
    pub fn new(allow: super::AllowList) -> Self {
        Self {
            scan: None,
            audio_users: vec![],
            sessions: Sessions::new(allow),
            cover: None,
        }
    }

    pub fn set_allow(&mut self, allow: super::AllowList) {
        self.sessions.set_allow(allow);
    }

    /// The camera detector looked.
    pub fn scanned(&mut self, scan: CameraScan, at: Millis, privacy_on: bool) -> Vec<Action> {
        self.scan = Some(scan);
        let mut actions = self.observe(UseKind::Camera, at, privacy_on);
        actions.extend(self.observe(UseKind::Microphone, at, privacy_on));
        actions
    }

    /// The audio system's recording programs, from the microphone guard.
    pub fn audio_users(
        &mut self,
        users: Vec<DeviceUse>,
        at: Millis,
        privacy_on: bool,
    ) -> Vec<Action> {
        self.audio_users = users;
        self.observe(UseKind::Microphone, at, privacy_on)
    }

    /// Every use of `kind` now, from whichever detectors see it.
    fn observe(&mut self, kind: UseKind, at: Millis, privacy_on: bool) -> Vec<Action> {
        let mut uses: Vec<DeviceUse> = self
            .scan
            .iter()
            .flat_map(|s| s.uses.iter())
            .filter(|u| u.kind == kind)
            .cloned()
            .collect();
        if kind == UseKind::Microphone {
            uses.extend(self.audio_users.iter().cloned());
        }
        let kinds = kind.record_kinds();
        let mut actions = Vec::new();
        for event in self.sessions.observe(kind, &uses, at) {
            match event {
                SessionEvent::Started { session, notify } => {
                    actions.push(record(kinds.started, session.details(at)));
                    if notify && privacy_on {
                        let did = Message::new("notify-device-opened")
                            .arg("app", session.app.as_str())
                            .arg("device", session.device_name.as_str());
                        actions.push(use_notice(&session, did));
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
                    actions.push(record(
                        kinds.changed,
                        format!("{}; was {previous}", session.details(at)),
                    ));
                    if notify && privacy_on {
                        let did = Message::new("notify-device-taken-over")
                            .arg("app", session.app.as_str())
                            .arg("device", session.device_name.as_str())
                            .arg("previous", previous.as_str());
                        actions.push(use_notice(&session, did));
                    }
                }
                SessionEvent::Stopped(session) => {
                    actions.push(record(kinds.stopped, session.details(at)))
                }
            }
        }
        actions
    }

    /// The cover check read a frame, or could not.
    pub fn cover_reading(
        &mut self,
        reading: Result<CoverReading, String>,
        at: Millis,
    ) -> Vec<Action> {
        let reading = match reading {
            Ok(r) => r,
            Err(why) => return vec![record(RecordKind::CameraCoverCheckFailed, why)],
        };
        let covered = super::cover::covered(reading.luminance);
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
        let mut actions = vec![record(
            RecordKind::CameraCoverChecked,
            format!(
                "{}: {} (mean luminance {:.1})",
                reading.device,
                if covered { "covered" } else { "not covered" },
                reading.luminance
            ),
        )];
        if !covered {
            actions.push(Action::Notify {
                title: Message::new("notify-cover-camera-title"),
                body: Message::new("notify-cover-camera-body")
                    .arg("device", reading.device.as_str()),
            });
        }
        actions
    }

    /// The `camera` object of the status. `microphone_visible` is why the
    /// audio system cannot be asked, when it cannot.
    pub fn status(&self, microphone_visible: Result<(), String>) -> CameraStatus {
        CameraStatus::of(
            self.scan.as_ref(),
            microphone_visible,
            self.sessions.open(),
            self.sessions.history(),
            self.cover.clone(),
        )
    }

    /// Unapproved programs using a device (while privacy mode is on), and
    /// detection that cannot see every use.
    pub fn problems(&self, status: &CameraStatus, privacy_on: bool) -> Vec<Problem> {
        let mut out = Vec::new();
        if privacy_on {
            for s in self.sessions.open().filter(|s| !s.allowed) {
                out.push(unapproved(s));
            }
        }
        if self.scan.is_some() && status.detection == Detection::Degraded {
            if let Some(why) = &status.message {
                out.push(
                    Problem::new(
                        "camera",
                        "camera-not-visible",
                        "Camera use not fully visible".into(),
                        format!("Veil cannot see every use of the camera and microphone: {why}."),
                    )
                    .arg("why", why.as_str()),
                );
            }
        }
        out
    }
}

fn unapproved(s: &Session) -> Problem {
    Problem::new(
        "camera",
        &format!("unapproved-{}", s.kind.noun()),
        describe(s),
        format!(
            "{} is using {} ({}). Your organization has not approved it; if you did not start it, close it and report it to IT.",
            s.app, s.device_name, s.exe
        ),
    )
    .arg("app", s.app.as_str())
    .arg("device", s.device_name.as_str())
    .arg("exe", s.exe.as_str())
}

fn record(kind: RecordKind, details: String) -> Action {
    Action::Record(Record {
        kind,
        by: ChangedBy::Veil,
        details,
    })
}

/// Tells the agent what an unapproved program did with a device (`did`:
/// "Zoom opened Integrated Camera. If you did not start this...").
fn use_notice(session: &Session, did: Message) -> Action {
    Action::Notify {
        title: Message::new(format!(
            "problem-unapproved-{}-summary",
            session.kind.noun()
        ))
        .arg("app", session.app.as_str()),
        body: did,
    }
}

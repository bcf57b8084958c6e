//! The `camera` object of `veil status --json` and the dashboard's camera
//! card.

use serde::Serialize;
use ts_rs::TS;

use super::{CameraDevice, CameraScan, Session, SourceCheck, UseKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Detection {
    /// At least one source sees camera use, and microphone use is visible.
    Ok,
    /// Veil cannot see all use: never read this as "nothing in use".
    Degraded,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CameraUser {
    pub pid: u32,
    pub exe: String,
    pub user: Option<String>,
    /// The allow-list names this program.
    pub allowed: bool,
    /// Whose word the pid and program are (`verified`,
    /// `untrusted_location`, `claimed`).
    pub trust: super::Trust,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DeviceStatus {
    pub name: String,
    pub path: String,
    pub in_use: bool,
    pub users: Vec<CameraUser>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct MicrophoneUser {
    pub pid: u32,
    pub exe: String,
    /// The input's name.
    pub device: String,
    pub user: Option<String>,
    pub allowed: bool,
    pub trust: super::Trust,
}

/// Whether the lens looked covered at the last check (opt-in by policy).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct CoverCheck {
    pub covered: bool,
    pub device: String,
    pub luminance: f32,
    /// Unix milliseconds.
    pub checked_at: i64,
}

impl Eq for CoverCheck {}

/// `devices`, `microphone_users` and `detection` are the contract; the rest
/// explains.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CameraStatus {
    pub devices: Vec<DeviceStatus>,
    pub microphone_users: Vec<MicrophoneUser>,
    pub detection: Detection,
    /// Which detection sources work here, and why the others do not.
    pub sources: Vec<SourceCheck>,
    /// Why detection is degraded.
    pub message: Option<String>,
    /// Finished sessions, most recent first.
    pub recent: Vec<Session>,
    pub cover: Option<CoverCheck>,
}

/// Finished sessions the status lists.
const RECENT: usize = 10;

impl CameraStatus {
    pub fn starting() -> Self {
        Self {
            devices: vec![],
            microphone_users: vec![],
            detection: Detection::Degraded,
            sources: vec![],
            message: Some("camera detection is starting".into()),
            recent: vec![],
            cover: None,
        }
    }

    /// Builds the status from the last camera look, the microphone users
    /// and the sessions.
    pub fn of<'a>(
        scan: Option<&CameraScan>,
        mic_visible: Result<(), String>,
        open: impl Iterator<Item = &'a Session> + Clone,
        history: impl Iterator<Item = &'a Session>,
        cover: Option<CoverCheck>,
    ) -> Self {
        let microphone_users: Vec<MicrophoneUser> = open
            .clone()
            .filter(|s| s.kind == UseKind::Microphone)
            .map(|s| MicrophoneUser {
                pid: s.pid,
                exe: s.exe.clone(),
                device: s.device_name.clone(),
                user: s.user.clone(),
                allowed: s.allowed,
                trust: s.trust,
            })
            .collect();
        let Some(scan) = scan else {
            return Self {
                microphone_users,
                cover,
                recent: history.take(RECENT).cloned().collect(),
                ..Self::starting()
            };
        };
        let users_of = |d: &CameraDevice| -> Vec<CameraUser> {
            open.clone()
                .filter(|s| s.kind == UseKind::Camera && s.device == d.path)
                .map(|s| CameraUser {
                    pid: s.pid,
                    exe: s.exe.clone(),
                    user: s.user.clone(),
                    allowed: s.allowed,
                    trust: s.trust,
                })
                .collect()
        };
        let mut devices: Vec<DeviceStatus> = scan
            .devices
            .iter()
            .map(|d| {
                let users = users_of(d);
                DeviceStatus {
                    name: d.name.clone(),
                    path: d.path.clone(),
                    in_use: !users.is_empty(),
                    users,
                }
            })
            .collect();
        // A use on a device the list does not name (Windows' consent store
        // says "a camera", not which) still shows.
        for s in open.clone().filter(|s| s.kind == UseKind::Camera) {
            if !devices.iter().any(|d| d.path == s.device) {
                let d = CameraDevice {
                    name: s.device_name.clone(),
                    path: s.device.clone(),
                };
                let users = users_of(&d);
                devices.push(DeviceStatus {
                    name: d.name,
                    path: d.path,
                    in_use: true,
                    users,
                });
            }
        }
        let mut why = Vec::new();
        if !scan.detects() {
            why.push(
                "no way to see camera use works here".to_string()
                    + &scan
                        .sources
                        .iter()
                        .filter_map(|s| s.message.as_ref().map(|m| format!("; {}: {m}", s.name)))
                        .collect::<String>(),
            );
        }
        if let Err(e) = mic_visible {
            why.push(format!("microphone use cannot be seen: {e}"));
        }
        Self {
            devices,
            microphone_users,
            detection: if why.is_empty() {
                Detection::Ok
            } else {
                Detection::Degraded
            },
            sources: scan.sources.clone(),
            message: (!why.is_empty()).then(|| why.join("; ")),
            recent: history.take(RECENT).cloned().collect(),
            cover,
        }
    }

    /// Any camera or microphone in use (a call is likely under way).
    pub fn in_use(&self) -> bool {
        self.devices.iter().any(|d| d.in_use) || !self.microphone_users.is_empty()
    }

    pub fn camera_in_use(&self) -> bool {
        self.devices.iter().any(|d| d.in_use)
    }
}

/// "chrome is using the camera".
pub fn describe(s: &Session) -> String {
    format!("{} is using the {}", s.app, s.kind.noun())
}

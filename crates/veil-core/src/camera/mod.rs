//! Camera and microphone use detection (pure): who uses which device, the
//! sessions that makes, what the allow-list says, and what the dashboard and
//! `veil status` show. The detectors in veil-os report what they see; these
//! functions decide what it means.

pub mod consent;
pub mod cover;
pub mod pipewire;
pub mod sessions;
pub mod status;
pub mod watch;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use sessions::{AllowList, Session, SessionEvent, Sessions};
pub use status::{CameraStatus, CoverCheck, Detection};
pub use watch::CameraWatch;

use crate::audit::RecordKind;

/// A camera, as a detector names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CameraDevice {
    pub name: String,
    /// The device node on Linux, the device id elsewhere.
    pub path: String,
}

/// Audit kinds of one kind of use session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordKinds {
    pub started: RecordKind,
    /// The process holding the device now runs another program.
    pub changed: RecordKind,
    pub stopped: RecordKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum UseKind {
    Camera,
    Microphone,
}

impl UseKind {
    /// The audit kinds of a session's start, change of program and stop.
    pub fn record_kinds(self) -> RecordKinds {
        match self {
            UseKind::Camera => RecordKinds {
                started: RecordKind::CameraUseStarted,
                changed: RecordKind::CameraUseChanged,
                stopped: RecordKind::CameraUseStopped,
            },
            UseKind::Microphone => RecordKinds {
                started: RecordKind::MicrophoneUseStarted,
                changed: RecordKind::MicrophoneUseChanged,
                stopped: RecordKind::MicrophoneUseStopped,
            },
        }
    }

    pub fn noun(self) -> &'static str {
        match self {
            UseKind::Camera => "camera",
            UseKind::Microphone => "microphone",
        }
    }
}

/// One process using one device, as a detector saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceUse {
    pub kind: UseKind,
    /// The device's path or id.
    pub device: String,
    /// The device's name, for people.
    pub device_name: String,
    /// 0 when the OS does not say (Windows' consent store for packaged apps).
    pub pid: u32,
    /// The executable's full path, or its name when the path is hidden.
    pub exe: String,
    /// The account the process runs as, when known.
    pub user: Option<String>,
    /// Whose word the pid and program are.
    #[serde(default)]
    pub trust: Trust,
}

/// How far a use's process and program can be believed. A process in the
/// agent's account can claim any pid to the audio server, name itself
/// anything and copy any program anywhere; only what the OS or the server
/// establishes is taken, and only programs in folders an administrator
/// alone can write may be allowed by name.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS,
)]
#[serde(rename_all = "snake_case")]
pub enum Trust {
    /// The OS or the audio server names the process, and its program is in
    /// a folder only an administrator writes.
    Verified,
    /// The OS names the process, but its program is somewhere the agent
    /// can write (a copy in Downloads): never allowed by its name.
    UntrustedLocation,
    /// Only the program's own word says which process or program it is (a
    /// pid claimed to the audio server, a process Veil cannot inspect): an
    /// unknown program, never allowed, never taken for Veil.
    #[default]
    Claimed,
}

impl DeviceUse {
    /// The program's file name ("chrome" for /opt/google/chrome/chrome);
    /// "unknown program" when only its own word names it.
    pub fn app(&self) -> String {
        if self.trust == Trust::Claimed {
            return UNKNOWN_PROGRAM.into();
        }
        app_name(&self.exe)
    }
}

/// What a program is called whose identity is only its own claim.
pub const UNKNOWN_PROGRAM: &str = "unknown program";

/// The file name of an executable path, without `.exe`, for people and for
/// allow-list matching. Both `/` and `\` separate folders.
pub fn app_name(exe: &str) -> String {
    let base = exe.rsplit(['/', '\\']).next().unwrap_or(exe);
    let lower = base.to_ascii_lowercase();
    if lower.ends_with(".exe") {
        base[..base.len() - 4].to_string()
    } else {
        base.to_string()
    }
}

/// Whether one way of detecting use works on this machine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SourceCheck {
    /// `procfs`, `inotify`, `pipewire`, `consent_store`, `sensor_monitor`,
    /// `coremediaio`, `coreaudio_processes`, `pulseaudio`.
    pub name: String,
    pub ok: bool,
    /// Why it does not work, or what it cannot see.
    pub message: Option<String>,
}

impl SourceCheck {
    pub fn ok(name: &str) -> Self {
        Self {
            name: name.into(),
            ok: true,
            message: None,
        }
    }

    pub fn failed(name: &str, why: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            ok: false,
            message: Some(why.into()),
        }
    }
}

/// What the camera detector saw in one look.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CameraScan {
    pub devices: Vec<CameraDevice>,
    /// Camera uses, and microphone uses where the camera detector also sees
    /// those (Windows' consent store, macOS' process list).
    pub uses: Vec<DeviceUse>,
    pub sources: Vec<SourceCheck>,
    /// Sources that detect camera use (the rest only name or attribute).
    pub camera_sources: Vec<String>,
}

impl CameraScan {
    /// At least one way of seeing camera use works.
    pub fn detects(&self) -> bool {
        self.sources
            .iter()
            .any(|s| s.ok && self.camera_sources.contains(&s.name))
    }
}

/// A camera cover check's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoverReading {
    pub device: String,
    /// Mean luminance of the frame, 0 (black) to 255.
    pub luminance: f32,
}

impl Eq for CoverReading {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn app_names() {
        for (exe, app) in [
            ("/opt/google/chrome/chrome", "chrome"),
            (r"C:\Program Files\Zoom\bin\Zoom.exe", "Zoom"),
            ("zoom.EXE", "zoom"),
            ("obs", "obs"),
            ("", ""),
        ] {
            assert_eq!(app_name(exe), app, "{exe}");
        }
    }
}

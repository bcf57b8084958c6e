//! The audio system, as the microphone guard needs it: the inputs with the
//! facts that classify them, the default input, the recording streams, and
//! the three writes the guard makes (default, mute, move a stream). One
//! backend per OS, all behind [`AudioBackend`].

use std::fmt;

use serde::Serialize;
use veil_core::mic::plan::{Action, Input, Stream, View};
use veil_core::mic::{classify, Classification, DeviceFacts, HeadsetRule};

#[cfg(target_os = "macos")]
pub(crate) mod coreaudio;
pub mod meter;
#[cfg(target_os = "linux")]
mod peers;
#[cfg(target_os = "linux")]
mod pulse;
#[cfg(target_os = "linux")]
mod pulse_sources;
#[cfg(windows)]
pub(crate) mod wasapi;

/// The default-microphone interface Veil calls on Windows and the class it
/// asks for: the Windows tests register their own class behind it (Wine
/// has none), to check Veil's call path.
#[cfg(windows)]
#[doc(hidden)]
pub mod policy_config {
    pub use super::wasapi::policy_config::{IPolicyConfig, IPolicyConfig_Impl, IPolicyConfig_Vtbl};
    pub use super::wasapi::CLSID_POLICY_CONFIG_CLIENT;
}

/// One input device as the OS reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InputDevice {
    /// The backend's stable id (PulseAudio source name, WASAPI endpoint
    /// id, CoreAudio device UID).
    pub id: String,
    /// What the agent sees.
    pub name: String,
    pub muted: bool,
    pub facts: DeviceFacts,
}

/// A recording stream and the input it records from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordingStream {
    pub id: u32,
    pub input_id: String,
    pub app: Option<String>,
    pub pid: Option<u32>,
    /// `pid` is the OS's or the audio server's word, not only the client's
    /// own claim.
    pub pid_verified: bool,
    pub exe: Option<String>,
    /// The account the recording program runs as.
    pub user: Option<String>,
}

/// Everything the guard looks at, read in one go.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Devices {
    pub inputs: Vec<InputDevice>,
    pub default_id: Option<String>,
    pub streams: Vec<RecordingStream>,
}

impl Devices {
    /// Classifies every input with the policy's approved headsets.
    pub fn classified(&self, approved: &[HeadsetRule]) -> Vec<(&InputDevice, Classification)> {
        self.inputs
            .iter()
            .map(|d| (d, classify(&d.name, &d.facts, approved)))
            .collect()
    }

    /// The view the guard's decisions take.
    pub fn view(&self, approved: &[HeadsetRule]) -> View {
        View {
            inputs: self
                .classified(approved)
                .into_iter()
                .map(|(d, c)| Input {
                    id: d.id.clone(),
                    name: d.name.clone(),
                    class: c.class,
                    rank: c.rank,
                    muted: d.muted,
                })
                .collect(),
            default_id: self.default_id.clone(),
            streams: self
                .streams
                .iter()
                .map(|s| Stream {
                    id: s.id,
                    input_id: s.input_id.clone(),
                    app: s.app.clone(),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AudioError {
    /// The audio server cannot be reached, or went away.
    Unreachable(String),
    /// The server answered, but refused or failed a request.
    Failed(String),
    /// This OS has no backend in this build.
    Unsupported,
}

impl fmt::Display for AudioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AudioError::Unreachable(why) => write!(f, "the audio system cannot be reached: {why}"),
            AudioError::Failed(why) => write!(f, "the audio system refused: {why}"),
            AudioError::Unsupported => write!(f, "no audio backend for this system"),
        }
    }
}

impl std::error::Error for AudioError {}

/// Windows and macOS have no public way to move one application's
/// recording to another input.
#[cfg_attr(target_os = "linux", allow(dead_code))]
pub(crate) fn stream_move_unsupported(os: &str) -> AudioError {
    AudioError::Failed(format!(
        "{os} cannot move one application's recording to another microphone"
    ))
}

/// Called from the backend's own thread whenever the inputs, the default
/// or the streams changed; must be cheap. (A lost connection shows up as
/// a failed read, so there is nothing else to tell.)
pub type Notify = Box<dyn Fn() + Send + Sync>;

/// A live connection to the audio system. Not `Send`: it is created and
/// used on the guard's thread.
pub trait AudioBackend {
    /// `pulseaudio`, `wasapi` or `coreaudio`.
    fn kind(&self) -> &'static str;
    fn read(&mut self) -> Result<Devices, AudioError>;
    /// Carries out the actions and waits until the server has them.
    fn apply(&mut self, actions: &[Action]) -> Vec<(Action, Result<(), AudioError>)>;
}

/// Connects to this OS's audio system; `notify` hears about changes.
pub fn connect(notify: Notify) -> Result<Box<dyn AudioBackend>, AudioError> {
    #[cfg(target_os = "linux")]
    {
        pulse::PulseBackend::connect(notify).map(|b| Box::new(b) as Box<dyn AudioBackend>)
    }
    #[cfg(windows)]
    {
        wasapi::WasapiBackend::connect(notify).map(|b| Box::new(b) as Box<dyn AudioBackend>)
    }
    #[cfg(target_os = "macos")]
    {
        coreaudio::CoreAudioBackend::connect(notify).map(|b| Box::new(b) as Box<dyn AudioBackend>)
    }
    #[cfg(not(any(target_os = "linux", windows, target_os = "macos")))]
    {
        let _ = notify;
        Err(AudioError::Unsupported)
    }
}

//! Microphone guard decisions (pure): which input device is what, what to
//! change, and what Veil changed. The backends (PulseAudio, WASAPI,
//! CoreAudio) report facts and carry out actions; these functions decide.

pub mod classify;
pub mod guard;
pub mod plan;
pub mod status;

pub use classify::{
    classify, headset_rules, Class, Classification, DeviceFacts, HeadsetRule, Port,
    PortAvailability,
};
pub use guard::{Change, ChangeKind, Decision, Guard};
pub use status::{Connection, MicLevel, MicReport, MicStatus};

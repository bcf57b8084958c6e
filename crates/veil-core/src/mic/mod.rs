//! Microphone guard decisions (pure): which input device is what.
//! The backends (PulseAudio, WASAPI, CoreAudio) report facts; these
//! functions decide.

pub mod classify;
pub mod plan;

pub use classify::{
    classify, Class, Classification, DeviceFacts, HeadsetRule, Port, PortAvailability,
};

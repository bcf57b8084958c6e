//! The idle privacy shield's decisions (pure): its stages over idle time,
//! and where the overlays go on the monitors.

pub mod layout;
pub mod stage;

pub use layout::{cover, covers_all, Monitor, Overlay, Rect};
pub use stage::{Input, Output, Shield, ShieldTimes, Stage};

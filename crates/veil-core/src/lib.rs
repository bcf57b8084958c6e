//! Veil's decisions, free of OS calls: what the settings are, what state the
//! app is in, and what should happen next. Everything here is deterministic
//! given its inputs (time comes in through [`clock::Clock`]), so it is tested
//! table-style without a display or an audio server.

pub mod audit;
pub mod camera;
pub mod clock;
pub mod control;
pub mod csv;
pub mod fleet;
pub mod i18n;
pub mod lifecycle;
pub mod mic;
pub mod posture;
pub mod settings;
pub mod shield;
pub mod state;
pub mod status;
pub mod timefmt;
pub mod training;
pub mod ui_bindings;
pub mod window_calls;
pub mod window_router;

/// The product version, shared by the app, the CLI and `veil status`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

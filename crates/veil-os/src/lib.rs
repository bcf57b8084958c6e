//! Veil's adapters to the operating system. Each module wraps one OS service
//! behind a small interface; backends for Linux, Windows and macOS live side
//! by side under `#[cfg(target_os)]` and all type-check in CI.

pub mod audio;
pub mod autostart;
pub mod camera;
pub mod console;
pub mod control;
#[cfg(target_os = "linux")]
pub mod cover;
pub mod display;
#[cfg(windows)]
mod dll;
pub mod files;
pub mod fleet;
#[cfg(target_os = "linux")]
pub mod hotkey;
pub mod idle;
pub mod instance;
pub mod machine;
pub mod managed_policy;
pub mod paths;
pub mod posture;
pub mod process;
#[cfg(windows)]
pub mod registry;
pub mod secrets;
pub mod session;
#[cfg(target_os = "linux")]
pub mod system_bus;
pub mod watch;
#[cfg(windows)]
mod win_str;

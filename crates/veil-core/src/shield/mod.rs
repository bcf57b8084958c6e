//! The idle privacy shield's decisions (pure): its stages over idle time,
//! and where the overlays go on the monitors.

pub mod idle_notify;
pub mod layout;
pub mod shortcut;
pub mod stage;

use serde::Serialize;
use ts_rs::TS;

/// The `shield` object of `veil status --json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ShieldStatus {
    /// `active`, `warning`, `shielded` or `locked`.
    pub state: Stage,
    /// Seconds since the last keyboard or mouse input.
    pub idle_seconds: u64,
    /// `x11`, `windows`, `macos`, `mutter`, `ext-idle-notify` or `none`.
    pub idle_source: String,
    /// The idle shield is on (privacy mode on, or forced by policy).
    pub enabled: bool,
    /// Why idle time is not available, or why the shield failed.
    pub message: Option<String>,
    /// The "shield now" keyboard shortcut.
    pub shortcut: ShortcutStatus,
    /// The last lock was not confirmed by any way of locking this computer
    /// (the cover stays up; `lock_message` says what each way did).
    pub lock_failed: bool,
    pub lock_message: Option<String>,
}

/// The `shield.shortcut` object of `veil status --json`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
pub struct ShortcutStatus {
    /// The keys, as registered; `null` when switched off.
    pub keys: Option<String>,
    /// Pressing the keys in any program shields the screen.
    pub registered: bool,
    /// Why the keys could not be registered, or what limits them on this
    /// desktop (Wayland).
    pub message: Option<String>,
}

impl ShieldStatus {
    /// With the idle shield on (`enabled`) but no way of telling when the
    /// agent is away, the screen is not covered on its own.
    pub fn problem(&self, enabled: bool) -> Option<crate::status::Problem> {
        if self.lock_failed {
            let why = self
                .lock_message
                .as_deref()
                .unwrap_or("no screen locker answered");
            return Some(
                crate::status::Problem::new(
                    "shield",
                    "shield-lock-failed",
                    "This computer cannot lock itself".into(),
                    format!(
                        "Veil asked this computer to lock and nothing confirmed it ({why}). Your screen stays covered until you are back; lock it yourself when you step away, and tell IT."
                    ),
                )
                .arg("why", why),
            );
        }
        if !enabled || self.idle_source != "none" {
            return None;
        }
        let why = self.message.as_ref()?;
        Some(
            crate::status::Problem::new(
                "shield",
                "shield-no-idle-time",
                "Screen not covered when idle".into(),
                format!(
                    "Veil cannot tell when you are away ({why}), so it cannot cover your screen on its own. Use \"Shield screen now\" or lock the computer when you step away."
                ),
            )
            .arg("why", why.as_str()),
        )
    }

    pub fn starting() -> Self {
        Self {
            state: Stage::Active,
            idle_seconds: 0,
            idle_source: "none".into(),
            enabled: false,
            message: None,
            shortcut: ShortcutStatus::default(),
            lock_failed: false,
            lock_message: None,
        }
    }
}

pub use layout::{cover, covers_all, Monitor, Overlay, Rect};
pub use stage::{Input, Output, Shield, ShieldTimes, Stage};

//! Requests that change something (privacy mode, settings, the shield,
//! training progress) are let through at a human pace: a loop in the
//! agent's account cannot flood the audit log or rewrite the settings file
//! thousands of times a second. A refusal is recorded once a minute.

use std::sync::Mutex;

use tauri::{AppHandle, Manager};
use veil_core::audit::RecordKind;
use veil_core::clock::{Clock, SystemClock};
use veil_core::control::{Allowance, RateLimit};
use veil_core::state::{ChangedBy, Record};

use crate::actor::{ActorHandle, Command};

/// Where a request comes from. Each has its own allowance, so a loop on
/// the control channel cannot use up the agent's own clicks in Veil's
/// windows (which only Veil's own window process can send).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    ControlChannel,
    Windows,
}

/// Five a second, twenty at once, for each source: more than a person
/// clicks.
pub struct WriteLimit {
    control_channel: Mutex<RateLimit>,
    windows: Mutex<RateLimit>,
}

impl Default for WriteLimit {
    fn default() -> Self {
        WriteLimit {
            control_channel: Mutex::new(RateLimit::new(5, 20)),
            windows: Mutex::new(RateLimit::new(5, 20)),
        }
    }
}

/// Lets one request that changes something through, or says why not.
pub fn admit(app: &AppHandle, source: Source, what: &str) -> Result<(), String> {
    let Some(limit) = app.try_state::<WriteLimit>() else {
        return Ok(());
    };
    let bucket = match source {
        Source::ControlChannel => &limit.control_channel,
        Source::Windows => &limit.windows,
    };
    let allowance = bucket
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .check(SystemClock.now());
    match allowance {
        Allowance::Allowed => Ok(()),
        Allowance::Refused { record } => {
            if record {
                tracing::warn!("requests come faster than allowed; refusing some ({what})");
                if let Some(actor) = app.try_state::<ActorHandle>() {
                    let actor = actor.inner().clone();
                    let details = format!(
                        "more than 5 requests a second changed Veil's state; refused for now (first: {what})"
                    );
                    tauri::async_runtime::spawn(async move {
                        let _ = actor
                            .request(Command::Record(Record {
                                kind: RecordKind::ControlRateLimited,
                                by: ChangedBy::Veil,
                                details,
                            }))
                            .await;
                    });
                }
            }
            Err("too many requests; try again in a moment".into())
        }
    }
}

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

/// Five a second, twenty at once: more than a person clicks.
pub struct WriteLimit(Mutex<RateLimit>);

impl Default for WriteLimit {
    fn default() -> Self {
        WriteLimit(Mutex::new(RateLimit::new(5, 20)))
    }
}

/// Lets one request that changes something through, or says why not.
pub fn admit(app: &AppHandle, what: &str) -> Result<(), String> {
    let Some(limit) = app.try_state::<WriteLimit>() else {
        return Ok(());
    };
    let allowance = limit
        .0
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

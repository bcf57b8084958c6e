//! IPC commands for the windows. Thin: validate input, ask the actor.
//! Which window may call which command is set in capabilities/*.json.

use serde::Serialize;
use tauri::State;
use veil_core::settings::{schema, Value};
use veil_core::state::{Actor as Who, Event};
use veil_core::status::Snapshot;
use veil_os::paths::Paths;

use crate::actor::{Actor, Command};
use crate::mic_check::MicCheck;

#[derive(Debug, Serialize)]
pub struct About {
    version: &'static str,
    policy_path: String,
    settings_path: String,
    log_dir: String,
    data_dir: String,
}

#[tauri::command]
pub fn get_snapshot(actor: State<'_, Actor>) -> Snapshot {
    (*actor.snapshot()).clone()
}

#[tauri::command]
pub fn get_about(paths: State<'_, Paths>) -> About {
    About {
        version: veil_core::VERSION,
        policy_path: paths.policy_file.display().to_string(),
        settings_path: paths.settings_file().display().to_string(),
        log_dir: paths.log_dir.display().to_string(),
        data_dir: paths.data_dir.display().to_string(),
    }
}

#[tauri::command]
pub async fn set_privacy_mode(on: bool, actor: State<'_, Actor>) -> Result<(), String> {
    actor
        .request(Command::Event(Event::SetPrivacy {
            on,
            actor: Who::Agent,
        }))
        .await
}

/// Starts the dashboard's live microphone level (the mic check).
#[tauri::command]
pub fn start_mic_check(app: tauri::AppHandle, check: State<'_, MicCheck>) {
    check.start(&app);
}

#[tauri::command]
pub fn stop_mic_check(check: State<'_, MicCheck>) {
    check.stop();
}

#[tauri::command]
pub async fn set_setting(
    key: String,
    value: Option<Value>,
    actor: State<'_, Actor>,
) -> Result<(), String> {
    if schema::spec(&key).is_none() {
        return Err(format!(
            "unknown setting `{}`",
            key.chars().take(64).collect::<String>()
        ));
    }
    if let Some(Value::Text(t)) = &value {
        if t.len() > 4096 {
            return Err(format!("the value for `{key}` is too long"));
        }
    }
    actor.request(Command::SetSetting { key, value }).await
}

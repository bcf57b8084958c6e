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

fn now() -> veil_core::clock::Millis {
    use veil_core::clock::{Clock, SystemClock};
    SystemClock.now()
}

fn bounded_id(s: &str) -> Result<(), String> {
    if s.is_empty() || s.len() > 128 {
        return Err("invalid id".into());
    }
    Ok(())
}

#[tauri::command]
pub async fn get_training(
    actor: State<'_, Actor>,
) -> Result<veil_core::training::TrainingOverview, String> {
    actor.training_overview().await
}

#[tauri::command]
pub async fn read_lesson(module: String, actor: State<'_, Actor>) -> Result<(), String> {
    bounded_id(&module)?;
    actor
        .request(Command::Event(Event::LessonRead { module, at: now() }))
        .await
}

#[tauri::command]
pub async fn answer_question(
    question: String,
    chosen: Vec<String>,
    took_ms: i64,
    actor: State<'_, Actor>,
) -> Result<(), String> {
    bounded_id(&question)?;
    if chosen.len() > 26 || chosen.iter().any(|c| c.len() > 2) {
        return Err("invalid answer".into());
    }
    actor
        .request(Command::Event(Event::QuizAnswer {
            question,
            chosen,
            took_ms,
            at: now(),
        }))
        .await
}

#[tauri::command]
pub async fn close_quiz(
    later: bool,
    app: tauri::AppHandle,
    actor: State<'_, Actor>,
) -> Result<(), String> {
    let result = actor
        .request(Command::Event(Event::QuizClosed { later, at: now() }))
        .await;
    crate::windows::close_quiz(&app);
    result
}

#[tauri::command]
pub async fn practice(module: Option<String>, actor: State<'_, Actor>) -> Result<(), String> {
    if let Some(m) = &module {
        bounded_id(m)?;
    }
    actor
        .request(Command::Event(Event::Practice { module, at: now() }))
        .await
}

/// The dashboard's "Shield screen now" button.
#[tauri::command]
pub fn shield_now(shield: State<'_, crate::shield::ShieldHandle>) {
    shield.shield_now();
}

#[tauri::command]
pub fn open_training(app: tauri::AppHandle) -> Result<(), String> {
    crate::windows::open(&app, crate::windows::WindowKind::Training).map_err(|e| e.to_string())
}

/// The training window's export: the same CSV as `veil training report`,
/// written to the Downloads folder; returns the file's path.
#[tauri::command]
pub async fn export_training(paths: State<'_, Paths>) -> Result<String, String> {
    let text = crate::cli::training_report_text(&paths, crate::cli::ReportFormat::Csv)?;
    let path = crate::training::export_path(now().0);
    veil_os::files::atomic_write(&path, text.as_bytes())
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(path.display().to_string())
}

//! IPC commands of the windows, in the window process. Thin: what needs
//! the app's state or devices is passed on to the tray app over the control
//! channel (it checks the input and decides); what only shows things
//! (About, opening the training window, the report export) is done here.
//! Which window may call which command is set in capabilities/*.json.

use std::path::PathBuf;
use std::time::Duration;

use serde::Serialize;
use serde_json::Value as Json;
use tauri::State;
use veil_core::control::{Request, WindowCall};
use veil_core::settings::Value;
use veil_os::control;
use veil_os::paths::Paths;

use crate::windows;

/// Longer than any answer takes; a tray app that does not answer in this
/// time is stuck, and the window says so.
const ANSWER_WITHIN: Duration = Duration::from_secs(10);

/// Passes one call to the tray app and returns its answer.
pub async fn pass_on(runtime_dir: PathBuf, call: WindowCall) -> Result<Json, String> {
    let answer = tauri::async_runtime::spawn_blocking(move || {
        control::request(&runtime_dir, &Request::Window(call), ANSWER_WITHIN)
    })
    .await
    .map_err(|e| e.to_string())?
    .map_err(|e| e.to_string())?;
    if answer.ok {
        Ok(answer.value.unwrap_or(Json::Null))
    } else {
        Err(answer
            .error
            .unwrap_or_else(|| "Veil refused the request".into()))
    }
}

async fn pass(paths: &Paths, call: WindowCall) -> Result<Json, String> {
    pass_on(paths.runtime_dir.clone(), call).await
}

#[derive(Debug, Serialize)]
pub struct About {
    version: &'static str,
    policy_path: String,
    settings_path: String,
    log_dir: String,
    data_dir: String,
}

#[tauri::command]
pub async fn get_snapshot(paths: State<'_, Paths>) -> Result<Json, String> {
    pass(&paths, WindowCall::GetSnapshot).await
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
pub async fn set_privacy_mode(on: bool, paths: State<'_, Paths>) -> Result<(), String> {
    pass(&paths, WindowCall::SetPrivacyMode { on }).await?;
    Ok(())
}

/// Starts the dashboard's live microphone level (the mic check).
#[tauri::command]
pub async fn start_mic_check(paths: State<'_, Paths>) -> Result<(), String> {
    pass(&paths, WindowCall::StartMicCheck).await?;
    Ok(())
}

#[tauri::command]
pub async fn stop_mic_check(paths: State<'_, Paths>) -> Result<(), String> {
    pass(&paths, WindowCall::StopMicCheck).await?;
    Ok(())
}

#[tauri::command]
pub async fn set_setting(
    key: String,
    value: Option<Value>,
    paths: State<'_, Paths>,
) -> Result<(), String> {
    pass(&paths, WindowCall::SetSetting { key, value }).await?;
    Ok(())
}

#[tauri::command]
pub async fn get_training(paths: State<'_, Paths>) -> Result<Json, String> {
    pass(&paths, WindowCall::GetTraining).await
}

#[tauri::command]
pub async fn read_lesson(module: String, paths: State<'_, Paths>) -> Result<(), String> {
    pass(&paths, WindowCall::ReadLesson { module }).await?;
    Ok(())
}

#[tauri::command]
pub async fn answer_question(
    question: String,
    chosen: Vec<String>,
    took_ms: i64,
    paths: State<'_, Paths>,
) -> Result<(), String> {
    let call = WindowCall::AnswerQuestion {
        question,
        chosen,
        took_ms,
    };
    pass(&paths, call).await?;
    Ok(())
}

#[tauri::command]
pub async fn close_quiz(
    later: bool,
    app: tauri::AppHandle,
    paths: State<'_, Paths>,
) -> Result<(), String> {
    let result = pass(&paths, WindowCall::QuizClosed { later }).await;
    windows::close_quiz(&app);
    result.map(|_| ())
}

#[tauri::command]
pub async fn practice(module: Option<String>, paths: State<'_, Paths>) -> Result<(), String> {
    pass(&paths, WindowCall::Practice { module }).await?;
    Ok(())
}

/// The dashboard's "Shield screen now" button.
#[tauri::command]
pub async fn shield_now(paths: State<'_, Paths>) -> Result<(), String> {
    pass(&paths, WindowCall::ShieldNow).await?;
    Ok(())
}

#[tauri::command]
pub fn open_training(app: tauri::AppHandle) -> Result<(), String> {
    windows::open(&app, veil_core::control::WindowName::Training).map_err(|e| e.to_string())
}

/// The training window's export: the same CSV as `veil training report`,
/// written to the Downloads folder; returns the file's path.
#[tauri::command]
pub async fn export_training(paths: State<'_, Paths>) -> Result<String, String> {
    use veil_core::clock::{Clock, SystemClock};
    let text = crate::cli::training_report_text(&paths, crate::cli::ReportFormat::Csv)?;
    let path = crate::training::export_path(SystemClock.now().0);
    veil_os::files::atomic_write(&path, text.as_bytes())
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(path.display().to_string())
}

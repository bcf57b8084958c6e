//! The window process's Tauri commands: one per window call, generated
//! from veil-core's call table, each passing its call on to the tray app,
//! which checks it and decides (`window_calls` there). The window process
//! decides nothing itself. Which window may call which command is set in
//! capabilities/*.json.

use std::path::PathBuf;
use std::time::Duration;

use serde_json::Value as Json;
use tauri::{Manager, WebviewWindow};
use veil_core::control::{args, Request, WindowCall};
use veil_os::control;
use veil_os::paths::Paths;

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

async fn relay(window: &WebviewWindow, call: WindowCall) -> Result<Json, String> {
    let dir = window.state::<Paths>().runtime_dir.clone();
    pass_on(dir, call).await
}

macro_rules! relay_commands {
    ($(
        $(#[doc = $doc:literal])*
        $name:ident => $variant:ident { $($arg:ident : $ty:ty),* $(,)? } -> $ret:ty;
    )*) => {
        $(
            $(#[doc = $doc])*
            #[tauri::command(rename_all = "snake_case")]
            pub async fn $name(window: WebviewWindow $(, $arg: $ty)*) -> Result<Json, String> {
                relay(&window, args::$variant { $($arg),* }.into()).await
            }
        )*

        /// The window process's command handler: every window call.
        pub fn handler() -> impl Fn(tauri::ipc::Invoke<tauri::Wry>) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$($name),*]
        }
    };
}

veil_core::for_each_window_call!(relay_commands);

#[cfg(test)]
mod tests {
    use veil_core::control::WindowCall;

    /// Every capability file (the hand-kept security policy) grants only
    /// window calls that exist, to windows that exist.
    #[test]
    fn capabilities_name_only_calls_that_exist() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("capabilities");
        let mut files = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let cap: serde_json::Value = serde_json::from_str(&text).unwrap();
            files += 1;
            for p in cap["permissions"].as_array().unwrap() {
                let p = p.as_str().unwrap();
                if p.starts_with("core:") {
                    continue;
                }
                let call = p
                    .strip_prefix("allow-")
                    .unwrap_or_else(|| panic!("{}: {p} is not an allow- grant", path.display()))
                    .replace('-', "_");
                assert!(
                    WindowCall::NAMES.contains(&call.as_str()),
                    "{}: {p} grants `{call}`, which is not a window call",
                    path.display()
                );
            }
            for w in cap["windows"].as_array().unwrap() {
                let w = w.as_str().unwrap();
                assert!(
                    ["main", "training", "quiz", "shield-*"].contains(&w),
                    "{}: unknown window {w}",
                    path.display()
                );
            }
        }
        assert_eq!(files, 4);
    }
}

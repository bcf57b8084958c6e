//! The window process's Tauri commands: one per window call, generated
//! from veil-core's call table, each passing its call to the tray app on
//! the window process's link, named with the calling window. The tray app
//! checks the call against that window's capability and decides; the
//! window process decides nothing itself.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use serde_json::Value as Json;
use tauri::{Manager, WebviewWindow};
use tokio::sync::oneshot;
use veil_core::control::{args, LinkRequest, Response, WindowCall, WindowName};
use veil_os::control::LinkWriter;

/// Longer than any answer takes; a tray app that does not answer in this
/// time is stuck, and the window says so.
const ANSWER_WITHIN: Duration = Duration::from_secs(10);

/// The calls on their way to the tray app, waiting for its replies.
pub struct Relay {
    writer: LinkWriter,
    next: AtomicU64,
    waiting: Mutex<HashMap<u64, oneshot::Sender<Response>>>,
}

impl Relay {
    pub fn new(writer: LinkWriter) -> Relay {
        Relay {
            writer,
            next: AtomicU64::new(1),
            waiting: Mutex::default(),
        }
    }

    fn waiting(&self) -> std::sync::MutexGuard<'_, HashMap<u64, oneshot::Sender<Response>>> {
        self.waiting.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A reply from the tray app (read by the link's thread).
    pub fn replied(&self, id: u64, response: Response) {
        if let Some(tx) = self.waiting().remove(&id) {
            let _ = tx.send(response);
        }
    }

    /// Tells the tray app no window is open (it then ends this process
    /// unless an open is on its way); false when the link is gone.
    pub fn idle(&self, seen: u64) -> bool {
        self.writer.send(&LinkRequest::Idle { seen }).is_ok()
    }

    /// Passes one call to the tray app and returns its answer.
    pub async fn call(&self, window: WindowName, call: WindowCall) -> Result<Json, String> {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = oneshot::channel();
        self.waiting().insert(id, tx);
        let sent = self.writer.send(&LinkRequest::Call { id, window, call });
        if let Err(e) = sent {
            self.waiting().remove(&id);
            return Err(format!("Veil did not take the request: {e}"));
        }
        let answer = match tokio::time::timeout(ANSWER_WITHIN, rx).await {
            Ok(Ok(answer)) => answer,
            Ok(Err(_)) => return Err("Veil closed the window link".into()),
            Err(_) => {
                self.waiting().remove(&id);
                return Err("Veil did not answer in time".into());
            }
        };
        if answer.ok {
            Ok(answer.value.unwrap_or(Json::Null))
        } else {
            Err(answer
                .error
                .unwrap_or_else(|| "Veil refused the request".into()))
        }
    }
}

async fn relay(window: &WebviewWindow, call: WindowCall) -> Result<Json, String> {
    let name = WindowName::from_label(window.label())
        .ok_or_else(|| format!("the window `{}` makes no calls", window.label()))?;
    let relay = window.state::<std::sync::Arc<Relay>>().inner().clone();
    relay.call(name, call).await
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

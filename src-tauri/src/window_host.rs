//! The tray app's side of the window process. The dashboard, training and
//! quiz windows run in a second `veil` process (`veil ui`), started when
//! one is asked for and ended once none is open: WebKit keeps its engine
//! (80+ MB) mapped for the life of any process that has shown a page, and
//! the tray app runs all day. The routing decisions are in
//! `veil_core::window_router`; this starts the process and holds its link.

use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex, MutexGuard};

use tauri::AppHandle;
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver, UnboundedSender};
use veil_core::clock::{Clock, SystemClock};
use veil_core::control::{WindowMessage, WindowName};
use veil_core::mic::MicLevel;
use veil_core::status::Snapshot;
use veil_core::window_router::{Route, WindowRouter};

#[derive(Clone)]
pub struct WindowHost {
    inner: Arc<Mutex<Links>>,
    app: AppHandle,
}

#[derive(Default)]
struct Links {
    router: WindowRouter,
    /// The attached process's link: its id and where its messages go.
    link: Option<(u64, UnboundedSender<WindowMessage>)>,
}

impl Links {
    /// Sends on the attached link; a link found closed is forgotten.
    fn send(&mut self, message: WindowMessage) -> bool {
        let Some((id, tx)) = &self.link else {
            return false;
        };
        if tx.send(message).is_ok() {
            return true;
        }
        let id = *id;
        self.router.link_closed(id);
        self.link = None;
        false
    }
}

impl WindowHost {
    pub fn new(app: AppHandle) -> Self {
        Self {
            inner: Arc::default(),
            app,
        }
    }

    fn links(&self) -> MutexGuard<'_, Links> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Shows a window: in the running window process, or in one started now.
    pub fn open(&self, window: WindowName) {
        let mut links = self.links();
        // Twice at most: an open sent to a process that has just died
        // (its link not yet seen closed) starts a new one.
        for _ in 0..2 {
            match links.router.open(window, SystemClock.now()) {
                Route::Send { link, message } => {
                    if links.send(message) {
                        return;
                    }
                    links.router.link_closed(link);
                }
                Route::Start { start } => {
                    drop(links);
                    self.start(start);
                    return;
                }
                Route::Wait => return,
            }
        }
    }

    /// A window process attached: its link id and the messages for it,
    /// starting with the opens that waited for it. A process attached
    /// before is replaced; its link closes, so it quits.
    pub fn attach(&self) -> (u64, UnboundedReceiver<WindowMessage>) {
        let (tx, rx) = unbounded_channel();
        let mut links = self.links();
        let (id, opens) = links.router.attach();
        for message in opens {
            let _ = tx.send(message);
        }
        links.link = Some((id, tx));
        tracing::debug!(link = id, "window process attached");
        (id, rx)
    }

    /// The window process has no window left: close its link (so it
    /// quits) unless an open is on its way to it.
    pub fn idle(&self, link: u64, seen: u64) {
        let mut links = self.links();
        if links.router.idle(link, seen) && links.link.as_ref().map(|l| l.0) == Some(link) {
            links.link = None;
            tracing::debug!(link, "window process idle; ending it");
        }
    }

    /// Passes a state change to the open windows.
    pub fn snapshot(&self, snap: &Snapshot) {
        let mut links = self.links();
        if links.link.is_none() {
            return;
        }
        match serde_json::to_value(snap) {
            Ok(snapshot) => {
                links.send(WindowMessage::Snapshot { snapshot });
            }
            Err(e) => tracing::error!("the state could not be sent to the windows: {e}"),
        }
    }

    /// Passes the mic check's level to the dashboard; false when no
    /// window process is attached to show it.
    pub fn mic_level(&self, level: MicLevel) -> bool {
        self.links().send(WindowMessage::MicLevel { level })
    }

    /// Closes a window in the window process, if one is attached.
    pub fn close(&self, window: WindowName) {
        self.links().send(WindowMessage::Close { window });
    }

    fn start(&self, start: u64) {
        let child = window_process_command().and_then(|mut c| c.spawn());
        match child {
            Ok(mut child) => {
                tracing::debug!(pid = child.id(), "window process started");
                let host = self.clone();
                // Reaps it, and notices one that ends before it attaches.
                let waiter = std::thread::Builder::new()
                    .name("veil-window-process".into())
                    .spawn(move || {
                        let status = child.wait();
                        let why = match status {
                            Ok(s) => format!("it ended ({s})"),
                            Err(e) => format!("it could not be watched: {e}"),
                        };
                        host.start_failed(start, &why);
                    });
                if let Err(e) = waiter {
                    tracing::warn!("the window process is not watched: {e}");
                }
            }
            Err(e) => self.start_failed(start, &format!("it could not be started: {e}")),
        }
    }

    fn start_failed(&self, start: u64, why: &str) {
        let lost = self.links().router.start_failed(start);
        if lost.is_empty() {
            return;
        }
        tracing::error!("Veil could not open its window ({lost:?}): {why}; see the log");
        use tauri_plugin_notification::NotificationExt;
        let shown = self
            .app
            .notification()
            .builder()
            .title("Veil could not open its window")
            .body(format!(
                "The window process failed: {why}. Try again from the tray; if it keeps failing, tell IT."
            ))
            .show();
        if let Err(e) = shown {
            tracing::debug!("notification not shown: {e}");
        }
    }
}

/// `veil ui`, from the same program file as this process.
fn window_process_command() -> std::io::Result<Command> {
    let exe = std::env::current_exe()?;
    // A package upgrade replaces the file under a running Veil: Linux then
    // names it "/usr/bin/veil (deleted)". The new file at the same path
    // speaks the same control channel.
    let exe = match exe.to_str().and_then(|s| s.strip_suffix(" (deleted)")) {
        Some(path) => path.into(),
        None => exe,
    };
    let mut command = Command::new(exe);
    command.arg("ui").stdin(Stdio::null());
    Ok(command)
}

//! The tray app's side of the window process. The dashboard, training and
//! quiz windows run in a second `veil` process (`veil ui`), started when
//! one is asked for and ended once none is open: WebKit keeps its engine
//! (80+ MB) mapped for the life of any process that has shown a page, and
//! the tray app runs all day. The routing decisions are in
//! `veil_core::window_router`; this starts the process, accepts its attach
//! (only from the process it started) and answers its windows' calls, each
//! checked against the calling window's capability.

use std::future::Future;
use std::pin::Pin;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex, MutexGuard};

use tauri::{AppHandle, Manager};
use tokio::sync::{mpsc, watch};
use veil_core::audit::RecordKind;
use veil_core::clock::{Clock, Millis, SystemClock};
use veil_core::control::{LinkRequest, Response, WindowMessage, WindowName};
use veil_core::mic::MicLevel;
use veil_core::state::{ChangedBy, Record};
use veil_core::status::Snapshot;
use veil_core::window_router::{Route, WindowRouter};
use veil_os::control::Link;

use crate::actor::{ActorHandle, Command as ActorCommand};

/// Test builds only: accept a window process this app did not start (the
/// end-to-end tests start it under WebDriver). Release builds ignore it.
const FOREIGN_WINDOW_PROCESS_ENV: &str = "VEIL_E2E_FOREIGN_WINDOW_PROCESS";

/// Impostors are recorded at most this often (a loop must not fill the log).
const REFUSAL_RECORD_SPACING_MS: i64 = 60_000;

#[derive(Clone)]
pub struct WindowHost {
    inner: Arc<Mutex<Links>>,
    app: AppHandle,
}

#[derive(Default)]
struct Links {
    router: WindowRouter,
    /// The attached process's link.
    link: Option<LinkEnds>,
    last_refusal_recorded: Option<Millis>,
}

/// What the tray app sends an attached window process.
struct LinkEnds {
    id: u64,
    messages: mpsc::UnboundedSender<WindowMessage>,
    snapshot: watch::Sender<Option<serde_json::Value>>,
    level: watch::Sender<Option<MicLevel>>,
}

impl Links {
    /// Sends on the attached link; a link found closed is forgotten.
    fn send(&mut self, message: WindowMessage) -> bool {
        let Some(link) = &self.link else {
            return false;
        };
        if link.messages.send(message).is_ok() {
            return true;
        }
        let id = link.id;
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

    /// Closes a window in the window process, if one is attached.
    pub fn close(&self, window: WindowName) {
        self.links().send(WindowMessage::Close { window });
    }

    /// Passes a state change to the open windows (only the newest matters).
    pub fn snapshot(&self, snap: &Snapshot) {
        let links = self.links();
        let Some(link) = &links.link else {
            return;
        };
        match serde_json::to_value(snap) {
            Ok(v) => {
                link.snapshot.send_replace(Some(v));
            }
            Err(e) => tracing::error!("the state could not be sent to the windows: {e}"),
        }
    }

    /// Passes the mic check's level to the dashboard; false when no
    /// window process is attached to show it.
    pub fn mic_level(&self, level: MicLevel) -> bool {
        let links = self.links();
        match &links.link {
            Some(link) if !link.messages.is_closed() => {
                link.level.send_replace(Some(level));
                true
            }
            _ => false,
        }
    }

    /// The window process has no window left: close its link (so it
    /// quits) unless an open is on its way to it.
    fn idle(&self, link: u64, seen: u64) {
        let mut links = self.links();
        if links.router.idle(link, seen) && links.link.as_ref().map(|l| l.id) == Some(link) {
            links.link = None;
            tracing::debug!(link, "window process idle; ending it");
        }
    }

    fn refuse(&self, why: String) -> String {
        tracing::warn!("window process refused: {why}");
        let now = SystemClock.now();
        let record = {
            let mut links = self.links();
            let due = links
                .last_refusal_recorded
                .is_none_or(|t| now.0 - t.0 >= REFUSAL_RECORD_SPACING_MS);
            if due {
                links.last_refusal_recorded = Some(now);
            }
            due
        };
        if record {
            if let Some(actor) = self.app.try_state::<ActorHandle>() {
                let actor = actor.inner().clone();
                let details = why.clone();
                tauri::async_runtime::spawn(async move {
                    let _ = actor
                        .request(ActorCommand::Record(Record {
                            kind: RecordKind::WindowAttachRefused,
                            by: ChangedBy::Veil,
                            details,
                        }))
                        .await;
                });
            }
        }
        why
    }

    fn start(&self, start: u64) {
        let child = window_process_command().and_then(|mut c| c.spawn());
        match child {
            Ok(mut child) => {
                let pid = child.id();
                tracing::debug!(pid, "window process started");
                self.links().router.started(pid);
                let host = self.clone();
                // Reaps it, and notices one that ends before it attaches.
                let waiter = std::thread::Builder::new()
                    .name("veil-window-process".into())
                    .spawn(move || {
                        let status = child.wait();
                        host.links().router.child_ended(pid);
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

impl veil_os::control::WindowHost for WindowHost {
    /// Only the window process this app started attaches (its pid from the
    /// socket); a process attached before is replaced and its link closes.
    fn attach(&self, peer: Option<u32>) -> Result<Link, String> {
        let foreign_allowed =
            cfg!(debug_assertions) && std::env::var_os(FOREIGN_WINDOW_PROCESS_ENV).is_some();
        let mut links = self.links();
        if let Err(why) = links.router.may_attach(peer, foreign_allowed) {
            drop(links);
            return Err(self.refuse(format!("a window process attach was refused: {why}")));
        }
        let (tx, messages) = mpsc::unbounded_channel();
        let (id, opens) = links.router.attach();
        for message in opens {
            let _ = tx.send(message);
        }
        let snapshot_value = self
            .app
            .try_state::<ActorHandle>()
            .and_then(|a| serde_json::to_value(&*a.snapshot()).ok());
        let (snapshot, snapshot_rx) = watch::channel(snapshot_value);
        let (level, level_rx) = watch::channel(None);
        links.link = Some(LinkEnds {
            id,
            messages: tx,
            snapshot,
            level,
        });
        tracing::debug!(link = id, ?peer, "window process attached");
        Ok(Link {
            id,
            messages,
            snapshot: snapshot_rx,
            level: level_rx,
        })
    }

    fn request(
        &self,
        link: u64,
        request: LinkRequest,
    ) -> Pin<Box<dyn Future<Output = Option<Response>> + Send>> {
        match request {
            LinkRequest::Idle { seen } => {
                self.idle(link, seen);
                Box::pin(async { None })
            }
            LinkRequest::Call { window, call, .. } => {
                let current = self.links().link.as_ref().map(|l| l.id) == Some(link);
                let app = self.app.clone();
                Box::pin(async move {
                    if !current {
                        return Some(Response::error("this window link was replaced"));
                    }
                    if !crate::capabilities::allows(window, call.name()) {
                        tracing::warn!(
                            "the {} window asked for `{}`, which its capability does not grant",
                            window.label(),
                            call.name()
                        );
                        return Some(Response::error(format!(
                            "the {} window may not call {}",
                            window.label(),
                            call.name()
                        )));
                    }
                    if !call.name().starts_with("get_") {
                        if let Err(e) = crate::write_limit::admit(
                            &app,
                            crate::write_limit::Source::Windows,
                            call.name(),
                        ) {
                            return Some(Response::error(e));
                        }
                    }
                    let actor = app.try_state::<ActorHandle>()?.inner().clone();
                    Some(
                        match crate::window_calls::answer(&app, &actor, call).await {
                            Ok(value) => Response::value(value),
                            Err(e) => Response::error(e),
                        },
                    )
                })
            }
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

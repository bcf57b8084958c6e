//! `veil ui`: the window process. It shows the dashboard, training and
//! quiz windows for the running tray app, which starts it when a window is
//! asked for. It attaches to the tray app over the control channel (the
//! tray app accepts only the process it started), opens what it is told,
//! passes the windows' calls on over the same link, and quits when the
//! tray app closes the link: once no window is open, or when Veil quits.

use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tauri::{AppHandle, Emitter, Manager, RunEvent};
use veil_core::control::{args, WindowMessage, WindowName};
use veil_core::window_calls::events;
use veil_os::control::{ClientError, WindowLink};

use crate::window_relay::Relay;
use crate::{app_windows, exit_codes, logging, window_relay};

/// The last open from the tray app this process has handled.
#[derive(Default)]
struct Seen(AtomicU64);

pub fn run(open: Option<WindowName>) -> ExitCode {
    let Some((paths, _log_guard)) = logging::start_app() else {
        return ExitCode::FAILURE;
    };
    let link = match WindowLink::attach(&paths.runtime_dir, Duration::from_secs(5)) {
        Ok(link) => link,
        Err(ClientError::NotRunning) => {
            tracing::error!("Veil's windows need Veil running in the tray: start Veil first");
            return ExitCode::from(exit_codes::NOT_RUNNING);
        }
        Err(e) => {
            tracing::error!("Veil's windows cannot attach to the tray app: {e}");
            return ExitCode::FAILURE;
        }
    };
    let relay = Arc::new(Relay::new(link.writer()));
    let app = tauri::Builder::default()
        .manage(paths)
        .manage(Seen::default())
        .manage(relay.clone())
        .on_window_event(move |window, event| {
            if !matches!(event, tauri::WindowEvent::Destroyed) {
                return;
            }
            // A quiz closed from its title bar counts as finished, so it
            // does not hold back the next one.
            if window.label() == app_windows::QUIZ_LABEL {
                let relay = window.state::<Arc<Relay>>().inner().clone();
                tauri::async_runtime::spawn(async move {
                    let call = args::CloseQuiz { later: false }.into();
                    if let Err(e) = relay.call(WindowName::Quiz, call).await {
                        tracing::warn!("the quiz's closing was not recorded: {e}");
                    }
                });
            }
        })
        .invoke_handler(window_relay::handler())
        .setup(move |app| {
            let handle = app.handle().clone();
            if let Some(window) = open {
                if let Err(e) = app_windows::open(&handle, window) {
                    tracing::error!("cannot open the Veil window: {e}");
                }
            }
            follow_link(handle.clone(), link);
            report_idle_if_no_window(&handle);
            Ok(())
        })
        .build(crate::app::context());
    let app = match app {
        Ok(app) => app,
        Err(e) => {
            tracing::error!("Veil's windows could not start: {e}");
            return ExitCode::FAILURE;
        }
    };
    app.run(|app, event| {
        if let RunEvent::ExitRequested {
            code: None, api, ..
        } = event
        {
            // The last window closed: the tray app decides when this
            // process quits (an open may be on its way).
            api.prevent_exit();
            report_idle_if_no_window(app);
        }
    });
    ExitCode::SUCCESS
}

/// Reads the tray app's messages on a thread of its own and acts on them
/// on the event loop; quits when the link closes.
fn follow_link(app: AppHandle, mut link: WindowLink) {
    let spawned = std::thread::Builder::new()
        .name("veil-window-link".into())
        .spawn(move || {
            while let Some(message) = link.next_message() {
                match message {
                    Ok(WindowMessage::Open { seq, window }) => {
                        // From this thread, not queued on the event loop as
                        // one closure: each window call then goes to the
                        // loop on its own, so the window is mapped before
                        // it asks for focus (a window manager ignores focus
                        // asked for by an unmapped window).
                        if let Err(e) = app_windows::open(&app, window) {
                            tracing::error!("cannot open the {window:?} window: {e}");
                        }
                        app.state::<Seen>().0.store(seq, Ordering::Release);
                        report_idle_if_no_window(&app);
                    }
                    Ok(WindowMessage::Close { window }) => app_windows::close(&app, window),
                    Ok(WindowMessage::Snapshot { snapshot }) => {
                        to_dashboard(&app, events::SNAPSHOT, snapshot);
                    }
                    Ok(WindowMessage::MicLevel { level }) => {
                        to_dashboard(&app, events::MIC_LEVEL, level);
                    }
                    Ok(WindowMessage::Reply { id, response }) => {
                        app.state::<Arc<Relay>>().replied(id, response);
                    }
                    Err(ClientError::BadAnswer(e)) => {
                        tracing::warn!("a message from the tray app was not understood: {e}");
                    }
                    Err(e) => {
                        tracing::warn!("the link to the tray app failed: {e}");
                        break;
                    }
                }
            }
            tracing::debug!("the tray app closed the link; the windows close");
            app.exit(0);
        });
    if let Err(e) = spawned {
        tracing::error!("the window process cannot follow the tray app: {e}");
    }
}

fn to_dashboard<T: serde::Serialize + Clone>(app: &AppHandle, event: &str, payload: T) {
    if app.get_webview_window(app_windows::MAIN_LABEL).is_some() {
        if let Err(e) = app.emit_to(app_windows::MAIN_LABEL, event, payload) {
            tracing::debug!("{event} not sent to the dashboard: {e}");
        }
    }
}

/// With no window open, tells the tray app, which then ends this process
/// unless it has sent an open since.
fn report_idle_if_no_window(app: &AppHandle) {
    if !app.webview_windows().is_empty() {
        return;
    }
    let seen = app.state::<Seen>().0.load(Ordering::Acquire);
    if !app.state::<Arc<Relay>>().idle(seen) {
        // The tray app is gone: nothing is shown, so quit.
        tracing::warn!("the tray app did not take the idle report");
        app.exit(0);
    }
}

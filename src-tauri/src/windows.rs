//! Every window kind Veil has, and the one function that opens them, so
//! labels, pages and capability files (capabilities/*.json) cannot drift apart.

use tauri::{AppHandle, Manager, WebviewUrl, WebviewWindowBuilder};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowKind {
    /// Dashboard, settings and About.
    Main,
    /// Training modules, lessons, practice and the report.
    Training,
}

impl WindowKind {
    pub fn label(self) -> &'static str {
        match self {
            WindowKind::Main => "main",
            WindowKind::Training => "training",
        }
    }

    fn page(self) -> &'static str {
        match self {
            WindowKind::Main => "index.html",
            WindowKind::Training => "training.html",
        }
    }
}

/// Shows the window, creating it if it is not open. Windows are created on
/// demand and destroyed on close, so Veil idles in the tray with no web view.
pub fn open(app: &AppHandle, kind: WindowKind) -> tauri::Result<()> {
    if let Some(w) = app.get_webview_window(kind.label()) {
        w.show()?;
        w.unminimize()?;
        w.set_focus()?;
        return Ok(());
    }
    match kind {
        WindowKind::Main => {
            WebviewWindowBuilder::new(app, kind.label(), WebviewUrl::App(kind.page().into()))
                .title("Veil")
                .inner_size(980.0, 700.0)
                .min_inner_size(760.0, 540.0)
                .center()
                .build()?;
        }
        WindowKind::Training => {
            WebviewWindowBuilder::new(app, kind.label(), WebviewUrl::App(kind.page().into()))
                .title("Veil training")
                .inner_size(900.0, 680.0)
                .min_inner_size(700.0, 500.0)
                .center()
                .build()?;
        }
    }
    Ok(())
}

pub const QUIZ_LABEL: &str = "quiz";

/// The quiz pop-up: small, in the bottom-right corner of the primary
/// monitor, above other windows, focused so it can be answered from the
/// keyboard. Its content comes from the snapshot.
pub fn show_quiz(app: &AppHandle) -> tauri::Result<()> {
    if let Some(w) = app.get_webview_window(QUIZ_LABEL) {
        w.show()?;
        return Ok(());
    }
    let w = WebviewWindowBuilder::new(app, QUIZ_LABEL, WebviewUrl::App("quiz.html".into()))
        .title("Veil security quiz")
        .resizable(false)
        .skip_taskbar(true)
        .always_on_top(true)
        .inner_size(440.0, 520.0)
        .visible(false)
        .build()?;
    if let Some(m) = app.primary_monitor()? {
        let size = w.outer_size()?;
        let x = m.position().x + m.size().width as i32 - size.width as i32 - 24;
        let y = m.position().y + m.size().height as i32 - size.height as i32 - 56;
        w.set_position(tauri::PhysicalPosition::new(x, y))?;
    }
    w.show()?;
    w.set_focus()?;
    Ok(())
}

pub fn close_quiz(app: &AppHandle) {
    if let Some(w) = app.get_webview_window(QUIZ_LABEL) {
        let _ = w.destroy();
    }
}

/// How long Veil waits, once its last window is gone, before it ends the
/// web engine's network process.
const NETWORK_PROCESS_GRACE: std::time::Duration = std::time::Duration::from_secs(5);

/// WebKitGTK keeps its network process (about 60 MB) running after the last
/// web view is gone, for the life of the app. Veil's pages need no network,
/// and WebKit starts a fresh one when the next window opens, so once no
/// window has been open for a few seconds it is ended. The check runs on
/// the main thread, where windows are made, so it cannot race a new one;
/// windows closed together (the dashboard and a quiz) share one check.
pub fn release_web_engine_when_idle(app: &AppHandle) {
    #[cfg(target_os = "linux")]
    {
        use std::sync::atomic::{AtomicBool, Ordering};
        static CHECK_PENDING: AtomicBool = AtomicBool::new(false);
        if CHECK_PENDING.swap(true, Ordering::AcqRel) {
            return;
        }
        let app = app.clone();
        tauri::async_runtime::spawn(async move {
            tokio::time::sleep(NETWORK_PROCESS_GRACE).await;
            let handle = app.clone();
            let _ = app.run_on_main_thread(move || {
                // Cleared first: a window destroyed after this asks again.
                CHECK_PENDING.store(false, Ordering::Release);
                if handle.webview_windows().is_empty() {
                    let ended = veil_os::process::terminate_children_named("WebKitNetworkPr");
                    if !ended.is_empty() {
                        tracing::debug!("web engine's network process ended: {ended:?}");
                    }
                }
            });
        });
    }
    #[cfg(not(target_os = "linux"))]
    let _ = app;
}

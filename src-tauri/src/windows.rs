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

/// The shield's windows: one overlay per monitor (`shield-0`, `shield-1`,
/// ...) and the countdown: a dimming window per monitor
/// (`shield-warning-0`, ...) or, where windows cannot be see-through, one
/// banner (`shield-warning`). capabilities/shield.json grants them only
/// event listening.
pub const SHIELD_PREFIX: &str = "shield-";
pub const WARNING_LABEL: &str = "shield-warning";
/// The banner's size in logical pixels.
const BANNER: (f64, f64) = (580.0, 56.0);
const SHIELD_PAGE: &str = "shield.html";
const WARNING_PAGE: &str = "warning.html";
/// The overlay's color before and behind its page: never see-through.
const SHIELD_BACKGROUND: tauri::window::Color = tauri::window::Color(14, 17, 22, 255);

pub fn overlay_label(index: usize) -> String {
    format!("{SHIELD_PREFIX}{index}")
}

/// Covers one monitor (`frame` in physical pixels) with an opaque,
/// borderless, always-on-top window that stays out of the taskbar and out
/// of screen captures. Returns once the window is mapped.
pub fn show_overlay(
    app: &AppHandle,
    index: usize,
    frame: veil_core::shield::Rect,
) -> tauri::Result<()> {
    use tauri::{PhysicalPosition, PhysicalSize};
    let label = overlay_label(index);
    let window = match app.get_webview_window(&label) {
        Some(w) => w,
        None => WebviewWindowBuilder::new(app, &label, WebviewUrl::App(SHIELD_PAGE.into()))
            .title("Veil privacy shield")
            .decorations(false)
            .resizable(false)
            .skip_taskbar(true)
            .always_on_top(true)
            .visible_on_all_workspaces(true)
            .content_protected(true)
            .shadow(false)
            .background_color(SHIELD_BACKGROUND)
            .visible(false)
            .build()?,
    };
    window.set_position(PhysicalPosition::new(frame.x, frame.y))?;
    window.set_size(PhysicalSize::new(frame.width, frame.height))?;
    window.show()?;
    window.set_always_on_top(true)?;
    window.set_focus()?;
    Ok(())
}

fn overlays(app: &AppHandle) -> impl Iterator<Item = (String, tauri::WebviewWindow)> {
    app.webview_windows()
        .into_iter()
        .filter(|(label, _)| label.starts_with(SHIELD_PREFIX) && !label.starts_with(WARNING_LABEL))
}

/// Removes every overlay (destroyed, so no web view idles in memory).
pub fn hide_overlays(app: &AppHandle) {
    for (label, w) in overlays(app) {
        if let Err(e) = w.destroy() {
            tracing::warn!("cannot remove the shield window {label}: {e}");
        }
    }
}

/// Keeps the overlays above anything that popped up (notifications).
pub fn raise_overlays(app: &AppHandle) {
    for (_, w) in overlays(app) {
        let _ = w.set_always_on_top(true);
    }
}

fn warnings(app: &AppHandle) -> impl Iterator<Item = (String, tauri::WebviewWindow)> {
    app.webview_windows()
        .into_iter()
        .filter(|(label, _)| label.starts_with(WARNING_LABEL))
}

/// The countdown before the shield. With `dim`, every monitor (`frames`,
/// physical pixels) is darkened by a see-through window with the countdown
/// in its middle; it takes no focus and lets clicks through, so the agent's
/// next key press or click goes where it was meant to (and, being input,
/// ends the countdown). Without `dim` (an X server with no compositing
/// manager draws see-through windows black), a banner at the top of the
/// primary monitor. Opens the windows: once they are open, the seconds go
/// to them through [`update_countdown`].
pub fn show_warning(
    app: &AppHandle,
    seconds: u64,
    frames: &[veil_core::shield::Rect],
    dim: bool,
) -> tauri::Result<()> {
    if dim && !frames.is_empty() {
        for (i, frame) in frames.iter().enumerate() {
            show_dim(app, i, *frame, seconds)?;
        }
        return Ok(());
    }
    show_banner(app, seconds)
}

/// Sends the seconds left to the countdown windows; false when none is
/// open.
pub fn update_countdown(app: &AppHandle, seconds: u64) -> bool {
    use tauri::Emitter;
    let mut open = false;
    for (label, _) in warnings(app) {
        open = true;
        if let Err(e) = app.emit_to(label.as_str(), "veil://shield-countdown", seconds) {
            tracing::warn!("cannot update the countdown in {label}: {e}");
        }
    }
    open
}

fn show_dim(
    app: &AppHandle,
    index: usize,
    frame: veil_core::shield::Rect,
    seconds: u64,
) -> tauri::Result<()> {
    use tauri::{PhysicalPosition, PhysicalSize};
    let url = format!("{WARNING_PAGE}?seconds={seconds}&dim=1");
    let w = WebviewWindowBuilder::new(
        app,
        format!("{WARNING_LABEL}-{index}"),
        WebviewUrl::App(url.into()),
    )
    .title("Veil: screen cover soon")
    .decorations(false)
    .resizable(false)
    .skip_taskbar(true)
    .always_on_top(true)
    .visible_on_all_workspaces(true)
    .focused(false)
    .focusable(false)
    .shadow(false)
    .transparent(true)
    .background_color(tauri::window::Color(0, 0, 0, 0))
    .visible(false)
    .build()?;
    w.set_position(PhysicalPosition::new(frame.x, frame.y))?;
    w.set_size(PhysicalSize::new(frame.width, frame.height))?;
    w.show()?;
    // Only once shown: tao needs the realized GDK window for the input
    // shape, and panics without one.
    w.set_ignore_cursor_events(true)?;
    Ok(())
}

/// The countdown banner, centred at the top of the primary monitor.
fn show_banner(app: &AppHandle, seconds: u64) -> tauri::Result<()> {
    use tauri::{LogicalSize, PhysicalPosition};
    let url = format!("{WARNING_PAGE}?seconds={seconds}");
    let (width, height) = BANNER;
    let w = WebviewWindowBuilder::new(app, WARNING_LABEL, WebviewUrl::App(url.into()))
        .title("Veil: screen cover soon")
        .decorations(false)
        .skip_taskbar(true)
        .always_on_top(true)
        .focused(false)
        .focusable(false)
        .background_color(tauri::window::Color(27, 33, 48, 255))
        .inner_size(width, height)
        .visible(false)
        .build()?;
    // GTK sizes a window that cannot be resized by its content (a web view
    // asks for 200 px), so the size is pinned by limits instead. The
    // position is worked out from the size asked for: before the window is
    // mapped, the toolkit reports a default size.
    let size = LogicalSize::new(width, height);
    w.set_min_size(Some(size))?;
    w.set_max_size(Some(size))?;
    w.set_size(size)?;
    if let Some(m) = app.primary_monitor()? {
        let physical_width = (width * m.scale_factor()).round() as i32;
        let x = m.position().x + (m.size().width as i32 - physical_width) / 2;
        let y = m.position().y + (48.0 * m.scale_factor()).round() as i32;
        w.set_position(PhysicalPosition::new(x, y))?;
        w.show()?;
        w.set_position(PhysicalPosition::new(x, y))?;
    } else {
        w.show()?;
    }
    Ok(())
}

pub fn hide_warning(app: &AppHandle) {
    for (label, w) in warnings(app) {
        if let Err(e) = w.destroy() {
            tracing::warn!("cannot remove the countdown window {label}: {e}");
        }
    }
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
/// the shield's windows all go at once, and one check covers them.
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

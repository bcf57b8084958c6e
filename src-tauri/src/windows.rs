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
/// ...) and the countdown banner. capabilities/shield.json grants them
/// only event listening.
pub const SHIELD_PREFIX: &str = "shield-";
pub const WARNING_LABEL: &str = "shield-warning";
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
        .filter(|(label, _)| label.starts_with(SHIELD_PREFIX) && label != WARNING_LABEL)
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

/// The countdown banner at the top of the primary monitor.
pub fn show_warning(app: &AppHandle, seconds: u64) -> tauri::Result<()> {
    use tauri::Emitter;
    if app.get_webview_window(WARNING_LABEL).is_some() {
        app.emit_to(WARNING_LABEL, "veil://shield-countdown", seconds)?;
        return Ok(());
    }
    let url = format!("{WARNING_PAGE}?seconds={seconds}");
    let w = WebviewWindowBuilder::new(app, WARNING_LABEL, WebviewUrl::App(url.into()))
        .title("Veil")
        .decorations(false)
        .resizable(false)
        .skip_taskbar(true)
        .always_on_top(true)
        .focused(false)
        .background_color(tauri::window::Color(27, 33, 48, 255))
        .inner_size(460.0, 56.0)
        .min_inner_size(460.0, 56.0)
        .max_inner_size(460.0, 56.0)
        .visible(false)
        .build()?;
    if let Some(m) = app.primary_monitor()? {
        let size = w.outer_size()?;
        let x = m.position().x + (m.size().width as i32 - size.width as i32) / 2;
        w.set_position(tauri::PhysicalPosition::new(x, m.position().y + 48))?;
    }
    w.show()?;
    Ok(())
}

pub fn hide_warning(app: &AppHandle) {
    if let Some(w) = app.get_webview_window(WARNING_LABEL) {
        let _ = w.destroy();
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

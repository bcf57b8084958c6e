//! Every window Veil's window process shows, and the one function that
//! opens them, so labels, pages and capability files (capabilities/*.json)
//! cannot drift apart.

use tauri::{AppHandle, Manager, WebviewUrl, WebviewWindowBuilder};
use veil_core::control::WindowName;

pub const MAIN_LABEL: &str = "main";
const TRAINING_LABEL: &str = "training";

/// Shows the window, creating it if it is not open. Windows are created on
/// demand and destroyed on close; the window process ends with the last.
pub fn open(app: &AppHandle, window: WindowName) -> tauri::Result<()> {
    let (label, page, title, size, min_size) = match window {
        WindowName::Quiz => return show_quiz(app),
        WindowName::Main => (
            MAIN_LABEL,
            "index.html",
            "Veil",
            (980.0, 700.0),
            (760.0, 540.0),
        ),
        WindowName::Training => (
            TRAINING_LABEL,
            "training.html",
            "Veil training",
            (900.0, 680.0),
            (700.0, 500.0),
        ),
    };
    if let Some(w) = app.get_webview_window(label) {
        w.show()?;
        w.unminimize()?;
        w.set_focus()?;
        return Ok(());
    }
    WebviewWindowBuilder::new(app, label, WebviewUrl::App(page.into()))
        .title(title)
        .inner_size(size.0, size.1)
        .min_inner_size(min_size.0, min_size.1)
        .center()
        .build()?;
    Ok(())
}

pub const QUIZ_LABEL: &str = "quiz";

/// The quiz pop-up: small, in the bottom-right corner of the primary
/// monitor, above other windows, focused so it can be answered from the
/// keyboard. Its content comes from the snapshot.
fn show_quiz(app: &AppHandle) -> tauri::Result<()> {
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

/// Closes the window if it is open (the tray app's say, e.g. after the
/// quiz's last answer).
pub fn close(app: &AppHandle, window: WindowName) {
    if let Some(w) = app.get_webview_window(label(window)) {
        let _ = w.destroy();
    }
}

fn label(window: WindowName) -> &'static str {
    match window {
        WindowName::Main => MAIN_LABEL,
        WindowName::Training => TRAINING_LABEL,
        WindowName::Quiz => QUIZ_LABEL,
    }
}

//! Every window kind Veil has, and the one function that opens them, so
//! labels, pages and capability files (capabilities/*.json) cannot drift apart.

use tauri::{AppHandle, Manager, WebviewUrl, WebviewWindowBuilder};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowKind {
    /// Dashboard, settings and About.
    Main,
}

impl WindowKind {
    pub fn label(self) -> &'static str {
        match self {
            WindowKind::Main => "main",
        }
    }

    fn page(self) -> &'static str {
        match self {
            WindowKind::Main => "index.html",
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
    }
    Ok(())
}

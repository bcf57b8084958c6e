//! What the desktop can draw. The idle shield dims the screen with
//! see-through windows, which only work where something composites them: an
//! X server with no compositing manager draws them black.

/// Whether windows can be see-through on this desktop now (asked each time,
/// as a compositing manager can start or stop at any moment).
pub fn translucent_windows() -> bool {
    #[cfg(target_os = "linux")]
    {
        if x_display_set() {
            x11::composited().unwrap_or(false)
        } else {
            // Wayland compositors always composite.
            std::env::var_os("WAYLAND_DISPLAY").is_some()
        }
    }
    // The Windows (DWM) and macOS window servers always composite.
    #[cfg(not(target_os = "linux"))]
    {
        true
    }
}

/// Sets up the windowing toolkit (GTK) before it starts; call while the
/// process has one thread.
///
/// - On a Wayland desktop with Xwayland, Veil's windows go through X11
///   (`GDK_BACKEND=x11`): Wayland lets no program place a window on a
///   given monitor or keep it above others, which the shield needs.
/// - GTK's own OpenGL is switched off (`GDK_GL=disable`). Nothing Veil
///   draws with GTK needs it (the shield's windows are plain GTK, see
///   `cover`; the web engine renders its pages in its own process), and
///   merely probing it at start maps the whole GL driver into Veil: on
///   Mesa's software renderer, LLVM alone is 44 MB, resident for the life
///   of a tray app.
///
/// Either is left alone when the agent's environment already sets it.
pub fn prepare_toolkit() {
    #[cfg(target_os = "linux")]
    {
        if crate::idle::wayland_session()
            && x_display_set()
            && std::env::var_os("GDK_BACKEND").is_none()
        {
            std::env::set_var("GDK_BACKEND", "x11");
        }
        if std::env::var_os("GDK_GL").is_none() {
            std::env::set_var("GDK_GL", "disable");
        }
    }
}

/// Whether a window asked to stay above all others really does. Not on a
/// Wayland desktop without Xwayland (or with the toolkit forced to
/// Wayland): there the shield locks the session instead of covering it.
pub fn windows_stay_on_top() -> Result<(), NoWindowOnTop> {
    #[cfg(target_os = "linux")]
    {
        if crate::idle::wayland_session() {
            let backend_x11 = std::env::var("GDK_BACKEND").is_ok_and(|b| b.starts_with("x11"));
            if !(x_display_set() && backend_x11) {
                return Err(NoWindowOnTop);
            }
        }
    }
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("this Wayland desktop cannot keep a window above the others (no Xwayland)")]
pub struct NoWindowOnTop;

/// An X server (Xorg, or Xwayland under a Wayland desktop) is named.
#[cfg(target_os = "linux")]
pub fn x_display_set() -> bool {
    std::env::var("DISPLAY").is_ok_and(|d| !d.is_empty())
}

#[cfg(target_os = "linux")]
mod x11 {
    use std::ffi::CString;

    use x11::xlib::{XCloseDisplay, XDefaultScreen, XGetSelectionOwner, XInternAtom, XOpenDisplay};

    /// A compositing manager owns the `_NET_WM_CM_S<screen>` selection
    /// (EWMH). `None` when the display cannot be opened.
    pub fn composited() -> Option<bool> {
        let display = unsafe { XOpenDisplay(std::ptr::null()) };
        if display.is_null() {
            return None;
        }
        let screen = unsafe { XDefaultScreen(display) };
        let owned = CString::new(format!("_NET_WM_CM_S{screen}"))
            .ok()
            .map(|name| {
                let atom = unsafe { XInternAtom(display, name.as_ptr(), 0) };
                unsafe { XGetSelectionOwner(display, atom) != 0 }
            });
        unsafe { XCloseDisplay(display) };
        owned
    }
}

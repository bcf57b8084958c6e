//! What the desktop can draw. The idle shield dims the screen with
//! see-through windows, which only work where something composites them: an
//! X server with no compositing manager draws them black.

/// Whether windows can be see-through on this desktop now (asked each time,
/// as a compositing manager can start or stop at any moment).
pub fn translucent_windows() -> bool {
    #[cfg(target_os = "linux")]
    {
        match std::env::var("DISPLAY") {
            Ok(d) if !d.is_empty() => x11::composited().unwrap_or(false),
            // Wayland compositors always composite.
            _ => std::env::var_os("WAYLAND_DISPLAY").is_some(),
        }
    }
    // The Windows (DWM) and macOS window servers always composite.
    #[cfg(not(target_os = "linux"))]
    {
        true
    }
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

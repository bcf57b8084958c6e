//! The "shield now" keyboard shortcut, registered with the OS: on Linux
//! through Veil's own X11 grab (veil-os `hotkey`, which sleeps until the
//! keys are pressed), elsewhere through the global-shortcut plugin. The keys
//! were checked and made canonical by veil-core when the settings were read.

/// `replace(app, old, new, shield)` unregisters `old` and registers `new`
/// (either may be `None`). It blocks until the OS answered: call it off the
/// async runtime. `Ok` may carry what limits the keys on this desktop.
pub use os::replace;

#[cfg(target_os = "linux")]
mod os {
    use std::sync::Mutex;

    use tauri::{AppHandle, Manager};
    use veil_core::shield::shortcut::Shortcut;
    use veil_os::hotkey::X11Hotkey;

    use crate::shield::ShieldHandle;

    /// The keys grabbed now; dropping it releases them.
    #[derive(Default)]
    pub struct Registered(Mutex<Option<X11Hotkey>>);

    pub fn replace(
        app: &AppHandle,
        _old: Option<&str>,
        new: Option<&str>,
        shield: ShieldHandle,
    ) -> Result<Option<String>, String> {
        if app.try_state::<Registered>().is_none() {
            app.manage(Registered::default());
        }
        let state = app.state::<Registered>();
        let mut slot = state
            .0
            .lock()
            .map_err(|_| "the shortcut's state is unusable".to_string())?;
        // Released first, so the same keys can be taken again.
        *slot = None;
        let Some(new) = new else {
            return Ok(None);
        };
        let limit = limit_here()?;
        let shortcut: Shortcut = new
            .parse()
            .map_err(|e: veil_core::shield::shortcut::ShortcutError| e.to_string())?;
        let hotkey = X11Hotkey::register(&shortcut, move || shield.shield_now())
            .map_err(|e| format!("{new} could not be registered: {e}"))?;
        *slot = Some(hotkey);
        Ok(limit)
    }

    /// Global shortcuts on Linux go through X11: a Wayland session has no
    /// way for a program to take keys from every other program, and through
    /// Xwayland the keys only arrive while an X11 program has focus.
    fn limit_here() -> Result<Option<String>, String> {
        if !veil_os::display::x_display_set() {
            return Err("this desktop has no X11 display, which global shortcuts need; add a keyboard shortcut in the desktop's settings that runs `veil shield now`".into());
        }
        if veil_os::idle::wayland_session() {
            return Ok(Some("on Wayland these keys work only while an X11 program has focus; a keyboard shortcut in the desktop's settings that runs `veil shield now` works everywhere".into()));
        }
        Ok(None)
    }
}

#[cfg(not(target_os = "linux"))]
mod os {
    use tauri::AppHandle;
    use tauri_plugin_global_shortcut::{GlobalShortcutExt, ShortcutState};

    use crate::shield::ShieldHandle;

    pub fn replace(
        app: &AppHandle,
        old: Option<&str>,
        new: Option<&str>,
        shield: ShieldHandle,
    ) -> Result<Option<String>, String> {
        let shortcuts = app.global_shortcut();
        if let Some(old) = old {
            if let Err(e) = shortcuts.unregister(old) {
                tracing::warn!("cannot unregister the shortcut {old}: {e}");
            }
        }
        let Some(new) = new else {
            return Ok(None);
        };
        shortcuts
            .on_shortcut(new, move |_app, _shortcut, event| {
                if event.state == ShortcutState::Pressed {
                    shield.shield_now();
                }
            })
            .map_err(|e| {
                format!("{new} could not be registered (another program may use it): {e}")
            })?;
        Ok(None)
    }
}

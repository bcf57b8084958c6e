//! A global keyboard shortcut on X11: the keys are grabbed on the root
//! window and one thread sleeps in a blocking read of its own X connection
//! until they are pressed. (The global-shortcut plugin's X11 backend polls
//! its connection every 50 ms, twenty wake-ups a second for a key pressed a
//! few times a day.)

use std::sync::Arc;
use std::thread::JoinHandle;

use veil_core::shield::shortcut::Shortcut;
use x11rb::connection::Connection;
use x11rb::protocol::xproto::{
    ClientMessageEvent, ConnectionExt, CreateWindowAux, EventMask, GrabMode, KeyButMask, Keycode,
    ModMask, Window, WindowClass,
};
use x11rb::protocol::Event;
use x11rb::rust_connection::RustConnection;

/// Lock (Caps Lock) and Mod2 (Num Lock) must not stop the keys from working:
/// each grab is made once per combination of them.
const IGNORED: [u16; 4] = [0, 2, 16, 2 | 16];

/// X11 keysyms of the keys a shortcut may end with (veil-core's list).
pub fn keysym(key: &str) -> Option<u32> {
    let named = match key {
        "Space" => Some(0x20),
        "Insert" => Some(0xff63),
        "Delete" => Some(0xffff),
        "Home" => Some(0xff50),
        "End" => Some(0xff57),
        "PageUp" => Some(0xff55),
        "PageDown" => Some(0xff56),
        "Pause" => Some(0xff13),
        "ScrollLock" => Some(0xff14),
        _ => None,
    };
    if named.is_some() {
        return named;
    }
    let mut chars = key.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        return match c {
            // Letters are listed under their lower-case keysym.
            'A'..='Z' => Some(c.to_ascii_lowercase() as u32),
            '0'..='9' => Some(c as u32),
            _ => None,
        };
    }
    let n: u32 = key.strip_prefix('F')?.parse().ok()?;
    (1..=24).contains(&n).then(|| 0xffbe + n - 1)
}

/// The X11 modifier mask of a shortcut (CmdOrCtrl is Ctrl off macOS).
pub fn modifier_mask(s: &Shortcut) -> u16 {
    let mut mask = 0;
    if s.ctrl() || s.cmd_or_ctrl() {
        mask |= u16::from(ModMask::CONTROL);
    }
    if s.shift() {
        mask |= u16::from(ModMask::SHIFT);
    }
    if s.alt() {
        mask |= u16::from(ModMask::M1);
    }
    if s.super_key() {
        mask |= u16::from(ModMask::M4);
    }
    mask
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Grab {
    keycodes: Vec<Keycode>,
    modifiers: u16,
}

/// The shortcut's grab and the thread that waits for it. Dropping it
/// releases the keys and ends the thread.
pub struct X11Hotkey {
    conn: Arc<RustConnection>,
    root: Window,
    /// Where the drop sends the message that ends the thread.
    wake: Window,
    grab: Grab,
    thread: Option<JoinHandle<()>>,
}

/// Why the keys could not be registered (shown in `shield.shortcut.message`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HotkeyError {
    #[error("cannot reach the X display: {0}")]
    Display(String),
    #[error("no X11 key for \"{0}\"")]
    NoSuchKey(String),
    #[error("the keyboard layout has no \"{0}\" key")]
    NotInLayout(String),
    #[error("another program already uses these keys")]
    Taken,
    #[error("the X server refused the keys: {0}")]
    Refused(String),
    #[error("the X server failed: {0}")]
    X11(String),
    #[error("cannot start the shortcut thread: {0}")]
    Thread(String),
}

impl X11Hotkey {
    /// Grabs `shortcut` on the default screen of `$DISPLAY`; `pressed` runs
    /// on the waiting thread each time it is pressed.
    pub fn register(
        shortcut: &Shortcut,
        pressed: impl Fn() + Send + 'static,
    ) -> Result<X11Hotkey, HotkeyError> {
        let (conn, screen) =
            x11rb::connect(None).map_err(|e| HotkeyError::Display(e.to_string()))?;
        let conn = Arc::new(conn);
        let root = conn.setup().roots[screen].root;
        let keysym =
            keysym(shortcut.key()).ok_or_else(|| HotkeyError::NoSuchKey(shortcut.key().into()))?;
        let keycodes = keycodes_of(&conn, keysym)?;
        if keycodes.is_empty() {
            return Err(HotkeyError::NotInLayout(shortcut.key().into()));
        }
        let grab = Grab {
            keycodes,
            modifiers: modifier_mask(shortcut),
        };
        let wake = conn
            .generate_id()
            .map_err(|e| HotkeyError::X11(e.to_string()))?;
        conn.create_window(
            0,
            wake,
            root,
            0,
            0,
            1,
            1,
            0,
            WindowClass::INPUT_ONLY,
            0,
            &CreateWindowAux::new(),
        )
        .map_err(|e| HotkeyError::X11(e.to_string()))?
        .check()
        .map_err(|e| HotkeyError::X11(format!("cannot create the shortcut's window: {e}")))?;
        grab_all(&conn, root, &grab)?;
        let reader = Arc::clone(&conn);
        let wanted = grab.clone();
        let thread = std::thread::Builder::new()
            .name("veil-shortcut".into())
            .spawn(move || wait_for_keys(&reader, wake, &wanted, pressed))
            .map_err(|e| HotkeyError::Thread(e.to_string()))?;
        Ok(X11Hotkey {
            conn,
            root,
            wake,
            grab,
            thread: Some(thread),
        })
    }
}

impl Drop for X11Hotkey {
    fn drop(&mut self) {
        ungrab_all(&self.conn, self.root, &self.grab);
        let bye = ClientMessageEvent::new(32, self.wake, x11rb::NONE, [0u32; 5]);
        let sent = self
            .conn
            .send_event(false, self.wake, EventMask::NO_EVENT, bye)
            .map(|_| ())
            .and_then(|()| self.conn.flush());
        if sent.is_ok() {
            if let Some(t) = self.thread.take() {
                let _ = t.join();
            }
        }
        let _ = self.conn.destroy_window(self.wake);
        let _ = self.conn.flush();
    }
}

fn wait_for_keys(conn: &RustConnection, wake: Window, grab: &Grab, pressed: impl Fn()) {
    let relevant =
        u16::from(KeyButMask::SHIFT | KeyButMask::CONTROL | KeyButMask::MOD1 | KeyButMask::MOD4);
    loop {
        match conn.wait_for_event() {
            Ok(Event::KeyPress(k))
                if grab.keycodes.contains(&k.detail)
                    && u16::from(k.state) & relevant == grab.modifiers =>
            {
                pressed();
            }
            Ok(Event::ClientMessage(m)) if m.window == wake => return,
            Ok(_) => {}
            Err(e) => {
                tracing::warn!("the shortcut's X connection ended: {e}");
                return;
            }
        }
    }
}

/// Every keycode that produces `keysym` in the current layout.
fn keycodes_of(conn: &RustConnection, keysym: u32) -> Result<Vec<Keycode>, HotkeyError> {
    let setup = conn.setup();
    let (min, max) = (setup.min_keycode, setup.max_keycode);
    let map = conn
        .get_keyboard_mapping(min, max - min + 1)
        .map_err(|e| HotkeyError::X11(e.to_string()))?
        .reply()
        .map_err(|e| HotkeyError::X11(format!("cannot read the keyboard map: {e}")))?;
    let per = usize::from(map.keysyms_per_keycode).max(1);
    Ok(map
        .keysyms
        .chunks(per)
        .enumerate()
        .filter(|(_, syms)| syms.contains(&keysym))
        .filter_map(|(i, _)| u8::try_from(usize::from(min) + i).ok())
        .collect())
}

fn grab_all(conn: &RustConnection, root: Window, grab: &Grab) -> Result<(), HotkeyError> {
    for &code in &grab.keycodes {
        for extra in IGNORED {
            let result = conn
                .grab_key(
                    false,
                    root,
                    ModMask::from(grab.modifiers | extra),
                    code,
                    GrabMode::ASYNC,
                    GrabMode::ASYNC,
                )
                .map_err(|e| e.to_string())
                .and_then(|c| c.check().map_err(|e| format!("{e:?}")));
            if let Err(e) = result {
                ungrab_all(conn, root, grab);
                return Err(if e.contains("Access") {
                    HotkeyError::Taken
                } else {
                    HotkeyError::Refused(e)
                });
            }
        }
    }
    Ok(())
}

fn ungrab_all(conn: &RustConnection, root: Window, grab: &Grab) {
    for &code in &grab.keycodes {
        for extra in IGNORED {
            let _ = conn.ungrab_key(code, root, ModMask::from(grab.modifiers | extra));
        }
    }
    let _ = conn.flush();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_map_to_their_x11_keysyms_and_modifiers_to_masks() {
        // (canonical shortcut, keysym, mask)
        let rows: &[(&str, u32, u16)] = &[
            ("Ctrl+Alt+Shift+P", 0x70, 4 | 8 | 1),
            ("Ctrl+Alt+F13", 0xffca, 4 | 8),
            ("Shift+Super+F12", 0xffc9, 1 | 64),
            ("CmdOrCtrl+Shift+9", 0x39, 4 | 1),
            ("Alt+Super+PageDown", 0xff56, 8 | 64),
            ("Ctrl+Alt+Shift+Space", 0x20, 4 | 8 | 1),
            ("Ctrl+Shift+F1", 0xffbe, 4 | 1),
            ("Ctrl+Shift+F24", 0xffd5, 4 | 1),
        ];
        for (text, sym, mask) in rows {
            let s: Shortcut = text.parse().unwrap();
            assert_eq!(keysym(s.key()), Some(*sym), "{text}");
            assert_eq!(modifier_mask(&s), *mask, "{text}");
        }
        assert_eq!(keysym("F25"), None);
        assert_eq!(keysym("PP"), None);
    }
}

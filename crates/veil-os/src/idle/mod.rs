//! How long since the agent last touched the keyboard or mouse, and locking
//! the OS session. The X11 source keeps one display connection and checks it
//! opened (XOpenDisplay without a display would crash the app). On Wayland
//! the X server (Xwayland) only sees input to X programs, so the session's
//! own idle time comes from the compositor: GNOME's idle monitor (Mutter, on
//! the session bus), or the ext-idle-notify protocol (KDE Plasma, wlroots
//! desktops). Windows uses GetLastInputInfo and macOS the HID idle time
//! (both through user-idle). Where no source works, [`source`] says so: the
//! agent is never treated as always active.

#[cfg(target_os = "linux")]
mod ext_idle;
mod lock;

pub use lock::lock_session;

use std::time::Duration;

/// Why idle time cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdleError {
    /// No source of idle time works on this desktop.
    #[error("{0}")]
    Unavailable(String),
    /// The source was there and stopped answering.
    #[error("{0}")]
    Lost(String),
}

/// Why the session could not be locked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LockError {
    /// Every way of locking was tried and none was confirmed: what each did.
    #[error("this computer could not be locked: {}", .0.join("; "))]
    NotConfirmed(Vec<String>),
}

pub trait IdleSource: Send {
    /// `x11`, `mutter`, `ext-idle-notify`, `windows`, `macos`, or `none`.
    fn name(&self) -> &'static str;
    fn idle(&mut self) -> Result<Duration, IdleError>;
    /// What the agent should know about this source's limits, if anything.
    fn caveat(&self) -> Option<String> {
        None
    }
}

/// No idle time is available (Wayland without a supported protocol, no
/// display); the shield can still be raised by hand.
pub struct NoIdleSource(pub IdleError);

impl IdleSource for NoIdleSource {
    fn name(&self) -> &'static str {
        "none"
    }
    fn idle(&mut self) -> Result<Duration, IdleError> {
        Err(self.0.clone())
    }
}

/// The best idle source on this system.
pub fn source() -> Box<dyn IdleSource> {
    #[cfg(target_os = "linux")]
    {
        if wayland_session() {
            let mutter = match mutter::MutterIdle::connect() {
                Ok(s) => return Box::new(s),
                Err(why) => why,
            };
            return match ext_idle::ExtIdle::connect() {
                Ok(s) => Box::new(s),
                Err(why) => Box::new(NoIdleSource(IdleError::Unavailable(format!(
                    "this Wayland desktop gives no idle time: no GNOME idle monitor ({mutter}), \
                     and {why}"
                )))),
            };
        }
        match x11::X11Idle::open() {
            Ok(s) => Box::new(s),
            Err(why) => Box::new(NoIdleSource(why)),
        }
    }
    #[cfg(any(windows, target_os = "macos"))]
    {
        Box::new(os::OsIdle)
    }
    #[cfg(not(any(target_os = "linux", windows, target_os = "macos")))]
    {
        Box::new(NoIdleSource("no idle source on this system".into()))
    }
}

/// A Wayland desktop session (Xwayland may still give Veil an X display).
#[cfg(target_os = "linux")]
pub fn wayland_session() -> bool {
    std::env::var_os("WAYLAND_DISPLAY").is_some_and(|d| !d.is_empty())
        || std::env::var("XDG_SESSION_TYPE").is_ok_and(|t| t == "wayland")
}

#[cfg(target_os = "linux")]
mod mutter {
    use std::time::Duration;

    use dbus::blocking::Connection;

    use super::IdleError;

    const SERVICE: &str = "org.gnome.Mutter.IdleMonitor";
    const PATH: &str = "/org/gnome/Mutter/IdleMonitor/Core";
    const TIMEOUT: Duration = Duration::from_millis(500);

    /// GNOME Shell's compositor answers `GetIdletime` (milliseconds since
    /// the last input anywhere in the session) on the session bus.
    pub struct MutterIdle {
        bus: Connection,
    }

    impl MutterIdle {
        pub fn connect() -> Result<Self, IdleError> {
            let bus = Connection::new_session()
                .map_err(|e| IdleError::Unavailable(format!("no session bus: {e}")))?;
            let mut s = Self { bus };
            // Asked once now, so a desktop without it is known at start.
            super::IdleSource::idle(&mut s).map_err(|e| IdleError::Unavailable(e.to_string()))?;
            Ok(s)
        }
    }

    impl super::IdleSource for MutterIdle {
        fn name(&self) -> &'static str {
            "mutter"
        }
        fn idle(&mut self) -> Result<Duration, IdleError> {
            let proxy = self.bus.with_proxy(SERVICE, PATH, TIMEOUT);
            let (ms,): (u64,) = proxy.method_call(SERVICE, "GetIdletime", ()).map_err(|e| {
                IdleError::Lost(format!("GNOME's idle monitor did not answer: {e}"))
            })?;
            Ok(Duration::from_millis(ms))
        }
    }
}

#[cfg(target_os = "linux")]
mod x11 {
    use std::ptr::NonNull;
    use std::time::Duration;

    use super::IdleError;

    use x11::xlib::{XCloseDisplay, XDefaultRootWindow, XFree, XOpenDisplay};
    use x11::xss::{
        XScreenSaverAllocInfo, XScreenSaverInfo, XScreenSaverQueryExtension, XScreenSaverQueryInfo,
    };

    pub struct X11Idle {
        display: NonNull<x11::xlib::Display>,
        info: NonNull<XScreenSaverInfo>,
    }

    // The connection is used from one thread at a time (the shield's).
    unsafe impl Send for X11Idle {}

    impl X11Idle {
        pub fn open() -> Result<Self, IdleError> {
            let unavailable = |why: &str| IdleError::Unavailable(why.to_string());
            if !crate::display::x_display_set() {
                return Err(unavailable(
                    if std::env::var_os("WAYLAND_DISPLAY").is_some() {
                        "Wayland session without an X display: idle time is not available"
                    } else {
                        "no display"
                    },
                ));
            }
            let display = NonNull::new(unsafe { XOpenDisplay(std::ptr::null()) })
                .ok_or_else(|| unavailable("cannot open the X display"))?;
            let (mut event, mut error) = (0, 0);
            if unsafe { XScreenSaverQueryExtension(display.as_ptr(), &mut event, &mut error) } == 0
            {
                unsafe { XCloseDisplay(display.as_ptr()) };
                return Err(unavailable("the X server has no screen saver extension"));
            }
            let Some(info) = NonNull::new(unsafe { XScreenSaverAllocInfo() }) else {
                unsafe { XCloseDisplay(display.as_ptr()) };
                return Err(unavailable("out of memory"));
            };
            Ok(Self { display, info })
        }
    }

    impl super::IdleSource for X11Idle {
        fn name(&self) -> &'static str {
            "x11"
        }
        fn idle(&mut self) -> Result<Duration, IdleError> {
            let d = self.display.as_ptr();
            let ok = unsafe { XScreenSaverQueryInfo(d, XDefaultRootWindow(d), self.info.as_ptr()) };
            if ok == 0 {
                return Err(IdleError::Lost(
                    "the X server did not report idle time".into(),
                ));
            }
            Ok(Duration::from_millis(u64::from(
                unsafe { self.info.as_ref() }.idle as u32,
            )))
        }
    }

    impl Drop for X11Idle {
        fn drop(&mut self) {
            unsafe {
                XFree(self.info.as_ptr().cast());
                XCloseDisplay(self.display.as_ptr());
            }
        }
    }
}

#[cfg(any(windows, target_os = "macos"))]
mod os {
    use std::time::Duration;

    pub struct OsIdle;

    impl super::IdleSource for OsIdle {
        fn name(&self) -> &'static str {
            if cfg!(windows) {
                "windows"
            } else {
                "macos"
            }
        }

        #[cfg(target_os = "macos")]
        fn idle(&mut self) -> Result<Duration, super::IdleError> {
            user_idle::UserIdle::get_time()
                .map(|t| t.duration())
                .map_err(|e| super::IdleError::Lost(e.to_string()))
        }

        #[cfg(windows)]
        fn idle(&mut self) -> Result<Duration, super::IdleError> {
            use windows::Win32::System::SystemInformation::GetTickCount;
            use windows::Win32::UI::Input::KeyboardAndMouse::{GetLastInputInfo, LASTINPUTINFO};
            let mut info = LASTINPUTINFO {
                cbSize: std::mem::size_of::<LASTINPUTINFO>() as u32,
                dwTime: 0,
            };
            // SAFETY: info is writable and its size field is set.
            if !unsafe { GetLastInputInfo(&mut info) }.as_bool() {
                return Err(super::IdleError::Lost(
                    windows::core::Error::from_thread().message(),
                ));
            }
            // SAFETY: no arguments, no preconditions.
            let now = unsafe { GetTickCount() };
            Ok(Duration::from_millis(u64::from(since(now, info.dwTime))))
        }
    }

    /// Milliseconds from `input` to `now`, both GetTickCount values: they
    /// wrap every 49.7 days (so the difference wraps too), and an input
    /// stamped a moment after `now` was read (Wine does this) is no idle
    /// time, not 49 days of it.
    #[cfg(any(windows, test))]
    pub(super) fn since(now: u32, input: u32) -> u32 {
        let d = now.wrapping_sub(input);
        if d > u32::MAX / 2 {
            0
        } else {
            d
        }
    }
}

#[cfg(all(test, any(windows, target_os = "macos")))]
mod tests {
    #[test]
    fn tick_differences_wrap_and_never_run_backwards() {
        assert_eq!(super::os::since(5_000, 2_000), 3_000);
        // GetTickCount wrapped between the input and now.
        assert_eq!(super::os::since(1_000, u32::MAX - 999), 2_000);
        // Input stamped just after `now` was read.
        assert_eq!(super::os::since(1_000, 1_010), 0);
    }
}

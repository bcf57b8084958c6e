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

use std::process::Command;
use std::time::Duration;

pub trait IdleSource: Send {
    /// `x11`, `mutter`, `ext-idle-notify`, `windows`, `macos`, or `none`.
    fn name(&self) -> &'static str;
    fn idle(&mut self) -> Result<Duration, String>;
    /// What the agent should know about this source's limits, if anything.
    fn caveat(&self) -> Option<String> {
        None
    }
}

/// No idle time is available (Wayland without a supported protocol, no
/// display); the shield can still be raised by hand.
pub struct NoIdleSource(pub String);

impl IdleSource for NoIdleSource {
    fn name(&self) -> &'static str {
        "none"
    }
    fn idle(&mut self) -> Result<Duration, String> {
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
                Err(why) => Box::new(NoIdleSource(format!(
                    "this Wayland desktop gives no idle time: no GNOME idle monitor ({mutter}), \
                     and {why}"
                ))),
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

    const SERVICE: &str = "org.gnome.Mutter.IdleMonitor";
    const PATH: &str = "/org/gnome/Mutter/IdleMonitor/Core";
    const TIMEOUT: Duration = Duration::from_millis(500);

    /// GNOME Shell's compositor answers `GetIdletime` (milliseconds since
    /// the last input anywhere in the session) on the session bus.
    pub struct MutterIdle {
        bus: Connection,
    }

    impl MutterIdle {
        pub fn connect() -> Result<Self, String> {
            let bus = Connection::new_session().map_err(|e| format!("no session bus: {e}"))?;
            let mut s = Self { bus };
            // Asked once now, so a desktop without it is known at start.
            super::IdleSource::idle(&mut s)?;
            Ok(s)
        }
    }

    impl super::IdleSource for MutterIdle {
        fn name(&self) -> &'static str {
            "mutter"
        }
        fn idle(&mut self) -> Result<Duration, String> {
            let proxy = self.bus.with_proxy(SERVICE, PATH, TIMEOUT);
            let (ms,): (u64,) = proxy
                .method_call(SERVICE, "GetIdletime", ())
                .map_err(|e| format!("GNOME's idle monitor did not answer: {e}"))?;
            Ok(Duration::from_millis(ms))
        }
    }
}

#[cfg(target_os = "linux")]
mod x11 {
    use std::ptr::NonNull;
    use std::time::Duration;

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
        pub fn open() -> Result<Self, String> {
            if !crate::display::x_display_set() {
                return Err(if std::env::var_os("WAYLAND_DISPLAY").is_some() {
                    "Wayland session without an X display: idle time is not available".into()
                } else {
                    "no display".into()
                });
            }
            let display = NonNull::new(unsafe { XOpenDisplay(std::ptr::null()) })
                .ok_or_else(|| "cannot open the X display".to_string())?;
            let (mut event, mut error) = (0, 0);
            if unsafe { XScreenSaverQueryExtension(display.as_ptr(), &mut event, &mut error) } == 0
            {
                unsafe { XCloseDisplay(display.as_ptr()) };
                return Err("the X server has no screen saver extension".into());
            }
            let Some(info) = NonNull::new(unsafe { XScreenSaverAllocInfo() }) else {
                unsafe { XCloseDisplay(display.as_ptr()) };
                return Err("out of memory".into());
            };
            Ok(Self { display, info })
        }
    }

    impl super::IdleSource for X11Idle {
        fn name(&self) -> &'static str {
            "x11"
        }
        fn idle(&mut self) -> Result<Duration, String> {
            let d = self.display.as_ptr();
            let ok = unsafe { XScreenSaverQueryInfo(d, XDefaultRootWindow(d), self.info.as_ptr()) };
            if ok == 0 {
                return Err("the X server did not report idle time".into());
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
        fn idle(&mut self) -> Result<Duration, String> {
            user_idle::UserIdle::get_time()
                .map(|t| t.duration())
                .map_err(|e| e.to_string())
        }
    }
}

/// Locks the OS session. `command` (from policy, for special desktops and
/// for tests) replaces the OS default when set.
pub fn lock_session(command: &str) -> Result<(), String> {
    if !command.trim().is_empty() {
        let mut parts = command.split_whitespace();
        let program = parts.next().unwrap_or_default();
        return run(Command::new(program).args(parts));
    }
    #[cfg(target_os = "linux")]
    {
        // systemd-logind tells the desktop's locker; the XDG screensaver
        // tool covers desktops without logind integration.
        run(Command::new("loginctl").arg("lock-session"))
            .or_else(|_| run(Command::new("xdg-screensaver").arg("lock")))
    }
    #[cfg(windows)]
    {
        unsafe { windows::Win32::System::Shutdown::LockWorkStation() }.map_err(|e| e.message())
    }
    #[cfg(target_os = "macos")]
    {
        // Sleeping the display locks when "require password immediately"
        // is set, which managed Macs enforce by profile.
        run(Command::new("pmset").arg("displaysleepnow"))
    }
    #[cfg(not(any(target_os = "linux", windows, target_os = "macos")))]
    {
        Err("no way to lock the session on this system".into())
    }
}

fn run(cmd: &mut Command) -> Result<(), String> {
    let name = format!("{:?}", cmd.get_program());
    match cmd.status() {
        Ok(s) if s.success() => Ok(()),
        Ok(s) => Err(format!("{name} failed ({s})")),
        Err(e) => Err(format!("{name} could not run: {e}")),
    }
}

//! Locking the OS session, verified. A lock request that "succeeds" proves
//! nothing: `loginctl lock-session` exits 0 on a desktop where no locker
//! listens (openbox, i3), and the screen would stay open with nobody at the
//! computer. So each way of locking is followed by asking the system
//! whether it is locked (logind's `LockedHint`, the session no longer
//! active, the desktop's screen saver service, xscreensaver's own word),
//! and the next way is tried when nothing confirms. Programs are run from
//! the system's folders (never through `PATH`) and with a time limit.

use std::process::Command;
use std::time::{Duration, Instant};

use super::LockError;

/// How long a locker gets to say the screen is locked.
const CONFIRM_WITHIN: Duration = Duration::from_secs(2);
const COMMAND_WITHIN: Duration = Duration::from_secs(5);

/// Locks the session and waits until the system confirms it; the name of
/// the way that worked. `policy_command` (an absolute path and its
/// arguments, from `shield.lock_command`) is tried last.
pub fn lock_session(policy_command: &str) -> Result<String, LockError> {
    let mut tried: Vec<String> = Vec::new();
    for way in ways(policy_command) {
        match way.request() {
            Ok(()) => {
                if confirmed(CONFIRM_WITHIN) {
                    return Ok(way.name());
                }
                tried.push(format!("{}: nothing confirmed the lock", way.name()));
            }
            Err(why) => tried.push(format!("{}: {why}", way.name())),
        }
    }
    Err(LockError::NotConfirmed(tried))
}

enum Way {
    #[cfg(target_os = "linux")]
    Logind,
    Program {
        program: std::path::PathBuf,
        args: Vec<String>,
    },
    #[cfg(windows)]
    Workstation,
}

impl Way {
    fn name(&self) -> String {
        match self {
            #[cfg(target_os = "linux")]
            Way::Logind => "logind".into(),
            Way::Program { program, args } => {
                let mut s = program.display().to_string();
                for a in args {
                    s.push(' ');
                    s.push_str(a);
                }
                s
            }
            #[cfg(windows)]
            Way::Workstation => "LockWorkStation".into(),
        }
    }

    fn request(&self) -> Result<(), String> {
        match self {
            #[cfg(target_os = "linux")]
            Way::Logind => logind::lock(),
            Way::Program { program, args } => {
                crate::process::run_within(Command::new(program).args(args), COMMAND_WITHIN)
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            }
            #[cfg(windows)]
            Way::Workstation => unsafe { windows::Win32::System::Shutdown::LockWorkStation() }
                .map_err(|e| e.message()),
        }
    }
}

#[cfg(any(target_os = "linux", target_os = "macos"))]
fn tool(name: &str, args: &[&str]) -> Option<Way> {
    crate::process::system_tool(name).map(|program| Way::Program {
        program,
        args: args.iter().map(|a| a.to_string()).collect(),
    })
}

fn ways(policy_command: &str) -> Vec<Way> {
    let mut ways = Vec::new();
    #[cfg(target_os = "linux")]
    {
        ways.push(Way::Logind);
        ways.extend(tool("xdg-screensaver", &["lock"]));
        ways.extend(tool("xscreensaver-command", &["-lock"]));
        ways.extend(tool("dm-tool", &["lock"]));
    }
    #[cfg(windows)]
    ways.push(Way::Workstation);
    #[cfg(target_os = "macos")]
    ways.extend(tool("pmset", &["displaysleepnow"]));
    let mut parts = policy_command.split_whitespace();
    if let Some(program) = parts.next() {
        // Policy validation requires an absolute path; checked again here.
        let path = std::path::PathBuf::from(program);
        if path.is_absolute() {
            ways.push(Way::Program {
                program: path,
                args: parts.map(str::to_string).collect(),
            });
        }
    }
    ways
}

/// Polls the ways the system says it is locked until one does, or `within`.
fn confirmed(within: Duration) -> bool {
    let deadline = Instant::now() + within;
    loop {
        if locked_now() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(150));
    }
}

#[cfg(target_os = "linux")]
fn locked_now() -> bool {
    logind::locked() || screensaver_active() || xscreensaver_locked()
}

#[cfg(windows)]
fn locked_now() -> bool {
    // LockWorkStation returns once the switch to the secure desktop is
    // under way; the input desktop is then no longer the user's.
    use windows::Win32::System::StationsAndDesktops::{
        CloseDesktop, OpenInputDesktop, DESKTOP_ACCESS_FLAGS, DESKTOP_CONTROL_FLAGS,
    };
    match unsafe { OpenInputDesktop(DESKTOP_CONTROL_FLAGS(0), false, DESKTOP_ACCESS_FLAGS(0)) } {
        Ok(d) => {
            let _ = unsafe { CloseDesktop(d) };
            false
        }
        Err(_) => true,
    }
}

#[cfg(target_os = "macos")]
fn locked_now() -> bool {
    // `pmset displaysleepnow` locks when "require password immediately" is
    // set, which managed Macs enforce by profile; macOS offers no public
    // way to read the lock state back.
    true
}

#[cfg(not(any(target_os = "linux", windows, target_os = "macos")))]
fn locked_now() -> bool {
    false
}

/// The desktop's screen saver service (GNOME, KDE, Xfce, Cinnamon) says it
/// is active, which on those desktops means locked.
#[cfg(target_os = "linux")]
fn screensaver_active() -> bool {
    let Ok(bus) = dbus::blocking::Connection::new_session() else {
        return false;
    };
    [
        ("org.gnome.ScreenSaver", "/org/gnome/ScreenSaver"),
        (
            "org.freedesktop.ScreenSaver",
            "/org/freedesktop/ScreenSaver",
        ),
        ("org.freedesktop.ScreenSaver", "/ScreenSaver"),
    ]
    .iter()
    .any(|(service, path)| {
        let proxy = bus.with_proxy(*service, *path, Duration::from_millis(300));
        let active: Result<(bool,), _> = proxy.method_call(*service, "GetActive", ());
        matches!(active, Ok((true,)))
    })
}

/// xscreensaver says "screen locked since ..." once its lock is up.
#[cfg(target_os = "linux")]
fn xscreensaver_locked() -> bool {
    let Some(program) = crate::process::system_tool("xscreensaver-command") else {
        return false;
    };
    crate::process::output_within(
        Command::new(program).arg("-time"),
        Duration::from_millis(800),
    )
    .is_some_and(|out| says_locked(&out))
}

/// `xscreensaver-command -time` prints "screen non-blanked since",
/// "screen blanked since" or "screen locked since": only the last is a
/// lock (a blanked screen opens at the first key).
#[cfg(target_os = "linux")]
fn says_locked(time: &str) -> bool {
    time.contains("screen locked since")
}

/// systemd-logind on the system bus: `Lock` asks the session's locker;
/// `LockedHint` is set by the locker once it is up (and a session switched
/// to the greeter is no longer `Active`).
#[cfg(target_os = "linux")]
mod logind {
    use std::time::Duration;

    use dbus::blocking::stdintf::org_freedesktop_dbus::Properties;
    use dbus::blocking::Connection;

    const SERVICE: &str = "org.freedesktop.login1";
    const SESSION: &str = "org.freedesktop.login1.Session";

    fn session(bus: &Connection) -> Option<dbus::Path<'static>> {
        let manager = bus.with_proxy(
            SERVICE,
            "/org/freedesktop/login1",
            Duration::from_millis(500),
        );
        let (path,): (dbus::Path<'static>,) = manager
            .method_call(
                "org.freedesktop.login1.Manager",
                "GetSessionByPID",
                (std::process::id(),),
            )
            .ok()?;
        Some(path)
    }

    pub fn lock() -> Result<(), String> {
        let bus = crate::system_bus::connect().map_err(|e| format!("no system bus: {e}"))?;
        let path = session(&bus).ok_or("this process is in no logind session")?;
        let proxy = bus.with_proxy(SERVICE, path, Duration::from_secs(2));
        proxy
            .method_call::<(), _, _, _>(SESSION, "Lock", ())
            .map_err(|e| format!("logind refused: {e}"))
    }

    pub fn locked() -> bool {
        let Ok(bus) = crate::system_bus::connect() else {
            return false;
        };
        let Some(path) = session(&bus) else {
            return false;
        };
        let proxy = bus.with_proxy(SERVICE, path, Duration::from_millis(500));
        let hint: Result<bool, _> = proxy.get(SESSION, "LockedHint");
        let active: Result<bool, _> = proxy.get(SESSION, "Active");
        matches!(hint, Ok(true)) || matches!(active, Ok(false))
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    #[test]
    fn only_xscreensavers_locked_state_counts() {
        let v = "XScreenSaver 6.06: screen";
        assert!(super::says_locked(&format!(
            "{v} locked since Tue Dec  1 13:32:27 2026"
        )));
        assert!(!super::says_locked(&format!(
            "{v} blanked since Tue Dec  1 13:32:27 2026"
        )));
        assert!(!super::says_locked(&format!(
            "{v} non-blanked since Tue Dec  1 13:32:27 2026"
        )));
    }
}

//! Facts about this boot and this login session, for Veil's lifecycle
//! records: which boot it is, whether the session or the computer is
//! shutting down (a stop then is expected, not a switch-off), and whether
//! Veil's own program file has been removed (the package uninstalled).

use std::path::Path;
#[cfg(target_os = "linux")]
use std::process::Command;
#[cfg(target_os = "linux")]
use std::time::Duration;

/// The kernel's id of this boot; empty where the OS has none.
pub fn boot_id() -> String {
    #[cfg(target_os = "linux")]
    {
        crate::files::read_text(Path::new("/proc/sys/kernel/random/boot_id"), 128)
            .map(|s| s.trim().to_string())
            .unwrap_or_default()
    }
    #[cfg(not(target_os = "linux"))]
    {
        String::new()
    }
}

/// Why a stop now is the session or the computer ending, if it is.
pub fn ending() -> Option<String> {
    if uninstalled() {
        return Some("Veil's program file was removed (the package is being uninstalled)".into());
    }
    #[cfg(target_os = "linux")]
    {
        if let Some(state) = run_for("systemctl", &["is-system-running"]) {
            if state.trim() == "stopping" {
                return Some("the computer is shutting down".into());
            }
        }
        if let Some(state) = logind_session_state() {
            if state == "closing" {
                return Some("the session is ending (logout)".into());
            }
        }
    }
    None
}

/// Veil's own program file is gone: its package was removed under it.
fn uninstalled() -> bool {
    std::env::current_exe().is_ok_and(|exe| {
        let text = exe.to_string_lossy();
        match text.strip_suffix(" (deleted)") {
            Some(path) => !Path::new(path).exists(),
            None => !exe.exists(),
        }
    })
}

/// The logind state of this session (`active`, `online`, `closing`), over
/// the system bus.
#[cfg(target_os = "linux")]
fn logind_session_state() -> Option<String> {
    use dbus::blocking::stdintf::org_freedesktop_dbus::Properties;
    let bus = crate::system_bus::connect().ok()?;
    let proxy = bus.with_proxy(
        "org.freedesktop.login1",
        "/org/freedesktop/login1/session/auto",
        Duration::from_millis(500),
    );
    proxy
        .get::<String>("org.freedesktop.login1.Session", "State")
        .ok()
}

/// When this login session began (Unix ms), where logind says.
#[cfg(target_os = "linux")]
pub fn session_started_ms() -> Option<i64> {
    use dbus::blocking::stdintf::org_freedesktop_dbus::Properties;
    let bus = crate::system_bus::connect().ok()?;
    let proxy = bus.with_proxy(
        "org.freedesktop.login1",
        "/org/freedesktop/login1/session/auto",
        Duration::from_millis(500),
    );
    let usec: u64 = proxy
        .get("org.freedesktop.login1.Session", "Timestamp")
        .ok()?;
    (usec > 0).then_some((usec / 1000) as i64)
}

#[cfg(not(target_os = "linux"))]
pub fn session_started_ms() -> Option<i64> {
    None
}

/// Runs a system tool found in the system's own folders (never through
/// PATH, which the agent controls), for at most a second.
#[cfg(target_os = "linux")]
fn run_for(tool: &str, args: &[&str]) -> Option<String> {
    let program = crate::process::system_tool(tool)?;
    crate::process::output_within(Command::new(program).args(args), Duration::from_secs(1))
}

/// The session's service manager runs Veil as its user unit
/// (`veil.service`, installed by the package) when there is one: it starts
/// Veil again within seconds if it is stopped without being allowed to.
/// True when the unit was started (or already runs) and this process may
/// leave; false to run the tray app directly.
pub fn start_under_service_manager() -> bool {
    #[cfg(target_os = "linux")]
    {
        if std::env::var_os("INVOCATION_ID").is_some() {
            // Already the unit.
            return false;
        }
        if !Path::new("/usr/lib/systemd/user/veil.service").exists() {
            return false;
        }
        let Some(systemctl) = crate::process::system_tool("systemctl") else {
            return false;
        };
        let run = |args: &[&str]| {
            crate::process::run_within(Command::new(&systemctl).args(args), Duration::from_secs(5))
                .is_ok()
        };
        // The unit needs the graphical session's environment.
        let _ = run(&[
            "--user",
            "import-environment",
            "DISPLAY",
            "WAYLAND_DISPLAY",
            "XAUTHORITY",
            "XDG_SESSION_ID",
            "XDG_SESSION_TYPE",
            "XDG_CURRENT_DESKTOP",
            "DBUS_SESSION_BUS_ADDRESS",
        ]);
        run(&["--user", "start", "veil.service"])
    }
    #[cfg(not(target_os = "linux"))]
    {
        false
    }
}

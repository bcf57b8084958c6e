//! The idle shield on a Wayland desktop, with a real GNOME compositor
//! (Mutter, headless, on the test's D-Bus session): idle time comes from
//! Mutter's idle monitor, not from the X server (which under Xwayland only
//! sees input to X programs); without Xwayland the shield cannot keep a
//! window on top, so it locks the session instead. On KDE (KWin) idle time
//! comes from the ext-idle-notify protocol.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use veil_e2e::{wait_until, Home};

/// A headless Mutter with one virtual monitor. `MUTTER_DEBUG_RESET_IDLETIME`
/// lets the test stand in for the agent's input (ResetIdletime).
struct Mutter {
    child: Child,
    socket: PathBuf,
}

impl Mutter {
    fn start(name: &str) -> Mutter {
        let runtime = PathBuf::from(std::env::var("XDG_RUNTIME_DIR").expect("XDG_RUNTIME_DIR"));
        let child = Command::new("mutter")
            .args([
                "--headless",
                "--wayland",
                "--no-x11",
                "--virtual-monitor",
                "1280x800",
            ])
            .arg(format!("--wayland-display={name}"))
            .env("MUTTER_DEBUG_RESET_IDLETIME", "1")
            .env_remove("DISPLAY")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("mutter");
        let m = Mutter {
            child,
            socket: runtime.join(name),
        };
        wait_until(
            Duration::from_secs(20),
            "Mutter's idle monitor answers",
            || m.idle_call("GetIdletime").is_some(),
        );
        m
    }

    fn idle_call(&self, method: &str) -> Option<String> {
        let out = Command::new("gdbus")
            .args([
                "call",
                "--session",
                "--dest",
                "org.gnome.Mutter.IdleMonitor",
                "--object-path",
                "/org/gnome/Mutter/IdleMonitor/Core",
                "--method",
            ])
            .arg(format!("org.gnome.Mutter.IdleMonitor.{method}"))
            .output()
            .ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).to_string())
    }

    /// Input, as far as the compositor is concerned.
    fn input(&self) {
        assert!(self.idle_call("ResetIdletime").is_some(), "ResetIdletime");
    }
}

impl Drop for Mutter {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn shield(home: &Home) -> serde_json::Value {
    home.status()
        .map(|s| s["shield"].clone())
        .unwrap_or_default()
}

fn policy(home: &Home) -> PathBuf {
    let lock_file = home.path().join("locked");
    home.write_policy(&format!(
        "[shield]\nidle_seconds = 5\nwarning_seconds = 1\nlock_after_seconds = 600\nlock_command = \"/usr/bin/touch {}\"\n",
        lock_file.display()
    ));
    lock_file
}

#[test]
fn on_wayland_idle_time_comes_from_mutter() {
    let mutter = Mutter::start("veil-e2e-wayland-0");
    let home = Home::new();
    policy(&home);
    home.set_env("WAYLAND_DISPLAY", &mutter.socket.display().to_string());
    home.set_env("XDG_SESSION_TYPE", "wayland");
    let _app = home.launch(&[]);
    let s = shield(&home);
    assert_eq!(s["idle_source"], "mutter", "{s}");
    // No input reaches the compositor: the shield comes, though the X
    // server's own idle time would be short had the pointer moved there.
    mutter.input();
    wait_until(
        Duration::from_secs(10),
        "shielded after Mutter's idle time",
        || shield(&home)["state"] == "shielded",
    );
    assert!(shield(&home)["idle_seconds"].as_u64().unwrap_or(0) >= 5);
    mutter.input();
    wait_until(
        Duration::from_secs(2),
        "input in the compositor lifts it",
        || shield(&home)["state"] == "active",
    );
}

#[test]
fn on_wayland_without_xwayland_the_shield_locks_instead() {
    let mutter = Mutter::start("veil-e2e-wayland-1");
    let home = Home::new();
    let lock_file = policy(&home);
    home.set_env("WAYLAND_DISPLAY", &mutter.socket.display().to_string());
    home.set_env("XDG_SESSION_TYPE", "wayland");
    home.set_env("DISPLAY", "");
    let _app = home.launch(&[]);
    assert_eq!(shield(&home)["idle_source"], "mutter");
    let o = home.cli(&["shield", "now"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    wait_until(
        Duration::from_secs(3),
        "the session is locked instead",
        || lock_file.exists(),
    );
    // Here nothing can confirm a lock (no logind, no locker; the policy's
    // command only writes a file): said, not claimed.
    wait_until(Duration::from_secs(30), "the lock given up", || {
        shield(&home)["lock_failed"] == true
    });
    let log = String::from_utf8_lossy(&home.cli(&["audit", "show", "--json"]).stdout).to_string();
    assert!(
        log.contains("lock_failed") && !log.contains("session_locked"),
        "{log}"
    );
    drop(mutter);
}

/// A headless KWin (KDE Plasma's compositor) with one virtual output. Its
/// idle time reaches Veil only through ext-idle-notify.
struct KWin {
    child: Child,
    socket: PathBuf,
    /// Holds the copy of kwin_wayland.
    _bin: tempfile::TempDir,
}

impl KWin {
    fn start(name: &str) -> KWin {
        let runtime = PathBuf::from(std::env::var("XDG_RUNTIME_DIR").expect("XDG_RUNTIME_DIR"));
        // Debian gives kwin_wayland a file capability (cap_sys_resource),
        // which containers refuse to run; a copy has none. KWin only takes
        // its own Qt platform from a binary named kwin_wayland.
        let bin = tempfile::tempdir().expect("temp dir");
        let kwin = bin.path().join("kwin_wayland");
        std::fs::copy("/usr/bin/kwin_wayland", &kwin).expect("kwin-wayland is installed");
        let child = Command::new(&kwin)
            .args([
                "--virtual",
                "--width",
                "1280",
                "--height",
                "800",
                "--no-lockscreen",
                "--no-global-shortcuts",
                "--socket",
                name,
            ])
            // Lets the test's input helper use KWin's fake-input protocol.
            .env("KWIN_WAYLAND_NO_PERMISSION_CHECKS", "1")
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("kwin_wayland");
        let k = KWin {
            child,
            socket: runtime.join(name),
            _bin: bin,
        };
        wait_until(Duration::from_secs(20), "KWin's socket", || {
            k.socket.exists()
        });
        k
    }

    /// The agent moves the mouse and presses a key, as far as KWin is
    /// concerned (fake input goes through its input pipeline).
    fn input(&self) {
        let helper = PathBuf::from(env!("CARGO_BIN_EXE_kwin-input"));
        let out = Command::new(helper)
            .env("WAYLAND_DISPLAY", &self.socket)
            .output()
            .expect("kwin-input");
        assert!(
            out.status.success(),
            "kwin-input: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

impl Drop for KWin {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn on_kde_idle_time_comes_from_ext_idle_notify() {
    let kwin = KWin::start("veil-e2e-kwin-0");
    let home = Home::new();
    policy(&home);
    home.set_env("WAYLAND_DISPLAY", &kwin.socket.display().to_string());
    home.set_env("XDG_SESSION_TYPE", "wayland");
    let _app = home.launch(&[]);
    // KWin under load (the other e2e group runs alongside) can take a while
    // to offer its globals.
    wait_until(
        Duration::from_secs(30),
        "the ext-idle-notify source",
        || shield(&home)["idle_source"] == "ext-idle-notify",
    );
    let s = shield(&home);
    // KWin 5.27 speaks version 1, which idle inhibitors hold back: said.
    assert!(
        s["message"]
            .as_str()
            .is_some_and(|m| m.contains("version 1")),
        "{s}"
    );
    kwin.input();
    wait_until(
        Duration::from_secs(12),
        "shielded after KWin's idle time",
        || shield(&home)["state"] == "shielded",
    );
    assert!(shield(&home)["idle_seconds"].as_u64().unwrap_or(0) >= 5);
    kwin.input();
    wait_until(
        Duration::from_secs(2),
        "input in the compositor lifts it",
        || shield(&home)["state"] == "active",
    );
    assert!(shield(&home)["idle_seconds"].as_u64().unwrap_or(99) <= 1);
}

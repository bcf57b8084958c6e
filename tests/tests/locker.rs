//! The shield's lock stage against a real X screen locker that no test of
//! ours wrote: xscreensaver, as on an openbox, Xfce or MATE desktop where it
//! is the session's locker. Veil finds no logind here (no system bus, as in
//! a container) and reaches the locker the way a desktop does, through
//! `xdg-screensaver lock`; the lock counts only once xscreensaver itself
//! says "screen locked since ...". A locker that refuses leaves the cover up.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use veil_e2e::{is_root, wait_until, x_windows_named, Home};

/// The agent's account: xscreensaver will not lock a root session ("cannot
/// lock when running as root"), and an agent is never root.
const AGENT: [&str; 3] = ["--reuid=65534", "--regid=65534", "--clear-groups"];

/// xscreensaver on the test display with its own home and log.
struct XScreensaver {
    child: Child,
    _home: tempfile::TempDir,
}

impl XScreensaver {
    /// `as_agent`: run as an unprivileged account (it locks); as root it
    /// runs but refuses every lock, like a locker whose locking is off.
    fn start(log: &Path, as_agent: bool) -> XScreensaver {
        let home = tempfile::Builder::new()
            .prefix("veil-e2e-xscreensaver-")
            .tempdir()
            .expect("temp dir");
        // Locking on, the plain blank "hack", and timeouts so long that it
        // never blanks or locks by itself during a test: only a lock
        // request can lock it.
        std::fs::write(
            home.path().join(".xscreensaver"),
            "lock: True\nmode: blank\ntimeout: 8:00:00\ncycle: 0:00:00\nlockTimeout: 0:00:00\ndpmsEnabled: False\nsplash: False\n",
        )
        .expect("write .xscreensaver");
        let mut cmd = if as_agent {
            chown_to_agent(home.path());
            // Xvfb runs without access control, but a desktop's X server
            // lets only the session's user in; say so explicitly.
            let _ = Command::new("xhost")
                .arg("+SI:localuser:nobody")
                .stdout(Stdio::null())
                .status();
            let mut c = Command::new("setpriv");
            c.args(AGENT).arg("--").arg("/usr/bin/xscreensaver");
            c
        } else {
            Command::new("/usr/bin/xscreensaver")
        };
        let child = cmd
            .arg("-no-splash")
            .env("HOME", home.path())
            .stdin(Stdio::null())
            .stdout(Stdio::from(std::fs::File::create(log).expect("log")))
            .stderr(Stdio::from(
                std::fs::OpenOptions::new()
                    .append(true)
                    .open(log)
                    .expect("log"),
            ))
            .spawn()
            .expect("xscreensaver (scripts/setup.sh installs it)");
        let x = XScreensaver { child, _home: home };
        wait_until(Duration::from_secs(10), "xscreensaver answers", || {
            xscreensaver_time().contains("non-blanked since")
        });
        x
    }
}

impl Drop for XScreensaver {
    fn drop(&mut self) {
        // SIGTERM: xscreensaver takes its lock window and helpers down with
        // it, so the next test's display is open again.
        unsafe {
            libc::kill(self.child.id() as i32, libc::SIGTERM);
        }
        let _ = self.child.wait();
        // No panic here (a drop may run while a failed test unwinds).
        for _ in 0..50 {
            if xscreensaver_time().is_empty() {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

fn chown_to_agent(dir: &Path) {
    let _ = Command::new("chown")
        .args(["-R", "65534:65534"])
        .arg(dir)
        .status();
}

/// What xscreensaver says about the screen ("screen locked since ..."),
/// empty when none runs on this display.
fn xscreensaver_time() -> String {
    Command::new("/usr/bin/xscreensaver-command")
        .arg("-time")
        .stderr(Stdio::null())
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default()
}

fn shield_state(home: &Home) -> String {
    home.status()
        .map(|s| s["shield"]["state"].as_str().unwrap_or("").to_string())
        .unwrap_or_default()
}

fn mouse(x: u32, y: u32) {
    let _ = Command::new("xdotool")
        .args(["mousemove", &x.to_string(), &y.to_string()])
        .status();
}

/// A home whose Veil sees no system bus (so no logind) and whose policy
/// locks 10 s after the shield; the policy's own lock command only touches
/// a file, so the test sees whether it was needed.
fn home_without_logind() -> (Home, PathBuf) {
    let home = Home::new();
    home.set_env(
        "DBUS_SYSTEM_BUS_ADDRESS",
        "unix:path=/nonexistent/veil-test-system-bus",
    );
    let lock_file = home.path().join("locked-by-policy-command");
    home.write_policy(&format!(
        "[shield]\nidle_seconds = 5\nwarning_seconds = 2\nlock_after_seconds = 10\nlock_command = \"/usr/bin/touch {}\"\n",
        lock_file.display()
    ));
    (home, lock_file)
}

#[test]
fn a_long_absence_locks_xscreensaver_and_veil_says_so_only_when_it_has() {
    assert!(
        is_root(),
        "xscreensaver runs as an unprivileged account here: run as root (CI does)"
    );
    let (home, lock_file) = home_without_logind();
    let locker = XScreensaver::start(&home.path().join("xscreensaver.log"), true);
    // Fresh input, so the countdown starts from this test's own idle time.
    mouse(10, 10);
    let _app = home.launch(&[]);
    mouse(200, 200);
    wait_until(Duration::from_secs(40), "Veil says locked", || {
        shield_state(&home) == "locked"
    });
    let said = xscreensaver_time();
    assert!(
        said.contains("screen locked since"),
        "xscreensaver is not locked: {said}"
    );
    let locked = home.audit_of("session_locked");
    assert_eq!(locked.len(), 1, "{:?}", home.audit());
    let how = locked[0]["details"].as_str().unwrap_or_default();
    assert!(how.contains("xdg-screensaver lock"), "{how}");
    assert!(
        !lock_file.exists(),
        "xscreensaver confirmed: the policy's command was not needed"
    );
    assert!(home.audit_of("lock_failed").is_empty());
    assert_eq!(home.status().unwrap()["shield"]["lock_failed"], false);
    drop(locker);
}

#[test]
fn a_locker_that_refuses_leaves_the_cover_up_and_no_lock_is_claimed() {
    let (home, lock_file) = home_without_logind();
    // As root, xscreensaver runs and answers but refuses to lock: every
    // request exits with "locking disabled".
    let locker = XScreensaver::start(&home.path().join("xscreensaver.log"), false);
    mouse(10, 10);
    let app = home.launch(&[]);
    mouse(200, 200);
    wait_until(Duration::from_secs(50), "the lock given up", || {
        home.status()
            .is_some_and(|s| s["shield"]["lock_failed"] == true)
    });
    let st = home.status().unwrap();
    assert_eq!(
        st["shield"]["state"], "shielded",
        "the cover stays up: {st}"
    );
    assert_eq!(
        x_windows_named(app.pid(), "Veil privacy shield").len(),
        1,
        "the overlay is still on screen"
    );
    let said = xscreensaver_time();
    assert!(
        said.contains("non-blanked since"),
        "xscreensaver was running and did not lock: {said}"
    );
    assert!(lock_file.exists(), "the policy's command was tried last");
    let failed = home.audit_of("lock_failed");
    assert!(!failed.is_empty(), "{:?}", home.audit());
    let why = failed[0]["details"].as_str().unwrap_or_default();
    assert!(
        why.contains("xdg-screensaver lock") && why.contains("xscreensaver-command -lock"),
        "each way the desktop offers was tried: {why}"
    );
    assert!(home.audit_of("session_locked").is_empty());
    mouse(300, 300);
    wait_until(Duration::from_secs(3), "input lifts the cover", || {
        shield_state(&home) == "active"
    });
    drop(locker);
}

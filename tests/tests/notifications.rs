//! Veil's notifications reach a real notification daemon (dunst, on the
//! test desktop's session bus), with their text, and no more often than
//! the rules say.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use veil_e2e::{pulse, wait_until, Home};

/// dunst with a rule that hands every notification to a script writing
/// its summary and body to a file: what the agent would see on screen.
struct Dunst {
    child: Child,
    log: PathBuf,
}

impl Dunst {
    fn start(dir: &Path) -> Dunst {
        fs::create_dir_all(dir).unwrap();
        let log = dir.join("shown.txt");
        let script = dir.join("record.sh");
        fs::write(
            &script,
            format!(
                "#!/bin/sh\n# appname summary body icon urgency\nprintf '%s\\t%s\\n' \"$2\" \"$3\" >> '{}'\n",
                log.display()
            ),
        )
        .unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&script, fs::Permissions::from_mode(0o755)).unwrap();
        }
        let config = dir.join("dunstrc");
        fs::write(
            &config,
            format!(
                "[global]\nmonitor = 0\nfollow = none\n\n[record]\nsummary = \"*\"\nscript = {}\n",
                script.display()
            ),
        )
        .unwrap();
        let child = Command::new("dunst")
            .args(["-config", config.to_str().unwrap()])
            .stdout(Stdio::null())
            .stderr(fs::File::create(dir.join("dunst.log")).unwrap())
            .spawn()
            .expect("dunst (scripts/setup.sh installs it)");
        // Installing dunst also makes it D-Bus activatable: an earlier test's
        // notification may have started one with its default settings. Ours
        // must be the one that owns the name.
        let pid = child.id();
        wait_until(Duration::from_secs(10), "our dunst owns the name", || {
            match notification_daemon_pid() {
                Some(p) if p == pid => true,
                Some(other) => {
                    let _ = Command::new("kill").arg(other.to_string()).status();
                    false
                }
                None => false,
            }
        });
        Dunst { child, log }
    }

    /// Each notification shown: (summary, body).
    fn shown(&self) -> Vec<(String, String)> {
        fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .filter_map(|l| l.split_once('\t'))
            .map(|(s, b)| (s.to_string(), b.to_string()))
            .collect()
    }
}

/// The pid of whoever owns `org.freedesktop.Notifications` on the session bus.
fn notification_daemon_pid() -> Option<u32> {
    let o = Command::new("dbus-send")
        .args([
            "--session",
            "--print-reply",
            "--dest=org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus.GetConnectionUnixProcessID",
            "string:org.freedesktop.Notifications",
        ])
        .output()
        .ok()?;
    String::from_utf8_lossy(&o.stdout)
        .split_whitespace()
        .last()?
        .parse()
        .ok()
}

impl Drop for Dunst {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn the_mic_correction_and_an_unapproved_camera_use_reach_the_notification_daemon() {
    let home = Home::new();
    let dunst = Dunst::start(&home.path().join("dunst"));
    let dev = home.path().join("dev");
    fs::create_dir_all(&dev).unwrap();
    fs::write(dev.join("video0"), b"").unwrap();
    home.write_policy(&format!(
        "camera.device_pattern = \"{}/video*\"\n",
        dev.display()
    ));
    let _app = home.launch(&[]);
    wait_until(
        Duration::from_secs(10),
        "the headset is the default",
        || home.pulse().default_source() == pulse::HEADSET,
    );
    // Enforcing at start is not a correction: nothing to tell yet.
    std::thread::sleep(Duration::from_millis(500));
    assert!(
        dunst
            .shown()
            .iter()
            .all(|(s, _)| s != "Veil put your microphone back"),
        "{:?}",
        dunst.shown()
    );

    // The laptop mic unmuted behind Veil's back: re-muted, and the agent told.
    home.pulse().set_muted(pulse::LAPTOP, false);
    wait_until(Duration::from_secs(5), "the notification shown", || {
        dunst
            .shown()
            .iter()
            .any(|(s, b)| s == "Veil put your microphone back" && b.contains("Built-in Microphone"))
    });
    assert!(home.pulse().muted(pulse::LAPTOP), "re-muted");
    // Again within the minute: corrected, not told again.
    home.pulse().set_muted(pulse::LAPTOP, false);
    wait_until(Duration::from_secs(5), "re-muted again", || {
        home.pulse().muted(pulse::LAPTOP)
    });
    std::thread::sleep(Duration::from_secs(1));
    let told = dunst
        .shown()
        .iter()
        .filter(|(s, _)| s == "Veil put your microphone back")
        .count();
    assert_eq!(told, 1, "at most once a minute: {:?}", dunst.shown());

    // A program that is not allowed opens the camera: named, once.
    let mut cam = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "exec 3<'{}'; exec sleep 120",
            dev.join("video0").display()
        ))
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    wait_until(Duration::from_secs(5), "the camera notification", || {
        dunst
            .shown()
            .iter()
            .any(|(s, b)| s == "sleep is using the camera" && b.contains("report it to IT"))
    });
    std::thread::sleep(Duration::from_secs(1));
    let camera_told = dunst
        .shown()
        .iter()
        .filter(|(s, _)| s == "sleep is using the camera")
        .count();
    assert_eq!(camera_told, 1, "{:?}", dunst.shown());
    let _ = cam.kill();
    let _ = cam.wait();
}

//! A real PulseAudio server per test home, with virtual microphones that
//! carry the properties real ones have: a laptop's internal microphone, a
//! webcam microphone and a USB headset. Loading a device's module is a plug,
//! unloading it an unplug; `pactl` calls are a user fiddling.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::wait_until;

pub const LAPTOP: &str = "laptop_mic";
pub const WEBCAM: &str = "webcam_mic";
pub const HEADSET: &str = "usb_headset_mic";

/// (source name, description, form factor)
const DEVICES: &[(&str, &str, &str)] = &[
    (LAPTOP, "Built-in Microphone", "internal"),
    (WEBCAM, "HD Webcam C920", "webcam"),
    (HEADSET, "Jabra Evolve2 40", "headset"),
];

pub struct Pulse {
    runtime: PathBuf,
    home: PathBuf,
    log: PathBuf,
    child: Option<Child>,
}

impl Pulse {
    /// Starts a server in `runtime` (the home's XDG_RUNTIME_DIR) with no
    /// microphones yet.
    pub fn start(runtime: &Path, home: &Path, log: &Path) -> Pulse {
        let mut p = Pulse {
            runtime: runtime.to_path_buf(),
            home: home.to_path_buf(),
            log: log.to_path_buf(),
            child: None,
        };
        p.restart();
        p
    }

    /// (Re)starts the server process, as a desktop session does after the
    /// audio server crashed.
    pub fn restart(&mut self) {
        self.kill();
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
            .expect("pulse log");
        let child = Command::new("pulseaudio")
            .args([
                "--daemonize=no",
                "--exit-idle-time=-1",
                "--use-pid-file=no",
                "-n",
                "--load=module-native-protocol-unix",
                "--load=module-null-sink sink_name=virt_out",
            ])
            .env("XDG_RUNTIME_DIR", &self.runtime)
            .env("HOME", &self.home)
            // Off the session bus: one server per test home, and the bus
            // name org.PulseAudio1 would allow only one.
            .env(
                "DBUS_SESSION_BUS_ADDRESS",
                "unix:path=/nonexistent/veil-test-bus",
            )
            .stdin(Stdio::null())
            .stdout(Stdio::from(log.try_clone().expect("log")))
            .stderr(Stdio::from(log))
            .spawn()
            .expect("start pulseaudio (scripts/setup.sh installs it)");
        self.child = Some(child);
        wait_until(Duration::from_secs(10), "PulseAudio answers", || {
            self.try_pactl(&["info"]).is_some()
        });
    }

    /// Like the audio server crashing.
    pub fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    fn try_pactl(&self, args: &[&str]) -> Option<String> {
        let out = Command::new("pactl")
            .args(args)
            .env("XDG_RUNTIME_DIR", &self.runtime)
            .env("HOME", &self.home)
            .output()
            .ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
    }

    pub fn pactl(&self, args: &[&str]) -> String {
        self.try_pactl(args)
            .unwrap_or_else(|| panic!("pactl {args:?} failed"))
    }

    /// Plugs a device in: `LAPTOP`, `WEBCAM` or `HEADSET`.
    pub fn plug(&self, source: &str) {
        let (_, description, form) = DEVICES
            .iter()
            .find(|(s, _, _)| *s == source)
            .expect("known device");
        self.pactl(&[
            "load-module",
            "module-remap-source",
            &format!("source_name={source}"),
            "master=virt_out.monitor",
            &format!(
                "source_properties='device.description=\"{description}\" device.form_factor={form} device.bus={}'",
                if form == &"internal" { "pci" } else { "usb" }
            ),
        ]);
    }

    /// Unplugs a device.
    pub fn unplug(&self, source: &str) {
        let modules = self.pactl(&["list", "short", "modules"]);
        let needle = format!("source_name={source} ");
        let id = modules
            .lines()
            .find(|l| l.contains(&needle))
            .and_then(|l| l.split_whitespace().next())
            .unwrap_or_else(|| panic!("{source} is not plugged in"));
        self.pactl(&["unload-module", id]);
    }

    pub fn default_source(&self) -> String {
        self.pactl(&["get-default-source"])
    }

    pub fn set_default(&self, source: &str) {
        self.pactl(&["set-default-source", source]);
    }

    pub fn muted(&self, source: &str) -> bool {
        self.pactl(&["get-source-mute", source]).ends_with("yes")
    }

    pub fn set_muted(&self, source: &str, muted: bool) {
        self.pactl(&["set-source-mute", source, if muted { "1" } else { "0" }]);
    }

    /// The source index of a source name.
    pub fn index_of(&self, source: &str) -> Option<String> {
        self.pactl(&["list", "short", "sources"])
            .lines()
            .find(|l| l.split_whitespace().nth(1) == Some(source))
            .and_then(|l| l.split_whitespace().next().map(str::to_string))
    }

    /// The source index each application's recording stream is attached
    /// to (module-owned streams, with no client, left out).
    pub fn stream_sources(&self) -> Vec<String> {
        self.pactl(&["list", "short", "source-outputs"])
            .lines()
            .filter(|l| l.split_whitespace().nth(2).is_some_and(|c| c != "-"))
            .filter_map(|l| l.split_whitespace().nth(1).map(str::to_string))
            .collect()
    }

    /// A recorder on `source`, as an app that grabbed the laptop mic.
    pub fn record_from(&self, source: &str) -> Child {
        Command::new("parecord")
            .args(["-d", source, "--raw", "/dev/null"])
            .env("XDG_RUNTIME_DIR", &self.runtime)
            .env("HOME", &self.home)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("parecord")
    }

    /// A recorder that tells the server lies about itself: `props` set on
    /// its client with `PULSE_PROP_...`, as any program may.
    pub fn record_claiming(&self, source: &str, props: &[(&str, &str)]) -> Child {
        let mut cmd = Command::new("parecord");
        cmd.args(["-d", source, "--raw", "/dev/null"])
            .env("XDG_RUNTIME_DIR", &self.runtime)
            .env("HOME", &self.home)
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        for (k, v) in props {
            cmd.env(format!("PULSE_PROP_{k}"), v);
        }
        cmd.spawn().expect("parecord")
    }

    /// Counts the server's change events on sources and the server (the
    /// default) over `window`: writes by anyone, Veil included.
    pub fn count_changes(&self, window: Duration) -> usize {
        let mut child = Command::new("pactl")
            .arg("subscribe")
            .env("XDG_RUNTIME_DIR", &self.runtime)
            .env("HOME", &self.home)
            .stdout(Stdio::piped())
            .spawn()
            .expect("pactl subscribe");
        std::thread::sleep(window);
        let _ = child.kill();
        let out = child.wait_with_output().expect("subscribe output");
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter(|l| l.contains("'change'") && (l.contains("source") || l.contains("server")))
            .count()
    }
}

impl Drop for Pulse {
    fn drop(&mut self) {
        self.kill();
    }
}

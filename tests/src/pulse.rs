//! A real PulseAudio server per test home, with virtual microphones that
//! carry the properties real ones have: a laptop's internal microphone, a
//! webcam microphone and a USB headset. Loading a device's module is a plug,
//! unloading it an unplug; `pactl` calls are a user fiddling.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::audio::Pactl;
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

/// A known device's description, form factor and bus (the properties the
/// classifier reads), the same on both servers.
pub(crate) fn device(source: &str) -> (&'static str, &'static str, &'static str) {
    let (_, description, form) = DEVICES
        .iter()
        .find(|(s, _, _)| *s == source)
        .unwrap_or_else(|| panic!("{source} is not a known device"));
    // The laptop's own audio chip sits on PCI; webcams and headsets on USB.
    let bus = if *form == "internal" { "pci" } else { "usb" };
    (description, form, bus)
}

pub struct Pulse {
    pub(crate) client: Pactl,
    log: PathBuf,
    child: Option<Child>,
}

impl Pulse {
    /// Starts a server in `runtime` (the home's XDG_RUNTIME_DIR) with no
    /// microphones yet.
    pub fn start(runtime: &Path, home: &Path, log: &Path) -> Pulse {
        let mut p = Pulse {
            client: Pactl::new(runtime, home),
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
            .env("XDG_RUNTIME_DIR", &self.client.runtime)
            .env("HOME", &self.client.home)
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
            self.client.try_pactl(&["info"]).is_some()
        });
    }

    /// Like the audio server crashing.
    pub fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// Plugs a device in: `LAPTOP`, `WEBCAM` or `HEADSET`.
    pub fn plug(&self, source: &str) {
        let (description, form, bus) = device(source);
        self.client.pactl(&[
            "load-module",
            "module-remap-source",
            &format!("source_name={source}"),
            "master=virt_out.monitor",
            &format!(
                "source_properties='device.description=\"{description}\" device.form_factor={form} device.bus={bus}'"
            ),
        ]);
    }

    /// Unplugs a device.
    pub fn unplug(&self, source: &str) {
        let modules = self.client.pactl(&["list", "short", "modules"]);
        let needle = format!("source_name={source} ");
        let id = modules
            .lines()
            .find(|l| l.contains(&needle))
            .and_then(|l| l.split_whitespace().next())
            .unwrap_or_else(|| panic!("{source} is not plugged in"));
        self.client.pactl(&["unload-module", id]);
    }
}

impl Drop for Pulse {
    fn drop(&mut self) {
        self.kill();
    }
}

//! A test home's audio server, whichever it is: PulseAudio (`pulse.rs`) or
//! PipeWire with WirePlumber and pipewire-pulse (`pipewire.rs`). Both serve
//! the PulseAudio protocol, so everything a user or an application does to
//! the devices (`pactl`, `parecord`) is the same code on both; only starting
//! the server and plugging devices differ.

use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::pipewire::PipeWire;
use crate::pulse::Pulse;

/// Which audio server a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Server {
    PulseAudio,
    PipeWire,
}

/// The server process(es) of one home.
pub enum AudioServer {
    PulseAudio(Pulse),
    PipeWire(PipeWire),
}

impl AudioServer {
    /// Starts `server` in `runtime` (the home's XDG_RUNTIME_DIR) with no
    /// microphones yet; its logs go to files in `logs`.
    pub fn start(server: Server, runtime: &Path, home: &Path, logs: &Path) -> AudioServer {
        match server {
            Server::PulseAudio => {
                AudioServer::PulseAudio(Pulse::start(runtime, home, &logs.join("pulseaudio.log")))
            }
            Server::PipeWire => AudioServer::PipeWire(PipeWire::start(runtime, home, logs)),
        }
    }

    pub fn server(&self) -> Server {
        match self {
            AudioServer::PulseAudio(_) => Server::PulseAudio,
            AudioServer::PipeWire(_) => Server::PipeWire,
        }
    }

    /// The PipeWire stack, for what only it has (WirePlumber, metadata).
    pub fn pipewire(&self) -> Option<&PipeWire> {
        match self {
            AudioServer::PipeWire(p) => Some(p),
            AudioServer::PulseAudio(_) => None,
        }
    }

    pub fn pipewire_mut(&mut self) -> Option<&mut PipeWire> {
        match self {
            AudioServer::PipeWire(p) => Some(p),
            AudioServer::PulseAudio(_) => None,
        }
    }

    /// Plugs a device in: `LAPTOP`, `WEBCAM` or `HEADSET`.
    pub fn plug(&self, source: &str) {
        match self {
            AudioServer::PulseAudio(p) => p.plug(source),
            AudioServer::PipeWire(p) => p.plug(source),
        }
    }

    /// Unplugs a device.
    pub fn unplug(&self, source: &str) {
        match self {
            AudioServer::PulseAudio(p) => p.unplug(source),
            AudioServer::PipeWire(p) => p.unplug(source),
        }
    }

    /// Like the audio server crashing (on PipeWire: the whole stack).
    pub fn kill(&mut self) {
        match self {
            AudioServer::PulseAudio(p) => p.kill(),
            AudioServer::PipeWire(p) => p.kill(),
        }
    }

    /// (Re)starts the server, as a desktop session does after it crashed;
    /// the devices are gone until plugged again.
    pub fn restart(&mut self) {
        match self {
            AudioServer::PulseAudio(p) => p.restart(),
            AudioServer::PipeWire(p) => p.restart(),
        }
    }
}

impl Deref for AudioServer {
    type Target = Pactl;
    fn deref(&self) -> &Pactl {
        match self {
            AudioServer::PulseAudio(p) => &p.client,
            AudioServer::PipeWire(p) => &p.client,
        }
    }
}

/// A PulseAudio-protocol client of one home's server: what users and
/// applications do (`pactl`, `parecord`), and what tests read back.
pub struct Pactl {
    pub(crate) runtime: PathBuf,
    pub(crate) home: PathBuf,
}

impl Pactl {
    pub(crate) fn new(runtime: &Path, home: &Path) -> Pactl {
        Pactl {
            runtime: runtime.to_path_buf(),
            home: home.to_path_buf(),
        }
    }

    pub(crate) fn try_pactl(&self, args: &[&str]) -> Option<String> {
        // Never autospawn: a pactl that asks while PipeWire's pulse server
        // is restarting would start a PulseAudio daemon of its own, which
        // takes the socket the new pipewire-pulse then cannot bind.
        let config = self.runtime.join("test-pulse-client.conf");
        if !config.exists() {
            let _ = std::fs::write(&config, "autospawn = no\n");
        }
        let out = Command::new("pactl")
            .args(args)
            .env("XDG_RUNTIME_DIR", &self.runtime)
            .env("HOME", &self.home)
            .env("PULSE_CLIENTCONFIG", &config)
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

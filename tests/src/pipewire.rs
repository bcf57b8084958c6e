//! A real PipeWire stack per test home, as Debian 12, Ubuntu and Fedora
//! desktops run it: the `pipewire` daemon, the WirePlumber session manager
//! (which owns the default devices) and `pipewire-pulse` (the PulseAudio
//! protocol that Veil speaks). They run as plain processes under the home's
//! runtime dir and the test's D-Bus session, each logging to its own file.
//! The virtual microphones are the ones `pulse.rs` makes, with the same
//! properties; creating a node is a plug, destroying it an unplug.

use std::fs::OpenOptions;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::audio::Pactl;
use crate::pulse::device;
use crate::wait_until;

/// How long a start or a plug may take on a loaded machine.
const START: Duration = Duration::from_secs(30);

pub struct PipeWire {
    pub(crate) client: Pactl,
    logs: PathBuf,
    daemon: Option<Child>,
    session: Option<Child>,
    pulse: Option<Child>,
}

impl PipeWire {
    /// Starts the stack in `runtime` (the home's XDG_RUNTIME_DIR) with a
    /// null sink and no microphones yet; logs go to `logs/pipewire*.log`
    /// and `logs/wireplumber.log`.
    pub fn start(runtime: &Path, home: &Path, logs: &Path) -> PipeWire {
        let mut p = PipeWire {
            client: Pactl::new(runtime, home),
            logs: logs.to_path_buf(),
            daemon: None,
            session: None,
            pulse: None,
        };
        p.restart();
        p
    }

    fn command(&self, program: &str) -> Command {
        let mut cmd = Command::new(program);
        let home = &self.client.home;
        cmd.env("XDG_RUNTIME_DIR", &self.client.runtime)
            .env("HOME", home)
            // WirePlumber keeps the configured defaults in its state dir:
            // the home's, never the developer's.
            .env("XDG_STATE_HOME", home.join(".local/state"))
            .env("XDG_CONFIG_HOME", home.join(".config"))
            .env_remove("PIPEWIRE_REMOTE")
            .env_remove("PIPEWIRE_RUNTIME_DIR")
            .env_remove("PULSE_SERVER")
            .stdin(Stdio::null());
        cmd
    }

    fn spawn(&self, program: &str) -> Child {
        let log = OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.logs.join(format!("{program}.log")))
            .expect("PipeWire log");
        self.command(program)
            .stdout(Stdio::from(log.try_clone().expect("log")))
            .stderr(Stdio::from(log))
            .spawn()
            .unwrap_or_else(|e| panic!("start {program} (scripts/setup.sh installs it): {e}"))
    }

    /// (Re)starts the whole stack, as a desktop session does after the
    /// audio server crashed. WirePlumber restores the defaults it saved.
    pub fn restart(&mut self) {
        self.kill();
        self.daemon = Some(self.spawn("pipewire"));
        let socket = self.client.runtime.join("pipewire-0");
        wait_until(START, "PipeWire's socket", || socket.exists());
        self.start_session_manager();
        self.start_pulse_server();
        // What `--load=module-null-sink sink_name=virt_out` gives on
        // PulseAudio: a sink, so that its monitor is there as a source
        // that is no microphone.
        self.create_node(&[
            "node.name=virt_out",
            "node.description=\"Null Output\"",
            "media.class=Audio/Sink",
        ]);
        wait_until(START, "the null sink", || {
            self.client.index_of("virt_out.monitor").is_some()
        });
    }

    /// Starts pipewire-pulse and waits until it answers. One that exits
    /// before it answers is started again, once, as the session's service
    /// manager does (`Restart=on-failure`); the panic then says how it
    /// ended and what each part of the stack logged.
    fn start_pulse_server(&mut self) {
        let mut ended = Vec::new();
        for _attempt in 0..2 {
            // A killed pipewire-pulse leaves its socket behind; a new one
            // then refused to start now and then ("File exists"), as a
            // session's service manager would not let happen.
            let pulse = self.client.runtime.join("pulse");
            for stale in ["native", "native.lock", "pid"] {
                let _ = std::fs::remove_file(pulse.join(stale));
            }
            self.pulse = Some(self.spawn("pipewire-pulse"));
            let deadline = std::time::Instant::now() + START;
            while std::time::Instant::now() < deadline {
                if self.client.try_pactl(&["info"]).is_some() {
                    return;
                }
                let exit = self
                    .pulse
                    .as_mut()
                    .and_then(|c| c.try_wait().ok().flatten());
                if let Some(status) = exit {
                    ended.push(format!("pipewire-pulse ended before it answered: {status}"));
                    break;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            if ended.is_empty() {
                break;
            }
        }
        let daemon_exit = self
            .daemon
            .as_mut()
            .and_then(|c| c.try_wait().ok().flatten())
            .map(|s| format!("pipewire ended: {s}"))
            .unwrap_or_else(|| "pipewire still runs".into());
        let log = |name: &str| {
            std::fs::read_to_string(self.logs.join(format!("{name}.log"))).unwrap_or_default()
        };
        panic!(
            "timed out after {START:?} waiting for: pipewire-pulse answers ({}; {daemon_exit}); \
             pipewire-pulse.log:\n{}\npipewire.log:\n{}\nwireplumber.log:\n{}",
            if ended.is_empty() {
                "it still runs".to_string()
            } else {
                ended.join("; ")
            },
            log("pipewire-pulse"),
            log("pipewire"),
            log("wireplumber"),
        );
    }

    fn start_session_manager(&mut self) {
        self.session = Some(self.spawn("wireplumber"));
        // WirePlumber creates the "default" metadata once it runs.
        wait_until(START, "WirePlumber's default metadata", || {
            self.default_metadata().is_some()
        });
    }

    /// Restarts WirePlumber alone, as after it crashed or was updated:
    /// PipeWire and pipewire-pulse (and so Veil's connection) stay up, and
    /// WirePlumber picks the defaults from its saved configured ones.
    pub fn restart_session_manager(&mut self) {
        if let Some(mut c) = self.session.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
        self.start_session_manager();
    }

    /// WirePlumber's "default" metadata: (key, value) pairs, e.g.
    /// `default.configured.audio.source` = `{"name":"usb_headset_mic"}`;
    /// `None` while it does not exist.
    pub fn default_metadata(&self) -> Option<Vec<(String, String)>> {
        let out = self
            .command("pw-metadata")
            .args(["-n", "default"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .output()
            .ok()?;
        let text = String::from_utf8_lossy(&out.stdout);
        if !text.contains("Found \"default\" metadata") {
            return None;
        }
        // update: id:0 key:'default.audio.source' value:'{"name":"x"}' type:'...'
        Some(
            text.lines()
                .filter_map(|l| {
                    let key = l.split("key:'").nth(1)?.split('\'').next()?;
                    let value = l.split("value:'").nth(1)?.split("' type:").next()?;
                    Some((key.to_string(), value.to_string()))
                })
                .collect(),
        )
    }

    /// The node name in one of the default metadata's values, e.g. the
    /// source WirePlumber would pick after a restart for
    /// `default.configured.audio.source`.
    pub fn metadata_name(&self, key: &str) -> Option<String> {
        let value = self
            .default_metadata()?
            .into_iter()
            .find(|(k, _)| k == key)?
            .1;
        let json: serde_json::Value = serde_json::from_str(&value).ok()?;
        json["name"].as_str().map(str::to_string)
    }

    /// The default source WirePlumber saved in its state file (what it
    /// restores at its next start), if any.
    pub fn saved_default_source(&self) -> Option<String> {
        let file = self
            .client
            .home
            .join(".local/state/wireplumber/default-nodes");
        let text = std::fs::read_to_string(file).ok()?;
        text.lines()
            .find_map(|l| l.strip_prefix("default.configured.audio.source="))
            .map(str::to_string)
    }

    /// A node made by PipeWire's own null-audio-sink adapter, kept after
    /// pw-cli ends (object.linger).
    fn create_node(&self, props: &[&str]) {
        let spec = format!(
            "{{ factory.name=support.null-audio-sink audio.position=[FL FR] object.linger=true {} }}",
            props.join(" ")
        );
        let out = self
            .command("pw-cli")
            .args(["create-node", "adapter", &spec])
            .output()
            .expect("pw-cli");
        assert!(
            out.status.success(),
            "pw-cli create-node {spec}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Plugs a device in: `LAPTOP`, `WEBCAM` or `HEADSET`.
    ///
    /// Made as one plain `Audio/Source` node by PipeWire's null-audio-sink
    /// adapter rather than pipewire-pulse's `module-remap-source`: that
    /// module is a loopback on PipeWire (a filter node, `device.class =
    /// filter`, fed by a capture stream from the sink's monitor), while a
    /// real microphone is one source node of `device.class = sound` with
    /// its form factor, bus and description on it, which is what this is.
    /// The node belongs to the PipeWire daemon, not to a pipewire-pulse
    /// module, as an ALSA or Bluetooth node does.
    pub fn plug(&self, source: &str) {
        let (description, form, bus) = device(source);
        self.create_node(&[
            &format!("node.name={source}"),
            &format!("node.description=\"{description}\""),
            "media.class=Audio/Source",
            "device.class=sound",
            &format!("device.form_factor={form}"),
            &format!("device.bus={bus}"),
        ]);
        wait_until(START, &format!("{source} plugged in"), || {
            self.client.index_of(source).is_some()
        });
    }

    /// Unplugs a device: its node goes away, as when a USB headset is
    /// pulled out.
    pub fn unplug(&self, source: &str) {
        let id = self
            .node_id(source)
            .unwrap_or_else(|| panic!("{source} is not plugged in"));
        let out = self
            .command("pw-cli")
            .args(["destroy", &id.to_string()])
            .output()
            .expect("pw-cli");
        assert!(out.status.success(), "pw-cli destroy {id}");
        wait_until(START, &format!("{source} unplugged"), || {
            self.client.index_of(source).is_none()
        });
    }

    /// The PipeWire object id of the node named `name`.
    fn node_id(&self, name: &str) -> Option<u64> {
        let out = self.command("pw-dump").output().ok()?;
        let objects: serde_json::Value = serde_json::from_slice(&out.stdout).ok()?;
        objects.as_array()?.iter().find_map(|o| {
            let is_node = o["type"].as_str()? == "PipeWire:Interface:Node";
            (is_node && o["info"]["props"]["node.name"].as_str()? == name)
                .then(|| o["id"].as_u64())
                .flatten()
        })
    }

    /// Like the audio server crashing: the whole stack goes, pipewire-pulse
    /// first (Veil's connection ends), then WirePlumber and the daemon.
    pub fn kill(&mut self) {
        for c in [self.pulse.take(), self.session.take(), self.daemon.take()]
            .into_iter()
            .flatten()
        {
            let mut c = c;
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

impl Drop for PipeWire {
    fn drop(&mut self) {
        self.kill();
    }
}

//! The microphone guard's thread: it keeps a connection to the audio system
//! (reconnecting with backoff), looks at the devices on every change, lets
//! veil-core decide, carries out the writes, reads the result back and
//! reports to the actor. It renders privacy mode and the approved-headset
//! policy from the actor's snapshots; it never decides on its own.

use std::collections::{HashSet, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use veil_core::camera::{DeviceUse, Trust, UseKind};
use veil_core::clock::{Clock, SystemClock};
use veil_core::mic::plan::{Action, Prior, View};
use veil_core::mic::{Guard, HeadsetRule, MicReport, MicStatus};
use veil_core::state::{Event, PrivacyMode};
use veil_os::audio::{self, AudioBackend, AudioError};
use veil_os::files;

use crate::actor::ActorHandle;

/// Reconnect delays grow to this.
const MAX_BACKOFF: Duration = Duration::from_secs(5);

/// After a write, look again at these delays even if the server says
/// nothing. On PipeWire a default-source write is acknowledged before
/// WirePlumber applies it, so the read-back right after it still shows the
/// old state; and now and then (about 1 switch in 100 when switches come
/// fast) pipewire-pulse never updates this connection's view of the default
/// after WirePlumber applied Veil's write: no event comes, and every later
/// read on this connection shows the state from before the write, so the
/// next switch to the laptop mic (no change, as this connection sees it)
/// goes unnoticed. Fresh connections see the truth. A look writes nothing
/// when the devices are compliant, so these cost one read each.
const VERIFY_AFTER_WRITE: [Duration; 2] = [Duration::from_millis(40), Duration::from_millis(250)];

/// While privacy mode is on, look this often even without an event: the
/// last line against an event the server never sent. Read-only when
/// compliant.
const SWEEP_EVERY: Duration = Duration::from_secs(2);

#[derive(Debug, Clone, PartialEq, Eq)]
struct Config {
    enforce: bool,
    rules: Vec<HeadsetRule>,
}

enum Msg {
    /// The audio system reports a change.
    AudioChanged,
    Configure(Config),
    /// Put back what Veil changed and stop; answer when done.
    Quit(Sender<()>),
}

#[derive(Clone)]
pub struct MicGuard {
    tx: Sender<Msg>,
}

fn config_of(actor: &ActorHandle) -> Config {
    let snap = actor.snapshot();
    Config {
        enforce: snap.status.privacy_mode == PrivacyMode::On,
        rules: veil_core::mic::headset_rules(&snap.in_force.approved_headsets),
    }
}

impl MicGuard {
    pub fn spawn(actor: ActorHandle, prior_file: PathBuf) -> MicGuard {
        let (tx, rx) = mpsc::channel();
        let config = config_of(&actor);
        let worker = Worker {
            tx: tx.clone(),
            actor: actor.clone(),
            prior_file: prior_file.clone(),
            config,
            guard: Guard::new(load_prior(&prior_file)),
            last_status: None,
            failed_moves: HashSet::new(),
            retry_at: None,
            verify_at: VecDeque::new(),
            sweep_at: Instant::now() + SWEEP_EVERY,
            unconfirmed_write: false,
            users: vec![],
            last_users: vec![],
        };
        if let Err(e) = std::thread::Builder::new()
            .name("veil-mic-guard".into())
            .spawn(move || worker.run(rx))
        {
            tracing::error!("the microphone guard could not start: {e}");
        }
        // Privacy mode and policy come from the actor's snapshots.
        let forward = tx.clone();
        actor.follow(config_of(&actor), config_of, move |c| {
            forward.send(Msg::Configure(c)).map_err(|_| ())
        });
        MicGuard { tx }
    }

    /// Restores the agent's own microphone setup and stops the guard;
    /// waits up to `timeout`.
    pub fn shutdown(&self, timeout: Duration) {
        let (ack, done) = mpsc::channel();
        if self.tx.send(Msg::Quit(ack)).is_ok() && done.recv_timeout(timeout).is_err() {
            tracing::warn!("the microphone guard did not finish restoring in time");
        }
    }
}

enum End {
    Quit,
    Lost(String),
    /// This connection's view is stale: reconnect at once and look again.
    Refresh,
}

/// Why the guard looks.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Trigger {
    /// The server reported a change, or the guard (re)started.
    Event,
    /// A check after a write, or the sweep: no event said anything changed.
    Timer,
}

struct Worker {
    tx: Sender<Msg>,
    actor: ActorHandle,
    prior_file: PathBuf,
    config: Config,
    guard: Guard,
    last_status: Option<MicStatus>,
    /// Streams the server refused to move (they record silence from a muted
    /// input); not tried again.
    failed_moves: HashSet<u32>,
    /// Writes held back while another program fights the guard.
    retry_at: Option<Instant>,
    /// Looks still due after the last write (earliest first).
    verify_at: VecDeque<Instant>,
    /// The next look without an event, while privacy mode is on.
    sweep_at: Instant,
    /// Veil wrote, and the server has reported no change since.
    unconfirmed_write: bool,
    /// Programs recording now, as of the last read.
    users: Vec<DeviceUse>,
    last_users: Vec<DeviceUse>,
}

impl Worker {
    fn run(mut self, rx: Receiver<Msg>) {
        let backend_name = veil_core::mic::status::native_backend();
        let mut backoff = Duration::from_millis(100);
        // A refresh is not a new server: the devices were settled before.
        let mut fresh_server = true;
        loop {
            let tx = self.tx.clone();
            let notify: audio::Notify = Box::new(move || {
                let _ = tx.send(Msg::AudioChanged);
            });
            let why = match audio::connect(notify) {
                Ok(mut backend) => {
                    backoff = Duration::from_millis(100);
                    tracing::info!("microphone guard connected to {}", backend.kind());
                    match self.session(backend.as_mut(), &rx, fresh_server) {
                        End::Quit => return,
                        End::Refresh => {
                            tracing::debug!(
                                "microphone guard: the connection's view is stale; reconnecting"
                            );
                            fresh_server = false;
                            continue;
                        }
                        End::Lost(why) => why,
                    }
                }
                Err(e) => e.to_string(),
            };
            fresh_server = true;
            self.users.clear();
            self.report(MicStatus::disconnected(backend_name, why.clone()), vec![]);
            tracing::warn!("microphone guard: {why}; retrying in {backoff:?}");
            // Wait out the backoff, still taking settings and quit.
            let until = Instant::now() + backoff;
            while let Some(left) = until.checked_duration_since(Instant::now()) {
                match rx.recv_timeout(left) {
                    Ok(Msg::Configure(c)) => self.config = c,
                    Ok(Msg::Quit(ack)) => {
                        // Nothing can be restored without the server; the
                        // saved prior state is restored at the next start.
                        let _ = ack.send(());
                        return;
                    }
                    Ok(Msg::AudioChanged) => {}
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => return,
                }
            }
            backoff = (backoff * 2).min(MAX_BACKOFF);
        }
    }

    fn session(
        &mut self,
        backend: &mut dyn AudioBackend,
        rx: &Receiver<Msg>,
        fresh_server: bool,
    ) -> End {
        if fresh_server {
            // A new server (or the first connection): changes now are not
            // corrections.
            self.guard.unsettle();
            self.failed_moves.clear();
        }
        self.unconfirmed_write = false;
        if let Err(end) = self.look(backend, Trigger::Event) {
            return end;
        }
        loop {
            let msg = match self.next_wake() {
                Some(at) => match rx.recv_timeout(at.saturating_duration_since(Instant::now())) {
                    Ok(m) => Some(m),
                    Err(RecvTimeoutError::Timeout) => None,
                    Err(RecvTimeoutError::Disconnected) => return End::Quit,
                },
                None => match rx.recv() {
                    Ok(m) => Some(m),
                    Err(_) => return End::Quit,
                },
            };
            let trigger = if msg.is_some() {
                Trigger::Event
            } else {
                Trigger::Timer
            };
            let mut pending = msg.into_iter().collect::<Vec<_>>();
            // A change arrives as a burst of events: take them all, look once.
            pending.extend(rx.try_iter());
            for m in pending {
                match m {
                    Msg::AudioChanged => self.unconfirmed_write = false,
                    Msg::Configure(c) => {
                        if c.enforce && !self.config.enforce {
                            self.guard.unsettle();
                        }
                        self.config = c;
                    }
                    Msg::Quit(ack) => {
                        self.config.enforce = false;
                        // Two looks: restore, then see it done (which clears
                        // the saved prior state).
                        for _ in 0..2 {
                            let _ = self.look(backend, Trigger::Event);
                        }
                        let _ = ack.send(());
                        return End::Quit;
                    }
                }
            }
            if let Err(end) = self.look(backend, trigger) {
                return end;
            }
        }
    }

    /// When to look again without an event: a held-back write, a check
    /// after a write, or the sweep while privacy mode is on.
    fn next_wake(&self) -> Option<Instant> {
        let sweep = self.config.enforce.then_some(self.sweep_at);
        [self.retry_at, self.verify_at.front().copied(), sweep]
            .into_iter()
            .flatten()
            .min()
    }

    /// Reads the devices, decides, writes, reads back and reports.
    fn look(&mut self, backend: &mut dyn AudioBackend, trigger: Trigger) -> Result<(), End> {
        let started = Instant::now();
        // This look covers every check that was due by now.
        while self.verify_at.front().is_some_and(|at| *at <= started) {
            self.verify_at.pop_front();
        }
        self.sweep_at = started + SWEEP_EVERY;
        let view = self.read(backend).map_err(End::Lost)?;
        let now = SystemClock.now();
        let decision = self.guard.decide(&view, self.config.enforce, now);
        if trigger == Trigger::Timer && self.unconfirmed_write && !decision.actions.is_empty() {
            // No event since Veil's write, yet the drift is still there:
            // either the write did not take, or this connection's view
            // stopped following the server (pipewire-pulse, see
            // VERIFY_AFTER_WRITE). Writing again on a stale view would
            // repeat a write the server already carried out, every check;
            // a new connection reads the truth and corrects what is real.
            return Err(End::Refresh);
        }
        self.retry_at = decision.retry_at.map(|at| Instant::now() + at.since(now));
        if decision.save_prior {
            save_prior(&self.prior_file, self.guard.prior());
        }
        tracing::debug!(
            default = view.default_id.as_deref().unwrap_or("-"),
            muted = ?view.inputs.iter().filter(|i| i.muted).map(|i| i.id.as_str()).collect::<Vec<_>>(),
            actions = ?decision.actions,
            retry = decision.retry_at.is_some(),
            "microphone guard looked"
        );
        let mut changes = Vec::new();
        let mut view_now = view;
        if !decision.actions.is_empty() {
            let results = backend.apply(&decision.actions);
            // Whatever the server answered, look again shortly: the
            // read-back below can predate the write taking effect, and the
            // event that follows may never come.
            let written = Instant::now();
            self.verify_at = VERIFY_AFTER_WRITE.iter().map(|d| written + *d).collect();
            for ((action, result), change) in results.into_iter().zip(decision.changes) {
                match result {
                    Ok(()) => {
                        self.unconfirmed_write = true;
                        changes.push(change);
                    }
                    Err(AudioError::Unreachable(why)) => return Err(End::Lost(why)),
                    Err(e) => {
                        tracing::warn!("microphone guard: {action:?} failed: {e}");
                        if let Action::MoveStream { stream, .. } = action {
                            self.failed_moves.insert(stream);
                        }
                    }
                }
            }
            // Read it back: the status shows what the server has now.
            view_now = self.read(backend).map_err(End::Lost)?;
        }
        let mut status = MicStatus::of(
            &view_now,
            backend.kind(),
            self.config.enforce,
            self.guard.contested(now),
        );
        // "A call is under way" counts other programs only: the agent
        // testing their headset on the dashboard is not on a call.
        status.recording = !self.users.is_empty();
        for c in &changes {
            // The details go to the encrypted audit log only.
            tracing::info!(kind = c.kind.record_kind().as_str(), "microphone changed");
        }
        self.report(status, changes);
        Ok(())
    }

    fn read(&mut self, backend: &mut dyn AudioBackend) -> Result<View, String> {
        let devices = match backend.read() {
            Ok(d) => d,
            Err(AudioError::Unreachable(why)) => return Err(why),
            Err(e) => return Err(e.to_string()),
        };
        self.users = recording_programs(&devices);
        let mut view = devices.view(&self.config.rules);
        self.failed_moves
            .retain(|id| view.streams.iter().any(|s| s.id == *id));
        view.streams.retain(|s| !self.failed_moves.contains(&s.id));
        Ok(view)
    }

    /// Tells the actor, when there is news.
    fn report(&mut self, status: MicStatus, changes: Vec<veil_core::mic::Change>) {
        if changes.is_empty()
            && self.last_status.as_ref() == Some(&status)
            && self.last_users == self.users
        {
            return;
        }
        self.last_status = Some(status.clone());
        self.last_users = self.users.clone();
        self.actor.post_blocking(Event::Microphone(MicReport {
            status,
            changes,
            users: self.users.clone(),
            at: SystemClock.now(),
        }));
    }
}

/// Who records from which input, Veil's own mic check aside. A stream's
/// pid counts only where the audio server or the kernel bears it out; one
/// that only claims a pid (Veil's, or the softphone's) is an unknown
/// program, never Veil and never allowed.
fn recording_programs(devices: &audio::Devices) -> Vec<DeviceUse> {
    let own = std::process::id();
    devices
        .streams
        .iter()
        .filter(|s| !(s.pid_verified && s.pid == Some(own)))
        .filter_map(|s| {
            let claimed_name = s.exe.clone().or_else(|| s.app.clone()).unwrap_or_default();
            let (pid, exe, trust) = match s.pid.filter(|_| s.pid_verified) {
                Some(pid) => match veil_os::process::exe_path(pid) {
                    Some(path) => {
                        let trust = if veil_os::process::trusted_location(&path) {
                            Trust::Verified
                        } else {
                            Trust::UntrustedLocation
                        };
                        (pid, path, trust)
                    }
                    // A recorder that is ending can no longer have its
                    // program read; its stream goes with it, under the
                    // name it had.
                    None if veil_os::process::is_exiting(pid) => return None,
                    None => (pid, claimed_name, Trust::Claimed),
                },
                None => (
                    0,
                    match s.pid {
                        Some(p) => format!("claims to be {claimed_name} (pid {p})"),
                        None => format!("claims to be {claimed_name}"),
                    },
                    Trust::Claimed,
                ),
            };
            Some(DeviceUse {
                kind: UseKind::Microphone,
                device: s.input_id.clone(),
                device_name: devices
                    .inputs
                    .iter()
                    .find(|i| i.id == s.input_id)
                    .map(|i| i.name.clone())
                    .unwrap_or_else(|| s.input_id.clone()),
                pid,
                exe,
                user: s.user.clone(),
                trust,
            })
        })
        .collect()
}

fn load_prior(path: &Path) -> Prior {
    match files::read_text(path, files::CONFIG_MAX_BYTES) {
        Ok(text) => match serde_json::from_str(&text) {
            Ok(prior) => {
                tracing::info!(
                    "microphone settings from before Veil found in {}",
                    path.display()
                );
                prior
            }
            Err(e) => {
                let unix = SystemClock.now().0 / 1000;
                let kept = files::keep_aside(path, unix)
                    .map(|p| p.display().to_string())
                    .unwrap_or_else(|_| "(could not move it)".into());
                tracing::error!(
                    "{} is damaged ({e}); kept at {kept}. The microphone settings from before Veil cannot be restored from it.",
                    path.display()
                );
                Prior::default()
            }
        },
        Err(_) => Prior::default(),
    }
}

fn save_prior(path: &Path, prior: &Prior) {
    let result = if *prior == Prior::default() {
        match std::fs::remove_file(path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    } else {
        serde_json::to_vec_pretty(prior)
            .map_err(std::io::Error::other)
            .and_then(|bytes| files::atomic_write(path, &bytes))
    };
    if let Err(e) = result {
        tracing::error!(
            "cannot save the microphone settings from before Veil to {}: {e}",
            path.display()
        );
    }
}

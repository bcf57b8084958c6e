//! Veil's own life on the record (veil-core's `lifecycle` decides what is
//! recorded): the marker that says when this run was last alive, noticing
//! that the process was stopped (SIGSTOP) and continued, and why it stops.
//!
//! A stop is a signal (logout, shutdown, `kill`), the tray's Quit, or the
//! package's removal. With `allow_quit = false` a signal that is not the
//! session ending is recorded with its sender, the microphones stay as Veil
//! enforced them (stopping Veil never opens the laptop microphone), and
//! Veil exits with [`EXIT_STOPPED_AGAINST_POLICY`] so a service manager
//! starts it again.

#[cfg(unix)]
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use tauri::{AppHandle, Manager};
use veil_core::audit::RecordKind;
use veil_core::lifecycle::{RunMarker, ALIVE_EVERY_SECONDS};
use veil_core::state::{ChangedBy, Record};
use veil_os::files;
use veil_os::paths::Paths;

use crate::actor::{ActorHandle, Command};

/// EX_TEMPFAIL: stopped, but not by the agent's right to quit; the user
/// unit's `Restart=on-failure` starts Veil again.
#[cfg(unix)]
pub const EXIT_STOPPED_AGAINST_POLICY: i32 = 75;

/// A process that did not run for this long between two of its one-second
/// ticks was stopped (SIGSTOP) or starved; a suspended computer does not
/// count (the monotonic clock stops with it).
const PAUSE_NOTICED_AFTER: Duration = Duration::from_secs(10);

/// Why Veil is stopping, set before it exits.
#[derive(Default)]
pub struct Stopping(Mutex<Option<Stop>>);

#[derive(Debug, Clone)]
pub struct Stop {
    pub reason: String,
    /// Put the agent's own microphone setup back (privacy mode off, quit
    /// allowed, or the session ending).
    pub restore_microphones: bool,
}

impl Stopping {
    pub fn set(&self, stop: Stop) {
        let mut slot = self.0.lock().unwrap_or_else(|e| e.into_inner());
        slot.get_or_insert(stop);
    }

    /// The reason, or the default when Veil exits without one (its last
    /// window closing on systems where that ends the event loop).
    pub fn take(&self) -> Stop {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
            .unwrap_or(Stop {
                reason: "the app's event loop ended".into(),
                restore_microphones: true,
            })
    }
}

fn marker_path(paths: &Paths) -> std::path::PathBuf {
    paths.data_dir.join("run-state.json")
}

/// The previous run's marker, if it can be read.
pub fn read_marker(paths: &Paths) -> Option<RunMarker> {
    let text = files::read_text(&marker_path(paths), 4096).ok()?;
    serde_json::from_str(&text).ok()
}

/// Keeps the marker fresh and notices a pause, on a thread of its own (a
/// stopped process's async runtime would not tell either).
pub fn spawn_watch(paths: Paths, actor: ActorHandle) {
    let started_ms = crate::audit_log::now_ms();
    let boot_id = veil_os::session::boot_id();
    let spawned = std::thread::Builder::new()
        .name("veil-alive".into())
        .spawn(move || {
            let mut last_tick = Instant::now();
            let mut last_marker: Option<Instant> = None;
            let mut first = true;
            loop {
                // The first marker at once: a kill -9 a second after start
                // is still seen as this run's end.
                if !std::mem::take(&mut first) {
                    std::thread::sleep(Duration::from_secs(1));
                }
                let now = Instant::now();
                let gap = now.duration_since(last_tick);
                last_tick = now;
                if gap >= PAUSE_NOTICED_AFTER {
                    tracing::warn!("Veil did not run for {} s", gap.as_secs());
                    actor.post_command_blocking(Command::Record(Record {
                        kind: RecordKind::VeilPaused,
                        by: ChangedBy::Veil,
                        details: format!(
                            "Veil's process did not run for {} s (stopped with SIGSTOP, or starved)",
                            gap.as_secs()
                        ),
                    }));
                }
                let due = last_marker
                    .is_none_or(|t| now.duration_since(t) >= Duration::from_secs(ALIVE_EVERY_SECONDS));
                if due {
                    last_marker = Some(now);
                    let marker = RunMarker {
                        boot_id: boot_id.clone(),
                        pid: std::process::id(),
                        started_ms,
                        alive_ms: crate::audit_log::now_ms(),
                    };
                    if let Ok(text) = serde_json::to_vec(&marker) {
                        if let Err(e) = files::atomic_write(&marker_path(&paths), &text) {
                            tracing::debug!("the run marker was not written: {e}");
                        }
                    }
                }
            }
        });
    if let Err(e) = spawned {
        tracing::error!("Veil's alive marker cannot run: {e}");
    }
}

/// The sender of the last stop signal, set by the signal handler itself
/// (the only async-signal-safe place it is known).
#[cfg(unix)]
static SENDER: AtomicI32 = AtomicI32::new(0);

/// A polite stop (logout, `kill`, Ctrl-C): recorded with its sender; the
/// microphones are put back only where quitting is allowed or the session
/// is ending.
pub fn spawn_signal_handler(app: &AppHandle) {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        // The listeners first, made here and not in the task below: a stop
        // signal that came after the sender's handler was in place but
        // before the task had run was caught and then heard by nobody, so
        // a `kill` right after start was ignored (seen in the fleet tests).
        let listeners = tauri::async_runtime::block_on(async {
            (
                signal(SignalKind::terminate()),
                signal(SignalKind::interrupt()),
                signal(SignalKind::hangup()),
            )
        });
        let (Ok(mut term), Ok(mut int), Ok(mut hup)) = listeners else {
            tracing::warn!("cannot listen for stop signals");
            return;
        };
        for sig in [libc::SIGTERM, libc::SIGINT, libc::SIGHUP] {
            // SAFETY: the action only stores an integer in an atomic.
            let registered = unsafe {
                signal_hook_registry::register_sigaction(sig, |info: &libc::siginfo_t| {
                    SENDER.store(info.si_pid(), Ordering::Relaxed);
                })
            };
            if let Err(e) = registered {
                tracing::warn!("the sender of signal {sig} will not be known: {e}");
            }
        }
        let app = app.clone();
        tauri::async_runtime::spawn(async move {
            let name = tokio::select! {
                _ = term.recv() => "SIGTERM",
                _ = int.recv() => "SIGINT",
                _ = hup.recv() => "SIGHUP",
            };
            // The sender's handler was added after the listeners', so in
            // the same signal it runs just after the one that woke us: give
            // it a moment (a signal from the kernel has no sender at all).
            let mut sender = SENDER.load(Ordering::Relaxed);
            for _ in 0..100 {
                if sender != 0 {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(1)).await;
                sender = SENDER.load(Ordering::Relaxed);
            }
            let from = match sender {
                0 => "from the kernel or an unknown sender".to_string(),
                pid => match veil_os::process::exe_path(pid as u32) {
                    Some(exe) => format!("from pid {pid} ({exe})"),
                    None => format!("from pid {pid}"),
                },
            };
            stop_by_signal(&app, &format!("{name} {from}"));
        });
    }
    #[cfg(not(unix))]
    let _ = app;
}

#[cfg(unix)]
fn stop_by_signal(app: &AppHandle, signal: &str) {
    let allowed = app
        .try_state::<ActorHandle>()
        .is_none_or(|a| a.snapshot().in_force.allow_quit);
    let ending = veil_os::session::ending();
    let (stop, code) = match (ending, allowed) {
        (Some(why), _) => (
            Stop {
                reason: format!("{signal}: {why}"),
                restore_microphones: true,
            },
            0,
        ),
        (None, true) => (
            Stop {
                reason: signal.to_string(),
                restore_microphones: true,
            },
            0,
        ),
        (None, false) => (
            Stop {
                reason: format!(
                    "{signal}, although the organization's policy does not allow quitting Veil"
                ),
                restore_microphones: false,
            },
            EXIT_STOPPED_AGAINST_POLICY,
        ),
    };
    tracing::warn!("stopping: {}", stop.reason);
    app.state::<Stopping>().set(stop);
    app.exit(code);
}

/// Records the stop (waiting a moment for the store) before Veil exits.
pub fn record_stop(app: &AppHandle, stop: &Stop) {
    let Some(actor) = app.try_state::<ActorHandle>() else {
        return;
    };
    let actor = actor.inner().clone();
    let reason = stop.reason.clone();
    let done = tauri::async_runtime::block_on(async move {
        tokio::time::timeout(
            Duration::from_secs(2),
            actor.request(Command::Stopping { reason }),
        )
        .await
    });
    if !matches!(done, Ok(Ok(()))) {
        tracing::warn!("the stop was not recorded in time");
    }
}

/// Waits (briefly) until the actor has handled everything sent to it so
/// far, so the records of the stop are written before the fleet drains.
pub fn flush_records(app: &AppHandle) {
    let Some(actor) = app.try_state::<ActorHandle>() else {
        return;
    };
    let actor = actor.inner().clone();
    let _ = tauri::async_runtime::block_on(async move {
        tokio::time::timeout(Duration::from_secs(1), actor.request(Command::Flush)).await
    });
}

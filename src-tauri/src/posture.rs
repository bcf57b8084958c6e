//! The device checks' thread: runs every check at start, every
//! `posture.check_minutes` (with a random spread, so a fleet does not check
//! in step), when the OS signals a change (system-bus signals, the desktop's
//! settings files) and when the agent asks ("Check again"). A change is
//! looked at twice, a few seconds apart, since a result must hold twice in
//! a row before it is shown; when the two differ it is looked at again
//! until two agree. So is a check that could not tell at start. After a
//! resume from sleep, results wait for the settling time (veil-core's
//! tracker ignores runs before it).

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use veil_core::clock::{Clock, SystemClock};
use veil_core::posture::tracker::RESUME_SETTLE;
use veil_core::posture::{CheckId, CheckResult, PostureConfig};
use veil_core::state::{Event, PostureEvent};
use veil_core::status::StoreState;
use veil_os::posture::Probes;
use veil_os::watch::FileWatch;

use crate::actor::ActorHandle;

/// The second look after a change: long enough for the service to settle,
/// short enough that the agent sees "Check again" take effect.
const CONFIRM_AFTER: Duration = Duration::from_secs(2);
/// A timer run that differs from the run before is confirmed this soon,
/// not a whole interval later.
const CONFIRM_TIMER_CHANGE: Duration = Duration::from_secs(60);
/// A check whose second look keeps differing from its first is looked at
/// again this many times at `CONFIRM_AFTER`, then at `CONFIRM_TIMER_CHANGE`.
const MAX_QUICK_RECONFIRM: u32 = 5;
/// Signals come in bursts (NetworkManager reports signal strength):
/// triggered runs are at least this far apart.
const MIN_TRIGGER_GAP: Duration = Duration::from_secs(5);
/// How long the first run waits for the store to open.
const STORE_WAIT: Duration = Duration::from_secs(10);
/// How often the desktop's settings files are looked at (a metadata read).
const FILE_POLL: Duration = Duration::from_secs(2);

enum Msg {
    /// The agent asked: run every check at once.
    CheckNow,
    /// Something changed: run these checks soon and confirm shortly after.
    /// (The signals that say so are watched on Linux.)
    #[cfg_attr(not(target_os = "linux"), allow(dead_code))]
    Check(BTreeSet<CheckId>),
    #[cfg_attr(not(target_os = "linux"), allow(dead_code))]
    Resumed,
    Configure(Config),
}

fn all() -> BTreeSet<CheckId> {
    CheckId::ALL.into_iter().collect()
}

/// Which checks a service's signal is about.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
fn checks_for(service: &str) -> BTreeSet<CheckId> {
    let ids: &[CheckId] = match service {
        "NetworkManager" => &[CheckId::Wifi, CheckId::Vpn],
        "firewalld" => &[CheckId::Firewall],
        "PackageKit" => &[CheckId::OsUpdates],
        _ => &CheckId::ALL,
    };
    ids.iter().copied().collect()
}

#[derive(Clone, PartialEq)]
struct Config {
    posture: PostureConfig,
    /// Veil's own shield lock, when it is on.
    shield_lock_after: Option<Duration>,
}

fn config_of(actor: &ActorHandle) -> Config {
    let s = actor.snapshot();
    let shield = &s.in_force.shield;
    Config {
        posture: s.in_force.posture.clone(),
        shield_lock_after: (!shield.lock_after.is_zero()).then_some(shield.lock_after),
    }
}

/// What the windows and the tray use to ask for a run.
#[derive(Clone)]
pub struct PostureHandle {
    tx: Sender<Msg>,
}

impl PostureHandle {
    pub fn check_now(&self) {
        let _ = self.tx.send(Msg::CheckNow);
    }
}

pub fn spawn(actor: ActorHandle) -> PostureHandle {
    let (tx, rx) = mpsc::channel();
    let handle = PostureHandle { tx: tx.clone() };
    {
        let tx = tx.clone();
        actor.follow(config_of(&actor), config_of, move |c| {
            tx.send(Msg::Configure(c)).map_err(|_| ())
        });
    }
    watch_signals(tx);
    let config = config_of(&actor);
    if let Err(e) = std::thread::Builder::new()
        .name("veil-posture".into())
        .spawn(move || run(actor, config, rx))
    {
        tracing::error!("the device checks could not start: {e}");
    }
    handle
}

#[cfg(target_os = "linux")]
fn watch_signals(tx: Sender<Msg>) {
    use veil_os::posture::linux::signals::{self, Signal};
    let env = veil_os::posture::linux::Environment::from_process();
    let result = signals::watch_system_bus(&env, move |s| {
        let _ = tx.send(match s {
            Signal::Resumed => Msg::Resumed,
            Signal::Changed(what) => {
                tracing::debug!("posture: {what} changed");
                Msg::Check(checks_for(what))
            }
        });
    });
    if let Err(e) = result {
        tracing::warn!(
            "device checks: no change signals from the system bus ({e}); checking on a timer"
        );
    }
}

#[cfg(not(target_os = "linux"))]
fn watch_signals(_tx: Sender<Msg>) {}

fn watched_files() -> Vec<PathBuf> {
    #[cfg(target_os = "linux")]
    {
        veil_os::posture::linux::screen_lock::ScreenLockProbe::new(
            veil_os::posture::linux::Environment::from_process(),
        )
        .watched_files()
    }
    #[cfg(not(target_os = "linux"))]
    {
        vec![]
    }
}

/// The next periodic run: the interval, give or take a tenth.
fn next_periodic(every: Duration) -> Instant {
    let spread = every.as_secs_f64() * 0.1;
    let offset = (veil_os::machine::random_unit() * 2.0 - 1.0) * spread;
    Instant::now() + Duration::from_secs_f64((every.as_secs_f64() + offset).max(60.0))
}

fn run(actor: ActorHandle, mut config: Config, rx: Receiver<Msg>) {
    let probes = Probes::native();
    let mut files: Vec<FileWatch> = watched_files().into_iter().map(FileWatch::new).collect();
    for f in &mut files {
        f.changed();
    }
    let mut last: BTreeMap<CheckId, (CheckResult, String)> = BTreeMap::new();
    // Runs the checks, posting each result as it comes (a slow service
    // does not hold up the others); true when any differs from before, and
    // the checks that could not tell.
    let mut check = |config: &Config, ids: &BTreeSet<CheckId>| {
        let mut differs = false;
        let mut unknown = BTreeSet::new();
        for id in ids {
            let o = probes.run_one(*id, &config.posture, config.shield_lock_after);
            let brief = (o.result, o.observed.clone());
            differs |= last.get(id) != Some(&brief);
            last.insert(*id, brief);
            if o.result == CheckResult::Unknown {
                unknown.insert(*id);
            }
            actor.post_blocking(Event::Posture(PostureEvent::Ran {
                run: vec![(*id, o)],
                at: SystemClock.now(),
            }));
        }
        (differs, unknown)
    };
    // The first run waits for the store (briefly), so the last recorded
    // results are known and a result that still holds is not recorded again.
    let deadline = Instant::now() + STORE_WAIT;
    while actor.snapshot().status.store.state == StoreState::Starting && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    let (_, unknown_at_start) = check(&config, &all());
    let mut periodic = next_periodic(config.posture.check_every);
    // A check that could not tell at start (a service still starting at
    // sign-in, a settings tool slow on a loaded machine) is looked at again
    // shortly, as a change would be, not only at the next periodic run.
    let mut confirm: Option<(Instant, BTreeSet<CheckId>)> =
        (!unknown_at_start.is_empty()).then(|| (Instant::now() + CONFIRM_AFTER, unknown_at_start));
    let mut after_resume: Option<Instant> = None;
    let mut wanted: BTreeSet<CheckId> = BTreeSet::new();
    let mut last_triggered = Instant::now();
    let mut urgent = false;
    let mut reconfirmed = 0u32;
    loop {
        let mut wake = periodic.min(Instant::now() + FILE_POLL);
        for t in [confirm.as_ref().map(|c| c.0), after_resume]
            .into_iter()
            .flatten()
        {
            wake = wake.min(t);
        }
        if !wanted.is_empty() {
            wake = wake.min(if urgent {
                Instant::now()
            } else {
                last_triggered + MIN_TRIGGER_GAP
            });
        }
        let msg = match rx.recv_timeout(wake.saturating_duration_since(Instant::now())) {
            Ok(m) => Some(m),
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => return,
        };
        for m in msg.into_iter().chain(rx.try_iter()) {
            match m {
                Msg::CheckNow => {
                    wanted.extend(all());
                    urgent = true;
                }
                Msg::Check(ids) => wanted.extend(ids),
                Msg::Configure(c) => {
                    if c.posture.check_every != config.posture.check_every {
                        periodic = next_periodic(c.posture.check_every);
                    }
                    if c != config {
                        wanted.extend(all());
                    }
                    config = c;
                }
                Msg::Resumed => {
                    actor.post_blocking(Event::Posture(PostureEvent::Resumed {
                        at: SystemClock.now(),
                    }));
                    after_resume = Some(Instant::now() + RESUME_SETTLE + Duration::from_secs(1));
                    confirm = None;
                }
            }
        }
        // Every watch looks (each keeps its own last state).
        let mut file_changed = false;
        for f in &mut files {
            file_changed |= f.changed();
        }
        if file_changed {
            wanted.insert(CheckId::ScreenLock);
        }
        let now = Instant::now();
        if after_resume.is_some_and(|t| t <= now) {
            after_resume = None;
            wanted.extend(all());
        }
        if after_resume.is_some() {
            // Nothing is used until the settling time is over.
            continue;
        }
        if !wanted.is_empty() && (urgent || now >= last_triggered + MIN_TRIGGER_GAP) {
            let ids = std::mem::take(&mut wanted);
            if std::mem::take(&mut urgent) {
                actor.post_blocking(Event::Posture(PostureEvent::Checking));
            }
            check(&config, &ids);
            last_triggered = Instant::now();
            reconfirmed = 0;
            let mut again = confirm.take().map(|c| c.1).unwrap_or_default();
            again.extend(ids);
            confirm = Some((Instant::now() + CONFIRM_AFTER, again));
        } else if confirm.as_ref().is_some_and(|c| c.0 <= now) {
            if let Some((_, ids)) = confirm.take() {
                // A second look that differs from the first (a settings
                // backend that had not yet reloaded the changed file) is
                // looked at again, until two agree or the check flaps.
                if check(&config, &ids).0 {
                    reconfirmed += 1;
                    let after = if reconfirmed < MAX_QUICK_RECONFIRM {
                        CONFIRM_AFTER
                    } else {
                        CONFIRM_TIMER_CHANGE
                    };
                    confirm = Some((Instant::now() + after, ids));
                } else {
                    reconfirmed = 0;
                }
            }
        } else if periodic <= now {
            if check(&config, &all()).0 {
                confirm = Some((Instant::now() + CONFIRM_TIMER_CHANGE, all()));
            }
            periodic = next_periodic(config.posture.check_every);
        }
    }
}

//! The camera guard's threads. The watcher looks whenever the detector
//! says something may have changed (and again shortly after, since an open
//! is announced before the new descriptor is visible) and reports each
//! change to the actor. The cover check, when policy turns it on, reads one
//! frame now and then while no program uses the camera.

use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use veil_core::camera::CameraScan;
use veil_core::clock::{Clock, SystemClock};
use veil_core::state::Event;
use veil_os::camera::{self, CameraConfig, CameraMonitor};

use crate::actor::ActorHandle;

/// Looks after a wake-up: now, then again for descriptors not yet visible
/// when the open was announced.
const FOLLOW_UPS: [Duration; 3] = [
    Duration::from_millis(3),
    Duration::from_millis(30),
    Duration::from_millis(200),
];

enum Msg {
    Changed,
    Configure(CameraConfig),
}

fn config_of(actor: &ActorHandle) -> CameraConfig {
    CameraConfig {
        device_pattern: actor.snapshot().in_force.camera_device_pattern.clone(),
    }
}

pub fn spawn(actor: ActorHandle) {
    let (tx, rx) = mpsc::channel();
    let config = config_of(&actor);
    {
        let actor = actor.clone();
        let tx = tx.clone();
        if let Err(e) = std::thread::Builder::new()
            .name("veil-camera-guard".into())
            .spawn(move || watch(actor, config, tx, rx))
        {
            tracing::error!("the camera guard could not start: {e}");
        }
    }
    // The device pattern comes from policy.
    actor.follow(config_of(&actor), config_of, move |c| {
        tx.send(Msg::Configure(c)).map_err(|_| ())
    });
    spawn_cover_check(actor);
}

fn start(config: &CameraConfig, tx: &Sender<Msg>) -> Box<dyn CameraMonitor> {
    let tx = tx.clone();
    camera::connect(
        config,
        Box::new(move || {
            let _ = tx.send(Msg::Changed);
        }),
    )
}

fn watch(actor: ActorHandle, config: CameraConfig, tx: Sender<Msg>, rx: Receiver<Msg>) {
    let mut monitor = start(&config, &tx);
    let mut last: Option<CameraScan> = None;
    let mut follow_ups: Vec<Instant> = vec![];
    let look = |monitor: &mut Box<dyn CameraMonitor>, last: &mut Option<CameraScan>| {
        let scan = monitor.scan();
        if last.as_ref() != Some(&scan) {
            *last = Some(scan.clone());
            actor.post_blocking(Event::Camera {
                scan,
                at: SystemClock.now(),
            });
        }
    };
    look(&mut monitor, &mut last);
    loop {
        let msg = match follow_ups.first() {
            Some(at) => match rx.recv_timeout(at.saturating_duration_since(Instant::now())) {
                Ok(m) => Some(m),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => return,
            },
            None => match rx.recv() {
                Ok(m) => Some(m),
                Err(_) => return,
            },
        };
        let now = Instant::now();
        follow_ups.retain(|at| *at > now);
        let mut woken = msg.is_some();
        for m in msg.into_iter().chain(rx.try_iter()) {
            if let Msg::Configure(c) = m {
                tracing::info!("camera guard: watching {}", c.device_pattern);
                monitor = start(&c, &tx);
                woken = true;
            }
        }
        if woken {
            follow_ups = FOLLOW_UPS.iter().map(|d| now + *d).collect();
        }
        look(&mut monitor, &mut last);
    }
}

/// The first cover check waits this long after start, so it does not
/// compete with the agent's sign-in.
const FIRST_COVER_CHECK: Duration = Duration::from_secs(30);

fn spawn_cover_check(actor: ActorHandle) {
    let run = move || {
        let mut next = Instant::now() + FIRST_COVER_CHECK;
        loop {
            std::thread::sleep(
                next.saturating_duration_since(Instant::now())
                    .max(Duration::from_secs(1)),
            );
            let snap = actor.snapshot();
            let Some(every) = snap.in_force.camera_cover_check else {
                next = Instant::now() + Duration::from_secs(60);
                continue;
            };
            next = Instant::now() + every;
            // Never while a program uses the camera (nor when there is none).
            let camera = &snap.status.camera;
            if camera.camera_in_use() || camera.devices.is_empty() {
                continue;
            }
            let reading = camera::capture::read_cover();
            if let Err(e) = &reading {
                tracing::warn!("camera cover check: {e}");
            }
            actor.post_blocking(Event::CameraCover {
                reading,
                at: SystemClock.now(),
            });
        }
    };
    if let Err(e) = std::thread::Builder::new()
        .name("veil-camera-cover".into())
        .spawn(run)
    {
        tracing::error!("the camera cover check could not start: {e}");
    }
}

//! Microphone guard latency: the time from a plug or drift event to the
//! PulseAudio server showing the corrected state, measured against the
//! real Veil app. Run it with `scripts/bench.sh mic` (it needs the desktop
//! that scripts/e2e-session.sh provides).
//!
//! Drift trials make the change through this process's own PulseAudio
//! connection and time from just before the write to the moment the server
//! shows Veil's correction. Plug trials load the headset's module with
//! pactl, so they include pactl's own start-up: an upper bound.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use veil_core::mic::plan::Action;
use veil_e2e::pulse::{HEADSET, LAPTOP};
use veil_e2e::{percentile, wait_until, Home};
use veil_os::audio::{self, AudioBackend, Devices};

const DRIFT_TRIALS: usize = 100;
const PLUG_TRIALS: usize = 30;

fn report(what: &str, mut ms: Vec<f64>) -> f64 {
    ms.sort_by(|a, b| a.total_cmp(b));
    let p95 = percentile(&ms, 0.95);
    println!(
        "{what:<34} n={:<4} p50={:>6.2} ms  p95={:>6.2} ms  max={:>6.2} ms",
        ms.len(),
        percentile(&ms, 0.5),
        p95,
        ms[ms.len() - 1]
    );
    p95
}

fn compliant(d: &Devices) -> bool {
    d.default_id.as_deref() == Some(HEADSET) && d.inputs.iter().any(|i| i.id == LAPTOP && i.muted)
}

/// Waits, woken by the server's change events, until `done` holds.
fn time_until(
    backend: &mut dyn AudioBackend,
    events: &mpsc::Receiver<()>,
    start: Instant,
    done: impl Fn(&Devices) -> bool,
) -> f64 {
    loop {
        let d = backend.read().expect("read devices");
        if done(&d) {
            return start.elapsed().as_secs_f64() * 1000.0;
        }
        assert!(
            events.recv_timeout(Duration::from_secs(5)).is_ok(),
            "Veil did not correct the devices within 5 s"
        );
        while events.try_recv().is_ok() {}
    }
}

fn main() {
    let home = Home::new();
    // This process's own client talks to the home's server.
    std::env::set_var("XDG_RUNTIME_DIR", home.path().join("run"));
    std::env::set_var("HOME", home.path().join("home"));
    let _app = home.launch(&[]);
    wait_until(Duration::from_secs(10), "Veil enforces", || {
        let p = home.pulse();
        p.default_source() == HEADSET && p.muted(LAPTOP)
    });

    let (tx, events) = mpsc::channel();
    let mut backend = audio::connect(Box::new(move || {
        let _ = tx.send(());
    }))
    .expect("connect to PulseAudio");
    let b = backend.as_mut();

    let mut default_ms = Vec::new();
    let mut unmute_ms = Vec::new();
    for i in 0..DRIFT_TRIALS {
        // Spaced like a person fiddling, not like a program fighting Veil
        // (which Veil slows to one correction a second).
        std::thread::sleep(Duration::from_millis(150));
        while events.try_recv().is_ok() {}
        let start = Instant::now();
        let drift = if i % 2 == 0 {
            Action::SetDefault {
                input_id: LAPTOP.into(),
            }
        } else {
            Action::SetMute {
                input_id: LAPTOP.into(),
                muted: false,
            }
        };
        for (_, r) in b.apply(std::slice::from_ref(&drift)) {
            r.expect("drift write");
        }
        let ms = time_until(b, &events, start, compliant);
        if i % 2 == 0 {
            default_ms.push(ms);
        } else {
            unmute_ms.push(ms);
        }
    }

    let mut plug_ms = Vec::new();
    for _ in 0..PLUG_TRIALS {
        home.pulse().unplug(HEADSET);
        // Without a headset the laptop mic stays the default; let Veil
        // settle before the next plug.
        std::thread::sleep(Duration::from_millis(100));
        while events.try_recv().is_ok() {}
        let start = Instant::now();
        home.pulse().plug(HEADSET);
        plug_ms.push(time_until(b, &events, start, compliant));
    }

    println!("Veil microphone guard: event to corrected state on the PulseAudio server");
    let all: Vec<f64> = default_ms.iter().chain(&unmute_ms).copied().collect();
    report("default switched back (drift)", default_ms);
    report("laptop mic unmuted (drift)", unmute_ms);
    let p95 = report("all drift trials", all);
    report("headset plugged (incl. pactl)", plug_ms);
    println!(
        "target p95 <= 50 ms: {}",
        if p95 <= 50.0 { "met" } else { "NOT met" }
    );
}

//! Start-up: the time from starting Veil to its icon being in the tray (the
//! tray icon's X window embedded and viewable in the panel), for a new
//! agent (fresh home). Run it with `scripts/bench.sh start`; it uses
//! `VEIL_BIN` (the release build, or `/usr/bin/veil` from the .deb).
//! Also the time from asking the running Veil for its window (`veil`, as
//! the app menu does) to the dashboard being on screen: the window process
//! starts each time, as it ends when its last window closes.
//!
//! The first trial runs after asking the kernel to drop its page cache (a
//! cold start) when this process may do that; the report says whether it
//! could.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use veil_e2e::{binary, percentile, wait_until, x_windows_named, Home};

const WARM_TRIALS: usize = 10;
const OPEN_TRIALS: usize = 10;

fn tray_icon_visible(pid: u32) -> bool {
    Command::new("xdotool")
        .args([
            "search",
            "--onlyvisible",
            "--pid",
            &pid.to_string(),
            "--class",
            "tray-icon",
        ])
        .output()
        .is_ok_and(|o| !o.stdout.is_empty())
}

/// Seconds from spawn to the tray icon.
fn start_to_tray() -> f64 {
    let home = Home::new();
    let t = Instant::now();
    let mut child = Command::new(binary())
        .envs(home.env())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start veil");
    while !tray_icon_visible(child.id()) {
        assert!(
            t.elapsed() < Duration::from_secs(30),
            "no tray icon after 30 s"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
    let took = t.elapsed().as_secs_f64() * 1000.0;
    let _ = child.kill();
    let _ = child.wait();
    took
}

/// Milliseconds from `veil` (the running Veil opens its window) to the
/// dashboard mapped on screen; then it is closed with Alt+F4 and the window
/// process is awaited, so every trial starts one.
fn open_dashboard(home: &Home) -> f64 {
    let t = Instant::now();
    assert!(home.cli(&[]).status.success(), "veil: open the dashboard");
    let dashboard = loop {
        if let Some(id) = home
            .window_process_pid()
            .and_then(|ui| x_windows_named(ui, "Veil").into_iter().next())
        {
            break id;
        }
        assert!(
            t.elapsed() < Duration::from_secs(30),
            "no dashboard after 30 s"
        );
        std::thread::sleep(Duration::from_millis(2));
    };
    let took = t.elapsed().as_secs_f64() * 1000.0;
    std::thread::sleep(Duration::from_millis(500));
    let _ = Command::new("xdotool")
        .args(["windowactivate", "--sync", &dashboard, "key", "alt+F4"])
        .status();
    wait_until(Duration::from_secs(20), "the window process ended", || {
        home.window_process_pid().is_none()
    });
    took
}

fn drop_caches() -> bool {
    let _ = Command::new("sync").status();
    std::fs::write("/proc/sys/vm/drop_caches", "3").is_ok()
}

fn main() {
    let bin = binary();
    let size = std::fs::metadata(&bin).map(|m| m.len()).unwrap_or(0);
    println!(
        "start to tray: {} ({:.1} MB)",
        bin.display(),
        size as f64 / 1e6
    );
    let cold = drop_caches();
    let first = start_to_tray();
    println!(
        "first start ({}): {first:.0} ms",
        if cold {
            "cold: page cache dropped"
        } else {
            "page cache could not be dropped here, so not fully cold"
        }
    );
    let mut warm: Vec<f64> = (0..WARM_TRIALS).map(|_| start_to_tray()).collect();
    warm.sort_by(|a, b| a.total_cmp(b));
    println!(
        "warm starts n={WARM_TRIALS}: p50={:.0} ms  p95={:.0} ms",
        percentile(&warm, 0.5),
        percentile(&warm, 0.95)
    );

    let home = Home::new();
    let _app = home.launch(&[]);
    let mut open: Vec<f64> = (0..OPEN_TRIALS).map(|_| open_dashboard(&home)).collect();
    open.sort_by(|a, b| a.total_cmp(b));
    println!(
        "open the dashboard (window process started) n={OPEN_TRIALS}: p50={:.0} ms  p95={:.0} ms",
        percentile(&open, 0.5),
        percentile(&open, 0.95)
    );
}

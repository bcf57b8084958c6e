//! Camera guard latency: the time from a process opening (or closing) a
//! camera node to Veil recording the session's start (or end) in its audit
//! log, over 50 trials against the real app. Run it with
//! `scripts/bench.sh camera`.
//!
//! This process opens and closes a stand-in node itself, so the clock
//! starts right at the system call; the audit entries carry the time Veil
//! recorded them (ms). The device pattern comes from policy, as in the
//! tests.

use std::fs::File;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use veil_e2e::{percentile, wait_until, Home};

const TRIALS: usize = 50;
/// Long enough for both events to land before the next trial.
const HOLD: Duration = Duration::from_millis(400);

fn now_ms() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64() * 1000.0)
        .unwrap_or(0.0)
}

fn report(what: &str, mut ms: Vec<f64>) {
    ms.sort_by(|a, b| a.total_cmp(b));
    println!(
        "{what:<26} n={:<3} p50={:>6.1} ms  p95={:>6.1} ms  max={:>6.1} ms",
        ms.len(),
        percentile(&ms, 0.5),
        percentile(&ms, 0.95),
        ms[ms.len() - 1]
    );
}

fn main() {
    let home = Home::new();
    let dir = home.path().join("dev");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let node = dir.join("video0");
    std::fs::write(&node, b"").expect("node");
    home.write_policy(&format!(
        "camera.device_pattern = \"{}/video*\"\n",
        dir.display()
    ));
    let _app = home.launch(&[]);
    wait_until(Duration::from_secs(10), "camera detection is ok", || {
        home.status()
            .is_some_and(|s| s["camera"]["detection"] == "ok")
    });
    std::thread::sleep(Duration::from_secs(1));

    let mut opened = Vec::new();
    let mut closed = Vec::new();
    for _ in 0..TRIALS {
        let f = File::open(&node).expect("open node");
        opened.push(now_ms());
        std::thread::sleep(HOLD);
        closed.push(now_ms());
        drop(f);
        std::thread::sleep(HOLD);
    }

    let me = format!("pid {}", std::process::id());
    let mut starts = Vec::new();
    let mut stops = Vec::new();
    wait_until(Duration::from_secs(10), "every trial is recorded", || {
        let out = home.cli(&["audit", "export", "--format", "jsonl"]);
        starts.clear();
        stops.clear();
        for line in String::from_utf8_lossy(&out.stdout).lines() {
            let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
                continue;
            };
            if !v["details"].as_str().is_some_and(|d| d.contains(&me)) {
                continue;
            }
            let at = v["at_ms"].as_f64().unwrap_or(0.0);
            match v["kind"].as_str() {
                Some("camera_use_started") => starts.push(at),
                Some("camera_use_stopped") => stops.push(at),
                _ => {}
            }
        }
        starts.len() >= TRIALS && stops.len() >= TRIALS
    });
    let open_ms: Vec<f64> = starts.iter().zip(&opened).map(|(s, o)| s - o).collect();
    let close_ms: Vec<f64> = stops.iter().zip(&closed).map(|(s, c)| s - c).collect();
    println!("camera guard, {TRIALS} trials (open or close to audit entry):");
    report("open -> session started", open_ms);
    report("close -> session ended", close_ms);

    // What the safety-net poll costs: one look with a camera node present
    // walks every process's descriptors.
    let mut monitor = veil_os::camera::connect(
        &veil_os::camera::CameraConfig {
            device_pattern: format!("{}/video*", dir.display()),
        },
        Box::new(|| {}),
    );
    let processes = std::fs::read_dir("/proc")
        .map(|d| {
            d.flatten()
                .filter(|e| e.file_name().to_string_lossy().parse::<u32>().is_ok())
                .count()
        })
        .unwrap_or(0);
    let mut looks = Vec::new();
    for _ in 0..20 {
        let t = std::time::Instant::now();
        let _ = monitor.scan();
        looks.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    looks.sort_by(|a, b| a.total_cmp(b));
    let p50 = percentile(&looks, 0.5);
    println!(
        "one look ({processes} processes)  p50={p50:>6.2} ms; the 30 s safety poll costs {:.3} % of a core",
        p50 / 30_000.0 * 100.0
    );
}

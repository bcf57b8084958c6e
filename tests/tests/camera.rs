//! The camera guard end to end with real processes: test camera nodes (the
//! device pattern comes from policy), child processes that open them, the
//! audit log, and a parecord on the home's PulseAudio server as a
//! microphone user. Veil itself must never hold a camera node.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use veil_e2e::{pulse, wait_until, App, Home};

/// A folder of stand-in camera nodes under the home.
fn nodes(home: &Home, names: &[&str]) -> PathBuf {
    let dir = home.path().join("dev");
    std::fs::create_dir_all(&dir).unwrap();
    for n in names {
        std::fs::write(dir.join(n), b"").unwrap();
    }
    dir
}

fn policy(home: &Home, dir: &Path, extra: &str) {
    home.write_policy(&format!(
        "camera.device_pattern = \"{}/video*\"\n{extra}\n",
        dir.display()
    ));
}

/// A process (`sleep`, through `exec`) holding `node` open for reading.
fn open_node(node: &Path) -> Child {
    Command::new("sh")
        .arg("-c")
        .arg(format!("exec 3<'{}'; exec sleep 120", node.display()))
        .stdout(Stdio::null())
        .spawn()
        .expect("sh")
}

fn camera(home: &Home) -> Value {
    home.status()
        .map(|s| s["camera"].clone())
        .unwrap_or(Value::Null)
}

fn users_of(cam: &Value, path: &Path) -> Vec<(u64, String)> {
    cam["devices"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| d["path"] == path.display().to_string())
        .flat_map(|d| d["users"].as_array().cloned().unwrap_or_default())
        .map(|u| {
            (
                u["pid"].as_u64().unwrap_or(0),
                u["exe"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

/// Fails if Veil's own descriptors point into the node folder.
fn assert_veil_holds_no_node(app: &App, dir: &Path) {
    for fd in std::fs::read_dir(format!("/proc/{}/fd", app.pid()))
        .unwrap()
        .flatten()
    {
        if let Ok(target) = std::fs::read_link(fd.path()) {
            assert!(
                !target.starts_with(dir),
                "Veil holds {} open",
                target.display()
            );
        }
    }
}

fn audit_export(home: &Home) -> String {
    let out = home.cli(&["audit", "export", "--format", "jsonl"]);
    assert!(out.status.success(), "{out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn start(home: &Home, dir: &Path) -> App {
    let app = home.launch(&[]);
    wait_until(Duration::from_secs(10), "camera detection is ok", || {
        let cam = camera(home);
        cam["detection"] == "ok"
            && cam["devices"][0]["path"]
                .as_str()
                .is_some_and(|p| p.starts_with(dir.to_str().unwrap()))
    });
    app
}

#[test]
fn a_process_opening_a_camera_is_named_told_recorded_and_its_end_seen() {
    let home = Home::new();
    let dir = nodes(&home, &["video0", "video1"]);
    policy(&home, &dir, "");
    let app = start(&home, &dir);
    let cam = camera(&home);
    assert_eq!(cam["devices"].as_array().unwrap().len(), 2, "{cam}");
    assert_eq!(cam["devices"][0]["in_use"], false);
    assert_eq!(home.status().unwrap()["state"], "protected");

    let node = dir.join("video1");
    let mut child = open_node(&node);
    let opened = Instant::now();
    // Detected with its pid and executable within 1 s.
    wait_until(Duration::from_secs(1), "the camera user is seen", || {
        users_of(&camera(&home), &node) == [(child.id() as u64, "/usr/bin/sleep".to_string())]
    });
    eprintln!("open seen after {:?}", opened.elapsed());
    let status = home.status().unwrap();
    assert_eq!(status["state"], "attention");
    assert_eq!(
        status["problems"][0]["summary"],
        "sleep is using the camera"
    );
    let cam = &status["camera"];
    let device = cam["devices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["path"] == node.display().to_string())
        .unwrap();
    assert_eq!(device["in_use"], true);
    assert_eq!(device["users"][0]["allowed"], false);
    assert_veil_holds_no_node(&app, &dir);
    wait_until(Duration::from_secs(2), "the agent is told", || {
        home.app_log().contains("sleep is using the camera")
    });

    child.kill().unwrap();
    child.wait().unwrap();
    let closed = Instant::now();
    wait_until(Duration::from_secs(2), "the session ends", || {
        users_of(&camera(&home), &node).is_empty()
    });
    eprintln!("close seen after {:?}", closed.elapsed());
    assert_eq!(home.status().unwrap()["state"], "protected");
    let recent = &camera(&home)["recent"][0];
    assert_eq!(recent["pid"], child.id());
    assert_eq!(recent["app"], "sleep");

    wait_until(
        Duration::from_secs(5),
        "both ends are in the audit log",
        || {
            let log = audit_export(&home);
            let pid = format!("pid {}", child.id());
            log.lines()
                .any(|l| l.contains("camera_use_started") && l.contains(&pid))
                && log
                    .lines()
                    .any(|l| l.contains("camera_use_stopped") && l.contains(&pid))
        },
    );
    assert_veil_holds_no_node(&app, &dir);
}

#[test]
fn an_allow_listed_program_is_recorded_quietly() {
    let home = Home::new();
    let dir = nodes(&home, &["video0"]);
    policy(&home, &dir, "camera.allowed_apps = [\"hold-open\"]");
    let _app = start(&home, &dir);
    let node = dir.join("video0");
    // Not `open_node`: its shell would be seen (and told) before it execs.
    let mut child = Command::new(env!("CARGO_BIN_EXE_hold-open"))
        .arg(&node)
        .spawn()
        .expect("hold-open");
    wait_until(Duration::from_secs(1), "the camera user is seen", || {
        !users_of(&camera(&home), &node).is_empty()
    });
    let status = home.status().unwrap();
    assert_eq!(status["camera"]["devices"][0]["users"][0]["allowed"], true);
    assert_eq!(status["state"], "protected", "{}", status["problems"]);
    wait_until(Duration::from_secs(5), "the use is recorded", || {
        audit_export(&home).contains("allowed by policy")
    });
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        !home.app_log().contains("is using the camera"),
        "no notification for an allowed program"
    );
}

#[test]
fn a_program_that_opened_the_camera_before_veil_is_found_and_plugging_is_seen() {
    let home = Home::new();
    let dir = nodes(&home, &["video0"]);
    policy(&home, &dir, "");
    let node = dir.join("video0");
    let mut child = open_node(&node);
    // Let the shell reach `sleep` with the node open.
    wait_until(Duration::from_secs(5), "the child holds the node", || {
        std::fs::read_dir(format!("/proc/{}/fd", child.id()))
            .into_iter()
            .flatten()
            .flatten()
            .any(|fd| std::fs::read_link(fd.path()).is_ok_and(|t| t == node))
    });
    let app = start(&home, &dir);
    wait_until(Duration::from_secs(2), "the earlier user is found", || {
        users_of(&camera(&home), &node).first().map(|u| u.0) == Some(child.id() as u64)
    });
    // A camera plugged in while Veil runs.
    std::fs::write(dir.join("video2"), b"").unwrap();
    wait_until(Duration::from_secs(1), "the new camera is listed", || {
        camera(&home)["devices"].as_array().map(Vec::len) == Some(2)
    });
    let node2 = dir.join("video2");
    let mut second = open_node(&node2);
    wait_until(
        Duration::from_secs(1),
        "the new camera's user is seen",
        || users_of(&camera(&home), &node2).first().map(|u| u.0) == Some(second.id() as u64),
    );
    // Unplugged: gone from the list.
    second.kill().unwrap();
    second.wait().unwrap();
    std::fs::remove_file(&node2).unwrap();
    wait_until(Duration::from_secs(1), "the camera is gone", || {
        camera(&home)["devices"].as_array().map(Vec::len) == Some(1)
    });
    assert_veil_holds_no_node(&app, &dir);
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn a_recording_program_shows_as_a_microphone_user() {
    let home = Home::new();
    let dir = nodes(&home, &["video0"]);
    policy(&home, &dir, "");
    let _app = start(&home, &dir);
    let mut rec = home.pulse().record_from(pulse::HEADSET);
    wait_until(
        Duration::from_secs(3),
        "parecord is a microphone user",
        || {
            camera(&home)["microphone_users"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|u| {
                    u["pid"] == rec.id() && u["exe"].as_str().is_some_and(|e| e.ends_with("/pacat"))
                })
        },
    );
    let users = camera(&home)["microphone_users"].clone();
    assert!(users[0]["device"].as_str().unwrap().len() > 1, "{users}");
    let status = home.status().unwrap();
    assert!(
        status["problems"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["summary"] == "pacat is using the microphone"),
        "{}",
        status["problems"]
    );
    rec.kill().unwrap();
    rec.wait().unwrap();
    wait_until(Duration::from_secs(3), "the recording ends", || {
        camera(&home)["microphone_users"]
            .as_array()
            .is_some_and(Vec::is_empty)
    });
    wait_until(
        Duration::from_secs(5),
        "both ends are in the audit log",
        || {
            let log = audit_export(&home);
            log.contains("microphone_use_started") && log.contains("microphone_use_stopped")
        },
    );
}

#[test]
fn a_dead_audio_server_makes_detection_degraded_not_silent() {
    let home = Home::new();
    let dir = nodes(&home, &["video0"]);
    policy(&home, &dir, "");
    let _app = start(&home, &dir);
    let names: Vec<String> = camera(&home)["sources"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["name"].as_str().map(str::to_string))
        .collect();
    assert!(
        names.contains(&"procfs".into()) && names.contains(&"inotify".into()),
        "{names:?}"
    );
    home.pulse().kill();
    wait_until(Duration::from_secs(5), "detection is degraded", || {
        camera(&home)["detection"] == "degraded"
    });
    let status = home.status().unwrap();
    assert!(
        status["camera"]["message"]
            .as_str()
            .unwrap()
            .contains("microphone use cannot be seen"),
        "{}",
        status["camera"]
    );
    assert!(status["problems"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["summary"] == "Camera use not fully visible"));
    home.pulse().restart();
    wait_until(Duration::from_secs(10), "detection is ok again", || {
        camera(&home)["detection"] == "ok"
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_shows_live_use_and_recent_history() {
    use veil_e2e::Session;
    const SOON: Duration = Duration::from_secs(5);
    let home = Home::new();
    home.write_settings("appearance = \"light\"\n");
    let dir = nodes(&home, &["video0"]);
    policy(&home, &dir, "");
    let s = Session::start(&home).await;
    s.eventually(SOON, "the card says nothing is in use", || async {
        s.text("#camera-summary").await == "No program is using your camera or microphone"
    })
    .await;
    assert_eq!(s.text("#camera-devices").await, "video0");

    let mut child = open_node(&dir.join("video0"));
    s.eventually(SOON, "the card names the program", || async {
        s.text("#camera-live")
            .await
            .starts_with("sleep is using the camera (video0)")
    })
    .await;
    assert!(s
        .text("#camera-live")
        .await
        .contains("not approved by your organization"));
    let _ = s
        .client
        .execute(
            "document.getElementById('camera-card').scrollIntoView()",
            vec![],
        )
        .await;
    s.screenshot("dashboard-camera-in-use").await;
    child.kill().unwrap();
    child.wait().unwrap();
    s.eventually(SOON, "the session moves to recent use", || async {
        s.text("#camera-recent")
            .await
            .starts_with("sleep — camera (video0)")
    })
    .await;
    s.end().await;
}

/// A holder whose main thread has ended while another of its threads keeps
/// the camera open: to /proc its process is a zombie with no program and
/// no files of its own, as a process that is ending looks. Veil, which
/// lets an ending process's session end under its name, must not let this
/// one hide: the camera is in use, by a program it cannot name.
#[test]
fn a_holder_whose_main_thread_ended_is_not_taken_for_an_ending_process() {
    let home = Home::new();
    let dir = nodes(&home, &["video0"]);
    policy(&home, &dir, "");
    let _app = start(&home, &dir);
    let node = dir.join("video0");

    let source = home.path().join("leaderless.c");
    std::fs::write(
        &source,
        r#"#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>
static const char *node;
static void *hold(void *unused) {
    (void)unused;
    if (open(node, O_RDONLY) < 0) return 0;
    sleep(120);
    return 0;
}
int main(int argc, char **argv) {
    pthread_t t;
    if (argc < 2) return 2;
    node = argv[1];
    pthread_create(&t, 0, hold, 0);
    usleep(300000);
    pthread_exit(0);
}
"#,
    )
    .unwrap();
    let holder = home.path().join("leaderless");
    let built = Command::new("cc")
        .args(["-pthread", "-o"])
        .arg(&holder)
        .arg(&source)
        .status()
        .expect("cc (build-essential)");
    assert!(built.success(), "the holder did not build");

    let mut child = Command::new(&holder).arg(&node).spawn().unwrap();
    let pid = child.id();
    wait_until(Duration::from_secs(3), "its main thread has ended", || {
        std::fs::read_to_string(format!("/proc/{pid}/status")).is_ok_and(|s| {
            s.lines()
                .any(|l| l.starts_with("State:") && l.contains('Z'))
        })
    });
    wait_until(Duration::from_secs(3), "the camera is seen in use", || {
        camera(&home)["devices"][0]["in_use"] == true
    });
    let status = home.status().unwrap();
    assert_eq!(status["state"], "attention", "{status}");

    child.kill().unwrap();
    child.wait().unwrap();
    wait_until(
        Duration::from_secs(3),
        "the use ends with the holder",
        || camera(&home)["devices"][0]["in_use"] == false,
    );
}

//! Managed means managed: each test tries what a process in the agent's own
//! account could do to switch Veil off, fool it or rewrite its record, and
//! asserts the attack failed or left a record.

use std::os::unix::fs::PermissionsExt;
use std::process::Command;
use std::time::Duration;

use veil_e2e::{is_root, pulse, release_binary, wait_until, Home};

/// The organization's policy file, written as IT would (root, 0644) for one
/// test and put back as it was afterwards.
struct SystemPolicy {
    before: Option<Vec<u8>>,
}

const SYSTEM_POLICY: &str = "/etc/veil/policy.toml";

impl SystemPolicy {
    fn deploy(text: &str, mode: u32) -> SystemPolicy {
        assert!(
            is_root(),
            "this test writes {SYSTEM_POLICY} as IT would: run it as root (CI does)"
        );
        let before = std::fs::read(SYSTEM_POLICY).ok();
        std::fs::create_dir_all("/etc/veil").unwrap();
        std::fs::write(SYSTEM_POLICY, text).unwrap();
        std::fs::set_permissions(SYSTEM_POLICY, std::fs::Permissions::from_mode(mode)).unwrap();
        SystemPolicy { before }
    }
}

impl Drop for SystemPolicy {
    fn drop(&mut self) {
        match &self.before {
            Some(b) => {
                let _ = std::fs::write(SYSTEM_POLICY, b);
            }
            None => {
                let _ = std::fs::remove_file(SYSTEM_POLICY);
                let _ = std::fs::remove_dir("/etc/veil");
            }
        }
    }
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn sha256_of(path: &str) -> String {
    let out = Command::new("sha256sum").arg(path).output().unwrap();
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_string()
}

/// A release build ignores an agent's `VEIL_POLICY` while the organization's
/// policy is deployed: privacy mode stays forced on, and the attempt is on
/// the record.
#[test]
fn the_environment_cannot_replace_the_organizations_policy() {
    let _policy = SystemPolicy::deploy("force_privacy_mode = true\nallow_quit = false\n", 0o644);
    let home = Home::new();
    let mine = home.path().join("my-policy.toml");
    std::fs::write(&mine, "force_privacy_mode = false\n").unwrap();
    // What one line in ~/.config/environment.d/ would do.
    home.set_env("VEIL_POLICY", mine.to_str().unwrap());
    let _app = home.launch_program(&release_binary(), &[]);

    let st = home.status().unwrap();
    assert_eq!(st["policy_file"]["path"], SYSTEM_POLICY, "{st}");
    assert_eq!(st["policy_file"]["state"], "loaded", "{st}");
    assert_eq!(
        st["policy_file"]["sha256"],
        sha256_of(SYSTEM_POLICY),
        "{st}"
    );
    assert_eq!(st["privacy_mode_locked"], true);
    let off = home.cli(&["privacy", "off"]);
    assert_eq!(off.status.code(), Some(1), "{}", stderr(&off));
    assert_eq!(home.status().unwrap()["privacy_mode"], "on");

    let refused = home.audit_of("policy_override_refused");
    assert_eq!(refused.len(), 1, "{:?}", home.audit());
    assert!(refused[0]["details"]
        .as_str()
        .unwrap()
        .contains(mine.to_str().unwrap()));
    let loaded = home.audit_of("policy_loaded");
    assert!(
        loaded[0]["details"].as_str().unwrap().contains(&format!(
            "{SYSTEM_POLICY} (sha256 {})",
            sha256_of(SYSTEM_POLICY)
        )),
        "{loaded:?}"
    );
}

/// A policy file other users could have written is not the organization's:
/// rejected with a named error, and with no earlier policy known Veil runs
/// fail-closed (privacy mode locked on, no quitting).
#[test]
fn a_policy_file_others_can_write_is_rejected_and_veil_fails_closed() {
    let _policy = SystemPolicy::deploy("force_privacy_mode = false\nallow_quit = true\n", 0o666);
    let home = Home::new();
    home.set_env("VEIL_POLICY", "");
    let _app = home.launch_program(&release_binary(), &[]);
    let st = home.status().unwrap();
    assert_eq!(st["policy_file"]["state"], "rejected", "{st}");
    let message = st["policy_file"]["errors"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("other users can change it (mode 666)"),
        "{message}"
    );
    assert_eq!(st["privacy_mode_locked"], true, "fail-closed: {st}");
    assert_eq!(st["state"], "attention");
    assert!(
        st["problems"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["summary"] == "Organization policy unusable"),
        "{st}"
    );
    assert!(!home.audit_of("policy_rejected").is_empty());
}

/// A FIFO in place of the settings file would block a plain read forever
/// (and with it every later policy change): it is named and skipped.
#[test]
fn a_fifo_as_the_settings_file_is_named_and_policy_changes_still_apply() {
    let home = Home::new();
    let settings = home.settings_path();
    std::fs::create_dir_all(settings.parent().unwrap()).unwrap();
    let made = Command::new("mkfifo").arg(&settings).status().unwrap();
    assert!(made.success());
    let _app = home.launch(&[]);
    wait_until(Duration::from_secs(5), "the FIFO named", || {
        home.status().is_some_and(|s| {
            s["settings_file"]["errors"][0]["message"]
                .as_str()
                .is_some_and(|m| m.contains("a FIFO (named pipe), not a regular file"))
        })
    });
    home.write_policy("allow_quit = false\n");
    wait_until(Duration::from_secs(5), "the policy still applies", || {
        home.status()
            .is_some_and(|s| s["policy_file"]["state"] == "loaded")
    });
}

/// The kept copy of the last good policy is in the agent's folder. Edited
/// there (quitting allowed, privacy mode free) and then needed, because the
/// real policy is broken at the next start, it is not the policy on record:
/// it is removed, the attempt is recorded, and Veil runs fail-closed.
#[test]
fn an_edited_copy_of_the_last_good_policy_does_not_count() {
    let home = Home::new();
    home.write_policy("force_privacy_mode = true\nallow_quit = false\n");
    let mut app = home.launch(&[]);
    let cache = home.data_dir().join("policy-last-good.toml");
    wait_until(Duration::from_secs(5), "the last good policy kept", || {
        cache.exists()
    });
    app.kill_hard();
    std::fs::write(&cache, "force_privacy_mode = false\nallow_quit = true\n").unwrap();
    // IT's next policy is broken, so the kept copy is what Veil would use.
    home.write_policy("force_privacy_mode = [\n");

    let _app = home.launch(&[]);
    let st = home.status().unwrap();
    assert_eq!(st["policy_file"]["state"], "rejected", "{st}");
    assert_eq!(st["privacy_mode_locked"], true, "fail-closed: {st}");
    let off = home.cli(&["privacy", "off"]);
    assert_eq!(off.status.code(), Some(1), "{}", stderr(&off));
    let rejected = home.audit_of("policy_cache_rejected");
    assert_eq!(rejected.len(), 1, "{:?}", home.audit());
    let details = rejected[0]["details"].as_str().unwrap();
    assert!(details.contains("is not the policy on record"), "{details}");
    assert!(!cache.exists(), "the edited copy was left in place");
}

/// kill -9 leaves no chance to record anything: the next start says the
/// previous run ended without stopping, and that the privacy-mode file was
/// edited while Veil was down.
#[test]
fn kill_9_and_a_file_edited_meanwhile_are_on_the_record_at_the_next_start() {
    let home = Home::new();
    let mut app = home.launch(&[]);
    assert_eq!(home.status().unwrap()["privacy_mode"], "on");
    let first_pid = app.pid();
    app.kill_hard();
    std::fs::write(home.data_dir().join("privacy-mode"), "off\n").unwrap();

    let _app = home.launch(&[]);
    let started = home.audit_of("veil_started");
    assert_eq!(started.len(), 2, "{:?}", home.audit());
    let details = started[1]["details"].as_str().unwrap();
    assert!(
        details.contains(&format!(
            "the previous run (pid {first_pid}) ended without stopping"
        )),
        "{details}"
    );
    let absent = home.audit_of("veil_absent");
    assert_eq!(absent.len(), 1, "{:?}", home.audit());
    assert!(
        absent[0]["details"]
            .as_str()
            .unwrap()
            .contains("the privacy-mode file was changed to off outside Veil"),
        "{absent:?}"
    );
    let off = home.audit_of("privacy_off");
    assert_eq!(off.len(), 1);
    assert_eq!(off[0]["actor"], "outside");
    assert!(home.cli(&["audit", "verify"]).status.success());
}

/// With `allow_quit = false`, SIGTERM from the agent's shell is recorded
/// with its sender, Veil asks to be started again (exit 75), and the laptop
/// microphone stays muted: stopping Veil never opens it.
#[test]
fn sigterm_when_quitting_is_not_allowed_is_recorded_and_leaves_the_laptop_mic_muted() {
    let home = Home::new();
    home.write_policy("allow_quit = false\n");
    let mut app = home.launch(&[]);
    wait_until(Duration::from_secs(5), "the laptop mic muted", || {
        home.pulse().muted(pulse::LAPTOP) && home.pulse().default_source() == pulse::HEADSET
    });
    let mut kill = Command::new("/bin/kill")
        .args(["-TERM", &app.pid().to_string()])
        .spawn()
        .unwrap();
    let sender = kill.id();
    let _ = kill.wait();
    let status = app.child.wait().unwrap();
    assert_eq!(status.code(), Some(75));
    assert!(
        home.pulse().muted(pulse::LAPTOP),
        "the laptop mic was opened"
    );
    assert_eq!(home.pulse().default_source(), pulse::HEADSET);
    let stopped = home.audit_of("veil_stopped");
    assert_eq!(stopped.len(), 1, "{:?}", home.audit());
    let details = stopped[0]["details"].as_str().unwrap();
    assert!(
        details.starts_with(&format!("SIGTERM from pid {sender}")),
        "{details}"
    );
    assert!(
        details.contains("although the organization's policy does not allow quitting"),
        "{details}"
    );
}

/// An agent's own bus standing in for logind (a locker that confirms every
/// lock, a session that says it is closing) fools a test build, which
/// honours `DBUS_SYSTEM_BUS_ADDRESS`, and not a release build, which reaches
/// logind at the system bus's socket: a SIGTERM is not passed off as a
/// logout, and the bus's "locked" is not taken for a lock.
#[test]
fn a_bus_of_the_agents_own_cannot_pass_a_stop_off_as_a_logout_or_confirm_a_lock() {
    let logind = veil_e2e::logind::MockLogind::start(true);
    logind.session_closing();
    let sigterm = |program: &std::path::Path| -> (Option<i32>, String) {
        let home = Home::new();
        home.set_env("DBUS_SYSTEM_BUS_ADDRESS", &logind.address);
        home.write_policy("allow_quit = false\n");
        let mut app = home.launch_program(program, &[]);
        let _ = Command::new("/bin/kill")
            .args(["-TERM", &app.pid().to_string()])
            .status();
        let code = app.child.wait().unwrap().code();
        let stopped = home.audit_of("veil_stopped");
        assert_eq!(stopped.len(), 1, "{:?}", home.audit());
        (code, stopped[0]["details"].as_str().unwrap().to_string())
    };
    // The fake works: a test build takes the stop for the session's end.
    let (code, details) = sigterm(&veil_e2e::binary());
    assert_eq!(code, Some(0), "{details}");
    assert!(
        details.contains("the session is ending (logout)"),
        "{details}"
    );
    // The release build asks the real logind, and records the switch-off.
    let (code, details) = sigterm(&release_binary());
    assert_eq!(code, Some(75), "{details}");
    assert!(
        details.contains("although the organization's policy does not allow quitting"),
        "{details}"
    );

    // The lock: nothing on this desktop locks, the fake's locker says it did.
    let home = Home::new();
    home.set_env("DBUS_SYSTEM_BUS_ADDRESS", &logind.address);
    let lock_file = home.path().join("lock-command-ran");
    home.write_policy(&format!(
        "[shield]\nidle_seconds = 5\nwarning_seconds = 1\nlock_after_seconds = 10\nlock_command = \"/usr/bin/touch {}\"\nstyle = \"opaque\"\n",
        lock_file.display()
    ));
    let _app = home.launch_program(&release_binary(), &[]);
    wait_until(Duration::from_secs(60), "the lock given up", || {
        home.status()
            .is_some_and(|s| s["shield"]["lock_failed"] == true)
    });
    assert!(
        !logind.locked_hint(),
        "the release build asked the agent's bus to lock"
    );
    assert!(
        home.audit_of("session_locked").is_empty(),
        "{:?}",
        home.audit()
    );
    assert_eq!(home.status().unwrap()["shield"]["state"], "shielded");
}

/// SIGSTOP leaves Veil no chance to say anything while stopped: when it
/// runs again it records how long it was not running.
#[test]
fn a_stopped_veil_records_the_pause_when_it_runs_again() {
    let home = Home::new();
    let app = home.launch(&[]);
    let pid = app.pid().to_string();
    assert!(Command::new("/bin/kill")
        .args(["-STOP", &pid])
        .status()
        .unwrap()
        .success());
    std::thread::sleep(Duration::from_secs(12));
    assert!(Command::new("/bin/kill")
        .args(["-CONT", &pid])
        .status()
        .unwrap()
        .success());
    wait_until(Duration::from_secs(10), "veil_paused recorded", || {
        !home.audit_of("veil_paused").is_empty()
    });
    let paused = home.audit_of("veil_paused");
    let details = paused[0]["details"].as_str().unwrap();
    assert!(details.contains("did not run for 1"), "{details}");
}

/// With `start_at_login` locked on by policy, a per-user autostart entry
/// that hides Veil at sign-in (what "turn off" in a desktop's startup
/// settings writes) is undone while Veil runs, and that is on the record.
#[test]
fn a_per_user_entry_hiding_veil_at_sign_in_is_undone_when_policy_locks_it() {
    let home = Home::new();
    home.write_policy("start_at_login = true\n");
    let _app = home.launch(&[]);
    let entry = home.path().join("config/autostart/veil.desktop");
    std::fs::create_dir_all(entry.parent().unwrap()).unwrap();
    std::fs::write(
        &entry,
        "[Desktop Entry]\nType=Application\nName=Veil\nExec=veil\nHidden=true\n",
    )
    .unwrap();
    wait_until(Duration::from_secs(10), "the override undone", || {
        !home.audit_of("autostart_override_removed").is_empty()
    });
    let text = std::fs::read_to_string(&entry).unwrap_or_default();
    assert!(!text.contains("Hidden=true"), "{text}");
}

/// The plaintext log says that a record was written and its kind, never
/// its details (they are encrypted in the store); the record's user is the
/// OS account, not `$USER`.
#[test]
fn the_plaintext_log_has_no_audit_details_and_the_user_is_the_os_account() {
    let home = Home::new();
    home.set_env("USER", "mallory");
    home.set_env("LOGNAME", "mallory");
    let _app = home.launch(&[]);
    home.write_settings("appearance = \"dark\"\n");
    wait_until(Duration::from_secs(5), "the change recorded", || {
        !home.audit_of("settings_changed").is_empty()
    });
    let entry = &home.audit_of("settings_changed")[0];
    let account = String::from_utf8_lossy(&Command::new("id").arg("-un").output().unwrap().stdout)
        .trim()
        .to_string();
    assert_eq!(entry["user"], account.as_str());
    let log = home.rolling_log() + &home.app_log();
    assert!(log.contains("audit record written"), "{log}");
    assert!(log.contains("settings_changed"));
    assert!(
        !log.contains("\"system\" -> \"dark\""),
        "audit details in the plaintext log:\n{log}"
    );
}

/// A process in the agent's account that is not Veil's own window process
/// cannot attach as it (and so receive every window Veil opens, or answer
/// quizzes), and window calls sent on a connection of their own are
/// refused: a shell loop of answers records nothing.
#[test]
fn an_impostor_window_process_and_a_loop_of_answers_are_refused() {
    let home = Home::new();
    home.write_policy("training.quiz_every_minutes = 0\n");
    let _app = home.launch(&[]);
    // `veil ui` started by someone else than the tray app.
    let impostor = home.cli(&["ui", "--open", "quiz"]);
    assert!(!impostor.status.success());
    assert!(
        stderr(&impostor).contains("is not the window process Veil started")
            || home
                .app_log()
                .contains("is not the window process Veil started"),
        "{}",
        stderr(&impostor)
    );
    let socket = home.path().join("run").join("veil").join("control.sock");
    for i in 0..50 {
        let mut s = std::os::unix::net::UnixStream::connect(&socket).unwrap();
        let line = format!(
            "{{\"cmd\":\"window\",\"call\":\"answer_question\",\"question\":\"devices-{}\",\"chosen\":[\"a\"]}}\n",
            i % 6 + 1
        );
        std::io::Write::write_all(&mut s, line.as_bytes()).unwrap();
        let mut answer = String::new();
        std::io::BufRead::read_line(&mut std::io::BufReader::new(s), &mut answer).unwrap();
        assert!(
            answer.contains("window calls are taken only from Veil's own window process"),
            "{answer}"
        );
    }
    wait_until(Duration::from_secs(5), "the impostor recorded", || {
        !home.audit_of("window_attach_refused").is_empty()
    });
    let report = home.cli(&["training", "report", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&report.stdout).unwrap();
    let answers: u64 = report["modules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["answers"].as_u64().unwrap())
        .sum();
    assert_eq!(answers, 0, "{report}");
}

/// 2,000 idle connections (each a file descriptor in Veil) and a flood of
/// requests: `veil status` still answers within a second, the flood is cut
/// to a human pace and recorded once, and the shield still covers and locks.
#[test]
fn two_thousand_idle_connections_and_a_flood_do_not_stop_veil() {
    raise_own_fd_limit(4096);
    let logind = veil_e2e::logind::MockLogind::start(true);
    let home = Home::new();
    home.set_env("DBUS_SYSTEM_BUS_ADDRESS", &logind.address);
    home.write_policy("[shield]\nidle_seconds = 5\nwarning_seconds = 1\nlock_after_seconds = 12\n");
    let _app = home.launch(&[]);
    let socket = home.path().join("run").join("veil").join("control.sock");
    let idle: Vec<_> = (0..2000)
        .filter_map(|_| std::os::unix::net::UnixStream::connect(&socket).ok())
        .collect();
    assert!(idle.len() > 1900, "{} connections made", idle.len());
    let started = std::time::Instant::now();
    assert!(home.status().is_some(), "veil status answers");
    let took = started.elapsed();
    assert!(took < Duration::from_secs(1), "veil status took {took:?}");
    // A flood of writes from a loop: cut to five a second (twenty at once).
    // Straight to the socket, as a script would: spawning the CLI 200
    // times is slower than the limit on a loaded machine.
    let runtime = home.path().join("run").join("veil");
    let flood = std::time::Instant::now();
    let allowed = (0..200)
        .filter(|_| {
            // Always "on", so privacy mode (and the shield) end up on.
            let req = veil_core::control::Request::Privacy { on: true };
            veil_os::control::request(&runtime, &req, Duration::from_secs(5)).is_ok_and(|r| r.ok)
        })
        .count();
    let most = 20 + 5 * (flood.elapsed().as_secs() as usize + 1);
    assert!(
        allowed <= most,
        "{allowed} of 200 let through in {:?}",
        flood.elapsed()
    );
    assert!(allowed >= 20, "the first ones go through");
    assert_eq!(home.audit_of("control_rate_limited").len(), 1);
    // The shield is not held up by any of it.
    wait_until(Duration::from_secs(40), "covered, then locked", || {
        home.status()
            .is_some_and(|s| s["shield"]["state"] == "locked")
    });
    assert!(logind.locked_hint());
    drop(idle);
}

fn raise_own_fd_limit(want: u64) {
    let out = Command::new("sh")
        .args(["-c", "ulimit -Hn"])
        .output()
        .unwrap();
    let hard: u64 = String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .unwrap_or(want);
    assert!(
        hard >= want,
        "this test needs {want} open files (hard limit {hard})"
    );
    let lim = libc::rlimit {
        rlim_cur: want,
        rlim_max: hard,
    };
    // SAFETY: a local struct passed to setrlimit.
    assert_eq!(unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &lim) }, 0);
}

/// A recorder can tell the audio server it is any process. Claiming
/// Veil's pid does not hide it, and claiming the allowed softphone's pid
/// does not make it allowed: both show as an unknown program. On PulseAudio
/// and on PipeWire (whose pulse clients all carry pipewire-pulse's own pid
/// as `pipewire.sec.pid`, so their claims are checked the same way).
#[test]
fn a_recorder_claiming_veils_or_the_softphones_pid_is_an_unknown_program() {
    recorder_claiming_another_pid(veil_e2e::audio::Server::PulseAudio);
}

#[test]
fn on_pipewire_a_recorder_claiming_veils_or_the_softphones_pid_is_an_unknown_program() {
    recorder_claiming_another_pid(veil_e2e::audio::Server::PipeWire);
}

fn recorder_claiming_another_pid(server: veil_e2e::audio::Server) {
    let home = Home::on(server);
    // The softphone: a real recorder in a system folder, allowed by name.
    home.write_policy("microphone.allowed_apps = [\"parecord\", \"pacat\"]\n");
    let app = home.launch(&[]);
    let users = |home: &Home| -> Vec<serde_json::Value> {
        home.status()
            .map(|s| {
                s["camera"]["microphone_users"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default()
            })
            .unwrap_or_default()
    };
    let mut softphone = home.pulse().record_from(pulse::HEADSET);
    wait_until(
        Duration::from_secs(5),
        "the softphone is seen, allowed",
        || {
            users(&home).iter().any(|u| {
                u["pid"] == softphone.id() && u["allowed"] == true && u["trust"] == "verified"
            })
        },
    );
    for claim in [app.pid(), softphone.id()] {
        let mut recorder = home.pulse().record_claiming(
            pulse::HEADSET,
            &[("application.process.id", &claim.to_string())],
        );
        wait_until(
            Duration::from_secs(5),
            "the recorder shows as unknown",
            || {
                users(&home).iter().any(|u| {
                    u["trust"] == "claimed"
                        && u["allowed"] == false
                        && u["exe"]
                            .as_str()
                            .is_some_and(|e| e.contains(&format!("pid {claim}")))
                })
            },
        );
        let st = home.status().unwrap();
        assert!(
            st["problems"]
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p["summary"] == "unknown program is using the microphone"),
            "{st}"
        );
        let _ = recorder.kill();
        let _ = recorder.wait();
    }
    let started = home.audit_of("microphone_use_started");
    assert!(
        started.iter().any(|e| e["details"]
            .as_str()
            .is_some_and(|d| d.starts_with("unknown program")
                && d.contains("its pid and program are only its own claim"))),
        "{started:?}"
    );
    let _ = softphone.kill();
    let _ = softphone.wait();
}

/// Two clients that swap claims defeat counting: a recorder claims the
/// allowed program's pid (in its own code), and the allowed program,
/// started with `PULSE_PROP_application.process.id` set to the recorder's
/// pid, claims the recorder's. Each pid then has one connection and one
/// claim. The allowed program's environment gives it away: its pid is
/// believed for no client, so the recording is an unknown program's.
#[test]
fn two_clients_swapping_claims_do_not_make_a_recorder_allowed() {
    use std::io::Write;
    use std::process::Stdio;
    let home = Home::new();
    // `pactl subscribe` stands in for the allowed softphone: a program in
    // a system folder that holds a connection (it need not record).
    home.write_policy("microphone.allowed_apps = [\"pactl\"]\n");
    let _app = home.launch(&[]);
    let env = |cmd: &mut Command| {
        cmd.env("XDG_RUNTIME_DIR", home.path().join("run"))
            .env("HOME", home.path().join("home"))
            .stdout(Stdio::null())
            .stderr(Stdio::null());
    };
    // The allowed program waits for the recorder's pid, then starts
    // claiming it (exec keeps the pid the recorder claims).
    let mut allowed = Command::new("/bin/sh");
    allowed
        .args([
            "-c",
            "read pid; exec /usr/bin/env \"PULSE_PROP_application.process.id=$pid\" /usr/bin/pactl subscribe",
        ])
        .stdin(Stdio::piped());
    env(&mut allowed);
    let mut allowed = allowed.spawn().unwrap();
    // The recorder waits for the allowed program's pid the same way.
    let mut recorder = Command::new("/bin/sh");
    recorder
        .args([
            "-c",
            &format!(
                "read pid; exec {} \"$pid\" {}",
                env!("CARGO_BIN_EXE_claiming-recorder"),
                pulse::HEADSET
            ),
        ])
        .stdin(Stdio::piped());
    env(&mut recorder);
    let mut recorder = recorder.spawn().unwrap();
    writeln!(allowed.stdin.take().unwrap(), "{}", recorder.id()).unwrap();
    // The allowed program is connected (with its claim) before the
    // recording starts, so Veil's look at the recording sees both.
    let claim = format!("application.process.id = \"{}\"", recorder.id());
    wait_until(
        Duration::from_secs(5),
        "the allowed program connected",
        || home.pulse().pactl(&["list", "clients"]).contains(&claim),
    );
    writeln!(recorder.stdin.take().unwrap(), "{}", allowed.id()).unwrap();

    wait_until(
        Duration::from_secs(10),
        "the recording shown as an unknown program's",
        || {
            home.status().is_some_and(|s| {
                s["camera"]["microphone_users"]
                    .as_array()
                    .is_some_and(|users| {
                        !users.is_empty()
                            && users
                                .iter()
                                .all(|u| u["allowed"] == false && u["trust"] == "claimed")
                    })
            })
        },
    );
    // And it stays so (Veil looks again every 2 s).
    std::thread::sleep(Duration::from_millis(2500));
    let st = home.status().unwrap();
    let users = st["camera"]["microphone_users"].as_array().unwrap();
    assert!(
        !users.is_empty() && users.iter().all(|u| u["allowed"] == false),
        "{st}"
    );
    assert!(
        st["problems"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["summary"] == "unknown program is using the microphone"),
        "{st}"
    );
    for mut child in [recorder, allowed] {
        let _ = child.kill();
        let _ = child.wait();
    }
}

/// The allow-list names `parecord`; a copy of it in a folder the agent can
/// write (here /tmp) is not the approved program.
#[test]
fn a_copy_of_an_allowed_program_elsewhere_is_not_allowed() {
    let home = Home::new();
    home.write_policy("microphone.allowed_apps = [\"parecord\"]\n");
    let _app = home.launch(&[]);
    let dir = tempfile::Builder::new()
        .prefix("veil-copy-")
        .tempdir_in("/tmp")
        .unwrap();
    let copy = dir.path().join("parecord");
    std::fs::copy("/usr/bin/parecord", &copy).unwrap();
    let mut rec = Command::new(&copy)
        .args(["-d", pulse::HEADSET, "--raw", "/dev/null"])
        .env("XDG_RUNTIME_DIR", home.path().join("run"))
        .env("HOME", home.path().join("home"))
        .spawn()
        .unwrap();
    wait_until(
        Duration::from_secs(5),
        "the copy is seen, not allowed",
        || {
            home.status().is_some_and(|s| {
                s["camera"]["microphone_users"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .any(|u| {
                        u["pid"] == rec.id()
                            && u["allowed"] == false
                            && u["trust"] == "untrusted_location"
                    })
            })
        },
    );
    assert_eq!(home.status().unwrap()["state"], "attention");
    let _ = rec.kill();
    let _ = rec.wait();
}

/// A process of the agent's own account that makes itself non-dumpable
/// cannot be inspected; its open of a camera node (counted by inotify) is
/// an unknown program using the camera, never "no use". Root reads every
/// process's descriptors, so Veil and the holder run as an unprivileged
/// account here, as on an agent's laptop.
#[test]
fn a_non_dumpable_holder_of_a_camera_is_an_unknown_program() {
    assert!(
        is_root(),
        "this test runs Veil as an unprivileged account: run it as root (CI does)"
    );
    let home = Home::new();
    let nobody = ["--reuid=65534", "--regid=65534", "--clear-groups"];
    let dev = home.path().join("dev");
    std::fs::create_dir_all(&dev).unwrap();
    let node = dev.join("video0");
    std::fs::write(&node, b"").unwrap();
    home.write_policy(&format!(
        "camera.device_pattern = \"{}/video*\"\nstore.key_fallback = \"key_file\"\n",
        dev.display()
    ));
    // The account's own files, its own (empty) session bus address.
    let _ = Command::new("chown")
        .args(["-R", "65534:65534"])
        .arg(home.path())
        .status();
    let _ = Command::new("chmod").arg("755").arg(home.path()).status();
    let _ = Command::new("xhost").arg("+SI:localuser:nobody").status();
    home.set_env(
        "DBUS_SESSION_BUS_ADDRESS",
        "unix:path=/nonexistent/veil-test-bus",
    );
    let veil = veil_e2e::binary();
    let mut app = Command::new("setpriv")
        .args(nobody)
        .arg("--")
        .arg(&veil)
        .envs(home.env())
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(home.path().join("nobody.log")).unwrap())
        .spawn()
        .unwrap();
    let status = || -> Option<serde_json::Value> {
        let out = Command::new("setpriv")
            .args(nobody)
            .arg("--")
            .arg(&veil)
            .args(["status", "--json"])
            .envs(home.env())
            .output()
            .ok()?;
        serde_json::from_slice(&out.stdout).ok()
    };
    wait_until(Duration::from_secs(30), "Veil runs as nobody", || {
        status().is_some()
    });
    let mut holder = Command::new("setpriv")
        .args(nobody)
        .arg("--")
        .arg(env!("CARGO_BIN_EXE_hold-open"))
        .arg("--non-dumpable")
        .arg(&node)
        .spawn()
        .unwrap();
    wait_until(
        Duration::from_secs(10),
        "an unknown program on the camera",
        || {
            status().is_some_and(|s| {
                s["camera"]["devices"][0]["in_use"] == true
                    && s["camera"]["devices"][0]["users"][0]["trust"] == "claimed"
            })
        },
    );
    let st = status().unwrap();
    assert!(
        st["problems"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["summary"] == "unknown program is using the camera"),
        "{st}"
    );
    let _ = holder.kill();
    let _ = holder.wait();
    wait_until(Duration::from_secs(10), "the camera free again", || {
        status().is_some_and(|s| s["camera"]["devices"][0]["in_use"] == false)
    });
    let _ = app.kill();
    let _ = app.wait();
    let _ = Command::new("xhost").arg("-SI:localuser:nobody").status();
}

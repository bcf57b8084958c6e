//! The foundation end to end: CLI, tray app, single instance, persistence,
//! policy handling and the live dashboard.

use std::time::{Duration, Instant};

use veil_e2e::{wait_until, x_windows_named, Home, Session};

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn cli_version_help_and_not_running() {
    let home = Home::new();
    let v = home.cli(&["--version"]);
    assert!(v.status.success());
    assert_eq!(
        stdout(&v).trim(),
        format!("veil {}", env!("CARGO_PKG_VERSION"))
    );

    let help = home.cli(&["--help"]);
    assert!(help.status.success());
    for cmd in ["status", "privacy", "policy"] {
        assert!(stdout(&help).contains(cmd), "{}", stdout(&help));
    }

    for args in [&["status"][..], &["status", "--json"], &["privacy", "off"]] {
        let o = home.cli(args);
        assert_eq!(o.status.code(), Some(3), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("Veil is not running"), "{}", stderr(&o));
    }
}

/// The installer's sign-in start (`veil --autostart`; on Windows the
/// machine's Run key, which an agent cannot remove) ends at once when the
/// agent turned start at login off, and runs when policy locks it on.
#[test]
fn a_sign_in_start_follows_start_at_login_and_its_policy_lock() {
    let home = Home::new();
    home.write_settings("start_at_login = false\n");
    let t = Instant::now();
    let skipped = home.cli(&["--autostart"]);
    assert!(skipped.status.success(), "{}", stderr(&skipped));
    assert!(t.elapsed() < Duration::from_secs(20), "{:?}", t.elapsed());
    assert_eq!(home.cli(&["status"]).status.code(), Some(3));
    assert!(
        home.rolling_log().contains("start at sign-in skipped"),
        "{}",
        home.rolling_log()
    );

    home.write_policy("start_at_login = true\n");
    let _app = home.launch(&["--autostart"]);
    assert_eq!(home.status().unwrap()["state"], "protected");
}

#[test]
fn policy_check_names_file_line_and_key() {
    let home = Home::new();
    let good = home.path().join("good.toml");
    std::fs::write(
        &good,
        "# IT's rules\nallow_quit = false\nforce_privacy_mode = true\n",
    )
    .unwrap();
    let o = home.cli(&["policy", "check", good.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("valid (2 keys set)"), "{}", stdout(&o));

    let bad = home.path().join("bad.toml");
    std::fs::write(
        &bad,
        "allow_quit = false\n\nappearance = \"purple\"\nstart_at_logn = true\n",
    )
    .unwrap();
    let o = home.cli(&["policy", "check", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains(&format!("{}:3:1: key `appearance`", bad.display())),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "{}:4:1: key `start_at_logn`: unknown key (did you mean `start_at_login`?)",
            bad.display()
        )),
        "{err}"
    );

    let syntax = home.path().join("syntax.toml");
    std::fs::write(&syntax, "allow_quit = \n").unwrap();
    let o = home.cli(&["policy", "check", syntax.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).starts_with(&format!("{}:1:", syntax.display())),
        "{}",
        stderr(&o)
    );
}

#[test]
fn policy_show_names_the_source_of_each_value() {
    let home = Home::new();
    home.write_policy("allow_quit = false\nappearance = \"dark\"\n");
    home.write_settings("start_at_login = false\nappearance = \"light\"\n");
    let o = home.cli(&["policy", "show"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let line = |key: &str| {
        out.lines()
            .find(|l| l.starts_with(key))
            .unwrap_or_default()
            .to_string()
    };
    assert!(
        line("appearance").contains("\"dark\"") && line("appearance").contains("policy:2 (locked)"),
        "{out}"
    );
    assert!(
        line("start_at_login").contains("false") && line("start_at_login").contains("settings:1"),
        "{out}"
    );
    assert!(line("force_privacy_mode").contains("default"), "{out}");
}

#[test]
fn starts_to_tray_single_instance_and_privacy_persists() {
    let home = Home::new();
    let mut app = home.launch(&[]);
    // No window at start: Veil lives in the tray.
    std::thread::sleep(Duration::from_millis(500));
    assert!(
        x_windows_named(app.pid(), "Veil").is_empty(),
        "a window opened at start"
    );

    let st = home.status().unwrap();
    assert_eq!(st["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(st["privacy_mode"], "on", "a new install starts protected");
    assert_eq!(st["state"], "protected");

    // A second launch hands over to the first (opens its window) and exits 0.
    let t = Instant::now();
    let second = home.cli(&[]);
    assert_eq!(second.status.code(), Some(0), "{}", stderr(&second));
    assert!(t.elapsed() < Duration::from_secs(10));
    assert!(app.is_running(), "the first instance must keep running");
    // The window opens in Veil's window process.
    wait_until(Duration::from_secs(10), "the window to open", || {
        home.window_process_pid()
            .is_some_and(|ui| !x_windows_named(ui, "Veil").is_empty())
    });

    // Privacy mode from the CLI, reflected within a second.
    let o = home.cli(&["privacy", "off"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let t = Instant::now();
    wait_until(Duration::from_secs(1), "status says off", || {
        home.status()
            .is_some_and(|s| s["privacy_mode"] == "off" && s["state"] == "off")
    });
    assert!(t.elapsed() < Duration::from_secs(1));

    // It persists across a crash.
    app.kill_hard();
    let _app = home.launch(&[]);
    assert_eq!(home.status().unwrap()["privacy_mode"], "off");

    // Start at login is a real XDG autostart entry, following the setting
    // live. Without the package's system-wide entry (a source build) it is
    // the agent's own; turned off, it hides any system-wide one.
    let entry = home.path().join("config/autostart/veil.desktop");
    let text = || std::fs::read_to_string(&entry).unwrap_or_default();
    assert!(
        text().contains("Exec=/"),
        "autostart entry missing: {}",
        text()
    );
    home.write_settings("start_at_login = false\n");
    wait_until(Duration::from_secs(3), "autostart entry hidden", || {
        text().contains("Hidden=true")
    });
    home.write_settings("");
    wait_until(Duration::from_secs(3), "autostart entry back", || {
        text().contains("Exec=/") && !text().contains("Hidden")
    });

    // Another OS user cannot use the control channel even when file
    // permissions would let them reach the socket: the app checks the peer's
    // uid. (Acting as another user needs root; CI runs as root.)
    if running_as_root() {
        use std::os::unix::fs::PermissionsExt;
        let open = |p: std::path::PathBuf, mode| {
            std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap()
        };
        open(home.path().to_path_buf(), 0o711);
        open(home.path().join("run"), 0o711);
        open(home.path().join("run/veil"), 0o711);
        open(home.path().join("run/veil/control.sock"), 0o666);
        let mut cmd = std::process::Command::new("setpriv");
        cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(veil_e2e::binary())
            .args(["privacy", "on"])
            .envs(home.env());
        let o = cmd.output().unwrap();
        assert!(!o.status.success(), "another user changed privacy mode");
        assert!(!stderr(&o).contains("Permission denied"), "{}", stderr(&o));
        assert_eq!(home.status().unwrap()["privacy_mode"], "off");
        wait_until(Duration::from_secs(2), "the refusal is logged", || {
            home.app_log()
                .contains("refused a control connection from another user")
        });
    } else {
        eprintln!("not root: the other-user check of the control channel was not run");
    }

    // Policy can force it on; the CLI cannot turn it off then.
    home.write_policy("force_privacy_mode = true\n");
    wait_until(Duration::from_secs(3), "policy forces privacy on", || {
        home.status()
            .is_some_and(|s| s["privacy_mode"] == "on" && s["privacy_mode_locked"] == true)
    });
    let o = home.cli(&["privacy", "off"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("required by your organization"),
        "{}",
        stderr(&o)
    );
    assert_eq!(home.status().unwrap()["privacy_mode"], "on");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dashboard_follows_cli_and_screenshots() {
    let home = Home::new();
    home.write_settings("appearance = \"light\"\n");
    let s = Session::start(&home).await;
    s.eventually(
        Duration::from_secs(15),
        "dashboard shows protected",
        || async { s.attr("#state-card", "data-state").await.as_deref() == Some("protected") },
    )
    .await;
    assert_eq!(s.text("#state-title").await, "You're protected");
    s.screenshot("dashboard-light").await;

    let o = home.cli(&["privacy", "off"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let t = Instant::now();
    s.eventually(Duration::from_secs(1), "dashboard shows off", || async {
        s.attr("#state-card", "data-state").await.as_deref() == Some("off")
    })
    .await;
    assert!(t.elapsed() <= Duration::from_secs(1));
    assert_eq!(home.status().unwrap()["privacy_mode"], "off");

    // The dashboard's own switch goes through the same owner.
    s.click("#privacy-toggle").await;
    s.eventually(
        Duration::from_secs(2),
        "privacy back on from the dashboard",
        || async { home.status().is_some_and(|st| st["privacy_mode"] == "on") },
    )
    .await;

    // Dark theme, from the agent's setting, applied live.
    home.write_settings("appearance = \"dark\"\n");
    s.eventually(Duration::from_secs(3), "dark theme", || async {
        s.client
            .execute(
                "return document.documentElement.dataset.theme || ''",
                vec![],
            )
            .await
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .as_deref()
            == Some("dark")
    })
    .await;
    s.screenshot("dashboard-dark").await;

    s.click("#tab-settings").await;
    s.eventually(Duration::from_secs(2), "settings page", || async {
        s.text("#page-title").await == "Settings"
    })
    .await;
    s.screenshot("settings-dark").await;
    s.end().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn corrupt_policy_is_named_and_last_good_stays() {
    let home = Home::new();
    home.write_policy("allow_quit = false\nappearance = \"light\"\n");
    let s = Session::start(&home).await;
    s.eventually(Duration::from_secs(15), "dashboard up", || async {
        s.attr("#state-card", "data-state").await.as_deref() == Some("protected")
    })
    .await;

    home.write_policy("allow_quit = false\nappearance = light\n");
    s.eventually(
        Duration::from_secs(3),
        "the error on the dashboard",
        || async {
            s.text("#problems")
                .await
                .contains(&format!("{}:2:", home.policy_path().display()))
        },
    )
    .await;
    let st = home.status().unwrap();
    assert_eq!(st["state"], "attention");
    let msg = st["problems"][0]["message"].as_str().unwrap().to_string();
    assert!(
        msg.starts_with(&format!("{}:2:", home.policy_path().display())),
        "{msg}"
    );
    // The same error, with file, line and key, is in Veil's log file.
    wait_until(Duration::from_secs(2), "the error in the log file", || {
        home.rolling_log().contains(&msg)
    });

    // Last good policy still in force: appearance stays locked to light.
    let o = home.cli(&["policy", "show", "--json"]);
    let shown: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(shown["policy_file"]["state"], "rejected");
    s.click("#tab-settings").await;
    s.eventually(Duration::from_secs(2), "appearance locked", || async {
        s.attr("#setting-appearance", "disabled").await.is_some()
    })
    .await;
    s.screenshot("settings-policy-error").await;

    // Fixing the file clears the error without a restart.
    home.write_policy("allow_quit = false\nappearance = \"light\"\n");
    s.eventually(Duration::from_secs(3), "error cleared", || async {
        home.status().is_some_and(|st| st["state"] == "protected")
    })
    .await;
    s.click("#tab-dashboard").await;
    s.eventually(Duration::from_secs(2), "problems gone", || async {
        s.text("#problems").await.is_empty()
    })
    .await;
    s.end().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn locked_setting_is_denied_through_ipc() {
    let home = Home::new();
    home.write_policy("appearance = \"light\"\n");
    home.write_settings("# mine\nstart_at_login = true\n");
    let s = Session::start(&home).await;
    s.eventually(Duration::from_secs(15), "dashboard up", || async {
        s.attr("#state-card", "data-state").await.is_some()
    })
    .await;
    let call = |key: &str, value: serde_json::Value| {
        let script = "const [key, value, done] = arguments;\
            window.__TAURI_INTERNALS__.invoke('set_setting', { key, value })\
              .then(() => done('ok'), (e) => done('denied: ' + e));";
        let args = vec![serde_json::json!(key), value];
        let client = s.client.clone();
        async move { client.execute_async(script, args).await.unwrap() }
    };
    let denied = call("appearance", serde_json::json!("dark")).await;
    assert!(
        denied
            .as_str()
            .unwrap()
            .contains("set by your organization"),
        "{denied}"
    );
    let policy_only = call("allow_quit", serde_json::json!(false)).await;
    assert!(
        policy_only.as_str().unwrap().starts_with("denied"),
        "{policy_only}"
    );
    let settings = std::fs::read_to_string(home.settings_path()).unwrap();
    assert_eq!(
        settings, "# mine\nstart_at_login = true\n",
        "file untouched"
    );

    // Commands the main window's capability does not grant are refused by
    // Tauri itself, e.g. a registered plugin's own command.
    let script = "const done = arguments[0];\
        window.__TAURI_INTERNALS__.invoke('plugin:notification|notify', \
          { options: { title: 'forged' } })\
          .then(() => done('ok'), (e) => done('denied: ' + e));";
    let plugin = s.client.execute_async(script, vec![]).await.unwrap();
    assert!(plugin.as_str().unwrap().starts_with("denied"), "{plugin}");
    assert!(home.path().join("config/autostart/veil.desktop").exists());

    // No remote content: the CSP blocks a request even to this machine.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let url = format!(
        "http://127.0.0.1:{}/",
        listener.local_addr().unwrap().port()
    );
    let script = "const [url, done] = arguments;\
        fetch(url).then(() => done('fetched'), (e) => done('blocked: ' + e));";
    let fetched = s
        .client
        .execute_async(script, vec![serde_json::json!(url)])
        .await
        .unwrap();
    assert!(
        fetched.as_str().unwrap().starts_with("blocked"),
        "{fetched}"
    );
    assert!(
        listener.accept().is_err(),
        "the request reached the network"
    );

    // An allowed change goes through and keeps the agent's comment.
    let ok = call("start_at_login", serde_json::json!(false)).await;
    assert_eq!(ok, "ok");
    let settings = std::fs::read_to_string(home.settings_path()).unwrap();
    assert_eq!(settings, "# mine\nstart_at_login = false\n");
    s.end().await;
}

fn running_as_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// The dashboard of this home's window process, once it is on screen.
fn dashboard_shown(home: &Home) -> Option<u32> {
    home.window_process_pid()
        .filter(|ui| !x_windows_named(*ui, "Veil").is_empty())
}

/// Veil's windows run in a process of their own (`veil ui`): asked for
/// twice in quick succession they open once; a window process that
/// crashes is replaced at the next ask without the tray app noticing; and
/// quitting Veil closes them.
#[test]
fn windows_open_in_a_process_that_follows_the_tray_app() {
    let home = Home::new();
    let app = home.launch(&[]);
    assert!(
        home.window_process_pid().is_none(),
        "no window process at start"
    );

    assert!(home.cli(&[]).status.success());
    assert!(home.cli(&[]).status.success());
    let mut first = None;
    wait_until(Duration::from_secs(15), "the dashboard", || {
        first = dashboard_shown(&home);
        first.is_some()
    });
    let first = first.expect("window process");
    std::thread::sleep(Duration::from_millis(700));
    assert_eq!(
        x_windows_named(first, "Veil").len(),
        1,
        "one dashboard for two asks"
    );

    let kill = |signal: &str, pid: u32| {
        std::process::Command::new("kill")
            .args([signal, &pid.to_string()])
            .status()
            .expect("kill")
    };
    kill("-9", first);
    wait_until(
        Duration::from_secs(5),
        "the crashed window process gone",
        || home.window_process_pid().is_none(),
    );
    assert!(home.status().is_some(), "the tray app is unaffected");
    assert!(home.cli(&[]).status.success());
    let mut second = None;
    wait_until(Duration::from_secs(15), "a new dashboard", || {
        second = dashboard_shown(&home);
        second.is_some()
    });
    assert_ne!(second, Some(first), "a new window process");

    kill("-TERM", app.pid());
    wait_until(
        Duration::from_secs(10),
        "the windows close with Veil",
        || home.window_process_pid().is_none(),
    );
}

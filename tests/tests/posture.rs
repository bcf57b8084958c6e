//! "This computer": the device checks end to end. The screen lock is read
//! from the real GNOME schemas through GSettings' keyfile backend under the
//! test's home, and changed with the real `gsettings` tool, as GNOME's own
//! settings panel would change it.

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use veil_e2e::{wait_until, Home, Session};

/// A GNOME agent whose GSettings live in a keyfile under the test home.
fn gnome_home(lock_enabled: bool) -> Home {
    let home = Home::new();
    home.set_env("XDG_CURRENT_DESKTOP", "GNOME");
    home.set_env("GSETTINGS_BACKEND", "keyfile");
    gsettings(
        &home,
        "org.gnome.desktop.screensaver",
        "lock-enabled",
        &lock_enabled.to_string(),
    );
    home
}

fn keyfile(home: &Home) -> PathBuf {
    home.path().join("config/glib-2.0/settings/keyfile")
}

/// The real `gsettings` tool, on the same backend and file Veil reads.
fn gsettings(home: &Home, schema: &str, key: &str, value: &str) {
    let out = Command::new("gsettings")
        .args(["set", schema, key, value])
        .envs(home.env())
        .env("GSETTINGS_BACKEND", "keyfile")
        .output()
        .expect("gsettings (libglib2.0-bin)");
    assert!(
        out.status.success(),
        "gsettings set {schema} {key} {value}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(keyfile(home).exists(), "gsettings wrote no keyfile");
}

/// Scrolls the dashboard to the "This computer" card for the screenshot.
async fn show_card(s: &Session) {
    let _ = s
        .client
        .execute(
            "document.getElementById('posture-card').scrollIntoView({block: 'start'})",
            vec![],
        )
        .await;
}

/// Waits until `veil status` shows the check with this result; on a
/// timeout, says what it showed last (the home, kept, prints Veil's log).
fn wait_for_result(home: &Home, id: &str, result: &str, timeout: Duration) {
    let deadline = std::time::Instant::now() + timeout;
    let mut last = serde_json::Value::Null;
    while std::time::Instant::now() < deadline {
        if let Some(st) = home.status() {
            last = check(&st, id).clone();
            if last["result"] == result {
                return;
            }
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("timed out after {timeout:?} waiting for {id} to be {result}; last seen: {last}");
}

fn check<'a>(status: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    status["posture"]["checks"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["id"] == id))
        .unwrap_or(&serde_json::Value::Null)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_required_screen_lock_that_is_off_needs_attention_until_it_is_turned_on() {
    let home = gnome_home(false);
    home.write_policy("[posture]\nrequired = [\"screen_lock\"]\n");
    let s = Session::start(&home).await;

    wait_for_result(&home, "screen_lock", "fail", Duration::from_secs(20));
    s.eventually(
        Duration::from_secs(10),
        "the dashboard shows the screen lock check failing",
        || async { s.attr("#check-screen_lock", "data-result").await.as_deref() == Some("fail") },
    )
    .await;
    let st = home.status().expect("status");
    assert_eq!(st["state"], "attention", "{st:#}");
    let c = check(&st, "screen_lock");
    assert_eq!(c["required"], true);
    assert_eq!(c["observed"], "lock_off");
    assert_eq!(st["posture"]["compliant"], false);
    assert!(
        st["problems"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["source"] == "posture" && p["summary"] == "Turn on the screen lock"),
        "{st:#}"
    );
    // The card names the finding and GNOME's own fix, with its settings page.
    let card = s.text("#check-screen_lock").await;
    assert!(
        card.contains("GNOME's automatic screen lock is off"),
        "{card}"
    );
    assert!(card.contains("Automatic Screen Lock"), "{card}");
    assert_eq!(
        s.attr(
            "#check-screen_lock [data-open-settings]",
            "data-open-settings"
        )
        .await
        .as_deref(),
        Some("screen_lock")
    );
    show_card(&s).await;
    s.screenshot("dashboard-posture-attention").await;
    let pid = home.running_pid().expect("Veil running");

    // `veil posture` runs the checks itself and fails for IT's scripts.
    let o = home.cli(&["posture", "--json"]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let direct: serde_json::Value = serde_json::from_slice(&o.stdout).expect("posture JSON");
    assert_eq!(direct["compliant"], false);

    // The agent turns it on in GNOME: Veil follows without a restart.
    gsettings(
        &home,
        "org.gnome.desktop.screensaver",
        "lock-enabled",
        "true",
    );
    wait_for_result(&home, "screen_lock", "pass", Duration::from_secs(15));
    s.eventually(
        Duration::from_secs(10),
        "the dashboard shows the screen lock passing",
        || async { s.attr("#check-screen_lock", "data-result").await.as_deref() == Some("pass") },
    )
    .await;
    let st = home.status().expect("status");
    assert_eq!(st["state"], "protected", "{st:#}");
    assert_eq!(st["posture"]["compliant"], true);
    assert_eq!(home.running_pid(), Some(pid), "Veil restarted");
    show_card(&s).await;
    s.screenshot("dashboard-posture-protected").await;

    let records = home.audit_of("posture_changed");
    let details: Vec<&str> = records
        .iter()
        .filter_map(|r| r["details"].as_str())
        .filter(|d| d.starts_with("check=screen_lock"))
        .collect();
    assert_eq!(
        details,
        vec![
            "check=screen_lock from=unchecked to=fail observed=lock_off required=true",
            "check=screen_lock from=fail to=pass observed=lock_on required=true",
        ],
        "{records:#?}"
    );
    let o = home.cli(&["posture"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    s.end().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_again_runs_the_checks_and_every_check_answers() {
    let home = gnome_home(true);
    home.write_policy("[posture]\nrequired = [\"screen_lock\"]\n");
    let s = Session::start(&home).await;
    s.eventually(
        Duration::from_secs(20),
        "the screen lock passes",
        || async { s.attr("#check-screen_lock", "data-result").await.as_deref() == Some("pass") },
    )
    .await;
    let first_checked = home.status().expect("status")["posture"]["checked_at"]
        .as_i64()
        .expect("checked_at");

    // "Check again" runs them now.
    s.click("#posture-check-again").await;
    wait_until(Duration::from_secs(10), "a new run", || {
        home.status()
            .is_some_and(|st| st["posture"]["checked_at"].as_i64().unwrap_or(0) > first_checked)
    });
    assert_eq!(
        check(&home.status().unwrap(), "screen_lock")["result"],
        "pass"
    );

    // Every check reports, and none that could not be read says "fail".
    let st = home.status().unwrap();
    let checks = st["posture"]["checks"].as_array().unwrap();
    assert_eq!(checks.len(), 8, "{checks:#?}");
    for c in checks {
        if c["result"] == "unknown" {
            assert!(c["reason"].as_str().is_some_and(|r| !r.is_empty()), "{c:#}");
        }
        // Enums and booleans only: never a network name or an address.
        let observed = c["observed"].as_str().unwrap_or("");
        assert!(
            observed
                .chars()
                .all(|ch| ch.is_ascii_lowercase() || ch == '_' || ch.is_ascii_digit()),
            "{c:#}"
        );
    }
    s.end().await;
}

/// An agent's own bus that claims to be NetworkManager (a WPA2 network)
/// fools a test build, which honours `DBUS_SYSTEM_BUS_ADDRESS`, and does
/// not fool a release build, which reads the system bus at its socket.
#[test]
fn a_bus_of_the_agents_own_cannot_answer_for_networkmanager() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    let home = Home::new();
    let bus = veil_e2e::PrivateBus::start();
    let address = bus.address.clone();
    let mut fake = Command::new("/usr/bin/python3")
        .arg(veil_e2e::workspace().join("tests/receivers/fake_networkmanager.py"))
        .arg(&address)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("python3-dbusmock");
    let mut ready = String::new();
    let mut out = BufReader::new(fake.stdout.take().unwrap());
    out.read_line(&mut ready).unwrap();
    assert_eq!(
        ready.trim(),
        "ready",
        "the fake NetworkManager did not start"
    );
    home.set_env("DBUS_SYSTEM_BUS_ADDRESS", &address);

    let wifi = |program: PathBuf| -> serde_json::Value {
        let o = Command::new(program)
            .args(["posture", "--json"])
            .envs(home.env())
            .output()
            .expect("veil posture");
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("posture JSON");
        v["checks"]
            .as_array()
            .and_then(|c| c.iter().find(|c| c["id"] == "wifi").cloned())
            .unwrap_or_default()
    };
    // The fake works: a test build reads it.
    let test_build = wifi(veil_e2e::binary());
    assert_eq!(test_build["observed"], "wpa2", "{test_build:#}");
    // The release build does not take it for the system's.
    let release = wifi(veil_e2e::release_binary());
    assert_ne!(release["observed"], "wpa2", "{release:#}");
    assert_ne!(release["result"], "pass", "{release:#}");
    let _ = fake.kill();
    let _ = fake.wait();
    drop(bus);
}

//! Fleet reporting against real receivers on loopback: rsyslog with
//! rsyslog-gnutls (TLS, mutual TLS with x509/name, JSON lines) and an OTLP
//! receiver decoding with the OpenTelemetry project's own classes. Every
//! test asserts what arrived at the receiver, and `veil fleet verify` runs
//! on the receiver's file as IT would.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use veil_e2e::receivers::{
    otlp_attr, otlp_records, seqs, Certs, Eavesdropper, OtlpReceiver, OtlpTls, Rsyslog, RsyslogTls,
    CLIENT_NAME,
};
use veil_e2e::{wait_until, Home};

const TOKEN: &str = "s3cr3t-collector-token";

/// A policy naming the receivers (TLS with the organization's CA, a client
/// certificate, a token) and quick retries for the test.
fn policy(certs: &Certs, otlp: Option<String>, syslog: Option<String>, extra: &str) -> String {
    let mut p = String::new();
    if let Some(o) = otlp {
        p.push_str(&format!("fleet.otlp_endpoint = \"{o}\"\n"));
        p.push_str(&format!(
            "fleet.otlp_headers = {{ Authorization = \"Bearer {TOKEN}\" }}\n"
        ));
    }
    if let Some(s) = syslog {
        p.push_str(&format!("fleet.syslog_endpoint = \"{s}\"\n"));
    }
    p.push_str(&format!(
        "fleet.ca_file = \"{}\"\nfleet.client_cert_file = \"{}\"\nfleet.client_key_file = \"{}\"\n",
        certs.path("ca.pem"),
        certs.path("client.pem"),
        certs.path("client-key.pem"),
    ));
    if !extra.contains("fleet.retry_max_seconds") {
        p.push_str("fleet.retry_max_seconds = 2\n");
    }
    p.push_str("fleet.labels = { site = \"lisbon\", team = \"claims\" }\n");
    p.push_str(extra);
    p
}

fn destination<'a>(status: &'a serde_json::Value, kind: &str) -> &'a serde_json::Value {
    status["fleet"]["destinations"]
        .as_array()
        .and_then(|d| d.iter().find(|d| d["kind"] == kind))
        .unwrap_or(&serde_json::Value::Null)
}

fn verify(home: &Home, files: &[&Path]) -> (bool, String) {
    let mut args = vec!["fleet".to_string(), "verify".to_string()];
    args.extend(files.iter().map(|f| f.display().to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = home.cli(&args);
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

fn local_seqs(home: &Home) -> Vec<i64> {
    home.audit()
        .iter()
        .filter_map(|e| e["seq"].as_i64())
        .collect()
}

/// Every local record is at each receiver, once, in order. Polled: a record
/// written just after the last "delivered" status (a posture change, say)
/// is still on its way, and the receivers write what they took a moment
/// after answering. A duplicate or a gap never settles, so it still fails.
fn assert_every_record_once_in_order(
    home: &Home,
    receivers: &[(&str, &dyn Fn() -> Vec<serde_json::Value>)],
) {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let local = local_seqs(home);
        let got: Vec<(&str, Vec<i64>)> = receivers
            .iter()
            .map(|(name, lines)| (*name, seqs(&lines())))
            .collect();
        if got.iter().all(|(_, g)| *g == local) {
            return;
        }
        if Instant::now() > deadline {
            let kinds: Vec<String> = home
                .audit()
                .iter()
                .map(|e| format!("{}:{}", e["seq"], e["kind"]))
                .collect();
            for (name, g) in &got {
                assert_eq!(
                    g, &local,
                    "{name}: once each, in order; local records: {kinds:?}"
                );
            }
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Privacy off reaches both receivers within a second, with the contract's
/// fields; heartbeats and a checkpoint arrive; the verifier passes on what
/// each stored; the client certificate was checked by name.
#[test]
fn records_and_heartbeats_reach_both_receivers_and_verify() {
    let home = Home::new();
    let certs = Certs::generate(&home.path().join("pki"));
    let rsyslog = Rsyslog::start(
        &home.path().join("rsyslog"),
        RsyslogTls {
            certs: &certs,
            server: "server",
            permitted_peer: Some(CLIENT_NAME),
        },
    );
    let otlp = OtlpReceiver::start(
        &home.path().join("otlp"),
        Some(OtlpTls {
            certs: &certs,
            server: "server",
            mutual: true,
        }),
        Some(TOKEN),
    );
    home.write_policy(&policy(
        &certs,
        Some(format!("https://localhost:{}", otlp.port)),
        Some(format!("localhost:{}", rsyslog.port)),
        "fleet.heartbeat_seconds = 10\n",
    ));
    let _app = home.launch(&[]);
    wait_status(
        &home,
        Duration::from_secs(20),
        "both receivers connected",
        |s| {
            destination(s, "otlp")["state"] == "connected"
                && destination(s, "syslog")["state"] == "connected"
                && destination(s, "otlp")["queued"] == 0
                && destination(s, "syslog")["queued"] == 0
        },
    );
    let status = home.status().unwrap();
    let host_id = status["fleet"]["host_id"].as_str().unwrap().to_string();
    assert_eq!(host_id.len(), 32, "{status}");
    let machine_id = std::fs::read_to_string("/etc/machine-id").unwrap_or_default();
    assert!(
        !host_id.contains(machine_id.trim()),
        "the raw machine id left the machine"
    );
    assert_eq!(
        destination(&status, "otlp")["endpoint"],
        format!("https://localhost:{}/v1/logs", otlp.port)
    );
    assert_eq!(
        destination(&status, "syslog")["endpoint"],
        format!("localhost:{}", rsyslog.port)
    );

    let before = Instant::now();
    let out = home.cli(&["privacy", "off"]);
    assert!(out.status.success());
    let arrived =
        |lines: Vec<serde_json::Value>| lines.iter().any(|l| l.to_string().contains("privacy_off"));
    wait_until(
        Duration::from_secs(5),
        "privacy_off at both receivers",
        || arrived(otlp.lines()) && arrived(rsyslog.lines()),
    );
    let took = before.elapsed();
    assert!(
        took < Duration::from_secs(1),
        "privacy_off took {took:?} to arrive"
    );

    // OTLP: the contract's names, and the values Veil holds.
    let records = otlp_records(&otlp.lines());
    let off = records
        .iter()
        .find(|r| r["eventName"] == "veil.audit.privacy_off")
        .expect("privacy_off over OTLP");
    let local = home.audit_of("privacy_off").pop().unwrap();
    assert_eq!(otlp_attr(off, "resource", "host.id"), host_id.as_str());
    assert_eq!(otlp_attr(off, "resource", "service.name"), "veil");
    assert_eq!(
        otlp_attr(off, "resource", "service.version"),
        status["version"]
    );
    assert_eq!(otlp_attr(off, "resource", "veil.label.site"), "lisbon");
    assert_eq!(otlp_attr(off, "record", "veil.audit.seq"), local["seq"]);
    assert_eq!(otlp_attr(off, "record", "veil.audit.hash"), local["hash"]);
    assert_eq!(
        otlp_attr(off, "record", "veil.audit.prev_hash"),
        local["prev_hash"]
    );
    assert_eq!(
        otlp_attr(off, "record", "veil.audit.id"),
        format!("{host_id}:{}", local["seq"])
    );
    assert_eq!(otlp_attr(off, "record", "veil.audit.actor"), "cli");
    assert!(otlp.seen().iter().all(|r| r["tls_client"] == CLIENT_NAME));

    // Syslog: APP-NAME veil, MSGID the kind, one SD element veil@32473.
    let lines = rsyslog.lines();
    let line = lines
        .iter()
        .find(|l| l["msgid"] == "privacy_off")
        .expect("privacy_off over syslog");
    assert_eq!(line["appname"], "veil");
    let sd = line["structured_data"].as_str().unwrap();
    assert!(sd.starts_with("[veil@32473 "), "{sd}");
    for (k, v) in [
        ("seq", local["seq"].to_string()),
        ("hash", local["hash"].as_str().unwrap().to_string()),
        ("prev", local["prev_hash"].as_str().unwrap().to_string()),
        ("host_id", host_id.clone()),
        ("kind", "privacy_off".to_string()),
    ] {
        assert!(sd.contains(&format!("{k}=\"{v}\"")), "{k} in {sd}");
    }

    wait_until(
        Duration::from_secs(15),
        "a heartbeat and a checkpoint at both",
        || {
            let o = otlp_records(&otlp.lines());
            let names: Vec<String> = o
                .iter()
                .map(|r| r["eventName"].as_str().unwrap_or("").to_string())
                .collect();
            let s: Vec<String> = rsyslog
                .lines()
                .iter()
                .map(|l| l["msgid"].as_str().unwrap_or("").to_string())
                .collect();
            names.iter().filter(|n| *n == "veil.heartbeat").count() >= 2
                && names.iter().any(|n| n == "veil.audit.checkpoint")
                && s.iter().filter(|n| *n == "heartbeat").count() >= 2
                && s.iter().any(|n| n == "checkpoint")
        },
    );
    let hb = otlp_records(&otlp.lines())
        .into_iter()
        .rev()
        .find(|r| r["eventName"] == "veil.heartbeat")
        .unwrap();
    assert_eq!(otlp_attr(&hb, "record", "veil.privacy_mode"), "off");
    assert_eq!(otlp_attr(&hb, "record", "veil.state"), "off");
    assert!(otlp_attr(&hb, "record", "veil.compliance.microphone").is_string());
    assert_eq!(
        otlp_attr(&hb, "record", "veil.audit.head_seq"),
        local_seqs(&home).last().copied().unwrap()
    );

    // Every local record arrived, once, in order, at both.
    assert_every_record_once_in_order(
        &home,
        &[("OTLP", &|| otlp.lines()), ("syslog", &|| rsyslog.lines())],
    );

    let (ok, report) = verify(&home, &[&otlp.out, &rsyslog.out]);
    assert!(ok, "{report}");
    assert!(report.contains(&host_id), "{report}");
}

fn both_receivers(home: &Home, certs: &Certs) -> (Rsyslog, OtlpReceiver) {
    let rsyslog = Rsyslog::start(
        &home.path().join("rsyslog"),
        RsyslogTls {
            certs,
            server: "server",
            permitted_peer: Some(CLIENT_NAME),
        },
    );
    let otlp = OtlpReceiver::start(
        &home.path().join("otlp"),
        Some(OtlpTls {
            certs,
            server: "server",
            mutual: true,
        }),
        Some(TOKEN),
    );
    (rsyslog, otlp)
}

/// Waits until `check` holds for `veil status --json`; the fleet status in
/// the message when it never does.
fn wait_status(
    home: &Home,
    timeout: Duration,
    what: &str,
    check: impl Fn(&serde_json::Value) -> bool,
) {
    let deadline = Instant::now() + timeout;
    loop {
        let status = home.status();
        if status.as_ref().is_some_and(&check) {
            return;
        }
        if Instant::now() > deadline {
            panic!(
                "timed out after {timeout:?} waiting for {what}: {}",
                status.map(|s| s["fleet"].to_string()).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn wait_all_delivered(home: &Home, kinds: &[&str], timeout: Duration) {
    let deadline = Instant::now() + timeout;
    loop {
        let status = home.status();
        let done = status.as_ref().is_some_and(|s| {
            kinds.iter().all(|k| {
                let d = destination(s, k);
                d["state"] == "connected" && d["queued"] == 0
            })
        });
        if done {
            return;
        }
        if Instant::now() > deadline {
            panic!(
                "timed out after {timeout:?} waiting for every receiver to take everything: {}",
                status.map(|s| s["fleet"].to_string()).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Opens the store as a process in the agent's account could: with the key
/// from the agent's own keyring.
fn agent_store(home: &Home) -> veil_store::Store {
    use veil_os::secrets::{account_for, load_or_create, Fallback, OsCredentialStore};
    let key = load_or_create(
        &OsCredentialStore,
        &account_for(&home.data_dir()),
        &home.data_dir().join("store.key"),
        Fallback::KeyFile,
        false,
    )
    .expect("the agent's key")
    .key;
    veil_store::Store::open(&home.store_path(), &key, veil_store::Access::ReadWrite)
        .expect("the store")
}

fn stop(home: &Home, app: &mut veil_e2e::App) {
    let _ = Command::new("kill").arg(app.pid().to_string()).status();
    wait_until(Duration::from_secs(15), "Veil stopped", || {
        !app.is_running()
    });
    let _ = home;
}

/// Both receivers go away for longer than fleet.alert_after_minutes: the
/// records wait, the agent is told (policy asks for it), and when the
/// receivers are back every record arrives once, in order.
#[test]
fn an_outage_loses_nothing_and_the_agent_is_told_when_policy_says() {
    let home = Home::new();
    let certs = Certs::generate(&home.path().join("pki"));
    let (mut rsyslog, mut otlp) = both_receivers(&home, &certs);
    home.write_policy(&policy(
        &certs,
        Some(format!("https://localhost:{}", otlp.port)),
        Some(format!("localhost:{}", rsyslog.port)),
        "fleet.alert_after_minutes = 1\n",
    ));
    let _app = home.launch(&[]);
    wait_all_delivered(&home, &["otlp", "syslog"], Duration::from_secs(20));

    rsyslog.down();
    otlp.down();
    for mode in ["off", "on", "off", "on"] {
        assert!(home.cli(&["privacy", mode]).status.success());
        std::thread::sleep(Duration::from_millis(300));
    }
    wait_until(
        Duration::from_secs(20),
        "both waiting with their records",
        || {
            home.status().is_some_and(|s| {
                ["otlp", "syslog"].iter().all(|k| {
                    let d = destination(&s, k);
                    d["state"] == "retrying"
                        && d["queued"].as_u64().unwrap_or(0) >= 4
                        && d["last_error"].as_str().is_some_and(|e| !e.is_empty())
                })
            })
        },
    );
    let s = home.status().unwrap();
    assert!(
        destination(&s, "syslog")["last_error"]
            .as_str()
            .unwrap()
            .contains("connection refused"),
        "{s}"
    );
    assert!(
        s["problems"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["source"] != "fleet"),
        "the agent is told only after fleet.alert_after_minutes: {s}"
    );
    wait_status(&home, Duration::from_secs(90), "the agent is told", |s| {
        s["state"] == "attention"
            && s["problems"]
                .as_array()
                .is_some_and(|p| p.iter().any(|p| p["source"] == "fleet"))
    });

    rsyslog.up();
    otlp.up();
    wait_all_delivered(&home, &["otlp", "syslog"], Duration::from_secs(30));
    assert_every_record_once_in_order(
        &home,
        &[("OTLP", &|| otlp.lines()), ("syslog", &|| rsyslog.lines())],
    );
    wait_status(&home, Duration::from_secs(10), "the problem is gone", |s| {
        s["problems"]
            .as_array()
            .is_some_and(|p| p.iter().all(|p| p["source"] != "fleet"))
    });
    let (ok, report) = verify(&home, &[&otlp.out, &rsyslog.out]);
    assert!(ok, "{report}");
}

/// A collector that answers 503 with Retry-After is left alone that long;
/// one that answers 400 parks the batch with its error, and the batch goes
/// once the collector takes Veil's messages again.
#[test]
fn retry_after_is_honoured_and_a_refused_batch_is_parked_with_its_error() {
    let home = Home::new();
    let certs = Certs::generate(&home.path().join("pki"));
    let otlp = OtlpReceiver::start(
        &home.path().join("otlp"),
        Some(OtlpTls {
            certs: &certs,
            server: "server",
            mutual: false,
        }),
        Some(TOKEN),
    );
    home.write_policy(&policy(
        &certs,
        Some(format!("https://localhost:{}", otlp.port)),
        None,
        "fleet.retry_max_seconds = 5\nfleet.heartbeat_seconds = 10\n",
    ));
    let _app = home.launch(&[]);
    wait_all_delivered(&home, &["otlp"], Duration::from_secs(20));

    otlp.answer(503, Some(3));
    assert!(home.cli(&["privacy", "off"]).status.success());
    wait_until(Duration::from_secs(30), "three 503s in a row", || {
        otlp.seen().iter().filter(|r| r["status"] == 503).count() >= 3
    });
    otlp.answer(200, None);
    let seen = otlp.seen();
    let times: Vec<f64> = seen
        .iter()
        .filter(|r| r["status"] == 503)
        .filter_map(|r| r["t"].as_f64())
        .collect();
    for pair in times.windows(2) {
        let gap = pair[1] - pair[0];
        assert!(
            gap >= 2.95,
            "Retry-After: 3 was not honoured: {gap:.2} s between tries"
        );
        assert!(
            gap <= 5.5,
            "the wait went past fleet.retry_max_seconds: {gap:.2} s"
        );
    }
    let s = home.status().unwrap();
    assert!(
        destination(&s, "otlp")["last_error"]
            .as_str()
            .is_some_and(|e| e.contains("503")),
        "{s}"
    );
    wait_all_delivered(&home, &["otlp"], Duration::from_secs(15));
    assert!(otlp
        .lines()
        .iter()
        .any(|l| l.to_string().contains("veil.audit.privacy_off")));

    otlp.answer(400, None);
    assert!(home.cli(&["privacy", "on"]).status.success());
    wait_until(
        Duration::from_secs(15),
        "the batch parked with its error",
        || {
            home.status().is_some_and(|s| {
                let d = destination(&s, "otlp");
                d["state"] == "parked"
                    && d["queued"].as_u64().unwrap_or(0) >= 1
                    && d["last_error"]
                        .as_str()
                        .is_some_and(|e| e.contains("400") && e.contains("injected by the test"))
            })
        },
    );
    let fleet_status = home.cli(&["fleet", "status"]);
    let text = String::from_utf8_lossy(&fleet_status.stdout).into_owned();
    assert!(text.contains("parked") && text.contains("400"), "{text}");
    // Parked means not hammered: only heartbeats try, one an interval.
    let before = otlp.seen().len();
    std::thread::sleep(Duration::from_secs(5));
    assert!(
        otlp.seen().len() <= before + 1,
        "a parked batch is not retried in a loop"
    );

    otlp.answer(200, None);
    wait_all_delivered(&home, &["otlp"], Duration::from_secs(30));
    assert_every_record_once_in_order(&home, &[("OTLP", &|| otlp.lines())]);
}

/// The wrong CA, an expired certificate, a receiver that refuses Veil's
/// client certificate: each is named in the status and on the dashboard,
/// nothing is counted as delivered, and nothing is ever sent in clear.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn certificate_trouble_is_named_and_nothing_is_sent_in_clear() {
    let home = Home::new();
    let certs = Certs::generate(&home.path().join("pki"));
    let rsyslog = Rsyslog::start(
        &home.path().join("rsyslog"),
        RsyslogTls {
            certs: &certs,
            server: "wrong-ca-server",
            permitted_peer: Some(CLIENT_NAME),
        },
    );
    let otlp = OtlpReceiver::start(
        &home.path().join("otlp"),
        Some(OtlpTls {
            certs: &certs,
            server: "expired-server",
            mutual: false,
        }),
        Some(TOKEN),
    );
    home.write_policy(&policy(
        &certs,
        Some(format!("https://localhost:{}", otlp.port)),
        Some(format!("localhost:{}", rsyslog.port)),
        "",
    ));
    let s = veil_e2e::Session::start(&home).await;
    wait_status(&home, Duration::from_secs(20), "both errors named", |st| {
        destination(st, "syslog")["last_error"]
            .as_str()
            .is_some_and(|e| e.contains("not signed by the CA in fleet.ca_file"))
            && destination(st, "otlp")["last_error"]
                .as_str()
                .is_some_and(|e| e.contains("has expired"))
    });
    assert!(home.cli(&["privacy", "off"]).status.success());
    s.eventually(
        Duration::from_secs(10),
        "the dashboard names both",
        || async {
            let t = s.text("#fleet-card").await;
            t.contains("cannot reach your organization")
                && t.contains("has expired")
                && t.contains("not signed by the CA in fleet.ca_file")
        },
    )
    .await;
    s.screenshot("fleet-certificate-errors").await;
    std::thread::sleep(Duration::from_secs(2));
    assert!(
        rsyslog.lines().is_empty(),
        "syslog got records through a wrong CA"
    );
    assert!(
        otlp.lines().is_empty(),
        "OTLP got records through an expired certificate"
    );
    let st = home.status().unwrap();
    assert!(
        destination(&st, "syslog")["queued"].as_u64().unwrap() > 0,
        "{st}"
    );
    s.end().await;
    drop(rsyslog);
    drop(otlp);

    // A receiver that is not TLS at all sees a TLS hello and nothing else.
    let syslog_ear = Eavesdropper::start();
    let otlp_ear = Eavesdropper::start();
    // The same seat now refuses the wrong client certificate: rsyslog with
    // the right server certificate, Veil with an intruder's client one.
    let good = Rsyslog::start(
        &home.path().join("rsyslog-good"),
        RsyslogTls {
            certs: &certs,
            server: "server",
            permitted_peer: Some(CLIENT_NAME),
        },
    );
    let mut p = policy(
        &certs,
        Some(format!("https://localhost:{}", otlp_ear.port)),
        Some(format!("localhost:{}", good.port)),
        "",
    );
    p = p.replace(&certs.path("client.pem"), &certs.path("intruder.pem"));
    p = p.replace(
        &certs.path("client-key.pem"),
        &certs.path("intruder-key.pem"),
    );
    home.write_policy(&p);
    // The window session's Veil stops; the same seat, started again.
    if let Some(pid) = home.running_pid() {
        let _ = Command::new("kill").arg(pid.to_string()).status();
    }
    wait_until(
        Duration::from_secs(15),
        "the session's Veil stopped",
        || home.running_pid().is_none(),
    );
    let _app = home.launch(&[]);
    wait_status(
        &home,
        Duration::from_secs(30),
        "the refused certificate named",
        |st| {
            destination(st, "syslog")["last_error"]
                .as_str()
                .is_some_and(|e| e.contains("does not accept this seat's client certificate"))
        },
    );
    assert!(
        good.lines().is_empty(),
        "records taken from a seat with the wrong certificate"
    );
    let st = home.status().unwrap();
    assert!(
        destination(&st, "syslog")["queued"].as_u64().unwrap() > 0,
        "{st}"
    );

    // The right certificate again: everything that waited arrives.
    home.write_policy(&policy(
        &certs,
        Some(format!("https://localhost:{}", otlp_ear.port)),
        Some(format!("localhost:{}", syslog_ear.port)),
        "",
    ));
    wait_until(
        Duration::from_secs(20),
        "both eavesdroppers were tried",
        || !syslog_ear.bytes().is_empty() && !otlp_ear.bytes().is_empty(),
    );
    for (name, ear) in [("syslog", &syslog_ear), ("otlp", &otlp_ear)] {
        let bytes = ear.bytes();
        assert_eq!(bytes[0], 0x16, "{name}: not a TLS handshake record");
        let text = String::from_utf8_lossy(&bytes);
        for secret in ["privacy_off", "veil.audit", TOKEN, "veil@32473"] {
            assert!(!text.contains(secret), "{name}: `{secret}` sent in clear");
        }
    }
    home.write_policy(&policy(
        &certs,
        None,
        Some(format!("localhost:{}", good.port)),
        "",
    ));
    wait_all_delivered(&home, &["syslog"], Duration::from_secs(20));
    assert_every_record_once_in_order(&home, &[("syslog", &|| good.lines())]);
}

/// A backlog of thousands of records and Veil killed (SIGKILL) after the
/// collector stored a batch and before it answered: after a restart every
/// record is there, and only that one batch came twice.
#[test]
fn kill_9_mid_batch_loses_nothing_and_resends_at_most_the_batch() {
    let home = Home::new();
    let certs = Certs::generate(&home.path().join("pki"));
    {
        let mut app = home.launch(&[]);
        stop(&home, &mut app);
    }
    {
        let now = veil_e2e::now_ms();
        let entries = (0..3000)
            .map(|i| veil_core::audit::NewEntry {
                at_ms: now,
                kind: "mic_corrected".into(),
                actor: "veil".into(),
                user: "agent".into(),
                details: format!("{{\"backlog\":{i}}}"),
            })
            .collect();
        agent_store(&home).append_many(entries).unwrap();
    }
    let otlp = OtlpReceiver::start(
        &home.path().join("otlp"),
        Some(OtlpTls {
            certs: &certs,
            server: "server",
            mutual: false,
        }),
        Some(TOKEN),
    );
    otlp.answer(200, None);
    let mut ctl = serde_json::json!({"status": 200, "delay_after_store": 5});
    std::fs::write(home.path().join("otlp/control.json"), ctl.to_string()).unwrap();
    home.write_policy(&policy(
        &certs,
        Some(format!("https://localhost:{}", otlp.port)),
        None,
        "",
    ));
    let mut app = home.launch(&[]);
    wait_until(
        Duration::from_secs(20),
        "a batch stored, not yet answered",
        || !otlp.lines().is_empty(),
    );
    app.kill_hard();
    ctl["delay_after_store"] = 0.into();
    std::fs::write(home.path().join("otlp/control.json"), ctl.to_string()).unwrap();

    let _app = home.launch(&[]);
    wait_all_delivered(&home, &["otlp"], Duration::from_secs(60));
    let local = local_seqs(&home);
    let got = seqs(&otlp.lines());
    let mut unique = got.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique, local, "every record arrived");
    let resent = got.len() - unique.len();
    assert!(resent > 0, "the unanswered batch is sent again");
    assert!(
        resent <= 500,
        "{resent} records came twice: more than the batch in flight"
    );
    let (ok, report) = verify(&home, &[&otlp.out]);
    assert!(ok, "{report}");
}

/// The agent deletes the newest records from their store (they hold the
/// key), or replaces the store: what already left the machine no longer
/// matches, and `veil fleet verify` names the host and the regression.
#[test]
fn a_rewound_or_replaced_store_is_named_by_the_verifier() {
    let home = Home::new();
    let certs = Certs::generate(&home.path().join("pki"));
    let (rsyslog, otlp) = both_receivers(&home, &certs);
    home.write_policy(&policy(
        &certs,
        Some(format!("https://localhost:{}", otlp.port)),
        Some(format!("localhost:{}", rsyslog.port)),
        "",
    ));
    let mut app = home.launch(&[]);
    for mode in ["off", "on", "off"] {
        assert!(home.cli(&["privacy", mode]).status.success());
        std::thread::sleep(Duration::from_millis(300));
    }
    wait_all_delivered(&home, &["otlp", "syslog"], Duration::from_secs(20));
    let host_id = home.status().unwrap()["fleet"]["host_id"]
        .as_str()
        .unwrap()
        .to_string();
    let (ok, report) = verify(&home, &[&otlp.out, &rsyslog.out]);
    assert!(ok, "before the tampering: {report}");
    stop(&home, &mut app);

    // Rewind: the newest three records go (the privacy-off ones among them).
    let head = *local_seqs(&home).last().unwrap();
    agent_store(&home)
        .raw_execute(&format!("DELETE FROM audit WHERE seq > {}", head - 3))
        .unwrap();
    assert!(
        home.cli(&["audit", "verify"]).status.success(),
        "the local chain still verifies"
    );
    let mut app = home.launch(&[]);
    wait_all_delivered(&home, &["otlp", "syslog"], Duration::from_secs(30));
    for file in [&otlp.out, &rsyslog.out] {
        let (ok, report) = verify(&home, &[file]);
        assert!(!ok, "a rewound log passed: {report}");
        assert!(report.contains(&host_id), "{report}");
        assert!(report.contains("regression"), "{report}");
        assert!(
            report.contains("rewound, rewritten or replaced"),
            "{report}"
        );
    }
    stop(&home, &mut app);

    // Replace: a fresh store, as if Veil had never run here.
    for f in ["veil.db", "veil.db-wal", "veil.db-shm"] {
        let _ = std::fs::remove_file(home.data_dir().join(f));
    }
    let _app = home.launch(&[]);
    wait_all_delivered(&home, &["otlp", "syslog"], Duration::from_secs(30));
    let (ok, report) = verify(&home, &[&otlp.out]);
    assert!(!ok, "{report}");
    assert!(
        report.contains("regression") && report.contains("#1 "),
        "the replaced log's first record: {report}"
    );
}

/// Records a receiver never took within fleet.backlog_days are given up,
/// oldest first, and a fleet_gap record says so, to the receiver too; the
/// verifier accepts a gap the host declared.
#[test]
fn a_backlog_older_than_policy_allows_leaves_a_fleet_gap() {
    let home = Home::new();
    let certs = Certs::generate(&home.path().join("pki"));
    let mut otlp = OtlpReceiver::start(
        &home.path().join("otlp"),
        Some(OtlpTls {
            certs: &certs,
            server: "server",
            mutual: false,
        }),
        Some(TOKEN),
    );
    home.write_policy(&policy(
        &certs,
        Some(format!("https://localhost:{}", otlp.port)),
        None,
        "fleet.backlog_days = 1\n",
    ));
    let mut app = home.launch(&[]);
    wait_all_delivered(&home, &["otlp"], Duration::from_secs(20));
    stop(&home, &mut app);
    // The last records of the run left with it (Veil waits for them at
    // exit): everything it wrote is at the receiver.
    assert!(
        otlp.lines()
            .iter()
            .any(|l| l.to_string().contains("veil.audit.veil_stopped")),
        "veil_stopped did not reach the receiver before Veil exited"
    );
    assert_eq!(seqs(&otlp.lines()), local_seqs(&home));
    otlp.down();
    let old = veil_e2e::now_ms() - 2 * 86_400_000;
    {
        let mut store = agent_store(&home);
        for i in 0..5 {
            store
                .append(veil_core::audit::NewEntry {
                    at_ms: old + i,
                    kind: "mic_corrected".into(),
                    actor: "veil".into(),
                    user: "agent".into(),
                    details: format!("{{\"old\":{i}}}"),
                })
                .unwrap();
        }
    }
    otlp.up();
    let _app = home.launch(&[]);
    wait_all_delivered(&home, &["otlp"], Duration::from_secs(20));
    let gap = home
        .audit_of("fleet_gap")
        .pop()
        .expect("a fleet_gap record");
    let details: serde_json::Value =
        serde_json::from_str(gap["details"].as_str().unwrap()).unwrap();
    assert_eq!(details["count"], 5, "{details}");
    assert_eq!(details["destination"], "otlp");
    let got = seqs(&otlp.lines());
    for seq in details["from_seq"].as_i64().unwrap()..=details["through_seq"].as_i64().unwrap() {
        assert!(!got.contains(&seq), "#{seq} was given up and still sent");
    }
    assert!(
        got.contains(&gap["seq"].as_i64().unwrap()),
        "the fleet_gap record was sent"
    );
    let (ok, report) = verify(&home, &[&otlp.out]);
    assert!(ok, "a declared gap is not a finding: {report}");
}

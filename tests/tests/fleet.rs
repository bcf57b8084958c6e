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
    p.push_str(
        "fleet.retry_max_seconds = 2\nfleet.labels = { site = \"lisbon\", team = \"claims\" }\n",
    );
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
    wait_until(Duration::from_secs(20), "both receivers connected", || {
        home.status().is_some_and(|s| {
            destination(&s, "otlp")["state"] == "connected"
                && destination(&s, "syslog")["state"] == "connected"
                && destination(&s, "otlp")["queued"] == 0
                && destination(&s, "syslog")["queued"] == 0
        })
    });
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
    let local = local_seqs(&home);
    assert_eq!(seqs(&otlp.lines()), local);
    assert_eq!(seqs(&rsyslog.lines()), local);

    let (ok, report) = verify(&home, &[&otlp.out, &rsyslog.out]);
    assert!(ok, "{report}");
    assert!(report.contains(&host_id), "{report}");
}

//! `veil fleet status [--json]`: the organization's receivers as the
//! running Veil sees them (the `fleet` object of `veil status --json`).
//! `veil fleet verify FILE...`: what a receiver stored, checked per host
//! (veil_core::fleet::verify); IT runs it off the machine.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use veil_core::fleet::verify::{self, Options, Place};
use veil_core::timefmt::rfc3339;
use veil_os::paths::Paths;

pub fn status(paths: &Paths, json: bool) -> ExitCode {
    let status = match super::running_status(paths) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let fleet = &status["fleet"];
    if json {
        return super::print_json(fleet);
    }
    println!(
        "Host id:      {}",
        fleet["host_id"].as_str().unwrap_or("unknown")
    );
    let destinations = fleet["destinations"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    if destinations.is_empty() {
        println!(
            "Receivers:    none (the policy sets no fleet.otlp_endpoint or fleet.syslog_endpoint)"
        );
    }
    for d in destinations {
        println!(
            "{:<13} {} ({}), {} queued{}{}",
            format!("{}:", d["kind"].as_str().unwrap_or("?")),
            d["endpoint"].as_str().unwrap_or("?"),
            d["state"].as_str().unwrap_or("?"),
            d["queued"].as_u64().unwrap_or(0),
            d["last_delivered_at"]
                .as_i64()
                .map(|t| format!(", last delivered {}", rfc3339(t)))
                .unwrap_or_default(),
            d["last_error"]
                .as_str()
                .map(|e| format!("\n              last error: {e}"))
                .unwrap_or_default(),
        );
    }
    ExitCode::SUCCESS
}

pub fn verify(files: &[PathBuf], json: bool, max_silence: Option<u64>) -> ExitCode {
    let mut sightings = Vec::new();
    let mut unreadable = Vec::new();
    for file in files {
        let f = match std::fs::File::open(file) {
            Ok(f) => f,
            Err(e) => {
                eprintln!("veil: {}: {e}", file.display());
                return ExitCode::FAILURE;
            }
        };
        for (n, line) in BufReader::new(f).lines().enumerate() {
            let place = Place {
                file: file.display().to_string(),
                line: n + 1,
            };
            let line = match line {
                Ok(l) => l,
                Err(e) => {
                    eprintln!("veil: {}: {e}", file.display());
                    return ExitCode::FAILURE;
                }
            };
            match verify::parse_line(&line, &place) {
                Ok(found) => sightings.extend(found),
                Err(why) => unreadable.push(format!("{}:{}: {why}", place.file, place.line)),
            }
        }
    }
    let reports = verify::verify(
        sightings,
        Options {
            max_silence: max_silence.map(Duration::from_secs),
            until_ms: None,
        },
    );
    let failed = !unreadable.is_empty() || reports.iter().any(|r| !r.ok());
    if json {
        let out = serde_json::json!({
            "ok": !failed,
            "hosts": reports,
            "unreadable": unreadable,
        });
        match serde_json::to_string_pretty(&out) {
            Ok(s) => println!("{s}"),
            Err(e) => {
                eprintln!("veil: {e}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        if reports.is_empty() {
            println!("No Veil records found in {} file(s).", files.len());
        }
        for r in &reports {
            let range = match (r.first_seq, r.last_seq) {
                (Some(a), Some(b)) => format!("records #{a} to #{b}"),
                _ => "no records".into(),
            };
            println!(
                "{} {}: {} received ({range}), {} heartbeats, {} checkpoints{}",
                if r.ok() { "ok  " } else { "FAIL" },
                r.host_id,
                r.records,
                r.heartbeats,
                r.checkpoints,
                r.last_heartbeat_at
                    .map(|t| format!(", last heartbeat {}", rfc3339(t)))
                    .unwrap_or_default()
            );
            for f in &r.findings {
                let kind = serde_json::to_value(f.kind)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default();
                let at = f
                    .place
                    .as_ref()
                    .map(|p| format!(" ({}:{})", p.file, p.line))
                    .unwrap_or_default();
                println!("     {kind}: {}{at}", f.message);
            }
        }
        for u in &unreadable {
            println!("unreadable: {u}");
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

//! `veil audit show|verify|export`: the encrypted, tamper-evident audit
//! log, read from this account's store (Veil need not run).

use std::io::Write;
use std::process::ExitCode;

use veil_core::audit::Entry as AuditEntry;
use veil_os::paths::Paths;
use veil_store::AuditQuery;

use super::{AuditCmd, ExportFormat};
use crate::{audit_log, config_files};

pub fn run(paths: &Paths, cmd: AuditCmd) -> ExitCode {
    let fallback = config_files::from_disk(paths)
        .effective()
        .settings()
        .store_key_fallback;
    let store = match audit_log::open_read_only(paths, fallback) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("veil: {e}");
            return ExitCode::FAILURE;
        }
    };
    let path = paths.store_file();
    let since = |s: &Option<String>| -> Result<Option<i64>, ExitCode> {
        match s {
            None => Ok(None),
            Some(text) => veil_core::timefmt::parse_since(text, audit_log::now_ms())
                .map(Some)
                .map_err(|e| {
                    eprintln!("veil: --since: {e}");
                    ExitCode::from(2)
                }),
        }
    };
    let entries = |since_ms: Option<i64>| -> Result<Vec<AuditEntry>, ExitCode> {
        match &store {
            None => Ok(Vec::new()),
            Some(s) => s.audit(AuditQuery { since_ms }).map_err(|e| {
                eprintln!("veil: {e}");
                ExitCode::FAILURE
            }),
        }
    };
    match cmd {
        AuditCmd::Show { since: s, json } => {
            let list = match since(&s).and_then(entries) {
                Ok(l) => l,
                Err(code) => return code,
            };
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&list).unwrap_or_default()
                );
            } else if list.is_empty() {
                println!(
                    "No audit entries{}.",
                    if store.is_none() {
                        " yet"
                    } else {
                        " in that period"
                    }
                );
            } else {
                for e in &list {
                    println!(
                        "#{:<6} {}  {:<20} {:<7} {:<12} {}",
                        e.seq,
                        veil_core::timefmt::rfc3339(e.entry.at_ms),
                        e.entry.kind,
                        e.entry.actor,
                        e.entry.user,
                        e.entry.details
                    );
                }
            }
            ExitCode::SUCCESS
        }
        AuditCmd::Verify => {
            let Some(s) = &store else {
                println!("{}: no audit log yet; nothing to verify.", path.display());
                return ExitCode::SUCCESS;
            };
            match s.verify() {
                Ok(v) => match v.first_broken {
                    None => {
                        println!(
                            "{}: {} entries verified; the chain is intact.",
                            path.display(),
                            v.checked
                        );
                        ExitCode::SUCCESS
                    }
                    Some(b) => {
                        eprintln!(
                            "{}: entry #{} is broken: {} ({} entries before it verified).",
                            path.display(),
                            b.seq,
                            b.reason,
                            v.checked
                        );
                        ExitCode::FAILURE
                    }
                },
                Err(e) => {
                    eprintln!("veil: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        AuditCmd::Export { format, since: s } => {
            let list = match since(&s).and_then(entries) {
                Ok(l) => l,
                Err(code) => return code,
            };
            let mut out = std::io::stdout().lock();
            let result = match format {
                ExportFormat::Jsonl => export_jsonl(&mut out, &list),
                ExportFormat::Csv => export_csv(&mut out, &list),
            };
            match result {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("veil: {e}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}

fn export_jsonl(out: &mut impl Write, list: &[AuditEntry]) -> std::io::Result<()> {
    for e in list {
        let mut v = serde_json::to_value(e).map_err(std::io::Error::other)?;
        v["time"] = veil_core::timefmt::rfc3339(e.entry.at_ms).into();
        writeln!(out, "{v}")?;
    }
    out.flush()
}

fn export_csv(out: &mut impl Write, list: &[AuditEntry]) -> std::io::Result<()> {
    writeln!(out, "seq,time,kind,actor,user,details,prev_hash,hash")?;
    for e in list {
        let row = veil_core::csv::row(&[
            e.seq.to_string(),
            veil_core::timefmt::rfc3339(e.entry.at_ms),
            e.entry.kind.clone(),
            e.entry.actor.clone(),
            e.entry.user.clone(),
            e.entry.details.clone(),
            veil_core::audit::hex(&e.prev_hash),
            veil_core::audit::hex(&e.hash),
        ]);
        writeln!(out, "{row}")?;
    }
    out.flush()
}

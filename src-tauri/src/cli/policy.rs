//! `veil policy show|check`: the effective settings and where each comes
//! from, and validating a policy file before it is deployed.

use std::process::ExitCode;

use veil_core::settings::{Effective, FileState, Layer, Origin, Source};
use veil_os::files::read_config;
use veil_os::paths::Paths;

use crate::config_files;

/// Effective settings computed from the files on disk, as the running app
/// would compute them (the CLI does not need Veil to be running for this).
pub fn show(paths: &Paths, json: bool) -> ExitCode {
    let config = config_files::from_disk(paths);
    let effective: Effective = config.effective();
    if json {
        let out = serde_json::json!({
            "policy_file": config.policy_status(),
            "settings_file": config.user_status(),
            "settings": effective.entries.iter().map(|e| serde_json::json!({
                "key": e.key,
                "value": e.value,
                "source": e.source,
                "locked": e.locked,
                "line": e.line,
            })).collect::<Vec<_>>(),
        });
        println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
        return ExitCode::SUCCESS;
    }
    for (label, status) in [
        ("Policy", config.policy_status()),
        ("Settings", config.user_status()),
    ] {
        let state = match &status.state {
            FileState::Missing => "not present".to_string(),
            FileState::Loaded => "in effect".to_string(),
            FileState::Rejected { errors } => {
                format!("REJECTED ({} error(s), shown below)", errors.len())
            }
        };
        println!("{label:<9} {} — {state}", status.path);
    }
    println!();
    let width = effective
        .entries
        .iter()
        .map(|e| e.key.len())
        .max()
        .unwrap_or(10);
    for e in &effective.entries {
        let from = match (e.source, e.line) {
            (Source::Default, _) => "default".to_string(),
            (Source::User, Some(l)) => format!("settings:{l}"),
            (Source::User, None) => "settings".to_string(),
            (Source::Policy, Some(l)) => format!("policy:{l} (locked)"),
            (Source::Policy, None) => "policy (locked)".to_string(),
        };
        println!("{:<width$}  {:<10}  {from}", e.key, e.value.to_string());
    }
    let mut bad = false;
    for status in [config.policy_status(), config.user_status()] {
        if let FileState::Rejected { errors } = status.state {
            bad = true;
            eprintln!();
            for e in errors {
                eprintln!("error: {e}");
            }
        }
    }
    if bad {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

pub fn check(file: &std::path::Path) -> ExitCode {
    let name = file.display().to_string();
    match read_config(file) {
        veil_core::settings::FileRead::Text(text) => {
            match Layer::parse(&name, &text, Origin::Policy) {
                Ok(layer) => {
                    let n = layer.keys().count();
                    println!(
                        "{name}: valid ({n} key{} set)",
                        if n == 1 { "" } else { "s" }
                    );
                    ExitCode::SUCCESS
                }
                Err(errors) => {
                    for e in errors {
                        eprintln!("{e}");
                    }
                    ExitCode::FAILURE
                }
            }
        }
        veil_core::settings::FileRead::Missing => {
            eprintln!("{name}: no such file");
            ExitCode::FAILURE
        }
        veil_core::settings::FileRead::Unreadable(why) => {
            eprintln!("{name}: cannot be read: {why}");
            ExitCode::FAILURE
        }
    }
}

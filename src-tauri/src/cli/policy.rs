//! `veil policy show|check`: the effective settings and where each comes
//! from, and validating a policy file (or a macOS configuration profile)
//! before it is deployed.

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
            "settings": effective.entries.iter().map(|e| {
                let mut entry = serde_json::json!({
                    "key": e.key,
                    "value": e.value,
                    "source": e.source,
                    "locked": e.locked,
                    "line": e.line,
                });
                // Set in the registry or a profile rather than the file.
                if let Some(place) = config.policy_place(e.key).filter(|_| e.source == Source::Policy) {
                    entry["from"] = place.into();
                }
                entry
            }).collect::<Vec<_>>(),
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
        for source in status.managed.iter().flatten() {
            println!("{:<9} {source} — merged over it, and wins", "");
        }
    }
    println!();
    let width = effective
        .entries
        .iter()
        .map(|e| e.key.len())
        .max()
        .unwrap_or(10);
    for e in &effective.entries {
        let from = match (e.source, e.line, config.policy_place(e.key)) {
            (Source::Default, _, _) => "default".to_string(),
            (Source::User, Some(l), _) => format!("settings:{l}"),
            (Source::User, None, _) => "settings".to_string(),
            // `registry:HKLM\SOFTWARE\Policies\Veil\shield`, `profile:PATH`
            (Source::Policy, _, Some(place)) => format!("{place} (locked)"),
            (Source::Policy, Some(l), None) => format!("policy:{l} (locked)"),
            (Source::Policy, None, None) => "policy (locked)".to_string(),
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
    let profile = file
        .extension()
        .is_some_and(|x| x.eq_ignore_ascii_case("mobileconfig") || x.eq_ignore_ascii_case("plist"));
    if profile {
        return check_profile(file, &name);
    }
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

/// A `.mobileconfig` (its payload for Veil) or a managed preferences plist,
/// checked as Veil would read it once the MDM installed it.
fn check_profile(file: &std::path::Path, name: &str) -> ExitCode {
    use veil_core::settings::managed::{ManagedKind, ManagedSet};
    use veil_os::managed_policy::{profile, BUNDLE_ID};
    let bytes = match veil_os::files::read_bytes(file, veil_os::files::CONFIG_MAX_BYTES) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{name}: cannot be read: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mobileconfig = file
        .extension()
        .is_some_and(|x| x.eq_ignore_ascii_case("mobileconfig"));
    let set = if mobileconfig {
        match profile::parse_mobileconfig(&bytes, BUNDLE_ID) {
            Ok(entries) => ManagedSet::new(ManagedKind::Profile, name, entries),
            Err(e) => ManagedSet::unreadable(ManagedKind::Profile, name, e.to_string()),
        }
    } else {
        profile::preferences_set(name, &bytes)
    };
    match set.to_layer() {
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

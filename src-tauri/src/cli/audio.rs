//! `veil audio devices`: every input as the microphone guard classifies it.

use std::process::ExitCode;

use veil_core::mic::headset_rules;
use veil_os::paths::Paths;

use crate::config_files;

/// Asks the audio system directly (Veil need not run), classifying with the
/// policy's approved headsets.
pub fn devices(paths: &Paths, json: bool) -> ExitCode {
    use veil_os::audio;
    let rules = headset_rules(
        &config_files::from_disk(paths)
            .effective()
            .settings()
            .approved_headsets,
    );
    let devices = match audio::connect(Box::new(|| {})).and_then(|mut b| b.read()) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("veil: {e}");
            return ExitCode::FAILURE;
        }
    };
    let rows: Vec<serde_json::Value> = devices
        .classified(&rules)
        .into_iter()
        .map(|(d, c)| {
            serde_json::json!({
                "id": d.id,
                "name": d.name,
                "class": c.class,
                "default": devices.default_id.as_deref() == Some(d.id.as_str()),
                "muted": d.muted,
                "because": c.because,
                "properties": d.facts,
            })
        })
        .collect();
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&rows).unwrap_or_default()
        );
        return ExitCode::SUCCESS;
    }
    if rows.is_empty() {
        println!("No audio inputs.");
    }
    for r in &rows {
        let class = match r["class"].as_str().unwrap_or("") {
            "built_in" => "built-in",
            other => other,
        };
        let flags: Vec<&str> = [
            (r["default"] == true).then_some("default"),
            (r["muted"] == true).then_some("muted"),
        ]
        .into_iter()
        .flatten()
        .collect();
        println!(
            "{:<9} {}{}",
            class,
            r["name"].as_str().unwrap_or(""),
            if flags.is_empty() {
                String::new()
            } else {
                format!(" ({})", flags.join(", "))
            }
        );
        println!("          id: {}", r["id"].as_str().unwrap_or(""));
        let because: Vec<&str> = r["because"]
            .as_array()
            .map(|a| a.iter().filter_map(|v| v.as_str()).collect())
            .unwrap_or_default();
        println!("          because: {}", because.join("; "));
    }
    ExitCode::SUCCESS
}

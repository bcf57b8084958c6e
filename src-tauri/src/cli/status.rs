//! `veil status [--json]`: the running Veil's state; the JSON form is the
//! contract support scripts read (README).

use std::process::ExitCode;

use veil_os::paths::Paths;

pub fn run(paths: &Paths, json: bool) -> ExitCode {
    let status = match super::running_status(paths) {
        Ok(s) => s,
        Err(code) => return code,
    };
    if json {
        return super::print_json(&status);
    }
    let field = |k: &str| status[k].as_str().unwrap_or("?").to_string();
    println!("Veil {}", field("version"));
    println!("State:        {}", field("state"));
    let locked = if status["privacy_mode_locked"].as_bool() == Some(true) {
        " (required by policy)"
    } else {
        ""
    };
    println!("Privacy mode: {}{locked}", field("privacy_mode"));
    println!(
        "Policy:       {} ({})",
        status["policy_file"]["path"].as_str().unwrap_or("?"),
        status["policy_file"]["state"].as_str().unwrap_or("?")
    );
    // Registry or profiles merged over the file (Windows, macOS).
    for source in status["policy_file"]["managed"]
        .as_array()
        .into_iter()
        .flatten()
    {
        println!("              + {}", source.as_str().unwrap_or("?"));
    }
    let store = &status["store"];
    println!(
        "Audit log:    {} ({}){}",
        store["state"].as_str().unwrap_or("?"),
        store["path"].as_str().unwrap_or("?"),
        store["key_storage"]
            .as_str()
            .map(|k| format!(", key in {}", k.replace('_', " ")))
            .unwrap_or_default()
    );
    let mic = &status["microphone"];
    println!(
        "Microphone:   {}{}",
        mic["default"].as_str().unwrap_or("none"),
        if mic["compliant"].as_bool() == Some(true) {
            " (compliant)"
        } else {
            ""
        }
    );
    println!(
        "Shield:       {} (idle {} s, source {})",
        status["shield"]["state"].as_str().unwrap_or("?"),
        status["shield"]["idle_seconds"].as_u64().unwrap_or(0),
        status["shield"]["idle_source"].as_str().unwrap_or("?")
    );
    let shortcut = &status["shield"]["shortcut"];
    println!(
        "Shortcut:     {}",
        match (shortcut["keys"].as_str(), shortcut["registered"].as_bool()) {
            (None, _) => "none".to_string(),
            (Some(keys), Some(true)) => format!("{keys} (shield now)"),
            (Some(keys), _) => format!(
                "{keys}, not available: {}",
                shortcut["message"].as_str().unwrap_or("unknown reason")
            ),
        }
    );
    let camera = &status["camera"];
    let mut users: Vec<String> = vec![];
    for d in camera["devices"].as_array().into_iter().flatten() {
        for u in d["users"].as_array().into_iter().flatten() {
            users.push(format!(
                "{} (pid {}) on {}",
                u["exe"].as_str().unwrap_or("?"),
                u["pid"],
                d["name"].as_str().unwrap_or("?")
            ));
        }
    }
    for u in camera["microphone_users"].as_array().into_iter().flatten() {
        users.push(format!(
            "{} (pid {}) on {}",
            u["exe"].as_str().unwrap_or("?"),
            u["pid"],
            u["device"].as_str().unwrap_or("?")
        ));
    }
    println!(
        "Devices used: {}{}",
        if users.is_empty() {
            "none".to_string()
        } else {
            users.join("; ")
        },
        if camera["detection"] == "degraded" {
            " (detection degraded: not all use is visible)"
        } else {
            ""
        }
    );
    let t = &status["training"];
    println!(
        "Training:     {} of {} modules completed, {} due, next quiz {}",
        t["completed"],
        t["modules"],
        t["due"],
        match (t["quiz_held"].as_str(), t["next_quiz_in_seconds"].as_u64()) {
            (Some("call"), _) => "after the call".to_string(),
            (Some("snoozed"), Some(s)) => format!("postponed, in about {s} s"),
            (Some("shield"), _) => "when the agent is back".to_string(),
            (Some("just_back"), _) => "within a minute".to_string(),
            (_, Some(s)) => format!("in about {s} s of active time"),
            (_, None) => "once a lesson is read".to_string(),
        }
    );
    if let Some(problems) = status["problems"].as_array().filter(|p| !p.is_empty()) {
        println!("Problems:");
        for p in problems {
            println!(
                "  - {}: {}",
                p["source"].as_str().unwrap_or("?"),
                p["message"].as_str().unwrap_or("?")
            );
        }
    }
    ExitCode::SUCCESS
}

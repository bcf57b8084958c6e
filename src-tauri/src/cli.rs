//! `veil <command>`: the same binary, for IT and support scripts.
//!
//! Exit codes: 0 success, 1 failure (invalid file, request refused),
//! 2 usage error, 3 Veil is not running.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand, ValueEnum};
use veil_core::control::{Request, Response};
use veil_core::settings::{Config, Effective, FileState, Layer, Origin, Source};
use veil_os::control::{self, ClientError};
use veil_os::files::read_config;
use veil_os::paths::Paths;

use std::io::Write;

use veil_core::audit::Entry as AuditEntry;
use veil_store::AuditQuery;

use crate::{audit_log, logging};

pub const EXIT_NOT_RUNNING: u8 = 3;

#[derive(Debug, Parser)]
#[command(
    name = "veil",
    version,
    about = "Veil keeps a remote agent's microphone, camera and screen private.",
    long_about = "Veil keeps a remote agent's microphone, camera and screen private.\n\n\
        Run without a command to start Veil in the tray. The commands below are for \
        IT and support.\n\nExit codes: 0 success, 1 failure, 2 usage error, 3 Veil is not running."
)]
pub struct Args {
    /// Open the Veil window at start (as when launched from the app menu).
    #[arg(long)]
    pub show: bool,

    #[command(subcommand)]
    pub command: Option<Cmd>,
}

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Show the running Veil's state.
    Status {
        /// Print the stable JSON object support scripts read.
        #[arg(long)]
        json: bool,
    },
    /// Turn privacy mode on or off in the running Veil.
    Privacy {
        #[arg(value_enum)]
        mode: OnOff,
    },
    /// Inspect the managed policy.
    Policy {
        #[command(subcommand)]
        command: PolicyCmd,
    },
    /// Read, verify or export the encrypted, tamper-evident audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCmd,
    },
    /// The idle privacy shield.
    Shield {
        #[command(subcommand)]
        command: ShieldCmd,
    },
    /// Inspect the audio devices the microphone guard sees.
    Audio {
        #[command(subcommand)]
        command: AudioCmd,
    },
    /// Security training progress.
    Training {
        #[command(subcommand)]
        command: TrainingCmd,
    },
    /// Veil's window process, started by the running Veil when a window
    /// opens (not for scripts: use plain `veil` to open the window).
    #[command(hide = true)]
    Ui {
        /// Open this window at once (otherwise the running Veil says which).
        #[arg(long, value_enum)]
        open: Option<UiWindow>,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum UiWindow {
    Main,
    Training,
    Quiz,
}

impl UiWindow {
    pub fn name(self) -> veil_core::control::WindowName {
        use veil_core::control::WindowName;
        match self {
            UiWindow::Main => WindowName::Main,
            UiWindow::Training => WindowName::Training,
            UiWindow::Quiz => WindowName::Quiz,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum TrainingCmd {
    /// Completion and scores per module, for a supervisor.
    Report {
        #[arg(long, value_enum, default_value = "csv")]
        format: ReportFormat,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ReportFormat {
    Csv,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum ShieldCmd {
    /// Cover every monitor now, in the running Veil.
    Now,
}

#[derive(Debug, Subcommand)]
pub enum AudioCmd {
    /// List every input with its class and the properties that decided it.
    Devices {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCmd {
    /// List entries, oldest first.
    Show {
        /// Only entries from this UTC time on: 2026-11-24, 2026-11-24T16:05, or an age like 12h, 7d.
        #[arg(long)]
        since: Option<String>,
        /// One JSON array of entries.
        #[arg(long)]
        json: bool,
    },
    /// Check the hash chain; exit 1 naming the first broken entry.
    Verify,
    /// Write every entry to stdout for archiving or a SIEM.
    Export {
        #[arg(long, value_enum)]
        format: ExportFormat,
        #[arg(long)]
        since: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    Jsonl,
    Csv,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum OnOff {
    On,
    Off,
}

#[derive(Debug, Subcommand)]
pub enum PolicyCmd {
    /// Show the effective settings and where each value comes from.
    Show {
        #[arg(long)]
        json: bool,
    },
    /// Validate a policy file: exit 0 when valid, 1 with file:line errors otherwise.
    Check { file: PathBuf },
}

pub fn run(cmd: Cmd) -> ExitCode {
    logging::init_cli();
    let paths = match Paths::from_env() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("veil: {e}");
            return ExitCode::FAILURE;
        }
    };
    match cmd {
        Cmd::Status { json } => status(&paths, json),
        Cmd::Privacy { mode } => privacy(&paths, matches!(mode, OnOff::On)),
        Cmd::Policy {
            command: PolicyCmd::Show { json },
        } => policy_show(&paths, json),
        Cmd::Policy {
            command: PolicyCmd::Check { file },
        } => policy_check(&file),
        Cmd::Audit { command } => audit(&paths, command),
        Cmd::Training { command } => training(&paths, command),
        // main() runs the window process before any CLI set-up.
        Cmd::Ui { .. } => ExitCode::from(2),
        Cmd::Audio {
            command: AudioCmd::Devices { json },
        } => audio_devices(&paths, json),
        Cmd::Shield {
            command: ShieldCmd::Now,
        } => match ask(&paths, &Request::ShieldNow) {
            Ok(r) if r.ok => {
                println!("The screen is covered; move the mouse to continue.");
                ExitCode::SUCCESS
            }
            Ok(r) => {
                eprintln!("veil: {}", r.error.unwrap_or_else(|| "refused".into()));
                ExitCode::FAILURE
            }
            Err(code) => code,
        },
    }
}

/// Asks the audio system directly (Veil need not run), classifying with the
/// policy's approved headsets.
fn audio_devices(paths: &Paths, json: bool) -> ExitCode {
    use veil_os::audio;
    let rules = audio::headset_rules(
        &config_from_disk(paths)
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

/// Settings and policy as the files on disk give them (Veil need not run).
/// The training report from this account's store (read-only) and the
/// modules (Veil's own and the policy's folder).
pub(crate) fn training_report_text(paths: &Paths, format: ReportFormat) -> Result<String, String> {
    let settings = config_from_disk(paths).effective().settings();
    let store = audit_log::open_read_only(paths, settings.store_key_fallback)?;
    let (lessons, answers) = match &store {
        None => (vec![], vec![]),
        Some(s) => (
            s.lessons_read().map_err(|e| e.to_string())?,
            s.answers().map_err(|e| e.to_string())?,
        ),
    };
    let (modules, errors) = crate::training::load(&settings.training.extra_folder);
    for e in &errors {
        eprintln!("veil: training module skipped: {e}");
    }
    let rows = crate::training::report(&modules, &lessons, &answers, audit_log::now_ms());
    let user = veil_os::paths::current_user();
    match format {
        ReportFormat::Csv => Ok(crate::training::report_csv(&rows, &user)),
        ReportFormat::Json => serde_json::to_string_pretty(&serde_json::json!({
            "user": user,
            "generated_at": veil_core::timefmt::rfc3339(audit_log::now_ms()),
            "modules": rows,
        }))
        .map(|s| s + "\n")
        .map_err(|e| e.to_string()),
    }
}

fn training(paths: &Paths, cmd: TrainingCmd) -> ExitCode {
    match cmd {
        TrainingCmd::Report { format } => match training_report_text(paths, format) {
            Ok(text) => {
                print!("{text}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("veil: {e}");
                ExitCode::FAILURE
            }
        },
    }
}

fn config_from_disk(paths: &Paths) -> Config {
    let mut config = Config::new(
        paths.settings_file().display().to_string(),
        paths.policy_file.display().to_string(),
    );
    if let Ok(cached) = std::fs::read_to_string(paths.policy_cache_file()) {
        config.seed_policy(&cached);
    }
    config.update_policy(read_config(&paths.policy_file));
    config.update_user(read_config(&paths.settings_file()));
    config
}

fn audit(paths: &Paths, cmd: AuditCmd) -> ExitCode {
    let fallback = config_from_disk(paths)
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
        let fields = [
            e.seq.to_string(),
            veil_core::timefmt::rfc3339(e.entry.at_ms),
            e.entry.kind.clone(),
            e.entry.actor.clone(),
            e.entry.user.clone(),
            e.entry.details.clone(),
            veil_core::audit::hex(&e.prev_hash),
            veil_core::audit::hex(&e.hash),
        ];
        let row: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        writeln!(out, "{}", row.join(","))?;
    }
    out.flush()
}

/// RFC 4180 quoting; a leading = + - @ is prefixed so a spreadsheet never
/// runs a cell as a formula.
pub(crate) fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

fn ask(paths: &Paths, req: &Request) -> Result<Response, ExitCode> {
    match control::request(&paths.runtime_dir, req, Duration::from_secs(5)) {
        Ok(r) => Ok(r),
        Err(ClientError::NotRunning) => {
            eprintln!("veil: Veil is not running");
            Err(ExitCode::from(EXIT_NOT_RUNNING))
        }
        Err(e) => {
            eprintln!("veil: {e}");
            Err(ExitCode::FAILURE)
        }
    }
}

fn status(paths: &Paths, json: bool) -> ExitCode {
    let resp = match ask(paths, &Request::Status) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let Some(status) = resp.status.filter(|_| resp.ok) else {
        eprintln!(
            "veil: {}",
            resp.error
                .unwrap_or_else(|| "no status in the answer".into())
        );
        return ExitCode::FAILURE;
    };
    if json {
        match serde_json::to_string_pretty(&status) {
            Ok(s) => println!("{s}"),
            Err(e) => {
                eprintln!("veil: {e}");
                return ExitCode::FAILURE;
            }
        }
        return ExitCode::SUCCESS;
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

fn privacy(paths: &Paths, on: bool) -> ExitCode {
    match ask(paths, &Request::Privacy { on }) {
        Ok(r) if r.ok => {
            println!("Privacy mode is {}.", if on { "on" } else { "off" });
            ExitCode::SUCCESS
        }
        Ok(r) => {
            eprintln!("veil: {}", r.error.unwrap_or_else(|| "refused".into()));
            ExitCode::FAILURE
        }
        Err(code) => code,
    }
}

/// Effective settings computed from the files on disk, as the running app
/// would compute them (the CLI does not need Veil to be running for this).
fn policy_show(paths: &Paths, json: bool) -> ExitCode {
    let config = config_from_disk(paths);
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

fn policy_check(file: &std::path::Path) -> ExitCode {
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

#[cfg(test)]
mod tests {
    use super::csv_field;

    #[test]
    fn csv_fields_are_quoted_and_defused() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=cmd()"), "'=cmd()");
    }
}

//! `veil <command>`: the same binary, for IT and support scripts. One
//! module per command group; what the app shares with the CLI (the
//! training report, the files on disk, exit codes) lives outside it.
//!
//! Exit codes (`crate::exit_codes`): 0 success, 1 failure (invalid file,
//! request refused), 2 usage error, 3 Veil is not running.

mod audio;
mod audit;
mod fleet;
mod policy;
mod posture;
mod privacy;
mod shield;
mod status;
mod training;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand, ValueEnum};
use veil_core::control::{Request, Response, WindowName};
use veil_os::control::{self, ClientError};
use veil_os::paths::Paths;

use crate::{exit_codes, logging};

/// What this start of the program is for.
pub enum Launch {
    /// The tray app (`--show`: with its window open).
    Tray { show: bool },
    /// Started at sign-in: under the session's service manager where there
    /// is one (so it is started again if it stops), else as the tray app.
    Autostart,
    /// The window process (`veil ui`), started by the tray app.
    Windows { open: Option<WindowName> },
    /// A command for IT and support.
    Command(Cmd),
}

/// Reads the command line (clap exits with usage errors and `--help`).
pub fn parse() -> Launch {
    let args = Args::parse();
    match args.command {
        None if args.autostart => Launch::Autostart,
        None => Launch::Tray { show: args.show },
        Some(Cmd::Ui { open }) => Launch::Windows {
            open: open.map(UiWindow::name),
        },
        Some(command) => Launch::Command(command),
    }
}

#[derive(Debug, Parser)]
#[command(
    name = "veil",
    version,
    about = "Veil keeps a remote agent's microphone, camera and screen private.",
    long_about = "Veil keeps a remote agent's microphone, camera and screen private.\n\n\
        Run without a command to start Veil in the tray. The commands below are for \
        IT and support.\n\nExit codes: 0 success, 1 failure, 2 usage error, 3 Veil is not running."
)]
struct Args {
    /// Open the Veil window at start (as when launched from the app menu).
    #[arg(long)]
    show: bool,

    /// Started at sign-in by the autostart entry (runs Veil under the
    /// session's service manager when it has one).
    #[arg(long, hide = true)]
    autostart: bool,

    #[command(subcommand)]
    command: Option<Cmd>,
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
    /// The organization's receivers: what this seat sends, and the
    /// verifier for what they stored.
    Fleet {
        #[command(subcommand)]
        command: FleetCmd,
    },
    /// Run the device checks ("This computer") now, without the running
    /// Veil; exit 1 when a check the policy requires fails.
    Posture {
        /// Print the checks as JSON (the `posture` object of `veil status --json`).
        #[arg(long)]
        json: bool,
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
    fn name(self) -> WindowName {
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
        format: ReportFormatArg,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ReportFormatArg {
    Csv,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum FleetCmd {
    /// Each receiver's state, queue and last error, in the running Veil.
    Status {
        #[arg(long)]
        json: bool,
    },
    /// Check what receivers stored (OTel Collector file exporter or rsyslog
    /// JSON lines): chain breaks, gaps, rewound logs, missing heartbeats,
    /// checkpoints. Exit 1 listing each host with a finding.
    Verify {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[arg(long)]
        json: bool,
        /// Heartbeats missing for longer than this many seconds are a
        /// finding (default: three times the host's heartbeat interval).
        #[arg(long)]
        max_silence: Option<u64>,
    },
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
    /// Validate a policy file (or a macOS .mobileconfig / managed preferences
    /// .plist): exit 0 when valid, 1 with file:line errors otherwise.
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
        Cmd::Status { json } => status::run(&paths, json),
        Cmd::Privacy { mode } => privacy::run(&paths, matches!(mode, OnOff::On)),
        Cmd::Policy {
            command: PolicyCmd::Show { json },
        } => policy::show(&paths, json),
        Cmd::Policy {
            command: PolicyCmd::Check { file },
        } => policy::check(&file),
        Cmd::Audit { command } => audit::run(&paths, command),
        Cmd::Training { command } => training::run(&paths, command),
        Cmd::Posture { json } => posture::run(&paths, json),
        Cmd::Fleet {
            command: FleetCmd::Status { json },
        } => fleet::status(&paths, json),
        Cmd::Fleet {
            command:
                FleetCmd::Verify {
                    files,
                    json,
                    max_silence,
                },
        } => fleet::verify(&files, json, max_silence),
        // parse() hands the window process to main() as a Launch.
        Cmd::Ui { .. } => ExitCode::from(exit_codes::USAGE),
        Cmd::Audio {
            command: AudioCmd::Devices { json },
        } => audio::devices(&paths, json),
        Cmd::Shield {
            command: ShieldCmd::Now,
        } => shield::now(&paths),
    }
}

/// The running Veil's `veil status --json` object; prints why not on failure.
fn running_status(paths: &Paths) -> Result<serde_json::Value, ExitCode> {
    let resp = ask(paths, &Request::Status)?;
    resp.status.filter(|_| resp.ok).ok_or_else(|| {
        eprintln!(
            "veil: {}",
            resp.error
                .unwrap_or_else(|| "no status in the answer".into())
        );
        ExitCode::FAILURE
    })
}

/// Prints `value` as pretty JSON (the CLI's `--json` forms).
fn print_json(value: &impl serde::Serialize) -> ExitCode {
    match serde_json::to_string_pretty(value) {
        Ok(s) => {
            println!("{s}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("veil: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The agent's language for the CLI's words to agents: the `language`
/// setting as the files on disk say, else the OS locale. Output meant for
/// scripts (`--json`, CSV, exit codes) stays English.
fn language(paths: &Paths) -> veil_core::i18n::Language {
    let settings = crate::config_files::from_disk(paths).effective().settings();
    veil_core::i18n::Language::resolve(&settings.language, sys_locale::get_locale().as_deref())
}

/// A message for the agent, in their language.
fn say(paths: &Paths, key: &str) -> String {
    veil_core::i18n::tr(language(paths), key, &[])
}

/// Sends one request to the running Veil; prints why not on failure.
fn ask(paths: &Paths, req: &Request) -> Result<Response, ExitCode> {
    match control::request(&paths.runtime_dir, req, Duration::from_secs(5)) {
        Ok(r) => Ok(r),
        Err(ClientError::NotRunning) => {
            eprintln!("veil: {}", say(paths, "cli-not-running"));
            Err(ExitCode::from(exit_codes::NOT_RUNNING))
        }
        Err(e) => {
            eprintln!("veil: {e}");
            Err(ExitCode::FAILURE)
        }
    }
}

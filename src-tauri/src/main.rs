// The Windows GUI build has no console window; the CLI attaches to the
// parent console when it has one.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod actor;
mod app;
mod app_windows;
mod audit_log;
mod camera_guard;
mod capabilities;
mod cli;
mod config_files;
mod exit_codes;
mod fleet;
mod lifecycle;
mod logging;
mod mic_check;
mod mic_guard;
mod posture;
mod shield;
mod shield_overlays;
mod shortcut;
mod training;
mod tray;
mod window_calls;
mod window_host;
mod window_process;
mod window_relay;
mod write_limit;

use std::process::ExitCode;

fn main() -> ExitCode {
    // Any argument may mean CLI output (--version, --help, a command).
    if std::env::args_os().len() > 1 {
        veil_os::console::attach_parent();
    }
    match cli::parse() {
        cli::Launch::Windows { open } => {
            veil_os::display::prepare_toolkit();
            window_process::run(open)
        }
        cli::Launch::Command(command) => cli::run(command),
        cli::Launch::Autostart => {
            if veil_os::session::start_under_service_manager() {
                return ExitCode::SUCCESS;
            }
            veil_os::display::prepare_toolkit();
            app::run(false, true)
        }
        cli::Launch::Tray { show } => {
            veil_os::display::prepare_toolkit();
            app::run(show, false)
        }
    }
}

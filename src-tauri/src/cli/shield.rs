//! `veil shield now`: cover every monitor in the running Veil.

use std::process::ExitCode;

use veil_core::control::Request;
use veil_os::paths::Paths;

pub fn now(paths: &Paths) -> ExitCode {
    match super::ask(paths, &Request::ShieldNow) {
        Ok(r) if r.ok => {
            println!("{}", super::say(paths, "cli-shield-now"));
            ExitCode::SUCCESS
        }
        Ok(r) => {
            eprintln!("veil: {}", r.error.unwrap_or_else(|| "refused".into()));
            ExitCode::FAILURE
        }
        Err(code) => code,
    }
}

//! `veil privacy on|off`, in the running Veil.

use std::process::ExitCode;

use veil_core::control::Request;
use veil_os::paths::Paths;

pub fn run(paths: &Paths, on: bool) -> ExitCode {
    match super::ask(paths, &Request::Privacy { on }) {
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

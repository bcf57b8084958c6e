//! `veil privacy on|off`, in the running Veil.

use std::process::ExitCode;

use veil_core::control::Request;
use veil_os::paths::Paths;

pub fn run(paths: &Paths, on: bool) -> ExitCode {
    match super::ask(paths, &Request::Privacy { on }) {
        Ok(r) if r.ok => {
            let key = if on {
                "cli-privacy-on"
            } else {
                "cli-privacy-off"
            };
            println!("{}", super::say(paths, key));
            ExitCode::SUCCESS
        }
        Ok(r) => {
            eprintln!("veil: {}", r.error.unwrap_or_else(|| "refused".into()));
            ExitCode::FAILURE
        }
        Err(code) => code,
    }
}

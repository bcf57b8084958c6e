//! `veil posture [--json]`: runs the device checks here and now (Veil need
//! not run), with the policy and settings on disk. Exit 1 when a required
//! check fails, for IT scripts; an `unknown` is not a failure.

use std::process::ExitCode;

use veil_core::clock::{Clock, SystemClock};
use veil_core::posture::{CheckResult, Tracker};
use veil_os::paths::Paths;
use veil_os::posture::Probes;

pub fn run(paths: &Paths, json: bool) -> ExitCode {
    let settings = crate::config_files::from_disk(paths).effective().settings();
    let shield_lock = (!settings.shield.lock_after.is_zero()).then_some(settings.shield.lock_after);
    let run = Probes::native().run(&settings.posture, shield_lock);
    let mut tracker = Tracker::new(veil_os::posture::platform());
    tracker.observe(run, SystemClock.now(), &settings.posture);
    let status = tracker.status(&settings.posture);
    if json {
        if super::print_json(&status) != ExitCode::SUCCESS {
            return ExitCode::FAILURE;
        }
    } else {
        for c in &status.checks {
            println!(
                "{:<16} {:<15} {:<9} {}",
                c.id.as_str(),
                c.result.as_str(),
                if c.required { "required" } else { "advice" },
                c.detail
            );
            if let Some(fix) = c.fix.as_ref().filter(|_| c.result == CheckResult::Fail) {
                for step in &fix.steps {
                    println!("{:<16} - {step}", "");
                }
            }
        }
        println!(
            "\n{}",
            if status.compliant {
                "Compliant: no required check fails."
            } else {
                "Not compliant: a required check fails."
            }
        );
    }
    if status.compliant {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

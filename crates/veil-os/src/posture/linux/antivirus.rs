//! `antivirus` on Linux: only what policy names. A `.service` name is a
//! systemd unit that must be active; anything else is a program that must
//! be running from a system folder under another account than the agent's
//! (a same-user process called `clamd` proves nothing).

use std::fs;

use veil_core::posture::Observation;

use super::Environment;

pub struct AntivirusProbe {
    env: Environment,
}

impl AntivirusProbe {
    pub fn new(env: Environment) -> Self {
        Self { env }
    }

    fn unit_active(&self, unit: &str) -> Option<bool> {
        let systemctl = crate::process::system_tool("systemctl")?;
        // `is-active` prints the state and fails when it is not active.
        match crate::process::run_within(
            std::process::Command::new(systemctl).args(["is-active", "--", unit]),
            crate::posture::PROBE_TIMEOUT,
        ) {
            Ok(out) => Some(out.trim() == "active"),
            Err(crate::process::RunError::Failed { .. }) => Some(false),
            Err(_) => None,
        }
    }

    fn program_running(&self, name: &str) -> Option<bool> {
        use std::os::unix::fs::MetadataExt;
        let me = unsafe { libc::geteuid() };
        let proc_dir = fs::read_dir(self.env.path("/proc")).ok()?;
        Some(proc_dir.flatten().any(|e| {
            let file = e.file_name();
            let Some(pid) = file.to_str().and_then(|s| s.parse::<u32>().ok()) else {
                return false;
            };
            let Ok(meta) = fs::metadata(e.path()) else {
                return false;
            };
            if meta.uid() == me {
                return false;
            }
            // `exe` of another account's process is unreadable; its
            // command line's first word is the program's path.
            let cmdline = fs::read(e.path().join("cmdline")).unwrap_or_default();
            let argv0 = cmdline.split(|b| *b == 0).next().unwrap_or_default();
            let argv0 = String::from_utf8_lossy(argv0).into_owned();
            let path = crate::process::exe_path(pid).unwrap_or(argv0);
            std::path::Path::new(&path)
                .file_name()
                .is_some_and(|n| n == name)
                && crate::process::trusted_location(&path)
        }))
    }
}

impl crate::posture::Antivirus for AntivirusProbe {
    fn antivirus(&self, named: &[String]) -> Observation {
        let mut any_unknown = false;
        let mut found = false;
        for n in named {
            let r = if n.ends_with(".service") {
                self.unit_active(n)
            } else {
                self.program_running(n)
            };
            match r {
                Some(true) => found = true,
                Some(false) => {}
                None => any_unknown = true,
            }
        }
        let running = if found {
            Some(true)
        } else if any_unknown {
            None
        } else {
            Some(false)
        };
        veil_core::posture::system::decide_named_antivirus(named, running)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::posture::Antivirus;
    use veil_core::posture::CheckResult;

    #[test]
    fn a_same_user_process_with_the_right_name_does_not_count() {
        let dir = tempfile::tempdir().unwrap();
        let fake = dir.path().join("clamd");
        fs::copy("/bin/sleep", &fake).unwrap();
        let mut child = std::process::Command::new(&fake).arg("30").spawn().unwrap();
        let p = AntivirusProbe::new(Environment::from_process());
        let o = p.antivirus(&["clamd".to_string()]);
        let _ = child.kill();
        let _ = child.wait();
        assert_eq!(o.result, CheckResult::Fail, "{o:?}");
        assert_eq!(p.antivirus(&[]).result, CheckResult::NotApplicable);
    }
}

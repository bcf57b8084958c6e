//! macOS probes, as the agent's user: Apple's own command-line tools, run
//! by absolute path (never a `PATH` lookup, which the agent controls) with
//! a time limit. Each tool's answer is parsed into facts here and decided
//! in `veil_core::posture`.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::Duration;

use veil_core::i18n::Message;
use veil_core::posture::{
    disk, firewall, network, screen_lock, system, Observation, PostureConfig,
};

use crate::posture::PROBE_TIMEOUT;
use crate::process::{output_within, run_within, RunError};

/// Like [`crate::process::run_within`], but keeps standard error as well
/// and whatever the exit status: `sysadminctl` writes its answer to
/// standard error on some macOS versions.
fn all_output_within(cmd: &mut Command, limit: Duration) -> Result<String, RunError> {
    let program = cmd.get_program().to_string_lossy().into_owned();
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| RunError::NotRun {
            program: program.clone(),
            why: e.to_string(),
        })?;
    // Both pipes are drained at once so neither can fill up and stall the
    // tool while the other is read.
    let out = drain(child.stdout.take());
    let err = drain(child.stderr.take());
    crate::process::wait_within(&mut child, limit, &program)?;
    let mut text = out.join().unwrap_or_default();
    text.push('\n');
    text.push_str(&err.join().unwrap_or_default());
    Ok(text)
}

fn drain<R: Read + Send + 'static>(pipe: Option<R>) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(pipe) = pipe {
            // Bounded: a tool's answer is a line or two.
            let _ = pipe.take(64 * 1024).read_to_end(&mut bytes);
        }
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// `defaults read`: Ok(None) when the key is not set (defaults fails),
/// Err when the tool could not run or answer in time.
fn defaults_int(args: &[&str]) -> Result<Option<u32>, RunError> {
    match run_within(Command::new("/usr/bin/defaults").args(args), PROBE_TIMEOUT) {
        Ok(out) => Ok(out.trim().parse().ok()),
        Err(RunError::Failed { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

// ---------------------------------------------------------------- disk

pub struct DiskProbe;

impl crate::posture::DiskEncryption for DiskProbe {
    fn disk_encryption(&self) -> Observation {
        let out = output_within(
            Command::new("/usr/bin/fdesetup").arg("status"),
            PROBE_TIMEOUT,
        );
        disk::decide_filevault(out.as_deref())
    }
}

// ---------------------------------------------------------------- firewall

pub struct FirewallProbe;

/// `socketfilterfw --getglobalstate`: "Firewall is enabled. (State = 1)".
fn parse_socketfilterfw(out: &str) -> Option<u32> {
    let (_, rest) = out.split_once("State = ")?;
    let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
    digits.parse().ok()
}

impl crate::posture::Firewall for FirewallProbe {
    fn firewall(&self) -> Observation {
        let state = output_within(
            Command::new("/usr/libexec/ApplicationFirewall/socketfilterfw").arg("--getglobalstate"),
            PROBE_TIMEOUT,
        )
        .and_then(|out| parse_socketfilterfw(&out))
        // Older macOS keeps the same value in the firewall's preferences.
        .or_else(|| {
            defaults_int(&["read", "/Library/Preferences/com.apple.alf", "globalstate"])
                .ok()
                .flatten()
        });
        firewall::decide_macos(state)
    }
}

// ---------------------------------------------------------------- screen lock

pub struct ScreenLockProbe;

/// `sysadminctl -screenLock status`: Some(None) "screenLock is off",
/// Some(Some(seconds)) "screenLock delay is 300 seconds" (or "immediate");
/// None when the answer is not one of these.
fn parse_sysadminctl(out: &str) -> Option<Option<u32>> {
    if out.contains("screenLock is off") {
        return Some(None);
    }
    if out.contains("screenLock is immediate") || out.contains("screenLock delay is immediate") {
        return Some(Some(0));
    }
    let (_, rest) = out.split_once("screenLock delay is ")?;
    let seconds = rest.split_whitespace().next()?.parse().ok()?;
    Some(Some(seconds))
}

/// `pmset -g`'s `displaysleep` (minutes, 0 never) for the current power
/// source, in seconds.
fn parse_displaysleep(out: &str) -> Option<u32> {
    out.lines().find_map(|line| {
        let mut words = line.split_whitespace();
        (words.next() == Some("displaysleep"))
            .then(|| words.next()?.parse::<u32>().ok())
            .flatten()
            .map(|m| m.saturating_mul(60))
    })
}

/// The screen goes away at the sooner of the screen saver and display
/// sleep; macOS asks for the password after either. Some(0) only when both
/// were read as never; None when that cannot be told.
fn idle_before_lock(saver: Option<u32>, display_sleep: Option<u32>) -> Option<u32> {
    let sooner = [saver, display_sleep]
        .into_iter()
        .flatten()
        .filter(|s| *s > 0)
        .min();
    match (sooner, saver, display_sleep) {
        (Some(s), _, _) => Some(s),
        (None, Some(0), Some(0)) => Some(0),
        _ => None,
    }
}

impl crate::posture::ScreenLock for ScreenLockProbe {
    fn screen_lock(&self, max: Duration) -> Observation {
        let lock = all_output_within(
            Command::new("/usr/sbin/sysadminctl").args(["-screenLock", "status"]),
            PROBE_TIMEOUT,
        )
        .ok()
        .and_then(|out| parse_sysadminctl(&out));
        let saver = defaults_int(&["-currentHost", "read", "com.apple.screensaver", "idleTime"])
            .ok()
            .flatten();
        let display_sleep = output_within(Command::new("/usr/bin/pmset").arg("-g"), PROBE_TIMEOUT)
            .and_then(|out| parse_displaysleep(&out));
        let idle = idle_before_lock(saver, display_sleep);
        let facts = match lock {
            None => screen_lock::Macos::default(),
            Some(lock_delay) => screen_lock::Macos {
                // With the lock on, an unread idle time is not "never".
                read: lock_delay.is_none() || idle.is_some(),
                lock_delay,
                idle,
            },
        };
        screen_lock::decide_macos(&facts, max)
    }
}

// ---------------------------------------------------------------- updates

pub struct UpdatesProbe;

impl crate::posture::OsUpdates for UpdatesProbe {
    fn os_updates(&self, config: &PostureConfig) -> Observation {
        let version = output_within(
            Command::new("/usr/bin/sw_vers").arg("-productVersion"),
            PROBE_TIMEOUT,
        )
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty());
        system::decide_macos_updates(version.as_deref(), &config.min_macos_version)
    }
}

// ---------------------------------------------------------------- antivirus

pub struct AntivirusProbe;

/// The executables of running processes: the kernel's path for each
/// process id where it tells, else what `ps` shows.
fn running_programs() -> Option<Vec<String>> {
    let out = output_within(
        Command::new("/bin/ps").args(["-axo", "pid=,comm="]),
        PROBE_TIMEOUT,
    )?;
    Some(
        out.lines()
            .filter_map(|line| {
                let (pid, comm) = line.trim_start().split_once(char::is_whitespace)?;
                let pid = pid.parse().ok()?;
                Some(crate::process::exe_path(pid).unwrap_or_else(|| comm.trim().to_string()))
            })
            .collect(),
    )
}

impl crate::posture::Antivirus for AntivirusProbe {
    fn antivirus(&self, named: &[String]) -> Observation {
        if named.is_empty() {
            return system::decide_named_antivirus(named, None);
        }
        // A copy in Downloads with the right name proves nothing: only
        // programs from folders only an administrator can write count.
        let running = running_programs().map(|programs| {
            programs.iter().any(|path| {
                std::path::Path::new(path)
                    .file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| named.iter().any(|want| want == n))
                    && crate::process::trusted_location(path)
            })
        });
        system::decide_named_antivirus(named, running)
    }
}

// ---------------------------------------------------------------- wifi

pub struct WifiProbe;

const EXPECTED_WIFI: &str = "wpa2, wpa3 or owe";

#[derive(Debug, Clone, PartialEq, Eq)]
enum Airport {
    NotConnected,
    /// The current network's "Security:" text ("WPA2 Personal").
    Security(String),
    /// Connected, but macOS withholds the network's details.
    Hidden,
}

/// `system_profiler SPAirPortDataType`: the "Security:" line of the
/// "Current Network Information:" block (not the other networks around).
/// The network's name is never kept.
fn parse_airport(out: &str) -> Airport {
    let indent = |l: &str| l.len() - l.trim_start().len();
    let mut connected = false;
    let mut current: Option<usize> = None;
    let mut seen_current = false;
    for line in out.lines() {
        let text = line.trim();
        if text.is_empty() {
            continue;
        }
        if let Some(at) = current {
            if indent(line) <= at {
                current = None;
            } else if let Some(value) = text.strip_prefix("Security:") {
                return Airport::Security(value.trim().to_string());
            }
        }
        if text == "Current Network Information:" {
            current = Some(indent(line));
            seen_current = true;
        } else if text == "Status: Connected" {
            connected = true;
        }
    }
    if connected || seen_current {
        Airport::Hidden
    } else {
        Airport::NotConnected
    }
}

/// macOS's security names as the `DOT11_AUTH_ALGORITHM` numbers
/// `decide_windows_wifi` reads, so both systems share one decision.
fn security_auth(security: &str) -> Option<u32> {
    let s = security.to_ascii_lowercase();
    let enterprise = s.contains("enterprise");
    if s.contains("owe") || s.contains("enhanced open") {
        Some(10)
    } else if s.contains("wpa3") {
        // Transition mode (WPA2/WPA3) counts as WPA3, as on Linux.
        Some(if enterprise { 8 } else { 9 })
    } else if s.contains("wpa2") {
        Some(if enterprise { 6 } else { 7 })
    } else if s.contains("wpa") {
        Some(if enterprise { 3 } else { 4 })
    } else if s.contains("wep") {
        Some(2)
    } else if s == "none" || s == "open" {
        Some(1)
    } else {
        None
    }
}

impl crate::posture::Wifi for WifiProbe {
    fn wifi(&self) -> Observation {
        let out = match run_within(
            Command::new("/usr/sbin/system_profiler").arg("SPAirPortDataType"),
            PROBE_TIMEOUT,
        ) {
            Ok(out) => out,
            Err(e) => return Observation::unknown(EXPECTED_WIFI, e.to_string()),
        };
        match parse_airport(&out) {
            Airport::NotConnected => {
                network::decide_windows_wifi(&network::WindowsWifi::NotConnected)
            }
            Airport::Hidden => Observation::unknown_because(
                EXPECTED_WIFI,
                Message::new("check-wifi-reason-macos-location"),
            ),
            Airport::Security(s) => match security_auth(&s) {
                Some(auth) => network::decide_windows_wifi(&network::WindowsWifi::Auth(auth)),
                None => Observation::unknown_because(
                    EXPECTED_WIFI,
                    Message::new("check-wifi-reason-macos-unfamiliar").arg("value", s.as_str()),
                ),
            },
        }
    }
}

// ---------------------------------------------------------------- vpn

pub struct VpnProbe;

impl crate::posture::Vpn for VpnProbe {
    fn vpn(&self, required: bool, interfaces: &[String]) -> Observation {
        if !required {
            return network::decide_vpn(&Default::default(), required, interfaces);
        }
        match run_within(Command::new("/sbin/ifconfig").arg("-lu"), PROBE_TIMEOUT) {
            Ok(out) => network::decide_vpn(
                &network::VpnFacts {
                    nm_vpn_active: None,
                    interfaces_up: out.split_whitespace().map(str::to_string).collect(),
                },
                required,
                interfaces,
            ),
            // An empty list would read as "VPN down".
            Err(e) => Observation::unknown("vpn_up", e.to_string()),
        }
    }
}

// ---------------------------------------------------------------- secure boot

pub struct SecureBootProbe;

impl crate::posture::SecureBoot for SecureBootProbe {
    fn secure_boot(&self) -> Observation {
        if cfg!(target_arch = "aarch64") {
            Observation::not_applicable_because(Message::new("check-secure-boot-apple-silicon"))
        } else {
            Observation::unknown_because(
                "secure_boot_on",
                Message::new("check-secure-boot-reason-intel-mac"),
            )
        }
    }
}

pub fn probes() -> crate::posture::Probes {
    crate::posture::Probes {
        disk_encryption: Box::new(DiskProbe),
        firewall: Box::new(FirewallProbe),
        screen_lock: Box::new(ScreenLockProbe),
        os_updates: Box::new(UpdatesProbe),
        antivirus: Box::new(AntivirusProbe),
        wifi: Box::new(WifiProbe),
        vpn: Box::new(VpnProbe),
        secure_boot: Box::new(SecureBootProbe),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use veil_core::posture::CheckResult;

    #[test]
    fn firewall_and_screen_lock_answers() {
        assert_eq!(
            parse_socketfilterfw("Firewall is enabled. (State = 1)\n"),
            Some(1)
        );
        assert_eq!(
            parse_socketfilterfw("Firewall is disabled. (State = 0)\n"),
            Some(0)
        );
        assert_eq!(parse_socketfilterfw("garbage"), None);
        let stderr_line =
            "2024-05-01 10:00:00.123 sysadminctl[123:4567] screenLock delay is 300 seconds";
        assert_eq!(parse_sysadminctl(stderr_line), Some(Some(300)));
        assert_eq!(parse_sysadminctl("\nscreenLock is off\n"), Some(None));
        assert_eq!(
            parse_sysadminctl("screenLock delay is immediate"),
            Some(Some(0))
        );
        assert_eq!(parse_sysadminctl("usage: sysadminctl"), None);
        let pmset = "System-wide power settings:\nCurrently in use:\n standby              1\n displaysleep         10 (display sleep prevented by coreaudiod)\n disksleep            10\n";
        assert_eq!(parse_displaysleep(pmset), Some(600));
        assert_eq!(idle_before_lock(Some(1200), Some(600)), Some(600));
        assert_eq!(idle_before_lock(Some(0), Some(600)), Some(600));
        assert_eq!(idle_before_lock(Some(0), Some(0)), Some(0));
        assert_eq!(idle_before_lock(None, None), None);
        assert_eq!(idle_before_lock(Some(0), None), None);
    }

    #[test]
    fn wifi_security_of_the_current_network_only() {
        let out = "Wi-Fi:\n\n      Interfaces:\n        en0:\n          Status: Connected\n          Current Network Information:\n            Home:\n              PHY Mode: 802.11ax\n              Security: WPA2 Personal\n          Other Local Wi-Fi Networks:\n            Cafe:\n              Security: None\n";
        assert_eq!(
            parse_airport(out),
            Airport::Security("WPA2 Personal".into())
        );
        let hidden = "Wi-Fi:\n      Interfaces:\n        en0:\n          Status: Connected\n          Other Local Wi-Fi Networks:\n            Cafe:\n              Security: None\n";
        assert_eq!(parse_airport(hidden), Airport::Hidden);
        let off = "Wi-Fi:\n      Interfaces:\n        en0:\n          Status: Off\n";
        assert_eq!(parse_airport(off), Airport::NotConnected);
        for (s, result) in [
            ("WPA2 Personal", CheckResult::Pass),
            ("WPA2/WPA3 Personal", CheckResult::Pass),
            ("WPA3 Enterprise", CheckResult::Pass),
            ("WPA Personal", CheckResult::Fail),
            ("WEP", CheckResult::Fail),
            ("None", CheckResult::Fail),
        ] {
            let auth = security_auth(s);
            assert!(auth.is_some(), "{s}");
            let o = network::decide_windows_wifi(&network::WindowsWifi::Auth(auth.unwrap_or(0)));
            assert_eq!(o.result, result, "{s}");
        }
        assert_eq!(security_auth("Something New"), None);
    }
}

//! Device posture probes: each check reads the OS (as the agent's user, no
//! root helper) into facts and lets `veil_core::posture` decide. One trait
//! per check so a test or another backend can stand in for one of them;
//! [`Probes::native`] gives this OS's set.

use std::time::Duration;

use veil_core::posture::{CheckId, Observation, PostureConfig};

#[cfg(target_os = "linux")]
pub mod linux;
#[cfg(target_os = "macos")]
pub mod macos;
#[cfg(windows)]
pub mod windows;

/// How long one probe may wait on a service or tool.
pub const PROBE_TIMEOUT: Duration = Duration::from_secs(5);

pub trait DiskEncryption: Send + Sync {
    fn disk_encryption(&self) -> Observation;
}

pub trait Firewall: Send + Sync {
    fn firewall(&self) -> Observation;
}

pub trait ScreenLock: Send + Sync {
    /// `max`: the longest idle time before the lock that policy accepts.
    fn screen_lock(&self, max: Duration) -> Observation;
}

pub trait OsUpdates: Send + Sync {
    fn os_updates(&self, config: &PostureConfig) -> Observation;
}

pub trait Antivirus: Send + Sync {
    /// `named`: processes or units policy names (Linux, macOS).
    fn antivirus(&self, named: &[String]) -> Observation;
}

pub trait Wifi: Send + Sync {
    fn wifi(&self) -> Observation;
}

pub trait Vpn: Send + Sync {
    fn vpn(&self, required: bool, interfaces: &[String]) -> Observation;
}

pub trait SecureBoot: Send + Sync {
    fn secure_boot(&self) -> Observation;
}

/// One probe per check.
pub struct Probes {
    pub disk_encryption: Box<dyn DiskEncryption>,
    pub firewall: Box<dyn Firewall>,
    pub screen_lock: Box<dyn ScreenLock>,
    pub os_updates: Box<dyn OsUpdates>,
    pub antivirus: Box<dyn Antivirus>,
    pub wifi: Box<dyn Wifi>,
    pub vpn: Box<dyn Vpn>,
    pub secure_boot: Box<dyn SecureBoot>,
}

impl Probes {
    /// Runs every check once, in order. `shield_lock_after`: Veil's own
    /// shield lock, where policy counts it as the screen lock.
    pub fn run(
        &self,
        config: &PostureConfig,
        shield_lock_after: Option<Duration>,
    ) -> Vec<(CheckId, Observation)> {
        CheckId::ALL
            .into_iter()
            .map(|id| (id, self.run_one(id, config, shield_lock_after)))
            .collect()
    }

    pub fn run_one(
        &self,
        id: CheckId,
        config: &PostureConfig,
        shield_lock_after: Option<Duration>,
    ) -> Observation {
        match id {
            CheckId::DiskEncryption => self.disk_encryption.disk_encryption(),
            CheckId::Firewall => self.firewall.firewall(),
            CheckId::ScreenLock => veil_core::posture::screen_lock::with_shield(
                self.screen_lock.screen_lock(config.max_lock_delay),
                shield_lock_after.filter(|_| config.shield_counts_as_screen_lock),
                config.max_lock_delay,
            ),
            CheckId::OsUpdates => self.os_updates.os_updates(config),
            CheckId::Antivirus => self.antivirus.antivirus(&config.antivirus),
            CheckId::Wifi => self.wifi.wifi(),
            CheckId::Vpn => self
                .vpn
                .vpn(config.is_required(CheckId::Vpn), &config.vpn_interfaces),
            CheckId::SecureBoot => self.secure_boot.secure_boot(),
        }
    }

    /// This OS's probes.
    pub fn native() -> Probes {
        #[cfg(target_os = "linux")]
        {
            linux::probes(&linux::Environment::from_process())
        }
        #[cfg(windows)]
        {
            windows::probes()
        }
        #[cfg(target_os = "macos")]
        {
            macos::probes()
        }
    }
}

/// The desktop the fix texts are written for.
pub fn platform() -> veil_core::posture::Platform {
    #[cfg(target_os = "linux")]
    {
        veil_core::posture::Platform::linux_desktop(
            &std::env::var("XDG_CURRENT_DESKTOP").unwrap_or_default(),
        )
    }
    #[cfg(not(target_os = "linux"))]
    {
        veil_core::posture::Platform::native_default()
    }
}

/// Opens a settings page from veil-core's fix table (never a command the
/// window supplied). The program runs detached; its exit is collected.
pub fn open_settings(target: &veil_core::posture::fixes::SettingsTarget) -> Result<(), String> {
    use veil_core::posture::fixes::SettingsTarget;
    let mut cmd = match target {
        SettingsTarget::Uri(uri) => {
            let mut c = std::process::Command::new(uri_opener()?);
            c.arg(uri);
            c
        }
        SettingsTarget::Program(program, args) => {
            let path = crate::process::system_tool(program)
                .ok_or_else(|| format!("{program} is not installed on this computer"))?;
            let mut c = std::process::Command::new(path);
            c.args(*args);
            c
        }
    };
    let mut child = cmd
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| format!("{}: {e}", cmd.get_program().to_string_lossy()))?;
    std::thread::spawn(move || {
        let _ = child.wait();
    });
    Ok(())
}

fn uri_opener() -> Result<std::path::PathBuf, String> {
    #[cfg(windows)]
    {
        // Explorer hands ms-settings: and windowsdefender: URIs to their apps.
        let root = std::env::var("SystemRoot").unwrap_or_else(|_| "C:\\Windows".into());
        Ok(std::path::Path::new(&root).join("explorer.exe"))
    }
    #[cfg(target_os = "macos")]
    {
        Ok(std::path::PathBuf::from("/usr/bin/open"))
    }
    #[cfg(not(any(windows, target_os = "macos")))]
    {
        crate::process::system_tool("xdg-open").ok_or_else(|| "xdg-open is not installed".into())
    }
}

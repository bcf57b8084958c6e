//! Linux probes: sysfs and procfs, the desktop's own settings (GSettings,
//! `kscreenlockerrc`), and system services over D-Bus (firewalld,
//! PackageKit, NetworkManager). Everything is read as the agent's user.

pub mod antivirus;
mod bus;
pub mod disk;
pub mod firewall;
pub mod network;
pub mod screen_lock;
pub mod secure_boot;
pub mod signals;
pub mod updates;

use std::path::PathBuf;

/// Where the probes look. Production reads the real system; tests point
/// `root` at a made-up sysfs/procfs/etc tree and `system_bus` at a private
/// bus with the services they start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Environment {
    /// Prefix for `/sys`, `/proc`, `/etc`, `/run` paths.
    pub root: PathBuf,
    /// A D-Bus address for the system bus; None: the system bus.
    pub system_bus: Option<String>,
    /// `XDG_CURRENT_DESKTOP`.
    pub desktop: String,
    /// `XDG_CONFIG_HOME` (or `~/.config`): KDE's `kscreenlockerrc`.
    pub config_home: PathBuf,
}

impl Environment {
    pub fn from_process() -> Self {
        Self {
            root: PathBuf::from("/"),
            system_bus: None,
            desktop: std::env::var("XDG_CURRENT_DESKTOP").unwrap_or_default(),
            config_home: dirs::config_dir().unwrap_or_else(|| PathBuf::from("/nonexistent")),
        }
    }

    /// `path` (absolute) under `root`.
    pub fn path(&self, path: &str) -> PathBuf {
        self.root.join(path.trim_start_matches('/'))
    }

    /// A connection to the system bus (or the test's). Release builds
    /// ignore `DBUS_SYSTEM_BUS_ADDRESS`: the agent sets their own
    /// environment, and a bus of their own could answer for
    /// NetworkManager or PackageKit.
    pub fn system_bus(&self) -> Result<dbus::blocking::Connection, String> {
        let address = self
            .system_bus
            .clone()
            .unwrap_or_else(crate::system_bus::address);
        crate::system_bus::connect_to(&address).map_err(|e| format!("{address}: {e}"))
    }
}

pub fn probes(env: &Environment) -> super::Probes {
    super::Probes {
        disk_encryption: Box::new(disk::DiskProbe::new(env.clone())),
        firewall: Box::new(firewall::FirewallProbe::new(env.clone())),
        screen_lock: Box::new(screen_lock::ScreenLockProbe::new(env.clone())),
        os_updates: Box::new(updates::UpdatesProbe::new(env.clone())),
        antivirus: Box::new(antivirus::AntivirusProbe::new(env.clone())),
        wifi: Box::new(network::WifiProbe::new(env.clone())),
        vpn: Box::new(network::VpnProbe::new(env.clone())),
        secure_boot: Box::new(secure_boot::SecureBootProbe::new(env.clone())),
    }
}

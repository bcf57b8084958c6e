//! How the agent fixes each check, on this OS and desktop: a few plain
//! steps and, where the OS has one, the settings page the "Open settings"
//! button opens. The app opens only targets from this table (the window
//! names a check, never a command).

use super::{CheckId, Fix, Platform};

/// A few words for the tray menu.
pub fn summary(id: CheckId) -> &'static str {
    match id {
        CheckId::DiskEncryption => "Encrypt this computer's disk",
        CheckId::Firewall => "Turn on the firewall",
        CheckId::ScreenLock => "Turn on the screen lock",
        CheckId::OsUpdates => "Install security updates",
        CheckId::Antivirus => "Turn on antivirus",
        CheckId::Wifi => "Use a protected Wi-Fi",
        CheckId::Vpn => "Connect the company VPN",
        CheckId::SecureBoot => "Turn on Secure Boot",
    }
}

/// What the "Open settings" button starts: a URI the OS opens, or one of
/// a few known programs with fixed arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettingsTarget {
    Uri(&'static str),
    Program(&'static str, &'static [&'static str]),
}

impl SettingsTarget {
    fn describe(&self) -> String {
        match self {
            SettingsTarget::Uri(u) => (*u).to_string(),
            SettingsTarget::Program(p, args) => std::iter::once(*p)
                .chain(args.iter().copied())
                .collect::<Vec<_>>()
                .join(" "),
        }
    }
}

/// The settings page for a check, if the OS has one.
pub fn settings_target(id: CheckId, platform: Platform) -> Option<(SettingsTarget, &'static str)> {
    use CheckId::*;
    use Platform::*;
    use SettingsTarget::{Program as P, Uri as U};
    let t = match (platform, id) {
        (Windows, DiskEncryption) => (U("ms-settings:deviceencryption"), "Open device encryption"),
        (Windows, Firewall) => (U("windowsdefender://network/"), "Open firewall settings"),
        (Windows, ScreenLock) => (U("ms-settings:lockscreen"), "Open lock screen settings"),
        (Windows, OsUpdates) => (U("ms-settings:windowsupdate"), "Open Windows Update"),
        (Windows, Antivirus) => (U("windowsdefender://threat/"), "Open virus protection"),
        (Windows, Wifi) => (U("ms-settings:network-wifi"), "Open Wi-Fi settings"),
        (Windows, Vpn) => (U("ms-settings:network-vpn"), "Open VPN settings"),
        (Macos, DiskEncryption) => (
            U("x-apple.systempreferences:com.apple.preference.security?FileVault"),
            "Open FileVault settings",
        ),
        (Macos, Firewall) => (
            U("x-apple.systempreferences:com.apple.preference.security?Firewall"),
            "Open firewall settings",
        ),
        (Macos, ScreenLock) => (
            U("x-apple.systempreferences:com.apple.Lock-Screen-Settings.extension"),
            "Open lock screen settings",
        ),
        (Macos, OsUpdates) => (
            U("x-apple.systempreferences:com.apple.preferences.softwareupdate"),
            "Open Software Update",
        ),
        (Macos, Wifi) => (
            U("x-apple.systempreferences:com.apple.wifi-settings-extension"),
            "Open Wi-Fi settings",
        ),
        (Macos, Vpn) => (
            U("x-apple.systempreferences:com.apple.NetworkExtensionSettingsUI.NESettingsUIExtension"),
            "Open VPN settings",
        ),
        (Gnome, ScreenLock) => (P("gnome-control-center", &["privacy"]), "Open screen lock settings"),
        (Gnome, OsUpdates) => (P("gnome-software", &["--mode=updates"]), "Open Software updates"),
        (Gnome, Wifi) => (P("gnome-control-center", &["wifi"]), "Open Wi-Fi settings"),
        (Gnome, Vpn) => (P("gnome-control-center", &["network"]), "Open network settings"),
        (Gnome, SecureBoot) => (
            P("gnome-control-center", &["firmware-security"]),
            "Open device security",
        ),
        (Kde, ScreenLock) => (P("systemsettings", &["kcm_screenlocker"]), "Open screen locking settings"),
        (Kde, OsUpdates) => (P("plasma-discover", &["--mode", "update"]), "Open Discover updates"),
        (Kde, Firewall) => (P("systemsettings", &["kcm_firewall"]), "Open firewall settings"),
        (Kde, Wifi | Vpn) => (P("systemsettings", &["kcm_networkmanagement"]), "Open connections"),
        _ => return None,
    };
    Some(t)
}

fn steps(id: CheckId, platform: Platform, observed: &str) -> Vec<&'static str> {
    use CheckId::*;
    use Platform::*;
    match (id, platform) {
        (DiskEncryption, Windows) if observed == "bitlocker_suspended" => vec![
            "Open Control Panel > BitLocker Drive Encryption.",
            "Next to the system drive (C:), choose Resume protection.",
        ],
        (DiskEncryption, Windows) => vec![
            "Open Settings > Privacy & security > Device encryption (or Control Panel > BitLocker Drive Encryption).",
            "Turn encryption on for the system drive (C:) and keep the recovery key where IT tells you.",
            "Leave the computer on and plugged in until encryption finishes.",
        ],
        (DiskEncryption, Macos) => vec![
            "Open System Settings > Privacy & Security > FileVault.",
            "Choose Turn On and keep the recovery key where IT tells you.",
        ],
        (DiskEncryption, _) if observed == "swap_plain" => vec![
            "Swap on an unencrypted partition can hold pieces of customers' data.",
            "Ask IT to move swap into the encrypted volume or to encrypted swap (or zram).",
        ],
        (DiskEncryption, _) => vec![
            "Linux can only encrypt the system disk when it is installed: ask IT for an encrypted installation (LUKS).",
            "Until then, do not keep customers' data on this computer.",
        ],
        (Firewall, Windows) => vec![
            "Open Windows Security > Firewall & network protection.",
            "Turn the firewall on for the network marked (active).",
        ],
        (Firewall, Macos) => vec![
            "Open System Settings > Network > Firewall.",
            "Turn the firewall on.",
        ],
        (Firewall, Kde) => vec![
            "Open System Settings > Firewall and turn it on (it asks for an administrator's password).",
        ],
        (Firewall, _) => vec![
            "Turn the firewall on (an administrator's password is needed): run `sudo ufw enable`, or `sudo systemctl enable --now firewalld` where firewalld is installed.",
            "If you cannot, ask IT.",
        ],
        (ScreenLock, Windows) => vec![
            "Open Settings > Accounts > Sign-in options and set \"If you've been away, when should Windows require you to sign in again?\" to \"When PC wakes up from sleep\".",
            "Open Settings > Personalization > Lock screen > Screen saver, choose a screen saver, a wait of 15 minutes or less, and tick \"On resume, display logon screen\".",
        ],
        (ScreenLock, Macos) => vec![
            "Open System Settings > Lock Screen.",
            "Set \"Start Screen Saver when inactive\" to 15 minutes or less and \"Require password after screen saver begins\" to Immediately.",
        ],
        (ScreenLock, Gnome) => vec![
            "Open Settings > Privacy > Screen Lock (Settings > Privacy & Security > Screen Lock on newer GNOME).",
            "Turn Automatic Screen Lock on and set the blank screen delay and lock delay to 15 minutes or less together.",
        ],
        (ScreenLock, Kde) => vec![
            "Open System Settings > Screen Locking (Workspace Behavior).",
            "Tick \"Lock screen automatically\" and set it to 15 minutes or less.",
        ],
        (ScreenLock, LinuxOther) => vec![
            "Set your desktop's screen saver to lock the screen after 15 minutes or less.",
            "Veil cannot read this desktop's setting; ask IT whether Veil's own shield counts instead.",
        ],
        (OsUpdates, Windows) => vec![
            "Open Settings > Windows Update and choose Check for updates.",
            "Install what it offers and restart when asked.",
        ],
        (OsUpdates, Macos) => vec![
            "Open System Settings > General > Software Update.",
            "Install the update and turn on automatic updates.",
        ],
        (OsUpdates, Gnome) => vec!["Open Software > Updates, install the updates and restart when asked."],
        (OsUpdates, Kde) => vec!["Open Discover > Updates, install the updates and restart when asked."],
        (OsUpdates, LinuxOther) if observed == "automatic_updates_off" => vec![
            "Turn on automatic security updates: `sudo dpkg-reconfigure -plow unattended-upgrades` (answer Yes).",
        ],
        (OsUpdates, LinuxOther) => vec![
            "Install the updates: `sudo apt update && sudo apt upgrade` (or your system's update tool).",
        ],
        (Antivirus, Windows) => vec![
            "Open Windows Security > Virus & threat protection.",
            "Turn real-time protection on, then choose Protection updates > Check for updates.",
        ],
        (Antivirus, _) => vec![
            "The antivirus your organization requires is not running: restart the computer, and tell IT if it is still off.",
        ],
        (Wifi, _) => vec![
            "Change your router's Wi-Fi security to WPA2 or WPA3 with a strong password (see the router's label or manual).",
            "Or use a network cable, or your phone's hotspot with WPA2 or WPA3, for work.",
        ],
        (Vpn, _) => vec![
            "Connect the company VPN before taking calls (the VPN app, or the network menu).",
            "If it does not connect, tell IT.",
        ],
        (SecureBoot, _) => vec![
            "Restart the computer and open its firmware (UEFI) settings (usually F2, F10, F12 or Del at start).",
            "Turn Secure Boot on, save and restart. If you are not sure, ask IT: a wrong firmware setting can stop the computer from starting.",
        ],
    }
}

/// The fix for a check that is not passing.
pub fn fix(id: CheckId, platform: Platform, observed: &str) -> Fix {
    let target = settings_target(id, platform);
    Fix {
        steps: steps(id, platform, observed)
            .into_iter()
            .map(String::from)
            .collect(),
        settings: target.as_ref().map(|(t, _)| t.describe()),
        settings_label: target.map(|(_, label)| label.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_check_has_steps_on_every_platform() {
        for id in CheckId::ALL {
            for p in [
                Platform::Windows,
                Platform::Macos,
                Platform::Gnome,
                Platform::Kde,
                Platform::LinuxOther,
            ] {
                let f = fix(id, p, "");
                assert!(!f.steps.is_empty(), "{id:?} {p:?}");
                assert_eq!(f.settings.is_some(), f.settings_label.is_some());
            }
        }
    }

    #[test]
    fn the_desktop_decides_the_settings_page() {
        assert_eq!(
            fix(CheckId::ScreenLock, Platform::Gnome, "lock_off")
                .settings
                .as_deref(),
            Some("gnome-control-center privacy")
        );
        assert_eq!(
            fix(CheckId::ScreenLock, Platform::Kde, "lock_off")
                .settings
                .as_deref(),
            Some("systemsettings kcm_screenlocker")
        );
        assert_eq!(
            fix(CheckId::ScreenLock, Platform::LinuxOther, "").settings,
            None
        );
        assert!(fix(
            CheckId::DiskEncryption,
            Platform::Windows,
            "bitlocker_suspended"
        )
        .steps[1]
            .contains("Resume"));
    }
}

//! How the agent fixes each check, on this OS and desktop: a few plain
//! steps and, where the OS has one, the settings page the "Open settings"
//! button opens. The app opens only targets from this table (the window
//! names a check, never a command). The words are in the catalogs
//! (locales/<lang>/posture.ftl).

use super::{CheckId, Fix, Platform};
use crate::i18n::{Language, Message};

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
pub fn settings_target(id: CheckId, platform: Platform) -> Option<(SettingsTarget, Message)> {
    use CheckId::*;
    use Platform::*;
    use SettingsTarget::{Program as P, Uri as U};
    let t = match (platform, id) {
        (Windows, DiskEncryption) => (U("ms-settings:deviceencryption"), Message::new("check-open-device-encryption")),
        (Windows, Firewall) => (U("windowsdefender://network/"), Message::new("check-open-firewall")),
        (Windows, ScreenLock) => (U("ms-settings:lockscreen"), Message::new("check-open-lock-screen")),
        (Windows, OsUpdates) => (U("ms-settings:windowsupdate"), Message::new("check-open-windows-update")),
        (Windows, Antivirus) => (U("windowsdefender://threat/"), Message::new("check-open-virus-protection")),
        (Windows, Wifi) => (U("ms-settings:network-wifi"), Message::new("check-open-wifi")),
        (Windows, Vpn) => (U("ms-settings:network-vpn"), Message::new("check-open-vpn")),
        (Macos, DiskEncryption) => (
            U("x-apple.systempreferences:com.apple.preference.security?FileVault"),
            Message::new("check-open-filevault"),
        ),
        (Macos, Firewall) => (
            U("x-apple.systempreferences:com.apple.preference.security?Firewall"),
            Message::new("check-open-firewall"),
        ),
        (Macos, ScreenLock) => (
            U("x-apple.systempreferences:com.apple.Lock-Screen-Settings.extension"),
            Message::new("check-open-lock-screen"),
        ),
        (Macos, OsUpdates) => (
            U("x-apple.systempreferences:com.apple.preferences.softwareupdate"),
            Message::new("check-open-software-update"),
        ),
        (Macos, Wifi) => (
            U("x-apple.systempreferences:com.apple.wifi-settings-extension"),
            Message::new("check-open-wifi"),
        ),
        (Macos, Vpn) => (
            U("x-apple.systempreferences:com.apple.NetworkExtensionSettingsUI.NESettingsUIExtension"),
            Message::new("check-open-vpn"),
        ),
        (Gnome, ScreenLock) => (P("gnome-control-center", &["privacy"]), Message::new("check-open-screen-lock")),
        (Gnome, OsUpdates) => (P("gnome-software", &["--mode=updates"]), Message::new("check-open-gnome-software")),
        (Gnome, Wifi) => (P("gnome-control-center", &["wifi"]), Message::new("check-open-wifi")),
        (Gnome, Vpn) => (P("gnome-control-center", &["network"]), Message::new("check-open-network")),
        (Gnome, SecureBoot) => (
            P("gnome-control-center", &["firmware-security"]),
            Message::new("check-open-device-security"),
        ),
        (Kde, ScreenLock) => (P("systemsettings", &["kcm_screenlocker"]), Message::new("check-open-screen-locking")),
        (Kde, OsUpdates) => (P("plasma-discover", &["--mode", "update"]), Message::new("check-open-discover")),
        (Kde, Firewall) => (P("systemsettings", &["kcm_firewall"]), Message::new("check-open-firewall")),
        (Kde, Wifi | Vpn) => (P("systemsettings", &["kcm_networkmanagement"]), Message::new("check-open-connections")),
        _ => return None,
    };
    Some(t)
}

fn steps(id: CheckId, platform: Platform, observed: &str) -> Vec<Message> {
    use CheckId::*;
    use Platform::*;
    match (id, platform) {
        (DiskEncryption, Windows) if observed == "bitlocker_suspended" => vec![
            Message::new("check-disk-encryption-fix-windows-suspended-1"),
            Message::new("check-disk-encryption-fix-windows-suspended-2"),
        ],
        (DiskEncryption, Windows) => vec![
            Message::new("check-disk-encryption-fix-windows-1"),
            Message::new("check-disk-encryption-fix-windows-2"),
            Message::new("check-disk-encryption-fix-windows-3"),
        ],
        (DiskEncryption, Macos) => vec![
            Message::new("check-disk-encryption-fix-macos-1"),
            Message::new("check-disk-encryption-fix-macos-2"),
        ],
        (DiskEncryption, _) if observed == "swap_plain" => vec![
            Message::new("check-disk-encryption-fix-linux-swap-1"),
            Message::new("check-disk-encryption-fix-linux-swap-2"),
        ],
        (DiskEncryption, _) => vec![
            Message::new("check-disk-encryption-fix-linux-1"),
            Message::new("check-disk-encryption-fix-linux-2"),
        ],
        (Firewall, Windows) => vec![
            Message::new("check-firewall-fix-windows-1"),
            Message::new("check-firewall-fix-windows-2"),
        ],
        (Firewall, Macos) => vec![
            Message::new("check-firewall-fix-macos-1"),
            Message::new("check-firewall-fix-macos-2"),
        ],
        (Firewall, Kde) => vec![Message::new("check-firewall-fix-kde")],
        (Firewall, _) => vec![
            Message::new("check-firewall-fix-linux-1"),
            Message::new("check-firewall-fix-linux-2"),
        ],
        (ScreenLock, Windows) => vec![
            Message::new("check-screen-lock-fix-windows-1"),
            Message::new("check-screen-lock-fix-windows-2"),
        ],
        (ScreenLock, Macos) => vec![
            Message::new("check-screen-lock-fix-macos-1"),
            Message::new("check-screen-lock-fix-macos-2"),
        ],
        (ScreenLock, Gnome) => vec![
            Message::new("check-screen-lock-fix-gnome-1"),
            Message::new("check-screen-lock-fix-gnome-2"),
        ],
        (ScreenLock, Kde) => vec![
            Message::new("check-screen-lock-fix-kde-1"),
            Message::new("check-screen-lock-fix-kde-2"),
        ],
        (ScreenLock, LinuxOther) => vec![
            Message::new("check-screen-lock-fix-linux-1"),
            Message::new("check-screen-lock-fix-linux-2"),
        ],
        (OsUpdates, Windows) => vec![
            Message::new("check-os-updates-fix-windows-1"),
            Message::new("check-os-updates-fix-windows-2"),
        ],
        (OsUpdates, Macos) => vec![
            Message::new("check-os-updates-fix-macos-1"),
            Message::new("check-os-updates-fix-macos-2"),
        ],
        (OsUpdates, Gnome) => vec![Message::new("check-os-updates-fix-gnome")],
        (OsUpdates, Kde) => vec![Message::new("check-os-updates-fix-kde")],
        (OsUpdates, LinuxOther) if observed == "automatic_updates_off" => {
            vec![Message::new("check-os-updates-fix-linux-automatic")]
        }
        (OsUpdates, LinuxOther) => vec![Message::new("check-os-updates-fix-linux")],
        (Antivirus, Windows) => vec![
            Message::new("check-antivirus-fix-windows-1"),
            Message::new("check-antivirus-fix-windows-2"),
        ],
        (Antivirus, _) => vec![Message::new("check-antivirus-fix-other")],
        (Wifi, _) => vec![
            Message::new("check-wifi-fix-1"),
            Message::new("check-wifi-fix-2"),
        ],
        (Vpn, _) => vec![
            Message::new("check-vpn-fix-1"),
            Message::new("check-vpn-fix-2"),
        ],
        (SecureBoot, _) => vec![
            Message::new("check-secure-boot-fix-1"),
            Message::new("check-secure-boot-fix-2"),
        ],
    }
}

/// The fix for a check that is not passing.
pub fn fix(id: CheckId, platform: Platform, observed: &str) -> Fix {
    let target = settings_target(id, platform);
    let step_messages = steps(id, platform, observed);
    Fix {
        steps: step_messages.iter().map(|m| m.text(Language::En)).collect(),
        settings: target.as_ref().map(|(t, _)| t.describe()),
        settings_label: target.as_ref().map(|(_, label)| label.text(Language::En)),
        step_messages,
        settings_label_message: target.map(|(_, label)| label),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLATFORMS: [Platform; 5] = [
        Platform::Windows,
        Platform::Macos,
        Platform::Gnome,
        Platform::Kde,
        Platform::LinuxOther,
    ];

    #[test]
    fn every_check_has_steps_on_every_platform() {
        for id in CheckId::ALL {
            for p in PLATFORMS {
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

    #[test]
    fn the_steps_and_the_button_are_in_the_agents_language() {
        let f = fix(CheckId::ScreenLock, Platform::Gnome, "lock_off");
        let es: Vec<String> = f
            .step_messages
            .iter()
            .map(|m| m.text(Language::Es))
            .collect();
        assert_eq!(
            es,
            [
                "Abre Configuración > Privacidad > Bloqueo de pantalla (Configuración > Privacidad y seguridad > Bloqueo de pantalla en las versiones más recientes de GNOME).",
                "Activa el bloqueo automático de la pantalla y ajusta el retardo para apagar la pantalla y el del bloqueo para que juntos sumen 15 minutos o menos.",
            ]
        );
        assert_eq!(
            f.settings_label_message
                .map(|m| m.text(Language::Es))
                .as_deref(),
            Some("Abrir los ajustes del bloqueo de pantalla")
        );
        // JSON keeps the English words, the same as the messages in English.
        assert_eq!(
            f.steps[0],
            "Open Settings > Privacy > Screen Lock (Settings > Privacy & Security > Screen Lock on newer GNOME)."
        );
        assert_eq!(
            f.settings_label.as_deref(),
            Some("Open screen lock settings")
        );
        for id in CheckId::ALL {
            for p in PLATFORMS {
                let f = fix(id, p, "");
                for (step, m) in f.steps.iter().zip(&f.step_messages) {
                    assert_eq!(*step, m.text(Language::En));
                    assert_ne!(m.text(Language::Es), *step, "{id:?} {p:?}: not in Spanish");
                }
            }
        }
    }
}

# The device checks of "This computer": each check's name and why it
# matters, what a run found, why it could not tell, and how to fix it.
# Shared by the Rust side (notifications, problems) and the windows (the
# card). `veil status --json` keeps these English words in its text fields.
# Arguments ($reason, $error, $device, ...) are what the OS or a probe
# reported, in English; $after and $max are durations (check-duration-*).

## The checks
check-disk-encryption-title = Disk encryption
check-disk-encryption-why = If this laptop is lost or stolen, an encrypted disk keeps customers' data unreadable.
check-firewall-title = Firewall
check-firewall-why = A home network is less protected than the office; a personal firewall keeps others on it out of this computer.
check-screen-lock-title = Screen lock
check-screen-lock-why = A screen that locks itself keeps family and visitors from seeing customers' data when you step away.
check-os-updates-title = Security updates
check-os-updates-why = Security updates close the holes attackers use; a computer that handles card numbers must have them.
check-antivirus-title = Antivirus
check-antivirus-why = Your organization requires its antivirus to run on every computer used for customer work.
check-wifi-title = Wi-Fi security
check-wifi-why = An open or WEP Wi-Fi lets anyone nearby join your network and watch its traffic.
check-vpn-title = VPN
check-vpn-why = Your organization's systems must be reached through its VPN, so work traffic stays encrypted.
check-secure-boot-title = Secure Boot
check-secure-boot-why = Secure Boot stops malware that loads before the operating system, where nothing else can see it.

## When a check cannot tell, or does not apply
check-could-not-check = Veil could not check this: { $reason }.
check-does-not-apply = Does not apply: { $reason }.

## Durations
check-duration-hours =
    { $count ->
        [one] 1 hour
       *[other] { $count } hours
    }
check-duration-minutes =
    { $count ->
        [one] 1 minute
       *[other] { $count } minutes
    }
check-duration-seconds =
    { $count ->
        [one] 1 second
       *[other] { $count } seconds
    }
check-duration-two = { $first } { $second }
check-duration-three = { $first } { $second } { $third }

## Disk encryption
check-disk-encryption-zfs = The system disk uses ZFS native encryption.
check-disk-encryption-luks = The system disk is encrypted (LUKS).
check-disk-encryption-swap-plain = The system disk is encrypted but swap is not: memory written to swap can be read from a stolen disk.
check-disk-encryption-fscrypt-only = Some folders are encrypted (fscrypt), but the system disk is not, so other files and swap are readable from a stolen disk.
check-disk-encryption-none = The disk holding the system is not encrypted.
check-disk-encryption-bitlocker-on = BitLocker protects the system drive.
check-disk-encryption-bitlocker-encrypting = BitLocker is still encrypting the system drive; this passes once it finishes.
check-disk-encryption-bitlocker-suspended = BitLocker is suspended on the system drive, so the disk is readable without the key.
check-disk-encryption-bitlocker-decrypting = BitLocker is being turned off on the system drive.
check-disk-encryption-bitlocker-waiting = BitLocker is waiting for activation: the drive is encrypted but its key is not protected yet.
check-disk-encryption-bitlocker-off = BitLocker is off on the system drive.
check-disk-encryption-filevault-on = FileVault is on.
check-disk-encryption-filevault-encrypting = FileVault is still encrypting the disk; this passes once it finishes.
check-disk-encryption-filevault-decrypting = FileVault is being turned off.
check-disk-encryption-filevault-off = FileVault is off, so the disk is readable if this Mac is stolen.
check-disk-encryption-reason-zfs = the ZFS dataset's encryption property could not be read
# $fs: the file system type of / (ext4, overlay, ...).
check-disk-encryption-reason-root-not-block = the device holding / (a { $fs } file system) is not a block device Veil can follow
check-disk-encryption-reason-root-unknown-fs = the device holding / (a unknown file system) is not a block device Veil can follow
check-disk-encryption-reason-unlisted = the block device { $device } (or one it is built on) is not listed under /sys/class/block
check-disk-encryption-reason-bitlocker-unreported = Windows did not report BitLocker's state for the system drive
check-disk-encryption-reason-bitlocker-unfamiliar = Windows reported an unfamiliar BitLocker state ({ $state })
check-disk-encryption-reason-fdesetup-failed = fdesetup could not be run
check-disk-encryption-reason-fdesetup-unknown = fdesetup's answer was not one Veil knows

## Firewall
check-firewall-firewalld-accepts-all = firewalld runs, but its default zone lets every connection in.
check-firewall-firewalld-running = firewalld is running and filters incoming connections.
check-firewall-firewalld-stopped = firewalld is installed but not running.
check-firewall-ufw-inactive = ufw is set to on, but its service is not running.
check-firewall-ufw-configured = ufw is configured to be on (its rules need administrator rights to read, so Veil cannot verify them).
check-firewall-ufw-off = ufw is installed but turned off.
check-firewall-windows-on = A firewall protects every active network profile.
check-firewall-windows-off = The firewall is off for at least one active network profile.
check-firewall-macos-on = The macOS firewall is on.
check-firewall-macos-off = The macOS firewall is off.
check-firewall-reason-firewalld-error = firewalld did not answer: { $error }
check-firewall-reason-none-installed = neither firewalld nor ufw is installed, and other firewalls' rules cannot be read without administrator rights
check-firewall-reason-windows-unreported = neither Windows Security Center nor Windows Firewall reported a state
check-firewall-reason-macos-unread = the application firewall's state could not be read

## Screen lock
check-screen-lock-on = The screen locks after { $after } of inactivity.
check-screen-lock-too-late = The screen locks only after { $after } of inactivity; your organization asks for { $max } or less.
check-screen-lock-veil-shield = Veil's privacy shield covers the screen and locks the session after { $after } away.
check-screen-lock-gnome-lockdown = Locking the screen is disabled on this computer (GNOME lockdown).
check-screen-lock-gnome-off = GNOME's automatic screen lock is off.
check-screen-lock-gnome-never-blanks = The screen never blanks, so GNOME never locks it.
check-screen-lock-kde-off = KDE's automatic screen lock is off.
check-screen-lock-kde-timeout-zero = KDE never locks the screen on its own (timeout 0).
check-screen-lock-windows-off = Windows does not lock on its own: no inactivity limit and no password-protected screen saver.
check-screen-lock-macos-no-password = The Mac does not ask for a password after the screen saver starts.
check-screen-lock-macos-no-screen-saver = The screen saver never starts on its own.
check-screen-lock-reason-macos-unread = the screen lock settings could not be read
check-screen-lock-reason-no-desktop = no desktop was recognized (XDG_CURRENT_DESKTOP is empty)
check-screen-lock-reason-unknown-desktop = Veil cannot read the screen lock settings of this desktop ({ $desktop })

## Security updates
check-os-updates-security-pending =
    { $count ->
        [one] 1 security update is waiting to be installed.
       *[other] { $count } security updates are waiting to be installed.
    }
# $days: more than 14.
check-os-updates-stale = This computer has not looked for updates in { $days } days, so it cannot know what it is missing.
check-os-updates-linux-automatic-off = No security updates are pending, but automatic security updates (unattended-upgrades) are off.
check-os-updates-only-other-pending = No security updates are pending ({ $count } other updates are available).
check-os-updates-none-pending = No updates are pending.
# $build and $min: Windows build numbers (19045).
check-os-updates-windows-too-old = Windows is at build { $build }; your organization requires { $min } or later.
check-os-updates-windows-automatic = Windows installs updates automatically.
check-os-updates-windows-automatic-off = Automatic updates are turned off for Windows.
check-os-updates-macos-too-old = macOS is at { $version }; your organization requires { $min } or later.
check-os-updates-macos-version = macOS { $version }.
check-os-updates-reason-no-packagekit = PackageKit is not installed, so pending updates cannot be listed
check-os-updates-reason-packagekit-error = PackageKit did not answer: { $error }
check-os-updates-reason-windows-build = Windows did not report its build number
check-os-updates-reason-windows-update-unread = Windows Update's settings could not be read
check-os-updates-reason-macos-version = the macOS version could not be read

## Antivirus
check-antivirus-on = Antivirus is on and up to date.
check-antivirus-signatures-stale = Antivirus is on, but its virus definitions are out of date.
check-antivirus-off = No antivirus is turned on.
check-antivirus-running = The required antivirus is running.
check-antivirus-not-running = The antivirus your organization requires is not running.
check-antivirus-not-named = your organization names no antivirus for this system
check-antivirus-reason-wsc-none = Windows Security Center reported no antivirus (it may not run on this edition)
check-antivirus-reason-processes-unlisted = the running programs could not be listed

## Wi-Fi and VPN
# $security: the standard's name (WPA3, WPA2, WPA2-Enterprise, Enhanced Open (OWE)).
check-wifi-protected = The Wi-Fi is protected with { $security }.
check-wifi-weak-wpa1 = The Wi-Fi this computer uses is protected with the old WPA: anyone nearby can join it or read its traffic.
check-wifi-weak-wep = The Wi-Fi this computer uses is protected with WEP, which can be broken in minutes: anyone nearby can join it or read its traffic.
check-wifi-weak-open = The Wi-Fi this computer uses is protected with no password (open): anyone nearby can join it or read its traffic.
check-wifi-not-connected = this computer is not connected to Wi-Fi
check-wifi-reason-no-networkmanager = NetworkManager is not running
check-wifi-reason-windows-location = Windows needs location permission for Veil before it tells which Wi-Fi security is in use
check-wifi-reason-windows-unfamiliar = Windows reported an unfamiliar Wi-Fi security ({ $value })
check-wifi-reason-macos-location = macOS needs location permission for Veil to see the Wi-Fi security
check-wifi-reason-macos-unfamiliar = macOS reported an unfamiliar Wi-Fi security ({ $value })
check-vpn-connected = The company VPN is connected.
check-vpn-down = The company VPN is not connected.
check-vpn-not-required = your organization does not require a VPN
check-vpn-reason-no-way-to-tell = NetworkManager is not running and the policy names no VPN interface (posture.vpn_interfaces)

## Secure Boot
check-secure-boot-on = Secure Boot is on.
check-secure-boot-off = Secure Boot is off in the firmware settings.
check-secure-boot-legacy = This computer starts in legacy (BIOS) mode, which has no Secure Boot.
check-secure-boot-windows-legacy = Windows starts in legacy (BIOS) mode, which has no Secure Boot.
check-secure-boot-unsupported = The firmware does not offer Secure Boot.
check-secure-boot-reason-efi-error = the SecureBoot EFI variable could not be read: { $error }
check-secure-boot-reason-efi-unexpected = the SecureBoot EFI variable has an unexpected value
check-secure-boot-reason-windows-unreported = Windows did not report the Secure Boot state
check-secure-boot-apple-silicon = Apple silicon Macs always start only signed macOS
check-secure-boot-reason-intel-mac = reading the Secure Boot policy of an Intel Mac needs administrator rights

## How to fix it: the steps, by check and system
check-disk-encryption-fix-windows-suspended-1 = Open Control Panel > BitLocker Drive Encryption.
check-disk-encryption-fix-windows-suspended-2 = Next to the system drive (C:), choose Resume protection.
check-disk-encryption-fix-windows-1 = Open Settings > Privacy & security > Device encryption (or Control Panel > BitLocker Drive Encryption).
check-disk-encryption-fix-windows-2 = Turn encryption on for the system drive (C:) and keep the recovery key where IT tells you.
check-disk-encryption-fix-windows-3 = Leave the computer on and plugged in until encryption finishes.
check-disk-encryption-fix-macos-1 = Open System Settings > Privacy & Security > FileVault.
check-disk-encryption-fix-macos-2 = Choose Turn On and keep the recovery key where IT tells you.
check-disk-encryption-fix-linux-swap-1 = Swap on an unencrypted partition can hold pieces of customers' data.
check-disk-encryption-fix-linux-swap-2 = Ask IT to move swap into the encrypted volume or to encrypted swap (or zram).
check-disk-encryption-fix-linux-1 = Linux can only encrypt the system disk when it is installed: ask IT for an encrypted installation (LUKS).
check-disk-encryption-fix-linux-2 = Until then, do not keep customers' data on this computer.
check-firewall-fix-windows-1 = Open Windows Security > Firewall & network protection.
check-firewall-fix-windows-2 = Turn the firewall on for the network marked (active).
check-firewall-fix-macos-1 = Open System Settings > Network > Firewall.
check-firewall-fix-macos-2 = Turn the firewall on.
check-firewall-fix-kde = Open System Settings > Firewall and turn it on (it asks for an administrator's password).
check-firewall-fix-linux-1 = Turn the firewall on (an administrator's password is needed): run `sudo ufw enable`, or `sudo systemctl enable --now firewalld` where firewalld is installed.
check-firewall-fix-linux-2 = If you cannot, ask IT.
check-screen-lock-fix-windows-1 = Open Settings > Accounts > Sign-in options and set "If you've been away, when should Windows require you to sign in again?" to "When PC wakes up from sleep".
check-screen-lock-fix-windows-2 = Open Settings > Personalization > Lock screen > Screen saver, choose a screen saver, a wait of 15 minutes or less, and tick "On resume, display logon screen".
check-screen-lock-fix-macos-1 = Open System Settings > Lock Screen.
check-screen-lock-fix-macos-2 = Set "Start Screen Saver when inactive" to 15 minutes or less and "Require password after screen saver begins" to Immediately.
check-screen-lock-fix-gnome-1 = Open Settings > Privacy > Screen Lock (Settings > Privacy & Security > Screen Lock on newer GNOME).
check-screen-lock-fix-gnome-2 = Turn Automatic Screen Lock on and set the blank screen delay and lock delay to 15 minutes or less together.
check-screen-lock-fix-kde-1 = Open System Settings > Screen Locking (Workspace Behavior).
check-screen-lock-fix-kde-2 = Tick "Lock screen automatically" and set it to 15 minutes or less.
check-screen-lock-fix-linux-1 = Set your desktop's screen saver to lock the screen after 15 minutes or less.
check-screen-lock-fix-linux-2 = Veil cannot read this desktop's setting; ask IT whether Veil's own shield counts instead.
check-os-updates-fix-windows-1 = Open Settings > Windows Update and choose Check for updates.
check-os-updates-fix-windows-2 = Install what it offers and restart when asked.
check-os-updates-fix-macos-1 = Open System Settings > General > Software Update.
check-os-updates-fix-macos-2 = Install the update and turn on automatic updates.
check-os-updates-fix-gnome = Open Software > Updates, install the updates and restart when asked.
check-os-updates-fix-kde = Open Discover > Updates, install the updates and restart when asked.
check-os-updates-fix-linux-automatic = Turn on automatic security updates: `sudo dpkg-reconfigure -plow unattended-upgrades` (answer Yes).
check-os-updates-fix-linux = Install the updates: `sudo apt update && sudo apt upgrade` (or your system's update tool).
check-antivirus-fix-windows-1 = Open Windows Security > Virus & threat protection.
check-antivirus-fix-windows-2 = Turn real-time protection on, then choose Protection updates > Check for updates.
check-antivirus-fix-other = The antivirus your organization requires is not running: restart the computer, and tell IT if it is still off.
check-wifi-fix-1 = Change your router's Wi-Fi security to WPA2 or WPA3 with a strong password (see the router's label or manual).
check-wifi-fix-2 = Or use a network cable, or your phone's hotspot with WPA2 or WPA3, for work.
check-vpn-fix-1 = Connect the company VPN before taking calls (the VPN app, or the network menu).
check-vpn-fix-2 = If it does not connect, tell IT.
check-secure-boot-fix-1 = Restart the computer and open its firmware (UEFI) settings (usually F2, F10, F12 or Del at start).
check-secure-boot-fix-2 = Turn Secure Boot on, save and restart. If you are not sure, ask IT: a wrong firmware setting can stop the computer from starting.

## The "Open settings" button
check-open-device-encryption = Open device encryption
check-open-firewall = Open firewall settings
check-open-lock-screen = Open lock screen settings
check-open-windows-update = Open Windows Update
check-open-virus-protection = Open virus protection
check-open-wifi = Open Wi-Fi settings
check-open-vpn = Open VPN settings
check-open-filevault = Open FileVault settings
check-open-software-update = Open Software Update
check-open-screen-lock = Open screen lock settings
check-open-gnome-software = Open Software updates
check-open-network = Open network settings
check-open-device-security = Open device security
check-open-screen-locking = Open screen locking settings
check-open-discover = Open Discover updates
check-open-connections = Open connections

//! Windows backends against the real Win32 APIs: run under Wine by
//! `scripts/test-windows.sh` (and on a real Windows machine by `cargo
//! test`). Each test says what it proves. What Wine cannot exercise is
//! listed in the README's Windows tier.
//!
//! Tests write the registry values their probe then reads (in the test's
//! Wine prefix, or the machine's registry on Windows: under keys only these
//! tests use, removed again), and some start a copy of this test program
//! as a second process (`child_*` tests, which do nothing unless their
//! environment variable is set).
#![cfg(windows)]

use std::process::{Command, Stdio};
use std::time::Duration;

use windows::core::{s, w, PCWSTR};
use windows::Win32::System::LibraryLoader::{GetModuleHandleW, GetProcAddress};
use windows::Win32::System::Registry::{
    RegCloseKey, RegCreateKeyExW, RegDeleteTreeW, RegSetValueExW, HKEY, HKEY_CURRENT_USER,
    HKEY_LOCAL_MACHINE, KEY_ALL_ACCESS, REG_BINARY, REG_DWORD, REG_MULTI_SZ,
    REG_OPTION_NON_VOLATILE, REG_QWORD, REG_SZ, REG_VALUE_TYPE,
};

// ------------------------------------------------------------------ helpers

fn wide(s: &str) -> Vec<u16> {
    s.encode_utf16().chain(std::iter::once(0)).collect()
}

/// Whether this runs under Wine (ntdll exports wine_get_version there).
fn under_wine() -> bool {
    // SAFETY: ntdll is mapped into every process; the names are literals.
    unsafe {
        GetModuleHandleW(w!("ntdll.dll"))
            .ok()
            .and_then(|m| GetProcAddress(m, s!("wine_get_version")))
            .is_some()
    }
}

enum Value<'a> {
    Dword(u32),
    Qword(u64),
    Sz(&'a str),
    MultiSz(&'a [&'a str]),
    Binary(&'a [u8]),
}

fn set(root: HKEY, path: &str, name: &str, value: Value) {
    let (kind, data): (REG_VALUE_TYPE, Vec<u8>) = match value {
        Value::Dword(v) => (REG_DWORD, v.to_le_bytes().to_vec()),
        Value::Qword(v) => (REG_QWORD, v.to_le_bytes().to_vec()),
        Value::Sz(s) => (REG_SZ, units_bytes(&wide(s))),
        Value::MultiSz(items) => {
            let mut units: Vec<u16> = Vec::new();
            for i in items {
                units.extend(i.encode_utf16());
                units.push(0);
            }
            units.push(0);
            (REG_MULTI_SZ, units_bytes(&units))
        }
        Value::Binary(b) => (REG_BINARY, b.to_vec()),
    };
    let wpath = wide(path);
    let wname = wide(name);
    let mut key = HKEY::default();
    // SAFETY: the strings are NUL-terminated and outlive the calls; the key
    // is closed below.
    unsafe {
        let rc = RegCreateKeyExW(
            root,
            PCWSTR(wpath.as_ptr()),
            None,
            None,
            REG_OPTION_NON_VOLATILE,
            KEY_ALL_ACCESS,
            None,
            &mut key,
            None,
        );
        assert!(rc.is_ok(), "create {path}: {rc:?}");
        let rc = RegSetValueExW(key, PCWSTR(wname.as_ptr()), None, kind, Some(&data));
        assert!(rc.is_ok(), "set {path}\\{name}: {rc:?}");
        let _ = RegCloseKey(key);
    }
}

fn units_bytes(units: &[u16]) -> Vec<u8> {
    units.iter().flat_map(|u| u.to_le_bytes()).collect()
}

/// Removes a key and everything under it (absent is fine).
fn remove(root: HKEY, path: &str) {
    let wpath = wide(path);
    // SAFETY: the path is NUL-terminated and outlives the call.
    let _ = unsafe { RegDeleteTreeW(root, PCWSTR(wpath.as_ptr())) };
    // RegDeleteTreeW empties the key; the key itself goes with its parent.
    let (parent, leaf) = path.rsplit_once('\\').unwrap_or(("", path));
    let wparent = wide(parent);
    let wleaf = wide(leaf);
    let mut key = HKEY::default();
    use windows::Win32::System::Registry::{RegDeleteKeyW, RegOpenKeyExW};
    // SAFETY: as above; the parent key is closed below.
    unsafe {
        if RegOpenKeyExW(
            root,
            PCWSTR(wparent.as_ptr()),
            None,
            KEY_ALL_ACCESS,
            &mut key,
        )
        .is_ok()
        {
            let _ = RegDeleteKeyW(key, PCWSTR(wleaf.as_ptr()));
            let _ = RegCloseKey(key);
        }
    }
}

/// This test program again, running only `test`, with `env` set.
fn child(test: &str, env: (&str, &str)) -> Command {
    let mut c = Command::new(std::env::current_exe().unwrap());
    c.args([test, "--exact", "--nocapture", "--test-threads=1"])
        .env(env.0, env.1);
    c
}

// ------------------------------------------------------------------ camera

mod camera {
    use super::*;
    use veil_core::camera::{Trust, UseKind};
    use veil_os::camera::{connect, CameraConfig};

    const STORE: &str =
        r"Software\Microsoft\Windows\CurrentVersion\CapabilityAccessManager\ConsentStore";
    const HOLD: &str = "VEIL_TEST_CAMERA_HOLD";

    /// A program that "uses the camera": waits until its stdin closes.
    #[test]
    fn child_holder() {
        if std::env::var_os(HOLD).is_none() {
            return;
        }
        let mut rest = String::new();
        let _ = std::io::Read::read_to_string(&mut std::io::stdin(), &mut rest);
    }

    /// Proves: a consent store entry Windows writes for a desktop program
    /// (NonPackaged, `C:#Program Files#...`, LastUsedTimeStart set, Stop 0)
    /// is reported as that running program's use, with its pid and path,
    /// as Verified (under Program Files); the use ends when
    /// LastUsedTimeStop is set. And: without the sensor activity monitor
    /// (Wine has no mfsensorgroup.dll; Windows before 2004 neither) the
    /// detector starts and reports that source as failed, with the reason.
    #[test]
    fn consent_store_names_the_running_program_and_a_missing_sensor_monitor_is_a_failed_source() {
        let dir = r"C:\Program Files\VeilTest";
        let exe = format!(r"{dir}\camera-holder.exe");
        std::fs::create_dir_all(dir).unwrap();
        std::fs::copy(std::env::current_exe().unwrap(), &exe).unwrap();
        let mut holder = Command::new(&exe)
            .args(["camera::child_holder", "--exact", "--test-threads=1"])
            .env(HOLD, "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let cam = format!(r"{STORE}\webcam\NonPackaged\{}", exe.replace('\\', "#"));
        let mic = format!(r"{STORE}\microphone\NonPackaged\{}", exe.replace('\\', "#"));
        // A FILETIME in 2025.
        let start = 133_800_000_000_000_000u64;
        for key in [&cam, &mic] {
            set(
                HKEY_CURRENT_USER,
                key,
                "LastUsedTimeStart",
                Value::Qword(start),
            );
            set(HKEY_CURRENT_USER, key, "LastUsedTimeStop", Value::Qword(0));
        }

        let mut monitor = connect(
            &CameraConfig {
                device_pattern: String::new(),
            },
            Box::new(|| {}),
        );
        let scan = monitor.scan();
        let store = scan.sources.iter().find(|s| s.name == "consent_store");
        assert!(store.is_some_and(|s| s.ok), "{:?}", scan.sources);
        let sensor = scan
            .sources
            .iter()
            .find(|s| s.name == "sensor_monitor")
            .unwrap();
        if under_wine() {
            assert!(!sensor.ok, "{sensor:?}");
            let why = sensor.message.as_deref().unwrap_or("");
            assert!(why.contains("mfsensorgroup.dll"), "{why}");
        }
        for kind in [UseKind::Camera, UseKind::Microphone] {
            let found = scan
                .uses
                .iter()
                .find(|u| u.kind == kind && u.pid == holder.id());
            let u = found.unwrap_or_else(|| panic!("{kind:?} use of {exe}: {:?}", scan.uses));
            assert!(u.exe.eq_ignore_ascii_case(&exe), "{u:?}");
            assert_eq!(u.trust, Trust::Verified, "{u:?}");
        }

        // The program stopped using the camera: Windows sets the stop time.
        set(
            HKEY_CURRENT_USER,
            &cam,
            "LastUsedTimeStop",
            Value::Qword(start + 1),
        );
        let scan = monitor.scan();
        assert!(
            !scan
                .uses
                .iter()
                .any(|u| u.kind == UseKind::Camera && u.pid == holder.id()),
            "{:?}",
            scan.uses
        );
        assert!(scan
            .uses
            .iter()
            .any(|u| u.kind == UseKind::Microphone && u.pid == holder.id()));

        drop(holder.stdin.take());
        let _ = holder.wait();
        // The program ended: its entry no longer names a running process.
        let scan = monitor.scan();
        assert!(!scan.uses.iter().any(|u| u.exe.eq_ignore_ascii_case(&exe)));
        drop(monitor);
        remove(HKEY_CURRENT_USER, &cam);
        remove(HKEY_CURRENT_USER, &mic);
        let _ = std::fs::remove_file(&exe);
    }
}

// ------------------------------------------------------------------ secrets

mod secrets {
    use super::*;
    use veil_os::secrets::{load_or_create, Fallback, KeyStorage, OsCredentialStore, SecretStore};

    const READ: &str = "VEIL_TEST_SECRET_ACCOUNT";

    /// Reads the account's secret in its own process and prints it.
    #[test]
    fn child_reader() {
        let Some(account) = std::env::var_os(READ) else {
            return;
        };
        let got = OsCredentialStore.get(&account.to_string_lossy()).unwrap();
        println!("secret={}", got.unwrap_or_else(|| "<none>".into()));
    }

    /// Proves: the store's key goes into Credential Manager (CredWriteW
    /// through the keyring crate), another process of the same user reads
    /// it back, and a missing entry is "none", not an error (so Veil makes
    /// a key only when there is none).
    #[test]
    fn credential_manager_keeps_the_key_across_processes() {
        let account = format!("store-key:veil-wine-test-{}", std::process::id());
        assert_eq!(OsCredentialStore.get(&account).unwrap(), None);

        let dir = tempfile::tempdir().unwrap();
        let key_file = dir.path().join("store.key");
        let made = load_or_create(
            &OsCredentialStore,
            &account,
            &key_file,
            Fallback::Refuse,
            true,
        )
        .unwrap();
        assert!(made.created);
        assert_eq!(made.storage, KeyStorage::CredentialStore);
        assert!(!key_file.exists());
        let again = load_or_create(
            &OsCredentialStore,
            &account,
            &key_file,
            Fallback::Refuse,
            false,
        )
        .unwrap();
        assert!(!again.created);
        assert_eq!(again.key.bytes(), made.key.bytes());

        let hex: String = made
            .key
            .bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let out = child("secrets::child_reader", (READ, &account))
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{text}");
        assert!(text.contains(&format!("secret={hex}")), "{text}");

        let other = format!("{account}-never-set");
        let out = child("secrets::child_reader", (READ, &other))
            .output()
            .unwrap();
        assert!(String::from_utf8_lossy(&out.stdout).contains("secret=<none>"));
        // Veil never deletes a key; the test removes its own.
        let _ = keyring::Entry::new("veil", &account).and_then(|e| e.delete_credential());
    }
}

// ------------------------------------------------------------------ idle

mod idle {
    use std::time::Duration;

    use windows::Win32::UI::Input::KeyboardAndMouse::{
        SendInput, INPUT, INPUT_0, INPUT_MOUSE, MOUSEEVENTF_MOVE, MOUSEINPUT,
    };

    fn nudge_mouse() {
        let input = INPUT {
            r#type: INPUT_MOUSE,
            Anonymous: INPUT_0 {
                mi: MOUSEINPUT {
                    dx: 1,
                    dy: 0,
                    dwFlags: MOUSEEVENTF_MOVE,
                    ..Default::default()
                },
            },
        };
        // SAFETY: one initialized INPUT, its size as the API asks.
        let sent = unsafe { SendInput(&[input], std::mem::size_of::<INPUT>() as i32) };
        assert_eq!(sent, 1);
    }

    /// Proves: the Windows idle source (GetLastInputInfo) sees input: a
    /// mouse move from SendInput resets idle time, which then grows.
    #[test]
    fn input_resets_idle_time_which_then_grows() {
        let mut source = veil_os::idle::source();
        assert_eq!(source.name(), "windows");
        std::thread::sleep(Duration::from_millis(1200));
        nudge_mouse();
        let fresh = source.idle().unwrap();
        assert!(fresh < Duration::from_millis(500), "{fresh:?}");
        std::thread::sleep(Duration::from_millis(1500));
        let later = source.idle().unwrap();
        assert!(later >= Duration::from_millis(1000), "{later:?}");
        assert!(later < Duration::from_secs(10), "{later:?}");
        nudge_mouse();
        assert!(source.idle().unwrap() < later);
    }
}

// ------------------------------------------------------------------ posture

mod posture {
    use super::*;
    use veil_core::posture::{CheckId, CheckResult, PostureConfig};
    use veil_os::posture::windows::probes;

    const MACHINE_POLICY: &str = r"SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System";
    const DESKTOP_POLICY: &str = r"Software\Policies\Microsoft\Windows\Control Panel\Desktop";
    const DESKTOP: &str = r"Control Panel\Desktop";
    const AU: &str = r"SOFTWARE\Policies\Microsoft\Windows\WindowsUpdate\AU";
    const VERSION: &str = r"SOFTWARE\Microsoft\Windows NT\CurrentVersion";
    const SECURE_BOOT: &str = r"SYSTEM\CurrentControlSet\Control\SecureBoot\State";
    const CONTROL: &str = r"SYSTEM\CurrentControlSet\Control";

    fn delete_value(root: HKEY, path: &str, name: &str) {
        use windows::Win32::System::Registry::RegDeleteKeyValueW;
        let (p, n) = (wide(path), wide(name));
        // SAFETY: NUL-terminated strings that outlive the call.
        let _ = unsafe { RegDeleteKeyValueW(root, PCWSTR(p.as_ptr()), PCWSTR(n.as_ptr())) };
    }

    fn screen_lock() -> veil_core::posture::Observation {
        probes()
            .screen_lock
            .screen_lock(Duration::from_secs(15 * 60))
    }

    /// Proves: the screen lock probe reads the machine inactivity limit
    /// (`InactivityTimeoutSecs`) and the screen saver values (the user's,
    /// with group policy's over them), with their real registry types
    /// (DWORD, and REG_SZ numbers as the Control Panel writes them).
    #[test]
    fn screen_lock_reads_the_inactivity_limit_and_the_screen_saver() {
        delete_value(HKEY_LOCAL_MACHINE, MACHINE_POLICY, "InactivityTimeoutSecs");
        remove(HKEY_CURRENT_USER, DESKTOP_POLICY);
        for name in [
            "ScreenSaveActive",
            "SCRNSAVE.EXE",
            "ScreenSaverIsSecure",
            "ScreenSaveTimeOut",
        ] {
            delete_value(HKEY_CURRENT_USER, DESKTOP, name);
        }
        let o = screen_lock();
        assert_eq!(
            (o.result, o.observed.as_str()),
            (CheckResult::Fail, "lock_off"),
            "{o:?}"
        );

        set(
            HKEY_LOCAL_MACHINE,
            MACHINE_POLICY,
            "InactivityTimeoutSecs",
            Value::Dword(300),
        );
        let o = screen_lock();
        assert_eq!(
            (o.result, o.observed.as_str()),
            (CheckResult::Pass, "lock_on"),
            "{o:?}"
        );
        assert!(o.detail.contains("5 minutes"), "{o:?}");
        set(
            HKEY_LOCAL_MACHINE,
            MACHINE_POLICY,
            "InactivityTimeoutSecs",
            Value::Dword(3600),
        );
        let o = screen_lock();
        assert_eq!(o.observed, "lock_too_late", "{o:?}");
        delete_value(HKEY_LOCAL_MACHINE, MACHINE_POLICY, "InactivityTimeoutSecs");

        set(
            HKEY_CURRENT_USER,
            DESKTOP,
            "ScreenSaveActive",
            Value::Sz("1"),
        );
        set(
            HKEY_CURRENT_USER,
            DESKTOP,
            "SCRNSAVE.EXE",
            Value::Sz(r"C:\Windows\system32\scrnsave.scr"),
        );
        set(
            HKEY_CURRENT_USER,
            DESKTOP,
            "ScreenSaverIsSecure",
            Value::Sz("1"),
        );
        set(
            HKEY_CURRENT_USER,
            DESKTOP,
            "ScreenSaveTimeOut",
            Value::Sz("600"),
        );
        let o = screen_lock();
        assert_eq!(
            (o.result, o.observed.as_str()),
            (CheckResult::Pass, "lock_on"),
            "{o:?}"
        );
        assert!(o.detail.contains("10 minutes"), "{o:?}");
        // Group policy's timeout wins over the user's.
        set(
            HKEY_CURRENT_USER,
            DESKTOP_POLICY,
            "ScreenSaveTimeOut",
            Value::Sz("120"),
        );
        let o = screen_lock();
        assert!(o.detail.contains("2 minutes"), "{o:?}");
        // A screen saver that does not ask for the password does not lock.
        set(
            HKEY_CURRENT_USER,
            DESKTOP_POLICY,
            "ScreenSaverIsSecure",
            Value::Sz("0"),
        );
        let o = screen_lock();
        assert_eq!(o.observed, "lock_off", "{o:?}");
        // "(None)" chosen: no program, no screen saver.
        remove(HKEY_CURRENT_USER, DESKTOP_POLICY);
        set(HKEY_CURRENT_USER, DESKTOP, "SCRNSAVE.EXE", Value::Sz(""));
        let o = screen_lock();
        assert_eq!(o.observed, "lock_off", "{o:?}");
        for name in [
            "ScreenSaveActive",
            "SCRNSAVE.EXE",
            "ScreenSaverIsSecure",
            "ScreenSaveTimeOut",
        ] {
            delete_value(HKEY_CURRENT_USER, DESKTOP, name);
        }
    }

    fn read_sz(root: HKEY, path: &str, name: &str) -> Option<String> {
        use windows::Win32::System::Registry::{RegGetValueW, RRF_RT_REG_SZ};
        let (p, n) = (wide(path), wide(name));
        let mut buf = vec![0u16; 256];
        let mut len = (buf.len() * 2) as u32;
        // SAFETY: buf is writable for len bytes; strings outlive the call.
        let rc = unsafe {
            RegGetValueW(
                root,
                PCWSTR(p.as_ptr()),
                PCWSTR(n.as_ptr()),
                RRF_RT_REG_SZ,
                None,
                Some(buf.as_mut_ptr().cast()),
                Some(&mut len),
            )
        };
        rc.is_ok().then(|| {
            let n = buf.iter().position(|c| *c == 0).unwrap_or(buf.len());
            String::from_utf16_lossy(&buf[..n])
        })
    }

    /// Proves: the update probe reads Windows Update's group policy
    /// (`NoAutoUpdate`, `AUOptions`) and the build number
    /// (`CurrentBuildNumber`, REG_SZ) against `posture.min_windows_build`.
    #[test]
    fn updates_read_the_windows_update_policy_and_the_build() {
        let updates = |min: u32| {
            let config = PostureConfig {
                min_windows_build: min,
                ..PostureConfig::default()
            };
            probes().os_updates.os_updates(&config)
        };
        set(HKEY_LOCAL_MACHINE, AU, "NoAutoUpdate", Value::Dword(1));
        let o = updates(0);
        assert_eq!(o.observed, "automatic_updates_off", "{o:?}");
        set(HKEY_LOCAL_MACHINE, AU, "NoAutoUpdate", Value::Dword(0));
        set(HKEY_LOCAL_MACHINE, AU, "AUOptions", Value::Dword(1));
        assert_eq!(updates(0).observed, "automatic_updates_off");
        set(HKEY_LOCAL_MACHINE, AU, "AUOptions", Value::Dword(4));
        let o = updates(0);
        assert_eq!(
            (o.result, o.observed.as_str()),
            (CheckResult::Pass, "up_to_date"),
            "{o:?}"
        );
        remove(HKEY_LOCAL_MACHINE, AU);

        let original = read_sz(HKEY_LOCAL_MACHINE, VERSION, "CurrentBuildNumber");
        set(
            HKEY_LOCAL_MACHINE,
            VERSION,
            "CurrentBuildNumber",
            Value::Sz("19045"),
        );
        let o = updates(22631);
        assert_eq!(o.observed, "os_too_old", "{o:?}");
        assert!(o.detail.contains("build 19045"), "{o:?}");
        // Without the policy, Windows 10 and later update automatically.
        let o = updates(19045);
        assert_eq!(o.observed, "up_to_date", "{o:?}");
        if let Some(b) = original {
            set(
                HKEY_LOCAL_MACHINE,
                VERSION,
                "CurrentBuildNumber",
                Value::Sz(&b),
            );
        }
    }

    /// Proves: the Secure Boot probe reads `UEFISecureBootEnabled` (on,
    /// off, absent: unknown) and the firmware type `PEFirmwareType` (BIOS:
    /// legacy boot, whatever the Secure Boot value). Under Wine only: the
    /// firmware value is what Windows itself writes at start.
    #[test]
    fn secure_boot_reads_the_registry_state() {
        let probe = || probes().secure_boot.secure_boot();
        let firmware = |kind| {
            if under_wine() {
                set(
                    HKEY_LOCAL_MACHINE,
                    CONTROL,
                    "PEFirmwareType",
                    Value::Dword(kind),
                );
            }
        };
        firmware(2);
        set(
            HKEY_LOCAL_MACHINE,
            SECURE_BOOT,
            "UEFISecureBootEnabled",
            Value::Dword(1),
        );
        let on = probe();
        set(
            HKEY_LOCAL_MACHINE,
            SECURE_BOOT,
            "UEFISecureBootEnabled",
            Value::Dword(0),
        );
        let off = probe();
        if under_wine() {
            firmware(1);
            let legacy = probe();
            assert_eq!(legacy.observed, "legacy_boot", "{legacy:?}");
            firmware(2);
        }
        remove(HKEY_LOCAL_MACHINE, SECURE_BOOT);
        let none = probe();
        assert_eq!(on.observed, "secure_boot_on", "{on:?}");
        assert_eq!(off.observed, "secure_boot_off", "{off:?}");
        assert_eq!(none.result, CheckResult::Unknown, "{none:?}");
    }

    /// Proves: every probe answers (a result, or unknown with a reason)
    /// and none takes the process down, even where Wine lacks the service
    /// (Security Center, Windows Firewall's COM policy, WLAN, BitLocker).
    #[test]
    fn every_probe_answers_without_crashing() {
        let config = PostureConfig::default();
        for (id, o) in probes().run(&config, None) {
            assert!(!o.observed.is_empty(), "{id:?}: {o:?}");
            if o.result == CheckResult::Unknown {
                assert!(o.reason.is_some(), "{id:?}: {o:?}");
            }
            println!("{id:?}: {:?} {} {:?}", o.result, o.observed, o.reason);
        }
        assert!(CheckId::ALL.len() >= 8);
    }
}

// ------------------------------------------------------------------ managed policy

mod registry {
    use super::*;
    use veil_os::registry::{read_text, read_value, RegValue, RegistryError};

    const KEY: &str = r"Software\Veil\RegistryReaderTest";

    /// Proves: the one-value reader the posture checks, the machine id and
    /// the Run entry share gives numbers and text with their types, None
    /// for a missing value or key, and a named error for a type it does not
    /// take (text asked of a number, a binary value), with that value's
    /// real type.
    #[test]
    fn one_value_is_read_with_its_type_and_a_wrong_type_is_named() {
        remove(HKEY_CURRENT_USER, KEY);
        assert_eq!(read_value(HKEY_CURRENT_USER, KEY, "Anything"), Ok(None));
        set(HKEY_CURRENT_USER, KEY, "Dword", Value::Dword(900));
        set(HKEY_CURRENT_USER, KEY, "Qword", Value::Qword(1 << 40));
        set(
            HKEY_CURRENT_USER,
            KEY,
            "Text",
            Value::Sz("C:\\Program Files\\Veil\\veil.exe"),
        );
        set(HKEY_CURRENT_USER, KEY, "Blob", Value::Binary(&[1, 2, 3]));
        assert_eq!(
            read_value(HKEY_CURRENT_USER, KEY, "Dword"),
            Ok(Some(RegValue::Number(900)))
        );
        assert_eq!(
            read_value(HKEY_CURRENT_USER, KEY, "Qword"),
            Ok(Some(RegValue::Number(1 << 40)))
        );
        assert_eq!(
            read_text(HKEY_CURRENT_USER, KEY, "Text"),
            Ok(Some("C:\\Program Files\\Veil\\veil.exe".into()))
        );
        assert_eq!(read_text(HKEY_CURRENT_USER, KEY, "Missing"), Ok(None));
        let wrong = read_text(HKEY_CURRENT_USER, KEY, "Dword").unwrap_err();
        assert!(matches!(wrong, RegistryError::UnexpectedType { .. }));
        assert!(
            wrong.to_string().contains("RegistryReaderTest\\Dword"),
            "{wrong}"
        );
        // The error names the type the value really has.
        assert!(matches!(
            wrong,
            RegistryError::UnexpectedType { kind: 4, .. }
        ));
        let wrong = read_text(HKEY_CURRENT_USER, KEY, "Qword").unwrap_err();
        assert!(
            matches!(wrong, RegistryError::UnexpectedType { kind: 11, .. }),
            "{wrong}"
        );
        let blob = read_value(HKEY_CURRENT_USER, KEY, "Blob").unwrap_err();
        assert!(
            matches!(blob, RegistryError::UnexpectedType { kind: 3, .. }),
            "{blob}"
        );
        remove(HKEY_CURRENT_USER, KEY);
    }
}

mod managed_policy {
    use super::*;
    use veil_core::settings::managed::{ManagedEntry, ManagedValue};

    const ROOT: &str = r"SOFTWARE\Policies\Veil";

    /// Proves: values Group Policy or Intune write under
    /// `HKLM\SOFTWARE\Policies\Veil` (sections as subkeys, a list as a
    /// subkey of numbered values) are read back with their registry types;
    /// a type no key takes is named, not dropped; no key is no policy.
    #[test]
    fn registry_policy_values_are_read_with_their_types() {
        remove(HKEY_LOCAL_MACHINE, ROOT);
        assert!(!veil_os::managed_policy::present());
        set(
            HKEY_LOCAL_MACHINE,
            ROOT,
            "privacy_required",
            Value::Dword(1),
        );
        set(
            HKEY_LOCAL_MACHINE,
            &format!(r"{ROOT}\shield"),
            "idle_seconds",
            Value::Dword(45),
        );
        set(
            HKEY_LOCAL_MACHINE,
            &format!(r"{ROOT}\store"),
            "max_bytes",
            Value::Qword(1 << 40),
        );
        set(
            HKEY_LOCAL_MACHINE,
            &format!(r"{ROOT}\store"),
            "key_fallback",
            Value::Sz("refuse"),
        );
        set(
            HKEY_LOCAL_MACHINE,
            &format!(r"{ROOT}\microphone"),
            "names",
            Value::MultiSz(&["Jabra*", "Poly*"]),
        );
        let list = format!(r"{ROOT}\microphone\approved_headsets");
        set(HKEY_LOCAL_MACHINE, &list, "1", Value::Sz("Jabra*"));
        set(HKEY_LOCAL_MACHINE, &list, "2", Value::Sz("Poly*"));
        set(
            HKEY_LOCAL_MACHINE,
            &format!(r"{ROOT}\shield"),
            "blob",
            Value::Binary(&[1, 2]),
        );

        let sets = veil_os::managed_policy::read();
        assert_eq!(sets.len(), 1);
        let set = &sets[0];
        assert_eq!(set.unreadable, None);
        let entry = |path: &[&str]| -> Option<&ManagedValue> {
            set.entries
                .iter()
                .find(|e: &&ManagedEntry| e.path == path)
                .map(|e| &e.value)
        };
        assert_eq!(entry(&["privacy_required"]), Some(&ManagedValue::Dword(1)));
        assert_eq!(
            entry(&["shield", "idle_seconds"]),
            Some(&ManagedValue::Dword(45))
        );
        assert_eq!(
            entry(&["store", "max_bytes"]),
            Some(&ManagedValue::Qword(1 << 40))
        );
        assert_eq!(
            entry(&["store", "key_fallback"]),
            Some(&ManagedValue::String("refuse".into()))
        );
        assert_eq!(
            entry(&["microphone", "names"]),
            Some(&ManagedValue::MultiString(vec![
                "Jabra*".into(),
                "Poly*".into()
            ]))
        );
        assert_eq!(
            entry(&["microphone", "approved_headsets", "2"]),
            Some(&ManagedValue::String("Poly*".into()))
        );
        assert!(
            matches!(entry(&["shield", "blob"]), Some(ManagedValue::Other(_))),
            "{:?}",
            entry(&["shield", "blob"])
        );
        assert_eq!(set.entries.len(), 8, "{:?}", set.entries);
        assert!(veil_os::managed_policy::present());

        remove(HKEY_LOCAL_MACHINE, ROOT);
        assert!(!veil_os::managed_policy::present());
    }
}

// ------------------------------------------------------------------ audio

mod audio {
    use std::ffi::c_void;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Mutex};

    use veil_core::mic::classify::headset_rules;
    use veil_core::mic::plan::Action;
    use windows::core::{implement, IUnknown, Interface, GUID, HRESULT};
    use windows::Win32::Foundation::{PROPERTYKEY, S_OK};
    use windows::Win32::Media::Audio::ERole;
    use windows::Win32::System::Com::{
        CoInitializeEx, CoRegisterClassObject, CoRevokeClassObject, IClassFactory,
        IClassFactory_Impl, CLSCTX_INPROC_SERVER, COINIT_MULTITHREADED, REGCLS_MULTIPLEUSE,
    };

    use super::*;

    // This test's own registration of Veil's policy-config interface. It
    // checks Veil's call path (the class it creates, the method it calls,
    // the endpoint id and the three roles), not Windows' private
    // implementation, which Wine lacks. Like Windows, it makes the endpoint
    // the default: here by writing winepulse's default-device values,
    // which Wine's MMDevice API reads and announces with
    // OnDefaultDeviceChanged.
    use veil_os::audio::policy_config::{
        IPolicyConfig, IPolicyConfig_Impl, CLSID_POLICY_CONFIG_CLIENT,
    };

    type Calls = Arc<Mutex<Vec<(String, i32)>>>;

    const WINEPULSE: &str = r"Software\Wine\Drivers\winepulse.drv";

    #[implement(IPolicyConfig)]
    struct TestPolicyConfig {
        calls: Calls,
    }

    const E_NOTIMPL: HRESULT = HRESULT(0x8000_4001_u32 as i32);

    #[allow(non_snake_case)]
    impl IPolicyConfig_Impl for TestPolicyConfig_Impl {
        unsafe fn GetMixFormat(&self, _: PCWSTR, _: *mut *mut c_void) -> HRESULT {
            E_NOTIMPL
        }
        unsafe fn GetDeviceFormat(&self, _: PCWSTR, _: i32, _: *mut *mut c_void) -> HRESULT {
            E_NOTIMPL
        }
        unsafe fn ResetDeviceFormat(&self, _: PCWSTR) -> HRESULT {
            E_NOTIMPL
        }
        unsafe fn SetDeviceFormat(&self, _: PCWSTR, _: *mut c_void, _: *mut c_void) -> HRESULT {
            E_NOTIMPL
        }
        unsafe fn GetProcessingPeriod(
            &self,
            _: PCWSTR,
            _: i32,
            _: *mut i64,
            _: *mut i64,
        ) -> HRESULT {
            E_NOTIMPL
        }
        unsafe fn SetProcessingPeriod(&self, _: PCWSTR, _: *mut i64) -> HRESULT {
            E_NOTIMPL
        }
        unsafe fn GetShareMode(&self, _: PCWSTR, _: *mut c_void) -> HRESULT {
            E_NOTIMPL
        }
        unsafe fn SetShareMode(&self, _: PCWSTR, _: *mut c_void) -> HRESULT {
            E_NOTIMPL
        }
        unsafe fn GetPropertyValue(
            &self,
            _: PCWSTR,
            _: i32,
            _: *const PROPERTYKEY,
            _: *mut c_void,
        ) -> HRESULT {
            E_NOTIMPL
        }
        unsafe fn SetPropertyValue(
            &self,
            _: PCWSTR,
            _: i32,
            _: *const PROPERTYKEY,
            _: *mut c_void,
        ) -> HRESULT {
            E_NOTIMPL
        }
        unsafe fn SetDefaultEndpoint(&self, device: PCWSTR, role: ERole) -> HRESULT {
            let id = unsafe { device.to_string() }.unwrap_or_default();
            self.calls.lock().unwrap().push((id.clone(), role.0));
            // eCommunications is the voice default; the others the default.
            let value = if role.0 == 2 {
                "DefaultVoiceInput"
            } else {
                "DefaultInput"
            };
            set(HKEY_CURRENT_USER, WINEPULSE, value, Value::Sz(&id));
            S_OK
        }
        unsafe fn SetEndpointVisibility(&self, _: PCWSTR, _: i32) -> HRESULT {
            E_NOTIMPL
        }
    }

    #[implement(IClassFactory)]
    struct Factory {
        calls: Calls,
    }

    impl IClassFactory_Impl for Factory_Impl {
        fn CreateInstance(
            &self,
            _outer: windows::core::Ref<IUnknown>,
            iid: *const GUID,
            object: *mut *mut c_void,
        ) -> windows::core::Result<()> {
            let unknown: IUnknown = TestPolicyConfig {
                calls: self.calls.clone(),
            }
            .into();
            // SAFETY: COM's contract: iid and object come from the caller.
            unsafe { unknown.query(iid, object).ok() }
        }
        fn LockServer(&self, _: windows::core::BOOL) -> windows::core::Result<()> {
            Ok(())
        }
    }

    /// Proves (with this test's registration of the policy-config class,
    /// see [`IPolicyConfig`]): Veil sets the headset as the default capture
    /// endpoint for all three roles through SetDefaultEndpoint with the
    /// endpoint's id; the default change is announced to Veil
    /// (OnDefaultDeviceChanged) and read back; and moving one program's
    /// recording, which Windows has no interface for, is reported as not
    /// supported rather than done or ignored.
    #[test]
    fn the_default_is_set_through_the_policy_config_call_and_the_change_is_told() {
        if std::env::var("VEIL_WINE_AUDIO").is_err() {
            println!("VEIL_WINE_AUDIO not set: skipped");
            return;
        }
        // SAFETY: COM on this thread (the multithreaded apartment Veil's
        // backend joins too).
        let _ = unsafe { CoInitializeEx(None, COINIT_MULTITHREADED) };
        let calls: Calls = Arc::default();
        let factory: IClassFactory = Factory {
            calls: calls.clone(),
        }
        .into();
        // SAFETY: a class object this process implements, revoked below.
        let cookie = unsafe {
            CoRegisterClassObject(
                &CLSID_POLICY_CONFIG_CLIENT,
                &factory,
                CLSCTX_INPROC_SERVER,
                REGCLS_MULTIPLEUSE,
            )
        }
        .unwrap();
        let told = Arc::new(AtomicUsize::new(0));
        let counter = told.clone();
        let mut backend = veil_os::audio::connect(Box::new(move || {
            counter.fetch_add(1, Ordering::SeqCst);
        }))
        .unwrap();
        let devices = backend.read().unwrap();
        let id_of = |name: &str| {
            let d = devices.inputs.iter().find(|d| d.name.contains(name));
            d.unwrap_or_else(|| panic!("no {name} endpoint")).id.clone()
        };
        let (headset, laptop) = (id_of("Jabra"), id_of("Built-in"));
        // Start from the laptop mic as the default, as Windows often does.
        set(
            HKEY_CURRENT_USER,
            WINEPULSE,
            "DefaultInput",
            Value::Sz(&laptop),
        );
        set(
            HKEY_CURRENT_USER,
            WINEPULSE,
            "DefaultVoiceInput",
            Value::Sz(&laptop),
        );
        let wait_for = |what: &str, done: &dyn Fn() -> bool| {
            let deadline = std::time::Instant::now() + Duration::from_secs(5);
            while !done() {
                assert!(std::time::Instant::now() < deadline, "timed out: {what}");
                std::thread::sleep(Duration::from_millis(50));
            }
        };
        wait_for("the laptop mic as the default", &|| {
            backend_default(&laptop)
        });
        // Wine's MMDevice API watches the key, handles a change, then
        // watches again: a write made while it is still handling the
        // laptop's is never seen (1 run in 4 of the whole tier missed it).
        std::thread::sleep(Duration::from_secs(1));
        let before = told.load(Ordering::SeqCst);

        let results = backend.apply(&[Action::SetDefault {
            input_id: headset.clone(),
        }]);
        assert!(results[0].1.is_ok(), "{results:?}");
        assert_eq!(
            *calls.lock().unwrap(),
            vec![
                (headset.clone(), 0),
                (headset.clone(), 1),
                (headset.clone(), 2)
            ],
            "SetDefaultEndpoint for eConsole, eMultimedia and eCommunications"
        );
        wait_for("the change told to Veil", &|| {
            told.load(Ordering::SeqCst) > before
        });
        assert_eq!(
            backend.read().unwrap().default_id.as_deref(),
            Some(headset.as_str())
        );

        let moved = backend.apply(&[Action::MoveStream {
            stream: 1,
            to_input_id: headset.clone(),
        }]);
        let err = moved[0].1.as_ref().unwrap_err().to_string();
        assert!(
            err.contains("cannot move one application's recording"),
            "{err}"
        );
        drop(backend);
        // SAFETY: the cookie CoRegisterClassObject gave.
        unsafe { CoRevokeClassObject(cookie) }.unwrap();
        remove(HKEY_CURRENT_USER, WINEPULSE);
    }

    /// Whether a fresh connection reads `id` as the default capture
    /// endpoint.
    fn backend_default(id: &str) -> bool {
        veil_os::audio::connect(Box::new(|| {}))
            .and_then(|mut b| b.read())
            .is_ok_and(|d| d.default_id.as_deref() == Some(id))
    }

    /// Proves (where the capture endpoints are known, as
    /// scripts/test-windows.sh sets them up through winepulse): the WASAPI
    /// backend connects without IPolicyConfig, lists the capture endpoints
    /// by name (property text through PropVariantToStringAlloc), and the
    /// policy's name rules pick the approved headset.
    #[test]
    fn capture_endpoints_are_listed_by_name_and_classified() {
        let Ok(expected) = std::env::var("VEIL_WINE_AUDIO") else {
            println!("VEIL_WINE_AUDIO not set: skipped");
            return;
        };
        let mut backend = veil_os::audio::connect(Box::new(|| {})).unwrap();
        assert_eq!(backend.kind(), "wasapi");
        let devices = backend.read().unwrap();
        let names: Vec<&str> = devices.inputs.iter().map(|d| d.name.as_str()).collect();
        for want in expected.split(';') {
            assert!(
                names.iter().any(|n| n.contains(want)),
                "{want} not in {names:?}"
            );
        }
        let rules = headset_rules(&["*Jabra*".to_string()]);
        let classified = devices.classified(&rules);
        let (_, headset) = classified
            .iter()
            .find(|(d, _)| d.name.contains("Jabra"))
            .unwrap();
        assert_eq!(headset.rank, Some(0), "{headset:?}");
        for (d, c) in &classified {
            println!("{} ({}): {:?} {:?}", d.name, d.id, c.class, c.because);
        }
    }
}

//! Start at sign-in on Windows. The installer writes the machine's value
//! (`HKLM\...\Run\Veil`, `veil.exe --autostart`), which starts Veil for
//! every account and which an agent cannot remove. An agent who turns
//! start at login off keeps that start, and Veil ends it at once (see
//! `veil --autostart`). Without the installer's value (a copied exe) the
//! per-user value starts Veil. One value, one start.

use std::io;

use windows::core::PCWSTR;
use windows::Win32::Foundation::{ERROR_FILE_NOT_FOUND, ERROR_SUCCESS};
use windows::Win32::System::Registry::{
    RegDeleteKeyValueW, RegSetKeyValueW, HKEY, HKEY_CURRENT_USER, HKEY_LOCAL_MACHINE, REG_SZ,
};

use crate::win_str::wide;

const RUN_KEY: &str = r"Software\Microsoft\Windows\CurrentVersion\Run";
pub const VALUE_NAME: &str = "Veil";

fn os_error(what: &str, code: u32) -> io::Error {
    io::Error::other(format!("{what} (error {code})"))
}

/// The `Run` value under `root`, or None when there is none.
fn read_run_value(root: HKEY) -> io::Result<Option<String>> {
    crate::registry::read_text(root, RUN_KEY, VALUE_NAME).map_err(io::Error::other)
}

/// Whether the installer's machine-wide value is there.
pub fn machine_value_exists() -> bool {
    matches!(read_run_value(HKEY_LOCAL_MACHINE), Ok(Some(_)))
}

/// Makes the per-user value match `wanted`. True when a per-user value that
/// was there had to go or be rewritten (someone else put it there).
pub fn apply(wanted: bool) -> io::Result<bool> {
    let exe = std::env::current_exe()?;
    let before = read_run_value(HKEY_CURRENT_USER)?;
    let (key, name) = (wide(RUN_KEY), wide(VALUE_NAME));
    match super::windows_user_value(wanted, machine_value_exists(), &exe) {
        None => {
            if before.is_none() {
                return Ok(false);
            }
            // SAFETY: NUL-terminated strings.
            let rc = unsafe {
                RegDeleteKeyValueW(
                    HKEY_CURRENT_USER,
                    PCWSTR(key.as_ptr()),
                    PCWSTR(name.as_ptr()),
                )
            };
            if rc != ERROR_SUCCESS && rc != ERROR_FILE_NOT_FOUND {
                return Err(os_error("the per-user Run value cannot be removed", rc.0));
            }
            Ok(true)
        }
        Some(text) => {
            if before.as_deref() == Some(text.as_str()) {
                return Ok(false);
            }
            let data = wide(&text);
            // SAFETY: data is a NUL-terminated UTF-16 string of the size given.
            let rc = unsafe {
                RegSetKeyValueW(
                    HKEY_CURRENT_USER,
                    PCWSTR(key.as_ptr()),
                    PCWSTR(name.as_ptr()),
                    REG_SZ.0,
                    Some(data.as_ptr().cast()),
                    (data.len() * 2) as u32,
                )
            };
            if rc != ERROR_SUCCESS {
                return Err(os_error("the per-user Run value cannot be written", rc.0));
            }
            Ok(before.is_some())
        }
    }
}

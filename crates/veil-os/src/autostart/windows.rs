//! Start at sign-in on Windows. The installer writes the machine's value
//! (`HKLM\...\Run\Veil`, `veil.exe --autostart`), which starts Veil for
//! every account and which an agent cannot remove. An agent who turns
//! start at login off keeps that start, and Veil ends it at once (see
//! `veil --autostart`). Without the installer's value (a copied exe) the
//! per-user value starts Veil. One value, one start.

use std::io;

use windows::core::PCWSTR;
use windows::Win32::Foundation::{ERROR_FILE_NOT_FOUND, ERROR_PATH_NOT_FOUND, ERROR_SUCCESS};
use windows::Win32::System::Registry::{
    RegDeleteKeyValueW, RegGetValueW, RegSetKeyValueW, HKEY, HKEY_CURRENT_USER, HKEY_LOCAL_MACHINE,
    REG_SZ, RRF_RT_REG_SZ, RRF_SUBKEY_WOW6464KEY,
};

const RUN_KEY: &str = r"Software\Microsoft\Windows\CurrentVersion\Run";
pub const VALUE_NAME: &str = "Veil";

fn wide(s: &str) -> Vec<u16> {
    s.encode_utf16().chain(std::iter::once(0)).collect()
}

fn os_error(what: &str, code: u32) -> io::Error {
    io::Error::other(format!("{what} (error {code})"))
}

/// The `Run` value under `root`, or None when there is none.
fn read_run_value(root: HKEY) -> io::Result<Option<String>> {
    let (key, name) = (wide(RUN_KEY), wide(VALUE_NAME));
    let mut buf = [0u16; 1024];
    let mut size = std::mem::size_of_val(&buf) as u32;
    // SAFETY: the strings are NUL-terminated; buf is writable for size bytes.
    let rc = unsafe {
        RegGetValueW(
            root,
            PCWSTR(key.as_ptr()),
            PCWSTR(name.as_ptr()),
            RRF_RT_REG_SZ | RRF_SUBKEY_WOW6464KEY,
            None,
            Some(buf.as_mut_ptr().cast()),
            Some(&mut size),
        )
    };
    if rc == ERROR_FILE_NOT_FOUND || rc == ERROR_PATH_NOT_FOUND {
        return Ok(None);
    }
    if rc != ERROR_SUCCESS {
        return Err(os_error(
            &format!("{RUN_KEY}\\{VALUE_NAME} cannot be read"),
            rc.0,
        ));
    }
    let units = (size as usize / 2).min(buf.len());
    let len = buf[..units].iter().position(|c| *c == 0).unwrap_or(units);
    Ok(Some(String::from_utf16_lossy(&buf[..len])))
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

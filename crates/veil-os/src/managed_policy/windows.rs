//! Group Policy and Intune write Veil's policy as values under
//! `HKLM\SOFTWARE\Policies\Veil` (the ADMX in `packaging/windows`): one
//! subkey per section, a subkey of values for a table or an ADMX list.
//! Every value is read with its type; `veil_core` decides what it means.
//! Only administrators and SYSTEM can write there.

use windows::core::{PCWSTR, PWSTR};
use windows::Win32::Foundation::{
    ERROR_FILE_NOT_FOUND, ERROR_MORE_DATA, ERROR_NO_MORE_ITEMS, WIN32_ERROR,
};
use windows::Win32::System::Registry::{
    RegCloseKey, RegEnumKeyExW, RegEnumValueW, RegOpenKeyExW, RegQueryInfoKeyW, HKEY,
    HKEY_LOCAL_MACHINE, KEY_READ, KEY_WOW64_64KEY,
};

use veil_core::settings::managed::{ManagedEntry, ManagedKind, ManagedSet, REGISTRY_ROOT};

use super::registry::decode;
use crate::win_str::wide;

const SUBKEY: &str = r"SOFTWARE\Policies\Veil";

/// Deepest path Veil uses is `posture\min_os_build` (two subkeys); a
/// deeper tree is not Veil's and is not walked without end.
const MAX_DEPTH: usize = 4;
/// More values than any policy has: a bound on a hostile or broken key.
const MAX_VALUES: usize = 2000;

pub fn read() -> ManagedSet {
    let unreadable =
        |why: String| ManagedSet::unreadable(ManagedKind::Registry, REGISTRY_ROOT, why);
    let root = match Key::open(HKEY_LOCAL_MACHINE, SUBKEY) {
        Ok(key) => key,
        // No policy deployed this way.
        Err(e) if e == ERROR_FILE_NOT_FOUND => {
            return ManagedSet::new(ManagedKind::Registry, REGISTRY_ROOT, Vec::new())
        }
        Err(e) => return unreadable(describe(e)),
    };
    let mut entries = Vec::new();
    match walk(&root, &mut Vec::new(), &mut entries) {
        Ok(()) => ManagedSet::new(ManagedKind::Registry, REGISTRY_ROOT, entries),
        Err(why) => unreadable(why),
    }
}

fn describe(e: WIN32_ERROR) -> String {
    format!(
        "{} (Windows error {})",
        windows::core::Error::from_hresult(e.to_hresult()).message(),
        e.0
    )
}

/// The full path of the key at `path`, for errors.
fn here(path: &[String]) -> String {
    let mut p = REGISTRY_ROOT.to_string();
    for part in path {
        p.push('\\');
        p.push_str(part);
    }
    p
}

fn walk(key: &Key, path: &mut Vec<String>, out: &mut Vec<ManagedEntry>) -> Result<(), String> {
    for (name, kind, data) in key
        .values()
        .map_err(|e| format!("{}: {}", here(path), describe(e)))?
    {
        if out.len() >= MAX_VALUES {
            return Err(format!("more than {MAX_VALUES} values"));
        }
        let mut p = path.clone();
        p.push(name);
        out.push(ManagedEntry {
            path: p,
            value: decode(kind, &data),
        });
    }
    if path.len() >= MAX_DEPTH {
        return Ok(());
    }
    for name in key
        .subkeys()
        .map_err(|e| format!("{}: {}", here(path), describe(e)))?
    {
        let sub = match Key::open(key.0, &name) {
            Ok(k) => k,
            // Removed between the listing and the opening.
            Err(e) if e == ERROR_FILE_NOT_FOUND => continue,
            Err(e) => return Err(format!("{}\\{name}: {}", here(path), describe(e))),
        };
        path.push(name);
        let walked = walk(&sub, path, out);
        path.pop();
        walked?;
    }
    Ok(())
}

struct Key(HKEY);

impl Drop for Key {
    fn drop(&mut self) {
        // SAFETY: a key we opened, closed once.
        let _ = unsafe { RegCloseKey(self.0) };
    }
}

impl Key {
    fn open(parent: HKEY, path: &str) -> Result<Key, WIN32_ERROR> {
        let mut key = HKEY::default();
        let w = wide(path);
        // SAFETY: w is NUL-terminated and outlives the call. The 64-bit
        // view, where Group Policy writes, also from a 32-bit build.
        let rc = unsafe {
            RegOpenKeyExW(
                parent,
                PCWSTR(w.as_ptr()),
                Some(0),
                KEY_READ | KEY_WOW64_64KEY,
                &mut key,
            )
        };
        if rc.is_err() {
            return Err(rc);
        }
        Ok(Key(key))
    }

    /// Longest value name (characters) and value data (bytes) now.
    fn sizes(&self) -> Result<(u32, u32), WIN32_ERROR> {
        let mut name = 0u32;
        let mut data = 0u32;
        // SAFETY: every out pointer is a live local.
        let rc = unsafe {
            RegQueryInfoKeyW(
                self.0,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                Some(&mut name),
                Some(&mut data),
                None,
                None,
            )
        };
        if rc.is_err() {
            return Err(rc);
        }
        Ok((name, data))
    }

    /// Every value: name, registry type and data.
    fn values(&self) -> Result<Vec<(String, u32, Vec<u8>)>, WIN32_ERROR> {
        let (max_name, max_data) = self.sizes()?;
        let mut name = vec![0u16; max_name as usize + 1];
        let mut data = vec![0u8; max_data as usize];
        let mut out = Vec::new();
        let mut index = 0u32;
        let mut retries = 0;
        loop {
            let mut name_len = name.len() as u32;
            let mut data_len = data.len() as u32;
            let mut kind = 0u32;
            // SAFETY: name and data are writable for the lengths passed.
            let rc = unsafe {
                RegEnumValueW(
                    self.0,
                    index,
                    Some(PWSTR(name.as_mut_ptr())),
                    &mut name_len,
                    None,
                    Some(&mut kind),
                    Some(data.as_mut_ptr()),
                    Some(&mut data_len),
                )
            };
            if rc == ERROR_NO_MORE_ITEMS {
                return Ok(out);
            }
            if rc == ERROR_MORE_DATA && retries < 4 {
                retries += 1;
                // A value grew since the sizes were asked: bigger buffers,
                // the same index again.
                name.resize(name.len().max(16_384), 0);
                data.resize((data.len() * 2).max(data_len as usize).max(4096), 0);
                continue;
            }
            if rc.is_err() {
                return Err(rc);
            }
            let n = (name_len as usize).min(name.len());
            let d = (data_len as usize).min(data.len());
            out.push((
                String::from_utf16_lossy(&name[..n]),
                kind,
                data[..d].to_vec(),
            ));
            index += 1;
            retries = 0;
        }
    }

    fn subkeys(&self) -> Result<Vec<String>, WIN32_ERROR> {
        let mut out = Vec::new();
        // Key names are at most 255 characters.
        let mut buf = vec![0u16; 256];
        for index in 0.. {
            let mut len = buf.len() as u32;
            // SAFETY: buf is writable for len characters.
            let rc = unsafe {
                RegEnumKeyExW(
                    self.0,
                    index,
                    Some(PWSTR(buf.as_mut_ptr())),
                    &mut len,
                    None,
                    None,
                    None,
                    None,
                )
            };
            if rc == ERROR_NO_MORE_ITEMS {
                break;
            }
            if rc.is_err() {
                return Err(rc);
            }
            out.push(String::from_utf16_lossy(
                &buf[..(len as usize).min(buf.len())],
            ));
        }
        Ok(out)
    }
}

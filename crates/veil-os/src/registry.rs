//! Reading one registry value, for the backends that need a single value
//! (posture's policy values, the machine id, the Run entry). The managed
//! policy reader enumerates whole keys and has its own walk.

use windows::core::PCWSTR;
use windows::Win32::Foundation::{ERROR_FILE_NOT_FOUND, ERROR_PATH_NOT_FOUND, ERROR_SUCCESS};
use windows::Win32::System::Registry::{
    RegGetValueW, HKEY, REG_DWORD, REG_EXPAND_SZ, REG_QWORD, REG_SZ, REG_VALUE_TYPE, RRF_NOEXPAND,
    RRF_RT_ANY, RRF_SUBKEY_WOW6464KEY,
};

use crate::win_str::wide;

/// A registry value as read, whatever its type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegValue {
    Text(String),
    Number(u64),
}

impl RegValue {
    /// DWORDs, and numbers kept as text (Control Panel\Desktop keeps its
    /// values as strings).
    pub fn number(&self) -> Option<u64> {
        match self {
            RegValue::Number(n) => Some(*n),
            RegValue::Text(t) => t.trim().parse().ok(),
        }
    }

    pub fn number_u32(&self) -> Option<u32> {
        self.number().and_then(|n| u32::try_from(n).ok())
    }

    pub fn is_empty_text(&self) -> bool {
        matches!(self, RegValue::Text(t) if t.trim().is_empty())
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RegistryError {
    #[error("{path}\\{name} cannot be read (error {code})")]
    Unreadable {
        path: String,
        name: String,
        code: u32,
    },
    #[error("{path}\\{name} has an unexpected type ({kind})")]
    UnexpectedType {
        path: String,
        name: String,
        kind: u32,
    },
}

/// One value; Ok(None) when the key or the value does not exist, Err when
/// it exists but cannot be read. HKLM is read in its 64-bit view (a 32-bit
/// build would otherwise see a copy). Text longer than 1,023 UTF-16 units
/// is an error: nothing Veil reads is that long.
pub fn read_value(root: HKEY, path: &str, name: &str) -> Result<Option<RegValue>, RegistryError> {
    Ok(read_typed(root, path, name)?.map(|(_, value)| value))
}

/// The value with the type it is stored as.
fn read_typed(
    root: HKEY,
    path: &str,
    name: &str,
) -> Result<Option<(REG_VALUE_TYPE, RegValue)>, RegistryError> {
    let (wpath, wname) = (wide(path), wide(name));
    let mut kind = REG_VALUE_TYPE::default();
    let mut buf = [0u16; 1024];
    let mut size = std::mem::size_of_val(&buf) as u32;
    // SAFETY: the strings are NUL-terminated; buf is writable for size bytes.
    let rc = unsafe {
        RegGetValueW(
            root,
            PCWSTR(wpath.as_ptr()),
            PCWSTR(wname.as_ptr()),
            RRF_RT_ANY | RRF_NOEXPAND | RRF_SUBKEY_WOW6464KEY,
            Some(&mut kind),
            Some(buf.as_mut_ptr().cast()),
            Some(&mut size),
        )
    };
    if rc == ERROR_FILE_NOT_FOUND || rc == ERROR_PATH_NOT_FOUND {
        return Ok(None);
    }
    if rc != ERROR_SUCCESS {
        return Err(RegistryError::Unreadable {
            path: path.into(),
            name: name.into(),
            code: rc.0,
        });
    }
    let units = (size as usize / 2).min(buf.len());
    let word = |i: usize| u64::from(buf[i]) << (16 * i);
    match kind {
        REG_DWORD if units >= 2 => Ok(Some((kind, RegValue::Number(word(0) | word(1))))),
        REG_QWORD if units >= 4 => Ok(Some((
            kind,
            RegValue::Number(word(0) | word(1) | word(2) | word(3)),
        ))),
        REG_SZ | REG_EXPAND_SZ => {
            let text = &buf[..units];
            let len = text.iter().position(|c| *c == 0).unwrap_or(text.len());
            Ok(Some((
                kind,
                RegValue::Text(String::from_utf16_lossy(&text[..len])),
            )))
        }
        other => Err(RegistryError::UnexpectedType {
            path: path.into(),
            name: name.into(),
            kind: other.0,
        }),
    }
}

/// A text value (REG_SZ or REG_EXPAND_SZ, unexpanded); any other type is
/// an error.
pub fn read_text(root: HKEY, path: &str, name: &str) -> Result<Option<String>, RegistryError> {
    match read_typed(root, path, name)? {
        None => Ok(None),
        Some((_, RegValue::Text(t))) => Ok(Some(t)),
        Some((kind, RegValue::Number(_))) => Err(RegistryError::UnexpectedType {
            path: path.into(),
            name: name.into(),
            kind: kind.0,
        }),
    }
}

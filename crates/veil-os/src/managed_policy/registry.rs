//! Registry values' bytes as Veil takes them. Plain decoding, built on every
//! OS so that it is tested on Linux; `windows.rs` does the reading.

use veil_core::settings::managed::ManagedValue;

pub const REG_NONE: u32 = 0;
pub const REG_SZ: u32 = 1;
pub const REG_EXPAND_SZ: u32 = 2;
pub const REG_BINARY: u32 = 3;
pub const REG_DWORD: u32 = 4;
pub const REG_DWORD_BIG_ENDIAN: u32 = 5;
pub const REG_LINK: u32 = 6;
pub const REG_MULTI_SZ: u32 = 7;
pub const REG_QWORD: u32 = 11;

/// One value's data as `RegEnumValueW` gave it, with its type.
pub fn decode(kind: u32, data: &[u8]) -> ManagedValue {
    match kind {
        REG_DWORD => match <[u8; 4]>::try_from(data) {
            Ok(b) => ManagedValue::Dword(u32::from_le_bytes(b)),
            Err(_) => malformed(kind, data),
        },
        REG_QWORD => match <[u8; 8]>::try_from(data) {
            Ok(b) => ManagedValue::Qword(u64::from_le_bytes(b)),
            Err(_) => malformed(kind, data),
        },
        REG_SZ => match utf16(data) {
            // The registry does not promise a terminating NUL: up to the first.
            Some(units) => match String::from_utf16(units.split(|u| *u == 0).next().unwrap_or(&[]))
            {
                Ok(s) => ManagedValue::String(s),
                Err(_) => ManagedValue::Other("a REG_SZ that is not valid text".into()),
            },
            None => malformed(kind, data),
        },
        REG_MULTI_SZ => match utf16(data) {
            // "a\0b\0\0": the list ends at the first empty string.
            Some(units) => {
                let items: Result<Vec<String>, _> = units
                    .split(|u| *u == 0)
                    .take_while(|s| !s.is_empty())
                    .map(String::from_utf16)
                    .collect();
                match items {
                    Ok(items) => ManagedValue::MultiString(items),
                    Err(_) => ManagedValue::Other("a REG_MULTI_SZ that is not valid text".into()),
                }
            }
            None => malformed(kind, data),
        },
        other => ManagedValue::Other(type_name(other)),
    }
}

fn utf16(data: &[u8]) -> Option<Vec<u16>> {
    if !data.len().is_multiple_of(2) {
        return None;
    }
    Some(
        data.chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect(),
    )
}

fn malformed(kind: u32, data: &[u8]) -> ManagedValue {
    ManagedValue::Other(format!("a {} of {} bytes", type_name(kind), data.len()))
}

pub fn type_name(kind: u32) -> String {
    match kind {
        REG_NONE => "REG_NONE",
        REG_SZ => "REG_SZ",
        REG_EXPAND_SZ => "REG_EXPAND_SZ",
        REG_BINARY => "REG_BINARY",
        REG_DWORD => "REG_DWORD",
        REG_DWORD_BIG_ENDIAN => "REG_DWORD_BIG_ENDIAN",
        REG_LINK => "REG_LINK",
        REG_MULTI_SZ => "REG_MULTI_SZ",
        REG_QWORD => "REG_QWORD",
        other => return format!("registry type {other}"),
    }
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wide(s: &str) -> Vec<u8> {
        s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect()
    }

    #[test]
    fn values_decode_by_type() {
        let rows: Vec<(u32, Vec<u8>, ManagedValue)> = vec![
            (
                REG_DWORD,
                30u32.to_le_bytes().to_vec(),
                ManagedValue::Dword(30),
            ),
            (
                REG_QWORD,
                86400u64.to_le_bytes().to_vec(),
                ManagedValue::Qword(86400),
            ),
            (REG_SZ, wide("dark\0"), ManagedValue::String("dark".into())),
            // No terminating NUL, and junk after one.
            (REG_SZ, wide("dark"), ManagedValue::String("dark".into())),
            (
                REG_SZ,
                wide("dark\0junk"),
                ManagedValue::String("dark".into()),
            ),
            (REG_SZ, vec![], ManagedValue::String(String::new())),
            (
                REG_MULTI_SZ,
                wide("Jabra*\0Poly Voyager*\0\0"),
                ManagedValue::MultiString(vec!["Jabra*".into(), "Poly Voyager*".into()]),
            ),
            (REG_MULTI_SZ, wide("\0"), ManagedValue::MultiString(vec![])),
            (REG_MULTI_SZ, vec![], ManagedValue::MultiString(vec![])),
            (
                REG_EXPAND_SZ,
                wide("%ProgramData%\0"),
                ManagedValue::Other("REG_EXPAND_SZ".into()),
            ),
            (
                REG_BINARY,
                vec![1, 2],
                ManagedValue::Other("REG_BINARY".into()),
            ),
            (
                REG_DWORD,
                vec![1, 2],
                ManagedValue::Other("a REG_DWORD of 2 bytes".into()),
            ),
            (
                REG_SZ,
                vec![b'a'],
                ManagedValue::Other("a REG_SZ of 1 bytes".into()),
            ),
            (99, vec![], ManagedValue::Other("registry type 99".into())),
        ];
        for (kind, data, want) in rows {
            assert_eq!(decode(kind, &data), want, "{kind} {data:?}");
        }
    }
}

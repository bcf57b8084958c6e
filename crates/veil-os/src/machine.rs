//! This computer's identity for the organization's receivers: the OS
//! machine id (hashed before it leaves, `veil_core::fleet::identity`), the
//! host name, and random ids.

#[derive(Debug, thiserror::Error)]
#[error("{source_name}: {message}")]
pub struct MachineIdError {
    /// Where the id was looked for.
    pub source_name: String,
    pub message: String,
}

/// Random bytes as hex (the install id; jitter).
pub fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    if getrandom::fill(&mut buf).is_err() {
        // No OS randomness: the time is unique enough for an install id.
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        return format!("{now:032x}");
    }
    veil_core::audit::hex(&buf)
}

/// A uniform number in [0, 1).
pub fn random_unit() -> f64 {
    let mut buf = [0u8; 8];
    if getrandom::fill(&mut buf).is_err() {
        return 0.5;
    }
    (u64::from_le_bytes(buf) >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(target_os = "linux")]
pub fn machine_id() -> Result<String, MachineIdError> {
    let mut last = None;
    for path in ["/etc/machine-id", "/var/lib/dbus/machine-id"] {
        match crate::files::read_text(std::path::Path::new(path), 4096) {
            Ok(t) if t.trim().len() >= 16 => return Ok(t.trim().to_string()),
            Ok(_) => last = Some((path, "empty".to_string())),
            Err(e) => last = Some((path, e.to_string())),
        }
    }
    let (path, message) = last.unwrap_or(("/etc/machine-id", "missing".into()));
    Err(MachineIdError {
        source_name: path.into(),
        message,
    })
}

#[cfg(windows)]
pub fn machine_id() -> Result<String, MachineIdError> {
    use windows::Win32::System::Registry::HKEY_LOCAL_MACHINE;
    const KEY: &str = "SOFTWARE\\Microsoft\\Cryptography";
    match crate::registry::read_text(HKEY_LOCAL_MACHINE, KEY, "MachineGuid") {
        Ok(Some(id)) => Ok(id),
        Ok(None) => Err(MachineIdError {
            source_name: format!("HKLM\\{KEY}\\MachineGuid"),
            message: "missing".into(),
        }),
        Err(e) => Err(MachineIdError {
            source_name: "HKLM".into(),
            message: e.to_string(),
        }),
    }
}

#[cfg(target_os = "macos")]
pub fn machine_id() -> Result<String, MachineIdError> {
    let err = |message: String| MachineIdError {
        source_name: "IOPlatformUUID".into(),
        message,
    };
    let text = crate::process::run_within(
        std::process::Command::new("/usr/sbin/ioreg").args([
            "-rd1",
            "-c",
            "IOPlatformExpertDevice",
        ]),
        std::time::Duration::from_secs(5),
    )
    .map_err(|e| err(e.to_string()))?;
    text.lines()
        .find(|l| l.contains("\"IOPlatformUUID\""))
        .and_then(|l| l.split('"').nth(3))
        .map(str::to_string)
        .ok_or_else(|| err("not in ioreg's answer".into()))
}

/// The computer's name (`host.name`, the syslog HOSTNAME).
#[cfg(unix)]
pub fn host_name() -> String {
    let mut buf = [0u8; 256];
    let rc = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) };
    if rc != 0 {
        return String::new();
    }
    let len = buf.iter().position(|b| *b == 0).unwrap_or(buf.len());
    String::from_utf8_lossy(&buf[..len]).into_owned()
}

#[cfg(windows)]
pub fn host_name() -> String {
    use windows::core::PWSTR;
    use windows::Win32::System::SystemInformation::{ComputerNameDnsHostname, GetComputerNameExW};
    let mut buf = [0u16; 256];
    let mut size = buf.len() as u32;
    match unsafe {
        GetComputerNameExW(
            ComputerNameDnsHostname,
            Some(PWSTR(buf.as_mut_ptr())),
            &mut size,
        )
    } {
        Ok(()) => String::from_utf16_lossy(&buf[..size as usize]),
        Err(_) => String::new(),
    }
}

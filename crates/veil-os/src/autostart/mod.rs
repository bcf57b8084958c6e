//! Start at sign-in. The installer starts Veil for every account (Linux:
//! `/etc/xdg/autostart/veil.desktop`; Windows: the machine's `Run` key);
//! an agent's own start-at-login choice only ever adds a per-user entry
//! (or, on Windows, ends the machine's start at once), so removing it
//! cannot stop a start that policy locks on.

#[cfg(target_os = "linux")]
mod linux;
#[cfg(target_os = "linux")]
pub use linux::*;

#[cfg(windows)]
mod windows;
#[cfg(windows)]
pub use self::windows::*;

/// What the per-user `Run` value should say on Windows, given whether Veil
/// should start and whether the machine's value exists. None: no per-user
/// value. Pure, so every platform tests it.
pub fn windows_user_value(
    wanted: bool,
    machine_value: bool,
    exe: &std::path::Path,
) -> Option<String> {
    (wanted && !machine_value).then(|| format!("\"{}\" --autostart", exe.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_keeps_one_start_and_never_adds_a_second() {
        let exe = std::path::Path::new(r"C:\Program Files\Veil\veil.exe");
        assert_eq!(windows_user_value(true, true, exe), None);
        assert_eq!(windows_user_value(false, true, exe), None);
        assert_eq!(windows_user_value(false, false, exe), None);
        assert_eq!(
            windows_user_value(true, false, exe).as_deref(),
            Some(r#""C:\Program Files\Veil\veil.exe" --autostart"#)
        );
    }
}

//! Windows' record of camera and microphone use (the CapabilityAccessManager
//! ConsentStore), read into uses. Windows keeps one key per program under
//! `ConsentStore\webcam` and `ConsentStore\microphone` (packaged apps by
//! family name, the rest under `NonPackaged` by path with `#` for `\`), each
//! with `LastUsedTimeStart` and `LastUsedTimeStop`; a stop of 0 means the
//! program is using the device now. A program that crashed keeps a stop of 0,
//! so entries whose program is not running are dropped.

use super::{DeviceUse, UseKind};

/// One program's key, as read from the registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentEntry {
    pub kind: UseKind,
    /// Under `NonPackaged` (a path), or a packaged app's family name.
    pub packaged: bool,
    /// The key's name.
    pub key: String,
    /// FILETIME values; 0 when absent.
    pub last_used_start: u64,
    pub last_used_stop: u64,
    /// The account whose hive holds it (HKCU); None for HKLM.
    pub user: Option<String>,
}

/// A running process, from the OS's process list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunningProcess {
    pub pid: u32,
    /// Full path of the executable.
    pub exe: String,
}

/// The consent store does not say which camera.
pub const ANY_CAMERA: &str = "camera";
pub const ANY_MICROPHONE: &str = "microphone";

/// The uses in progress: entries with a start and no stop whose program is
/// running. The process with the lowest pid stands for a program with many
/// (a browser's first process).
pub fn in_use(entries: &[ConsentEntry], running: &[RunningProcess]) -> Vec<DeviceUse> {
    let mut out: Vec<DeviceUse> = Vec::new();
    for e in entries {
        if e.last_used_start == 0 || e.last_used_stop != 0 {
            continue;
        }
        let holder = if e.packaged {
            packaged_process(&e.key, running)
        } else {
            let path = e.key.replace('#', "\\");
            running
                .iter()
                .filter(|p| p.exe.eq_ignore_ascii_case(&path))
                .min_by_key(|p| p.pid)
        };
        let Some(p) = holder else { continue };
        let (device, device_name) = match e.kind {
            UseKind::Camera => (ANY_CAMERA, "Camera"),
            UseKind::Microphone => (ANY_MICROPHONE, "Microphone"),
        };
        let dup = out
            .iter()
            .any(|u| u.kind == e.kind && u.pid == p.pid && u.device == device);
        if !dup {
            out.push(DeviceUse {
                kind: e.kind,
                device: device.into(),
                device_name: device_name.into(),
                pid: p.pid,
                exe: p.exe.clone(),
                user: e.user.clone(),
                // The consent store names the program (Windows writes it);
                // the caller checks where it lives.
                trust: super::Trust::UntrustedLocation,
            });
        }
    }
    out
}

/// A packaged app's family name is `Name_PublisherId`; its files live in
/// `...\WindowsApps\Name_Version_Arch__PublisherId\`.
fn packaged_process<'a>(family: &str, running: &'a [RunningProcess]) -> Option<&'a RunningProcess> {
    let (name, publisher) = family.rsplit_once('_')?;
    let name = name.to_ascii_lowercase();
    let publisher = publisher.to_ascii_lowercase();
    running
        .iter()
        .filter(|p| {
            let exe = p.exe.to_ascii_lowercase();
            exe.split('\\').any(|folder| {
                folder.starts_with(&format!("{name}_"))
                    && folder.ends_with(&format!("__{publisher}"))
            })
        })
        .min_by_key(|p| p.pid)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(kind: UseKind, packaged: bool, key: &str, start: u64, stop: u64) -> ConsentEntry {
        ConsentEntry {
            kind,
            packaged,
            key: key.into(),
            last_used_start: start,
            last_used_stop: stop,
            user: Some("agent".into()),
        }
    }

    fn proc(pid: u32, exe: &str) -> RunningProcess {
        RunningProcess {
            pid,
            exe: exe.into(),
        }
    }

    #[test]
    fn recorded_consent_store() {
        use UseKind::*;
        // Values as read from a Windows 11 machine during a Teams call with
        // Chrome holding the camera and a crashed recorder left behind.
        let entries = [
            entry(
                Camera,
                false,
                "C:#Program Files#Google#Chrome#Application#chrome.exe",
                133_774_200_000_000_000,
                0,
            ),
            entry(
                Camera,
                false,
                "C:#Tools#recorder.exe",
                133_774_100_000_000_000,
                0,
            ),
            entry(
                Camera,
                false,
                "C:#Program Files#Zoom#bin#Zoom.exe",
                133_774_000_000_000_000,
                133_774_050_000_000_000,
            ),
            entry(
                Microphone,
                true,
                "MSTeams_8wekyb3d8bbwe",
                133_774_200_000_000_000,
                0,
            ),
            entry(
                Microphone,
                true,
                "Microsoft.WindowsSoundRecorder_8wekyb3d8bbwe",
                133_774_000_000_000_000,
                0,
            ),
            entry(Camera, false, "C:#Never#used.exe", 0, 0),
        ];
        let running = [
            proc(
                7040,
                r"C:\Program Files\Google\Chrome\Application\chrome.exe",
            ),
            proc(
                5120,
                r"C:\Program Files\Google\Chrome\Application\chrome.exe",
            ),
            proc(9000, r"C:\Program Files\Zoom\bin\Zoom.exe"),
            proc(
                8800,
                r"C:\Program Files\WindowsApps\MSTeams_25122.1415.3698.6812_x64__8wekyb3d8bbwe\ms-teams.exe",
            ),
        ];
        let uses = in_use(&entries, &running);
        let got: Vec<(UseKind, u32, &str)> = uses
            .iter()
            .map(|u| (u.kind, u.pid, u.device.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (Camera, 5120, ANY_CAMERA),
                (Microphone, 8800, ANY_MICROPHONE)
            ]
        );
        assert!(uses[1].exe.ends_with("ms-teams.exe"));
        assert_eq!(uses[0].user.as_deref(), Some("agent"));
    }

    #[test]
    fn path_case_is_ignored_and_malformed_family_names_are_skipped() {
        let entries = [
            entry(UseKind::Camera, false, "c:#apps#CAM.exe", 1, 0),
            entry(UseKind::Camera, true, "nounderscore", 1, 0),
        ];
        let uses = in_use(&entries, &[proc(1, r"C:\Apps\cam.exe")]);
        assert_eq!(uses.len(), 1);
        assert_eq!(uses[0].pid, 1);
    }
}

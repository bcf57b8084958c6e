//! Windows: the CapabilityAccessManager consent store (HKCU and HKLM,
//! packaged and NonPackaged) says which programs use the camera and the
//! microphone now; the sensor activity monitor (Windows 10 2004 and later)
//! adds which camera and which process. Registry reads are cheap, so the
//! store is polled; the sensor monitor calls back on its own.
//!
//! Media Foundation is loaded at run time: N editions without the Media
//! Feature Pack have no mfplat.dll, builds before 2004 (and Wine) no
//! mfsensorgroup.dll. Without them the sensor monitor is a failed source
//! and the consent store still works; a static import would stop Veil
//! from starting at all.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use std::ffi::c_void;
use veil_core::camera::consent::{self, ConsentEntry, RunningProcess};
use veil_core::camera::{CameraDevice, CameraScan, DeviceUse, SourceCheck, UseKind};

use windows::core::{implement, s, Interface, Ref, HRESULT, PCWSTR, PWSTR};
use windows::Win32::Foundation::{CloseHandle, ERROR_NO_MORE_ITEMS};
use windows::Win32::Media::MediaFoundation::{
    IMFSensorActivitiesReport, IMFSensorActivitiesReportCallback,
    IMFSensorActivitiesReportCallback_Impl, IMFSensorActivityMonitor, MFSTARTUP_LITE, MF_VERSION,
};
use windows::Win32::System::Com::{CoInitializeEx, COINIT_MULTITHREADED};
use windows::Win32::System::Diagnostics::ToolHelp::{
    CreateToolhelp32Snapshot, Process32FirstW, Process32NextW, PROCESSENTRY32W, TH32CS_SNAPPROCESS,
};
use windows::Win32::System::Registry::{
    RegCloseKey, RegEnumKeyExW, RegOpenKeyExW, RegQueryValueExW, HKEY, HKEY_CURRENT_USER,
    HKEY_LOCAL_MACHINE, KEY_READ,
};

use super::{CameraMonitor, Notify};
use crate::dll::{Library, RawProc};
use crate::win_str::wide;

const CONSENT_STORE: &str =
    r"Software\Microsoft\Windows\CurrentVersion\CapabilityAccessManager\ConsentStore";

/// How often the consent store is read.
const POLL: Duration = Duration::from_millis(500);

/// A camera stream as the sensor monitor reported it.
#[derive(Debug, Clone)]
struct SensorUse {
    link: String,
    name: String,
    pid: u32,
}

#[derive(Default)]
struct SensorState {
    streaming: Vec<SensorUse>,
    /// Every camera the monitor has reported, by symbolic link.
    seen: Vec<CameraDevice>,
}

#[implement(IMFSensorActivitiesReportCallback)]
struct SensorEvents {
    state: Arc<Mutex<SensorState>>,
    notify: Arc<Notify>,
}

impl IMFSensorActivitiesReportCallback_Impl for SensorEvents_Impl {
    fn OnActivitiesReport(
        &self,
        report: Ref<IMFSensorActivitiesReport>,
    ) -> windows::core::Result<()> {
        let Some(report) = report.as_ref() else {
            return Ok(());
        };
        let mut streaming = Vec::new();
        let mut seen = Vec::new();
        // SAFETY: COM calls on a live report during its callback.
        unsafe {
            for i in 0..report.GetCount()? {
                let activity = report.GetActivityReport(i)?;
                let name = read_wide(|buf, n| activity.GetFriendlyName(buf, n));
                let link = read_wide(|buf, n| activity.GetSymbolicLink(buf, n));
                seen.push(CameraDevice {
                    name: name.clone(),
                    path: link.clone(),
                });
                for p in 0..activity.GetProcessCount()? {
                    let process = activity.GetProcessActivity(p)?;
                    if process.GetStreamingState()?.as_bool() {
                        streaming.push(SensorUse {
                            link: link.clone(),
                            name: name.clone(),
                            pid: process.GetProcessId()?,
                        });
                    }
                }
            }
        }
        if let Ok(mut s) = self.state.lock() {
            s.streaming = streaming;
            for d in seen {
                if !s.seen.iter().any(|k| k.path == d.path) {
                    s.seen.push(d);
                }
            }
        }
        (self.notify)();
        Ok(())
    }
}

fn read_wide(get: impl Fn(&mut [u16], *mut u32) -> windows::core::Result<()>) -> String {
    let mut buf = vec![0u16; 512];
    let mut n = 0u32;
    match get(&mut buf, &mut n) {
        Ok(()) => {
            let len = buf.iter().position(|c| *c == 0).unwrap_or(buf.len());
            String::from_utf16_lossy(&buf[..len])
        }
        Err(_) => String::new(),
    }
}

/// A running sensor activity monitor.
struct SensorMonitor {
    monitor: IMFSensorActivityMonitor,
    state: Arc<Mutex<SensorState>>,
}

pub struct ConsentCameras {
    sensor: Result<SensorMonitor, String>,
    stop: Arc<AtomicBool>,
}

// SAFETY: the monitor is created in the multithreaded apartment and only
// kept to be stopped on drop.
unsafe impl Send for ConsentCameras {}

impl ConsentCameras {
    pub fn start(notify: Notify) -> Self {
        let notify = Arc::new(notify);
        let stop = Arc::new(AtomicBool::new(false));
        {
            let notify = notify.clone();
            super::spawn_poll(POLL, stop.clone(), move || notify());
        }
        let sensor = start_sensor_monitor(notify);
        if let Err(e) = &sensor {
            tracing::info!("camera: no sensor activity monitor: {e}");
        }
        Self { sensor, stop }
    }
}

/// mfplat.dll!MFStartup.
type MfStartupFn = unsafe extern "system" fn(u32, u32) -> HRESULT;
/// mfsensorgroup.dll!MFCreateSensorActivityMonitor (Windows 10 2004 on).
type CreateMonitorFn = unsafe extern "system" fn(*mut c_void, *mut *mut c_void) -> HRESULT;

fn start_sensor_monitor(notify: Arc<Notify>) -> Result<SensorMonitor, String> {
    let mf = Library::system32("mfplat.dll")?;
    let sensors = Library::system32("mfsensorgroup.dll")?;
    let startup = mf
        .symbol(s!("MFStartup"))
        .ok_or("mfplat.dll has no MFStartup")?;
    let create = sensors
        .symbol(s!("MFCreateSensorActivityMonitor"))
        .ok_or("mfsensorgroup.dll has no MFCreateSensorActivityMonitor")?;
    // SAFETY: both pointers are cast to their functions' documented
    // signatures; the libraries stay loaded while they are called (and,
    // once the monitor runs, for good).
    let (startup, create) = unsafe {
        (
            std::mem::transmute::<RawProc, MfStartupFn>(startup),
            std::mem::transmute::<RawProc, CreateMonitorFn>(create),
        )
    };
    let state = Arc::new(Mutex::new(SensorState::default()));
    // SAFETY: COM and Media Foundation set-up for this thread; the callback
    // object lives as long as the monitor holds a reference to it, and the
    // monitor pointer returned with S_OK carries the reference we own.
    unsafe {
        let _ = CoInitializeEx(None, COINIT_MULTITHREADED);
        startup(MF_VERSION, MFSTARTUP_LITE)
            .ok()
            .map_err(|e| e.to_string())?;
        let callback: IMFSensorActivitiesReportCallback = SensorEvents {
            state: state.clone(),
            notify,
        }
        .into();
        let mut raw: *mut c_void = std::ptr::null_mut();
        create(callback.as_raw(), &mut raw)
            .ok()
            .map_err(|e| e.to_string())?;
        if raw.is_null() {
            return Err("MFCreateSensorActivityMonitor returned no monitor".into());
        }
        let monitor = IMFSensorActivityMonitor::from_raw(raw);
        monitor.Start().map_err(|e| e.to_string())?;
        // Loaded for the rest of the process: Media Foundation's worker
        // threads may still run their code after the monitor is released.
        std::mem::forget(sensors);
        std::mem::forget(mf);
        Ok(SensorMonitor { monitor, state })
    }
}

impl Drop for ConsentCameras {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Ok(sensor) = &self.sensor {
            // SAFETY: stopping a monitor we started.
            let _ = unsafe { sensor.monitor.Stop() };
        }
    }
}

impl CameraMonitor for ConsentCameras {
    fn scan(&mut self) -> CameraScan {
        let mut sources = Vec::new();
        let user = std::env::var("USERNAME").ok();
        let mut entries = Vec::new();
        let mut store_ok = false;
        let mut store_errors = Vec::new();
        for (root, root_name, owner) in [
            (HKEY_CURRENT_USER, "HKCU", user.clone()),
            (HKEY_LOCAL_MACHINE, "HKLM", None),
        ] {
            match read_consent(root, owner) {
                Ok(mut found) => {
                    store_ok = true;
                    entries.append(&mut found);
                }
                Err(e) => store_errors.push(format!("{root_name}: {e}")),
            }
        }
        sources.push(if store_ok {
            SourceCheck::ok("consent_store")
        } else {
            SourceCheck::failed("consent_store", store_errors.join("; "))
        });
        let running = running_processes();
        let mut uses = consent::in_use(&entries, &running);
        trust_locations(&mut uses);
        let mut devices = Vec::new();
        match &self.sensor {
            Ok(sensor) => {
                sources.push(SourceCheck::ok("sensor_monitor"));
                if let Ok(s) = sensor.state.lock() {
                    devices = s.seen.clone();
                    if !s.streaming.is_empty() {
                        // The monitor names the camera and the process:
                        // it replaces the store's "a camera" entries.
                        uses.retain(|u| u.kind != UseKind::Camera);
                        for su in &s.streaming {
                            let exe = running
                                .iter()
                                .find(|p| p.pid == su.pid)
                                .map(|p| p.exe.clone())
                                .unwrap_or_default();
                            uses.push(DeviceUse {
                                kind: UseKind::Camera,
                                device: su.link.clone(),
                                device_name: su.name.clone(),
                                pid: su.pid,
                                exe,
                                user: user.clone(),
                                trust: veil_core::camera::Trust::UntrustedLocation,
                            });
                        }
                    }
                }
            }
            Err(e) => sources.push(SourceCheck::failed("sensor_monitor", e.clone())),
        }
        #[cfg(feature = "camera-capture")]
        if let Ok(list) = super::capture::query_cameras() {
            for d in list {
                if !devices.iter().any(|k: &CameraDevice| k.name == d.name) {
                    devices.push(d);
                }
            }
        }
        trust_locations(&mut uses);
        CameraScan {
            devices,
            uses,
            sources,
            camera_sources: vec!["consent_store".into(), "sensor_monitor".into()],
        }
    }
}

struct Key(HKEY);

impl Drop for Key {
    fn drop(&mut self) {
        // SAFETY: a key we opened, closed once.
        let _ = unsafe { RegCloseKey(self.0) };
    }
}

fn open(root: HKEY, path: &str) -> Result<Key, String> {
    let mut key = HKEY::default();
    let w = wide(path);
    // SAFETY: w is NUL-terminated and outlives the call.
    let rc = unsafe { RegOpenKeyExW(root, PCWSTR(w.as_ptr()), Some(0), KEY_READ, &mut key) };
    if rc.is_err() {
        return Err(format!("{path}: error {}", rc.0));
    }
    Ok(Key(key))
}

fn subkeys(key: &Key) -> Vec<String> {
    let mut out = Vec::new();
    let mut buf = vec![0u16; 1024];
    for i in 0.. {
        let mut len = buf.len() as u32;
        // SAFETY: buf is writable for len characters.
        let rc = unsafe {
            RegEnumKeyExW(
                key.0,
                i,
                Some(PWSTR(buf.as_mut_ptr())),
                &mut len,
                None,
                None,
                None,
                None,
            )
        };
        if rc == ERROR_NO_MORE_ITEMS || rc.is_err() {
            break;
        }
        out.push(String::from_utf16_lossy(&buf[..len as usize]));
    }
    out
}

fn qword(key: &Key, name: &str) -> u64 {
    let w = wide(name);
    let mut value = 0u64;
    let mut size = std::mem::size_of::<u64>() as u32;
    // SAFETY: value is writable for size bytes.
    let rc = unsafe {
        RegQueryValueExW(
            key.0,
            PCWSTR(w.as_ptr()),
            None,
            None,
            Some((&mut value as *mut u64).cast()),
            Some(&mut size),
        )
    };
    if rc.is_err() {
        0
    } else {
        value
    }
}

fn read_consent(root: HKEY, user: Option<String>) -> Result<Vec<ConsentEntry>, String> {
    let mut out = Vec::new();
    for (store, kind) in [
        ("webcam", UseKind::Camera),
        ("microphone", UseKind::Microphone),
    ] {
        let base = format!(r"{CONSENT_STORE}\{store}");
        let Ok(key) = open(root, &base) else { continue };
        let mut read = |path: String, name: String, packaged: bool| {
            if let Ok(k) = open(root, &path) {
                out.push(ConsentEntry {
                    kind,
                    packaged,
                    key: name,
                    last_used_start: qword(&k, "LastUsedTimeStart"),
                    last_used_stop: qword(&k, "LastUsedTimeStop"),
                    user: user.clone(),
                });
            }
        };
        for name in subkeys(&key) {
            if name == "NonPackaged" {
                let np_path = format!(r"{base}\NonPackaged");
                if let Ok(np) = open(root, &np_path) {
                    for exe in subkeys(&np) {
                        read(format!(r"{np_path}\{exe}"), exe, false);
                    }
                }
            } else {
                read(format!(r"{base}\{name}"), name, true);
            }
        }
    }
    if out.is_empty() {
        // An empty store is normal on a fresh account; only an unreadable
        // root is a failure.
        open(root, CONSENT_STORE)?;
    }
    Ok(out)
}

fn running_processes() -> Vec<RunningProcess> {
    let mut out = Vec::new();
    // SAFETY: a snapshot handle we close; entries are plain data.
    unsafe {
        let Ok(snap) = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0) else {
            return out;
        };
        let mut entry = PROCESSENTRY32W {
            dwSize: std::mem::size_of::<PROCESSENTRY32W>() as u32,
            ..Default::default()
        };
        let mut ok = Process32FirstW(snap, &mut entry).is_ok();
        while ok {
            let pid = entry.th32ProcessID;
            if let Some(exe) = crate::process::exe_path(pid) {
                out.push(RunningProcess { pid, exe });
            }
            ok = Process32NextW(snap, &mut entry).is_ok();
        }
        let _ = CloseHandle(snap);
    }
    out
}

/// The OS names these programs; those under Program Files or the Windows
/// folder (where only an administrator installs) may be allowed by name.
fn trust_locations(uses: &mut [DeviceUse]) {
    for u in uses {
        if u.trust == veil_core::camera::Trust::UntrustedLocation
            && crate::process::trusted_location(&u.exe)
        {
            u.trust = veil_core::camera::Trust::Verified;
        }
    }
}

//! macOS: CoreMediaIO says which cameras are running somewhere (not which
//! process: macOS does not tell), with a listener on each camera; CoreAudio's
//! process list (macOS 14 and later) names the processes recording from a
//! microphone. A one-second poll backs up the listeners.

use std::ffi::c_void;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use objc2_core_audio::{
    kAudioHardwarePropertyProcessObjectList, kAudioObjectPropertyScopeGlobal,
    kAudioObjectSystemObject, kAudioProcessPropertyIsRunningInput, kAudioProcessPropertyPID,
    AudioObjectID,
};
use objc2_core_foundation::{CFRetained, CFString};
use objc2_core_media_io::{
    kCMIODevicePropertyDeviceIsRunningSomewhere, kCMIODevicePropertyDeviceUID,
    kCMIOHardwarePropertyDevices, kCMIOObjectPropertyElementMain, kCMIOObjectPropertyName,
    kCMIOObjectPropertyScopeGlobal, kCMIOObjectSystemObject, CMIOObjectAddPropertyListener,
    CMIOObjectGetPropertyData, CMIOObjectGetPropertyDataSize, CMIOObjectID,
    CMIOObjectPropertyAddress,
};
use veil_core::camera::{CameraDevice, CameraScan, DeviceUse, SourceCheck, UseKind};

use super::{CameraMonitor, Notify};
use crate::audio::coreaudio;

const POLL: Duration = Duration::from_secs(1);

fn address(selector: u32) -> CMIOObjectPropertyAddress {
    CMIOObjectPropertyAddress {
        mSelector: selector,
        mScope: kCMIOObjectPropertyScopeGlobal,
        mElement: kCMIOObjectPropertyElementMain,
    }
}

fn get<T: Copy + Default>(object: CMIOObjectID, selector: u32) -> Option<T> {
    let addr = address(selector);
    let mut value = T::default();
    let mut used = 0u32;
    // SAFETY: value is writable for its size.
    let status = unsafe {
        CMIOObjectGetPropertyData(
            object,
            &addr,
            0,
            std::ptr::null(),
            std::mem::size_of::<T>() as u32,
            &mut used,
            (&mut value as *mut T).cast::<c_void>(),
        )
    };
    (status == 0).then_some(value)
}

fn string(object: CMIOObjectID, selector: u32) -> Option<String> {
    let raw: usize = get(object, selector)?;
    let ptr = std::ptr::NonNull::new(raw as *mut CFString)?;
    // SAFETY: the property hands over a retained string.
    let s = unsafe { CFRetained::from_raw(ptr) };
    Some(s.to_string())
}

fn camera_ids() -> Result<Vec<CMIOObjectID>, String> {
    let addr = address(kCMIOHardwarePropertyDevices);
    let mut size = 0u32;
    // SAFETY: plain out-parameter.
    let status = unsafe {
        CMIOObjectGetPropertyDataSize(
            kCMIOObjectSystemObject,
            &addr,
            0,
            std::ptr::null(),
            &mut size,
        )
    };
    if status != 0 {
        return Err(format!("listing cameras failed (OSStatus {status})"));
    }
    let mut ids = vec![0 as CMIOObjectID; size as usize / std::mem::size_of::<CMIOObjectID>()];
    if ids.is_empty() {
        return Ok(ids);
    }
    let mut used = 0u32;
    // SAFETY: ids is writable for size bytes.
    let status = unsafe {
        CMIOObjectGetPropertyData(
            kCMIOObjectSystemObject,
            &addr,
            0,
            std::ptr::null(),
            size,
            &mut used,
            ids.as_mut_ptr().cast::<c_void>(),
        )
    };
    if status != 0 {
        return Err(format!("listing cameras failed (OSStatus {status})"));
    }
    ids.truncate(used as usize / std::mem::size_of::<CMIOObjectID>());
    Ok(ids)
}

unsafe extern "C-unwind" fn on_change(
    _: CMIOObjectID,
    _: u32,
    _: *mut CMIOObjectPropertyAddress,
    client: *mut c_void,
) -> i32 {
    // SAFETY: client is the Notify leaked in `listen`, alive for the process.
    let notify = unsafe { &*(client as *const Notify) };
    notify();
    0
}

pub struct CoreMediaCameras {
    notify: &'static Notify,
    listening: Vec<CMIOObjectID>,
    stop: Arc<AtomicBool>,
}

impl CoreMediaCameras {
    pub fn start(notify: Notify) -> Self {
        // The listeners keep a pointer to it for the life of the process.
        let notify: &'static Notify = Box::leak(Box::new(notify));
        let stop = Arc::new(AtomicBool::new(false));
        super::spawn_poll(POLL, stop.clone(), notify);
        let mut cams = Self {
            notify,
            listening: vec![],
            stop,
        };
        cams.listen(kCMIOObjectSystemObject, kCMIOHardwarePropertyDevices);
        cams
    }

    fn listen(&mut self, object: CMIOObjectID, selector: u32) {
        let addr = address(selector);
        // SAFETY: the callback and its client data live for the process.
        let status = unsafe {
            CMIOObjectAddPropertyListener(
                object,
                &addr,
                Some(on_change),
                self.notify as *const Notify as *mut c_void,
            )
        };
        if status == 0 {
            self.listening.push(object);
        }
    }
}

impl Drop for CoreMediaCameras {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

impl CameraMonitor for CoreMediaCameras {
    fn scan(&mut self) -> CameraScan {
        let mut sources = Vec::new();
        let mut devices = Vec::new();
        let mut uses = Vec::new();
        match camera_ids() {
            Ok(ids) => {
                sources.push(SourceCheck::ok("coremediaio"));
                for id in ids {
                    if !self.listening.contains(&id) {
                        self.listen(id, kCMIODevicePropertyDeviceIsRunningSomewhere);
                    }
                    let name =
                        string(id, kCMIOObjectPropertyName).unwrap_or_else(|| "Camera".into());
                    let path =
                        string(id, kCMIODevicePropertyDeviceUID).unwrap_or_else(|| id.to_string());
                    if get::<u32>(id, kCMIODevicePropertyDeviceIsRunningSomewhere).unwrap_or(0) != 0
                    {
                        // macOS does not say which process; the session is
                        // the camera's.
                        uses.push(DeviceUse {
                            kind: UseKind::Camera,
                            device: path.clone(),
                            device_name: name.clone(),
                            pid: 0,
                            exe: String::new(),
                            user: None,
                            // No process named: never allowed quietly.
                            trust: veil_core::camera::Trust::Claimed,
                        });
                    }
                    devices.push(CameraDevice { name, path });
                }
            }
            Err(e) => sources.push(SourceCheck::failed("coremediaio", e)),
        }
        match recording_processes() {
            Ok(mut found) => {
                sources.push(SourceCheck::ok("coreaudio_processes"));
                uses.append(&mut found);
            }
            Err(e) => sources.push(SourceCheck::failed("coreaudio_processes", e)),
        }
        CameraScan {
            devices,
            uses,
            sources,
            camera_sources: vec!["coremediaio".into()],
        }
    }
}

/// Processes recording from any input (macOS 14 and later).
fn recording_processes() -> Result<Vec<DeviceUse>, String> {
    let system = kAudioObjectSystemObject as AudioObjectID;
    let scope = kAudioObjectPropertyScopeGlobal;
    let processes = coreaudio::list(
        system,
        coreaudio::address(kAudioHardwarePropertyProcessObjectList, scope),
    )
    .map_err(|e| format!("{e} (needs macOS 14 or later)"))?;
    let mut out = Vec::new();
    for p in processes {
        let running: u32 = coreaudio::get(
            p,
            coreaudio::address(kAudioProcessPropertyIsRunningInput, scope),
        )
        .unwrap_or(0);
        if running == 0 {
            continue;
        }
        let Ok(pid) = coreaudio::get::<i32>(p, coreaudio::address(kAudioProcessPropertyPID, scope))
        else {
            continue;
        };
        if pid as u32 == std::process::id() {
            continue;
        }
        let exe = crate::process::exe_path(pid as u32).unwrap_or_default();
        // CoreAudio names the process; the path says where it lives.
        let trust = if !exe.is_empty() && crate::process::trusted_location(&exe) {
            veil_core::camera::Trust::Verified
        } else {
            veil_core::camera::Trust::UntrustedLocation
        };
        out.push(DeviceUse {
            kind: UseKind::Microphone,
            device: "microphone".into(),
            device_name: "Microphone".into(),
            pid: pid as u32,
            exe,
            user: None,
            trust,
        });
    }
    Ok(out)
}

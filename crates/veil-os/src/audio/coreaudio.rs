//! macOS backend: CoreAudio's property API. The default input and each
//! input's mute switch are read and set as properties; listeners on the
//! system object (devices, default input) and on every input's mute switch
//! wake the guard. macOS can unmute the built-in microphone while an app
//! holds it: the mute listener sees that and the guard mutes it again; a
//! device without a settable mute switch is reported as a failed write.
//! CoreAudio has no per-stream routing, so streams are not listed.

use std::collections::HashMap;
use std::ffi::c_void;
use std::ptr::NonNull;

use objc2_core_audio::{
    kAudioDevicePropertyDeviceUID, kAudioDevicePropertyMute, kAudioDevicePropertyStreams,
    kAudioDevicePropertyTransportType, kAudioHardwarePropertyDefaultInputDevice,
    kAudioHardwarePropertyDevices, kAudioObjectPropertyElementMain, kAudioObjectPropertyName,
    kAudioObjectPropertyScopeGlobal, kAudioObjectPropertyScopeInput, kAudioObjectSystemObject,
    AudioObjectAddPropertyListener, AudioObjectGetPropertyData, AudioObjectGetPropertyDataSize,
    AudioObjectID, AudioObjectPropertyAddress, AudioObjectRemovePropertyListener,
    AudioObjectSetPropertyData,
};
use objc2_core_foundation::{CFRetained, CFString};
use veil_core::mic::plan::Action;
use veil_core::mic::DeviceFacts;

use super::{AudioBackend, AudioError, Devices, InputDevice, Notify};

const SYSTEM: AudioObjectID = kAudioObjectSystemObject as AudioObjectID;

pub(crate) fn address(selector: u32, scope: u32) -> AudioObjectPropertyAddress {
    AudioObjectPropertyAddress {
        mSelector: selector,
        mScope: scope,
        mElement: kAudioObjectPropertyElementMain,
    }
}

fn check(status: i32, what: &str) -> Result<(), AudioError> {
    if status == 0 {
        Ok(())
    } else {
        Err(AudioError::Failed(format!(
            "{what} failed (OSStatus {status})"
        )))
    }
}

/// Reads a fixed-size property.
pub(crate) fn get<T: Copy + Default>(
    object: AudioObjectID,
    addr: AudioObjectPropertyAddress,
) -> Result<T, AudioError> {
    let mut addr = addr;
    let mut value = T::default();
    let mut size = std::mem::size_of::<T>() as u32;
    let status = unsafe {
        AudioObjectGetPropertyData(
            object,
            NonNull::from(&mut addr),
            0,
            std::ptr::null(),
            NonNull::from(&mut size),
            NonNull::from(&mut value).cast(),
        )
    };
    check(status, "reading an audio property")?;
    Ok(value)
}

fn set<T: Copy>(
    object: AudioObjectID,
    addr: AudioObjectPropertyAddress,
    value: T,
) -> Result<(), AudioError> {
    let mut addr = addr;
    let mut value = value;
    let status = unsafe {
        AudioObjectSetPropertyData(
            object,
            NonNull::from(&mut addr),
            0,
            std::ptr::null(),
            std::mem::size_of::<T>() as u32,
            NonNull::from(&mut value).cast(),
        )
    };
    check(status, "changing an audio property")
}

fn size_of_property(object: AudioObjectID, addr: AudioObjectPropertyAddress) -> u32 {
    let mut addr = addr;
    let mut size = 0u32;
    let status = unsafe {
        AudioObjectGetPropertyDataSize(
            object,
            NonNull::from(&mut addr),
            0,
            std::ptr::null(),
            NonNull::from(&mut size),
        )
    };
    if status == 0 {
        size
    } else {
        0
    }
}

fn string(object: AudioObjectID, selector: u32) -> Option<String> {
    let raw: usize = get(object, address(selector, kAudioObjectPropertyScopeGlobal)).ok()?;
    let ptr = NonNull::new(raw as *mut CFString)?;
    // The property hands over a retained string.
    let s = unsafe { CFRetained::from_raw(ptr) };
    Some(s.to_string())
}

/// Reads an array property (object lists).
pub(crate) fn list(
    object: AudioObjectID,
    addr: AudioObjectPropertyAddress,
) -> Result<Vec<AudioObjectID>, AudioError> {
    let mut addr = addr;
    let size = size_of_property(object, addr);
    let count = size as usize / std::mem::size_of::<AudioObjectID>();
    let mut ids = vec![0 as AudioObjectID; count];
    if count == 0 {
        return Ok(ids);
    }
    let mut size = size;
    let status = unsafe {
        AudioObjectGetPropertyData(
            object,
            NonNull::from(&mut addr),
            0,
            std::ptr::null(),
            NonNull::from(&mut size),
            NonNull::new(ids.as_mut_ptr().cast::<c_void>()).ok_or(AudioError::Unsupported)?,
        )
    };
    check(status, "reading an audio object list")?;
    ids.truncate(size as usize / std::mem::size_of::<AudioObjectID>());
    Ok(ids)
}

fn device_ids() -> Result<Vec<AudioObjectID>, AudioError> {
    // A failed device list means CoreAudio itself is not answering.
    list(
        SYSTEM,
        address(
            kAudioHardwarePropertyDevices,
            kAudioObjectPropertyScopeGlobal,
        ),
    )
    .map_err(|e| AudioError::Unreachable(format!("listing audio devices failed: {e}")))
}

unsafe extern "C-unwind" fn on_change(
    _: AudioObjectID,
    _: u32,
    _: NonNull<AudioObjectPropertyAddress>,
    client: *mut c_void,
) -> i32 {
    if let Some(notify) = unsafe { client.cast::<Notify>().as_ref() } {
        notify();
    }
    0
}

pub struct CoreAudioBackend {
    /// Boxed so its address, handed to CoreAudio, never moves.
    notify: Box<Notify>,
    /// Listeners installed: (object, address).
    listening: Vec<(AudioObjectID, AudioObjectPropertyAddress)>,
    /// Device UID to CoreAudio object id, from the last read.
    objects: HashMap<String, AudioObjectID>,
}

impl CoreAudioBackend {
    pub fn connect(notify: Notify) -> Result<Self, AudioError> {
        let mut backend = Self {
            notify: Box::new(notify),
            listening: Vec::new(),
            objects: HashMap::new(),
        };
        for selector in [
            kAudioHardwarePropertyDevices,
            kAudioHardwarePropertyDefaultInputDevice,
        ] {
            backend.listen(SYSTEM, address(selector, kAudioObjectPropertyScopeGlobal))?;
        }
        Ok(backend)
    }

    fn listen(
        &mut self,
        object: AudioObjectID,
        addr: AudioObjectPropertyAddress,
    ) -> Result<(), AudioError> {
        if self
            .listening
            .iter()
            .any(|(o, a)| *o == object && a.mSelector == addr.mSelector)
        {
            return Ok(());
        }
        let mut a = addr;
        let client = (&*self.notify as *const Notify).cast_mut().cast::<c_void>();
        let status = unsafe {
            AudioObjectAddPropertyListener(object, NonNull::from(&mut a), Some(on_change), client)
        };
        check(status, "listening for audio changes")?;
        self.listening.push((object, addr));
        Ok(())
    }

    fn object(&self, uid: &str) -> Result<AudioObjectID, AudioError> {
        self.objects
            .get(uid)
            .copied()
            .ok_or_else(|| AudioError::Failed(format!("{uid} is no longer connected")))
    }
}

impl Drop for CoreAudioBackend {
    fn drop(&mut self) {
        let client = (&*self.notify as *const Notify).cast_mut().cast::<c_void>();
        for (object, addr) in self.listening.drain(..) {
            let mut a = addr;
            unsafe {
                AudioObjectRemovePropertyListener(
                    object,
                    NonNull::from(&mut a),
                    Some(on_change),
                    client,
                );
            }
        }
    }
}

impl AudioBackend for CoreAudioBackend {
    fn kind(&self) -> &'static str {
        "coreaudio"
    }

    fn read(&mut self) -> Result<Devices, AudioError> {
        let mute_addr = address(kAudioDevicePropertyMute, kAudioObjectPropertyScopeInput);
        let mut inputs = Vec::new();
        let mut objects = HashMap::new();
        for id in device_ids()? {
            // Only devices with input streams are microphones.
            if size_of_property(
                id,
                address(kAudioDevicePropertyStreams, kAudioObjectPropertyScopeInput),
            ) == 0
            {
                continue;
            }
            let Some(uid) = string(id, kAudioDevicePropertyDeviceUID) else {
                continue;
            };
            let name = string(id, kAudioObjectPropertyName).unwrap_or_else(|| uid.clone());
            let transport: Option<u32> = get(
                id,
                address(
                    kAudioDevicePropertyTransportType,
                    kAudioObjectPropertyScopeGlobal,
                ),
            )
            .ok();
            let muted = get::<u32>(id, mute_addr).is_ok_and(|m| m != 0);
            if let Err(e) = self.listen(id, mute_addr) {
                tracing::debug!("no mute listener on {name}: {e}");
            }
            objects.insert(uid.clone(), id);
            inputs.push(InputDevice {
                id: uid,
                name,
                muted,
                facts: DeviceFacts::Mac { transport },
            });
        }
        let default_object: AudioObjectID = get(
            SYSTEM,
            address(
                kAudioHardwarePropertyDefaultInputDevice,
                kAudioObjectPropertyScopeGlobal,
            ),
        )?;
        let default_id = objects
            .iter()
            .find(|(_, o)| **o == default_object)
            .map(|(uid, _)| uid.clone());
        self.objects = objects;
        Ok(Devices {
            inputs,
            default_id,
            streams: Vec::new(),
        })
    }

    fn apply(&mut self, actions: &[Action]) -> Vec<(Action, Result<(), AudioError>)> {
        actions
            .iter()
            .map(|action| {
                let result = match action {
                    Action::SetDefault { input_id } => self.object(input_id).and_then(|o| {
                        set(
                            SYSTEM,
                            address(
                                kAudioHardwarePropertyDefaultInputDevice,
                                kAudioObjectPropertyScopeGlobal,
                            ),
                            o,
                        )
                    }),
                    Action::SetMute { input_id, muted } => self.object(input_id).and_then(|o| {
                        set(
                            o,
                            address(kAudioDevicePropertyMute, kAudioObjectPropertyScopeInput),
                            u32::from(*muted),
                        )
                        .map_err(|_| {
                            AudioError::Failed(format!(
                                "{input_id} has no mute switch macOS lets Veil use"
                            ))
                        })
                    }),
                    Action::MoveStream { .. } => Err(super::stream_move_unsupported("macOS")),
                };
                (action.clone(), result)
            })
            .collect()
    }
}

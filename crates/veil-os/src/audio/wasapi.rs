//! Windows backend: the MMDevice API. Default endpoints are set through the
//! undocumented but long-stable IPolicyConfig interface (the same one the
//! Sound control panel uses), for all three roles; mute through
//! IAudioEndpointVolume; changes arrive through IMMNotificationClient and
//! per-endpoint volume callbacks. Windows has no public way to move one
//! application's capture stream, so stream moves are reported as
//! unsupported (the muted laptop microphone records silence).
//!
//! Property text is read with PropVariantToStringAlloc, not PROPVARIANT's
//! `Display` (PropVariantToBSTR, which Wine lacks). Without IPolicyConfig
//! (Wine has none) devices are still read and muted; setting the default
//! fails with a reason.

use std::collections::HashMap;
use std::ffi::c_void;
use std::sync::Arc;

use veil_core::mic::plan::Action;
use veil_core::mic::DeviceFacts;
use windows::core::{implement, GUID, PCWSTR};
use windows::Win32::Devices::FunctionDiscovery::{
    PKEY_Device_EnumeratorName, PKEY_Device_FriendlyName,
};
use windows::Win32::Foundation::PROPERTYKEY;
use windows::Win32::Media::Audio::Endpoints::{
    IAudioEndpointVolume, IAudioEndpointVolumeCallback, IAudioEndpointVolumeCallback_Impl,
};
use windows::Win32::Media::Audio::{
    eCapture, eCommunications, eConsole, eMultimedia, EDataFlow, ERole, IMMDevice,
    IMMDeviceEnumerator, IMMNotificationClient, IMMNotificationClient_Impl, MMDeviceEnumerator,
    PKEY_AudioEndpoint_FormFactor, AUDIO_VOLUME_NOTIFICATION_DATA, DEVICE_STATE,
    DEVICE_STATE_ACTIVE,
};
use windows::Win32::System::Com::StructuredStorage::{PropVariantToStringAlloc, PROPVARIANT};
use windows::Win32::System::Com::{
    CoCreateInstance, CoInitializeEx, CoTaskMemFree, CLSCTX_ALL, COINIT_MULTITHREADED, STGM_READ,
};

use super::{AudioBackend, AudioError, Devices, InputDevice, Notify};
use crate::win_str::wide;

/// CLSID of the class that implements IPolicyConfig.
pub const CLSID_POLICY_CONFIG_CLIENT: GUID =
    GUID::from_u128(0x870af99c_171d_4f9e_af0d_e63df40c2bc9);

pub mod policy_config {
    //! COM method names keep their Windows spelling.
    #![allow(non_snake_case)]
    use std::ffi::c_void;

    use windows::core::{interface, IUnknown, IUnknown_Vtbl, HRESULT, PCWSTR};
    use windows::Win32::Foundation::PROPERTYKEY;
    use windows::Win32::Media::Audio::ERole;

    /// IPolicyConfig (Windows 7 and later). Only SetDefaultEndpoint is called;
    /// the methods before it are declared to keep the vtable order right.
    #[interface("f8679f50-850a-41cf-9c72-430f290290c8")]
    pub unsafe trait IPolicyConfig: IUnknown {
        fn GetMixFormat(&self, device: PCWSTR, format: *mut *mut c_void) -> HRESULT;
        fn GetDeviceFormat(
            &self,
            device: PCWSTR,
            default: i32,
            format: *mut *mut c_void,
        ) -> HRESULT;
        fn ResetDeviceFormat(&self, device: PCWSTR) -> HRESULT;
        fn SetDeviceFormat(
            &self,
            device: PCWSTR,
            endpoint: *mut c_void,
            mix: *mut c_void,
        ) -> HRESULT;
        fn GetProcessingPeriod(
            &self,
            device: PCWSTR,
            default: i32,
            p1: *mut i64,
            p2: *mut i64,
        ) -> HRESULT;
        fn SetProcessingPeriod(&self, device: PCWSTR, period: *mut i64) -> HRESULT;
        fn GetShareMode(&self, device: PCWSTR, mode: *mut c_void) -> HRESULT;
        fn SetShareMode(&self, device: PCWSTR, mode: *mut c_void) -> HRESULT;
        fn GetPropertyValue(
            &self,
            device: PCWSTR,
            store: i32,
            key: *const PROPERTYKEY,
            value: *mut c_void,
        ) -> HRESULT;
        fn SetPropertyValue(
            &self,
            device: PCWSTR,
            store: i32,
            key: *const PROPERTYKEY,
            value: *mut c_void,
        ) -> HRESULT;
        fn SetDefaultEndpoint(&self, device: PCWSTR, role: ERole) -> HRESULT;
        fn SetEndpointVisibility(&self, device: PCWSTR, visible: i32) -> HRESULT;
    }

    /// Makes `device` (a NUL-terminated endpoint id) the default for `role`.
    pub fn set_default(policy: &IPolicyConfig, device: PCWSTR, role: ERole) -> HRESULT {
        unsafe { policy.SetDefaultEndpoint(device, role) }
    }
}
use policy_config::IPolicyConfig;

#[implement(IMMNotificationClient)]
struct EndpointEvents {
    notify: Arc<Notify>,
}

impl IMMNotificationClient_Impl for EndpointEvents_Impl {
    fn OnDeviceStateChanged(&self, _: &PCWSTR, _: DEVICE_STATE) -> windows::core::Result<()> {
        (self.notify)();
        Ok(())
    }
    fn OnDeviceAdded(&self, _: &PCWSTR) -> windows::core::Result<()> {
        (self.notify)();
        Ok(())
    }
    fn OnDeviceRemoved(&self, _: &PCWSTR) -> windows::core::Result<()> {
        (self.notify)();
        Ok(())
    }
    fn OnDefaultDeviceChanged(
        &self,
        flow: EDataFlow,
        _: ERole,
        _: &PCWSTR,
    ) -> windows::core::Result<()> {
        if flow == eCapture {
            (self.notify)();
        }
        Ok(())
    }
    fn OnPropertyValueChanged(&self, _: &PCWSTR, _: &PROPERTYKEY) -> windows::core::Result<()> {
        Ok(())
    }
}

#[implement(IAudioEndpointVolumeCallback)]
struct MuteEvents {
    notify: Arc<Notify>,
}

impl IAudioEndpointVolumeCallback_Impl for MuteEvents_Impl {
    fn OnNotify(&self, _: *mut AUDIO_VOLUME_NOTIFICATION_DATA) -> windows::core::Result<()> {
        (self.notify)();
        Ok(())
    }
}

pub struct WasapiBackend {
    enumerator: IMMDeviceEnumerator,
    /// Why not, when the class is not registered.
    policy: Result<IPolicyConfig, String>,
    events: IMMNotificationClient,
    notify: Arc<Notify>,
    /// Mute watchers per endpoint id, kept while the endpoint is present.
    watched: HashMap<String, (IAudioEndpointVolume, IAudioEndpointVolumeCallback)>,
}

fn failed(e: windows::core::Error) -> AudioError {
    AudioError::Failed(e.message())
}

impl WasapiBackend {
    pub fn connect(notify: Notify) -> Result<Self, AudioError> {
        let unreachable = |e: windows::core::Error| AudioError::Unreachable(e.message());
        // The guard's thread joins the multithreaded apartment; a thread
        // already in one is fine.
        let _ = unsafe { CoInitializeEx(None, COINIT_MULTITHREADED) };
        let enumerator: IMMDeviceEnumerator =
            unsafe { CoCreateInstance(&MMDeviceEnumerator, None, CLSCTX_ALL) }
                .map_err(unreachable)?;
        // SAFETY: creating a COM object on this COM-initialized thread.
        let policy: Result<IPolicyConfig, String> =
            unsafe { CoCreateInstance(&CLSID_POLICY_CONFIG_CLIENT, None, CLSCTX_ALL) }
                .map_err(|e| format!("IPolicyConfig is not available ({})", e.message()));
        if let Err(e) = &policy {
            tracing::warn!("audio: the default microphone cannot be set: {e}");
        }
        let notify = Arc::new(notify);
        let events: IMMNotificationClient = EndpointEvents {
            notify: notify.clone(),
        }
        .into();
        unsafe { enumerator.RegisterEndpointNotificationCallback(&events) }.map_err(unreachable)?;
        Ok(Self {
            enumerator,
            policy,
            events,
            notify,
            watched: HashMap::new(),
        })
    }

    fn device(&self, id: &str) -> Result<IMMDevice, AudioError> {
        let id = wide(id);
        unsafe { self.enumerator.GetDevice(PCWSTR(id.as_ptr())) }.map_err(failed)
    }

    fn default_id(&self, role: ERole) -> Option<String> {
        let device = unsafe { self.enumerator.GetDefaultAudioEndpoint(eCapture, role) }.ok()?;
        device_id(&device)
    }

    fn watch_mute(&mut self, id: &str, volume: &IAudioEndpointVolume) {
        if self.watched.contains_key(id) {
            return;
        }
        let callback: IAudioEndpointVolumeCallback = MuteEvents {
            notify: self.notify.clone(),
        }
        .into();
        if unsafe { volume.RegisterControlChangeNotify(&callback) }.is_ok() {
            self.watched
                .insert(id.to_string(), (volume.clone(), callback));
        }
    }
}

impl Drop for WasapiBackend {
    fn drop(&mut self) {
        unsafe {
            let _ = self
                .enumerator
                .UnregisterEndpointNotificationCallback(&self.events);
            for (volume, callback) in self.watched.values() {
                let _ = volume.UnregisterControlChangeNotify(callback);
            }
        }
    }
}

fn device_id(device: &IMMDevice) -> Option<String> {
    unsafe {
        let raw = device.GetId().ok()?;
        let id = raw.to_string().ok();
        CoTaskMemFree(Some(raw.0 as *const c_void));
        id
    }
}

/// A property's value as text.
fn prop_text(value: &PROPVARIANT) -> Option<String> {
    // SAFETY: value is an initialized PROPVARIANT; the string it gives is
    // ours, freed once below.
    unsafe {
        let text = PropVariantToStringAlloc(value).ok()?;
        let s = text.to_string().ok();
        CoTaskMemFree(Some(text.0 as *const c_void));
        s
    }
}

impl AudioBackend for WasapiBackend {
    fn kind(&self) -> &'static str {
        "wasapi"
    }

    fn read(&mut self) -> Result<Devices, AudioError> {
        let collection = unsafe {
            self.enumerator
                .EnumAudioEndpoints(eCapture, DEVICE_STATE_ACTIVE)
        }
        .map_err(|e| AudioError::Unreachable(e.message()))?;
        let count = unsafe { collection.GetCount() }.map_err(failed)?;
        let mut inputs = Vec::new();
        for i in 0..count {
            let Ok(device) = (unsafe { collection.Item(i) }) else {
                continue;
            };
            let Some(id) = device_id(&device) else {
                continue;
            };
            let Ok(store) = (unsafe { device.OpenPropertyStore(STGM_READ) }) else {
                continue;
            };
            let text = |key: &PROPERTYKEY| {
                unsafe { store.GetValue(key) }
                    .ok()
                    .and_then(|v| prop_text(&v))
                    .filter(|s| !s.is_empty())
            };
            let name = text(&PKEY_Device_FriendlyName).unwrap_or_else(|| id.clone());
            let enumerator = text(&PKEY_Device_EnumeratorName);
            let form_factor = unsafe { store.GetValue(&PKEY_AudioEndpoint_FormFactor) }
                .ok()
                .and_then(|v| u32::try_from(&v).ok());
            let volume: Option<IAudioEndpointVolume> =
                unsafe { device.Activate(CLSCTX_ALL, None) }.ok();
            let muted = volume
                .as_ref()
                .and_then(|v| unsafe { v.GetMute() }.ok())
                .is_some_and(|m| m.as_bool());
            if let Some(v) = &volume {
                self.watch_mute(&id, v);
            }
            inputs.push(InputDevice {
                id,
                name,
                muted,
                facts: DeviceFacts::Windows {
                    form_factor,
                    enumerator,
                },
            });
        }
        self.watched
            .retain(|id, _| inputs.iter().any(|d| &d.id == id));
        // The guard keeps all three roles on the headset; when they
        // disagree there is no single default, and the guard sets them all.
        let roles = [eConsole, eMultimedia, eCommunications].map(|r| self.default_id(r));
        let default_id = if roles.iter().all(|r| r == &roles[0]) {
            roles[0].clone()
        } else {
            None
        };
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
                    Action::SetDefault { input_id } => match &self.policy {
                        Ok(policy) => {
                            let id = wide(input_id);
                            [eConsole, eMultimedia, eCommunications]
                                .into_iter()
                                .try_for_each(|role| {
                                    policy_config::set_default(policy, PCWSTR(id.as_ptr()), role)
                                        .ok()
                                        .map_err(failed)
                                })
                        }
                        Err(why) => Err(AudioError::Failed(why.clone())),
                    },
                    Action::SetMute { input_id, muted } => self.device(input_id).and_then(|d| {
                        let volume: IAudioEndpointVolume =
                            unsafe { d.Activate(CLSCTX_ALL, None) }.map_err(failed)?;
                        unsafe { volume.SetMute(*muted, std::ptr::null()) }.map_err(failed)
                    }),
                    Action::MoveStream { .. } => Err(super::stream_move_unsupported("Windows")),
                };
                (action.clone(), result)
            })
            .collect()
    }
}

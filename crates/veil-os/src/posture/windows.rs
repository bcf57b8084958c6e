//! Windows probes, as the agent's user (no administrator rights): the
//! shell's BitLocker property, Security Center, Windows Firewall's COM
//! policy, the registry (screen saver, inactivity limit, Windows Update
//! policy, Secure Boot), the WLAN service and the network adapters.
//!
//! DLLs that some editions lack (wscapi on Server, wlanapi on Server Core)
//! are loaded at run time from System32, so Veil still starts there and the
//! check answers unknown instead.

use std::ffi::c_void;
use std::time::Duration;

use veil_core::posture::system::WscProduct;
use veil_core::posture::{
    disk, firewall, network, screen_lock, system, Observation, PostureConfig,
};
use windows::core::{s, w, GUID, HRESULT, PCSTR, PCWSTR};
use windows::Win32::Foundation::{
    ERROR_ACCESS_DENIED, ERROR_BUFFER_OVERFLOW, ERROR_INVALID_STATE, ERROR_NO_DATA,
    ERROR_SERVICE_DOES_NOT_EXIST, ERROR_SERVICE_NOT_ACTIVE, ERROR_SUCCESS, HANDLE, PROPERTYKEY,
    RPC_E_CHANGED_MODE,
};
use windows::Win32::NetworkManagement::IpHelper::{
    GetAdaptersAddresses, GAA_FLAG_SKIP_ANYCAST, GAA_FLAG_SKIP_DNS_SERVER, GAA_FLAG_SKIP_MULTICAST,
    GAA_FLAG_SKIP_UNICAST, IP_ADAPTER_ADDRESSES_LH,
};
use windows::Win32::NetworkManagement::Ndis::IfOperStatusUp;
use windows::Win32::NetworkManagement::WiFi::{
    wlan_interface_state_connected, wlan_intf_opcode_current_connection,
    WLAN_CONNECTION_ATTRIBUTES, WLAN_INTERFACE_INFO, WLAN_INTERFACE_INFO_LIST, WLAN_INTF_OPCODE,
    WLAN_OPCODE_VALUE_TYPE,
};
use windows::Win32::NetworkManagement::WindowsFirewall::{
    INetFwPolicy2, NetFwPolicy2, NET_FW_PROFILE2_DOMAIN, NET_FW_PROFILE2_PRIVATE,
    NET_FW_PROFILE2_PUBLIC,
};
use windows::Win32::Networking::WinSock::AF_UNSPEC;
use windows::Win32::System::Com::StructuredStorage::{PropVariantClear, PropVariantToInt32};
use windows::Win32::System::Com::{
    CoCreateInstance, CoInitializeEx, CoUninitialize, CLSCTX_INPROC_SERVER, COINIT_MULTITHREADED,
};
use windows::Win32::System::LibraryLoader::{GetModuleHandleW, GetProcAddress};
use windows::Win32::System::Registry::{HKEY, HKEY_CURRENT_USER, HKEY_LOCAL_MACHINE};

use crate::registry::{self, RegValue};
use crate::win_str::wide;
use windows::Win32::System::SecurityCenter::{
    IWSCProductList, WSCProductList, WSC_SECURITY_PRODUCT_OUT_OF_DATE, WSC_SECURITY_PRODUCT_STATE,
    WSC_SECURITY_PRODUCT_STATE_EXPIRED, WSC_SECURITY_PRODUCT_STATE_ON,
    WSC_SECURITY_PRODUCT_STATE_SNOOZED, WSC_SECURITY_PROVIDER_ANTIVIRUS,
    WSC_SECURITY_PROVIDER_FIREWALL, WSC_SECURITY_PROVIDER_HEALTH, WSC_SECURITY_SIGNATURE_STATUS,
};
use windows::Win32::System::SystemInformation::{
    FirmwareTypeBios, FirmwareTypeUefi, GetFirmwareType, GetSystemWindowsDirectoryW, FIRMWARE_TYPE,
    OSVERSIONINFOW,
};
use windows::Win32::System::Variant::VT_EMPTY;
use windows::Win32::UI::Shell::PropertiesSystem::PSGetPropertyKeyFromName;
use windows::Win32::UI::Shell::{IShellItem2, SHCreateItemFromParsingName};

use crate::dll::{Library, RawProc};

// ---------------------------------------------------------------- helpers

/// COM on the calling thread (probes run on a worker thread). Undone on
/// drop only when this scope set it up; declare it before any COM object so
/// the objects are released first.
struct ComScope {
    uninit: bool,
}

impl ComScope {
    fn enter() -> Result<ComScope, String> {
        // SAFETY: initializes COM for this thread; balanced in Drop.
        let hr = unsafe { CoInitializeEx(None, COINIT_MULTITHREADED) };
        if hr == RPC_E_CHANGED_MODE {
            // Already an apartment-threaded thread: COM works as it is,
            // and it is not ours to tear down.
            return Ok(ComScope { uninit: false });
        }
        if hr.is_err() {
            return Err(format!("COM could not start ({})", hresult(hr)));
        }
        // S_OK and S_FALSE (already initialized) both take a CoUninitialize.
        Ok(ComScope { uninit: true })
    }
}

impl Drop for ComScope {
    fn drop(&mut self) {
        if self.uninit {
            // SAFETY: balances the successful CoInitializeEx of this scope.
            unsafe { CoUninitialize() };
        }
    }
}

fn hresult(hr: HRESULT) -> String {
    format!("0x{:08X}", hr.0 as u32)
}

fn com_error(what: &str, e: windows::core::Error) -> String {
    format!("{what} failed ({})", hresult(e.code()))
}

/// One value, with the error as the check's reason.
fn reg_read(root: HKEY, path: &str, name: &str) -> Result<Option<RegValue>, String> {
    registry::read_value(root, path, name).map_err(|e| e.to_string())
}

// ---------------------------------------------------------------- disk

pub struct DiskProbe;

/// The system drive's root ("C:\"), from the Windows folder's path.
fn system_drive() -> Option<String> {
    let mut buf = [0u16; 260];
    // SAFETY: buf is writable for its length.
    let n = unsafe { GetSystemWindowsDirectoryW(Some(&mut buf)) } as usize;
    let dir = if n > 0 && n < buf.len() {
        String::from_utf16_lossy(&buf[..n])
    } else {
        std::env::var("SystemDrive").ok()?
    };
    let drive = dir.get(..2).filter(|d| d.ends_with(':'))?;
    Some(format!("{drive}\\"))
}

/// `System.Volume.BitLockerProtection` of the system drive, as Explorer
/// shows it (no administrator rights, unlike the BitLocker WMI class).
fn bitlocker_protection() -> Result<u32, String> {
    let _com = ComScope::enter()?;
    let drive = system_drive().ok_or("the system drive could not be found")?;
    let wdrive = wide(&drive);
    let mut key = PROPERTYKEY::default();
    // SAFETY: key is writable; the name is a NUL-terminated literal.
    unsafe { PSGetPropertyKeyFromName(w!("System.Volume.BitLockerProtection"), &mut key) }
        .map_err(|e| com_error("looking up the BitLocker property", e))?;
    // SAFETY: wdrive is NUL-terminated and outlives the call.
    let item: IShellItem2 = unsafe { SHCreateItemFromParsingName(PCWSTR(wdrive.as_ptr()), None) }
        .map_err(|e| com_error(&format!("opening {drive}"), e))?;
    // SAFETY: key is a valid property key for the call's duration.
    let mut value = unsafe { item.GetProperty(&key) }
        .map_err(|e| com_error("reading the BitLocker property", e))?;
    // An integer helper, not PROPVARIANT's text conversion (which needs
    // PropVariantToBSTR, missing on Wine).
    // SAFETY: value is an initialized PROPVARIANT; vt is always valid to read.
    let read = unsafe {
        if value.Anonymous.Anonymous.vt == VT_EMPTY {
            Err("the system drive has no BitLocker state".to_string())
        } else {
            PropVariantToInt32(&value).map_err(|e| com_error("converting the BitLocker state", e))
        }
    };
    // SAFETY: releases what GetProperty allocated in value, once.
    let _ = unsafe { PropVariantClear(&mut value) };
    u32::try_from(read?).map_err(|_| "the BitLocker state was negative".to_string())
}

impl crate::posture::DiskEncryption for DiskProbe {
    fn disk_encryption(&self) -> Observation {
        let protection = bitlocker_protection()
            .map_err(|e| tracing::debug!("posture: BitLocker: {e}"))
            .ok();
        disk::decide_bitlocker(protection)
    }
}

// ---------------------------------------------------------------- firewall

pub struct FirewallProbe;

type WscHealthFn = unsafe extern "system" fn(u32, *mut WSC_SECURITY_PROVIDER_HEALTH) -> HRESULT;

/// Security Center's firewall health (third-party firewalls report here).
fn wsc_firewall_health() -> Result<u32, String> {
    let lib = Library::system32("wscapi.dll")?;
    let f = lib
        .symbol(s!("WscGetSecurityProviderHealth"))
        .ok_or("wscapi.dll has no WscGetSecurityProviderHealth")?;
    // SAFETY: the documented signature of WscGetSecurityProviderHealth.
    let f: WscHealthFn = unsafe { std::mem::transmute::<RawProc, WscHealthFn>(f) };
    let mut health = WSC_SECURITY_PROVIDER_HEALTH::default();
    // SAFETY: health is writable; lib keeps the function loaded.
    let hr = unsafe { f(WSC_SECURITY_PROVIDER_FIREWALL.0 as u32, &mut health) };
    if hr.is_err() {
        return Err(format!("Security Center did not answer ({})", hresult(hr)));
    }
    u32::try_from(health.0).map_err(|_| "Security Center reported a negative health".into())
}

/// Windows Firewall on or off for each profile that is active now.
fn firewall_profiles() -> Result<Vec<bool>, String> {
    let _com = ComScope::enter()?;
    // SAFETY: a COM call on a thread with COM set up; the class is in-process.
    let policy: INetFwPolicy2 =
        unsafe { CoCreateInstance(&NetFwPolicy2, None, CLSCTX_INPROC_SERVER) }
            .map_err(|e| com_error("opening Windows Firewall's policy", e))?;
    // SAFETY: a method call on a live interface.
    let active = unsafe { policy.CurrentProfileTypes() }
        .map_err(|e| com_error("reading the active profiles", e))?;
    let mut on = Vec::new();
    for profile in [
        NET_FW_PROFILE2_DOMAIN,
        NET_FW_PROFILE2_PRIVATE,
        NET_FW_PROFILE2_PUBLIC,
    ] {
        if active & profile.0 != 0 {
            // SAFETY: a method call on a live interface.
            let enabled = unsafe { policy.get_FirewallEnabled(profile) }
                .map_err(|e| com_error("reading a profile's state", e))?;
            on.push(enabled.0 != 0);
        }
    }
    if on.is_empty() {
        // No active profile is "not known", not "off".
        return Err("no network profile is active".into());
    }
    Ok(on)
}

impl crate::posture::Firewall for FirewallProbe {
    fn firewall(&self) -> Observation {
        let f = firewall::WindowsFirewall {
            wsc_health: wsc_firewall_health()
                .map_err(|e| tracing::debug!("posture: firewall health: {e}"))
                .ok(),
            active_profiles_on: firewall_profiles()
                .map_err(|e| tracing::debug!("posture: firewall profiles: {e}"))
                .ok(),
        };
        firewall::decide_windows(&f)
    }
}

// ---------------------------------------------------------------- screen lock

pub struct ScreenLockProbe;

const MACHINE_POLICY: &str = r"SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System";
const DESKTOP_POLICY: &str = r"Software\Policies\Microsoft\Windows\Control Panel\Desktop";
const DESKTOP: &str = r"Control Panel\Desktop";

/// A screen saver value: group policy wins over the user's own choice.
fn desktop_value(name: &str, errors: &mut Vec<String>) -> Option<RegValue> {
    for path in [DESKTOP_POLICY, DESKTOP] {
        match reg_read(HKEY_CURRENT_USER, path, name) {
            Ok(Some(v)) => return Some(v),
            Ok(None) => {}
            Err(e) => {
                errors.push(e);
                return None;
            }
        }
    }
    None
}

fn screen_lock_facts() -> (screen_lock::Windows, Vec<String>) {
    let mut errors = Vec::new();
    let inactivity_timeout =
        match reg_read(HKEY_LOCAL_MACHINE, MACHINE_POLICY, "InactivityTimeoutSecs") {
            Ok(v) => v.and_then(|v| v.number_u32()),
            Err(e) => {
                errors.push(e);
                None
            }
        };
    let active = desktop_value("ScreenSaveActive", &mut errors).map(|v| v.number() == Some(1));
    // "Enable screen saver" only runs one when a program is chosen:
    // choosing "(None)" removes SCRNSAVE.EXE.
    let program_set =
        desktop_value("SCRNSAVE.EXE", &mut errors).is_some_and(|v| !v.is_empty_text());
    let secure = desktop_value("ScreenSaverIsSecure", &mut errors).map(|v| v.number() == Some(1));
    let timeout = desktop_value("ScreenSaveTimeOut", &mut errors).and_then(|v| v.number_u32());
    let facts = screen_lock::Windows {
        inactivity_timeout,
        screensaver_active: active.map(|a| a && program_set),
        screensaver_secure: secure,
        screensaver_timeout: timeout,
    };
    (facts, errors)
}

impl crate::posture::ScreenLock for ScreenLockProbe {
    fn screen_lock(&self, max: Duration) -> Observation {
        let (facts, errors) = screen_lock_facts();
        let o = screen_lock::decide_windows(&facts, max);
        // A value that could not be read must not become "off": only a
        // lock found among the values that were read can pass.
        if o.result != veil_core::posture::CheckResult::Pass && !errors.is_empty() {
            return Observation::unknown(
                &format!("locks within {} minutes", max.as_secs().div_ceil(60)),
                errors.join("; "),
            );
        }
        o
    }
}

// ---------------------------------------------------------------- updates

pub struct UpdatesProbe;

type RtlGetVersionFn = unsafe extern "system" fn(*mut OSVERSIONINFOW) -> i32;

/// The build from the registry, else from ntdll's RtlGetVersion (which,
/// unlike GetVersionEx, does not depend on the manifest).
fn windows_build() -> Option<u32> {
    let key = r"SOFTWARE\Microsoft\Windows NT\CurrentVersion";
    if let Ok(Some(v)) = reg_read(HKEY_LOCAL_MACHINE, key, "CurrentBuildNumber") {
        if let Some(b) = v.number_u32() {
            return Some(b);
        }
    }
    // SAFETY: ntdll is mapped into every process; the name is a literal.
    let ntdll = unsafe { GetModuleHandleW(w!("ntdll.dll")) }.ok()?;
    // SAFETY: a module that stays loaded for the process's life.
    let f = unsafe { GetProcAddress(ntdll, s!("RtlGetVersion")) }?;
    // SAFETY: the documented signature of RtlGetVersion.
    let f: RtlGetVersionFn = unsafe { std::mem::transmute::<RawProc, RtlGetVersionFn>(f) };
    // SAFETY: a plain C struct, valid when zeroed.
    let mut info: OSVERSIONINFOW = unsafe { std::mem::zeroed() };
    info.dwOSVersionInfoSize = std::mem::size_of::<OSVERSIONINFOW>() as u32;
    // SAFETY: info is writable and its size field is set.
    (unsafe { f(&mut info) } == 0).then_some(info.dwBuildNumber)
}

/// Automatic updates from Windows Update's group policy: `NoAutoUpdate` 1
/// or `AUOptions` 1 turn them off; without the policy Windows 10 and 11
/// (build 10240 on) always update automatically.
fn automatic_updates(build: Option<u32>) -> Result<Option<bool>, String> {
    let au = r"SOFTWARE\Policies\Microsoft\Windows\WindowsUpdate\AU";
    let no_auto = reg_read(HKEY_LOCAL_MACHINE, au, "NoAutoUpdate")?;
    let options = reg_read(HKEY_LOCAL_MACHINE, au, "AUOptions")?;
    let no_auto = no_auto.and_then(|v| v.number());
    let options = options.and_then(|v| v.number());
    if no_auto == Some(1) || options == Some(1) {
        return Ok(Some(false));
    }
    if no_auto.is_some() || options.is_some() {
        return Ok(Some(true));
    }
    Ok(build.filter(|b| *b >= 10240).map(|_| true))
}

impl crate::posture::OsUpdates for UpdatesProbe {
    fn os_updates(&self, config: &PostureConfig) -> Observation {
        let build = windows_build();
        let automatic = automatic_updates(build)
            .map_err(|e| tracing::debug!("posture: Windows Update policy: {e}"))
            .ok()
            .flatten();
        system::decide_windows_updates(automatic, build, config.min_windows_build)
    }
}

// ---------------------------------------------------------------- antivirus

pub struct AntivirusProbe;

/// The `productState` bits `WscProduct` decodes, from the product list's
/// enums: bits 12–13 on (1), snoozed (2) or expired (3); 0x10 out of date.
fn wsc_state(state: WSC_SECURITY_PRODUCT_STATE, signatures: WSC_SECURITY_SIGNATURE_STATUS) -> u32 {
    let on = match state {
        WSC_SECURITY_PRODUCT_STATE_ON => 0x1000,
        WSC_SECURITY_PRODUCT_STATE_SNOOZED => 0x2000,
        WSC_SECURITY_PRODUCT_STATE_EXPIRED => 0x3000,
        // Off, or a state newer than this code: not counted as on.
        _ => 0,
    };
    let stale = if signatures == WSC_SECURITY_PRODUCT_OUT_OF_DATE {
        0x10
    } else {
        0
    };
    on | stale
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// WSC keeps RFC 1123 text ("Mon, 13 Jan 2025 10:00:00 GMT"), which does
/// not sort as text; "2025-01-13 10:00:00" does. Other forms are kept as
/// they are.
fn sortable_timestamp(text: &str) -> String {
    let parts: Vec<&str> = text.split_whitespace().collect();
    let parsed = match parts.as_slice() {
        [_, day, month, year, time, ..] => {
            let month = MONTHS.iter().position(|m| m.eq_ignore_ascii_case(month));
            match (day.parse::<u32>(), month, year.parse::<u32>()) {
                (Ok(d), Some(m), Ok(y)) => Some(format!("{y:04}-{:02}-{d:02} {time}", m + 1)),
                _ => None,
            }
        }
        _ => None,
    };
    parsed.unwrap_or_else(|| text.to_string())
}

/// Security Center's antivirus products; an error when the class is not
/// there (Windows Server, Wine).
fn wsc_products() -> Result<Vec<WscProduct>, String> {
    let _com = ComScope::enter()?;
    // SAFETY: a COM call on a thread with COM set up; the class is in-process.
    let list: IWSCProductList =
        unsafe { CoCreateInstance(&WSCProductList, None, CLSCTX_INPROC_SERVER) }
            .map_err(|e| com_error("opening Security Center's product list", e))?;
    // SAFETY: method calls on a live interface.
    let count = unsafe {
        list.Initialize(WSC_SECURITY_PROVIDER_ANTIVIRUS)
            .and_then(|()| list.Count())
    }
    .map_err(|e| com_error("listing antivirus products", e))?;
    let mut out = Vec::new();
    for i in 0..u32::try_from(count).unwrap_or(0) {
        // SAFETY: method calls on live interfaces; the BSTRs free themselves.
        let product = unsafe {
            list.get_Item(i).and_then(|p| {
                Ok(WscProduct {
                    name: p.ProductName()?.to_string(),
                    state: wsc_state(p.ProductState()?, p.SignatureStatus()?),
                    updated: p
                        .ProductStateTimestamp()
                        .ok()
                        .map(|t| sortable_timestamp(&t.to_string())),
                })
            })
        };
        // A product whose state cannot be read is left out rather than
        // guessed on or off.
        match product {
            Ok(p) => out.push(p),
            Err(e) => tracing::debug!("posture: antivirus product {i}: {}", hresult(e.code())),
        }
    }
    Ok(out)
}

impl crate::posture::Antivirus for AntivirusProbe {
    /// Windows asks Security Center; policy's names are for Linux and macOS.
    fn antivirus(&self, _named: &[String]) -> Observation {
        let products = wsc_products().unwrap_or_else(|e| {
            tracing::debug!("posture: antivirus: {e}");
            Vec::new()
        });
        system::decide_wsc_antivirus(&products)
    }
}

// ---------------------------------------------------------------- wifi

pub struct WifiProbe;

type WlanOpenHandleFn = unsafe extern "system" fn(u32, *const c_void, *mut u32, *mut HANDLE) -> u32;
type WlanCloseHandleFn = unsafe extern "system" fn(HANDLE, *const c_void) -> u32;
type WlanEnumInterfacesFn =
    unsafe extern "system" fn(HANDLE, *const c_void, *mut *mut WLAN_INTERFACE_INFO_LIST) -> u32;
type WlanQueryInterfaceFn = unsafe extern "system" fn(
    HANDLE,
    *const GUID,
    WLAN_INTF_OPCODE,
    *const c_void,
    *mut u32,
    *mut *mut c_void,
    *mut WLAN_OPCODE_VALUE_TYPE,
) -> u32;
type WlanFreeMemoryFn = unsafe extern "system" fn(*const c_void);

/// wlanapi.dll's functions, loaded at run time (Server Core has none).
struct Wlan {
    open: WlanOpenHandleFn,
    close: WlanCloseHandleFn,
    enumerate: WlanEnumInterfacesFn,
    query: WlanQueryInterfaceFn,
    free: WlanFreeMemoryFn,
    _lib: Library,
}

impl Wlan {
    fn load() -> Result<Wlan, String> {
        let lib = Library::system32("wlanapi.dll")?;
        let get = |name: PCSTR| {
            lib.symbol(name)
                .ok_or_else(|| "wlanapi.dll lacks a function Veil needs".to_string())
        };
        let (open, close, enumerate, query, free) = (
            get(s!("WlanOpenHandle"))?,
            get(s!("WlanCloseHandle"))?,
            get(s!("WlanEnumInterfaces"))?,
            get(s!("WlanQueryInterface"))?,
            get(s!("WlanFreeMemory"))?,
        );
        // SAFETY: each pointer is cast to its function's documented signature.
        unsafe {
            Ok(Wlan {
                open: std::mem::transmute::<RawProc, WlanOpenHandleFn>(open),
                close: std::mem::transmute::<RawProc, WlanCloseHandleFn>(close),
                enumerate: std::mem::transmute::<RawProc, WlanEnumInterfacesFn>(enumerate),
                query: std::mem::transmute::<RawProc, WlanQueryInterfaceFn>(query),
                free: std::mem::transmute::<RawProc, WlanFreeMemoryFn>(free),
                _lib: lib,
            })
        }
    }
}

/// The DOT11_AUTH_ALGORITHM of each connected Wi-Fi interface.
fn wifi_facts() -> Vec<network::WindowsWifi> {
    use network::WindowsWifi;
    let wlan = match Wlan::load() {
        Ok(w) => w,
        // No WLAN support at all: a computer without Wi-Fi.
        Err(e) => {
            tracing::debug!("posture: Wi-Fi: {e}");
            return vec![WindowsWifi::NotConnected];
        }
    };
    let mut version = 0u32;
    let mut handle = HANDLE::default();
    // SAFETY: out-parameters are writable locals.
    let rc = unsafe { (wlan.open)(2, std::ptr::null(), &mut version, &mut handle) };
    if rc == ERROR_SERVICE_NOT_ACTIVE.0 || rc == ERROR_SERVICE_DOES_NOT_EXIST.0 {
        // WLAN AutoConfig is off or absent: no Wi-Fi in use (desktops,
        // Server).
        return vec![WindowsWifi::NotConnected];
    }
    if rc != ERROR_SUCCESS.0 {
        return vec![WindowsWifi::Error(format!(
            "the WLAN service could not be opened (error {rc})"
        ))];
    }
    let mut list: *mut WLAN_INTERFACE_INFO_LIST = std::ptr::null_mut();
    // SAFETY: handle is open; list receives memory freed below.
    let rc = unsafe { (wlan.enumerate)(handle, std::ptr::null(), &mut list) };
    let mut out = Vec::new();
    if rc != ERROR_SUCCESS.0 || list.is_null() {
        out.push(WindowsWifi::Error(format!(
            "the Wi-Fi interfaces could not be listed (error {rc})"
        )));
    } else {
        // SAFETY: list is a WLAN_INTERFACE_INFO_LIST with dwNumberOfItems
        // entries laid out from InterfaceInfo on.
        let items = unsafe {
            let n = (*list).dwNumberOfItems as usize;
            let first = std::ptr::addr_of!((*list).InterfaceInfo).cast::<WLAN_INTERFACE_INFO>();
            std::slice::from_raw_parts(first, n)
        };
        for intf in items
            .iter()
            .filter(|i| i.isState == wlan_interface_state_connected)
        {
            let mut size = 0u32;
            let mut data: *mut c_void = std::ptr::null_mut();
            // SAFETY: handle is open; data receives memory freed below.
            let rc = unsafe {
                (wlan.query)(
                    handle,
                    &intf.InterfaceGuid,
                    wlan_intf_opcode_current_connection,
                    std::ptr::null(),
                    &mut size,
                    &mut data,
                    std::ptr::null_mut(),
                )
            };
            let fact = if rc == ERROR_ACCESS_DENIED.0 {
                // Windows 11 hides the connection without location access.
                WindowsWifi::NoPermission
            } else if rc == ERROR_INVALID_STATE.0 {
                // Disconnected between the two calls.
                WindowsWifi::NotConnected
            } else if rc != ERROR_SUCCESS.0
                || data.is_null()
                || (size as usize) < std::mem::size_of::<WLAN_CONNECTION_ATTRIBUTES>()
            {
                WindowsWifi::Error(format!(
                    "the Wi-Fi connection could not be read (error {rc})"
                ))
            } else {
                // SAFETY: data holds a WLAN_CONNECTION_ATTRIBUTES (size checked).
                let auth = unsafe {
                    (*data.cast::<WLAN_CONNECTION_ATTRIBUTES>())
                        .wlanSecurityAttributes
                        .dot11AuthAlgorithm
                        .0
                };
                WindowsWifi::Auth(auth as u32)
            };
            if !data.is_null() {
                // SAFETY: memory wlanapi allocated for this query, freed once.
                unsafe { (wlan.free)(data) };
            }
            out.push(fact);
        }
        // SAFETY: the list wlanapi allocated, freed once.
        unsafe { (wlan.free)(list.cast()) };
    }
    // SAFETY: the handle opened above, closed once.
    unsafe { (wlan.close)(handle, std::ptr::null()) };
    if out.is_empty() {
        out.push(WindowsWifi::NotConnected);
    }
    out
}

impl crate::posture::Wifi for WifiProbe {
    fn wifi(&self) -> Observation {
        // Several connected adapters (rare): a failing one is reported,
        // else the first one's answer.
        let observations: Vec<Observation> = wifi_facts()
            .iter()
            .map(network::decide_windows_wifi)
            .collect();
        let fail = observations
            .iter()
            .position(|o| o.result == veil_core::posture::CheckResult::Fail);
        observations
            .into_iter()
            .nth(fail.unwrap_or(0))
            .unwrap_or_else(|| network::decide_windows_wifi(&network::WindowsWifi::NotConnected))
    }
}

// ---------------------------------------------------------------- vpn

pub struct VpnProbe;

/// Adapters that are up, by friendly name ("Ethernet 2", "wg0"), driver
/// description ("WireGuard Tunnel", "TAP-Windows Adapter V9") and GUID name.
fn adapters_up() -> Result<Vec<String>, String> {
    let flags = GAA_FLAG_SKIP_UNICAST
        | GAA_FLAG_SKIP_ANYCAST
        | GAA_FLAG_SKIP_MULTICAST
        | GAA_FLAG_SKIP_DNS_SERVER;
    let mut size: u32 = 16 * 1024;
    // The list can grow between the size query and the read: retry.
    for _ in 0..4 {
        // u64s: the structures need 8-byte alignment.
        let mut buf = vec![0u64; (size as usize).div_ceil(8)];
        // SAFETY: buf is writable for size bytes.
        let rc = unsafe {
            GetAdaptersAddresses(
                u32::from(AF_UNSPEC.0),
                flags,
                None,
                Some(buf.as_mut_ptr().cast()),
                &mut size,
            )
        };
        if rc == ERROR_BUFFER_OVERFLOW.0 {
            continue;
        }
        if rc == ERROR_NO_DATA.0 {
            return Ok(Vec::new());
        }
        if rc != ERROR_SUCCESS.0 {
            return Err(format!(
                "the network adapters could not be listed (error {rc})"
            ));
        }
        let mut names = Vec::new();
        let mut p = buf.as_ptr().cast::<IP_ADAPTER_ADDRESSES_LH>();
        while !p.is_null() {
            // SAFETY: p walks the linked list GetAdaptersAddresses wrote into
            // buf, which outlives the walk; strings are NUL-terminated.
            unsafe {
                let a = &*p;
                if a.OperStatus == IfOperStatusUp {
                    for name in [a.FriendlyName, a.Description] {
                        if !name.is_null() {
                            names.extend(name.to_string().ok());
                        }
                    }
                    if !a.AdapterName.is_null() {
                        names.extend(a.AdapterName.to_string().ok());
                    }
                }
                p = a.Next;
            }
        }
        return Ok(names);
    }
    Err("the network adapter list kept changing".into())
}

impl crate::posture::Vpn for VpnProbe {
    fn vpn(&self, required: bool, interfaces: &[String]) -> Observation {
        if !required {
            return network::decide_vpn(&Default::default(), required, interfaces);
        }
        match adapters_up() {
            Ok(interfaces_up) => network::decide_vpn(
                &network::VpnFacts {
                    nm_vpn_active: None,
                    interfaces_up,
                },
                required,
                interfaces,
            ),
            // An empty list would read as "VPN down".
            Err(e) => Observation::unknown("vpn_up", e),
        }
    }
}

// ---------------------------------------------------------------- secure boot

pub struct SecureBootProbe;

/// UEFI or BIOS: `PEFirmwareType` (1 BIOS, 2 UEFI), which Windows writes
/// at every start, else GetFirmwareType. The registry first: Wine's
/// GetFirmwareType is a stub that aborts the process.
fn firmware_is_uefi() -> Option<bool> {
    match reg_read(
        HKEY_LOCAL_MACHINE,
        r"SYSTEM\CurrentControlSet\Control",
        "PEFirmwareType",
    ) {
        Ok(Some(v)) => match v.number() {
            Some(2) => return Some(true),
            Some(1) => return Some(false),
            _ => {}
        },
        Ok(None) => {}
        Err(e) => tracing::debug!("posture: firmware type: {e}"),
    }
    let mut kind = FIRMWARE_TYPE::default();
    // SAFETY: kind is writable.
    unsafe { GetFirmwareType(&mut kind) }.ok()?;
    if kind == FirmwareTypeUefi {
        Some(true)
    } else if kind == FirmwareTypeBios {
        Some(false)
    } else {
        None
    }
}

fn secure_boot_enabled() -> Option<bool> {
    let key = r"SYSTEM\CurrentControlSet\Control\SecureBoot\State";
    match reg_read(HKEY_LOCAL_MACHINE, key, "UEFISecureBootEnabled") {
        Ok(v) => v.and_then(|v| v.number()).map(|n| n == 1),
        Err(e) => {
            tracing::debug!("posture: Secure Boot: {e}");
            None
        }
    }
}

impl crate::posture::SecureBoot for SecureBootProbe {
    fn secure_boot(&self) -> Observation {
        system::decide_windows_secure_boot(firmware_is_uefi(), secure_boot_enabled())
    }
}

pub fn probes() -> crate::posture::Probes {
    crate::posture::Probes {
        disk_encryption: Box::new(DiskProbe),
        firewall: Box::new(FirewallProbe),
        screen_lock: Box::new(ScreenLockProbe),
        os_updates: Box::new(UpdatesProbe),
        antivirus: Box::new(AntivirusProbe),
        wifi: Box::new(WifiProbe),
        vpn: Box::new(VpnProbe),
        secure_boot: Box::new(SecureBootProbe),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use windows::Win32::System::SecurityCenter::WSC_SECURITY_PRODUCT_STATE_OFF;

    #[test]
    fn wsc_states_decode_as_veil_core_reads_them() {
        let p = |state, sig| WscProduct {
            name: "Defender".into(),
            state: wsc_state(state, sig),
            updated: None,
        };
        use windows::Win32::System::SecurityCenter::WSC_SECURITY_PRODUCT_UP_TO_DATE as CURRENT;
        let on = p(WSC_SECURITY_PRODUCT_STATE_ON, CURRENT);
        assert!(on.enabled() && on.up_to_date());
        let stale = p(
            WSC_SECURITY_PRODUCT_STATE_ON,
            WSC_SECURITY_PRODUCT_OUT_OF_DATE,
        );
        assert!(stale.enabled() && !stale.up_to_date());
        for off in [
            WSC_SECURITY_PRODUCT_STATE_OFF,
            WSC_SECURITY_PRODUCT_STATE_SNOOZED,
            WSC_SECURITY_PRODUCT_STATE_EXPIRED,
        ] {
            assert!(!p(off, CURRENT).enabled());
        }
    }

    #[test]
    fn timestamps_sort() {
        assert_eq!(
            sortable_timestamp("Mon, 13 Jan 2025 10:00:00 GMT"),
            "2025-01-13 10:00:00"
        );
        assert!(
            sortable_timestamp("Fri, 02 Feb 2024 09:00:00 GMT")
                < sortable_timestamp("Mon, 13 Jan 2025 10:00:00 GMT")
        );
        assert_eq!(sortable_timestamp("garbage"), "garbage");
    }

    #[test]
    fn probes_answer_on_this_machine() {
        let config = PostureConfig::default();
        for (id, o) in probes().run(&config, None) {
            assert!(!o.observed.is_empty(), "{id:?}: {o:?}");
        }
    }
}

//! `wifi` and `vpn` on Linux: NetworkManager's active connections over the
//! system bus (for Wi-Fi only the access point's security flags are read,
//! never its name or address), and which interfaces are up in sysfs.

use std::fs;

use dbus::blocking::Connection;
use veil_core::posture::network::{decide_nm_wifi, decide_vpn, AccessPoint, VpnFacts};
use veil_core::posture::Observation;

use super::{bus, Environment};

const NM: &str = "org.freedesktop.NetworkManager";
const NM_PATH: &str = "/org/freedesktop/NetworkManager";
const ACTIVE: &str = "org.freedesktop.NetworkManager.Connection.Active";
const WIRELESS: &str = "org.freedesktop.NetworkManager.Device.Wireless";
const AP: &str = "org.freedesktop.NetworkManager.AccessPoint";
/// `NM_ACTIVE_CONNECTION_STATE_ACTIVATED`.
const ACTIVATED: u32 = 2;
/// `IFF_UP` in `/sys/class/net/*/flags`.
const IFF_UP: u32 = 0x1;

/// One of NetworkManager's active connections, as far as posture cares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActiveConnection {
    pub path: String,
    /// `802-11-wireless`, `802-3-ethernet`, `vpn`, `wireguard`, ...
    pub kind: String,
    pub vpn: bool,
    pub state: Option<u32>,
}

/// The active connections; None when NetworkManager is not running.
fn active_connections(c: &Connection) -> Result<Option<Vec<ActiveConnection>>, String> {
    // Not started on demand: a probe should not bring up NetworkManager.
    if !bus::has_owner(c, NM).map_err(|e| format!("the system bus: {e}"))? {
        return Ok(None);
    }
    let paths: Vec<dbus::Path<'static>> =
        bus::property(c, NM, NM_PATH, NM, "ActiveConnections").map_err(nm_error)?;
    let mut out = Vec::with_capacity(paths.len());
    for p in paths {
        // A connection can go away between the list and the read: skip it.
        let Ok(kind) = bus::property::<String>(c, NM, &p, ACTIVE, "Type") else {
            continue;
        };
        out.push(ActiveConnection {
            vpn: bus::property::<bool>(c, NM, &p, ACTIVE, "Vpn").unwrap_or(false),
            state: bus::property::<u32>(c, NM, &p, ACTIVE, "State").ok(),
            path: p.to_string(),
            kind,
        });
    }
    Ok(Some(out))
}

fn nm_error(e: String) -> String {
    format!("NetworkManager: {e}")
}

/// The access point a Wi-Fi connection uses: each of its devices' active
/// access point, else the connection's `SpecificObject` (the access point
/// for Wi-Fi connections).
fn access_points(c: &Connection, conn: &ActiveConnection) -> Result<Vec<AccessPoint>, String> {
    let devices: Vec<dbus::Path<'static>> =
        bus::property(c, NM, &conn.path, ACTIVE, "Devices").map_err(nm_error)?;
    let mut paths: Vec<String> = devices
        .iter()
        .filter_map(|d| {
            bus::property::<dbus::Path<'static>>(c, NM, d, WIRELESS, "ActiveAccessPoint").ok()
        })
        .map(|p| p.to_string())
        .filter(|p| p != "/")
        .collect();
    if paths.is_empty() {
        if let Ok(p) =
            bus::property::<dbus::Path<'static>>(c, NM, &conn.path, ACTIVE, "SpecificObject")
        {
            if &*p != "/" {
                paths.push(p.to_string());
            }
        }
    }
    if paths.is_empty() {
        return Err("NetworkManager names no access point for the active Wi-Fi connection".into());
    }
    paths
        .iter()
        .map(|p| {
            Ok(AccessPoint {
                flags: bus::property(c, NM, p, AP, "Flags").map_err(nm_error)?,
                wpa_flags: bus::property(c, NM, p, AP, "WpaFlags").map_err(nm_error)?,
                rsn_flags: bus::property(c, NM, p, AP, "RsnFlags").map_err(nm_error)?,
            })
        })
        .collect()
}

pub struct WifiProbe {
    env: Environment,
}

impl WifiProbe {
    pub fn new(env: Environment) -> Self {
        Self { env }
    }

    /// The access points of the active Wi-Fi connections; Ok(None) when
    /// NetworkManager is not running.
    pub fn read(&self) -> Result<Option<Vec<AccessPoint>>, String> {
        let c = self
            .env
            .system_bus()
            .map_err(|e| format!("the system bus: {e}"))?;
        let Some(active) = active_connections(&c)? else {
            return Ok(None);
        };
        let mut aps = Vec::new();
        for conn in active.iter().filter(|a| a.kind == "802-11-wireless") {
            aps.extend(access_points(&c, conn)?);
        }
        Ok(Some(aps))
    }
}

impl crate::posture::Wifi for WifiProbe {
    fn wifi(&self) -> Observation {
        match self.read() {
            Ok(aps) => decide_nm_wifi(aps.as_deref()),
            Err(e) => Observation::unknown(&decide_nm_wifi(None).expected, e),
        }
    }
}

pub struct VpnProbe {
    env: Environment,
}

impl VpnProbe {
    pub fn new(env: Environment) -> Self {
        Self { env }
    }

    pub fn facts(&self) -> VpnFacts {
        let nm_vpn_active = self
            .env
            .system_bus()
            .ok()
            .and_then(|c| active_connections(&c).ok().flatten())
            .map(|active| {
                active.iter().any(|a| {
                    (a.vpn || a.kind == "vpn" || a.kind == "wireguard")
                        // A tunnel still connecting is not up yet.
                        && a.state.is_none_or(|s| s == ACTIVATED)
                })
            });
        VpnFacts {
            nm_vpn_active,
            interfaces_up: self.interfaces_up(),
        }
    }

    /// Interfaces that are up. Tunnels (tun, WireGuard) report `unknown`
    /// as their operational state, so their `IFF_UP` flag decides.
    pub fn interfaces_up(&self) -> Vec<String> {
        let Ok(dir) = fs::read_dir(self.env.path("/sys/class/net")) else {
            return vec![];
        };
        let mut up: Vec<String> = dir
            .flatten()
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                if name == "lo" {
                    return None;
                }
                let base = e.path();
                let oper = fs::read_to_string(base.join("operstate")).unwrap_or_default();
                let is_up = match oper.trim() {
                    "up" => true,
                    "unknown" => fs::read_to_string(base.join("flags"))
                        .ok()
                        .and_then(|f| {
                            let f = f.trim();
                            u32::from_str_radix(f.trim_start_matches("0x"), 16).ok()
                        })
                        .is_some_and(|f| f & IFF_UP != 0),
                    _ => false,
                };
                is_up.then_some(name)
            })
            .collect();
        up.sort();
        up
    }
}

impl crate::posture::Vpn for VpnProbe {
    fn vpn(&self, required: bool, interfaces: &[String]) -> Observation {
        if !required {
            // Nothing to read when policy does not ask.
            return decide_vpn(&VpnFacts::default(), false, interfaces);
        }
        decide_vpn(&self.facts(), required, interfaces)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interfaces_up_from_sysfs() {
        let dir = tempfile::tempdir().unwrap();
        let net = dir.path().join("sys/class/net");
        for (name, oper, flags) in [
            ("lo", "unknown", "0x9"),
            ("eth0", "up", "0x1003"),
            ("wlan0", "down", "0x1002"),
            ("tun0", "unknown", "0x1091"),
            ("wg0", "unknown", "0x90"),
        ] {
            fs::create_dir_all(net.join(name)).unwrap();
            fs::write(net.join(name).join("operstate"), format!("{oper}\n")).unwrap();
            fs::write(net.join(name).join("flags"), format!("{flags}\n")).unwrap();
        }
        let p = VpnProbe::new(Environment {
            root: dir.path().into(),
            system_bus: None,
            desktop: String::new(),
            config_home: dir.path().into(),
        });
        assert_eq!(p.interfaces_up(), vec!["eth0", "tun0"]);
    }
}

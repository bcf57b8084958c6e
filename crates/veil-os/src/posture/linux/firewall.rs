//! `firewall` on Linux: firewalld over the system bus (its state, default
//! zone and that zone's target), else ufw's own configuration file and
//! whether systemd runs `ufw.service`. veil-core decides.

use std::fs;

use dbus::arg::{PropMap, RefArg};
use dbus::blocking::Connection;
use veil_core::posture::firewall::{self as decide, Firewalld, Ufw};
use veil_core::posture::Observation;

use super::{bus, Environment};
use crate::posture::PROBE_TIMEOUT;

const FIREWALLD: &str = "org.fedoraproject.FirewallD1";
const FIREWALLD_PATH: &str = "/org/fedoraproject/FirewallD1";
const FIREWALLD_ZONE: &str = "org.fedoraproject.FirewallD1.zone";
const UNIT_FILES: [&str; 2] = [
    "/usr/lib/systemd/system/firewalld.service",
    "/lib/systemd/system/firewalld.service",
];
const SYSTEMD: &str = "org.freedesktop.systemd1";

pub struct FirewallProbe {
    env: Environment,
}

impl FirewallProbe {
    pub fn new(env: Environment) -> Self {
        Self { env }
    }

    /// firewalld as the bus shows it.
    pub fn firewalld(&self, c: Option<&Connection>) -> Firewalld {
        let Some(c) = c else {
            return self.firewalld_without_bus("the system bus could not be reached");
        };
        match bus::has_owner(c, FIREWALLD) {
            Ok(true) => running_firewalld(c),
            Ok(false) => {
                // Installed but not running: its unit file or its D-Bus
                // service file is there. Asking it would start it.
                if self.unit_file() || bus::activatable(c, FIREWALLD).unwrap_or(false) {
                    Firewalld::Stopped
                } else {
                    Firewalld::NotInstalled
                }
            }
            Err(e) => Firewalld::Error(format!("the system bus: {e}")),
        }
    }

    fn firewalld_without_bus(&self, why: &str) -> Firewalld {
        if self.unit_file() {
            Firewalld::Error(why.to_string())
        } else {
            Firewalld::NotInstalled
        }
    }

    fn unit_file(&self) -> bool {
        UNIT_FILES.iter().any(|p| self.env.path(p).exists())
    }

    /// ufw's configuration (readable by everyone) and its unit's state.
    pub fn ufw(&self, c: Option<&Connection>) -> Ufw {
        let enabled_in_config = fs::read_to_string(self.env.path("/etc/ufw/ufw.conf"))
            .ok()
            .map(|t| parse_ufw_conf(&t));
        // The unit only matters when ufw is there at all.
        let unit_active = match (enabled_in_config, c) {
            (Some(_), Some(c)) => unit_active(c, "ufw.service"),
            _ => None,
        };
        Ufw {
            enabled_in_config,
            unit_active,
        }
    }
}

fn running_firewalld(c: &Connection) -> Firewalld {
    let state: String = match bus::property(c, FIREWALLD, FIREWALLD_PATH, FIREWALLD, "state") {
        Ok(s) => s,
        Err(e) => return Firewalld::Error(format!("firewalld: {e}")),
    };
    // INIT while it loads its rules, FAILED when they did not load.
    if state != "RUNNING" {
        return Firewalld::Error(format!("firewalld reports its state as {state}"));
    }
    let zone: Result<(String,), _> = bus::call(
        c,
        FIREWALLD,
        FIREWALLD_PATH,
        FIREWALLD,
        "getDefaultZone",
        (),
        PROBE_TIMEOUT,
    );
    let default_zone = match zone {
        Ok((z,)) => z,
        Err(e) => {
            return Firewalld::Error(format!("firewalld getDefaultZone: {}", bus::describe(&e)))
        }
    };
    Firewalld::Running {
        default_zone_target: zone_target(c, &default_zone),
        default_zone,
    }
}

/// The zone's target. `getZoneSettings2` (firewalld 0.9 and later) answers
/// a dictionary; older daemons only have `getZoneSettings` on the main
/// interface, a struct whose fifth field is the target. None when polkit
/// refuses (`config.info`) or neither answers: the zone name still counts.
fn zone_target(c: &Connection, zone: &str) -> Option<String> {
    let settings: Result<(PropMap,), _> = bus::call(
        c,
        FIREWALLD,
        FIREWALLD_PATH,
        FIREWALLD_ZONE,
        "getZoneSettings2",
        (zone,),
        PROBE_TIMEOUT,
    );
    match settings {
        Ok((map,)) => map
            .get("target")
            .and_then(|v| v.0.as_str())
            .map(str::to_string),
        Err(e) if e.name() == Some("org.freedesktop.DBus.Error.UnknownMethod") => {
            // A 16-field struct: read it as a generic value.
            let call = dbus::Message::new_method_call(
                FIREWALLD,
                FIREWALLD_PATH,
                FIREWALLD,
                "getZoneSettings",
            )
            .ok()?
            .append1(zone);
            let reply = c
                .channel()
                .send_with_reply_and_block(call, PROBE_TIMEOUT)
                .ok()?;
            let fields = reply.iter_init().get_refarg()?;
            let target = fields.as_iter()?.nth(4)?.as_str()?.to_string();
            Some(target)
        }
        Err(_) => None,
    }
}

/// `ENABLED=yes` in ufw.conf (shell syntax, may be quoted).
fn parse_ufw_conf(text: &str) -> bool {
    text.lines()
        .filter_map(|l| l.trim().strip_prefix("ENABLED="))
        .next_back()
        .map(|v| v.trim().trim_matches(|c| c == '"' || c == '\'') == "yes")
        .unwrap_or(false)
}

/// systemd's `ActiveState` of a unit; None when systemd does not answer.
fn unit_active(c: &Connection, unit: &str) -> Option<bool> {
    if !bus::has_owner(c, SYSTEMD).ok()? {
        return None;
    }
    let path: Result<(dbus::Path<'static>,), _> = bus::call(
        c,
        SYSTEMD,
        "/org/freedesktop/systemd1",
        "org.freedesktop.systemd1.Manager",
        "GetUnit",
        (unit,),
        PROBE_TIMEOUT,
    );
    let path = match path {
        Ok((p,)) => p,
        // systemd only knows loaded units: one it never loaded is not active.
        Err(e) if e.name() == Some("org.freedesktop.systemd1.NoSuchUnit") => return Some(false),
        Err(_) => return None,
    };
    let state: String = bus::property(
        c,
        SYSTEMD,
        &path,
        "org.freedesktop.systemd1.Unit",
        "ActiveState",
    )
    .ok()?;
    Some(matches!(state.as_str(), "active" | "reloading"))
}

impl crate::posture::Firewall for FirewallProbe {
    fn firewall(&self) -> Observation {
        let conn = self.env.system_bus();
        let c = conn.as_ref().ok();
        let firewalld = match &conn {
            Ok(_) => self.firewalld(c),
            Err(e) => self.firewalld_without_bus(&format!("the system bus: {e}")),
        };
        decide::decide_linux(&firewalld, &self.ufw(c))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ufw_conf() {
        assert!(parse_ufw_conf("# comment\nENABLED=yes\nLOGLEVEL=low\n"));
        assert!(parse_ufw_conf("ENABLED=\"yes\"\n"));
        assert!(!parse_ufw_conf("ENABLED=no\n"));
        assert!(!parse_ufw_conf("#ENABLED=yes\n"));
        assert!(!parse_ufw_conf(""));
    }
}

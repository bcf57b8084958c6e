//! What tells the posture checks to run again: system-bus signals from
//! NetworkManager, firewalld and PackageKit, and logind's resume.

use std::time::Duration;

use dbus::arg::PropMap;
use dbus::message::MessageType;
use dbus::Message;

use super::Environment;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signal {
    /// A service said something changed (its name).
    Changed(&'static str),
    /// The computer woke from sleep.
    Resumed,
}

const NETWORK_MANAGER: &str = "NetworkManager";
const FIREWALLD: &str = "firewalld";
const PACKAGEKIT: &str = "PackageKit";

/// The match rules, one per kind of signal.
const RULES: [&str; 6] = [
    "type='signal',sender='org.freedesktop.NetworkManager',member='PropertiesChanged',path_namespace='/org/freedesktop/NetworkManager'",
    "type='signal',sender='org.fedoraproject.FirewallD1'",
    "type='signal',sender='org.freedesktop.PackageKit',interface='org.freedesktop.PackageKit',member='UpdatesChanged'",
    "type='signal',sender='org.freedesktop.login1',interface='org.freedesktop.login1.Manager',member='PrepareForSleep'",
    // A service starting or stopping changes what it would answer.
    // PackageKit is left out on purpose: it exits when idle and the bus
    // starts it again when asked, so its comings and goings follow the
    // probes' own questions and would make them ask again, forever.
    "type='signal',sender='org.freedesktop.DBus',interface='org.freedesktop.DBus',member='NameOwnerChanged',arg0='org.freedesktop.NetworkManager'",
    "type='signal',sender='org.freedesktop.DBus',interface='org.freedesktop.DBus',member='NameOwnerChanged',arg0='org.fedoraproject.FirewallD1'",
];

/// NetworkManager properties that change all the time and never change a
/// posture answer (signal strength, traffic counters).
const NOISE: [&str; 5] = ["Strength", "LastSeen", "RxBytes", "TxBytes", "Bitrate"];

/// Listens on the system bus until the process ends; `on` is called from
/// the listening thread. The thread ends (with a warning) when the bus
/// goes away.
pub fn watch_system_bus(
    env: &Environment,
    on: impl Fn(Signal) + Send + 'static,
) -> Result<std::thread::JoinHandle<()>, String> {
    let conn = env
        .system_bus()
        .map_err(|e| format!("cannot watch the system bus: {e}"))?;
    for rule in RULES {
        conn.add_match_no_cb(rule)
            .map_err(|e| format!("the system bus refused a match rule ({rule}): {e}"))?;
    }
    std::thread::Builder::new()
        .name("posture-bus".into())
        .spawn(move || loop {
            match conn.channel().blocking_pop_message(Duration::from_secs(60)) {
                Ok(Some(msg)) => {
                    if is_disconnected(&msg) {
                        tracing::warn!("posture: the system bus went away; no longer watching it");
                        return;
                    }
                    if let Some(s) = classify(&msg) {
                        on(s);
                    }
                }
                Ok(None) => {
                    if !conn.channel().is_connected() {
                        tracing::warn!("posture: the system bus went away; no longer watching it");
                        return;
                    }
                }
                Err(e) => {
                    tracing::warn!(
                        "posture: reading the system bus failed ({e}); no longer watching it"
                    );
                    return;
                }
            }
        })
        .map_err(|e| format!("cannot start the system-bus thread: {e}"))
}

fn is_disconnected(msg: &Message) -> bool {
    msg.interface().as_deref() == Some("org.freedesktop.DBus.Local")
        && msg.member().as_deref() == Some("Disconnected")
}

/// What a message means for posture; None for anything else.
fn classify(msg: &Message) -> Option<Signal> {
    if msg.msg_type() != MessageType::Signal {
        return None;
    }
    let member = msg.member()?;
    let path = msg.path()?;
    match &*member {
        "PrepareForSleep" => {
            // true: going to sleep; false: woke up.
            (!msg.get1::<bool>()?).then_some(Signal::Resumed)
        }
        "NameOwnerChanged" => match &*msg.get1::<String>()? {
            "org.freedesktop.NetworkManager" => Some(Signal::Changed(NETWORK_MANAGER)),
            "org.fedoraproject.FirewallD1" => Some(Signal::Changed(FIREWALLD)),
            _ => None,
        },
        "UpdatesChanged" => Some(Signal::Changed(PACKAGEKIT)),
        _ if path.starts_with("/org/fedoraproject/FirewallD1") => Some(Signal::Changed(FIREWALLD)),
        "PropertiesChanged" if path.starts_with("/org/freedesktop/NetworkManager") => {
            (!only_noise(msg)).then_some(Signal::Changed(NETWORK_MANAGER))
        }
        _ => None,
    }
}

/// The changed properties are all ones that do not matter. Both forms are
/// read: `org.freedesktop.DBus.Properties` (interface, changes,
/// invalidated) and NetworkManager's older own signal (changes only).
fn only_noise(msg: &Message) -> bool {
    let mut it = msg.iter_init();
    if it.arg_type() == dbus::arg::ArgType::String {
        it.next();
    }
    let Some(changes) = it.get::<PropMap>() else {
        return false;
    };
    !changes.is_empty() && changes.keys().all(|k| NOISE.contains(&k.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use dbus::arg::{RefArg, Variant};

    fn signal(path: &str, iface: &str, member: &str) -> Message {
        Message::new_signal(path, iface, member).unwrap()
    }

    #[test]
    fn classifies_signals() {
        let sleep = |b: bool| {
            signal(
                "/org/freedesktop/login1",
                "org.freedesktop.login1.Manager",
                "PrepareForSleep",
            )
            .append1(b)
        };
        assert_eq!(classify(&sleep(false)), Some(Signal::Resumed));
        assert_eq!(classify(&sleep(true)), None);

        let props = |path: &str, keys: &[&str]| {
            let mut m = PropMap::new();
            for k in keys {
                m.insert(k.to_string(), Variant(Box::new(1u32) as Box<dyn RefArg>));
            }
            signal(path, "org.freedesktop.DBus.Properties", "PropertiesChanged").append3(
                "org.freedesktop.NetworkManager.AccessPoint",
                m,
                Vec::<String>::new(),
            )
        };
        let ap = "/org/freedesktop/NetworkManager/AccessPoint/3";
        assert_eq!(
            classify(&props(ap, &["RsnFlags"])),
            Some(Signal::Changed("NetworkManager"))
        );
        assert_eq!(classify(&props(ap, &["Strength", "LastSeen"])), None);

        let noc = signal(
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus",
            "NameOwnerChanged",
        )
        .append3("org.fedoraproject.FirewallD1", "", ":1.4");
        assert_eq!(classify(&noc), Some(Signal::Changed("firewalld")));
        let fw = signal(
            "/org/fedoraproject/FirewallD1",
            "org.fedoraproject.FirewallD1",
            "DefaultZoneChanged",
        )
        .append1("trusted");
        assert_eq!(classify(&fw), Some(Signal::Changed("firewalld")));
    }
}

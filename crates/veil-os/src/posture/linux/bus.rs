//! Small system-bus helpers the D-Bus probes share: is a service there,
//! could it be started, read a property, all with a time limit.

use std::time::Duration;

use dbus::arg::{Get, ReadAll};
use dbus::blocking::stdintf::org_freedesktop_dbus::Properties;
use dbus::blocking::Connection;

use crate::posture::PROBE_TIMEOUT;

const DBUS_NAME: &str = "org.freedesktop.DBus";
const DBUS_PATH: &str = "/org/freedesktop/DBus";

/// Whether `name` has an owner right now. Asking never starts a service:
/// a probe must not launch a firewall or a network daemon as a side effect.
pub fn has_owner(c: &Connection, name: &str) -> Result<bool, String> {
    let p = c.with_proxy(DBUS_NAME, DBUS_PATH, PROBE_TIMEOUT);
    let (owned,): (bool,) = p
        .method_call(DBUS_NAME, "NameHasOwner", (name,))
        .map_err(|e| describe(&e))?;
    Ok(owned)
}

/// Whether the bus could start `name` on demand (a D-Bus service file).
pub fn activatable(c: &Connection, name: &str) -> Result<bool, String> {
    let p = c.with_proxy(DBUS_NAME, DBUS_PATH, PROBE_TIMEOUT);
    let (names,): (Vec<String>,) = p
        .method_call(DBUS_NAME, "ListActivatableNames", ())
        .map_err(|e| describe(&e))?;
    Ok(names.iter().any(|n| n == name))
}

/// One property of one object.
pub fn property<T: for<'b> Get<'b> + 'static>(
    c: &Connection,
    dest: &str,
    path: &str,
    interface: &str,
    name: &str,
) -> Result<T, String> {
    c.with_proxy(dest, path, PROBE_TIMEOUT)
        .get::<T>(interface, name)
        .map_err(|e| format!("{interface}.{name} of {path}: {}", describe(&e)))
}

/// A method call with the given time limit.
pub fn call<R: ReadAll, A: dbus::arg::AppendAll>(
    c: &Connection,
    dest: &str,
    path: &str,
    interface: &str,
    method: &str,
    args: A,
    timeout: Duration,
) -> Result<R, dbus::Error> {
    c.with_proxy(dest, path, timeout)
        .method_call(interface, method, args)
}

/// The error's name and message, for a reason text.
pub fn describe(e: &dbus::Error) -> String {
    match (e.name(), e.message()) {
        (Some(n), Some(m)) => format!("{m} ({n})"),
        (Some(n), None) => n.to_string(),
        (None, Some(m)) => m.to_string(),
        (None, None) => "an unnamed D-Bus error".to_string(),
    }
}

/// The error means the service is not on the bus and cannot be started.
pub fn is_absent(e: &dbus::Error) -> bool {
    matches!(
        e.name(),
        Some(
            "org.freedesktop.DBus.Error.ServiceUnknown"
                | "org.freedesktop.DBus.Error.NameHasNoOwner"
        )
    )
}

//! The system bus, where logind, NetworkManager and PackageKit answer.
//! Release builds reach it at its well-known socket and ignore
//! `DBUS_SYSTEM_BUS_ADDRESS`: the agent sets their own environment, and a
//! bus of their own could answer for logind ("locked", "the session is
//! ending") or for NetworkManager. Test builds honour the variable, so the
//! tests can put python-dbusmock's services in the system's place.

use dbus::blocking::Connection;

/// The D-Bus specification's default system bus address.
pub const ADDRESS: &str = "unix:path=/var/run/dbus/system_bus_socket";

const VARIABLE: &str = "DBUS_SYSTEM_BUS_ADDRESS";

/// The address this build uses.
pub fn address() -> String {
    if cfg!(debug_assertions) {
        if let Ok(a) = std::env::var(VARIABLE) {
            return a;
        }
    }
    ADDRESS.to_string()
}

/// A private connection to the system bus.
pub fn connect() -> Result<Connection, dbus::Error> {
    connect_to(&address())
}

/// A private connection to the bus at `address`.
pub fn connect_to(address: &str) -> Result<Connection, dbus::Error> {
    let mut channel = dbus::channel::Channel::open_private(address)?;
    channel.register()?;
    Ok(Connection::from(channel))
}

/// A system tool Veil runs (systemctl, dm-tool, xdg-screensaver) talks to
/// the same bus Veil does: release builds take the variable out of its
/// environment.
pub fn scrub(cmd: &mut std::process::Command) {
    if !cfg!(debug_assertions) {
        cmd.env_remove(VARIABLE);
    }
}

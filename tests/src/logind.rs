//! A stand-in for systemd-logind: python-dbusmock's logind template on a
//! private bus that Veil takes for the system bus (`DBUS_SYSTEM_BUS_ADDRESS`).
//! The real logind needs systemd as PID 1, which a CI container does not
//! have. It serves the same D-Bus interface Veil's client calls (`Lock`,
//! `LockedHint`, `GetSessionByPID`), so the client code under test is the
//! one that talks to the real service.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::wait_until;

pub struct MockLogind {
    // Dropped after the mock (fields drop in order): the bus goes last.
    mock: Child,
    _bus: crate::PrivateBus,
    pub address: String,
}

const SESSION: &str = "/org/freedesktop/login1/session/c1";

impl MockLogind {
    /// `locker`: a screen locker listens to logind and confirms each lock
    /// (sets `LockedHint`); without one, `Lock` succeeds and nothing locks,
    /// as on a bare window manager.
    pub fn start(locker: bool) -> MockLogind {
        let bus = crate::PrivateBus::start();
        let address = bus.address.clone();
        let mock = Command::new("/usr/bin/python3")
            .args(["-m", "dbusmock", "--system", "--template", "logind"])
            .env("DBUS_SYSTEM_BUS_ADDRESS", &address)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3-dbusmock (scripts/setup.sh installs it)");
        let m = MockLogind {
            _bus: bus,
            mock,
            address,
        };
        wait_until(
            Duration::from_secs(10),
            "the mock logind on its bus",
            || {
                m.send(
                    "/org/freedesktop/login1",
                    "org.freedesktop.login1.Manager.CanPowerOff",
                    &[],
                )
            },
        );
        let uid = unsafe_uid();
        assert!(m.send(
            "/org/freedesktop/login1",
            "org.freedesktop.DBus.Mock.AddSession",
            &[
                "string:c1",
                "string:seat0",
                &format!("uint32:{uid}"),
                "string:agent",
                "boolean:true"
            ],
        ));
        assert!(m.add_method(
            "/org/freedesktop/login1",
            "org.freedesktop.login1.Manager",
            "GetSessionByPID",
            "u",
            "o",
            &format!("ret = '{SESSION}'"),
        ));
        if locker {
            assert!(m.add_method(
                SESSION,
                "org.freedesktop.login1.Session",
                "Lock",
                "",
                "",
                "self.UpdateProperties('org.freedesktop.login1.Session', {'LockedHint': dbus.Boolean(True)})",
            ));
        }
        m
    }

    fn send(&self, path: &str, method: &str, args: &[&str]) -> bool {
        Command::new("dbus-send")
            .arg(format!("--bus={}", self.address))
            .args([
                "--print-reply",
                "--dest=org.freedesktop.login1",
                path,
                method,
            ])
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    }

    fn add_method(
        &self,
        path: &str,
        iface: &str,
        name: &str,
        sig_in: &str,
        sig_out: &str,
        code: &str,
    ) -> bool {
        self.send(
            path,
            "org.freedesktop.DBus.Mock.AddMethod",
            &[
                &format!("string:{iface}"),
                &format!("string:{name}"),
                &format!("string:{sig_in}"),
                &format!("string:{sig_out}"),
                &format!("string:{code}"),
            ],
        )
    }

    /// Makes `session/auto` (the caller's own session, as logind resolves
    /// it) say it is closing, as logind does during a logout.
    pub fn session_closing(&self) {
        let code = format!(
            "import dbus\n\
             bus = dbus.bus.BusConnection({:?})\n\
             mock = bus.get_object('org.freedesktop.login1', '/org/freedesktop/login1')\n\
             mock.AddObject('/org/freedesktop/login1/session/auto', 'org.freedesktop.login1.Session', \
             {{'State': 'closing'}}, [], dbus_interface='org.freedesktop.DBus.Mock')\n",
            self.address
        );
        let status = Command::new("/usr/bin/python3")
            .args(["-c", &code])
            .status()
            .expect("python3-dbus");
        assert!(status.success(), "the closing session was not added");
    }

    /// Whether the session's `LockedHint` is set, as logind would say.
    pub fn locked_hint(&self) -> bool {
        let out = Command::new("dbus-send")
            .arg(format!("--bus={}", self.address))
            .args([
                "--print-reply",
                "--dest=org.freedesktop.login1",
                SESSION,
                "org.freedesktop.DBus.Properties.Get",
                "string:org.freedesktop.login1.Session",
                "string:LockedHint",
            ])
            .output()
            .expect("dbus-send");
        String::from_utf8_lossy(&out.stdout).contains("boolean true")
    }
}

fn unsafe_uid() -> u32 {
    std::fs::metadata("/proc/self")
        .map(|m| std::os::unix::fs::MetadataExt::uid(&m))
        .unwrap_or(0)
}

impl Drop for MockLogind {
    fn drop(&mut self) {
        let _ = self.mock.kill();
        let _ = self.mock.wait();
    }
}

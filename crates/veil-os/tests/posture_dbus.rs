//! The D-Bus posture probes against services on a private "system" bus
//! that each test starts for itself: the real PackageKit daemon, and
//! python-dbusmock for NetworkManager, firewalld, systemd and logind (they
//! need network privileges or PID 1, which a CI container does not give).
//! Only the child processes see the private bus address.
#![cfg(target_os = "linux")]

use std::collections::HashMap;
use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use dbus::arg::{AppendAll, PropMap, ReadAll, RefArg, Variant};
use veil_core::posture::system::PackageKit;
use veil_core::posture::{CheckResult, Observation, PostureConfig};
use veil_os::posture::linux::firewall::FirewallProbe;
use veil_os::posture::linux::network::{VpnProbe, WifiProbe};
use veil_os::posture::linux::signals::{watch_system_bus, Signal};
use veil_os::posture::linux::updates::UpdatesProbe;
use veil_os::posture::linux::Environment;
use veil_os::posture::{Firewall, OsUpdates, Vpn, Wifi};

const PYTHON: &str = "/usr/bin/python3";
const MOCK: &str = "org.freedesktop.DBus.Mock";
const NM: &str = "org.freedesktop.NetworkManager";
const NM_PATH: &str = "/org/freedesktop/NetworkManager";
const FIREWALLD: &str = "org.fedoraproject.FirewallD1";
const FIREWALLD_PATH: &str = "/org/fedoraproject/FirewallD1";

/// A private bus and the services started on it; all killed on drop.
struct Bus {
    address: String,
    dir: tempfile::TempDir,
    daemon: Child,
    services: Vec<Child>,
    conn: dbus::blocking::Connection,
}

impl Bus {
    fn start() -> Bus {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("bus.conf");
        fs::write(
            &config,
            format!(
                "<busconfig><type>system</type><listen>unix:path={}</listen>\
                 <auth>EXTERNAL</auth><policy context=\"default\">\
                 <allow send_destination=\"*\" eavesdrop=\"true\"/>\
                 <allow eavesdrop=\"true\"/><allow own=\"*\"/></policy></busconfig>",
                dir.path().join("bus").display()
            ),
        )
        .unwrap();
        let mut daemon = Command::new("dbus-daemon")
            .arg(format!("--config-file={}", config.display()))
            .args(["--print-address", "--nofork"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log_file(dir.path(), "dbus-daemon"))
            .spawn()
            .expect("dbus-daemon (package dbus) runs");
        let out = daemon.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(out).read_line(&mut line);
            let _ = tx.send(line);
        });
        let address = match rx.recv_timeout(Duration::from_secs(10)) {
            Ok(l) if !l.trim().is_empty() => l.trim().to_string(),
            _ => {
                let _ = daemon.kill();
                panic!("dbus-daemon printed no address within 10 s");
            }
        };
        let mut ch = dbus::channel::Channel::open_private(&address).unwrap();
        ch.register().unwrap();
        Bus {
            address,
            dir,
            daemon,
            services: vec![],
            conn: dbus::blocking::Connection::from(ch),
        }
    }

    /// An environment whose system bus is this one.
    fn env(&self, root: &Path) -> Environment {
        Environment {
            root: root.to_path_buf(),
            system_bus: Some(self.address.clone()),
            desktop: String::new(),
            config_home: root.to_path_buf(),
        }
    }

    /// Starts a service with the private bus as its system bus and waits
    /// until it owns `name`.
    fn spawn(&mut self, name: &str, program: &str, args: &[&str]) {
        let log = self.dir.path().join(format!("{name}.log"));
        let child = Command::new(program)
            .args(args)
            .env("DBUS_SYSTEM_BUS_ADDRESS", &self.address)
            .env_remove("DBUS_SESSION_BUS_ADDRESS")
            .stdin(Stdio::null())
            .stdout(log_file(self.dir.path(), name))
            .stderr(log_file(self.dir.path(), name))
            .spawn()
            .unwrap_or_else(|e| panic!("{program}: {e}"));
        self.services.push(child);
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if self.has_owner(name) {
                return;
            }
            let exited = self.services.last_mut().unwrap().try_wait().unwrap();
            if exited.is_some() || Instant::now() > deadline {
                panic!(
                    "{program} did not take {name} on the bus ({exited:?}); its log:\n{}",
                    fs::read_to_string(&log).unwrap_or_default()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn has_owner(&self, name: &str) -> bool {
        let (owned,): (bool,) = self
            .call(
                "org.freedesktop.DBus",
                "/org/freedesktop/DBus",
                "org.freedesktop.DBus",
                "NameHasOwner",
                (name,),
            )
            .unwrap();
        owned
    }

    /// A plain dbusmock object: `name` at `path` with `interface`.
    fn mock(&mut self, name: &str, path: &str, interface: &str) {
        self.spawn(
            name,
            PYTHON,
            &["-m", "dbusmock", "--system", name, path, interface],
        );
    }

    fn template(&mut self, name: &str, template: &str) {
        self.spawn(
            name,
            PYTHON,
            &["-m", "dbusmock", "--system", "--template", template],
        );
    }

    fn call<R: ReadAll, A: AppendAll>(
        &self,
        dest: &str,
        path: &str,
        interface: &str,
        method: &str,
        args: A,
    ) -> Result<R, dbus::Error> {
        self.conn
            .with_proxy(dest, path, Duration::from_secs(10))
            .method_call(interface, method, args)
    }

    /// A method of dbusmock's control interface that answers a string.
    fn mock_s<A: AppendAll>(&self, dest: &str, path: &str, method: &str, args: A) -> String {
        let (s,): (String,) = self
            .call(dest, path, MOCK, method, args)
            .unwrap_or_else(|e| panic!("{method}: {e}"));
        s
    }

    fn mock_0<A: AppendAll>(&self, dest: &str, path: &str, method: &str, args: A) {
        self.call::<(), _>(dest, path, MOCK, method, args)
            .unwrap_or_else(|e| panic!("{method}: {e}"));
    }
}

impl Drop for Bus {
    fn drop(&mut self) {
        for c in self.services.iter_mut().chain([&mut self.daemon]) {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

fn log_file(dir: &Path, name: &str) -> fs::File {
    fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join(format!("{name}.log")))
        .unwrap()
}

fn var(v: impl RefArg + 'static) -> Variant<Box<dyn RefArg>> {
    Variant(Box::new(v))
}

fn root() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

fn write(root: &Path, path: &str, text: &str) -> PathBuf {
    let p = root.join(path.trim_start_matches('/'));
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(&p, text).unwrap();
    p
}

fn assert_obs(o: &Observation, result: CheckResult, observed: &str) {
    assert_eq!((o.result, o.observed.as_str()), (result, observed), "{o:?}");
}

// ---------------------------------------------------------------- NetworkManager

const WIRELESS: &str = "org.freedesktop.NetworkManager.Device.Wireless";
const AP_IFACE: &str = "org.freedesktop.NetworkManager.AccessPoint";
/// PAIR_CCMP | GROUP_CCMP | KEY_MGMT_PSK.
const WPA2_PSK: u32 = 0x8 | 0x80 | 0x100;

fn network_manager() -> Bus {
    let mut bus = Bus::start();
    bus.template(NM, "networkmanager");
    bus
}

/// A Wi-Fi device connected to one access point with these flags, as
/// NetworkManager shows it (the template leaves `ActiveAccessPoint` unset,
/// so it is set here as the real daemon does).
fn connect_wifi(bus: &Bus, security: u32, flags: Option<u32>) {
    let dev = bus.mock_s(NM, NM_PATH, "AddWiFiDevice", ("wlan0", "wlan0", 100i32));
    let ap = bus.mock_s(
        NM,
        NM_PATH,
        "AddAccessPoint",
        (
            &*dev,
            "ap0",
            "Cafe",
            "00:11:22:33:44:55",
            2u32,
            2437u32,
            54000u32,
            80u8,
            security,
        ),
    );
    // Real WPA2-only routers announce nothing in the WPA1 flags.
    bus.mock_0(
        NM,
        NM_PATH,
        "SetProperty",
        (&*ap, AP_IFACE, "WpaFlags", var(0u32)),
    );
    if let Some(f) = flags {
        bus.mock_0(
            NM,
            NM_PATH,
            "SetProperty",
            (&*ap, AP_IFACE, "Flags", var(f)),
        );
    }
    let conn = bus.mock_s(
        NM,
        NM_PATH,
        "AddWiFiConnection",
        (&*dev, "c0", "Cafe", "wpa-psk"),
    );
    bus.mock_s(
        NM,
        NM_PATH,
        "AddActiveConnection",
        (vec![&*dev], &*conn, &*ap, "a0", 2u32),
    );
    bus.mock_0(
        NM,
        &dev,
        "AddProperty",
        (
            WIRELESS,
            "ActiveAccessPoint",
            var(dbus::Path::from(ap.clone())),
        ),
    );
}

/// A saved connection of `kind` activated with `state`, on `devices`.
fn activate(bus: &Bus, kind: &str, id: &str, devices: Vec<String>, state: u32) {
    let mut connection: PropMap = HashMap::new();
    connection.insert("type".into(), var(kind.to_string()));
    connection.insert("id".into(), var(id.to_string()));
    let mut settings: HashMap<String, PropMap> = HashMap::new();
    settings.insert("connection".into(), connection);
    let (path,): (dbus::Path<'static>,) = bus
        .call(
            NM,
            "/org/freedesktop/NetworkManager/Settings",
            "org.freedesktop.NetworkManager.Settings",
            "AddConnection",
            (settings,),
        )
        .unwrap();
    bus.mock_s(
        NM,
        NM_PATH,
        "AddActiveConnection",
        (devices, &*path, "/", id.replace('-', "_"), state),
    );
}

#[test]
fn wifi_wpa2_passes() {
    let bus = network_manager();
    connect_wifi(&bus, WPA2_PSK, None);
    let r = root();
    assert_obs(
        &WifiProbe::new(bus.env(r.path())).wifi(),
        CheckResult::Pass,
        "wpa2",
    );
}

#[test]
fn wifi_open_fails() {
    let bus = network_manager();
    connect_wifi(&bus, 0, None);
    let r = root();
    assert_obs(
        &WifiProbe::new(bus.env(r.path())).wifi(),
        CheckResult::Fail,
        "open",
    );
}

#[test]
fn wifi_wep_fails() {
    let bus = network_manager();
    // WEP: the privacy flag and no WPA/RSN flags at all.
    connect_wifi(&bus, 0, Some(0x1));
    let r = root();
    assert_obs(
        &WifiProbe::new(bus.env(r.path())).wifi(),
        CheckResult::Fail,
        "wep",
    );
}

#[test]
fn wired_only_is_not_applicable_and_no_vpn_fails() {
    let bus = network_manager();
    let eth = bus.mock_s(NM, NM_PATH, "AddEthernetDevice", ("eth0", "eth0", 100i32));
    activate(&bus, "802-3-ethernet", "Wired", vec![eth], 2);
    let r = root();
    let o = WifiProbe::new(bus.env(r.path())).wifi();
    assert_eq!(o.result, CheckResult::NotApplicable, "{o:?}");
    // NetworkManager runs and has no tunnel up.
    assert_obs(
        &VpnProbe::new(bus.env(r.path())).vpn(true, &[]),
        CheckResult::Fail,
        "vpn_down",
    );
}

#[test]
fn networkmanager_absent_is_unknown() {
    let bus = Bus::start();
    let r = root();
    let o = WifiProbe::new(bus.env(r.path())).wifi();
    assert_eq!(o.result, CheckResult::Unknown, "{o:?}");
    assert!(o.reason.as_deref().unwrap_or("").contains("NetworkManager"));
    let o = VpnProbe::new(bus.env(r.path())).vpn(true, &[]);
    assert_eq!(o.result, CheckResult::Unknown, "{o:?}");
}

#[test]
fn vpn_connections() {
    let bus = network_manager();
    let r = root();
    let probe = VpnProbe::new(bus.env(r.path()));
    // Still connecting: not up yet.
    activate(&bus, "vpn", "Corp", vec![], 1);
    assert_obs(&probe.vpn(true, &[]), CheckResult::Fail, "vpn_down");
    activate(&bus, "wireguard", "Corp-WG", vec![], 2);
    assert_obs(&probe.vpn(true, &[]), CheckResult::Pass, "vpn_up");
    assert_eq!(
        probe.vpn(false, &[]).result,
        CheckResult::NotApplicable,
        "not required"
    );
}

#[test]
fn vpn_interface_from_sysfs_without_networkmanager() {
    let bus = Bus::start();
    let r = root();
    write(r.path(), "/sys/class/net/tun0/operstate", "unknown\n");
    write(r.path(), "/sys/class/net/tun0/flags", "0x1091\n");
    let probe = VpnProbe::new(bus.env(r.path()));
    assert_obs(
        &probe.vpn(true, &["tun*".to_string()]),
        CheckResult::Pass,
        "vpn_up",
    );
    assert_obs(
        &probe.vpn(true, &["wg-corp".to_string()]),
        CheckResult::Fail,
        "vpn_down",
    );
}

// ---------------------------------------------------------------- firewalld, ufw

/// firewalld as its D-Bus interface shows it: `state`, `getDefaultZone`,
/// and the zone's settings.
fn firewalld(bus: &mut Bus, zone: &str, settings: Option<(&str, &str, &str, &str)>) {
    bus.mock(FIREWALLD, FIREWALLD_PATH, FIREWALLD);
    bus.mock_0(
        FIREWALLD,
        FIREWALLD_PATH,
        "AddProperty",
        (FIREWALLD, "state", var("RUNNING".to_string())),
    );
    bus.mock_0(
        FIREWALLD,
        FIREWALLD_PATH,
        "AddMethod",
        (
            FIREWALLD,
            "getDefaultZone",
            "",
            "s",
            format!("ret = '{zone}'"),
        ),
    );
    if let Some((iface, method, out, code)) = settings {
        bus.mock_0(
            FIREWALLD,
            FIREWALLD_PATH,
            "AddMethod",
            (iface, method, "s", out, code),
        );
    }
}

fn settings2(target: &str) -> String {
    format!("ret = {{'target': '{target}', 'short': 'Zone', 'services': ['ssh']}}")
}

#[test]
fn firewalld_public_zone_passes() {
    let mut bus = Bus::start();
    let code = settings2("default");
    firewalld(
        &mut bus,
        "public",
        Some((
            "org.fedoraproject.FirewallD1.zone",
            "getZoneSettings2",
            "a{sv}",
            &code,
        )),
    );
    let r = root();
    assert_obs(
        &FirewallProbe::new(bus.env(r.path())).firewall(),
        CheckResult::Pass,
        "firewalld_running",
    );
}

#[test]
fn firewalld_trusted_zone_fails() {
    let mut bus = Bus::start();
    let code = settings2("ACCEPT");
    firewalld(
        &mut bus,
        "trusted",
        Some((
            "org.fedoraproject.FirewallD1.zone",
            "getZoneSettings2",
            "a{sv}",
            &code,
        )),
    );
    let r = root();
    assert_obs(
        &FirewallProbe::new(bus.env(r.path())).firewall(),
        CheckResult::Fail,
        "firewalld_accepts_all",
    );
}

#[test]
fn older_firewalld_zone_target_from_getzonesettings() {
    let mut bus = Bus::start();
    // Before 0.9 only the struct form on the main interface; the fifth
    // field is the target. A public zone that accepts everything fails.
    firewalld(
        &mut bus,
        "public",
        Some((
            FIREWALLD,
            "getZoneSettings",
            "(sssbsasa(ss)asba(ssss)asasasasa(ss)b)",
            "ret = ('', 'Public', '', False, 'ACCEPT', [], [], [], False, [], [], [], [], [], [], False)",
        )),
    );
    let r = root();
    assert_obs(
        &FirewallProbe::new(bus.env(r.path())).firewall(),
        CheckResult::Fail,
        "firewalld_accepts_all",
    );
}

#[test]
fn firewalld_installed_but_stopped_fails() {
    let bus = Bus::start();
    let r = root();
    let probe = FirewallProbe::new(bus.env(r.path()));
    assert_eq!(probe.firewall().result, CheckResult::Unknown);
    write(
        r.path(),
        "/usr/lib/systemd/system/firewalld.service",
        "[Unit]\n",
    );
    assert_obs(&probe.firewall(), CheckResult::Fail, "firewalld_stopped");
}

#[test]
fn ufw_from_its_conf_and_systemd() {
    let mut bus = Bus::start();
    let r = root();
    let probe = FirewallProbe::new(bus.env(r.path()));
    let conf = write(
        r.path(),
        "/etc/ufw/ufw.conf",
        "# ufw\nENABLED=no\nLOGLEVEL=low\n",
    );
    assert_obs(&probe.firewall(), CheckResult::Fail, "ufw_off");
    fs::write(&conf, "ENABLED=yes\n").unwrap();
    // No systemd on this bus: the configuration alone.
    assert_obs(&probe.firewall(), CheckResult::Pass, "ufw_configured");
    bus.template("org.freedesktop.systemd1", "systemd");
    bus.mock_0(
        "org.freedesktop.systemd1",
        "/org/freedesktop/systemd1",
        "AddMockUnit",
        ("ufw.service",),
    );
    assert_obs(&probe.firewall(), CheckResult::Fail, "ufw_inactive");
    let _: (dbus::Path<'static>,) = bus
        .call(
            "org.freedesktop.systemd1",
            "/org/freedesktop/systemd1",
            "org.freedesktop.systemd1.Manager",
            "StartUnit",
            ("ufw.service", "replace"),
        )
        .unwrap();
    assert_obs(&probe.firewall(), CheckResult::Pass, "ufw_configured");
}

// ---------------------------------------------------------------- signals

fn expect_signal(rx: &mpsc::Receiver<Signal>, want: &Signal, within: Duration) {
    let deadline = Instant::now() + within;
    let mut seen = vec![];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(s) if &s == want => return,
            Ok(s) => seen.push(s),
            Err(_) => panic!("no {want:?} within {within:?}; saw {seen:?}"),
        }
    }
}

fn drain(rx: &mpsc::Receiver<Signal>) {
    while rx.recv_timeout(Duration::from_millis(200)).is_ok() {}
}

#[test]
fn signals_from_networkmanager_logind_and_the_bus_going_away() {
    let mut bus = network_manager();
    bus.template("org.freedesktop.login1", "logind");
    let r = root();
    let (tx, rx) = mpsc::channel();
    let handle = watch_system_bus(&bus.env(r.path()), move |s| {
        let _ = tx.send(s);
    })
    .unwrap();
    drain(&rx);

    // NetworkManager's own PropertiesChanged (the template's SetProperty).
    bus.mock_0(
        NM,
        NM_PATH,
        "SetProperty",
        (NM_PATH, NM, "WirelessEnabled", var(false)),
    );
    let changed = Signal::Changed("NetworkManager");
    expect_signal(&rx, &changed, Duration::from_secs(1));

    // The standard org.freedesktop.DBus.Properties form, from an object
    // under /org/freedesktop/NetworkManager.
    let dev = bus.mock_s(NM, NM_PATH, "AddWiFiDevice", ("wlan0", "wlan0", 100i32));
    drain(&rx);
    let mut changes: PropMap = HashMap::new();
    changes.insert("ActiveAccessPoint".into(), var(dbus::Path::from("/")));
    let args: Vec<Variant<Box<dyn RefArg>>> = vec![
        var(WIRELESS.to_string()),
        var(changes),
        var(Vec::<String>::new()),
    ];
    bus.mock_0(
        NM,
        &dev,
        "EmitSignal",
        (
            "org.freedesktop.DBus.Properties",
            "PropertiesChanged",
            "sa{sv}as",
            args,
        ),
    );
    expect_signal(&rx, &changed, Duration::from_secs(1));

    // Going to sleep is not a resume; waking up is.
    let sleep = |b: bool| {
        bus.mock_0(
            "org.freedesktop.login1",
            "/org/freedesktop/login1",
            "EmitSignal",
            (
                "org.freedesktop.login1.Manager",
                "PrepareForSleep",
                "b",
                vec![var(b)],
            ),
        )
    };
    sleep(true);
    assert!(
        rx.recv_timeout(Duration::from_millis(500)).is_err(),
        "PrepareForSleep(true) is no signal"
    );
    sleep(false);
    expect_signal(&rx, &Signal::Resumed, Duration::from_secs(1));

    // NetworkManager going away is a change too.
    let nm = bus.services.remove(0);
    kill(nm);
    expect_signal(&rx, &changed, Duration::from_secs(2));

    // The bus going away ends the thread, promptly and without spinning.
    let _ = bus.daemon.kill();
    let _ = bus.daemon.wait();
    let deadline = Instant::now() + Duration::from_secs(5);
    while !handle.is_finished() {
        assert!(
            Instant::now() < deadline,
            "the watcher outlived the bus by 5 s"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn watching_an_unreachable_bus_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let env = Environment {
        root: dir.path().into(),
        system_bus: Some(format!("unix:path={}", dir.path().join("nobus").display())),
        desktop: String::new(),
        config_home: dir.path().into(),
    };
    let e = watch_system_bus(&env, |_| {}).unwrap_err();
    assert!(e.contains("system bus"), "{e}");
}

fn kill(mut c: Child) {
    let _ = c.kill();
    let _ = c.wait();
}

// ---------------------------------------------------------------- PackageKit

const PACKAGEKITD: &str = "/usr/libexec/packagekitd";

/// Runs `cmd` with a time limit; its stdout.
fn output_within(cmd: &mut Command, within: Duration) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("out");
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(fs::File::create(&out_path).unwrap())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + within;
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if Instant::now() > deadline {
            kill(child);
            panic!("{cmd:?} did not end within {within:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    fs::read_to_string(out_path).unwrap()
}

/// `pkcon get-updates`: (security, other). Each result line starts with
/// the update's kind ("Security", "Normal", "Bugfix", ...).
fn pkcon_updates(address: &str) -> (u32, u32) {
    let out = output_within(
        Command::new("pkcon")
            .args(["--plain", "get-updates"])
            .env("DBUS_SYSTEM_BUS_ADDRESS", address),
        Duration::from_secs(90),
    );
    const KINDS: [&str; 9] = [
        "Security",
        "Normal",
        "Bugfix",
        "Enhancement",
        "Important",
        "Low",
        "Critical",
        "Blocked",
        "Available",
    ];
    let (mut security, mut other) = (0, 0);
    for line in out.lines().skip_while(|l| !l.starts_with("Results:")) {
        match line.split_whitespace().next() {
            Some("Security") => security += 1,
            Some(k) if KINDS.contains(&k) => other += 1,
            _ => {}
        }
    }
    (security, other)
}

fn apt_upgradable() -> u32 {
    let out = output_within(
        Command::new("apt")
            .args(["list", "--upgradable"])
            .env("LC_ALL", "C"),
        Duration::from_secs(60),
    );
    out.lines()
        .filter(|l| l.contains("[upgradable from:"))
        .count() as u32
}

#[test]
fn packagekit_counts_this_machines_real_updates() {
    if !Path::new(PACKAGEKITD).exists() {
        eprintln!("SKIPPED: {PACKAGEKITD} is not installed (Debian package packagekit)");
        return;
    }
    if unsafe { libc::geteuid() } != 0 {
        eprintln!(
            "SKIPPED: packagekitd runs as root (it opens /var/lib/PackageKit and the APT cache)"
        );
        return;
    }
    let mut bus = Bus::start();
    // --keep-environment: it clears its environment otherwise, and with it
    // DBUS_SYSTEM_BUS_ADDRESS. --disable-timer: no idle exit mid-test. Not
    // -v: verbose mode makes GLib criticals fatal, and the APT backend logs
    // one for every Debian security update (pk_package_set_update_severity).
    bus.spawn(
        "org.freedesktop.PackageKit",
        PACKAGEKITD,
        &["--keep-environment", "--disable-timer"],
    );
    let r = root();
    let probe = UpdatesProbe::new(bus.env(r.path()));
    let started = Instant::now();
    let facts = probe.packagekit();
    eprintln!("PackageKit answered in {:?}: {facts:?}", started.elapsed());
    let PackageKit::Read {
        security_pending,
        other_pending,
        ..
    } = facts
    else {
        panic!("PackageKit did not answer: {facts:?}");
    };
    let (pk_security, pk_other) = pkcon_updates(&bus.address);
    assert_eq!(
        (security_pending, other_pending),
        (pk_security, pk_other),
        "the probe and pkcon disagree"
    );
    assert_eq!(
        security_pending + other_pending,
        apt_upgradable(),
        "PackageKit and `apt list --upgradable` disagree"
    );
    let o = probe.os_updates(&PostureConfig::default());
    if security_pending > 0 {
        assert_obs(&o, CheckResult::Fail, "security_updates_pending");
    } else {
        assert_ne!(o.result, CheckResult::Unknown, "{o:?}");
    }
}

#[test]
fn packagekit_absent_is_unknown() {
    let bus = Bus::start();
    let r = root();
    let probe = UpdatesProbe::new(bus.env(r.path()));
    assert_eq!(probe.packagekit(), PackageKit::Absent);
    let o = probe.os_updates(&PostureConfig::default());
    assert_eq!(o.result, CheckResult::Unknown);
    assert!(o.reason.unwrap().contains("PackageKit"));
}

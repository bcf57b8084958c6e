#!/usr/bin/env python3
"""A NetworkManager that is not the system's: python-dbusmock's template on
the bus given, connected to a WPA2 access point. What an agent could run on
a bus of their own to make Veil believe the Wi-Fi is protected. Prints
"ready" once it answers, then runs until killed."""

import subprocess
import sys
import time

import dbus

address = sys.argv[1]
mock = subprocess.Popen(
    [sys.executable, "-m", "dbusmock", "--system", "--template", "networkmanager"],
    env={"DBUS_SYSTEM_BUS_ADDRESS": address, "PATH": "/usr/bin:/bin"},
    stdout=subprocess.DEVNULL,
    stderr=subprocess.DEVNULL,
)
bus = dbus.bus.BusConnection(address)
for _ in range(100):
    if bus.name_has_owner("org.freedesktop.NetworkManager"):
        break
    time.sleep(0.1)
nm = dbus.Interface(
    bus.get_object("org.freedesktop.NetworkManager", "/org/freedesktop/NetworkManager"),
    "org.freedesktop.DBus.Mock",
)
dev = nm.AddWiFiDevice("wlan0", "wlan0", dbus.Int32(100))
# NM_802_11_AP_SEC_PAIR_CCMP | GROUP_CCMP | KEY_MGMT_PSK: WPA2.
ap = nm.AddAccessPoint(dev, "ap0", "Home", "00:11:22:33:44:55", dbus.UInt32(2),
                       dbus.UInt32(2437), dbus.UInt32(54000), dbus.Byte(80),
                       dbus.UInt32(0x188))
# A WPA2-only router announces nothing in the WPA1 flags (the template's
# connection settings are looked up from them).
nm.SetProperty(ap, "org.freedesktop.NetworkManager.AccessPoint", "WpaFlags",
               dbus.UInt32(0, variant_level=1))
conn = nm.AddWiFiConnection(dev, "c0", "Home", "wpa-psk")
nm.AddActiveConnection([dev], conn, ap, "a0", dbus.UInt32(2))
devmock = dbus.Interface(bus.get_object("org.freedesktop.NetworkManager", dev),
                         "org.freedesktop.DBus.Mock")
devmock.AddProperty("org.freedesktop.NetworkManager.Device.Wireless",
                    "ActiveAccessPoint", dbus.ObjectPath(ap))
print("ready", flush=True)
try:
    mock.wait()
except KeyboardInterrupt:
    mock.kill()

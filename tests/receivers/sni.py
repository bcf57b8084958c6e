#!/usr/bin/python3
"""A StatusNotifierItem host for the tray test (tests/tests/sni_tray.rs).

`sni.py watcher` owns org.kde.StatusNotifierWatcher on the session bus, as a
KDE, GNOME (AppIndicator extension), Xfce or Cinnamon panel does, so an app
started after it registers a StatusNotifierItem instead of an XEmbed icon.
It keeps the list of registered items and says it has a host; it draws
nothing. The other commands read an item the way a panel does and print
JSON: `items` (what the watcher holds), `item SERVICE PATH` (its properties), `menu SERVICE PATH` (its
com.canonical.dbusmenu layout, flattened), `click SERVICE PATH LABEL` (sends
the "clicked" event of the menu item with that label, as a panel does when
the agent picks it).
"""

import json
import sys
import time

import dbus
import dbus.service

WATCHER = "org.kde.StatusNotifierWatcher"
ITEM = "org.kde.StatusNotifierItem"
MENU = "com.canonical.dbusmenu"
PROPS = "org.freedesktop.DBus.Properties"


class Watcher(dbus.service.Object):
    def __init__(self, bus):
        super().__init__(bus, "/StatusNotifierWatcher")
        self.items = []
        self.hosts = []

    @dbus.service.method(WATCHER, in_signature="s", out_signature="", sender_keyword="sender")
    def RegisterStatusNotifierItem(self, service, sender=None):
        # libappindicator passes its object path; others pass a bus name.
        if service.startswith("/"):
            item = sender + service
        else:
            item = service + "/StatusNotifierItem"
        if item not in self.items:
            self.items.append(item)
        print("registered", item, flush=True)
        self.StatusNotifierItemRegistered(item)

    @dbus.service.method(WATCHER, in_signature="s", out_signature="", sender_keyword="sender")
    def RegisterStatusNotifierHost(self, service, sender=None):
        self.hosts.append(service)
        self.StatusNotifierHostRegistered()

    @dbus.service.signal(WATCHER, signature="s")
    def StatusNotifierItemRegistered(self, item):
        pass

    @dbus.service.signal(WATCHER, signature="s")
    def StatusNotifierItemUnregistered(self, item):
        pass

    @dbus.service.signal(WATCHER, signature="")
    def StatusNotifierHostRegistered(self):
        pass

    def props(self):
        return {
            "RegisteredStatusNotifierItems": dbus.Array(self.items, signature="s"),
            "IsStatusNotifierHostRegistered": dbus.Boolean(True),
            "ProtocolVersion": dbus.Int32(0),
        }

    @dbus.service.method(PROPS, in_signature="ss", out_signature="v")
    def Get(self, interface, name):
        return self.props()[name]

    @dbus.service.method(PROPS, in_signature="s", out_signature="a{sv}")
    def GetAll(self, interface):
        return self.props() if interface == WATCHER else {}

    @dbus.service.signal(PROPS, signature="sa{sv}as")
    def PropertiesChanged(self, interface, changed, invalidated):
        pass

    def forget(self, name):
        # An item whose owner left the bus is gone, as a real watcher does.
        gone = [i for i in self.items if i.startswith(name + "/")]
        for item in gone:
            self.items.remove(item)
            self.StatusNotifierItemUnregistered(item)


def watcher():
    from dbus.mainloop.glib import DBusGMainLoop
    from gi.repository import GLib

    DBusGMainLoop(set_as_default=True)
    bus = dbus.SessionBus()
    w = Watcher(bus)

    def owner_changed(name, old, new):
        if old and not new:
            w.forget(name)

    bus.add_signal_receiver(
        owner_changed,
        signal_name="NameOwnerChanged",
        dbus_interface="org.freedesktop.DBus",
    )
    # Claimed after the object exists: an app that sees the name can call it.
    name = dbus.service.BusName(WATCHER, bus, do_not_queue=True)
    print("ready", name.get_name(), flush=True)
    GLib.MainLoop().run()


def plain(value):
    """D-Bus values as JSON ones."""
    if isinstance(value, (dbus.Array, list)):
        if getattr(value, "signature", None) == "y":
            return len(value)
        return [plain(v) for v in value]
    if isinstance(value, (dbus.Struct, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dbus.Dictionary):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, dbus.Boolean):
        return bool(value)
    if isinstance(value, (dbus.String, dbus.ObjectPath)):
        return str(value)
    if isinstance(value, (dbus.Byte, dbus.Int16, dbus.Int32, dbus.Int64,
                          dbus.UInt16, dbus.UInt32, dbus.UInt64)):
        return int(value)
    if isinstance(value, dbus.Double):
        return float(value)
    return str(value)


def item(bus, service, path):
    props = bus.get_object(service, path).GetAll(ITEM, dbus_interface=PROPS)
    out = plain(props)
    # A pixmap is large: its sizes are enough to say there is one.
    if "IconPixmap" in out:
        out["IconPixmap"] = [[p[0], p[1]] for p in out["IconPixmap"]]
    return out


def flatten(node, out):
    ident, props, children = node
    entry = {"id": int(ident)}
    entry.update(plain(props))
    out.append(entry)
    for child in children:
        flatten(child, out)


def menu(bus, service, path):
    menu_path = item(bus, service, path)["Menu"]
    obj = bus.get_object(service, menu_path)
    _revision, layout = obj.GetLayout(0, -1, dbus.Array([], signature="s"),
                                      dbus_interface=MENU)
    out = []
    flatten(layout, out)
    return {"path": menu_path, "items": out[1:]}


def click(bus, service, path, label):
    m = menu(bus, service, path)
    ids = [i["id"] for i in m["items"] if i.get("label") == label]
    if not ids:
        return {"clicked": None, "labels": [i.get("label") for i in m["items"]]}
    obj = bus.get_object(service, m["path"])
    obj.Event(dbus.Int32(ids[0]), "clicked", dbus.Int32(0, variant_level=1),
              dbus.UInt32(int(time.time())), dbus_interface=MENU)
    return {"clicked": ids[0]}


def main():
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd == "watcher":
        watcher()
        return
    bus = dbus.SessionBus()
    if cmd == "items":
        watcher_obj = bus.get_object(WATCHER, "/StatusNotifierWatcher")
        items = watcher_obj.Get(WATCHER, "RegisteredStatusNotifierItems", dbus_interface=PROPS)
        print(json.dumps(plain(items)))
    elif cmd == "item":
        print(json.dumps(item(bus, sys.argv[2], sys.argv[3])))
    elif cmd == "menu":
        print(json.dumps(menu(bus, sys.argv[2], sys.argv[3])))
    elif cmd == "click":
        print(json.dumps(click(bus, sys.argv[2], sys.argv[3], sys.argv[4])))
    else:
        sys.exit("usage: sni.py watcher | items | item|menu SERVICE PATH | click SERVICE PATH LABEL")


if __name__ == "__main__":
    main()

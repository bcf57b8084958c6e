//! The tray on a StatusNotifierItem desktop (KDE Plasma, GNOME with the
//! AppIndicator extension, Xfce's and Cinnamon's panels): a watcher on the
//! session bus before Veil starts, so libayatana-appindicator registers an
//! item instead of an XEmbed icon. The watcher is ours
//! (tests/receivers/sni.py, it draws nothing); the item, its icon and its
//! dbusmenu are libayatana-appindicator's real ones, read and clicked over
//! D-Bus the way a panel does.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::Value;
use veil_e2e::{wait_until, workspace, Home};

fn sni_py() -> PathBuf {
    workspace().join("tests/receivers/sni.py")
}

/// The StatusNotifierWatcher, owned by this test; ended when dropped so the
/// next test's Veil finds the XEmbed tray again.
struct Watcher(Child);

impl Watcher {
    fn start(log: &Path) -> Watcher {
        let mut child = Command::new("/usr/bin/python3")
            .arg(sni_py())
            .arg("watcher")
            .stdout(Stdio::piped())
            .stderr(Stdio::from(std::fs::File::create(log).expect("log")))
            .spawn()
            .expect("python3 with dbus-python (scripts/setup.sh installs it)");
        let mut line = String::new();
        let stdout = child.stdout.take().expect("stdout");
        let mut reader = BufReader::new(stdout);
        let _ = reader.read_line(&mut line);
        assert!(
            line.starts_with("ready org.kde.StatusNotifierWatcher"),
            "the watcher did not take its name: {line:?} {}",
            std::fs::read_to_string(log).unwrap_or_default()
        );
        // Keep reading its output so a full pipe never blocks it.
        std::thread::spawn(move || for _ in reader.lines() {});
        Watcher(child)
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `sni.py ARGS`, its JSON output.
fn sni(args: &[&str]) -> Value {
    let out = Command::new("/usr/bin/python3")
        .arg(sni_py())
        .args(args)
        .output()
        .expect("python3");
    serde_json::from_slice(&out.stdout).unwrap_or(Value::Null)
}

/// The pixels of a PNG as raw RGBA (ImageMagick), to compare an icon the
/// item shows with the one Veil ships.
fn rgba(path: &Path) -> Vec<u8> {
    Command::new("convert")
        .arg(path)
        .arg("rgba:-")
        .output()
        .map(|o| o.stdout)
        .unwrap_or_default()
}

/// The icon file the item points a panel at (IconThemePath + IconName).
fn icon_file(item: &Value) -> Option<PathBuf> {
    let name = item["IconName"].as_str()?;
    if name.starts_with('/') {
        return Some(PathBuf::from(name));
    }
    let dir = Path::new(item["IconThemePath"].as_str()?);
    [format!("{name}.png"), name.to_string()]
        .iter()
        .map(|n| dir.join(n))
        .find(|p| p.is_file())
}

fn shows_icon(item: &Value, asset: &str) -> bool {
    let want = rgba(&workspace().join("assets/icons").join(asset));
    !want.is_empty() && icon_file(item).is_some_and(|f| rgba(&f) == want)
}

fn entry<'a>(menu: &'a Value, label: &str) -> Option<&'a Value> {
    menu["items"]
        .as_array()?
        .iter()
        .find(|i| i["label"] == label)
}

#[test]
fn the_tray_is_a_status_notifier_item_whose_icon_and_menu_follow_veil() {
    let home = Home::new();
    home.write_policy("[shield]\nidle_seconds = 3600\n");
    let _watcher = Watcher::start(&home.path().join("sni-watcher.log"));
    let _app = home.launch(&[]);

    let mut registered = Value::Null;
    wait_until(Duration::from_secs(10), "Veil registers an item", || {
        registered = sni(&["items"]);
        registered.as_array().is_some_and(|a| !a.is_empty())
    });
    let id = registered[0].as_str().unwrap().to_string();
    let (service, path) = id.split_at(id.find('/').unwrap());
    // Registered as an item, not docked in the XEmbed tray that trayer
    // offers on this display too.
    let xembed = Command::new("xdotool")
        .args(["search", "--classname", "^tray-icon tray app veil$"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&xembed.stdout).trim().is_empty(),
        "an XEmbed icon besides the item"
    );

    let item = sni(&["item", service, path]);
    assert_eq!(item["Status"], "Active", "{item}");
    assert_eq!(item["Category"], "ApplicationStatus", "{item}");
    // libayatana-appindicator exports no tooltip (no ToolTip property, or
    // an empty one): on these desktops the state is the menu's first line,
    // read below. Should a later version export one, it must name the state.
    eprintln!("the item's properties: {item}");
    let tooltip_text = item["ToolTip"][2].as_str().unwrap_or_default().to_string()
        + item["ToolTip"][3].as_str().unwrap_or_default();
    assert!(
        tooltip_text.is_empty() || tooltip_text.contains("Protected"),
        "a tooltip that does not name the state: {item}"
    );
    assert!(
        shows_icon(&item, "tray-protected.png"),
        "the item shows the protected icon: {item}"
    );
    let menu = sni(&["menu", service, path]);
    let privacy = entry(&menu, "Privacy mode").unwrap_or_else(|| panic!("{menu}"));
    assert_eq!(privacy["toggle-type"], "checkmark", "{menu}");
    assert_eq!(privacy["toggle-state"], 1, "privacy on: {menu}");
    let status = entry(&menu, "Protected").unwrap_or_else(|| panic!("{menu}"));
    assert_eq!(status["enabled"], false, "the status line is not a button");
    for label in ["Shield screen now", "Training…", "Open Veil"] {
        assert!(entry(&menu, label).is_some(), "{label}: {menu}");
    }

    // Privacy off from the CLI: the item's icon and menu follow.
    let o = home.cli(&["privacy", "off"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    wait_until(Duration::from_secs(5), "the item shows off", || {
        shows_icon(&sni(&["item", service, path]), "tray-off.png")
    });
    wait_until(Duration::from_secs(5), "the menu shows off", || {
        let menu = sni(&["menu", service, path]);
        entry(&menu, "Privacy mode").is_some_and(|p| p["toggle-state"] == 0)
            && entry(&menu, "Privacy mode off").is_some()
    });

    // The panel sends "clicked" for the privacy item: privacy is on again.
    let clicked = sni(&["click", service, path, "Privacy mode"]);
    assert!(clicked["clicked"].is_i64(), "{clicked}");
    wait_until(Duration::from_secs(5), "privacy on from the item", || {
        home.status().is_some_and(|s| s["privacy_mode"] == "on")
    });
    wait_until(Duration::from_secs(5), "the item shows protected", || {
        shows_icon(&sni(&["item", service, path]), "tray-protected.png")
    });
    // "Shield screen now" from the item covers the screen.
    let clicked = sni(&["click", service, path, "Shield screen now"]);
    assert!(clicked["clicked"].is_i64(), "{clicked}");
    wait_until(Duration::from_secs(3), "shielded from the item", || {
        home.status()
            .is_some_and(|s| s["shield"]["state"] == "shielded")
    });

    // The agent picks Spanish: the menu is rebuilt in Spanish.
    home.write_settings("language = \"es\"\n");
    wait_until(Duration::from_secs(5), "the menu in Spanish", || {
        let menu = sni(&["menu", service, path]);
        [
            "Modo privado",
            "Proteger pantalla ahora",
            "Formación…",
            "Abrir Veil",
        ]
        .iter()
        .all(|l| entry(&menu, l).is_some())
    });
}

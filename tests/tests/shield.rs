//! The idle privacy shield end to end on the real X server: a window with a
//! card number on screen, no input, then the countdown, the shield (a
//! screenshot shows none of the window's pixels), input lifts it; "shield
//! now" from the CLI; the lock stage runs the policy's lock command.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use veil_e2e::logind::MockLogind;
use veil_e2e::{screenshot_dir, wait_until, x_window_geometry, x_windows_named, Home};

/// Colors no Veil window uses: if any shows in a screenshot, the text
/// window behind the shield is visible.
const TEXT_BG: &str = "#FF00FF";
const TEXT_FG: &str = "#00FF00";

fn text_window() -> Child {
    let child = Command::new("xmessage")
        .args([
            "-geometry",
            "1280x800+0+0",
            "-bg",
            TEXT_BG,
            "-fg",
            TEXT_FG,
            "-center",
            "CARD 4111 1111 1111 1111   CVV 123   Jane Customer",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("xmessage (x11-utils)");
    let up = (0..25).any(|_| {
        colors_on_screen("before").iter().any(|c| c == TEXT_BG) || {
            std::thread::sleep(Duration::from_millis(200));
            false
        }
    });
    if !up {
        save_screenshot("text-window-failed");
        panic!("the text window is not on screen: see text-window-failed.png");
    }
    child
}

/// The distinct colors of a screenshot of the whole screen.
fn colors_on_screen(name: &str) -> Vec<String> {
    let path = screenshot_dir().join(format!("shield-test-{name}.png"));
    let _ = std::fs::create_dir_all(screenshot_dir());
    let ok = Command::new("import")
        .args(["-window", "root"])
        .arg(&path)
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "screenshot");
    let out = Command::new("convert")
        .arg(&path)
        .args(["-format", "%c", "histogram:info:-"])
        .output()
        .expect("convert");
    let _ = std::fs::remove_file(&path);
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| {
            l.split_whitespace()
                .find(|w| w.starts_with('#'))
                .map(|w| w[..7].to_uppercase())
        })
        .collect()
}

/// Keeps a screenshot of the whole screen for the README.
fn save_screenshot(name: &str) {
    let _ = Command::new("import")
        .args(["-window", "root"])
        .arg(screenshot_dir().join(format!("{name}.png")))
        .status();
}

fn mouse(x: u32, y: u32) {
    let _ = Command::new("xdotool")
        .args(["mousemove", &x.to_string(), &y.to_string()])
        .status();
}

/// Moves the mouse after the second in which input right after "shield
/// now" does not count (the agent's own hand), and waits for the shield to
/// go.
fn lift_after_grace(home: &Home, x: u32, y: u32) {
    std::thread::sleep(Duration::from_millis(1200));
    assert_eq!(
        shield_state(home),
        "shielded",
        "still covered after the grace"
    );
    mouse(x, y);
    wait_until(Duration::from_secs(2), "input lifts the shield", || {
        shield_state(home) == "active"
    });
}

fn shield_state(home: &Home) -> String {
    home.status()
        .map(|s| s["shield"]["state"].as_str().unwrap_or("").to_string())
        .unwrap_or_default()
}

fn policy(home: &Home, lock_after: u32, lock_file: &std::path::Path) {
    home.write_policy(&format!(
        "[shield]\nidle_seconds = 5\nwarning_seconds = 2\nlock_after_seconds = {lock_after}\nlock_command = \"/usr/bin/touch {}\"\nstyle = \"opaque\"\n",
        lock_file.display()
    ));
}

#[test]
fn idle_warns_then_covers_every_pixel_and_input_lifts_it() {
    let home = Home::new();
    let lock_file = home.path().join("locked");
    policy(&home, 600, &lock_file);
    let app = home.launch(&[]);
    let mut text = text_window();
    mouse(400, 300);

    let st = home.status().unwrap();
    assert_eq!(st["shield"]["idle_source"], "x11", "{st}");
    wait_until(Duration::from_secs(10), "the countdown", || {
        shield_state(&home) == "warning"
    });
    std::thread::sleep(Duration::from_millis(800));
    // No compositing manager here: a banner, centred at the top.
    let banner = x_windows_named(app.pid(), "Veil: screen cover soon");
    assert_eq!(banner.len(), 1, "one countdown banner");
    let (x, y, width, height) = x_window_geometry(&banner[0]).unwrap();
    assert_eq!((width, height), (580, 56), "the banner's size");
    assert!(
        (x - (1280 - 580) / 2).abs() <= 1 && y < 100,
        "centred at the top: {x},{y}"
    );
    save_screenshot("shield-warning");
    wait_until(Duration::from_secs(5), "the shield", || {
        shield_state(&home) == "shielded"
    });
    std::thread::sleep(Duration::from_millis(500));
    let colors = colors_on_screen("shielded");
    assert!(
        !colors.iter().any(|c| c == TEXT_BG || c == TEXT_FG),
        "the text window shows through: {colors:?}"
    );
    assert_eq!(
        x_windows_named(app.pid(), "Veil privacy shield").len(),
        1,
        "one overlay for the one Xvfb screen"
    );
    assert!(
        colors.iter().any(|c| c == "#0E1116"),
        "the shield's color: {colors:?}"
    );
    save_screenshot("shield");

    mouse(600, 500);
    wait_until(Duration::from_secs(2), "input lifts the shield", || {
        shield_state(&home) == "active"
    });
    wait_until(Duration::from_secs(2), "the text is back", || {
        colors_on_screen("after").iter().any(|c| c == TEXT_BG)
    });
    assert!(!lock_file.exists(), "no lock before lock_after_seconds");
    let _ = text.kill();
    let _ = text.wait();
}

#[test]
fn shield_now_from_the_cli_covers_at_once() {
    let home = Home::new();
    home.write_policy("[shield]\nidle_seconds = 3600\n");
    let _app = home.launch(&[]);
    let mut text = text_window();
    mouse(300, 300);
    let o = home.cli(&["shield", "now"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    wait_until(Duration::from_secs(2), "shielded", || {
        shield_state(&home) == "shielded"
    });
    std::thread::sleep(Duration::from_millis(500));
    let colors = colors_on_screen("shield-now");
    assert!(
        !colors.iter().any(|c| c == TEXT_BG || c == TEXT_FG),
        "{colors:?}"
    );
    // The request itself is not input; later input is.
    lift_after_grace(&home, 500, 400);
    let _ = text.kill();
    let _ = text.wait();
}

#[test]
fn a_long_absence_locks_the_session() {
    // logind with a screen locker that confirms each lock (python-dbusmock
    // stands in for logind, which needs systemd as PID 1).
    let logind = MockLogind::start(true);
    let home = Home::new();
    home.set_env("DBUS_SYSTEM_BUS_ADDRESS", &logind.address);
    let lock_file = home.path().join("locked");
    policy(&home, 10, &lock_file);
    let _app = home.launch(&[]);
    mouse(200, 200);
    wait_until(Duration::from_secs(20), "locked", || {
        shield_state(&home) == "locked"
    });
    assert!(logind.locked_hint(), "logind says locked");
    let text = String::from_utf8_lossy(&home.cli(&["audit", "show", "--json"]).stdout).to_string();
    assert!(
        !lock_file.exists(),
        "logind confirmed: the policy's command was not needed: {text}"
    );
    assert!(
        text.contains("shield_shown")
            && text.contains("session_locked")
            && text.contains("confirmed after logind"),
        "{text}"
    );
    mouse(300, 300);
    wait_until(Duration::from_secs(2), "back to active", || {
        shield_state(&home) == "active"
    });
}

/// `loginctl lock-session` succeeds where no locker listens (openbox, i3):
/// a lock nobody confirms keeps the cover up, is recorded as `lock_failed`,
/// and tells the agent this computer cannot lock itself.
#[test]
fn a_lock_nothing_confirms_keeps_the_screen_covered_and_says_so() {
    let logind = MockLogind::start(false);
    let home = Home::new();
    home.set_env("DBUS_SYSTEM_BUS_ADDRESS", &logind.address);
    let lock_file = home.path().join("locked");
    policy(&home, 10, &lock_file);
    // Fresh input, so the countdown starts from this test's own idle time.
    mouse(10, 10);
    let _app = home.launch(&[]);
    let mut text = text_window();
    mouse(200, 200);
    wait_until(Duration::from_secs(40), "the lock given up", || {
        home.status()
            .is_some_and(|s| s["shield"]["lock_failed"] == true)
    });
    let st = home.status().unwrap();
    assert_eq!(
        st["shield"]["state"], "shielded",
        "the cover stays up: {st}"
    );
    assert_eq!(st["state"], "attention");
    assert!(
        st["problems"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["summary"] == "This computer cannot lock itself"),
        "{st}"
    );
    assert!(lock_file.exists(), "the policy's command was tried too");
    assert!(!logind.locked_hint());
    // Still covered: nothing of the customer's data shows.
    let colors = colors_on_screen("lock-failed");
    assert!(
        !colors.iter().any(|c| c == TEXT_BG || c == TEXT_FG),
        "the screen was left open: {colors:?}"
    );
    let failed = home.audit_of("lock_failed");
    assert!(!failed.is_empty(), "{:?}", home.audit());
    let why = failed[0]["details"].as_str().unwrap();
    assert!(why.contains("logind: nothing confirmed the lock"), "{why}");
    assert!(home.audit_of("session_locked").is_empty());
    mouse(300, 300);
    wait_until(Duration::from_secs(2), "back to active", || {
        shield_state(&home) == "active"
    });
    assert_eq!(home.status().unwrap()["shield"]["lock_failed"], false);
    let _ = text.kill();
    let _ = text.wait();
}

/// With a compositing manager (as on every current desktop) the countdown
/// dims every monitor: the text stays visible but darker, and the agent's
/// window keeps the keyboard.
#[test]
fn with_a_compositor_the_countdown_dims_the_screen_and_leaves_focus_alone() {
    let home = Home::new();
    let lock_file = home.path().join("locked");
    home.write_policy(&format!(
        "[shield]\nidle_seconds = 5\nwarning_seconds = 30\nlock_after_seconds = 600\nlock_command = \"/usr/bin/touch {}\"\n",
        lock_file.display()
    ));
    let mut compositor = Command::new("xcompmgr")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("xcompmgr");
    // As on a real desktop, the compositor is up before Veil starts (GTK
    // decides at start whether windows can be see-through).
    wait_until(Duration::from_secs(5), "the compositor is up", || {
        veil_os::display::translucent_windows()
    });
    // Fresh input, so the countdown starts from this test's own idle time.
    mouse(10, 10);
    let app = home.launch(&[]);
    let mut text = text_window();
    let _ = Command::new("xdotool")
        .args(["search", "--name", "^xmessage$", "windowactivate", "--sync"])
        .status();
    mouse(400, 300);
    wait_until(Duration::from_secs(10), "the countdown", || {
        shield_state(&home) == "warning"
    });
    let dimmed = || {
        let colors = colors_on_screen("dimmed");
        !colors.iter().any(|c| c == TEXT_BG) && colors.iter().any(|c| is_dimmed_magenta(c))
    };
    if !(0..25).any(|_| {
        dimmed() || {
            std::thread::sleep(Duration::from_millis(200));
            false
        }
    }) {
        save_screenshot("shield-dimmed-failed");
        panic!("the screen is not dimmed: see shield-dimmed-failed.png");
    }
    assert_eq!(
        x_windows_named(app.pid(), "Veil: screen cover soon").len(),
        1,
        "one dimming window for the one Xvfb screen"
    );
    let focused = Command::new("xdotool")
        .args(["getwindowfocus", "getwindowname"])
        .output()
        .expect("xdotool");
    assert_eq!(
        String::from_utf8_lossy(&focused.stdout).trim(),
        "xmessage",
        "the dimming takes no focus"
    );
    save_screenshot("shield-dimmed");
    mouse(600, 500);
    wait_until(Duration::from_secs(2), "input ends the countdown", || {
        shield_state(&home) == "active"
    });
    wait_until(Duration::from_secs(2), "the screen is bright again", || {
        colors_on_screen("undimmed").iter().any(|c| c == TEXT_BG)
    });
    let _ = text.kill();
    let _ = text.wait();
    let _ = compositor.kill();
    let _ = compositor.wait();
}

/// The text window's magenta seen through the dimming: darker, still
/// magenta.
fn is_dimmed_magenta(hex: &str) -> bool {
    let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).unwrap_or(0);
    let (r, g, b) = (channel(1), channel(3), channel(5));
    (60..200).contains(&r) && (60..200).contains(&b) && g < 40
}

fn xdotool(args: &[&str]) -> String {
    let out = Command::new("xdotool")
        .args(args)
        .output()
        .expect("xdotool");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// The agent clicks the tray icon and picks "Shield screen now" (from the
/// keyboard: the second item that can be chosen).
#[test]
fn shield_now_from_the_tray_menu_covers_at_once() {
    let home = Home::new();
    home.write_policy("[shield]\nidle_seconds = 3600\n");
    let app = home.launch(&[]);
    let mut text = text_window();
    let mut icon = String::new();
    wait_until(
        Duration::from_secs(5),
        "the tray icon is in the tray",
        || {
            icon = xdotool(&["search", "--classname", "^tray-icon tray app veil$"]);
            !icon.is_empty()
        },
    );
    let (x, y, w, h) = x_window_geometry(icon.lines().next().unwrap()).unwrap();
    let (cx, cy) = ((x + w / 2).to_string(), (y + h / 2).to_string());
    xdotool(&["mousemove", &cx, &cy, "click", "1"]);
    let pid = app.pid().to_string();
    wait_until(Duration::from_secs(3), "the tray menu is open", || {
        !xdotool(&["search", "--onlyvisible", "--pid", &pid, "--name", "^veil$"]).is_empty()
    });
    // Privacy mode, then (past the status line and separators) the shield.
    xdotool(&["key", "--delay", "80", "Down", "Down", "Return"]);
    wait_until(Duration::from_secs(2), "shielded from the tray", || {
        shield_state(&home) == "shielded"
    });
    std::thread::sleep(Duration::from_millis(500));
    let colors = colors_on_screen("tray-shield");
    assert!(
        !colors.iter().any(|c| c == TEXT_BG || c == TEXT_FG),
        "{colors:?}"
    );
    let log = String::from_utf8_lossy(&home.cli(&["audit", "show", "--json"]).stdout).to_string();
    assert!(log.contains("screen covered (shield now)"), "{log}");
    lift_after_grace(&home, 500, 400);
    let _ = text.kill();
    let _ = text.wait();
}

/// The default shortcut shields from any program; a new one set in the
/// agent's settings replaces it at once; a bad one is refused with the
/// file, line and reason, and the last good one stays.
#[test]
fn the_global_shortcut_shields_and_follows_the_settings() {
    let home = Home::new();
    home.write_policy("[shield]\nidle_seconds = 3600\n");
    let _app = home.launch(&[]);
    let mut text = text_window();
    let _ = Command::new("xdotool")
        .args(["search", "--name", "^xmessage$", "windowactivate", "--sync"])
        .status();
    wait_until(Duration::from_secs(3), "the shortcut is registered", || {
        home.status().is_some_and(|s| {
            s["shield"]["shortcut"]["keys"] == "Ctrl+Alt+Shift+P"
                && s["shield"]["shortcut"]["registered"] == true
        })
    });
    xdotool(&["key", "ctrl+alt+shift+p"]);
    wait_until(Duration::from_secs(2), "shielded by the shortcut", || {
        shield_state(&home) == "shielded"
    });
    std::thread::sleep(Duration::from_millis(300));
    assert!(!colors_on_screen("shortcut").iter().any(|c| c == TEXT_BG));
    // Input in the first second is the agent's own hand leaving the keys.
    lift_after_grace(&home, 500, 400);

    home.write_settings("[shield]\nshortcut = \"Super+Alt+F9\"\n");
    wait_until(
        Duration::from_secs(3),
        "the new keys are registered",
        || {
            home.status().is_some_and(|s| {
                s["shield"]["shortcut"]["keys"] == "Alt+Super+F9"
                    && s["shield"]["shortcut"]["registered"] == true
            })
        },
    );
    xdotool(&["key", "ctrl+alt+shift+p"]);
    std::thread::sleep(Duration::from_millis(600));
    assert_eq!(shield_state(&home), "active", "the old keys were let go");
    xdotool(&["key", "super+alt+F9"]);
    wait_until(Duration::from_secs(2), "shielded by the new keys", || {
        shield_state(&home) == "shielded"
    });
    lift_after_grace(&home, 300, 300);

    home.write_settings("[shield]\nshortcut = \"Ctrl+C\"\n");
    wait_until(Duration::from_secs(3), "the bad value is reported", || {
        home.status().is_some_and(|s| {
            let problems = s["problems"].to_string();
            problems.contains("settings.toml") && problems.contains("would take the key away")
        })
    });
    assert_eq!(
        home.status().unwrap()["shield"]["shortcut"]["keys"],
        "Alt+Super+F9",
        "the last good keys stay"
    );
    let _ = text.kill();
    let _ = text.wait();
}

/// Keys another program holds are not taken from it: the status says why,
/// and pressing them reaches that program, not Veil.
#[test]
fn a_shortcut_another_program_holds_is_reported_not_taken() {
    let home = Home::new();
    home.write_policy("[shield]\nidle_seconds = 3600\n");
    let mut other = Command::new(env!("CARGO_BIN_EXE_grab-keys"))
        .arg("Ctrl+Alt+Shift+P")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("grab-keys");
    // Its lines, read on a thread so a missing one fails the test, not hangs it.
    let out = std::io::BufReader::new(other.stdout.take().expect("stdout"));
    let (lines_tx, lines) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufRead::lines(out).map_while(Result::ok) {
            if lines_tx.send(line).is_err() {
                break;
            }
        }
    });
    let next_line = || {
        lines
            .recv_timeout(Duration::from_secs(5))
            .unwrap_or_default()
    };
    assert_eq!(next_line(), "grabbed");
    let _app = home.launch(&[]);
    wait_until(Duration::from_secs(5), "the conflict is reported", || {
        home.status().is_some_and(|s| {
            let k = &s["shield"]["shortcut"];
            k["registered"] == false
                && k["message"]
                    .as_str()
                    .is_some_and(|m| m.contains("another program already uses these keys"))
        })
    });
    let text = String::from_utf8_lossy(&home.cli(&["status"]).stdout).into_owned();
    assert!(text.contains("Ctrl+Alt+Shift+P, not available"), "{text}");
    xdotool(&["key", "ctrl+alt+shift+p"]);
    assert_eq!(
        next_line(),
        "pressed",
        "the keys reach the program holding them"
    );
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(shield_state(&home), "active");
    let _ = other.kill();
    let _ = other.wait();
}

/// Veil's children whose process name starts with `prefix`.
/// Every process under `pid` (children, their children, ...), with names.
fn descendants(pid: u32) -> Vec<(u32, String)> {
    let procs: Vec<(u32, u32, String)> = std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|p| {
            let stat = std::fs::read_to_string(format!("/proc/{p}/stat")).ok()?;
            let ppid = stat
                .rsplit_once(") ")
                .and_then(|(_, rest)| rest.split_whitespace().nth(1))
                .and_then(|p| p.parse::<u32>().ok())?;
            let name = std::fs::read_to_string(format!("/proc/{p}/comm")).ok()?;
            Some((p, ppid, name.trim().to_string()))
        })
        .collect();
    let mut found = Vec::new();
    let mut parents = vec![pid];
    while let Some(parent) = parents.pop() {
        for (p, ppid, name) in &procs {
            if *ppid == parent {
                found.push((*p, name.clone()));
                parents.push(*p);
            }
        }
    }
    found
}

/// The shield is drawn by the toolkit, not a web page: covering the screen
/// starts no web engine. The dashboard does use one, in Veil's window
/// process: started when the window opens, ended (with its web engine)
/// when it closes, so the tray app never holds WebKit's memory.
#[test]
fn the_shield_starts_no_web_engine_and_windows_live_in_a_process_that_ends_with_them() {
    let home = Home::new();
    home.write_policy("[shield]\nidle_seconds = 3600\n");
    let app = home.launch(&[]);
    let mut text = text_window();
    assert!(home.cli(&["shield", "now"]).status.success());
    wait_until(Duration::from_secs(3), "shielded", || {
        shield_state(&home) == "shielded"
    });
    std::thread::sleep(Duration::from_millis(300));
    let colors = colors_on_screen("no-engine");
    assert!(
        !colors.iter().any(|c| c == TEXT_BG || c == TEXT_FG),
        "{colors:?}"
    );
    assert_eq!(
        descendants(app.pid()),
        Vec::new(),
        "covering the screen starts no process (no web engine)"
    );
    lift_after_grace(&home, 500, 400);
    let _ = text.kill();
    let _ = text.wait();

    for round in 0..2 {
        // Starting Veil again while it runs opens its window.
        assert!(home.cli(&[]).status.success());
        let mut window_process = 0;
        wait_until(
            Duration::from_secs(15),
            "the dashboard's web engine",
            || {
                let procs = descendants(app.pid());
                window_process = procs
                    .iter()
                    .find(|(_, name)| name == "veil")
                    .map_or(0, |p| p.0);
                window_process != 0 && procs.iter().any(|(_, name)| name.starts_with("WebKit"))
            },
        );
        let dashboard = || {
            // The window process's window named Veil.
            x_windows_named(window_process, "Veil")
                .into_iter()
                .max_by_key(|id| x_window_geometry(id).map_or(0, |g| g.2))
        };
        wait_until(Duration::from_secs(15), "the dashboard window", || {
            dashboard().is_some()
        });
        std::thread::sleep(Duration::from_millis(500));
        let dashboard = dashboard().expect("the dashboard window");
        assert!(
            x_windows_named(app.pid(), "Veil").is_empty(),
            "the tray app shows no window of its own"
        );
        xdotool(&["windowactivate", "--sync", &dashboard, "key", "alt+F4"]);
        wait_until(
            Duration::from_secs(10),
            "the window process and its web engine ended",
            || descendants(app.pid()).is_empty(),
        );
        assert!(
            home.status().is_some(),
            "round {round}: Veil stays in the tray"
        );
    }
}

/// Grey levels of a screenshot of the whole screen (1280x800), row by row.
fn grey_screen(name: &str) -> Vec<u8> {
    let path = std::env::temp_dir().join(format!(
        "veil-readability-{name}-{}.png",
        std::process::id()
    ));
    assert!(Command::new("import")
        .args(["-window", "root"])
        .arg(&path)
        .status()
        .is_ok_and(|s| s.success()));
    let out = Command::new("convert")
        .arg(&path)
        .args(["-colorspace", "Gray", "-depth", "8", "gray:-"])
        .output()
        .expect("convert");
    let _ = std::fs::remove_file(&path);
    assert_eq!(out.stdout.len(), 1280 * 800, "a 1280x800 screen");
    out.stdout
}

/// The strokes of the card number and the ring of background around
/// them, as pixel indexes, from a screenshot of the plain window. Only the
/// card's two lines of text count: anything else dark on the screen (a
/// notification that popped up) is a large shape a blur keeps, as it
/// should, and no text of the card.
fn strokes_and_ring(plain: &[u8]) -> (Vec<usize>, Vec<usize>) {
    let (w, h) = (1280usize, 800usize);
    let dark = |i: usize| plain[i] < 80;
    let text_rows = |y: usize| (250..390).contains(&y) || (450..545).contains(&y);
    let mut strokes = vec![];
    let mut ring = vec![];
    for y in (4..h - 4).filter(|y| text_rows(*y)) {
        for x in 4..w - 4 {
            let i = y * w + x;
            if dark(i) {
                strokes.push(i);
            } else if plain[i] > 180
                && (-4i64..=4).any(|dy| {
                    (-4i64..=4)
                        .any(|dx| dark(((y as i64 + dy) * w as i64 + x as i64 + dx) as usize))
                })
            {
                ring.push(i);
            }
        }
    }
    (strokes, ring)
}

/// Grey-level contrast between the strokes and their ring (0 to 1).
fn contrast(screen: &[u8], strokes: &[usize], ring: &[usize]) -> f64 {
    let mean =
        |px: &[usize]| px.iter().map(|i| screen[*i] as f64).sum::<f64>() / px.len().max(1) as f64;
    (mean(ring) - mean(strokes)).abs() / 255.0
}

/// Every file under `dir` whose name says it is a picture.
fn pictures_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = vec![];
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(pictures_under(&p));
        } else if p
            .extension()
            .and_then(|x| x.to_str())
            .is_some_and(|x| ["png", "jpg", "jpeg", "ppm", "bmp", "webp", "tiff"].contains(&x))
        {
            out.push(p);
        }
    }
    out
}

/// A card number in large black text on white, full screen: what must not
/// be readable under the shield in either style.
#[test]
fn under_the_shield_a_card_number_cannot_be_read_blurred_or_opaque() {
    let home = Home::new();
    let card = home.path().join("card.png");
    assert!(Command::new("convert")
        .args([
            "-size",
            "1280x800",
            "xc:white",
            "-fill",
            "black",
            "-font",
            "DejaVu-Sans",
            "-pointsize",
            "110",
            "-annotate",
            "+40+360",
            "4111 1111 1111 1111",
            "-pointsize",
            "60",
            "-annotate",
            "+40+520",
            "CVV 123  Jane Customer"
        ])
        .arg(&card)
        .status()
        .is_ok_and(|s| s.success()));
    let shown = Command::new("display")
        .args([
            "-geometry",
            "1280x800+0+0",
            "-borderwidth",
            "0",
            "-title",
            "card",
        ])
        .arg(&card)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    let mut shown = shown.expect("display (imagemagick)");
    // Earlier tests' notifications (dunst, activated on this display's
    // session bus) may still be up: a dark popup is no part of the card.
    let _ = Command::new("dunstctl")
        .arg("close-all")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    home.write_policy("[shield]\nidle_seconds = 3600\n");
    let _app = home.launch(&[]);
    let mut plain = vec![];
    wait_until(Duration::from_secs(10), "the card on screen", || {
        plain = grey_screen("plain");
        // The page is up: mostly white, with text strokes and their ring.
        let (strokes, ring) = strokes_and_ring(&plain);
        strokes.len() > 5_000 && strokes.len() < 400_000 && ring.len() > 5_000
    });
    // Out of the home before the checks for pictures in Veil's folders.
    std::fs::remove_file(&card).unwrap();
    let (strokes, ring) = strokes_and_ring(&plain);
    let readable = contrast(&plain, &strokes, &ring);
    assert!(
        readable > 0.3,
        "the plain window's text contrast {readable:.3}"
    );
    mouse(640, 790);
    let folders = ["data", "config", "run", "home"];
    let pictures_before: Vec<_> = folders
        .iter()
        .flat_map(|d| pictures_under(&home.path().join(d)))
        .collect();

    for style in ["blur", "opaque"] {
        home.write_settings(&format!("[shield]\nstyle = \"{style}\"\n"));
        // The agent's file applies within a second.
        std::thread::sleep(Duration::from_millis(1500));
        assert!(home.cli(&["shield", "now"]).status.success());
        wait_until(Duration::from_secs(3), "shielded", || {
            shield_state(&home) == "shielded"
        });
        std::thread::sleep(Duration::from_millis(500));
        let covered = grey_screen(style);
        let c = contrast(&covered, &strokes, &ring);
        eprintln!("{style}: stroke/ring contrast {c:.4} (plain {readable:.3})");
        save_screenshot(&format!("shield-{style}"));
        assert!(
            c < 0.03,
            "{style}: the card's strokes stand out from their ring ({c:.4})"
        );
        if style == "blur" {
            // Not an opaque cover in disguise: the white page shows through,
            // darkened (the opaque cover is near black).
            let mean = covered.iter().map(|v| *v as f64).sum::<f64>() / covered.len() as f64;
            assert!(
                mean > 80.0,
                "the blur shows no picture (mean grey {mean:.0})"
            );
            save_screenshot("shield-blur");
        }
        lift_after_grace(&home, 640, 700);
        wait_until(Duration::from_secs(3), "lifted", || {
            shield_state(&home) == "active"
        });
    }
    // The capture never left memory: no new picture in Veil's folders
    // (the tray's own icon, written by the tray library, was there before).
    let pictures_after: Vec<_> = folders
        .iter()
        .flat_map(|d| pictures_under(&home.path().join(d)))
        .filter(|p| !pictures_before.contains(p))
        .collect();
    assert!(
        pictures_after.is_empty(),
        "pictures written: {pictures_after:?}"
    );
    let _ = shown.kill();
    let _ = shown.wait();
}

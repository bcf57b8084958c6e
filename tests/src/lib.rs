//! Helpers for the end-to-end tests. They start the real `veil` binary under
//! the real desktop that `scripts/e2e-session.sh` sets up (Xvfb, openbox, a
//! tray, a D-Bus session with a Secret Service) and drive it through its CLI
//! and, for the windows, through tauri-driver and WebKitWebDriver.
//!
//! Each test gets its own home (config, data, runtime dirs and policy path),
//! so tests never see each other's state or the developer's real Veil.

use std::fs;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};

pub mod audio;
pub mod logind;
pub mod pipewire;
pub mod pulse;
pub mod receivers;

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Where the tests write screenshots for the README.
pub fn screenshot_dir() -> PathBuf {
    workspace().join("docs").join("screenshots")
}

pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// The app binary under test: `VEIL_BIN`, or the workspace's debug build.
pub fn binary() -> PathBuf {
    std::env::var_os("VEIL_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("target").join("debug").join("veil"))
}

/// The release build (`cargo build --release -p veil`, which
/// `scripts/test.sh` builds before these tests and the installers reuse):
/// the tests of what only a release build refuses (an agent's
/// `VEIL_POLICY`) run it.
pub fn release_binary() -> PathBuf {
    std::env::var_os("VEIL_RELEASE_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("target").join("release").join("veil"))
}

/// Whether this test runs as root (CI does). Root can do what an agent
/// cannot (write /etc, read every process), so tests of administrator-only
/// files need it, and tests of what an agent cannot see run as another user.
pub fn is_root() -> bool {
    std::env::var("USER").is_ok_and(|u| u == "root")
        || fs::metadata("/proc/self")
            .map(|m| std::os::unix::fs::MetadataExt::uid(&m) == 0)
            .unwrap_or(false)
}

/// Fails loudly when the desktop is missing: these tests must never pass by
/// skipping. Run them through `scripts/test.sh`.
pub fn require_desktop() {
    for var in ["DISPLAY", "DBUS_SESSION_BUS_ADDRESS"] {
        assert!(
            std::env::var_os(var).is_some(),
            "{var} is not set: run the end-to-end tests through scripts/test.sh"
        );
    }
    assert!(binary().exists(), "{} is not built", binary().display());
}

/// One isolated Veil user.
pub struct Home {
    // Dropped first: the audio server goes before its runtime dir.
    pulse: std::sync::Mutex<audio::AudioServer>,
    dir: tempfile::TempDir,
    extra_env: std::sync::Mutex<Vec<(String, String)>>,
}

impl Home {
    /// A home on PulseAudio.
    pub fn new() -> Home {
        Home::on(audio::Server::PulseAudio)
    }

    /// A home whose audio server is `server`, with the same devices.
    pub fn on(server: audio::Server) -> Home {
        require_desktop();
        let dir = tempfile::Builder::new()
            .prefix("veil-e2e-")
            .tempdir()
            .expect("temp dir");
        let mut dir = dir;
        // VEIL_E2E_KEEP=1 leaves each home behind to look into.
        dir.disable_cleanup(std::env::var_os("VEIL_E2E_KEEP").is_some());
        let path = dir.path().to_path_buf();
        for d in ["config", "data", "run", "home"] {
            fs::create_dir_all(path.join(d)).expect("mkdir");
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(path.join("run"), fs::Permissions::from_mode(0o700))
                .expect("chmod");
        }
        // An agent's laptop with its headset plugged in.
        let audio = audio::AudioServer::start(server, &path.join("run"), &path.join("home"), &path);
        audio.plug(pulse::LAPTOP);
        audio.plug(pulse::HEADSET);
        audio.set_default(pulse::LAPTOP);
        Home {
            pulse: std::sync::Mutex::new(audio),
            dir,
            extra_env: std::sync::Mutex::new(Vec::new()),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// This home's audio server (PulseAudio, or PipeWire through
    /// pipewire-pulse: both speak the PulseAudio protocol).
    pub fn pulse(&self) -> std::sync::MutexGuard<'_, audio::AudioServer> {
        self.pulse.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn policy_path(&self) -> PathBuf {
        self.path().join("policy.toml")
    }

    pub fn settings_path(&self) -> PathBuf {
        self.path()
            .join("config")
            .join("veil")
            .join("settings.toml")
    }

    pub fn data_dir(&self) -> PathBuf {
        self.path().join("data").join("veil")
    }

    pub fn log_file(&self) -> PathBuf {
        self.path().join("app.log")
    }

    /// Adds (or replaces) a variable in the environment Veil runs with.
    pub fn set_env(&self, key: &str, value: &str) {
        let mut extra = self.extra_env.lock().expect("env lock");
        extra.retain(|(k, _)| k != key);
        extra.push((key.into(), value.into()));
    }

    /// Makes the OS credential store unreachable for Veil (no D-Bus session).
    pub fn without_credential_store(&self) {
        self.set_env(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/veil-test-bus",
        );
    }

    pub fn store_path(&self) -> PathBuf {
        self.data_dir().join("veil.db")
    }

    /// The environment that points Veil at this home.
    pub fn env(&self) -> Vec<(String, String)> {
        let p = |s: &str| self.path().join(s).display().to_string();
        let mut env = vec![
            ("HOME".into(), p("home")),
            ("XDG_CONFIG_HOME".into(), p("config")),
            ("XDG_DATA_HOME".into(), p("data")),
            ("XDG_RUNTIME_DIR".into(), p("run")),
            (
                "VEIL_POLICY".into(),
                self.policy_path().display().to_string(),
            ),
            ("VEIL_LOG".into(), "info,veil=debug".into()),
            // English whatever the machine's locale (a test sets another).
            ("LANG".into(), "C.UTF-8".into()),
            ("LC_ALL".into(), "C.UTF-8".into()),
        ];
        env.extend(self.extra_env.lock().expect("env lock").iter().cloned());
        env
    }

    /// The running Veil tray app of this home (found by its HOME), whoever
    /// started it; not its window process.
    pub fn running_pid(&self) -> Option<u32> {
        self.veil_process(false)
    }

    /// This home's window process (`veil ui`), which shows Veil's windows.
    pub fn window_process_pid(&self) -> Option<u32> {
        self.veil_process(true)
    }

    fn veil_process(&self, window_process: bool) -> Option<u32> {
        let want = format!("HOME={}", self.path().join("home").display());
        let exe = fs::canonicalize(binary()).ok()?;
        fs::read_dir("/proc").ok()?.flatten().find_map(|e| {
            let pid: u32 = e.file_name().to_str()?.parse().ok()?;
            let mine = fs::read_link(format!("/proc/{pid}/exe")).ok()? == exe;
            let env = fs::read(format!("/proc/{pid}/environ")).ok()?;
            let ours = env.split(|b| *b == 0).any(|v| v == want.as_bytes());
            let args = fs::read(format!("/proc/{pid}/cmdline")).ok()?;
            let ui = args.split(|b| *b == 0).nth(1) == Some(b"ui".as_slice());
            (mine && ours && ui == window_process).then_some(pid)
        })
    }

    /// Kills this home's Veil like a crash or a power cut (SIGKILL).
    pub fn kill_running_hard(&self) {
        if let Some(pid) = self.running_pid() {
            let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
        }
    }

    pub fn write_policy(&self, text: &str) {
        write_atomically(&self.policy_path(), text);
    }

    pub fn write_settings(&self, text: &str) {
        let p = self.settings_path();
        fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        write_atomically(&p, text);
    }

    fn command(&self, args: &[&str]) -> Command {
        self.command_of(&binary(), args)
    }

    fn command_of(&self, program: &Path, args: &[&str]) -> Command {
        let mut cmd = Command::new(program);
        cmd.args(args).envs(self.env());
        cmd
    }

    /// Runs `veil ARGS` to completion.
    pub fn cli(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("run veil")
    }

    /// Every audit entry, oldest first (`veil audit show --json`).
    /// A run that fails is printed (the test log then says why) and tried
    /// again twice; still failing, the answer is empty.
    pub fn audit(&self) -> Vec<serde_json::Value> {
        for attempt in 0..3 {
            let out = self.cli(&["audit", "show", "--json"]);
            if out.status.success() {
                return serde_json::from_slice(&out.stdout).unwrap_or_default();
            }
            eprintln!(
                "veil audit show --json exited {:?} (attempt {}): {}",
                out.status.code(),
                attempt + 1,
                String::from_utf8_lossy(&out.stderr).trim()
            );
            std::thread::sleep(Duration::from_millis(200));
        }
        Vec::new()
    }

    /// The audit entries of one kind.
    pub fn audit_of(&self, kind: &str) -> Vec<serde_json::Value> {
        self.audit()
            .into_iter()
            .filter(|e| e["kind"] == kind)
            .collect()
    }

    /// `veil status --json`, parsed; `None` when Veil is not running.
    pub fn status(&self) -> Option<serde_json::Value> {
        let out = self.cli(&["status", "--json"]);
        if !out.status.success() {
            return None;
        }
        serde_json::from_slice(&out.stdout).ok()
    }

    /// Starts the tray app directly (no WebDriver) and waits until it answers.
    pub fn launch(&self, args: &[&str]) -> App {
        self.launch_program(&binary(), args)
    }

    /// Starts `program` (the release build, say) as this home's tray app.
    pub fn launch_program(&self, program: &Path, args: &[&str]) -> App {
        let log = fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.log_file())
            .expect("log");
        let child = self
            .command_of(program, args)
            .stdout(Stdio::from(log.try_clone().expect("log")))
            .stderr(Stdio::from(log))
            .spawn()
            .expect("start veil");
        let app = App { child };
        // Under a first second on an idle machine; the allowance is for CI's
        // two loaded cores. On a timeout the app's own log says where it was.
        let deadline = Instant::now() + Duration::from_secs(60);
        while self.status().is_none() {
            if Instant::now() >= deadline {
                let log = fs::read_to_string(self.log_file()).unwrap_or_default();
                // The start (where it stopped) without the guards' periodic
                // lines, then the end.
                let head: Vec<&str> = log
                    .lines()
                    .filter(|l| !l.contains("guard looked"))
                    .take(60)
                    .collect();
                let tail: Vec<&str> = log.lines().rev().take(15).collect();
                let tail: Vec<&str> = tail.into_iter().rev().collect();
                panic!(
                    "timed out after 60s waiting for: Veil answers veil status; app.log begins:\n{}\n...\nand ends:\n{}",
                    head.join("\n"),
                    tail.join("\n")
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        app
    }

    /// Veil's own rolling log files (what IT would read on the machine).
    pub fn rolling_log(&self) -> String {
        let dir = self.data_dir().join("logs");
        let mut text = String::new();
        for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
            text.push_str(&fs::read_to_string(entry.path()).unwrap_or_default());
        }
        text
    }

    pub fn app_log(&self) -> String {
        fs::read_to_string(self.log_file()).unwrap_or_default()
    }
}

impl Default for Home {
    fn default() -> Self {
        Home::new()
    }
}

/// A failed test keeps its home to look into, and prints the end of
/// Veil's log after the panic, so that a failure in CI says what Veil
/// was doing.
impl Drop for Home {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            return;
        }
        self.dir.disable_cleanup(true);
        let log = self.app_log();
        let lines: Vec<&str> = log.lines().collect();
        let tail = &lines[lines.len().saturating_sub(40)..];
        eprintln!(
            "the failed test's home is kept at {}; Veil's log ends:\n{}",
            self.path().display(),
            tail.join("\n")
        );
    }
}

fn write_atomically(path: &Path, text: &str) {
    let tmp = path.with_extension("tmp-e2e");
    fs::write(&tmp, text).expect("write");
    fs::rename(&tmp, path).expect("rename");
}

/// A Veil process started by a test; killed when dropped.
pub struct App {
    pub child: Child,
}

impl App {
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Like a crash or a power cut: no clean-up runs.
    pub fn kill_hard(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for App {
    fn drop(&mut self) {
        self.kill_hard();
    }
}

/// A private D-Bus daemon (for a stand-in system bus); killed on drop.
pub struct PrivateBus {
    child: Child,
    pub address: String,
}

impl PrivateBus {
    pub fn start() -> PrivateBus {
        use std::io::{BufRead, BufReader};
        let mut child = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-daemon");
        let mut address = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut address)
            .expect("bus address");
        PrivateBus {
            child,
            address: address.trim().to_string(),
        }
    }
}

impl Drop for PrivateBus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Polls `check` until it is true, or panics naming `what`.
pub fn wait_until(timeout: Duration, what: &str, check: impl FnMut() -> bool) {
    if !poll_until(timeout, check) {
        panic!("timed out after {timeout:?} waiting for: {what}");
    }
}

/// Whether `check` came true within `timeout` (polled every 50 ms).
pub fn poll_until(timeout: Duration, mut check: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        if check() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

/// Visible application windows (not the 32 px tray icon, which carries the
/// app's name too) of process `pid` whose name matches, case-insensitively.
pub fn x_windows_named(pid: u32, name: &str) -> Vec<String> {
    let out = Command::new("xdotool")
        .args([
            "search",
            "--all",
            "--onlyvisible",
            "--pid",
            &pid.to_string(),
            "--name",
            &format!("^{name}$"),
        ])
        .output()
        .expect("xdotool");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|id| x_window_width(id) > 200)
        .map(str::to_string)
        .collect()
}

fn x_window_width(id: &str) -> u32 {
    x_window_geometry(id).map_or(0, |g| g.2 as u32)
}

/// A window's absolute position and size on the screen: (x, y, width,
/// height), from xwininfo.
pub fn x_window_geometry(id: &str) -> Option<(i32, i32, i32, i32)> {
    let out = Command::new("xwininfo").args(["-id", id]).output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let field = |name: &str| -> Option<i32> {
        text.lines()
            .find_map(|l| l.trim().strip_prefix(name).map(|v| v.trim().to_string()))
            .and_then(|v| v.parse().ok())
    };
    Some((
        field("Absolute upper-left X:")?,
        field("Absolute upper-left Y:")?,
        field("Width:")?,
        field("Height:")?,
    ))
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

/// The real app driven by WebDriver: Veil started in the tray, then its
/// window process (`veil ui`, which shows every Veil window) started by
/// tauri-driver with the dashboard open, so every window the test opens,
/// or Veil pops up, is in this session.
pub struct Session {
    pub client: Client,
    driver: Child,
    _app: App,
}

impl Session {
    /// Starts Veil for `home` with its main window open, driven by WebDriver.
    pub async fn start(home: &Home) -> Session {
        // WebDriver starts the window process itself, not the tray app: a
        // test build lets that one attach (release builds never do).
        home.set_env("VEIL_E2E_FOREIGN_WINDOW_PROCESS", "1");
        let app = home.launch(&[]);
        let port = free_port();
        let native = free_port();
        let log = fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(home.log_file())
            .expect("log");
        let mut driver = Command::new(tauri_driver())
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native.to_string(),
            ])
            .envs(home.env())
            .stdout(Stdio::from(log.try_clone().expect("log")))
            .stderr(Stdio::from(log))
            .spawn()
            .expect("start tauri-driver (installed by scripts/setup.sh)");
        let mut caps = serde_json::Map::new();
        caps.insert(
            "tauri:options".into(),
            serde_json::json!({
                "application": binary().display().to_string(),
                "args": ["ui", "--open", "main"],
            }),
        );
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(60);
        let client = loop {
            match ClientBuilder::rustls()
                .expect("tls")
                .capabilities(caps.clone())
                .connect(&url)
                .await
            {
                Ok(c) => break c,
                Err(e) if Instant::now() < deadline => {
                    if let Ok(Some(status)) = driver.try_wait() {
                        panic!("tauri-driver exited ({status}): {}", home.app_log());
                    }
                    let _ = e;
                    tokio::time::sleep(Duration::from_millis(250)).await;
                }
                Err(e) => panic!("no WebDriver session: {e}\n{}", home.app_log()),
            }
        };
        Session {
            client,
            driver,
            _app: app,
        }
    }

    /// The element's text; empty when it is not there. The dashboard
    /// redraws on every state change, so an element found can be replaced
    /// before it is read (a stale element): it is then found again.
    pub async fn text(&self, css: &str) -> String {
        for _ in 0..5 {
            match self.client.find(Locator::Css(css)).await {
                Ok(el) => match el.text().await {
                    Ok(t) => return t,
                    Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
                },
                Err(_) => return String::new(),
            }
        }
        String::new()
    }

    pub async fn attr(&self, css: &str, name: &str) -> Option<String> {
        let el = self.client.find(Locator::Css(css)).await.ok()?;
        el.attr(name).await.ok().flatten()
    }

    /// Polls until `check` holds, or panics naming `what`.
    pub async fn eventually<F, Fut>(&self, timeout: Duration, what: &str, mut check: F)
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = bool>,
    {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if check().await {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        // What the window showed instead, so a failure in CI says whether
        // the page had rendered and what it said.
        let shown = match self.client.find(Locator::Css("body")).await {
            Ok(body) => body.text().await.unwrap_or_default(),
            Err(e) => format!("(no page: {e})"),
        };
        let shown: String = shown.split_whitespace().collect::<Vec<_>>().join(" ");
        let shown: String = shown.chars().take(600).collect();
        panic!("timed out after {timeout:?} waiting for: {what}\nthe window showed: {shown}");
    }

    /// Clicks the element; tries again for a few seconds when the page
    /// re-rendered it between finding and clicking (the dashboard redraws
    /// on every state change).
    pub async fn click(&self, css: &str) {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let result = match self.client.find(Locator::Css(css)).await {
                Ok(el) => el.click().await.map_err(|e| format!("click {css}: {e}")),
                Err(e) => Err(format!("{css}: {e}")),
            };
            match result {
                Ok(()) => return,
                Err(e) if Instant::now() >= deadline => panic!("{e}"),
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
    }

    /// Saves a screenshot of the window under `docs/screenshots/NAME.png`.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        // WebKit paints asynchronously: wait for two frames to be painted
        // so the picture shows the DOM the test just checked.
        let _ = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => done(true)));",
                vec![],
            )
            .await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let png = self.client.screenshot().await.expect("screenshot");
        let dir = screenshot_dir();
        fs::create_dir_all(&dir).expect("mkdir");
        let path = dir.join(format!("{name}.png"));
        fs::write(&path, png).expect("write screenshot");
        path
    }

    /// Makes the Tauri window with this label (`main`, `training`, `quiz`)
    /// the one commands go to, waiting up to 15 s for it to open.
    pub async fn switch_to(&self, label: &str) {
        let deadline = std::time::Instant::now() + Duration::from_secs(15);
        let script = "return (window.__TAURI_INTERNALS__ && window.__TAURI_INTERNALS__.metadata) ? window.__TAURI_INTERNALS__.metadata.currentWindow.label : ''";
        loop {
            for handle in self.client.windows().await.unwrap_or_default() {
                if self.client.switch_to_window(handle).await.is_ok() {
                    let found = self.client.execute(script, vec![]).await.ok();
                    if found.as_ref().and_then(|v| v.as_str()) == Some(label) {
                        return;
                    }
                }
            }
            assert!(
                std::time::Instant::now() < deadline,
                "no window `{label}` within 15 s"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// Runs axe-core (the UI's npm dev dependency) in the current window;
    /// each violation of serious or critical impact as "rule: target
    /// (help)". Moderate and minor ones are left to review.
    pub async fn accessibility_violations(&self) -> Vec<String> {
        let axe = fs::read_to_string(workspace().join("ui/node_modules/axe-core/axe.min.js"))
            .expect("axe-core (npm --prefix ui ci installs it)");
        self.client
            .execute(&format!("{axe}\nreturn true;"), vec![])
            .await
            .expect("inject axe-core");
        let result = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];\
                 axe.run(document, { resultTypes: ['violations'] })\
                   .then(r => done(r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')\
                     .flatMap(v => v.nodes.map(n => v.id + ': ' + n.target.join(' ') + ' (' + v.help + ')'))))\
                   .catch(e => done(['axe failed: ' + e]));",
                vec![],
            )
            .await
            .expect("run axe-core");
        result
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// From the dashboard's training card to the training window's module
    /// list (the dashboard must be the current window).
    pub async fn open_training(&self) {
        let soon = Duration::from_secs(15);
        self.eventually(soon, "the dashboard's training card", || async {
            // English or Spanish.
            let t = self.text("#training-summary").await;
            t.contains("modules completed") || t.contains("completad")
        })
        .await;
        self.click("#open-training").await;
        self.switch_to("training").await;
        self.eventually(soon, "modules listed", || async {
            let t = self.text("#training-summary").await;
            t.ends_with("modules completed") || t.contains("completad")
        })
        .await;
    }

    pub async fn end(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = self.driver.kill();
    }
}

fn tauri_driver() -> PathBuf {
    if let Some(p) = std::env::var_os("TAURI_DRIVER") {
        return PathBuf::from(p);
    }
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_default();
    let installed = cargo_home.join("bin").join("tauri-driver");
    if installed.exists() {
        installed
    } else {
        PathBuf::from("tauri-driver")
    }
}

/// The `p` quantile (0.0 to 1.0) of an ascending, non-empty list, for the
/// benchmarks.
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

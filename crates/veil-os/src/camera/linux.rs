//! Linux: who holds a camera node open, read from `/proc/*/fd` (links only:
//! no node is ever opened), woken by inotify on the nodes (open, close) and
//! on their folder (plug, unplug), with a slow poll as a safety net for
//! descriptors passed between processes. When PipeWire holds the node, the
//! client linked to the camera in `pw-dump` is named instead.

use std::collections::{BTreeMap, HashMap};
use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use veil_core::camera::{self, CameraDevice, CameraScan, DeviceUse, SourceCheck, Trust, UseKind};
use veil_core::mic::classify::pattern_matches;

use super::{CameraMonitor, Notify};

/// The safety-net poll: catches descriptors handed over a socket (no open
/// event), at the cost of one /proc walk.
const SAFETY_POLL: Duration = Duration::from_secs(30);

pub struct ProcCameras {
    folder: PathBuf,
    name_pattern: String,
    own_pid: u32,
    own_uid: u32,
    inotify: Result<(), String>,
    /// Open descriptions of each node, counted from inotify's opens and
    /// closes: more than the descriptors visible in /proc means someone
    /// Veil cannot see (a process that made itself non-dumpable, or one of
    /// another account) holds it.
    opens: OpenCounts,
    stop: Arc<AtomicBool>,
    /// uid -> account name.
    users: HashMap<u32, Option<String>>,
}

impl ProcCameras {
    pub fn start(pattern: &str, notify: Notify) -> Self {
        let path = Path::new(pattern);
        let folder = path.parent().unwrap_or(Path::new("/dev")).to_path_buf();
        let name_pattern = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "video*".into());
        let stop = Arc::new(AtomicBool::new(false));
        let opens = OpenCounts::default();
        let inotify = Watcher::new(&folder, &name_pattern, opens.clone()).and_then(|w| {
            let stop = stop.clone();
            std::thread::Builder::new()
                .name("veil-camera-watch".into())
                .spawn(move || w.run(&notify, &stop))
                .map(|_| ())
                .map_err(|e| e.to_string())
        });
        if let Err(e) = &inotify {
            tracing::warn!("camera: no inotify on {}: {e}", folder.display());
        }
        Self {
            folder,
            name_pattern,
            own_pid: std::process::id(),
            // SAFETY: getuid cannot fail.
            own_uid: unsafe { libc::getuid() },
            inotify,
            opens,
            stop,
            users: HashMap::new(),
        }
    }

    fn camera_use(
        &mut self,
        device: String,
        device_name: String,
        pid: u32,
        (exe, trust): (String, Trust),
    ) -> DeviceUse {
        DeviceUse {
            kind: UseKind::Camera,
            device,
            device_name,
            pid,
            exe,
            user: self.user_of(pid),
            trust,
        }
    }

    fn user_of(&mut self, pid: u32) -> Option<String> {
        let uid = uid_of(pid)?;
        self.users
            .entry(uid)
            .or_insert_with(|| account_name(uid))
            .clone()
    }
}

impl Drop for ProcCameras {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

impl CameraMonitor for ProcCameras {
    fn scan(&mut self) -> CameraScan {
        let nodes = list_nodes(&self.folder, &self.name_pattern);
        let (devices, primary) = group_devices(&nodes);
        let mut sources = vec![];
        let (holders, fds, uninspectable) = match holders_of(&nodes, self.own_pid, self.own_uid) {
            Ok(found) => {
                let mut notes = vec![];
                if found.hidden > 0 {
                    notes.push(format!(
                        "{} processes of other accounts cannot be seen",
                        found.hidden
                    ));
                }
                if !found.uninspectable.is_empty() {
                    notes.push(format!(
                        "{} processes of this account cannot be inspected",
                        found.uninspectable.len()
                    ));
                }
                sources.push(SourceCheck {
                    name: "procfs".into(),
                    ok: true,
                    message: (!notes.is_empty()).then(|| notes.join("; ")),
                });
                (found.holders, found.fds, found.uninspectable)
            }
            Err(e) => {
                sources.push(SourceCheck::failed("procfs", e));
                (vec![], BTreeMap::new(), vec![])
            }
        };
        sources.push(match &self.inotify {
            Ok(()) => SourceCheck::ok("inotify"),
            Err(e) => SourceCheck::failed(
                "inotify",
                format!("{e}; changes are seen within {} s", SAFETY_POLL.as_secs()),
            ),
        });
        let mut uses = Vec::new();
        let mut pipewire_nodes = Vec::new();
        // Opens nobody visible accounts for: an unknown program uses it.
        if !super::OWN_CAMERA_OPEN.load(Ordering::Relaxed) {
            let counts = self.opens.snapshot();
            let mut unseen: Vec<String> = Vec::new();
            for node in &nodes {
                let opened = counts.get(node).copied().unwrap_or(0);
                let visible = fds.get(node).copied().unwrap_or(0) as i64;
                let path = primary.get(node).cloned().unwrap_or(node.clone());
                if opened > visible && !unseen.contains(&path) {
                    unseen.push(path);
                }
            }
            for path in unseen {
                let name = devices
                    .iter()
                    .find(|d| d.path == path)
                    .map(|d| d.name.clone())
                    .unwrap_or_else(|| path.clone());
                // The one process of this account Veil cannot inspect is the
                // likely holder; otherwise nobody can be named.
                let pid = match uninspectable[..] {
                    [only] => only,
                    _ => 0,
                };
                let mut u = self.camera_use(path, name, pid, (String::new(), Trust::Claimed));
                if pid == 0 {
                    u.user = None;
                }
                uses.push(u);
            }
        }
        for (node, pid) in holders {
            let exe = exe_of(pid);
            // Its program unreadable because it is ending, not hiding: the
            // session ends on the next look, under the name it had.
            if exe.1 == Trust::Claimed && crate::process::is_exiting(pid) {
                continue;
            }
            let path = primary.get(&node).cloned().unwrap_or(node.clone());
            let name = devices
                .iter()
                .find(|d| d.path == path)
                .map(|d| d.name.clone())
                .unwrap_or_else(|| path.clone());
            if camera::app_name(&exe.0) == "pipewire" {
                pipewire_nodes.push((path.clone(), pid, exe, name.clone()));
                continue;
            }
            if !uses
                .iter()
                .any(|u: &DeviceUse| u.device == path && u.pid == pid)
            {
                let u = self.camera_use(path, name, pid, exe);
                uses.push(u);
            }
        }
        if !pipewire_nodes.is_empty() {
            match pipewire_clients() {
                Ok(clients) => {
                    sources.push(SourceCheck::ok("pipewire"));
                    for (path, pid, exe, name) in pipewire_nodes {
                        let mut named: Vec<DeviceUse> = clients
                            .iter()
                            .filter(|c| c.device == path)
                            .cloned()
                            .collect();
                        if named.is_empty() {
                            // PipeWire holds it without a client (probing or
                            // a client we cannot see): PipeWire is the user.
                            let u = self.camera_use(path.clone(), name.clone(), pid, exe);
                            named.push(u);
                        }
                        for mut c in named {
                            c.device_name = name.clone();
                            if c.user.is_none() {
                                c.user = self.user_of(c.pid);
                            }
                            if let Some(full) = crate::process::exe_path(c.pid) {
                                c.exe = full;
                                // PipeWire vouched for the pid; the kernel
                                // for the program: where does it live?
                                if c.trust == Trust::UntrustedLocation
                                    && crate::process::trusted_location(&c.exe)
                                {
                                    c.trust = Trust::Verified;
                                }
                            } else {
                                c.trust = Trust::Claimed;
                            }
                            uses.push(c);
                        }
                    }
                }
                Err(e) => {
                    sources.push(SourceCheck::failed("pipewire", e));
                    for (path, pid, exe, name) in pipewire_nodes {
                        let u = self.camera_use(path, name, pid, exe);
                        uses.push(u);
                    }
                }
            }
        }
        CameraScan {
            devices,
            uses,
            sources,
            camera_sources: vec!["procfs".into()],
        }
    }
}

/// Camera nodes matching the pattern, sorted.
fn list_nodes(folder: &Path, name_pattern: &str) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return vec![];
    };
    let mut nodes: Vec<String> = entries
        .flatten()
        .filter(|e| pattern_matches(name_pattern, &e.file_name().to_string_lossy()))
        .map(|e| e.path().to_string_lossy().into_owned())
        .collect();
    nodes.sort_by_key(|n| (n.len(), n.clone()));
    nodes
}

/// One camera often has several nodes (capture and metadata). Nodes of the
/// same sysfs device are one camera, named by sysfs and listed by its first
/// node; returns the cameras and each node's first node.
fn group_devices(nodes: &[String]) -> (Vec<CameraDevice>, BTreeMap<String, String>) {
    let mut devices: Vec<CameraDevice> = Vec::new();
    let mut by_parent: BTreeMap<PathBuf, String> = BTreeMap::new();
    let mut primary = BTreeMap::new();
    for node in nodes {
        let file = Path::new(node)
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        let sys = Path::new("/sys/class/video4linux").join(&file);
        let parent = std::fs::canonicalize(sys.join("device")).ok();
        if let Some(first) = parent.as_ref().and_then(|p| by_parent.get(p)) {
            primary.insert(node.clone(), first.clone());
            continue;
        }
        let name = std::fs::read_to_string(sys.join("name"))
            .map(|n| n.trim().to_string())
            .ok()
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| file.clone());
        if let Some(p) = parent {
            by_parent.insert(p, node.clone());
        }
        primary.insert(node.clone(), node.clone());
        devices.push(CameraDevice {
            name,
            path: node.clone(),
        });
    }
    (devices, primary)
}

/// What /proc shows of the nodes' holders.
#[derive(Default)]
struct Holders {
    /// (node, pid) for every process but Veil holding a node open.
    holders: Vec<(String, u32)>,
    /// Descriptors on each node, counted over every visible process.
    fds: BTreeMap<String, usize>,
    /// Processes of other accounts whose descriptors cannot be read.
    hidden: usize,
    /// Processes of this account whose descriptors cannot be read (they
    /// made themselves non-dumpable): never taken for "no use".
    uninspectable: Vec<u32>,
}

fn holders_of(nodes: &[String], own_pid: u32, own_uid: u32) -> Result<Holders, String> {
    let proc_dir = std::fs::read_dir("/proc").map_err(|e| format!("/proc: {e}"))?;
    std::fs::read_dir("/proc/self/fd").map_err(|e| format!("/proc/self/fd: {e}"))?;
    let mut found = Holders::default();
    if nodes.is_empty() {
        return Ok(found);
    }
    for entry in proc_dir.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<u32>().ok())
        else {
            continue;
        };
        if pid == own_pid {
            continue;
        }
        let fds = match std::fs::read_dir(entry.path().join("fd")) {
            Ok(fds) => fds,
            Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
                // /proc/PID/status stays readable when the process is not.
                if uid_of(pid) == Some(own_uid) {
                    found.uninspectable.push(pid);
                } else {
                    found.hidden += 1;
                }
                continue;
            }
            // The process ended while we looked.
            Err(_) => continue,
        };
        for fd in fds.flatten() {
            let Ok(target) = std::fs::read_link(fd.path()) else {
                continue;
            };
            let target = target.as_os_str().as_bytes();
            if let Some(node) = nodes.iter().find(|n| n.as_bytes() == target) {
                *found.fds.entry(node.clone()).or_default() += 1;
                if !found.holders.contains(&(node.clone(), pid)) {
                    found.holders.push((node.clone(), pid));
                }
            }
        }
    }
    Ok(found)
}

fn uid_of(pid: u32) -> Option<u32> {
    let status =
        crate::files::read_text(Path::new(&format!("/proc/{pid}/status")), 64 * 1024).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// The executable's path as the kernel says it, and where it lives; when
/// the kernel does not say (another account, or a process that hid
/// itself), only the name the process gave itself: a claim.
fn exe_of(pid: u32) -> (String, Trust) {
    match crate::process::exe_path(pid) {
        Some(path) => {
            let trust = if crate::process::trusted_location(&path) {
                Trust::Verified
            } else {
                Trust::UntrustedLocation
            };
            (path, trust)
        }
        None => (
            crate::files::read_text(Path::new(&format!("/proc/{pid}/comm")), 256)
                .map(|c| c.trim().to_string())
                .unwrap_or_default(),
            Trust::Claimed,
        ),
    }
}

fn account_name(uid: u32) -> Option<String> {
    let mut buf = vec![0u8; 4096];
    let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
    let mut result: *mut libc::passwd = std::ptr::null_mut();
    // SAFETY: every pointer is valid for the call; buf outlives the read of
    // pw_name below.
    let rc = unsafe {
        libc::getpwuid_r(
            uid,
            &mut pwd,
            buf.as_mut_ptr().cast(),
            buf.len(),
            &mut result,
        )
    };
    if rc != 0 || result.is_null() || pwd.pw_name.is_null() {
        return Some(uid.to_string());
    }
    // SAFETY: getpwuid_r succeeded, so pw_name is a C string inside buf.
    let name = unsafe { std::ffi::CStr::from_ptr(pwd.pw_name) };
    Some(name.to_string_lossy().into_owned())
}

fn pipewire_clients() -> Result<Vec<DeviceUse>, String> {
    let program = crate::process::system_tool("pw-dump")
        .ok_or_else(|| "pw-dump is not installed".to_string())?;
    let out = Command::new(program)
        .arg("--no-colors")
        .output()
        .map_err(|e| format!("pw-dump: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "pw-dump failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    let dump: serde_json::Value =
        serde_json::from_slice(&out.stdout).map_err(|e| format!("pw-dump output: {e}"))?;
    Ok(camera::pipewire::camera_clients(&dump))
}

/// The inotify side: watches the folder for nodes coming and going and each
/// node for opens and closes.
/// Open descriptions per node, from inotify (shared with the scan).
#[derive(Clone, Default)]
struct OpenCounts(Arc<Mutex<BTreeMap<String, i64>>>);

impl OpenCounts {
    fn snapshot(&self) -> BTreeMap<String, i64> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn add(&self, node: &str, by: i64) {
        let mut counts = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let n = counts.entry(node.to_string()).or_default();
        *n = (*n + by).max(0);
    }
}

struct Watcher {
    fd: i32,
    folder: PathBuf,
    name_pattern: String,
    counts: OpenCounts,
    /// Watch descriptor -> the node it watches.
    nodes: Mutex<HashMap<i32, String>>,
}

impl Watcher {
    fn new(folder: &Path, name_pattern: &str, counts: OpenCounts) -> Result<Self, String> {
        // SAFETY: plain syscall.
        let fd = unsafe { libc::inotify_init1(libc::IN_CLOEXEC | libc::IN_NONBLOCK) };
        if fd < 0 {
            return Err(std::io::Error::last_os_error().to_string());
        }
        let w = Self {
            fd,
            folder: folder.to_path_buf(),
            name_pattern: name_pattern.to_string(),
            counts,
            nodes: Mutex::default(),
        };
        w.add(
            folder,
            libc::IN_CREATE
                | libc::IN_DELETE
                | libc::IN_MOVED_FROM
                | libc::IN_MOVED_TO
                | libc::IN_ATTRIB,
        )?;
        w.watch_nodes();
        Ok(w)
    }

    fn add(&self, path: &Path, mask: u32) -> Result<i32, String> {
        let c = CString::new(path.as_os_str().as_bytes()).map_err(|e| e.to_string())?;
        // SAFETY: c is a valid C string; inotify_add_watch does not open the
        // file, so watching a camera node does not touch the camera.
        let wd = unsafe { libc::inotify_add_watch(self.fd, c.as_ptr(), mask) };
        if wd < 0 {
            return Err(format!(
                "{}: {}",
                path.display(),
                std::io::Error::last_os_error()
            ));
        }
        Ok(wd)
    }

    fn watch_nodes(&self) {
        for node in list_nodes(&self.folder, &self.name_pattern) {
            match self.add(
                Path::new(&node),
                libc::IN_OPEN | libc::IN_CLOSE_WRITE | libc::IN_CLOSE_NOWRITE,
            ) {
                Ok(wd) => {
                    self.nodes
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .insert(wd, node);
                }
                Err(e) => tracing::warn!("camera: cannot watch {e}"),
            }
        }
    }

    fn counted(&self, ev: &libc::inotify_event) {
        let by = if ev.mask & libc::IN_OPEN != 0 {
            1
        } else if ev.mask & (libc::IN_CLOSE_WRITE | libc::IN_CLOSE_NOWRITE) != 0 {
            -1
        } else {
            return;
        };
        let node = self
            .nodes
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&ev.wd)
            .cloned();
        if let Some(node) = node {
            self.counts.add(&node, by);
        }
    }

    fn run(self, notify: &Notify, stop: &AtomicBool) {
        let mut buf = [0u8; 4096];
        while !stop.load(Ordering::Relaxed) {
            let mut pfd = libc::pollfd {
                fd: self.fd,
                events: libc::POLLIN,
                revents: 0,
            };
            // Wake at least once a second to notice `stop`, and scan on the
            // safety-net schedule.
            let mut waited = Duration::ZERO;
            let ready = loop {
                // SAFETY: one valid pollfd.
                let n = unsafe { libc::poll(&mut pfd, 1, 1000) };
                if n != 0 || stop.load(Ordering::Relaxed) {
                    break n > 0;
                }
                waited += Duration::from_secs(1);
                if waited >= SAFETY_POLL {
                    break false;
                }
            };
            if stop.load(Ordering::Relaxed) {
                break;
            }
            if ready {
                let mut folder_changed = false;
                loop {
                    // SAFETY: buf is writable for its length.
                    let n = unsafe { libc::read(self.fd, buf.as_mut_ptr().cast(), buf.len()) };
                    if n <= 0 {
                        break;
                    }
                    let mut at = 0usize;
                    while at + std::mem::size_of::<libc::inotify_event>() <= n as usize {
                        // SAFETY: the kernel wrote a whole event here.
                        let ev: libc::inotify_event =
                            unsafe { std::ptr::read_unaligned(buf.as_ptr().add(at).cast()) };
                        if ev.mask & (libc::IN_CREATE | libc::IN_MOVED_TO | libc::IN_ATTRIB) != 0 {
                            folder_changed = true;
                        }
                        self.counted(&ev);
                        at += std::mem::size_of::<libc::inotify_event>() + ev.len as usize;
                    }
                }
                if folder_changed {
                    self.watch_nodes();
                }
            }
            notify();
        }
        // SAFETY: our own descriptor, closed once.
        unsafe { libc::close(self.fd) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    #[test]
    fn a_process_holding_a_node_is_found_and_veil_never_opens_it() {
        let dir = tempfile::tempdir().unwrap();
        let node = dir.path().join("video0");
        std::fs::write(&node, b"").unwrap();
        let (tx, rx) = mpsc::channel();
        let notify: Notify = Box::new(move || {
            let _ = tx.send(());
        });
        let pattern = dir.path().join("video*");
        let mut cams = ProcCameras::start(&pattern.to_string_lossy(), notify);
        let scan = cams.scan();
        assert_eq!(scan.devices.len(), 1);
        assert_eq!(scan.devices[0].name, "video0");
        assert!(scan.uses.is_empty());
        assert!(scan.detects(), "{:?}", scan.sources);
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(format!("exec 3<{}; exec sleep 30", node.display()))
            .spawn()
            .unwrap();
        rx.recv_timeout(Duration::from_secs(5))
            .expect("inotify woke us");
        let mut found = vec![];
        for _ in 0..50 {
            found = cams.scan().uses;
            if !found.is_empty() {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        child.kill().unwrap();
        child.wait().unwrap();
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].pid, child.id());
        assert!(
            found[0].exe.ends_with("sleep") || found[0].exe.ends_with("sh"),
            "{}",
            found[0].exe
        );
        assert!(found[0].user.is_some());
        // Our own descriptors never point at the node.
        for fd in std::fs::read_dir("/proc/self/fd").unwrap().flatten() {
            if let Ok(t) = std::fs::read_link(fd.path()) {
                assert_ne!(t, node);
            }
        }
    }
}

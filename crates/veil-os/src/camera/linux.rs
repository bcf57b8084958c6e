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
use std::sync::Arc;
use std::time::Duration;

use veil_core::camera::{self, CameraDevice, CameraScan, DeviceUse, SourceCheck, UseKind};
use veil_core::mic::classify::pattern_matches;

use super::{CameraMonitor, Notify};

/// The safety-net poll: catches descriptors handed over a socket (no open
/// event), at the cost of one /proc walk.
const SAFETY_POLL: Duration = Duration::from_secs(30);

pub struct ProcCameras {
    folder: PathBuf,
    name_pattern: String,
    own_pid: u32,
    inotify: Result<(), String>,
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
        let inotify = Watcher::new(&folder, &name_pattern).and_then(|w| {
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
            inotify,
            stop,
            users: HashMap::new(),
        }
    }

    fn camera_use(
        &mut self,
        device: String,
        device_name: String,
        pid: u32,
        exe: String,
    ) -> DeviceUse {
        DeviceUse {
            kind: UseKind::Camera,
            device,
            device_name,
            pid,
            exe,
            user: self.user_of(pid),
        }
    }

    fn user_of(&mut self, pid: u32) -> Option<String> {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
        let uid: u32 = status
            .lines()
            .find_map(|l| l.strip_prefix("Uid:"))?
            .split_whitespace()
            .next()?
            .parse()
            .ok()?;
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
        let holders = match holders_of(&nodes, self.own_pid) {
            Ok((holders, hidden)) => {
                sources.push(SourceCheck {
                    name: "procfs".into(),
                    ok: true,
                    message: (hidden > 0)
                        .then(|| format!("{hidden} processes of other accounts cannot be seen")),
                });
                holders
            }
            Err(e) => {
                sources.push(SourceCheck::failed("procfs", e));
                vec![]
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
        for (node, pid) in holders {
            let exe = exe_of(pid);
            let path = primary.get(&node).cloned().unwrap_or(node.clone());
            let name = devices
                .iter()
                .find(|d| d.path == path)
                .map(|d| d.name.clone())
                .unwrap_or_else(|| path.clone());
            if camera::app_name(&exe) == "pipewire" {
                pipewire_nodes.push((path.clone(), pid, exe.clone(), name.clone()));
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

/// (node, pid) for every process but Veil holding a node open, and how many
/// processes' descriptors could not be read.
fn holders_of(nodes: &[String], own_pid: u32) -> Result<(Vec<(String, u32)>, usize), String> {
    let proc_dir = std::fs::read_dir("/proc").map_err(|e| format!("/proc: {e}"))?;
    std::fs::read_dir("/proc/self/fd").map_err(|e| format!("/proc/self/fd: {e}"))?;
    let mut out = Vec::new();
    let mut hidden = 0;
    if nodes.is_empty() {
        return Ok((out, 0));
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
                hidden += 1;
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
                if !out.contains(&(node.clone(), pid)) {
                    out.push((node.clone(), pid));
                }
            }
        }
    }
    Ok((out, hidden))
}

/// The executable's path, or its command name when the path is hidden.
fn exe_of(pid: u32) -> String {
    std::fs::read_link(format!("/proc/{pid}/exe"))
        .map(|p| {
            p.to_string_lossy()
                .trim_end_matches(" (deleted)")
                .to_string()
        })
        .or_else(|_| {
            std::fs::read_to_string(format!("/proc/{pid}/comm")).map(|c| c.trim().to_string())
        })
        .unwrap_or_default()
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
    let out = Command::new("pw-dump")
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
struct Watcher {
    fd: i32,
    folder: PathBuf,
    name_pattern: String,
}

impl Watcher {
    fn new(folder: &Path, name_pattern: &str) -> Result<Self, String> {
        // SAFETY: plain syscall.
        let fd = unsafe { libc::inotify_init1(libc::IN_CLOEXEC | libc::IN_NONBLOCK) };
        if fd < 0 {
            return Err(std::io::Error::last_os_error().to_string());
        }
        let w = Self {
            fd,
            folder: folder.to_path_buf(),
            name_pattern: name_pattern.to_string(),
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

    fn add(&self, path: &Path, mask: u32) -> Result<(), String> {
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
        Ok(())
    }

    fn watch_nodes(&self) {
        for node in list_nodes(&self.folder, &self.name_pattern) {
            if let Err(e) = self.add(
                Path::new(&node),
                libc::IN_OPEN | libc::IN_CLOSE_WRITE | libc::IN_CLOSE_NOWRITE,
            ) {
                tracing::warn!("camera: cannot watch {e}");
            }
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

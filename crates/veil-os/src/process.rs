//! Facts about other processes: which program a process id runs.

/// The executable's full path; None when the process is gone or hidden.
pub fn exe_path(pid: u32) -> Option<String> {
    #[cfg(target_os = "linux")]
    {
        std::fs::read_link(format!("/proc/{pid}/exe"))
            .ok()
            .map(|p| {
                p.to_string_lossy()
                    .trim_end_matches(" (deleted)")
                    .to_string()
            })
    }
    #[cfg(target_os = "macos")]
    {
        let mut buf = vec![0u8; libc::PROC_PIDPATHINFO_MAXSIZE as usize];
        // SAFETY: buf is writable for its length.
        let n =
            unsafe { libc::proc_pidpath(pid as i32, buf.as_mut_ptr().cast(), buf.len() as u32) };
        (n > 0).then(|| String::from_utf8_lossy(&buf[..n as usize]).into_owned())
    }
    #[cfg(windows)]
    {
        use windows::core::PWSTR;
        use windows::Win32::Foundation::CloseHandle;
        use windows::Win32::System::Threading::{
            OpenProcess, QueryFullProcessImageNameW, PROCESS_NAME_WIN32,
            PROCESS_QUERY_LIMITED_INFORMATION,
        };
        // SAFETY: a process handle we close; buf is writable for size chars.
        unsafe {
            let h = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, false, pid).ok()?;
            let mut buf = vec![0u16; 1024];
            let mut size = buf.len() as u32;
            let r = QueryFullProcessImageNameW(
                h,
                PROCESS_NAME_WIN32,
                PWSTR(buf.as_mut_ptr()),
                &mut size,
            );
            let _ = CloseHandle(h);
            r.ok()?;
            Some(String::from_utf16_lossy(&buf[..size as usize]))
        }
    }
    #[cfg(not(any(target_os = "linux", target_os = "macos", windows)))]
    {
        let _ = pid;
        None
    }
}

/// Whether the process is ending: the kernel has begun tearing it down.
/// Between dropping its memory and closing its files, an ending process's
/// program can no longer be read while its open devices still show; that
/// is not a program hiding itself.
#[cfg(target_os = "linux")]
pub fn is_exiting(pid: u32) -> bool {
    // PF_EXITING in the flags word, field 9 of /proc/PID/stat; fields are
    // counted after the command name, which may itself hold spaces.
    const PF_EXITING: u64 = 0x4;
    let path = format!("/proc/{pid}/stat");
    let Ok(stat) = crate::files::read_text(std::path::Path::new(&path), 4096) else {
        // Gone already.
        return true;
    };
    let Some((_, after_name)) = stat.rsplit_once(')') else {
        return false;
    };
    let mut fields = after_name.split_whitespace();
    let state = fields.next().unwrap_or("");
    if matches!(state, "Z" | "X" | "x") {
        return true;
    }
    fields
        .nth(5)
        .and_then(|f| f.parse::<u64>().ok())
        .is_some_and(|flags| flags & PF_EXITING != 0)
}

/// Elsewhere the OS names ending processes no differently.
#[cfg(not(target_os = "linux"))]
pub fn is_exiting(_pid: u32) -> bool {
    false
}

/// The system's own folders for programs. Only these are searched, never
/// `PATH`: the agent controls their own `PATH` (a `~/.local/bin/loginctl`
/// would win).
#[cfg(unix)]
const SYSTEM_BIN: &[&str] = &["/usr/bin", "/bin", "/usr/sbin", "/sbin"];

/// The absolute path of a system tool (in a system folder, owned by root
/// and writable by no one else), or None.
#[cfg(unix)]
pub fn system_tool(name: &str) -> Option<std::path::PathBuf> {
    if name.contains('/') {
        return None;
    }
    SYSTEM_BIN.iter().find_map(|dir| {
        let path = std::path::Path::new(dir).join(name);
        (path.is_file() && crate::files::admin_owned(&path).is_ok()).then_some(path)
    })
}

#[cfg(not(unix))]
pub fn system_tool(_name: &str) -> Option<std::path::PathBuf> {
    None
}

/// How a command run with a time limit ended.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RunError {
    #[error("{program} could not run: {why}")]
    NotRun { program: String, why: String },
    #[error("{program} did not finish within {seconds} s")]
    TimedOut { program: String, seconds: u64 },
    #[error("{program} failed ({status})")]
    Failed { program: String, status: String },
}

/// Runs `cmd` (stdin closed), killing it after `limit`; its standard output
/// when it exits successfully.
pub fn run_within(
    cmd: &mut std::process::Command,
    limit: std::time::Duration,
) -> Result<String, RunError> {
    use std::io::Read;
    use std::process::Stdio;
    let program = cmd.get_program().to_string_lossy().into_owned();
    #[cfg(target_os = "linux")]
    crate::system_bus::scrub(cmd);
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| RunError::NotRun {
            program: program.clone(),
            why: e.to_string(),
        })?;
    let status = wait_within(&mut child, limit, &program)?;
    let mut out = String::new();
    if let Some(mut stdout) = child.stdout.take() {
        // Bounded: a tool's answer is a line or two.
        let _ = stdout.by_ref().take(64 * 1024).read_to_string(&mut out);
    }
    if status.success() {
        Ok(out)
    } else {
        Err(RunError::Failed {
            program,
            status: status.to_string(),
        })
    }
}

/// Waits for `child` to exit, killing it after `limit`.
pub fn wait_within(
    child: &mut std::process::Child,
    limit: std::time::Duration,
    program: &str,
) -> Result<std::process::ExitStatus, RunError> {
    let deadline = std::time::Instant::now() + limit;
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Ok(status),
            Ok(None) if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(20))
            }
            Ok(None) | Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(RunError::TimedOut {
                    program: program.to_string(),
                    seconds: limit.as_secs().max(1),
                });
            }
        }
    }
}

/// [`run_within`]'s output, or None on any failure.
pub fn output_within(
    cmd: &mut std::process::Command,
    limit: std::time::Duration,
) -> Option<String> {
    run_within(cmd, limit).ok()
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::time::Duration;

    #[cfg(target_os = "linux")]
    #[test]
    fn library_ranges_are_picked_by_file_name() {
        let maps = "\
7f00aa000000-7f00aa400000 r--p 00000000 fd:01 1234 /usr/lib/x86_64-linux-gnu/libwebkit2gtk-4.1.so.0.19.9
7f00aa400000-7f00aa600000 r-xp 00400000 fd:01 1234 /usr/lib/x86_64-linux-gnu/libwebkit2gtk-4.1.so.0.19.9
7f00ab000000-7f00ab100000 r--p 00000000 fd:01 99 /usr/lib/x86_64-linux-gnu/libgtk-3.so.0
7f00ac000000-7f00ac010000 rw-p 00000000 00:00 0
7f00ad000000-7f00ad080000 r--p 00000000 fd:01 77 /usr/lib/x86_64-linux-gnu/libflite_cmu_us_slt.so.2.2
";
        let got = library_ranges(maps, WEB_ENGINE_LIBRARIES);
        assert_eq!(
            got,
            vec![
                (0x7f00aa000000, 0x7f00aa400000),
                (0x7f00aa400000, 0x7f00aa600000),
                (0x7f00ad000000, 0x7f00ad080000)
            ]
        );
        // This test program maps none of them; the call is harmless.
        assert_eq!(reclaim_library_pages(&["libdoes-not-exist"]), 0);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_running_process_is_not_ending_and_a_dead_one_is() {
        assert!(!is_exiting(std::process::id()));
        let mut child = std::process::Command::new("sleep")
            .arg("5")
            .spawn()
            .unwrap();
        let pid = child.id();
        assert!(!is_exiting(pid));
        child.kill().unwrap();
        // Killed but not yet reaped: a zombie, with neither program nor files.
        let deadline = std::time::Instant::now() + Duration::from_secs(2);
        while !is_exiting(pid) && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
        assert!(is_exiting(pid));
        child.wait().unwrap();
        assert!(is_exiting(pid), "a pid nobody has is gone");
    }

    #[test]
    fn tools_come_from_system_folders_and_hung_ones_are_killed() {
        assert!(system_tool("../tmp/x").is_none());
        let sh = system_tool("sh").expect("sh in a system folder");
        assert!(sh.starts_with("/usr/bin") || sh.starts_with("/bin"));
        let start = std::time::Instant::now();
        let err = run_within(
            std::process::Command::new(&sh).args(["-c", "sleep 5"]),
            Duration::from_millis(200),
        )
        .unwrap_err();
        assert!(matches!(err, RunError::TimedOut { .. }), "{err}");
        assert!(start.elapsed() < Duration::from_secs(2));
        assert_eq!(
            run_within(
                std::process::Command::new(&sh).args(["-c", "echo hi"]),
                Duration::from_secs(2)
            )
            .unwrap(),
            "hi\n"
        );
    }
}

/// Raises this process's open-file limit to the most it may have: a flood
/// of connections must not leave the `/proc` scan, the lock command or the
/// audio client without a descriptor. Returns the new limit.
#[cfg(unix)]
pub fn raise_open_file_limit() -> Option<u64> {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: plain system calls on a local struct.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) != 0 {
            return None;
        }
        // macOS refuses more than OPEN_MAX for the soft limit.
        let want = if cfg!(target_os = "macos") {
            lim.rlim_max.min(10_240)
        } else {
            lim.rlim_max
        };
        if lim.rlim_cur < want {
            lim.rlim_cur = want;
            if libc::setrlimit(libc::RLIMIT_NOFILE, &lim) != 0 {
                return None;
            }
        }
        #[allow(clippy::unnecessary_cast)] // rlim_t is not u64 everywhere
        Some(lim.rlim_cur as u64)
    }
}

#[cfg(not(unix))]
pub fn raise_open_file_limit() -> Option<u64> {
    None
}

/// Caps glibc's heap arenas at two. By default each thread that allocates
/// may get its own (up to eight per core), and the tray's threads (audio,
/// posture, fleet, the async runtime) each kept a mostly empty one
/// resident; the tray allocates little and rarely contends.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn limit_heap_arenas() {
    // SAFETY: mallopt only sets an allocator parameter; called before the
    // other threads start.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn limit_heap_arenas() {}

/// The web engine's libraries, and the speech-synthesis voices WebKitGTK
/// links. The tray app maps them (it is one program with the window
/// process, which shows the web windows) but never runs them on Linux.
pub const WEB_ENGINE_LIBRARIES: &[&str] = &["libwebkit2gtk-", "libjavascriptcoregtk-", "libflite"];

/// Asks the kernel to reclaim the resident pages of every mapped library
/// whose file name starts with one of `prefixes` (MADV_PAGEOUT, Linux 5.4
/// and later): the pages the loader read to relocate them and never needs
/// again. A page that is used later is read back from the file, so this is
/// always safe; pages the loader wrote (relocated data) stay where there is
/// no swap. Returns the bytes of the mappings advised (0 where the kernel
/// refuses the advice).
#[cfg(target_os = "linux")]
pub fn reclaim_library_pages(prefixes: &[&str]) -> u64 {
    let Ok(maps) = crate::files::read_text(std::path::Path::new("/proc/self/maps"), 16 << 20)
    else {
        return 0;
    };
    let mut advised = 0;
    for (start, end) in library_ranges(&maps, prefixes) {
        let len = end - start;
        // SAFETY: a range of this process's own mappings, as the kernel
        // listed them; MADV_PAGEOUT changes no content.
        let rc = unsafe { libc::madvise(start as *mut libc::c_void, len, libc::MADV_PAGEOUT) };
        if rc == 0 {
            advised += len as u64;
        }
    }
    advised
}

#[cfg(not(target_os = "linux"))]
pub fn reclaim_library_pages(_prefixes: &[&str]) -> u64 {
    0
}

/// The address ranges in `/proc/self/maps` text of the files whose names
/// start with one of `prefixes`.
#[cfg(target_os = "linux")]
fn library_ranges(maps: &str, prefixes: &[&str]) -> Vec<(usize, usize)> {
    maps.lines()
        .filter_map(|line| {
            let mut fields = line.split_whitespace();
            let range = fields.next()?;
            let path = fields.nth(4)?;
            let name = path.rsplit('/').next()?;
            if !prefixes.iter().any(|p| name.starts_with(p)) {
                return None;
            }
            let (start, end) = range.split_once('-')?;
            let start = usize::from_str_radix(start, 16).ok()?;
            let end = usize::from_str_radix(end, 16).ok()?;
            (end > start).then_some((start, end))
        })
        .collect()
}

/// Whether `exe` lives where only an administrator can put a program: the
/// file and every folder above it owned by root and writable by no one
/// else (on Windows: under Program Files or the Windows folder). A copy of
/// an allowed program in Downloads or /tmp is not.
#[cfg(unix)]
pub fn trusted_location(exe: &str) -> bool {
    use std::os::unix::fs::MetadataExt;
    let path = std::path::Path::new(exe);
    if !path.is_absolute() {
        return false;
    }
    path.ancestors().all(|p| {
        let Ok(meta) = std::fs::metadata(p) else {
            return false;
        };
        // macOS: /Applications is root:admin and group-writable, and only
        // administrators are in admin.
        let admin_group = cfg!(target_os = "macos") && meta.gid() == 80;
        let others_write = meta.mode() & 0o002 != 0;
        let group_write = meta.mode() & 0o020 != 0 && !admin_group;
        meta.uid() == 0 && !others_write && !group_write
    })
}

#[cfg(windows)]
pub fn trusted_location(exe: &str) -> bool {
    use windows::Win32::System::Com::CoTaskMemFree;
    use windows::Win32::UI::Shell::{
        FOLDERID_ProgramFiles, FOLDERID_ProgramFilesX86, FOLDERID_Windows, SHGetKnownFolderPath,
        KF_FLAG_DEFAULT,
    };
    let lower = exe.to_ascii_lowercase();
    [
        FOLDERID_ProgramFiles,
        FOLDERID_ProgramFilesX86,
        FOLDERID_Windows,
    ]
    .iter()
    .any(|id| {
        // SAFETY: the returned string is freed after it is copied.
        let Ok(p) = (unsafe { SHGetKnownFolderPath(id, KF_FLAG_DEFAULT, None) }) else {
            return false;
        };
        let dir = unsafe { p.to_string() }
            .unwrap_or_default()
            .to_ascii_lowercase();
        unsafe { CoTaskMemFree(Some(p.0 as *const _)) };
        !dir.is_empty() && lower.starts_with(&(dir + "\\"))
    })
}

#[cfg(not(any(unix, windows)))]
pub fn trusted_location(_exe: &str) -> bool {
    false
}

#[cfg(all(test, unix))]
mod location_tests {
    #[test]
    fn system_programs_are_trusted_and_a_copy_in_tmp_is_not() {
        assert!(super::trusted_location("/bin/sh") || super::trusted_location("/usr/bin/sh"));
        let dir = tempfile::tempdir().unwrap();
        let copy = dir.path().join("zoiper5");
        std::fs::copy("/bin/sh", &copy).unwrap();
        assert!(!super::trusted_location(&copy.to_string_lossy()));
        assert!(!super::trusted_location("relative/zoiper5"));
    }
}

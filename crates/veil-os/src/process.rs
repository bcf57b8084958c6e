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

/// Ends this process's children whose name (`/proc/PID/comm`, at most 15
/// characters) starts with `prefix`, politely (SIGTERM). Returns their pids.
#[cfg(target_os = "linux")]
pub fn terminate_children_named(prefix: &str) -> Vec<u32> {
    let me = std::process::id();
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return vec![];
    };
    let mut ended = vec![];
    for entry in dir.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        // "pid (comm) state ppid ...": the name may hold spaces or parentheses.
        let Some((head, rest)) = stat.rsplit_once(") ") else {
            continue;
        };
        let ppid = rest
            .split_whitespace()
            .nth(1)
            .and_then(|p| p.parse::<u32>().ok());
        let name = head.split_once(" (").map(|(_, n)| n).unwrap_or("");
        if ppid == Some(me) && name.starts_with(prefix) {
            // SAFETY: kill(2) with a pid we just read as our own child.
            if unsafe { libc::kill(pid as i32, libc::SIGTERM) } == 0 {
                ended.push(pid);
            }
        }
    }
    ended
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn only_our_children_with_the_name_are_ended() {
        let mut mine = std::process::Command::new("sleep")
            .arg("30")
            .spawn()
            .unwrap();
        // A shell named "sh" whose own child (our grandchild) is a sleep.
        let mut other = std::process::Command::new("sh")
            .args(["-c", "sleep 5; true"])
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(200));
        let ended = terminate_children_named("sleep");
        assert_eq!(ended, vec![mine.id()]);
        let status = mine.wait().unwrap();
        assert!(!status.success(), "ended by the signal");
        assert!(
            other.try_wait().unwrap().is_none(),
            "another name, and a grandchild, are left alone"
        );
        let _ = other.kill();
        let _ = other.wait();
    }
}

//! Where Veil keeps its files on each OS.

use std::path::PathBuf;

use veil_core::settings::policy_source::{self, Build, PolicyChoice, PolicyFacts};

/// Names another policy file: always in debug and test builds, in a release
/// build only on a machine with no organization policy (pilots); see
/// `veil_core::settings::policy_source`.
pub const POLICY_ENV: &str = "VEIL_POLICY";

#[derive(Debug, Clone)]
pub struct Paths {
    /// The agent's settings, `settings.toml`.
    pub config_dir: PathBuf,
    /// Veil's own data (privacy state, store, cached policy).
    pub data_dir: PathBuf,
    /// Rolling log files.
    pub log_dir: PathBuf,
    /// Per-session files: the control socket and the instance lock. Private
    /// to the user (mode 0700 on Unix).
    pub runtime_dir: PathBuf,
    /// The managed policy file in force.
    pub policy_file: PathBuf,
    /// Why it is the one in force (`VEIL_POLICY` used or refused).
    pub policy: PolicyChoice,
}

#[derive(Debug, thiserror::Error)]
#[error("cannot find the user's {0} directory (is HOME set?)")]
pub struct NoHome(&'static str);

const APP_DIR: &str = if cfg!(target_os = "linux") {
    "veil"
} else {
    "Veil"
};

impl Paths {
    pub fn from_env() -> Result<Self, NoHome> {
        let config_dir = dirs::config_dir().ok_or(NoHome("config"))?.join(APP_DIR);
        let data_dir = dirs::data_local_dir().ok_or(NoHome("data"))?.join(APP_DIR);
        let runtime_dir = match dirs::runtime_dir() {
            Some(d) => d.join(APP_DIR),
            None => data_dir.join("run"),
        };
        let system = system_policy_path();
        let system_text = system.display().to_string();
        let wanted = std::env::var(POLICY_ENV).ok().filter(|v| !v.is_empty());
        let cache = data_dir.join(POLICY_CACHE);
        let policy = policy_source::choose(
            Build::current(),
            &PolicyFacts {
                system_path: &system_text,
                // symlink_metadata: anything at the path, even a dangling
                // link. Registry or profile values are the organization's too.
                system_present: std::fs::symlink_metadata(&system).is_ok()
                    || crate::managed_policy::present(),
                cached: cache.exists(),
                override_path: wanted.as_deref(),
            },
        );
        Ok(Self {
            log_dir: data_dir.join("logs"),
            config_dir,
            data_dir,
            runtime_dir,
            policy_file: PathBuf::from(&policy.path),
            policy,
        })
    }

    /// Reads the policy in force: the file, with the registry (Windows) or
    /// configuration profiles (macOS) to merge over it; on Linux the file
    /// alone.
    pub fn read_policy(&self) -> veil_core::settings::PolicyRead {
        veil_core::settings::PolicyRead {
            file: self.read_policy_file(),
            managed: crate::managed_policy::read(),
        }
    }

    /// Reads the policy file in force: a regular file of sane size and, where
    /// it must be, owned by an administrator and writable by no one else.
    pub fn read_policy_file(&self) -> veil_core::settings::FileRead {
        use veil_core::settings::FileRead;
        if self.policy.must_be_admin_owned {
            match crate::files::admin_owned(&self.policy_file) {
                Ok(()) => {}
                Err(crate::files::ReadError::Missing) => return FileRead::Missing,
                Err(e) => return FileRead::Unreadable(e.to_string()),
            }
        }
        crate::files::read_config(&self.policy_file)
    }

    pub fn settings_file(&self) -> PathBuf {
        self.config_dir.join("settings.toml")
    }

    /// The agent's chosen privacy mode, kept across restarts.
    pub fn privacy_state_file(&self) -> PathBuf {
        self.data_dir.join("privacy-mode")
    }

    /// The encrypted store: audit log and training records.
    pub fn store_file(&self) -> PathBuf {
        self.data_dir.join("veil.db")
    }

    /// The store's key where no OS credential store can be used (mode 0600).
    pub fn store_key_file(&self) -> PathBuf {
        self.data_dir.join("store.key")
    }

    /// A copy of the last valid policy, in force if the policy file breaks.
    pub fn policy_cache_file(&self) -> PathBuf {
        self.data_dir.join(POLICY_CACHE)
    }

    /// The microphone settings as they were before Veil changed them, kept
    /// until they are restored (so a crash cannot lose them).
    pub fn mic_prior_file(&self) -> PathBuf {
        self.data_dir.join("microphone-before-veil.json")
    }
}

const POLICY_CACHE: &str = "policy-last-good.toml";

/// The system-wide policy path for this OS.
pub fn system_policy_path() -> PathBuf {
    #[cfg(target_os = "windows")]
    {
        // From the shell, not %ProgramData%: the agent sets their own
        // environment.
        program_data().join("Veil").join("policy.toml")
    }
    #[cfg(target_os = "macos")]
    {
        PathBuf::from("/Library/Application Support/Veil/policy.toml")
    }
    #[cfg(not(any(target_os = "windows", target_os = "macos")))]
    {
        PathBuf::from("/etc/veil/policy.toml")
    }
}

#[cfg(target_os = "windows")]
fn program_data() -> PathBuf {
    use windows::Win32::System::Com::CoTaskMemFree;
    use windows::Win32::UI::Shell::{FOLDERID_ProgramData, SHGetKnownFolderPath, KF_FLAG_DEFAULT};
    match unsafe { SHGetKnownFolderPath(&FOLDERID_ProgramData, KF_FLAG_DEFAULT, None) } {
        Ok(p) => {
            let path = unsafe { p.to_string() }.unwrap_or_default();
            unsafe { CoTaskMemFree(Some(p.0 as *const _)) };
            if path.is_empty() {
                PathBuf::from(r"C:\ProgramData")
            } else {
                PathBuf::from(path)
            }
        }
        Err(_) => PathBuf::from(r"C:\ProgramData"),
    }
}

/// The OS account Veil runs for, as recorded in the audit log: asked of
/// the OS, never taken from the environment (which the agent sets).
pub fn current_user() -> String {
    os_user().unwrap_or_else(|| "unknown".into())
}

#[cfg(unix)]
fn os_user() -> Option<String> {
    let uid = unsafe { libc::getuid() };
    let mut buf = vec![0u8; 4096];
    let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
    let mut out: *mut libc::passwd = std::ptr::null_mut();
    let rc =
        unsafe { libc::getpwuid_r(uid, &mut pwd, buf.as_mut_ptr().cast(), buf.len(), &mut out) };
    if rc != 0 || out.is_null() || pwd.pw_name.is_null() {
        // An account with no passwd entry (some containers): its number.
        return Some(uid.to_string());
    }
    let name = unsafe { std::ffi::CStr::from_ptr(pwd.pw_name) };
    Some(name.to_string_lossy().into_owned())
}

#[cfg(windows)]
fn os_user() -> Option<String> {
    use windows::Win32::System::WindowsProgramming::GetUserNameW;
    let mut buf = [0u16; 257];
    let mut len = buf.len() as u32;
    unsafe { GetUserNameW(Some(windows::core::PWSTR(buf.as_mut_ptr())), &mut len) }.ok()?;
    let n = (len as usize).saturating_sub(1).min(buf.len());
    Some(String::from_utf16_lossy(&buf[..n]))
}

#[cfg(not(any(unix, windows)))]
fn os_user() -> Option<String> {
    None
}

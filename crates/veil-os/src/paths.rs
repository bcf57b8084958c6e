//! Where Veil keeps its files on each OS.

use std::path::PathBuf;

/// Overrides the managed policy path (tests and pilots).
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
    /// The managed policy file IT deploys.
    pub policy_file: PathBuf,
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
        let policy_file = std::env::var_os(POLICY_ENV)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .unwrap_or_else(system_policy_path);
        Ok(Self {
            log_dir: data_dir.join("logs"),
            config_dir,
            data_dir,
            runtime_dir,
            policy_file,
        })
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
        self.data_dir.join("policy-last-good.toml")
    }

    /// The microphone settings as they were before Veil changed them, kept
    /// until they are restored (so a crash cannot lose them).
    pub fn mic_prior_file(&self) -> PathBuf {
        self.data_dir.join("microphone-before-veil.json")
    }
}

/// The system-wide policy path for this OS.
pub fn system_policy_path() -> PathBuf {
    #[cfg(target_os = "windows")]
    {
        let base = std::env::var_os("ProgramData")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(r"C:\ProgramData"));
        base.join("Veil").join("policy.toml")
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

/// The OS account Veil runs for, as recorded in the audit log.
pub fn current_user() -> String {
    ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()))
        .unwrap_or_else(|| "unknown".into())
}

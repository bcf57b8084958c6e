//! The settings and policy files: read from disk, and watched so the actor
//! hears of each change.

use std::time::Duration;

use veil_core::settings::Config;
use veil_core::state::Event;
use veil_os::files::{read_config, read_text, CONFIG_MAX_BYTES};
use veil_os::paths::Paths;
use veil_os::watch::FileWatch;

use crate::actor::ActorHandle;

const POLL: Duration = Duration::from_millis(500);

/// Feeds the actor each time the settings or policy file changes on disk.
pub fn spawn(actor: ActorHandle, paths: Paths) {
    tauri::async_runtime::spawn(async move {
        // Policy before the agent's file, so locks are known when it is read.
        let mut policy = FileWatch::new(paths.policy_file.clone());
        // The registry or profiles (none on Linux) are read with the file.
        let mut managed = veil_os::managed_policy::Watch::new();
        let mut user = FileWatch::new(paths.settings_file());
        // A per-user autostart entry written behind Veil's back (Linux).
        #[cfg(target_os = "linux")]
        let mut autostart = veil_os::autostart::user_entry_path().map(FileWatch::new);
        loop {
            #[cfg(target_os = "linux")]
            if autostart.as_mut().is_some_and(FileWatch::changed) {
                actor
                    .request_nowait(crate::actor::Command::AutostartChanged)
                    .await;
            }
            // Both asked every time (`|`), so each keeps its own state.
            if policy.changed() | managed.changed() {
                actor.post(Event::PolicyFileRead(paths.read_policy())).await;
            }
            if user.changed() {
                actor
                    .post(Event::UserFileRead(read_config(user.path())))
                    .await;
            }
            tokio::time::sleep(POLL).await;
        }
    });
}

/// The config before the files are read: the kept copy of the last good
/// policy seeded (the running app checks it against the audit log once
/// the store is open).
pub fn seeded(paths: &Paths) -> Config {
    let mut config = Config::new(
        paths.settings_file().display().to_string(),
        paths.policy_file.display().to_string(),
    );
    if let Ok(cached) = read_text(&paths.policy_cache_file(), CONFIG_MAX_BYTES) {
        config.seed_policy(&cached);
    }
    config
}

/// Settings and policy as the files on disk give them, as the running app
/// would read them at start (for the CLI, which does not need Veil running).
pub fn from_disk(paths: &Paths) -> Config {
    let mut config = seeded(paths);
    config.update_policy(paths.read_policy());
    config.update_user(read_config(&paths.settings_file()));
    config
}

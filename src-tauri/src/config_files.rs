//! The settings and policy files: read from disk, and watched so the actor
//! hears of each change.

use std::time::Duration;

use veil_core::settings::Config;
use veil_core::state::Event;
use veil_os::files::read_config;
use veil_os::paths::Paths;
use veil_os::watch::FileWatch;

use crate::actor::ActorHandle;

const POLL: Duration = Duration::from_millis(500);

/// Feeds the actor each time the settings or policy file changes on disk.
pub fn spawn(actor: ActorHandle, policy: std::path::PathBuf, user: std::path::PathBuf) {
    tauri::async_runtime::spawn(async move {
        // Policy before the agent's file, so locks are known when it is read.
        let mut policy = FileWatch::new(policy);
        let mut user = FileWatch::new(user);
        loop {
            if policy.changed() {
                actor
                    .post(Event::PolicyFileRead(read_config(policy.path())))
                    .await;
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

/// Settings and policy as the files on disk give them, as the running app
/// would read them at start (for the CLI, which does not need Veil running).
pub fn from_disk(paths: &Paths) -> Config {
    let mut config = Config::new(
        paths.settings_file().display().to_string(),
        paths.policy_file.display().to_string(),
    );
    if let Ok(cached) = std::fs::read_to_string(paths.policy_cache_file()) {
        config.seed_policy(&cached);
    }
    config.update_policy(read_config(&paths.policy_file));
    config.update_user(read_config(&paths.settings_file()));
    config
}

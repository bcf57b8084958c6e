//! Feeds the actor each time the settings or policy file changes on disk.

use std::time::Duration;

use veil_core::state::Event;
use veil_os::files::read_config;
use veil_os::watch::FileWatch;

use crate::actor::Actor;

const POLL: Duration = Duration::from_millis(500);

pub fn spawn(actor: Actor, policy: std::path::PathBuf, user: std::path::PathBuf) {
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

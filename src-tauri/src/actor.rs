//! The one owner of Veil's state. Everything that changes it (tray clicks,
//! IPC commands, the CLI, file changes) arrives here as a message; the pure
//! state in veil-core decides, and this task carries out the actions and
//! publishes a snapshot for the tray and the windows to render.

use std::sync::Arc;

use tauri::AppHandle;
use tokio::sync::{mpsc, oneshot, watch};
use veil_core::settings::{edit, FileRead, Value};
use veil_core::state::{Action, Event, PrivacyMode, VeilState};
use veil_core::status::{Snapshot, StoreState, StoreStatus};
use veil_core::training::{TrainingAction, TrainingEvent};
use veil_os::files;
use veil_os::paths::Paths;

use veil_core::audit::RecordKind;
use veil_core::lifecycle;
use veil_core::state::{ChangedBy, Record};

use crate::audit_log::{AuditLog, TrainingWrite};

pub enum Command {
    Event(Event),
    SetSetting {
        key: String,
        value: Option<Value>,
    },
    /// Periodic upkeep: audit retention, retrying an unavailable store.
    Maintenance,
    /// The training window's module list (lessons included), on demand.
    TrainingOverview(oneshot::Sender<veil_core::training::TrainingOverview>),
    /// A fact about Veil itself worth keeping (paused, an impostor refused).
    Record(Record),
    /// Veil is stopping: record why (with its files' state) before it exits.
    Stopping {
        reason: String,
    },
    /// The per-user autostart entry changed on disk: apply the setting again.
    #[cfg_attr(not(target_os = "linux"), allow(dead_code))]
    AutostartChanged,
    /// Nothing: answered once everything sent before it has been handled.
    Flush,
}

struct Msg {
    command: Command,
    reply: Option<oneshot::Sender<Result<(), String>>>,
}

/// A cheap, cloneable handle to the actor.
#[derive(Clone)]
pub struct ActorHandle {
    tx: mpsc::Sender<Msg>,
    snapshots: watch::Receiver<Arc<Snapshot>>,
}

impl ActorHandle {
    /// Starts the actor. `initial` are the actions from reading the config
    /// files at start; they run once the store is open, so they are recorded.
    pub fn spawn(
        app: AppHandle,
        paths: Paths,
        state: VeilState,
        initial: Vec<Action>,
        fleet: crate::fleet::Fleet,
    ) -> ActorHandle {
        let (tx, rx) = mpsc::channel(256);
        let (snap_tx, snapshots) = watch::channel(Arc::new(state.snapshot()));
        let mut task = Task {
            app,
            paths,
            state,
            snapshots: snap_tx,
            autostart_applied: None,
            audit: AuditLog::closed(),
            fleet,
        };
        task.reconcile_store();
        task.record_start();
        for action in initial {
            task.execute(action);
        }
        task.maintain();
        task.snapshots.send_replace(Arc::new(task.state.snapshot()));
        tauri::async_runtime::spawn(task.run(rx));
        ActorHandle { tx, snapshots }
    }

    /// Sends a command and waits until it has been decided and carried out.
    pub async fn request(&self, command: Command) -> Result<(), String> {
        let (reply, answer) = oneshot::channel();
        self.tx
            .send(Msg {
                command,
                reply: Some(reply),
            })
            .await
            .map_err(|_| "Veil is shutting down".to_string())?;
        answer
            .await
            .map_err(|_| "Veil is shutting down".to_string())?
    }

    pub async fn training_overview(&self) -> Result<veil_core::training::TrainingOverview, String> {
        let (tx, rx) = oneshot::channel();
        self.request(Command::TrainingOverview(tx)).await?;
        rx.await.map_err(|_| "Veil is shutting down".to_string())
    }

    /// Asks for periodic upkeep without waiting.
    pub async fn maintain(&self) {
        self.send_nowait(Command::Maintenance).await;
    }

    /// Sends a command without waiting for it.
    #[cfg_attr(not(target_os = "linux"), allow(dead_code))]
    pub async fn request_nowait(&self, command: Command) {
        self.send_nowait(command).await;
    }

    /// Sends an event without waiting (file watchers, OS callbacks).
    pub async fn post(&self, event: Event) {
        self.send_nowait(Command::Event(event)).await;
    }

    /// Sends an event from a plain (non-async) thread without waiting.
    pub fn post_blocking(&self, event: Event) {
        self.post_command_blocking(Command::Event(event));
    }

    /// Sends a command from a plain (non-async) thread without waiting.
    pub fn post_command_blocking(&self, command: Command) {
        let _ = self.tx.blocking_send(Msg {
            command,
            reply: None,
        });
    }

    async fn send_nowait(&self, command: Command) {
        let _ = self
            .tx
            .send(Msg {
                command,
                reply: None,
            })
            .await;
    }

    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.snapshots.borrow().clone()
    }

    pub fn subscribe(&self) -> watch::Receiver<Arc<Snapshot>> {
        self.snapshots.clone()
    }

    /// Calls `send` with what `derive` makes of each new snapshot, when
    /// that differs from what was last sent (`sent` at first): how a guard's
    /// worker follows privacy mode and policy. Ends when `send` says the
    /// worker is gone.
    pub fn follow<T, D, S>(&self, sent: T, derive: D, send: S)
    where
        T: PartialEq + Clone + Send + 'static,
        D: Fn(&ActorHandle) -> T + Send + 'static,
        S: Fn(T) -> Result<(), ()> + Send + 'static,
    {
        let mut snapshots = self.subscribe();
        let actor = self.clone();
        tauri::async_runtime::spawn(async move {
            let mut sent = sent;
            while snapshots.changed().await.is_ok() {
                let now = derive(&actor);
                if now != sent {
                    sent = now.clone();
                    if send(now).is_err() {
                        break;
                    }
                }
            }
        });
    }
}

struct Task {
    app: AppHandle,
    paths: Paths,
    state: VeilState,
    snapshots: watch::Sender<Arc<Snapshot>>,
    autostart_applied: Option<bool>,
    audit: AuditLog,
    /// Told of every record written, and of the store opening.
    fleet: crate::fleet::Fleet,
}

impl Task {
    async fn run(mut self, mut rx: mpsc::Receiver<Msg>) {
        while let Some(msg) = rx.recv().await {
            let result = match msg.command {
                Command::Event(event) => self.handle(event),
                Command::SetSetting { key, value } => self.set_setting(&key, value.as_ref()),
                Command::Maintenance => {
                    self.maintain();
                    Ok(())
                }
                Command::Record(record) => {
                    self.execute(Action::Record(record));
                    Ok(())
                }
                Command::Flush => Ok(()),
                Command::AutostartChanged => {
                    self.autostart_applied = None;
                    Ok(())
                }
                Command::Stopping { reason } => {
                    let record = lifecycle::on_stop(
                        &reason,
                        self.state.config().user_status().sha256.as_deref(),
                        Some(self.state.privacy_mode()),
                    );
                    self.execute(Action::Record(record));
                    Ok(())
                }
                Command::TrainingOverview(reply) => {
                    use veil_core::clock::{Clock, SystemClock};
                    let overview = self
                        .state
                        .trainer()
                        .overview(&self.state.settings().training, SystemClock.now());
                    let _ = reply.send(overview);
                    Ok(())
                }
            };
            self.reconcile_store();
            self.reconcile_autostart();
            let snap = self.state.snapshot();
            self.snapshots.send_if_modified(|current| {
                if **current == snap {
                    false
                } else {
                    *current = Arc::new(snap);
                    true
                }
            });
            // After the snapshot: a caller that reads it next sees its change.
            if let Some(reply) = msg.reply {
                let _ = reply.send(result);
            } else if let Err(e) = result {
                tracing::warn!("{e}");
            }
        }
    }

    fn handle(&mut self, event: Event) -> Result<(), String> {
        let actions = self.state.handle(event).map_err(|d| d.to_string())?;
        for action in actions {
            self.execute(action);
        }
        Ok(())
    }

    fn execute(&mut self, action: Action) {
        match action {
            Action::SavePrivacyMode(mode) => {
                let text = match mode {
                    PrivacyMode::On => "on\n",
                    PrivacyMode::Off => "off\n",
                };
                let path = self.paths.privacy_state_file();
                if let Err(e) = files::atomic_write(&path, text.as_bytes()) {
                    tracing::error!("cannot save privacy mode to {}: {e}", path.display());
                }
            }
            Action::CachePolicy(text) => {
                let path = self.paths.policy_cache_file();
                if let Err(e) = files::atomic_write(&path, text.as_bytes()) {
                    tracing::warn!(
                        "cannot keep a copy of the policy at {}: {e}",
                        path.display()
                    );
                }
            }
            Action::Record(record) => {
                // Only the kind: the details are in the encrypted store, and
                // a plaintext copy in the log would undo its encryption.
                tracing::info!(
                    target: "veil::record",
                    kind = record.kind.as_str(),
                    by = record.by.as_str(),
                    "audit record written"
                );
                match self.audit.record(&record) {
                    Ok(()) => self.fleet.records_written(),
                    Err(e) => {
                        tracing::error!("the audit log failed: {e}");
                        self.fleet.set_store(None);
                        let path = self.paths.store_file().display().to_string();
                        let _ = self
                            .state
                            .handle(Event::StoreChanged(StoreStatus::unavailable(path, e)));
                    }
                }
            }
            Action::Training(TrainingAction::SaveAnswer(a)) => {
                self.audit.save_training(TrainingWrite::Answer(a))
            }
            Action::Training(TrainingAction::SaveLessonRead { module, at }) => {
                self.audit.save_training(TrainingWrite::Lesson(module, at))
            }
            Action::Training(TrainingAction::Record { kind, details }) => {
                self.execute(Action::Record(Record {
                    kind,
                    by: ChangedBy::Veil,
                    details,
                }))
            }
            Action::Training(TrainingAction::ShowQuiz) => {
                use tauri::Manager;
                match self.app.try_state::<crate::window_host::WindowHost>() {
                    Some(host) => host.open(veil_core::control::WindowName::Quiz),
                    None => tracing::warn!("the quiz could not be shown: no window host yet"),
                }
            }
            Action::Notify { title, body } => {
                // Logged in English (logs are for IT), shown in the agent's
                // language.
                use veil_core::i18n::Language;
                tracing::warn!("{}: {}", title.text(Language::En), body.text(Language::En));
                let lang = self.state.language();
                let (title, body) = (title.text(lang), body.text(lang));
                // Off the actor: showing waits for the desktop's
                // notification service (started on demand by D-Bus, or
                // hung), and nothing else may wait for it.
                let app = self.app.clone();
                let shown = std::thread::Builder::new()
                    .name("veil-notify".into())
                    .spawn(move || {
                        use tauri_plugin_notification::NotificationExt;
                        if let Err(e) = app.notification().builder().title(title).body(body).show()
                        {
                            tracing::debug!("notification not shown: {e}");
                        }
                    });
                if let Err(e) = shown {
                    tracing::debug!("notification not shown: {e}");
                }
            }
        }
    }

    /// Changes one of the agent's settings by rewriting their file (comments
    /// kept) and applying it at once.
    fn set_setting(&mut self, key: &str, value: Option<&Value>) -> Result<(), String> {
        let path = self.paths.settings_file();
        let current = match files::read_config(&path) {
            FileRead::Missing => String::new(),
            FileRead::Text(t) => t,
            FileRead::Unreadable(why) => {
                return Err(format!(
                    "cannot read your settings file {}: {why}",
                    path.display()
                ))
            }
        };
        let effective = self.state.config().effective();
        let new_text = edit::set_user_value(
            &path.display().to_string(),
            &current,
            &effective,
            key,
            value,
        )
        .map_err(|e| e.to_string())?;
        files::atomic_write(&path, new_text.as_bytes())
            .map_err(|e| format!("cannot save your settings to {}: {e}", path.display()))?;
        self.handle(Event::UserFileRead(FileRead::Text(new_text)))
    }

    /// Opens the store, or re-opens it when the policy's key fallback changed.
    fn reconcile_store(&mut self) {
        let fallback = self.state.settings().store_key_fallback;
        let Some(status) = self.audit.reconcile(&self.paths, fallback) else {
            return;
        };
        self.fleet.set_store(self.audit.access());
        let kept = status.kept_aside.clone();
        let _ = self.state.handle(Event::StoreChanged(status));
        if let Some((lessons, answers)) = self.audit.training_history() {
            let _ = self
                .state
                .handle(Event::Training(TrainingEvent::History { lessons, answers }));
        }
        // The device checks' last recorded results: a result that still
        // holds is not recorded again, and a grace period goes on.
        let known = self.audit.newest_of(RecordKind::PostureChanged, 500);
        let _ = self
            .state
            .handle(Event::Posture(veil_core::state::PostureEvent::Recorded(
                known,
            )));
        if let Some(kept) = kept {
            self.execute(Action::Record(veil_core::state::Record {
                kind: veil_core::audit::RecordKind::StoreReset,
                by: veil_core::state::ChangedBy::Veil,
                details: format!(
                    "the previous store could not be opened with this key; kept at {kept}"
                ),
            }));
            self.execute(Action::Notify {
                title: veil_core::i18n::Message::new("notify-store-reset-title"),
                body: veil_core::i18n::Message::new("notify-store-reset-body")
                    .arg("kept", kept.to_string()),
            });
        }
    }

    /// The first records of a run, once the store is open: how the previous
    /// run ended and how long Veil was away (veil-core's lifecycle decides),
    /// which policy file is in force and whether the kept copy of the last
    /// good policy is the organization's.
    fn record_start(&mut self) {
        let last = |kinds: &[RecordKind]| self.audit.last_of(kinds);
        let kinds = |k: &[RecordKind]| k.to_vec();
        let recorded_privacy = last(&kinds(lifecycle::PRIVACY_RECORDS))
            .and_then(|(k, d, _)| lifecycle::recorded_privacy(&k, &d));
        let recorded_settings = last(&kinds(lifecycle::SETTINGS_RECORDS))
            .and_then(|(_, d, _)| lifecycle::recorded_settings(&d));
        let facts = lifecycle::StartFacts {
            now_ms: crate::audit_log::now_ms(),
            pid: std::process::id(),
            boot_id: veil_os::session::boot_id(),
            session_started_ms: veil_os::session::session_started_ms(),
            marker: crate::lifecycle::read_marker(&self.paths),
            last_entry: last(&[]),
            recorded_privacy,
            privacy_file: Some(self.state.privacy_mode()),
            recorded_settings,
            settings_now: self.state.config().user_status().sha256,
        };
        for record in lifecycle::on_start(&facts) {
            self.execute(Action::Record(record));
        }
        let policy = self.paths.policy.clone();
        if policy.overridden {
            self.execute(Action::Record(Record {
                kind: RecordKind::PolicyOverride,
                by: ChangedBy::Veil,
                details: format!("VEIL_POLICY names the policy in force: {}", policy.path),
            }));
        }
        if let Some(why) = policy.refused_override {
            tracing::warn!("{why}");
            self.execute(Action::Record(Record {
                kind: RecordKind::PolicyOverrideRefused,
                by: ChangedBy::Veil,
                details: why,
            }));
        }
        self.check_policy_cache();
    }

    /// The kept copy of the last good policy is agent-writable; it counts
    /// only if its hash is the one the audit log recorded when the policy
    /// was last loaded. With no store open there is no record to check it
    /// against, so it does not count then either (fail closed); the file is
    /// left for a later start that can check it.
    fn check_policy_cache(&mut self) {
        let path = self.paths.policy_cache_file();
        let Ok(text) = files::read_text(&path, files::CONFIG_MAX_BYTES) else {
            return;
        };
        let hash = veil_core::audit::sha256_hex(text.as_bytes());
        if !self.audit.is_open() {
            if self.state.distrust_policy_cache() {
                tracing::warn!(
                    "{}: the store is not open, so the kept copy of the last good policy cannot be checked; the fail-closed policy is in force",
                    path.display()
                );
            }
            return;
        }
        let recorded = self
            .audit
            .last_of(&[RecordKind::PolicyLoaded, RecordKind::PolicyChanged])
            .map(|(_, details, _)| details);
        if recorded.as_deref().is_some_and(|d| d.contains(&hash)) {
            return;
        }
        let _ = std::fs::remove_file(&path);
        let changed = self.state.distrust_policy_cache();
        self.execute(Action::Record(Record {
            kind: RecordKind::PolicyCacheRejected,
            by: ChangedBy::Veil,
            details: format!(
                "{}: sha256 {hash} is not the policy on record; removed{}",
                path.display(),
                if changed {
                    "; the fail-closed policy is in force"
                } else {
                    ""
                }
            ),
        }));
    }

    /// Audit retention; an unavailable store is tried again.
    fn maintain(&mut self) {
        if self.state.store().state == StoreState::Unavailable {
            self.audit.close();
            self.reconcile_store();
        }
        self.audit.prune(self.state.settings().audit_retain_days);
        self.fleet.records_written();
    }

    /// Keeps the start-at-login entry in line with the effective setting.
    fn reconcile_autostart(&mut self) {
        let wanted = self.state.settings().start_at_login;
        if self.autostart_applied == Some(wanted) {
            return;
        }
        #[cfg(any(target_os = "linux", windows))]
        let result = match veil_os::autostart::apply(wanted) {
            Ok(replaced) => {
                let locked = self
                    .state
                    .config()
                    .effective()
                    .entry(veil_core::settings::schema::START_AT_LOGIN)
                    .is_some_and(|e| e.locked);
                if replaced && locked {
                    self.execute(Action::Record(Record {
                        kind: RecordKind::AutostartOverrideRemoved,
                        by: ChangedBy::Veil,
                        details: format!(
                            "a per-user autostart entry would have {} Veil at sign-in; policy locks start_at_login = {wanted}",
                            if wanted { "kept" } else { "started" }
                        ),
                    }));
                }
                Ok(())
            }
            Err(e) => Err(e.to_string()),
        };
        #[cfg(target_os = "macos")]
        let result = {
            use tauri_plugin_autostart::ManagerExt;
            let launcher = self.app.autolaunch();
            if wanted {
                launcher.enable()
            } else {
                launcher.disable()
            }
            .map_err(|e| e.to_string())
        };
        match result {
            Ok(()) => self.autostart_applied = Some(wanted),
            Err(e) => {
                tracing::warn!(
                    "cannot {} start at login: {e}",
                    if wanted { "turn on" } else { "turn off" }
                );
                // Do not retry on every message; the next settings change will.
                self.autostart_applied = Some(wanted);
            }
        }
    }
}

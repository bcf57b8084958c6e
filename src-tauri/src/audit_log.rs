//! The app's side of the audit log: opening the encrypted store with its key,
//! writing privacy events into it, and retention.

use std::time::{SystemTime, UNIX_EPOCH};

use veil_core::audit::{NewEntry, RecordKind};
use veil_core::settings::KeyFallback;
use veil_core::state::Record;
use veil_core::status::{StoreState, StoreStatus};
use veil_os::paths::{current_user, Paths};
use veil_os::secrets::{self, DbKey, Fallback, KeyError, OsCredentialStore};
use veil_store::{Access, Store, StoreError};

pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

fn fallback(f: KeyFallback) -> Fallback {
    match f {
        KeyFallback::KeyFile => Fallback::KeyFile,
        KeyFallback::Refuse => Fallback::Refuse,
    }
}

/// The store's key, as the app or the CLI finds it.
pub fn key(paths: &Paths, f: KeyFallback, create: bool) -> Result<secrets::KeyOutcome, KeyError> {
    secrets::load_or_create(
        &OsCredentialStore,
        &secrets::account_for(&paths.data_dir),
        &paths.store_key_file(),
        fallback(f),
        create,
    )
}

/// Opens the store for reading (the CLI): never creates anything.
pub fn open_read_only(paths: &Paths, f: KeyFallback) -> Result<Option<Store>, String> {
    let path = paths.store_file();
    if !path.exists() {
        return Ok(None);
    }
    let key: DbKey = key(paths, f, false)
        .map_err(|e| format!("cannot read the audit log {}: {e}", path.display()))?
        .key;
    Store::open(&path, &key, Access::ReadOnly)
        .map(Some)
        .map_err(|e: StoreError| e.to_string())
}

pub struct AuditLog {
    store: Option<Store>,
    /// The open store's file and key, for the fleet sender's own connection.
    access: Option<(std::path::PathBuf, DbKey)>,
    opened_with: Option<KeyFallback>,
    user: String,
    pending: Vec<TrainingWrite>,
}

impl AuditLog {
    pub fn closed() -> Self {
        Self {
            store: None,
            access: None,
            opened_with: None,
            user: current_user(),
            pending: Vec::new(),
        }
    }

    /// Closes the store so the next reconcile opens it afresh; training
    /// writes waiting for it are kept.
    pub fn close(&mut self) {
        self.store = None;
        self.access = None;
        self.opened_with = None;
    }

    /// Opens (or re-opens, when the policy's fallback changed) the store.
    /// Returns the new status when anything was attempted.
    pub fn reconcile(&mut self, paths: &Paths, f: KeyFallback) -> Option<StoreStatus> {
        if self.opened_with == Some(f) {
            return None;
        }
        self.opened_with = Some(f);
        self.store = None;
        self.access = None;
        let path = paths.store_file();
        let path_text = path.display().to_string();
        let unavailable = |message: String| StoreStatus::unavailable(path_text.clone(), message);
        let key = match key(paths, f, true) {
            Ok(k) => k,
            Err(e) => {
                tracing::error!("audit log unavailable: {e}");
                return Some(unavailable(e.to_string()));
            }
        };
        match Store::open_or_keep_aside(&path, &key.key, now_ms() / 1000) {
            Ok((store, kept)) => {
                if let Some(kept) = &kept {
                    tracing::error!(
                        "the store {} could not be opened with this key; it is kept at {} and a new one was started",
                        path.display(),
                        kept.display()
                    );
                }
                if let Some(problem) = &key.credential_store_problem {
                    tracing::warn!(
                        "no credential store ({problem}); the store key is in {}, readable only by you",
                        paths.store_key_file().display()
                    );
                }
                self.store = Some(store);
                self.access = Some((path.clone(), key.key.clone()));
                Some(StoreStatus {
                    state: StoreState::Ok,
                    path: path_text.clone(),
                    key_storage: Some(key.storage.as_str().into()),
                    message: key.credential_store_problem.map(|p| {
                        format!("No credential store is available ({p}); the key is kept in a file only you can read")
                    }),
                    kept_aside: kept.map(|k| k.display().to_string()),
                })
            }
            Err(e) => {
                tracing::error!("audit log unavailable: {e}");
                Some(unavailable(e.to_string()))
            }
        }
    }

    /// Writes one record. An error means the store just failed.
    pub fn record(&mut self, r: &Record) -> Result<(), String> {
        let Some(store) = self.store.as_mut() else {
            tracing::warn!(
                kind = r.kind.as_str(),
                "privacy event not recorded: the store is unavailable"
            );
            return Ok(());
        };
        store
            .append(NewEntry {
                at_ms: now_ms(),
                kind: r.kind.as_str().into(),
                actor: r.by.as_str().into(),
                user: self.user.clone(),
                details: r.details.clone(),
            })
            .map(|_| ())
            .map_err(|e| {
                self.store = None;
                self.access = None;
                e.to_string()
            })
    }

    /// The newest entry of one of `kinds` (kind, details, at_ms), or the
    /// newest entry of all with no kinds; None without a store.
    pub fn last_of(&self, kinds: &[RecordKind]) -> Option<(String, String, i64)> {
        let store = self.store.as_ref()?;
        let names: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
        let found = if names.is_empty() {
            store.last_entry()
        } else {
            store.last_of_kinds(&names)
        };
        match found {
            Ok(e) => e.map(|e| (e.entry.kind, e.entry.details, e.entry.at_ms)),
            Err(e) => {
                tracing::warn!("the audit log could not be read: {e}");
                None
            }
        }
    }

    /// The newest entries of one kind (kind's details, at_ms), newest first.
    pub fn newest_of(&self, kind: RecordKind, limit: u32) -> Vec<(String, i64)> {
        let Some(store) = self.store.as_ref() else {
            return vec![];
        };
        match store.newest_of_kind(kind.as_str(), limit) {
            Ok(entries) => entries
                .into_iter()
                .map(|e| (e.entry.details, e.entry.at_ms))
                .collect(),
            Err(e) => {
                tracing::warn!("the audit log could not be read: {e}");
                vec![]
            }
        }
    }

    /// The open store's file and key.
    pub fn access(&self) -> Option<(std::path::PathBuf, DbKey)> {
        self.access.clone()
    }

    pub fn is_open(&self) -> bool {
        self.store.is_some()
    }

    /// Removes entries older than the retention period (and records that).
    pub fn prune(&mut self, retain_days: i64) {
        let Some(store) = self.store.as_mut() else {
            return;
        };
        let now = now_ms();
        let cutoff = now - retain_days.saturating_mul(86_400_000);
        match store.prune(cutoff, retain_days, now, &self.user) {
            Ok(out) if out.removed > 0 => {
                tracing::info!(
                    "audit retention: removed {} entries older than {retain_days} days",
                    out.removed
                )
            }
            Ok(_) => {}
            Err(e) => tracing::warn!("audit retention failed: {e}"),
        }
    }

    /// Stores a training write; kept in memory and retried when the store
    /// is not open, so an answer given while it is unavailable is not lost
    /// while Veil runs.
    pub fn save_training(&mut self, w: TrainingWrite) {
        self.pending.push(w);
        self.flush_training();
    }

    fn flush_training(&mut self) {
        let Some(store) = self.store.as_mut() else {
            if !self.pending.is_empty() {
                tracing::warn!("{} training answers wait for the store", self.pending.len());
            }
            return;
        };
        while let Some(w) = self.pending.first() {
            let result = match w {
                TrainingWrite::Answer(a) => store.add_answer(a),
                TrainingWrite::Lesson(m, at) => store.add_lesson_read(m, *at),
            };
            match result {
                Ok(()) => {
                    self.pending.remove(0);
                }
                Err(e) => {
                    tracing::error!("training progress not stored yet: {e}");
                    return;
                }
            }
        }
    }

    /// The stored training history, once the store is open.
    pub fn training_history(&mut self) -> Option<TrainingHistory> {
        self.flush_training();
        let store = self.store.as_ref()?;
        match (store.lessons_read(), store.answers()) {
            (Ok(l), Ok(a)) => Some((l, a)),
            (Err(e), _) | (_, Err(e)) => {
                tracing::error!("cannot read the training history: {e}");
                None
            }
        }
    }
}

/// Lessons read (module, unix ms) and every answer.
pub type TrainingHistory = (Vec<(String, i64)>, Vec<veil_core::training::Answer>);

/// A training write waiting for the store.
pub enum TrainingWrite {
    Answer(veil_core::training::Answer),
    Lesson(String, i64),
}

//! Veil's one embedded store, under the app data dir: an SQLCipher database
//! (SQLite with the whole file encrypted) in WAL mode with full sync, so a
//! crash or `kill -9` loses at most the write in flight. The schema is
//! versioned (`PRAGMA user_version`) and migrated forward on open.
//!
//! A database that the key cannot open is never deleted: it is moved aside
//! (with its WAL) and a new one is started, and the caller is told where the
//! old one went.

mod audit;
mod fleet;
mod schema;
mod training;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};
use veil_os::secrets::DbKey;

pub use audit::{AuditQuery, PruneOutcome};
pub use fleet::{Cursor, CursorCheck};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path} cannot be opened with this key (wrong or lost key, or not a Veil store)")]
    WrongKey { path: PathBuf },
    #[error("{path} was written by a newer Veil (schema {found}, this Veil knows up to {known})")]
    TooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error("{path}: {source}")]
    Sql {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    ReadWrite,
    /// For the CLI: never creates or migrates.
    ReadOnly,
}

pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

impl Store {
    pub fn open(path: &Path, key: &DbKey, access: Access) -> Result<Store, StoreError> {
        let sql = |source| StoreError::Sql {
            path: path.to_path_buf(),
            source,
        };
        if access == Access::ReadWrite {
            if let Some(dir) = path.parent() {
                veil_os::files::create_private_dir(dir).map_err(|source| StoreError::Io {
                    path: dir.to_path_buf(),
                    source,
                })?;
            }
        }
        let flags = match access {
            Access::ReadWrite => {
                OpenFlags::SQLITE_OPEN_READ_WRITE
                    | OpenFlags::SQLITE_OPEN_CREATE
                    | OpenFlags::SQLITE_OPEN_NO_MUTEX
            }
            Access::ReadOnly => OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        };
        let conn = Connection::open_with_flags(path, flags).map_err(sql)?;
        // Before the first read: while the tray app commits or checkpoints,
        // a reader's first look at the WAL index can be told "busy", and a
        // CLI run (`veil audit show`) must wait, not fail.
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(sql)?;
        let hex: String = key.bytes().iter().map(|b| format!("{b:02x}")).collect();
        // A raw 256-bit key (no passphrase derivation): it is random already.
        conn.execute_batch(&format!("PRAGMA key = \"x'{hex}'\";"))
            .map_err(sql)?;
        // The first read tells whether the key fits.
        match conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
            r.get::<_, i64>(0)
        }) {
            Ok(_) => {}
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::NotADatabase =>
            {
                return Err(StoreError::WrongKey {
                    path: path.to_path_buf(),
                })
            }
            Err(e) => return Err(sql(e)),
        }
        conn.execute_batch("PRAGMA temp_store = MEMORY;")
            .map_err(sql)?;
        if access == Access::ReadWrite {
            conn.execute_batch(
                "PRAGMA journal_mode = WAL;
                 PRAGMA synchronous = FULL;",
            )
            .map_err(sql)?;
            schema::migrate(&conn, path)?;
        } else {
            schema::check_version(&conn, path)?;
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            if access == Access::ReadWrite {
                let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
            }
        }
        Ok(Store {
            conn,
            path: path.to_path_buf(),
        })
    }

    /// Opens the store; if the key cannot read it, moves it (and its WAL and
    /// shared-memory files) aside and starts a new one. Returns where the
    /// unreadable one was kept.
    pub fn open_or_keep_aside(
        path: &Path,
        key: &DbKey,
        unix_seconds: i64,
    ) -> Result<(Store, Option<PathBuf>), StoreError> {
        match Store::open(path, key, Access::ReadWrite) {
            Ok(s) => Ok((s, None)),
            Err(StoreError::WrongKey { .. }) => {
                let kept = keep_aside_with_companions(path, unix_seconds)?;
                let store = Store::open(path, key, Access::ReadWrite)?;
                Ok((store, Some(kept)))
            }
            Err(e) => Err(e),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn schema_version(&self) -> i64 {
        self.conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap_or(0)
    }

    fn sql_err(&self, source: rusqlite::Error) -> StoreError {
        StoreError::Sql {
            path: self.path.clone(),
            source,
        }
    }
}

fn keep_aside_with_companions(path: &Path, unix_seconds: i64) -> Result<PathBuf, StoreError> {
    let io = |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    };
    let kept = veil_os::files::keep_aside(path, unix_seconds).map_err(io)?;
    for suffix in ["-wal", "-shm"] {
        let mut companion = path.as_os_str().to_os_string();
        companion.push(suffix);
        let companion = PathBuf::from(companion);
        if companion.exists() {
            let mut target = kept.as_os_str().to_os_string();
            target.push(suffix);
            std::fs::rename(&companion, PathBuf::from(target)).map_err(io)?;
        }
    }
    Ok(kept)
}

//! Schema versions. Each migration runs once, in a transaction, in order;
//! `PRAGMA user_version` records how far a database has come.

use std::path::Path;

use rusqlite::Connection;

use crate::StoreError;

const MIGRATIONS: &[&str] = &[
    // 1: the audit log.
    "CREATE TABLE audit (
        seq       INTEGER PRIMARY KEY,
        at_ms     INTEGER NOT NULL,
        kind      TEXT NOT NULL,
        actor     TEXT NOT NULL,
        user      TEXT NOT NULL,
        details   TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash      TEXT NOT NULL
     );
     CREATE INDEX audit_at ON audit(at_ms);
     -- Where the chain continues from after retention removed older entries.
     CREATE TABLE audit_anchor (
        id   INTEGER PRIMARY KEY CHECK (id = 1),
        seq  INTEGER NOT NULL,
        hash TEXT NOT NULL
     );
     -- Entries are never changed in place.
     CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
     BEGIN SELECT RAISE(ABORT, 'audit entries cannot be changed'); END;",
    // 2: training progress: every answer, and which lessons were read.
    "CREATE TABLE training_answer (
        id       INTEGER PRIMARY KEY,
        at_ms    INTEGER NOT NULL,
        module   TEXT NOT NULL,
        question TEXT NOT NULL,
        chosen   TEXT NOT NULL,
        correct  INTEGER NOT NULL,
        took_ms  INTEGER NOT NULL
     );
     CREATE INDEX training_answer_at ON training_answer(at_ms);
     CREATE TABLE training_lesson (
        module     TEXT PRIMARY KEY,
        read_at_ms INTEGER NOT NULL
     );",
    // 3: fleet reporting: how far each receiver has acknowledged, and this
    // installation's random id.
    "CREATE TABLE fleet_cursor (
        destination     TEXT PRIMARY KEY,
        seq             INTEGER NOT NULL,
        hash            TEXT NOT NULL,
        delivered_at_ms INTEGER NOT NULL
     );
     CREATE TABLE install (
        id         INTEGER PRIMARY KEY CHECK (id = 1),
        install_id TEXT NOT NULL
     );",
];

pub const LATEST: i64 = MIGRATIONS.len() as i64;

fn version(conn: &Connection, path: &Path) -> Result<i64, StoreError> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|source| StoreError::Sql {
            path: path.to_path_buf(),
            source,
        })
}

pub fn check_version(conn: &Connection, path: &Path) -> Result<(), StoreError> {
    let found = version(conn, path)?;
    if found > LATEST {
        return Err(StoreError::TooNew {
            path: path.to_path_buf(),
            found,
            known: LATEST,
        });
    }
    Ok(())
}

pub fn migrate(conn: &Connection, path: &Path) -> Result<(), StoreError> {
    check_version(conn, path)?;
    let sql = |source| StoreError::Sql {
        path: path.to_path_buf(),
        source,
    };
    let from = version(conn, path)?;
    for (i, step) in MIGRATIONS.iter().enumerate().skip(from as usize) {
        let to = i as i64 + 1;
        conn.execute_batch(&format!(
            "BEGIN IMMEDIATE;\n{step}\nPRAGMA user_version = {to};\nCOMMIT;"
        ))
        .map_err(|e| {
            let _ = conn.execute_batch("ROLLBACK;");
            sql(e)
        })?;
        tracing::info!("store {} migrated to schema {to}", path.display());
    }
    Ok(())
}

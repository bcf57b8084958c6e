//! The audit log on disk: append-only, hash-chained (veil_core::audit).

use rusqlite::{params, OptionalExtension, Row, TransactionBehavior};
use veil_core::audit::{self, Anchor, Entry, NewEntry, PruneDetails, Verification};

use crate::{Store, StoreError};

#[derive(Debug, Clone, Copy, Default)]
pub struct AuditQuery {
    /// Only entries at or after this time (ms since the epoch).
    pub since_ms: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PruneOutcome {
    pub removed: u64,
    /// The `audit_pruned` entry, when anything was removed.
    pub record: Option<Entry>,
}

/// A hash column that is not valid hex (tampered with) reads as a value no
/// real hash has, so verification reports it.
const UNREADABLE: audit::Hash = [0xff; 32];

pub(crate) fn row_to_entry(r: &Row<'_>) -> rusqlite::Result<Entry> {
    let prev: String = r.get(6)?;
    let hash: String = r.get(7)?;
    Ok(Entry {
        seq: r.get(0)?,
        entry: NewEntry {
            at_ms: r.get(1)?,
            kind: r.get(2)?,
            actor: r.get(3)?,
            user: r.get(4)?,
            details: r.get(5)?,
        },
        prev_hash: audit::unhex(&prev).unwrap_or(UNREADABLE),
        hash: audit::unhex(&hash).unwrap_or(UNREADABLE),
    })
}

pub(crate) const COLUMNS: &str = "seq, at_ms, kind, actor, user, details, prev_hash, hash";

pub(crate) fn last(tx: &rusqlite::Connection) -> rusqlite::Result<Anchor> {
    let row: Option<(i64, String)> = tx
        .query_row(
            "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    match row {
        Some((seq, hash)) => Ok(Anchor {
            seq,
            hash: audit::unhex(&hash).unwrap_or(UNREADABLE),
        }),
        None => anchor(tx),
    }
}

pub(crate) fn anchor(conn: &rusqlite::Connection) -> rusqlite::Result<Anchor> {
    let row: Option<(i64, String)> = conn
        .query_row("SELECT seq, hash FROM audit_anchor WHERE id = 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    Ok(match row {
        Some((seq, hash)) => Anchor {
            seq,
            hash: audit::unhex(&hash).unwrap_or(UNREADABLE),
        },
        None => Anchor::START,
    })
}

pub(crate) fn insert(conn: &rusqlite::Connection, e: &Entry) -> rusqlite::Result<()> {
    conn.execute(
        &format!("INSERT INTO audit ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"),
        params![
            e.seq,
            e.entry.at_ms,
            e.entry.kind,
            e.entry.actor,
            e.entry.user,
            e.entry.details,
            audit::hex(&e.prev_hash),
            audit::hex(&e.hash),
        ],
    )?;
    Ok(())
}

impl Store {
    /// Appends one entry, durably: when this returns the entry is on disk.
    pub fn append(&mut self, new: NewEntry) -> Result<Entry, StoreError> {
        let result = (|| {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            let entry = audit::chain(last(&tx)?, new);
            insert(&tx, &entry)?;
            tx.commit()?;
            Ok(entry)
        })();
        result.map_err(|e| self.sql_err(e))
    }

    /// Appends many entries in one transaction (imports, benchmarks).
    pub fn append_many(&mut self, new: Vec<NewEntry>) -> Result<Vec<Entry>, StoreError> {
        let result = (|| {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            let mut at = last(&tx)?;
            let mut out = Vec::with_capacity(new.len());
            for n in new {
                let entry = audit::chain(at, n);
                insert(&tx, &entry)?;
                at = Anchor {
                    seq: entry.seq,
                    hash: entry.hash,
                };
                out.push(entry);
            }
            tx.commit()?;
            Ok(out)
        })();
        result.map_err(|e| self.sql_err(e))
    }

    pub fn audit(&self, q: AuditQuery) -> Result<Vec<Entry>, StoreError> {
        let result = (|| {
            let mut stmt = self.conn.prepare(&format!(
                "SELECT {COLUMNS} FROM audit WHERE at_ms >= ?1 ORDER BY seq"
            ))?;
            let rows = stmt.query_map([q.since_ms.unwrap_or(i64::MIN)], row_to_entry)?;
            rows.collect::<rusqlite::Result<Vec<_>>>()
        })();
        result.map_err(|e| self.sql_err(e))
    }

    /// The newest entry of one of `kinds`, if any.
    pub fn last_of_kinds(&self, kinds: &[&str]) -> Result<Option<Entry>, StoreError> {
        let result = (|| {
            let marks = vec!["?"; kinds.len()].join(",");
            let mut stmt = self.conn.prepare(&format!(
                "SELECT {COLUMNS} FROM audit WHERE kind IN ({marks}) ORDER BY seq DESC LIMIT 1"
            ))?;
            stmt.query_row(rusqlite::params_from_iter(kinds.iter()), row_to_entry)
                .optional()
        })();
        result.map_err(|e| self.sql_err(e))
    }

    /// The newest `limit` entries of one kind, newest first.
    pub fn newest_of_kind(&self, kind: &str, limit: u32) -> Result<Vec<Entry>, StoreError> {
        let result = (|| {
            let mut stmt = self.conn.prepare(&format!(
                "SELECT {COLUMNS} FROM audit WHERE kind = ?1 ORDER BY seq DESC LIMIT ?2"
            ))?;
            let rows = stmt.query_map(rusqlite::params![kind, limit], row_to_entry)?;
            rows.collect::<Result<Vec<_>, _>>()
        })();
        result.map_err(|e| self.sql_err(e))
    }

    /// The newest entry, if any.
    pub fn last_entry(&self) -> Result<Option<Entry>, StoreError> {
        let result = self
            .conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM audit ORDER BY seq DESC LIMIT 1"),
                [],
                row_to_entry,
            )
            .optional();
        result.map_err(|e| self.sql_err(e))
    }

    pub fn audit_count(&self) -> Result<u64, StoreError> {
        self.conn
            .query_row("SELECT count(*) FROM audit", [], |r| r.get::<_, i64>(0))
            .map(|n| n as u64)
            .map_err(|e| self.sql_err(e))
    }

    /// Checks the whole chain from its anchor.
    pub fn verify(&self) -> Result<Verification, StoreError> {
        let start = anchor(&self.conn).map_err(|e| self.sql_err(e))?;
        let entries = self.audit(AuditQuery::default())?;
        Ok(audit::verify(start, entries))
    }

    /// Removes entries older than `cutoff_ms` and records that it did, so the
    /// chain still verifies from the new anchor.
    pub fn prune(
        &mut self,
        cutoff_ms: i64,
        retain_days: i64,
        now_ms: i64,
        user: &str,
    ) -> Result<PruneOutcome, StoreError> {
        let result = (|| {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            // The chain is cut at one point: everything up to the newest
            // entry older than the cutoff.
            let through: Option<(i64, String)> = tx
                .query_row(
                    "SELECT seq, hash FROM audit WHERE seq = (SELECT max(seq) FROM audit WHERE at_ms < ?1)",
                    [cutoff_ms],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let Some((through_seq, through_hash)) = through else {
                return Ok(PruneOutcome {
                    removed: 0,
                    record: None,
                });
            };
            let removed = tx.execute("DELETE FROM audit WHERE seq <= ?1", [through_seq])? as u64;
            tx.execute(
                "INSERT INTO audit_anchor (id, seq, hash) VALUES (1, ?1, ?2)
                 ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
                params![through_seq, through_hash],
            )?;
            let details = PruneDetails {
                removed,
                through_seq,
                through_hash,
                retain_days,
            };
            let entry = audit::chain(
                last(&tx)?,
                NewEntry {
                    at_ms: now_ms,
                    kind: audit::PRUNED_KIND.into(),
                    actor: "veil".into(),
                    user: user.into(),
                    details: serde_json::to_string(&details).unwrap_or_default(),
                },
            );
            insert(&tx, &entry)?;
            tx.commit()?;
            Ok(PruneOutcome {
                removed,
                record: Some(entry),
            })
        })();
        result.map_err(|e| self.sql_err(e))
    }

    /// Runs raw SQL. Only for tests that play an attacker with the key.
    #[doc(hidden)]
    pub fn raw_execute(&self, sql: &str) -> Result<(), StoreError> {
        self.conn.execute_batch(sql).map_err(|e| self.sql_err(e))
    }
}

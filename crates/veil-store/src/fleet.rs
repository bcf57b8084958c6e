//! The store is the fleet queue: each receiver has a cursor (the last
//! audit entry it acknowledged), advanced only after the acknowledgement,
//! so a crash resends at most the batch in flight.

use rusqlite::{params, OptionalExtension, TransactionBehavior};
use veil_core::audit::{self, Anchor, Entry, NewEntry};

use crate::audit::{anchor, last, row_to_entry, COLUMNS};
use crate::{Store, StoreError};

/// How far one receiver has acknowledged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub seq: i64,
    pub hash: audit::Hash,
    pub delivered_at_ms: i64,
}

/// What the cursor says about the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CursorCheck {
    /// The acknowledged entry is still there, unchanged (or was pruned).
    Fits,
    /// The log no longer holds what was acknowledged: entries were removed
    /// or rewritten after they were sent.
    Diverged,
}

impl Store {
    pub fn fleet_cursor(&self, destination: &str) -> Result<Option<Cursor>, StoreError> {
        let row: Option<(i64, String, i64)> = self
            .conn
            .query_row(
                "SELECT seq, hash, delivered_at_ms FROM fleet_cursor WHERE destination = ?1",
                [destination],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()
            .map_err(|e| self.sql_err(e))?;
        Ok(row.map(|(seq, hash, delivered_at_ms)| Cursor {
            seq,
            hash: audit::unhex(&hash).unwrap_or([0xff; 32]),
            delivered_at_ms,
        }))
    }

    pub fn set_fleet_cursor(&mut self, destination: &str, c: Cursor) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT INTO fleet_cursor (destination, seq, hash, delivered_at_ms)
                 VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(destination) DO UPDATE SET
                   seq = excluded.seq, hash = excluded.hash,
                   delivered_at_ms = excluded.delivered_at_ms",
                params![destination, c.seq, audit::hex(&c.hash), c.delivered_at_ms],
            )
            .map(|_| ())
            .map_err(|e| self.sql_err(e))
    }

    /// Whether the log still holds what `c` acknowledged.
    pub fn check_cursor(&self, c: &Cursor) -> Result<CursorCheck, StoreError> {
        let result = (|| {
            let head = last(&self.conn)?;
            if c.seq > head.seq {
                return Ok(CursorCheck::Diverged);
            }
            if c.seq <= anchor(&self.conn)?.seq {
                return Ok(CursorCheck::Fits);
            }
            let hash: Option<String> = self
                .conn
                .query_row("SELECT hash FROM audit WHERE seq = ?1", [c.seq], |r| {
                    r.get(0)
                })
                .optional()?;
            Ok(match hash {
                Some(h) if audit::unhex(&h) == Some(c.hash) => CursorCheck::Fits,
                _ => CursorCheck::Diverged,
            })
        })();
        result.map_err(|e| self.sql_err(e))
    }

    /// Up to `limit` entries after `seq`, in order.
    pub fn entries_after(&self, seq: i64, limit: usize) -> Result<Vec<Entry>, StoreError> {
        let result = (|| {
            let mut stmt = self.conn.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM audit WHERE seq > ?1 ORDER BY seq LIMIT ?2"
            ))?;
            let rows = stmt.query_map(params![seq, limit as i64], row_to_entry)?;
            rows.collect::<rusqlite::Result<Vec<_>>>()
        })();
        result.map_err(|e| self.sql_err(e))
    }

    /// How many entries come after `seq`.
    pub fn count_after(&self, seq: i64) -> Result<u64, StoreError> {
        self.conn
            .query_row("SELECT count(*) FROM audit WHERE seq > ?1", [seq], |r| {
                r.get::<_, i64>(0)
            })
            .map(|n| n as u64)
            .map_err(|e| self.sql_err(e))
    }

    /// The oldest entry's number still in the log (after retention), or
    /// the first one to come.
    pub fn first_seq(&self) -> Result<i64, StoreError> {
        let result = (|| {
            let first: Option<i64> =
                self.conn
                    .query_row("SELECT min(seq) FROM audit", [], |r| r.get(0))?;
            Ok(match first {
                Some(s) => s,
                None => anchor(&self.conn)?.seq + 1,
            })
        })();
        result.map_err(|e| self.sql_err(e))
    }

    /// The newest entry's number and hash (or the anchor's, when empty).
    pub fn head(&self) -> Result<Anchor, StoreError> {
        last(&self.conn).map_err(|e| self.sql_err(e))
    }

    /// The entries after `seq` written before `cutoff_ms`, from the first on
    /// while they keep being that old: (the last one's number and hash,
    /// how many).
    pub fn older_than_after(
        &self,
        seq: i64,
        cutoff_ms: i64,
    ) -> Result<Option<(Anchor, u64)>, StoreError> {
        let result = (|| {
            let mut stmt = self.conn.prepare_cached(
                "SELECT seq, hash, at_ms FROM audit WHERE seq > ?1 ORDER BY seq LIMIT 1000",
            )?;
            let mut from = seq;
            let mut found: Option<(Anchor, u64)> = None;
            loop {
                let rows: Vec<(i64, String, i64)> = stmt
                    .query_map([from], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                    .collect::<rusqlite::Result<_>>()?;
                if rows.is_empty() {
                    return Ok(found);
                }
                for (s, h, at) in rows {
                    if at >= cutoff_ms {
                        return Ok(found);
                    }
                    let n = found.map_or(0, |(_, n)| n) + 1;
                    found = Some((
                        Anchor {
                            seq: s,
                            hash: audit::unhex(&h).unwrap_or([0xff; 32]),
                        },
                        n,
                    ));
                    from = s;
                }
            }
        })();
        result.map_err(|e| self.sql_err(e))
    }

    /// Appends `gap` and moves the cursor past the entries it gives up, in
    /// one transaction (the record and the skip go together or not at all).
    pub fn record_gap(
        &mut self,
        destination: &str,
        through: Anchor,
        gap: NewEntry,
        at_ms: i64,
    ) -> Result<Entry, StoreError> {
        let result = (|| {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            let entry = audit::chain(last(&tx)?, gap);
            crate::audit::insert(&tx, &entry)?;
            tx.execute(
                "INSERT INTO fleet_cursor (destination, seq, hash, delivered_at_ms)
                 VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(destination) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
                params![destination, through.seq, audit::hex(&through.hash), at_ms],
            )?;
            tx.commit()?;
            Ok(entry)
        })();
        result.map_err(|e| self.sql_err(e))
    }

    /// This installation's random id, made with `new` the first time.
    pub fn install_id(&mut self, new: impl FnOnce() -> String) -> Result<String, StoreError> {
        let result = (|| {
            let found: Option<String> = self
                .conn
                .query_row("SELECT install_id FROM install WHERE id = 1", [], |r| {
                    r.get(0)
                })
                .optional()?;
            if let Some(id) = found {
                return Ok(id);
            }
            let id = new();
            self.conn.execute(
                "INSERT OR IGNORE INTO install (id, install_id) VALUES (1, ?1)",
                [&id],
            )?;
            self.conn
                .query_row("SELECT install_id FROM install WHERE id = 1", [], |r| {
                    r.get(0)
                })
        })();
        result.map_err(|e| self.sql_err(e))
    }
}

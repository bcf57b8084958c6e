//! Training progress: every answer the agent gave and the lessons they
//! read. Written durably (one transaction each) and read back whole; the
//! scheduler's state is rebuilt from it.

use rusqlite::params;
use veil_core::training::Answer;

use crate::{Store, StoreError};

impl Store {
    pub fn add_answer(&mut self, a: &Answer) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT INTO training_answer (at_ms, module, question, chosen, correct, took_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    a.at,
                    a.module,
                    a.question,
                    a.chosen.join(","),
                    a.correct,
                    a.took_ms
                ],
            )
            .map(|_| ())
            .map_err(|e| self.sql_err(e))
    }

    /// Keeps the first time a lesson was read.
    pub fn add_lesson_read(&mut self, module: &str, at_ms: i64) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT OR IGNORE INTO training_lesson (module, read_at_ms) VALUES (?1, ?2)",
                params![module, at_ms],
            )
            .map(|_| ())
            .map_err(|e| self.sql_err(e))
    }

    /// Every answer, oldest first.
    pub fn answers(&self) -> Result<Vec<Answer>, StoreError> {
        let result = (|| {
            let mut stmt = self.conn.prepare(
                "SELECT at_ms, module, question, chosen, correct, took_ms
                 FROM training_answer ORDER BY at_ms, id",
            )?;
            let rows = stmt.query_map([], |r| {
                let chosen: String = r.get(3)?;
                Ok(Answer {
                    at: r.get(0)?,
                    module: r.get(1)?,
                    question: r.get(2)?,
                    chosen: chosen
                        .split(',')
                        .filter(|s| !s.is_empty())
                        .map(str::to_string)
                        .collect(),
                    correct: r.get(4)?,
                    took_ms: r.get(5)?,
                })
            })?;
            rows.collect::<rusqlite::Result<Vec<_>>>()
        })();
        result.map_err(|e| self.sql_err(e))
    }

    pub fn lessons_read(&self) -> Result<Vec<(String, i64)>, StoreError> {
        let result = (|| {
            let mut stmt = self
                .conn
                .prepare("SELECT module, read_at_ms FROM training_lesson ORDER BY read_at_ms")?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<rusqlite::Result<Vec<_>>>()
        })();
        result.map_err(|e| self.sql_err(e))
    }
}

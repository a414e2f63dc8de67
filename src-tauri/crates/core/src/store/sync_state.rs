//! The `sync_state` table: per-source cursor, last success and last error.

use super::Store;
use crate::Result;
use rusqlite::{params, OptionalExtension};
use serde::Serialize;

/// Where a source's sync stands.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct SyncState {
    /// Source name (`hf`, `arxiv`).
    pub source: String,
    /// Source-specific resume point (for Daily Papers: the last fully synced day).
    pub cursor: Option<String>,
    /// When the last sync without error ended (UTC, RFC 3339).
    pub last_success: Option<String>,
    /// The last sync's error, cleared by a clean sync.
    pub last_error: Option<String>,
}

impl Store {
    /// A source's state (default when never synced).
    pub fn sync_state(&self, source: &str) -> Result<SyncState> {
        Ok(self
            .conn
            .query_row(
                "SELECT source, cursor, last_success, last_error FROM sync_state WHERE source = ?",
                [source],
                |r| {
                    Ok(SyncState {
                        source: r.get(0)?,
                        cursor: r.get(1)?,
                        last_success: r.get(2)?,
                        last_error: r.get(3)?,
                    })
                },
            )
            .optional()?
            .unwrap_or(SyncState {
                source: source.into(),
                ..Default::default()
            }))
    }

    /// Moves a source's cursor forward.
    pub fn set_sync_cursor(&self, source: &str, cursor: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO sync_state (source, cursor) VALUES (?1, ?2) \
             ON CONFLICT(source) DO UPDATE SET cursor = excluded.cursor, \
             updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
            params![source, cursor],
        )?;
        Ok(())
    }

    /// Records how a sync of `source` ended: `None` for success, else the error.
    pub fn finish_sync(&self, source: &str, error: Option<&str>) -> Result<()> {
        self.conn.execute(
            "INSERT INTO sync_state (source, last_success, last_error) \
             VALUES (?1, CASE WHEN ?2 IS NULL THEN strftime('%Y-%m-%dT%H:%M:%SZ', 'now') END, ?2) \
             ON CONFLICT(source) DO UPDATE SET \
               last_success = CASE WHEN ?2 IS NULL THEN strftime('%Y-%m-%dT%H:%M:%SZ', 'now') ELSE last_success END, \
               last_error = ?2, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
            params![source, error],
        )?;
        Ok(())
    }
}

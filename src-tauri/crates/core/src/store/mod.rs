//! The library database: SQLite (bundled, WAL) with embedded, numbered, append-only
//! migrations. One submodule per table group; all SQL lives here.
//!
//! The store is synchronous and not `Sync`: the app and CLI hold it behind a mutex and
//! call it from blocking threads.

mod alerts;
mod embeddings;
mod filter_sql;
mod lists;
mod map;
mod papers;
mod ratings;
mod settings;
mod sync_state;

pub use alerts::{AlertMatch, AlertRule};
pub use embeddings::{PendingEmbedding, StoredVectors};
pub use lists::{LinkSource, Linked, ListItem, ListLink, ListSummary, NewItem};
pub use map::MapLabel;
pub use papers::{KeywordDocs, UpsertReport};
pub use ratings::{Rating, RatingRow};
pub use sync_state::SyncState;

use crate::{Error, Result};
use rusqlite::Connection;
use std::path::{Path, PathBuf};

/// The migrations, in order. Append only: never edit a released one.
pub const MIGRATIONS: &[(&str, &str)] = &[
    ("0001_papers", include_str!("migrations/0001_papers.sql")),
    (
        "0002_embeddings",
        include_str!("migrations/0002_embeddings.sql"),
    ),
    (
        "0003_reading_lists",
        include_str!("migrations/0003_reading_lists.sql"),
    ),
    (
        "0004_sync_alerts_settings",
        include_str!("migrations/0004_sync_alerts_settings.sql"),
    ),
    (
        "0005_hf_fields",
        include_str!("migrations/0005_hf_fields.sql"),
    ),
    (
        "0006_list_imports",
        include_str!("migrations/0006_list_imports.sql"),
    ),
    (
        "0007_alert_names",
        include_str!("migrations/0007_alert_names.sql"),
    ),
    (
        "0008_map_points",
        include_str!("migrations/0008_map_points.sql"),
    ),
    ("0009_tex", include_str!("migrations/0009_tex.sql")),
    (
        "0010_keyword_log",
        include_str!("migrations/0010_keyword_log.sql"),
    ),
    ("0011_ratings", include_str!("migrations/0011_ratings.sql")),
    (
        "0012_seen_and_standing",
        include_str!("migrations/0012_seen_and_standing.sql"),
    ),
    (
        "0013_identity",
        include_str!("migrations/0013_identity.sql"),
    ),
    (
        "0014_linked_lists",
        include_str!("migrations/0014_linked_lists.sql"),
    ),
];

/// The newest schema version this build knows.
pub fn latest_version() -> i64 {
    MIGRATIONS.len() as i64
}

/// An open library database.
pub struct Store {
    conn: Connection,
    path: Option<PathBuf>,
    /// Category counts for suggestions, with the `total_changes()` they were read at.
    categories: Option<(i64, Vec<(String, usize)>)>,
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| Error::io("cannot create", dir, e))?;
        }
        let conn = Connection::open(path)?;
        Self::init(conn, Some(path.to_path_buf()), latest_version()).map_err(|e| damaged(e, path))
    }

    /// A private in-memory database (tests, evaluation scratch).
    pub fn open_in_memory() -> Result<Store> {
        Self::init(Connection::open_in_memory()?, None, latest_version())
    }

    /// Opens a database migrated only up to `version` — for migration tests.
    #[doc(hidden)]
    pub fn open_at_version(path: &Path, version: i64) -> Result<Store> {
        Self::init(Connection::open(path)?, Some(path.to_path_buf()), version)
    }

    fn init(conn: Connection, path: Option<PathBuf>, target: i64) -> Result<Store> {
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        conn.pragma_update(None, "foreign_keys", true)?;
        if path.is_some() {
            // WAL keeps readers going during writes; NORMAL is durable across app crashes.
            conn.pragma_update(None, "journal_mode", "wal")?;
            conn.pragma_update(None, "synchronous", "normal")?;
        }
        let mut store = Store {
            conn,
            path,
            categories: None,
        };
        store.migrate_to(target)?;
        if target == latest_version() {
            store.reclean()?;
        }
        Ok(store)
    }

    fn migrate_to(&mut self, target: i64) -> Result<()> {
        let found = self.schema_version()?;
        if found > latest_version() {
            return Err(Error::NewerSchema {
                path: self.path.clone().unwrap_or_default(),
                found,
                known: latest_version(),
            });
        }
        if found > 0 && found < target {
            self.backup_before_migration(found)?;
        }
        for (i, (name, sql)) in MIGRATIONS.iter().enumerate() {
            let version = i as i64 + 1;
            if version <= found || version > target {
                continue;
            }
            let tx = self.conn.transaction()?;
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", version)?;
            tx.commit()?;
            log::info!("library schema migrated to {version} ({name})");
        }
        Ok(())
    }

    /// A consistent copy of the database at `target` (`VACUUM INTO`).
    pub fn copy_into(&self, target: &Path) -> Result<()> {
        self.conn
            .execute("VACUUM INTO ?1", [target.to_string_lossy().as_ref()])?;
        Ok(())
    }

    /// Copies the database (consistently, with `VACUUM INTO`) to
    /// `<file>.schema-<version>.bak` before it is migrated, so an upgrade can be undone.
    fn backup_before_migration(&self, version: i64) -> Result<()> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        let mut name = path.as_os_str().to_os_string();
        name.push(format!(".schema-{version}.bak"));
        let backup = PathBuf::from(name);
        if backup.exists() {
            std::fs::remove_file(&backup).map_err(|e| Error::io("cannot replace", &backup, e))?;
        }
        self.conn
            .execute("VACUUM INTO ?1", [backup.to_string_lossy().as_ref()])?;
        log::info!(
            "backed up the library (schema {version}) to {}",
            backup.display()
        );
        Ok(())
    }

    /// The connection, for tests that change the database behind the library's back.
    #[cfg(test)]
    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// The schema version stored in the database (`PRAGMA user_version`).
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    /// The database file, when not in memory.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Runs SQLite's own consistency check; `Ok(true)` when it reports "ok".
    pub fn integrity_ok(&self) -> Result<bool> {
        let s: String = self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        Ok(s == "ok")
    }
}

/// SQLite's "not a database" and "malformed" become one clear error naming the file.
fn damaged(e: Error, path: &Path) -> Error {
    match &e {
        Error::Db(rusqlite::Error::SqliteFailure(f, _))
            if matches!(
                f.code,
                rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt
            ) =>
        {
            Error::Damaged {
                path: path.to_path_buf(),
                detail: e.to_string(),
            }
        }
        _ => e,
    }
}

/// A 64-bit FNV-1a hash in hex: cheap change detection for embedded text.
pub(crate) fn content_hash(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

#[cfg(test)]
mod tests;

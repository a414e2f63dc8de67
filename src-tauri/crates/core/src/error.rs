//! The core error type. Every variant carries enough context for one clear sentence.

use std::path::PathBuf;

/// Errors from the library, ranking, import and evaluation.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// SQLite failed.
    #[error("library database error: {0}")]
    Db(#[from] rusqlite::Error),
    /// The database was written by a newer Papersift.
    #[error("the library at {path} was created by a newer Papersift (schema {found}, this build knows up to {known}); update Papersift or choose another data folder")]
    NewerSchema {
        /// Database file.
        path: PathBuf,
        /// Schema version found.
        found: i64,
        /// Newest version this build knows.
        known: i64,
    },
    /// The database file is damaged or not a database.
    #[error("the library database at {path} is damaged ({detail}); Papersift has not changed it: move it aside to start a new library, or restore a backup")]
    Damaged {
        /// Database file.
        path: PathBuf,
        /// SQLite's words.
        detail: String,
    },
    /// A file could not be read or written.
    #[error("{action} {path}: {source}")]
    Io {
        /// What was being done ("cannot read", "cannot create").
        action: &'static str,
        /// The file or folder.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// Input data was malformed.
    #[error("{path}:{line}: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// 1-based line number (0 when not line-oriented).
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The embedder failed or is missing.
    #[error("{0}")]
    Embedding(String),
    /// The caller asked for something that cannot be done.
    #[error("{0}")]
    Invalid(String),
    /// Another operation that must run alone is in progress.
    #[error("{0}")]
    Busy(String),
    /// The keyword index failed (searches fall back to FTS5; it is rebuilt).
    #[error("keyword index: {0}")]
    KeywordIndex(String),
    /// The disk holding the library is full. What was committed before stays; the
    /// operation can run again once space is freed.
    #[error("the disk holding your library ({}) is full: free {free_mb} MB and {then}", dir.display())]
    DiskFull {
        /// The library folder.
        dir: PathBuf,
        /// How much to free, in MB (see [`Error::disk_full`]).
        free_mb: u64,
        /// What to do next ("sync again").
        then: &'static str,
    },
    /// Papersift failed inside, through no fault of the input: a worker thread died, a
    /// value of its own did not serialize. Worth a bug report.
    #[error("Papersift failed inside ({0}); please report it")]
    Internal(String),
}

impl Error {
    /// A short machine-readable kind, used across IPC (`{ kind, message }`).
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Db(_) => "database",
            Error::NewerSchema { .. } => "newer_schema",
            Error::Damaged { .. } => "damaged",
            Error::Io { .. } => "io",
            Error::Parse { .. } => "parse",
            Error::Embedding(_) => "embedding",
            Error::Invalid(_) => "invalid",
            Error::Busy(_) => "busy",
            Error::KeywordIndex(_) => "keyword_index",
            Error::DiskFull { .. } => "disk_full",
            Error::Internal(_) => "internal",
        }
    }

    /// True when the error says the disk is full: SQLite's `SQLITE_FULL`, or a write
    /// that failed with `ENOSPC` (the keyword index, an export).
    pub fn is_disk_full(&self) -> bool {
        fn io_full(e: &std::io::Error) -> bool {
            e.kind() == std::io::ErrorKind::StorageFull || e.raw_os_error() == Some(28)
        }
        match self {
            Error::DiskFull { .. } => true,
            Error::Db(rusqlite::Error::SqliteFailure(e, _)) => {
                e.code == rusqlite::ErrorCode::DiskFull
            }
            Error::Io { source, .. } => io_full(source),
            Error::KeywordIndex(m) | Error::Embedding(m) | Error::Internal(m) => {
                m.contains("No space left on device") || m.contains("database or disk is full")
            }
            _ => false,
        }
    }

    /// This error, or [`Error::DiskFull`] for the library in `dir` when the disk is
    /// full: SQLite said so, or it failed to write (`SQLITE_IOERR`, e.g. growing its
    /// shared-memory file) while the disk has less than 1 MB left. It asks to free
    /// 50 MB, or a twentieth of the database when that is more: room for SQLite's
    /// write-ahead log to take the next batch and checkpoint. An error that already
    /// says the disk is full takes this `then`.
    pub fn disk_full(self, dir: &std::path::Path, then: &'static str) -> Self {
        if let Error::DiskFull { dir, free_mb, .. } = self {
            return Error::DiskFull { dir, free_mb, then };
        }
        let write_failed = match &self {
            Error::Db(rusqlite::Error::SqliteFailure(e, _)) => {
                e.code == rusqlite::ErrorCode::SystemIoFailure
            }
            Error::Io { .. } | Error::KeywordIndex(_) => true,
            _ => false,
        };
        let nearly_full = || free_bytes(dir).is_some_and(|b| b < 1 << 20);
        if !(self.is_disk_full() || (write_failed && nearly_full())) {
            return self;
        }
        let db = std::fs::metadata(dir.join(crate::config::DB_FILE)).map_or(0, |m| m.len());
        Error::DiskFull {
            dir: dir.to_path_buf(),
            free_mb: (db / 20).div_ceil(1 << 20).max(50),
            then,
        }
    }

    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
        source: std::io::Error,
    ) -> Self {
        Error::Io {
            action,
            path: path.into(),
            source,
        }
    }
}

/// Bytes an unprivileged writer may still use on the file system holding `dir` (the
/// folder or its nearest existing parent); `None` where that cannot be told.
pub fn free_bytes(dir: &std::path::Path) -> Option<u64> {
    let dir = dir.ancestors().find(|d| d.exists())?;
    #[cfg(unix)]
    {
        let st = rustix::fs::statvfs(dir).ok()?;
        Some(st.f_bavail.saturating_mul(st.f_frsize))
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        None
    }
}

/// Result with the core [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

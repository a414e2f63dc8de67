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
            Error::Internal(_) => "internal",
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

/// Result with the core [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

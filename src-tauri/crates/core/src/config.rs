//! Where the library lives on disk.
//!
//! The data folder follows the platform convention (`$XDG_DATA_HOME/papersift`, usually
//! `~/.local/share/papersift` on Linux) and is overridden by `--data-dir` or the
//! `PAPERSIFT_DATA_DIR` environment variable.

use std::path::{Path, PathBuf};

/// Environment variable that overrides the data folder.
pub const DATA_DIR_ENV: &str = "PAPERSIFT_DATA_DIR";

/// File name of the library database inside the data folder.
pub const DB_FILE: &str = "library.sqlite3";

/// The data folder: the explicit choice, else `PAPERSIFT_DATA_DIR`, else the platform's.
pub fn data_dir(explicit: Option<&Path>) -> PathBuf {
    if let Some(p) = explicit {
        return p.to_path_buf();
    }
    if let Some(p) = std::env::var_os(DATA_DIR_ENV).filter(|v| !v.is_empty()) {
        return PathBuf::from(p);
    }
    dirs::data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("papersift")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_folder_wins() {
        assert_eq!(data_dir(Some(Path::new("/x/y"))), PathBuf::from("/x/y"));
    }

    #[test]
    fn platform_folder_ends_in_papersift() {
        if std::env::var_os(DATA_DIR_ENV).is_none() {
            assert!(data_dir(None).ends_with("papersift"));
        }
    }
}

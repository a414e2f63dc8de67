//! Where the library lives on disk.
//!
//! The data folder follows the platform convention (`$XDG_DATA_HOME/papersift`, usually
//! `~/.local/share/papersift` on Linux) and is overridden by `--data-dir` or the
//! `PAPERSIFT_DATA_DIR` environment variable, or a folder chosen in Settings (recorded in
//! the config folder, so the library itself can live anywhere).

use std::path::{Path, PathBuf};

/// Environment variable that overrides the data folder.
pub const DATA_DIR_ENV: &str = "PAPERSIFT_DATA_DIR";

/// File name of the library database inside the data folder.
pub const DB_FILE: &str = "library.sqlite3";

/// The data folder: the explicit choice, else `PAPERSIFT_DATA_DIR`, else the folder chosen
/// in Settings, else the platform's.
pub fn data_dir(explicit: Option<&Path>) -> PathBuf {
    data_dir_with_source(explicit).0
}

/// Where the data folder setting came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum DataDirSource {
    /// `--data-dir`.
    Flag,
    /// `PAPERSIFT_DATA_DIR`.
    Environment,
    /// Chosen in Settings (recorded in [`chosen_data_dir_file`]).
    Chosen,
    /// The platform's data folder.
    Default,
}

/// The data folder and where that choice came from.
pub fn data_dir_with_source(explicit: Option<&Path>) -> (PathBuf, DataDirSource) {
    if let Some(p) = explicit {
        return (p.to_path_buf(), DataDirSource::Flag);
    }
    if let Some(p) = std::env::var_os(DATA_DIR_ENV).filter(|v| !v.is_empty()) {
        return (PathBuf::from(p), DataDirSource::Environment);
    }
    if let Some(p) = chosen_data_dir_file().and_then(|f| read_chosen(&f)) {
        return (p, DataDirSource::Chosen);
    }
    (default_data_dir(), DataDirSource::Default)
}

/// The platform's data folder for Papersift.
pub fn default_data_dir() -> PathBuf {
    dirs::data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("papersift")
}

/// The file that records a data folder chosen in Settings:
/// `$XDG_CONFIG_HOME/papersift/data-dir` (a path on one line).
pub fn chosen_data_dir_file() -> Option<PathBuf> {
    dirs::config_dir().map(|d| d.join("papersift").join("data-dir"))
}

fn read_chosen(file: &Path) -> Option<PathBuf> {
    let text = std::fs::read_to_string(file).ok()?;
    let line = text.lines().next()?.trim();
    (!line.is_empty() && Path::new(line).is_absolute()).then(|| PathBuf::from(line))
}

/// Records `dir` as the data folder in `file` (written to a temporary file and renamed,
/// so a crash leaves the old choice or the new one, never half a path).
pub fn write_chosen_data_dir(file: &Path, dir: &Path) -> crate::Result<()> {
    if !dir.is_absolute() {
        return Err(crate::Error::Invalid(format!(
            "the data folder must be an absolute path, not {}",
            dir.display()
        )));
    }
    let parent = file.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(|e| crate::Error::io("cannot create", parent, e))?;
    let tmp = file.with_extension("tmp");
    std::fs::write(&tmp, format!("{}\n", dir.display()))
        .map_err(|e| crate::Error::io("cannot write", &tmp, e))?;
    std::fs::rename(&tmp, file).map_err(|e| crate::Error::io("cannot write", file, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_folder_wins() {
        assert_eq!(data_dir(Some(Path::new("/x/y"))), PathBuf::from("/x/y"));
    }

    #[test]
    fn a_chosen_folder_is_written_whole_and_read_back() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("config/papersift/data-dir");
        let dir = tmp.path().join("elsewhere");
        write_chosen_data_dir(&file, &dir).unwrap();
        assert_eq!(read_chosen(&file), Some(dir));
        assert!(write_chosen_data_dir(&file, Path::new("relative")).is_err());
        std::fs::write(&file, "not/absolute\n").unwrap();
        assert_eq!(read_chosen(&file), None, "a relative path is ignored");
    }

    #[test]
    fn platform_folder_ends_in_papersift() {
        if std::env::var_os(DATA_DIR_ENV).is_none() {
            assert!(data_dir(None).ends_with("papersift"));
        }
    }
}

//! Errors as the UI receives them: `{ kind, message }`, so it can react by kind.

use serde::Serialize;

/// An error crossing IPC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct IpcError {
    /// Machine-readable kind (`database`, `embedding`, `startup`, …).
    pub kind: String,
    /// One sentence for the user.
    pub message: String,
}

impl IpcError {
    /// An error of a given kind.
    pub fn new(kind: &str, message: impl Into<String>) -> Self {
        IpcError {
            kind: kind.into(),
            message: message.into(),
        }
    }
}

impl From<papersift_core::Error> for IpcError {
    fn from(e: papersift_core::Error) -> Self {
        IpcError::new(e.kind(), e.to_string())
    }
}

impl From<tauri::Error> for IpcError {
    fn from(e: tauri::Error) -> Self {
        IpcError::new("internal", e.to_string())
    }
}

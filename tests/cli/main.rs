//! End-to-end tests of the `papersift` CLI and the embedder, on the real model.
//!
//! The model is read from the cache `scripts/setup.sh` provisions (the same hub-cache
//! path fastembed uses for users); one test empties the cache and lets fastembed
//! download the model from a loopback hub.

#[path = "../common/mod.rs"]
mod common;

mod alerts;
mod durability;
mod embedding;
mod gpu_check;
mod lists;
mod mcp;
mod quality_guard;
mod query_syntax;
mod search;
mod setup_errors;
mod sources;
mod sync;
mod upgrades;
mod zotero;

use std::path::Path;
use std::process::{Command, Output};

/// The `papersift` binary on library `data`, on the CPU, with no `HF_HOME` override.
pub(crate) fn papersift(data: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_papersift"));
    c.arg("--data-dir")
        .arg(data)
        .env_remove("HF_HOME")
        .env("PAPERSIFT_EXECUTION_PROVIDER", "cpu");
    c
}

/// Runs a command that must succeed; fails the test with its stderr otherwise.
pub(crate) fn succeed(cmd: &mut Command) -> Output {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Runs a command that must fail with exit code 1 and one clear message (no panic)
/// pointing at the set-up script; returns that message.
pub(crate) fn fail_clearly(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.starts_with("error: "), "{err}");
    assert!(err.contains("run scripts/setup.sh"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    err
}

/// The ids of a `search --json` answer's results, in order.
pub(crate) fn result_ids(v: &serde_json::Value) -> Vec<String> {
    v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

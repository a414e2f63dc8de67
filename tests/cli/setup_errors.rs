//! The first-run path (model download) and what happens when set-up is missing.

use crate::common::{fixture, hub_server, model_snapshot};
use std::process::Command;

const MODEL_FILES: &[&str] = &[
    "model.onnx",
    "tokenizer.json",
    "config.json",
    "special_tokens_map.json",
    "tokenizer_config.json",
];

fn papersift() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_papersift"));
    c.env_remove("HF_HOME")
        .env("PAPERSIFT_EXECUTION_PROVIDER", "cpu");
    c
}

#[test]
fn first_run_downloads_the_model_from_the_hub() {
    let hub = hub_server(
        "Qdrant/all-MiniLM-L6-v2-onnx",
        &model_snapshot(),
        MODEL_FILES,
    );
    let data = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let out = papersift()
        .args(["--json", "--data-dir"])
        .arg(data.path())
        .arg("--model-cache")
        .arg(cache.path())
        .args([
            "import-corpus",
            fixture("scifact_mini/corpus.jsonl").to_str().unwrap(),
        ])
        .env("HF_ENDPOINT", hub.url())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["embedded"], 30);
    // Every model file was fetched from the loopback hub into the hub-layout cache.
    let requested = hub.requests();
    for f in MODEL_FILES {
        let path = format!("/Qdrant/all-MiniLM-L6-v2-onnx/resolve/main/{f}");
        assert!(
            requested.contains(&path),
            "{f} not requested: {requested:?}"
        );
    }
    let repo = cache.path().join("models--Qdrant--all-MiniLM-L6-v2-onnx");
    let rev = std::fs::read_to_string(repo.join("refs/main")).unwrap();
    let downloaded =
        std::fs::read(repo.join("snapshots").join(rev.trim()).join("model.onnx")).unwrap();
    assert_eq!(
        downloaded,
        std::fs::read(model_snapshot().join("model.onnx")).unwrap()
    );

    // The second run reads the cache and asks the hub nothing.
    let before = hub.requests().len();
    let out = papersift()
        .args(["--json", "--data-dir"])
        .arg(data.path())
        .arg("--model-cache")
        .arg(cache.path())
        .args(["search", "colorectal cancer metastases", "--k", "1"])
        .env("HF_ENDPOINT", hub.url())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(hub.requests().len(), before);
}

#[test]
fn missing_runtime_is_one_clear_sentence() {
    let data = tempfile::tempdir().unwrap();
    let out = papersift()
        .arg("--data-dir")
        .arg(data.path())
        .args(["search", "anything", "--mode", "dense"])
        .env("ORT_DYLIB_PATH", "/nonexistent/libonnxruntime.so")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("error: ONNX Runtime (libonnxruntime.so) was not found"),
        "{err}"
    );
    assert!(err.contains("run scripts/setup.sh"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    // Keyword search needs no model and still works.
    let out = papersift()
        .arg("--data-dir")
        .arg(data.path())
        .args(["search", "anything", "--mode", "keyword"])
        .env("ORT_DYLIB_PATH", "/nonexistent/libonnxruntime.so")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn missing_model_offline_says_what_to_run() {
    let data = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    // A closed loopback port stands in for "no network".
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let out = papersift()
        .arg("--data-dir")
        .arg(data.path())
        .arg("--model-cache")
        .arg(cache.path())
        .args(["search", "anything", "--mode", "dense"])
        .env("HF_ENDPOINT", format!("http://{closed}"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("the embedding model Qdrant/all-MiniLM-L6-v2-onnx is not in"),
        "{err}"
    );
    assert!(err.contains("run scripts/setup.sh"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

//! The first-run path (model download) and what happens when set-up is missing.

use crate::common::{
    fixture, hub_server, model_snapshot, DEFAULT_MODEL_FILES as MODEL_FILES,
    DEFAULT_MODEL_REPO as REPO,
};
use crate::{fail_clearly, papersift, succeed};

#[test]
fn first_run_downloads_the_model_from_the_hub() {
    let hub = hub_server(REPO, &model_snapshot(), MODEL_FILES);
    let data = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        succeed(
            papersift(data.path())
                .arg("--model-cache")
                .arg(cache.path())
                .args(args)
                .env("HF_ENDPOINT", hub.url()),
        )
    };
    let corpus = fixture("scifact_mini/corpus.jsonl");
    let out = run(&["--json", "import-corpus", corpus.to_str().unwrap()]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["embedded"], 30);
    // Every model file was fetched from the loopback hub into the hub-layout cache.
    let requested = hub.requests();
    for f in MODEL_FILES {
        let path = format!("/{REPO}/resolve/main/{f}");
        assert!(
            requested.contains(&path),
            "{f} not requested: {requested:?}"
        );
    }
    let repo = cache.path().join("models--Xenova--all-MiniLM-L6-v2");
    let rev = std::fs::read_to_string(repo.join("refs/main")).unwrap();
    let file = "onnx/model_quantized.onnx";
    let downloaded = std::fs::read(repo.join("snapshots").join(rev.trim()).join(file)).unwrap();
    assert_eq!(
        downloaded,
        std::fs::read(model_snapshot().join(file)).unwrap()
    );

    // The second run reads the cache and asks the hub nothing.
    let before = hub.requests().len();
    run(&["search", "colorectal cancer metastases", "--k", "1"]);
    assert_eq!(hub.requests().len(), before);
}

#[test]
fn missing_runtime_is_one_clear_sentence() {
    let data = tempfile::tempdir().unwrap();
    let no_runtime = "/nonexistent/libonnxruntime.so";
    let err = fail_clearly(
        papersift(data.path())
            .args(["search", "anything", "--mode", "dense"])
            .env("ORT_DYLIB_PATH", no_runtime),
    );
    assert!(
        err.starts_with("error: ONNX Runtime (libonnxruntime.so) was not found"),
        "{err}"
    );
    // Keyword search needs no model and still works.
    succeed(
        papersift(data.path())
            .args(["search", "anything", "--mode", "keyword"])
            .env("ORT_DYLIB_PATH", no_runtime),
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
    let err = fail_clearly(
        papersift(data.path())
            .arg("--model-cache")
            .arg(cache.path())
            .args(["search", "anything", "--mode", "dense"])
            .env("HF_ENDPOINT", format!("http://{closed}")),
    );
    assert!(
        err.contains("the embedding model Xenova/all-MiniLM-L6-v2 is not in"),
        "{err}"
    );
}

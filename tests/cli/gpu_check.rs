//! scripts/gpu_check.sh without a GPU: its CPU fallback embeds, compares and reports.

use crate::common::{fixture, model_cache, repo_root};
use serde_json::Value;

#[test]
fn the_gpu_check_falls_back_to_the_cpu_and_reports_agreement() {
    let out = std::process::Command::new("bash")
        .arg(repo_root().join("scripts/gpu_check.sh"))
        .arg(fixture("arxiv_sample_40.jsonl"))
        .env("PAPERSIFT_BIN", env!("CARGO_BIN_EXE_papersift"))
        .env("PAPERSIFT_MODEL_CACHE", model_cache())
        .env("GPU_CHECK_CPU_N", "40")
        // No NVIDIA tools on the path: the fallback, even on a machine that has them.
        .env("PATH", "/usr/bin:/bin")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("no GPU here"), "{stderr}");
    let last = String::from_utf8_lossy(&out.stdout)
        .lines()
        .last()
        .unwrap_or_default()
        .to_string();
    let v: Value = serde_json::from_str(&last).unwrap();
    assert_eq!(v["provider"], "cpu (no GPU)", "{v}");
    assert_eq!(
        (v["texts"].as_u64(), v["compared"].as_u64()),
        (Some(40), Some(40)),
        "{v}"
    );
    assert!(v["docs_per_s"].as_f64().unwrap() > 0.0, "{v}");
    // The same model on the same CPU: the same vectors.
    assert!(v["cosine_min"].as_f64().unwrap() >= 0.9999, "{v}");
    assert_eq!(v["agree"], true);
}

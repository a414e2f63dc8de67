//! The int8 model's quality guard, on a SciFact subset small enough for the suite: the
//! first 200 judged train queries over their 153 judged abstracts and 647 others
//! (tests/fixtures/scifact_guard). int8 may lose at most 0.005 nDCG@10 against fp32 in
//! meaning and hybrid search; keyword search does not depend on the model.
//! The full-train figures are in docs/benchmarks.md.

use crate::common::{fixture, model_cache};
use crate::{papersift, succeed};
use serde_json::Value;
use std::collections::HashMap;

fn ndcg_by_mode(data: &std::path::Path, model: &str) -> HashMap<String, f64> {
    let out = succeed(
        papersift(data)
            .args(["--json", "--model", model, "eval", "--beir"])
            .arg(fixture("scifact_guard"))
            .args(["--split", "train"])
            .env("PAPERSIFT_MODEL_CACHE", model_cache()),
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["documents"], 800, "{v}");
    v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            assert_eq!(r["metrics"]["queries"], 200, "{r}");
            (
                r["mode"].as_str().unwrap().to_string(),
                r["metrics"]["ndcg_at_10"].as_f64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn int8_keeps_retrieval_quality_within_the_guard() {
    let data = tempfile::tempdir().unwrap();
    let fp32 = ndcg_by_mode(data.path(), "all-MiniLM-L6-v2");
    let int8 = ndcg_by_mode(data.path(), "all-MiniLM-L6-v2-int8");
    eprintln!("nDCG@10 fp32 {fp32:?}\nnDCG@10 int8 {int8:?}");
    assert!(
        (fp32["keyword"] - int8["keyword"]).abs() < 1e-9,
        "{fp32:?} {int8:?}"
    );
    for mode in ["dense", "hybrid"] {
        assert!(
            int8[mode] >= fp32[mode] - 0.005,
            "{mode}: int8 {} against fp32 {}",
            int8[mode],
            fp32[mode]
        );
        // A real measurement, not an empty one.
        assert!(fp32[mode] > 0.5, "{mode}: {}", fp32[mode]);
    }
}

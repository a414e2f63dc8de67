//! `papersift` end to end: import a corpus, search it, evaluate on a BEIR set.

use crate::common::{fixture, model_cache};
use crate::{result_ids, succeed};
use serde_json::Value;
use std::path::Path;
use std::process::Output;

fn papersift(data: &Path, args: &[&str]) -> Output {
    succeed(
        crate::papersift(data)
            .args(args)
            .env("PAPERSIFT_MODEL_CACHE", model_cache()),
    )
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

#[test]
fn import_search_and_stats() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = fixture("arxiv_sample_40.jsonl");
    let corpus = corpus.to_str().unwrap();
    let report = json(&papersift(dir.path(), &["--json", "import-corpus", corpus]));
    assert_eq!(report["read"], 40);
    assert_eq!(report["inserted"], 40);
    assert_eq!(report["embedded"], 40);
    // Importing again changes nothing and embeds nothing.
    let again = json(&papersift(dir.path(), &["--json", "import-corpus", corpus]));
    assert_eq!(
        (
            again["inserted"].as_u64(),
            again["unchanged"].as_u64(),
            again["embedded"].as_u64()
        ),
        (Some(0), Some(40), Some(0))
    );

    let stats = json(&papersift(dir.path(), &["--json", "stats"]));
    assert_eq!(stats["papers"], 40);
    assert_eq!(stats["embedded"], 40);
    assert_eq!(stats["schema_version"], 14);

    // The map: every paper placed once, categories named; the second run reads the cache.
    let points = dir.path().join("map.jsonl");
    let map = json(&papersift(
        dir.path(),
        &["--json", "map", "--out", points.to_str().unwrap()],
    ));
    assert_eq!(
        (map["points"].as_u64(), map["layout"].as_str()),
        (Some(40), Some("computed"))
    );
    assert!(
        map["categories"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c == "cs.CV"),
        "{map}"
    );
    let lines: Vec<Value> = std::fs::read_to_string(&points)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 40);
    assert!(lines
        .iter()
        .all(|p| (0.0..=1.0).contains(&p["x"].as_f64().unwrap())));
    let cached = json(&papersift(dir.path(), &["--json", "map"]));
    assert_eq!(cached["layout"], "cached");

    // A paraphrase of one abstract (2503.11932, table structure recognition beyond English).
    let query =
        "recognizing the layout of tables in documents written in many scripts and languages";
    for mode in ["dense", "hybrid"] {
        let v = json(&papersift(
            dir.path(),
            &["--json", "search", query, "--mode", mode, "--k", "5"],
        ));
        let ids = result_ids(&v);
        assert_eq!(ids[0], "2503.11932", "mode {mode}: {ids:?}");
        assert_eq!(ids.len(), 5);
        assert!(v["results"][0]["title"]
            .as_str()
            .unwrap()
            .starts_with("SPRINT"));
        assert!(v["results"][0]["dense"].as_f64().unwrap() > 0.5);
    }
    let kw = json(&papersift(
        dir.path(),
        &[
            "--json",
            "search",
            "SPRINT table structure",
            "--mode",
            "keyword",
        ],
    ));
    assert_eq!(result_ids(&kw)[0], "2503.11932");
    assert!(kw["results"][0]["dense"].is_null());
    assert_eq!(kw["results"][0]["keyword_rank"], 1);

    // Filters: a category none of them has returns nothing.
    let none = json(&papersift(
        dir.path(),
        &["--json", "search", query, "--category", "astro-ph.GA"],
    ));
    assert!(none["results"].as_array().unwrap().is_empty());

    // Human output names the paper.
    let text = papersift(dir.path(), &["search", query, "--k", "3"]);
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.lines().next().unwrap().contains("SPRINT"), "{text}");
}

#[test]
fn queries_file_gives_json_lines() {
    let dir = tempfile::tempdir().unwrap();
    papersift(
        dir.path(),
        &[
            "import-corpus",
            fixture("scifact_mini/corpus.jsonl").to_str().unwrap(),
        ],
    );
    let out = papersift(
        dir.path(),
        &[
            "search",
            "--queries",
            fixture("scifact_mini/queries_train.jsonl")
                .to_str()
                .unwrap(),
            "--k",
            "3",
        ],
    );
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 6);
    assert_eq!(lines[0]["query_id"], "0");
    assert_eq!(lines[0]["results"].as_array().unwrap().len(), 3);
    // Query 10 (4-PBA and ER stress) finds its judged abstract first.
    let q10 = lines.iter().find(|l| l["query_id"] == "10").unwrap();
    assert_eq!(q10["results"][0]["id"], "32587939");
}

#[test]
fn beir_eval_reports_metrics_per_mode() {
    let dir = tempfile::tempdir().unwrap();
    let out = papersift(
        dir.path(),
        &[
            "--json",
            "eval",
            "--beir",
            fixture("scifact_mini").to_str().unwrap(),
            "--split",
            "train",
        ],
    );
    let v = json(&out);
    assert_eq!(v["documents"], 30);
    let rows = v["results"].as_array().unwrap();
    let modes: Vec<&str> = rows.iter().map(|r| r["mode"].as_str().unwrap()).collect();
    assert_eq!(modes, vec!["keyword", "dense", "hybrid", "hybrid-rrf"]);
    for row in rows {
        let m = &row["metrics"];
        assert_eq!(m["queries"], 6);
        // 30 documents: meaning search reaches every judged document within the top 100;
        // one query shares no word with its document, so keywords alone miss it.
        if row["mode"] == "keyword" {
            assert!(
                (m["recall_at_100"].as_f64().unwrap() - 5.0 / 6.0).abs() < 1e-9,
                "{row}"
            );
        } else {
            assert_eq!(m["recall_at_100"], 1.0, "{row}");
        }
        let ndcg = m["ndcg_at_10"].as_f64().unwrap();
        assert!(ndcg > 0.5 && ndcg <= 1.0, "{row}");
    }
    // The evaluation library lives apart from the user's.
    assert!(dir
        .path()
        .join("eval/scifact_mini/library.sqlite3")
        .is_file());
    assert!(!dir.path().join("library.sqlite3").exists());
}

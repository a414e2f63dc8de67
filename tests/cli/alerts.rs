//! Alerts end to end: rules on a list and a saved search, a sync that brings matching
//! papers, the matches recorded once, shown unseen first, and the coalesced summary.

use crate::common::{fixture, hf_daily_items, model_cache, FixtureServer, Route};
use crate::{papersift, succeed};
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

fn cli(data: &Path, server: &FixtureServer, args: &[&str]) -> Command {
    let mut c = papersift(data);
    c.args(args)
        .env("PAPERSIFT_MODEL_CACHE", model_cache())
        .env("PAPERSIFT_HF_URL", server.url());
    c
}

fn json(cmd: &mut Command) -> Value {
    serde_json::from_slice(&succeed(cmd).stdout).unwrap()
}

#[test]
fn a_sync_alerts_once_per_rule_with_one_summary() {
    let data = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture("arxiv_sample_40.jsonl")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let papers: Vec<Value> = lines
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // The library holds the first 30 papers; the sync brings the last 10.
    let first = data.path().join("first30.jsonl");
    std::fs::write(&first, lines[..30].join("\n")).unwrap();
    let server = FixtureServer::start(HashMap::from([(
        "/api/daily_papers".to_string(),
        Route::ok(hf_daily_items(&papers[30..], "2026-08-12")),
    )]));
    succeed(&mut cli(
        data.path(),
        &server,
        &["import-corpus", &first.display().to_string()],
    ));
    // A list of three library papers, and a saved search worded like a new paper's title.
    let ids: Vec<&str> = papers[..3]
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    let list = data.path().join("mine.md");
    std::fs::write(
        &list,
        ids.iter()
            .map(|i| format!("- arXiv:{i}\n"))
            .collect::<String>(),
    )
    .unwrap();
    succeed(&mut cli(
        data.path(),
        &server,
        &["import", &list.display().to_string(), "--offline"],
    ));
    let target = papers[35]["title"].as_str().unwrap().to_string();
    succeed(&mut cli(
        data.path(),
        &server,
        &["alert-add", "--list", "mine", "--threshold", "0.9"],
    ));
    succeed(&mut cli(
        data.path(),
        &server,
        &[
            "alert-add",
            "--search",
            &target,
            "--name",
            "watch",
            "--threshold",
            "0.95",
        ],
    ));
    let rules = json(&mut cli(
        data.path(),
        &server,
        &["--json", "alerts", "--rules"],
    ));
    assert_eq!(rules.as_array().unwrap().len(), 2, "{rules}");

    let sync = |args: &[&str]| {
        cli(
            data.path(),
            &server,
            &[
                &[
                    "sync",
                    "--source",
                    "hf",
                    "--days",
                    "1",
                    "--today",
                    "2026-08-12",
                ],
                args,
            ]
            .concat(),
        )
        .output()
        .unwrap()
    };
    let out = sync(&["--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["sources"][0]["new"], 10, "{report}");
    let alerts = report["alerts"].as_array().unwrap();
    let watch = alerts
        .iter()
        .find(|a| a["name"] == "watch")
        .expect("the saved search matched");
    assert!(!watch["papers"].as_array().unwrap().is_empty());
    // A threshold is a standing: the list's top 10% of the 37 papers outside it are 4.
    let mine_n = alerts
        .iter()
        .find(|a| a["name"] == "mine")
        .map_or(0, |a| a["papers"].as_array().unwrap().len());
    assert!(mine_n <= 4, "{report}");

    // The matches: only new papers, each at or above its rule's standing, unseen.
    let matches = json(&mut cli(data.path(), &server, &["--json", "alerts"]));
    let matches = matches.as_array().unwrap();
    let new_ids: Vec<&str> = papers[30..]
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    for m in matches {
        assert!(
            new_ids.contains(&m["paper"]["arxivId"].as_str().unwrap()),
            "{m}"
        );
        let floor = if m["ruleName"] == "watch" { 0.95 } else { 0.9 };
        assert!(m["score"].as_f64().unwrap() >= floor - 1e-6, "{m}");
        assert_eq!(m["seen"], false);
    }
    // The saved search worded like a new paper's title puts it first: standing 1.
    assert!(matches.iter().any(|m| m["ruleName"] == "watch"
        && m["paper"]["title"] == target.as_str()
        && (m["score"].as_f64().unwrap() - 1.0).abs() < 1e-6));

    // Syncing again brings nothing new and alerts nothing again.
    let again: Value = serde_json::from_slice(&sync(&["--json"]).stdout).unwrap();
    assert_eq!(again["alerts"], serde_json::json!([]), "{again}");
    assert_eq!(
        json(&mut cli(data.path(), &server, &["--json", "alerts"]))
            .as_array()
            .unwrap()
            .len(),
        matches.len()
    );

    // The preview shows what the list would have matched this week, best first: its top
    // 4, and the sync alerted exactly the new papers among them.
    let preview = json(&mut cli(
        data.path(),
        &server,
        &[
            "--json",
            "alert-add",
            "--list",
            "mine",
            "--threshold",
            "0.9",
            "--preview",
        ],
    ));
    let previewed = preview["matches"].as_array().unwrap();
    let scores: Vec<f64> = previewed
        .iter()
        .map(|m| m["score"].as_f64().unwrap())
        .collect();
    assert_eq!(scores.len(), 4, "{preview}");
    assert!(
        (scores[0] - 1.0).abs() < 1e-6 && scores.windows(2).all(|w| w[0] > w[1]),
        "{preview}"
    );
    let mut expected: Vec<&str> = previewed
        .iter()
        .map(|m| m["paper"]["arxivId"].as_str().unwrap())
        .filter(|id| new_ids.contains(id))
        .collect();
    let mut alerted: Vec<&str> = matches
        .iter()
        .filter(|m| m["ruleName"] == "mine")
        .map(|m| m["paper"]["arxivId"].as_str().unwrap())
        .collect();
    expected.sort_unstable();
    alerted.sort_unstable();
    assert_eq!(alerted, expected, "{preview}");
    assert_eq!(alerted.len(), mine_n);

    succeed(&mut cli(data.path(), &server, &["alerts", "--seen"]));
    let seen = json(&mut cli(data.path(), &server, &["--json", "alerts"]));
    assert!(seen.as_array().unwrap().iter().all(|m| m["seen"] == true));
}

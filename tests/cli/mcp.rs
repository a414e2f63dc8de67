//! `papersift mcp` driven by a real MCP client, the official Python SDK (PyPI `mcp`,
//! installed by scripts/setup.sh into .deps/venv): initialize, list the tools, call
//! each on a library of real papers, a bad argument gets an MCP error, and the write
//! tools are refused until `--allow-writes`.

use crate::common::{fixture, model_cache, repo_root};
use crate::{papersift, succeed};
use serde_json::{json, Value};
use std::path::Path;
use std::process::Command;

/// Runs the Python client against the server on `data` with `calls`; its report.
fn drive(data: &Path, calls: Value, extra: &[&str]) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("calls.json");
    std::fs::write(&file, calls.to_string()).unwrap();
    let python = repo_root().join(".deps/venv/bin/python");
    assert!(
        python.is_file(),
        "{} is missing: run scripts/setup.sh",
        python.display()
    );
    let out = Command::new(python)
        .arg(repo_root().join("tests/cli/mcp/client.py"))
        .arg(env!("CARGO_BIN_EXE_papersift"))
        .arg(data)
        .arg(&file)
        .args(extra)
        .env("PAPERSIFT_MODEL_CACHE", model_cache())
        .env("PAPERSIFT_EXECUTION_PROVIDER", "cpu")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the MCP client failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A call's JSON answer.
fn answer(report: &Value, i: usize) -> Value {
    let call = &report["calls"][i];
    assert_eq!(call["isError"], false, "call {i}: {call}");
    serde_json::from_str(
        call["ok"][0]
            .as_str()
            .unwrap_or_else(|| panic!("call {i}: {call}")),
    )
    .unwrap()
}

fn keys(v: &Value) -> Vec<&str> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|p| p["key"].as_str().unwrap())
        .collect()
}

#[test]
fn an_mcp_client_searches_reads_and_writes_only_when_allowed() {
    let data = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let mut c = papersift(data.path());
        c.args(args).env("PAPERSIFT_MODEL_CACHE", model_cache());
        succeed(&mut c)
    };
    run(&[
        "import-corpus",
        &fixture("arxiv_sample_40.jsonl").display().to_string(),
    ]);
    let ids = data.path().join("Table papers.txt");
    std::fs::write(&ids, "2503.11932\n2503.11935\n").unwrap();
    run(&["import", "--offline", &ids.display().to_string()]);

    let report = drive(
        data.path(),
        json!([
            ["search", { "query": "recognizing the structure of tables in documents", "k": 3 }],
            ["search", { "query": "recognition", "k": 50, "category": "cs.CR" }],
            ["get_paper", { "key": "2503.11932" }],
            ["similar", { "key": "2503.11932", "k": 3 }],
            ["lists", {}],
            ["list_papers", { "list": "Table papers" }],
            ["recommend", { "list": "Table papers", "k": 5 }],
            ["today", { "day": "2025-03-18", "order": "newest", "k": 5 }],
            ["search", { "query": "tables", "mode": "sideways" }],
            ["get_paper", {}],
            ["list_papers", { "list": "No such list" }],
            ["add_to_list", { "list": "Table papers", "paper": "2503.11978" }],
        ]),
        &[],
    );
    assert_eq!(report["server"], "papersift", "{report}");
    assert!(report["instructions"]
        .as_str()
        .unwrap()
        .contains("read-only"));
    assert_eq!(
        report["tools"],
        json!([
            "get_paper",
            "list_papers",
            "lists",
            "recommend",
            "search",
            "similar",
            "today"
        ])
    );
    // search: by meaning and keywords; filters hold.
    let hits = answer(&report, 0)["results"].clone();
    assert_eq!(keys(&hits)[0], "2503.11932", "{hits}");
    assert_eq!(hits.as_array().unwrap().len(), 3);
    let cr = answer(&report, 1)["results"].clone();
    assert!(!cr.as_array().unwrap().is_empty(), "{cr}");
    assert!(
        cr.as_array().unwrap().iter().all(|p| p["categories"]
            .as_array()
            .unwrap()
            .contains(&json!("cs.CR"))),
        "{cr}"
    );
    // get_paper: the whole abstract.
    let p = answer(&report, 2);
    assert_eq!(
        p["title"],
        "SPRINT: Script-agnostic Structure Recognition in Tables"
    );
    assert!(p["abstract"].as_str().unwrap().len() > 400, "{p}");
    // similar: three others.
    let near = answer(&report, 3)["results"].clone();
    assert_eq!(near.as_array().unwrap().len(), 3);
    assert!(!keys(&near).contains(&"2503.11932"));
    // lists and their papers.
    let lists = answer(&report, 4);
    assert_eq!(lists[0]["name"], "Table papers", "{lists}");
    assert_eq!(lists[0]["resolved"], 2);
    let mut in_list = keys(&answer(&report, 5)["papers"])
        .into_iter()
        .map(String::from)
        .collect::<Vec<_>>();
    in_list.sort();
    assert_eq!(in_list, ["2503.11932", "2503.11935"]);
    // recommend: five papers not in the list, each with why.
    let recs = answer(&report, 6)["recommendations"].clone();
    assert_eq!(recs.as_array().unwrap().len(), 5, "{recs}");
    assert!(keys(&recs).iter().all(|k| !in_list.iter().any(|l| l == k)));
    // today: that day's papers.
    let day = answer(&report, 7);
    assert_eq!(
        (day["from"].as_str(), day["to"].as_str()),
        (Some("2025-03-18"), Some("2025-03-18"))
    );
    let papers = day["papers"].as_array().unwrap();
    assert_eq!(papers.len(), 5);
    assert!(papers
        .iter()
        .all(|p| p["published"].as_str().unwrap().starts_with("2025-03-18")));
    // Bad arguments are MCP errors that say what is wrong.
    let bad = &report["calls"][8];
    assert_eq!(bad["code"], -32602, "{bad}");
    assert!(
        bad["error"]
            .as_str()
            .unwrap()
            .contains("use hybrid, dense or keyword"),
        "{bad}"
    );
    // A missing argument fails the call as a tool error the assistant can read.
    let missing = &report["calls"][9];
    assert_eq!(missing["isError"], true, "{missing}");
    assert!(
        missing["ok"][0]
            .as_str()
            .unwrap()
            .contains("missing field `key`"),
        "{missing}"
    );
    let no_list = &report["calls"][10];
    assert!(
        no_list["error"]
            .as_str()
            .unwrap()
            .contains("there is no reading list “No such list”"),
        "{no_list}"
    );
    // A write is refused by a read-only server, and changes nothing.
    let refused = &report["calls"][11];
    assert!(
        refused["error"]
            .as_str()
            .unwrap()
            .contains("--allow-writes"),
        "{refused}"
    );

    let report = drive(
        data.path(),
        json!([
            ["add_to_list", { "list": "Table papers", "paper": "2503.11978" }],
            ["rate", { "paper": "2503.11978", "rating": "up" }],
            ["rate", { "paper": "2503.11978", "rating": "sideways" }],
            ["list_papers", { "list": "Table papers" }],
        ]),
        &["--allow-writes"],
    );
    assert!(
        report["tools"]
            .as_array()
            .unwrap()
            .contains(&json!("add_to_list")),
        "{report}"
    );
    assert!(report["tools"].as_array().unwrap().contains(&json!("rate")));
    assert_eq!(answer(&report, 0)["added"], "2503.11978");
    assert_eq!(answer(&report, 1)["rated"], "2503.11978");
    assert_eq!(report["calls"][2]["code"], -32602, "{report}");
    assert_eq!(answer(&report, 3)["papers"].as_array().unwrap().len(), 3);
    // The CLI sees what the assistant did.
    let mut c = papersift(data.path());
    c.args(["--json", "export-ratings"]);
    let ratings: Value = serde_json::from_slice(&succeed(&mut c).stdout).unwrap();
    assert!(ratings.to_string().contains("2503.11978"), "{ratings}");
}

//! `papersift sync --source NAME` for the sources beyond arXiv and Hugging Face, against
//! a loopback server replaying their recorded responses: what is stored and embedded,
//! a sync killed mid-way and resumed, and one paper arriving from several sources.

use crate::common::{fixture, model_cache, FixtureServer, Route};
use crate::{papersift, succeed};
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn recorded(name: &str) -> Vec<u8> {
    std::fs::read(fixture(&format!("sources/{name}"))).unwrap()
}

const NO_POSTS: &str = r#"{"messages":[{"status":"no posts found"}],"collection":[]}"#;

fn details(server: &str, day: &str, cursor: usize) -> String {
    format!("/details/{server}/{day}/{day}/{cursor}")
}

/// Three days to "today" 2026-08-12. bioRxiv: nothing on 08-10; on 08-11 a full page
/// (recorded 2024 page, 100 records) and a second one (3 records); nothing today.
/// medRxiv: one full page on 08-11, then "no posts found".
fn preprint_routes(slow_second_page: bool) -> HashMap<String, Vec<Route>> {
    let mut second = vec![Route::ok(recorded("research_bot_biorxiv_details.json"))];
    if slow_second_page {
        second.insert(
            0,
            Route {
                delay: Duration::from_secs(60),
                ..Route::ok(NO_POSTS)
            },
        );
    }
    HashMap::from([
        (
            details("biorxiv", "2026-08-10", 0),
            vec![Route::ok(NO_POSTS)],
        ),
        (
            details("biorxiv", "2026-08-11", 0),
            vec![Route::ok(recorded(
                "fastpaper_biorxiv_details_2024_cursor0.json",
            ))],
        ),
        (details("biorxiv", "2026-08-11", 100), second),
        (
            details("biorxiv", "2026-08-12", 0),
            vec![Route::ok(NO_POSTS)],
        ),
        (
            details("medrxiv", "2026-08-10", 0),
            vec![Route::ok(NO_POSTS)],
        ),
        (
            details("medrxiv", "2026-08-11", 0),
            vec![Route::ok(recorded(
                "fastpaper_medrxiv_details_2024_cursor0.json",
            ))],
        ),
        (
            details("medrxiv", "2026-08-11", 100),
            vec![Route::ok(NO_POSTS)],
        ),
        (
            details("medrxiv", "2026-08-12", 0),
            vec![Route::ok(NO_POSTS)],
        ),
    ])
}

fn sync_cmd(data: &Path, server: &FixtureServer, source: &str) -> Command {
    let mut c = papersift(data);
    c.args([
        "--json",
        "sync",
        "--source",
        source,
        "--days",
        "3",
        "--biorxiv-subjects",
        "Neuroscience",
        "--medrxiv-subjects",
        "epidemiology",
        "--today",
        "2026-08-12",
    ])
    .env("PAPERSIFT_MODEL_CACHE", model_cache())
    .envs(server.source_env())
    .env("PAPERSIFT_HTTP_TIMEOUT_MS", "120000");
    c
}

fn sync(data: &Path, server: &FixtureServer, source: &str) -> Value {
    serde_json::from_slice(&succeed(&mut sync_cmd(data, server, source)).stdout).unwrap()
}

fn report_of<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["source"] == name)
        .unwrap_or_else(|| panic!("no {name} in {report}"))
}

fn count(data: &Path, sql: &str) -> i64 {
    let db = rusqlite::Connection::open(data.join(papersift_core::config::DB_FILE)).unwrap();
    db.query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn biorxiv_and_medrxiv_store_embed_and_resume_after_a_kill() {
    let data = tempfile::tempdir().unwrap();
    let server = FixtureServer::start_scripted(preprint_routes(true));
    succeed(papersift(data.path()).arg("stats"));

    // Killed while waiting for bioRxiv's second page of 08-11: the first page is kept.
    let mut child = sync_cmd(data.path(), &server, "biorxiv")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let second = details("biorxiv", "2026-08-11", 100);
    while !server.requests().contains(&second) {
        assert!(start.elapsed() < Duration::from_secs(120), "never asked");
        assert!(child.try_wait().unwrap().is_none(), "the sync ended early");
        std::thread::sleep(Duration::from_millis(50));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    // 27 neuroscience records of page 1 are 18 preprints (one record per version).
    assert_eq!(count(data.path(), "SELECT count(*) FROM papers"), 18);
    assert_eq!(
        count(
            data.path(),
            "SELECT count(*) FROM sync_state WHERE source = 'biorxiv' AND cursor IS NOT NULL"
        ),
        1,
        "08-10 was complete"
    );

    // The next run asks only what was not finished, and completes it.
    let before = server.requests().len();
    let report = sync(data.path(), &server, "biorxiv");
    let asked = server.requests()[before..].to_vec();
    assert_eq!(
        asked,
        [
            details("biorxiv", "2026-08-11", 0),
            second.clone(),
            details("biorxiv", "2026-08-12", 0)
        ]
    );
    let b = report_of(&report, "biorxiv");
    assert_eq!(
        (b["new"].as_u64(), b["error"].is_null()),
        (Some(2), true),
        "{report}"
    );
    assert_eq!(count(data.path(), "SELECT count(*) FROM papers"), 20);
    assert_eq!(
        count(data.path(), "SELECT count(*) FROM embeddings"),
        20,
        "every preprint is embedded"
    );

    // medRxiv, its subject only; then both again: nothing new, nothing twice.
    let report = sync(data.path(), &server, "medrxiv");
    assert_eq!(report_of(&report, "medrxiv")["new"], 8, "{report}");
    let report = sync(data.path(), &server, "all");
    for s in ["biorxiv", "medrxiv"] {
        assert_eq!(report_of(&report, s)["new"], 0, "{report}");
    }
    assert_eq!(count(data.path(), "SELECT count(*) FROM papers"), 28);
    assert_eq!(
        count(
            data.path(),
            "SELECT count(DISTINCT doi) FROM papers WHERE doi IS NOT NULL"
        ),
        28
    );

    // Found by meaning, filtered by source, shown with its DOI.
    let out = succeed(
        papersift(data.path())
            .args([
                "--json",
                "search",
                "vaccination coverage and disease incidence",
                "--source",
                "medrxiv",
                "--k",
                "3",
            ])
            .env("PAPERSIFT_MODEL_CACHE", model_cache()),
    );
    let hits: Value = serde_json::from_slice(&out.stdout).unwrap();
    let results = hits["results"].as_array().unwrap();
    assert!(!results.is_empty(), "{hits}");
    assert!(
        results
            .iter()
            .all(|h| h["id"].as_str().unwrap().starts_with("doi:10.1101/")),
        "{hits}"
    );
}

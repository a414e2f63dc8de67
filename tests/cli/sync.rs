//! `papersift sync` against a loopback server replaying recorded Hugging Face and arXiv
//! responses, with faults injected: what is stored, the sync state and the report.

use crate::common::{fixture, model_cache, FixtureServer, Route};
use crate::{papersift, succeed};
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;

fn daily(date: &str) -> String {
    format!("/api/daily_papers?date={date}&p=0&limit=100")
}

const FEED: &str = "/atom/cs.LG+cs.CL";

fn recorded(name: &str) -> Vec<u8> {
    std::fs::read(fixture(&format!("sources/{name}"))).unwrap()
}

/// The three days before "today" 2026-08-12: the recorded Daily Papers page on 08-11,
/// nothing on the others; the recorded arXiv listing feed.
fn normal_routes() -> HashMap<String, Vec<Route>> {
    HashMap::from([
        (daily("2026-08-10"), vec![Route::ok("[]")]),
        (
            daily("2026-08-11"),
            vec![Route::ok(recorded("hf_api_daily_papers_sample.json"))],
        ),
        (daily("2026-08-12"), vec![Route::ok("[]")]),
        (
            FEED.to_string(),
            vec![Route::ok(recorded(
                "arxiv_atom_listing_from_official_spec.xml",
            ))],
        ),
    ])
}

fn sync(data: &Path, server: &FixtureServer, days: &str) -> Value {
    let out = succeed(
        papersift(data)
            .args([
                "--json",
                "sync",
                "--days",
                days,
                "--categories",
                "cs.LG,cs.CL",
                "--today",
                "2026-08-12",
            ])
            .env("PAPERSIFT_MODEL_CACHE", model_cache())
            .envs(server.source_env())
            .env("PAPERSIFT_HTTP_TIMEOUT_MS", "1500")
            .env("PAPERSIFT_HTTP_BACKOFF_MS", "20"),
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn source<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["source"] == name)
        .unwrap()
}

fn stats(data: &Path) -> Value {
    serde_json::from_slice(
        &succeed(
            papersift(data)
                .args(["--json", "stats"])
                .env("PAPERSIFT_MODEL_CACHE", model_cache()),
        )
        .stdout,
    )
    .unwrap()
}

#[test]
fn sync_stores_embeds_and_resumes() {
    let data = tempfile::tempdir().unwrap();
    let server = FixtureServer::start_scripted(normal_routes());
    let report = sync(data.path(), &server, "3");
    let hf = source(&report, "hf");
    assert_eq!(
        (
            hf["new"].as_u64(),
            hf["requests"].as_u64(),
            hf["error"].is_null()
        ),
        (Some(2), Some(3), true),
        "{report}"
    );
    let ax = source(&report, "arxiv");
    assert_eq!(
        (ax["new"].as_u64(), ax["error"].is_null()),
        (Some(1), true),
        "{report}"
    );
    assert_eq!(report["embedded"], 3);
    let s = stats(data.path());
    assert_eq!(
        (s["papers"].as_u64(), s["embedded"].as_u64()),
        (Some(3), Some(3))
    );

    // Searchable at once, by meaning.
    let out = succeed(
        papersift(data.path())
            .args([
                "--json",
                "search",
                "a small model that reasons in a latent space on ARC puzzles",
                "--k",
                "1",
            ])
            .env("PAPERSIFT_MODEL_CACHE", model_cache()),
    );
    let hits: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(hits["results"][0]["id"], "2608.09888");

    // Re-run: finished days are not fetched again; today is; nothing is duplicated.
    let before = server.requests().len();
    let again = sync(data.path(), &server, "3");
    let fetched: Vec<String> = server.requests()[before..].to_vec();
    assert_eq!(fetched, vec![daily("2026-08-12"), FEED.to_string()]);
    assert_eq!(source(&again, "hf")["new"], 0);
    assert_eq!(source(&again, "arxiv")["new"], 0);
    assert_eq!(again["embedded"], 0);
    assert_eq!(stats(data.path())["papers"], 3);
}

#[test]
fn faults_are_reported_and_nothing_is_lost() {
    let data = tempfile::tempdir().unwrap();
    // First a clean sync.
    sync(
        data.path(),
        &FixtureServer::start_scripted(normal_routes()),
        "3",
    );

    let mut routes = normal_routes();
    // 429 once, honoured, then the page: the day still syncs.
    routes.insert(
        daily("2026-08-12"),
        vec![
            Route {
                headers: vec![("retry-after".into(), "1".into())],
                ..Route::status(429)
            },
            Route::ok(recorded("hf_api_daily_papers_sample.json")),
        ],
    );
    // The listing feed fails with 503 every time: arXiv reports an error.
    routes.insert(FEED.to_string(), vec![Route::status(503)]);
    let server = FixtureServer::start_scripted(routes);
    let report = sync(data.path(), &server, "3");
    let hf = source(&report, "hf");
    assert!(hf["error"].is_null(), "{report}");
    assert_eq!(
        server
            .requests()
            .iter()
            .filter(|r| **r == daily("2026-08-12"))
            .count(),
        2
    );
    let ax = source(&report, "arxiv");
    assert_eq!(
        ax["error"],
        format!("HTTP 503 from {}{FEED}", server.url()),
        "{report}"
    );
    assert_eq!(
        server.requests().iter().filter(|r| *r == FEED).count(),
        4,
        "first try + 3 retries"
    );
    assert_eq!(
        stats(data.path())["papers"],
        3,
        "nothing already stored is lost"
    );

    // Truncated and malformed bodies, and an item missing fields.
    let mut bad_item: Vec<Value> =
        serde_json::from_slice(&recorded("hf_api_daily_papers_sample.json")).unwrap();
    bad_item.push(serde_json::json!({ "paper": { "title": "no id" } }));
    let routes = HashMap::from([
        (
            daily("2026-08-12"),
            vec![Route {
                truncate: true,
                ..Route::ok(recorded("hf_api_daily_papers_sample.json"))
            }],
        ),
        (
            FEED.to_string(),
            vec![Route::ok("<feed><entry><id>x</entry></feed>")],
        ),
    ]);
    let server = FixtureServer::start_scripted(routes);
    let report = sync(data.path(), &server, "3");
    let hf_err = source(&report, "hf")["error"].as_str().unwrap().to_string();
    assert!(hf_err.contains("was cut off"), "{hf_err}");
    let ax_err = source(&report, "arxiv")["error"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(ax_err.contains("not valid Atom XML"), "{ax_err}");
    assert_eq!(stats(data.path())["papers"], 3);

    let server = FixtureServer::start_scripted(HashMap::from([
        (
            daily("2026-08-12"),
            vec![Route::ok(serde_json::to_vec(&bad_item).unwrap())],
        ),
        (
            FEED.to_string(),
            vec![Route::ok(recorded(
                "arxiv_atom_listing_from_official_spec.xml",
            ))],
        ),
    ]));
    let report = sync(data.path(), &server, "3");
    let hf = source(&report, "hf");
    assert!(hf["error"].is_null());
    assert_eq!(
        hf["skipped"],
        serde_json::json!(["2026-08-12: item 3: item without paper.id"])
    );
    assert_eq!(
        hf["updated"], 0,
        "the good items were kept (already stored, unchanged)"
    );
}

#[test]
fn offline_and_timeouts() {
    let data = tempfile::tempdir().unwrap();
    // Nothing listens: offline, quietly.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let out = succeed(
        papersift(data.path())
            .args(["sync", "--days", "1", "--today", "2026-08-12"])
            .env("PAPERSIFT_MODEL_CACHE", model_cache())
            .env("PAPERSIFT_HF_URL", format!("http://{closed}"))
            .env("PAPERSIFT_ARXIV_FEED_URL", format!("http://{closed}/atom")),
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("hf       offline, skipped"), "{text}");
    assert!(text.contains("arxiv    offline, skipped"), "{text}");
    assert!(
        out.stderr.is_empty(),
        "no noise: {}",
        String::from_utf8_lossy(&out.stderr)
    );

    // A server slower than the timeout: retried, then reported.
    let slow = Route {
        delay: std::time::Duration::from_millis(2500),
        ..Route::ok("[]")
    };
    let server = FixtureServer::start_scripted(HashMap::from([
        (daily("2026-08-12"), vec![slow]),
        (
            FEED.to_string(),
            vec![Route::ok(recorded(
                "arxiv_atom_listing_from_official_spec.xml",
            ))],
        ),
    ]));
    let report = sync(data.path(), &server, "1");
    assert!(
        source(&report, "hf")["error"]
            .as_str()
            .unwrap()
            .starts_with("timed out waiting for"),
        "{report}"
    );
    assert_eq!(
        source(&report, "arxiv")["new"],
        1,
        "one source failing does not stop the other"
    );
}

/// An arXiv Atom listing feed in the shape of arXiv's published spec (see
/// `tests/fixtures/sources/arxiv_atom_listing_from_official_spec.xml`).
fn listing_feed(entries: &[(&str, &str, &str, &str)]) -> String {
    let mut xml = String::from(
        r#"<?xml version='1.0' encoding='UTF-8'?><feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/"><title>cs.LG updates on arXiv.org</title>"#,
    );
    for (id, title, abs, kind) in entries {
        xml.push_str(&format!(
            "<entry><id>oai:arXiv.org:{id}</id><title>{title}</title><summary>arXiv:{id} Announce Type: {kind} \nAbstract: {abs}</summary><category term=\"cs.LG\"/><published>2026-08-12T00:00:00-04:00</published><arxiv:announce_type>{kind}</arxiv:announce_type><dc:creator>Björn Engdahl, Adrian Kosowski</dc:creator></entry>"
        ));
    }
    xml.push_str("</feed>");
    xml
}

#[test]
fn both_sources_merge_and_new_versions_update() {
    let data = tempfile::tempdir().unwrap();
    let daily: Vec<Value> =
        serde_json::from_slice(&recorded("hf_api_daily_papers_sample.json")).unwrap();
    let title = daily[0]["paper"]["title"].as_str().unwrap().to_string();
    let abs = daily[0]["paper"]["summary"]
        .as_str()
        .unwrap()
        .replace('&', "&amp;")
        .replace('<', "&lt;");
    let serve = |feed: String| {
        let mut routes = normal_routes();
        routes.insert(FEED.to_string(), vec![Route::ok(feed)]);
        FixtureServer::start_scripted(routes)
    };
    // The Daily Papers paper 2608.09888 also arrives in the arXiv listing: one row.
    let r = sync(
        data.path(),
        &serve(listing_feed(&[("2608.09888v1", &title, &abs, "new")])),
        "3",
    );
    assert_eq!(source(&r, "hf")["new"], 2);
    assert_eq!(
        (
            source(&r, "arxiv")["new"].as_u64(),
            source(&r, "arxiv")["updated"].as_u64()
        ),
        (Some(0), Some(1)),
        "{r}"
    );
    assert_eq!(stats(data.path())["papers"], 2);
    let out = succeed(
        papersift(data.path())
            .args([
                "--json",
                "search",
                "BDH-CQ recurrent latent reasoning",
                "--mode",
                "keyword",
                "--k",
                "1",
            ])
            .env("PAPERSIFT_MODEL_CACHE", model_cache()),
    );
    let hit: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(hit["results"][0]["id"], "2608.09888");

    // A replacement with the same text: the row updates, nothing is re-embedded.
    let r = sync(
        data.path(),
        &serve(listing_feed(&[("2608.09888v2", &title, &abs, "replace")])),
        "3",
    );
    assert_eq!(source(&r, "arxiv")["updated"], 1, "{r}");
    assert_eq!(r["embedded"], 0);
    // A replacement with a new abstract is re-embedded.
    let r = sync(
        data.path(),
        &serve(listing_feed(&[(
            "2608.09888v3",
            &title,
            "A rewritten abstract about latent reasoning.",
            "replace",
        )])),
        "3",
    );
    assert_eq!(source(&r, "arxiv")["updated"], 1);
    assert_eq!(r["embedded"], 1);
    assert_eq!(stats(data.path())["papers"], 2);
}

/// The decoded `search_query` parameter of a recorded request path.
fn search_query(request: &str) -> String {
    let raw = request
        .split(['?', '&'])
        .find_map(|kv| kv.strip_prefix("search_query="))
        .unwrap_or_default();
    let mut bytes = Vec::new();
    let mut it = raw.bytes();
    while let Some(b) = it.next() {
        match b {
            b'+' => bytes.push(b' '),
            b'%' => {
                let hex = [it.next().unwrap(), it.next().unwrap()];
                let hex = std::str::from_utf8(&hex).unwrap();
                bytes.push(u8::from_str_radix(hex, 16).unwrap());
            }
            _ => bytes.push(b),
        }
    }
    String::from_utf8(bytes).unwrap()
}

#[test]
fn settings_drive_sync_and_the_gap_since_the_last_sync_is_filled() {
    let data = tempfile::tempdir().unwrap();
    let set = succeed(papersift(data.path()).args([
        "--json",
        "settings",
        "--sources",
        "arxiv",
        "--categories",
        "cs.LG, cs.CL",
        "--backfill-days",
        "3",
    ]));
    let set: Value = serde_json::from_slice(&set.stdout).unwrap();
    assert_eq!(
        set["sync"]["categories"],
        serde_json::json!(["cs.LG", "cs.CL"])
    );
    assert_eq!(set["sync"]["hf"], false);
    // A bad category is refused and the stored settings stay.
    let bad = papersift(data.path())
        .args(["settings", "--categories", "cs.LG;rm"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("is not an arXiv category"));

    let empty_feed = r#"<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/"><opensearch:totalResults>0</opensearch:totalResults></feed>"#;
    let mut routes = normal_routes();
    routes.insert(
        "/api/query".into(),
        vec![
            Route::ok(recorded("fastpaper_arxiv_search.xml")),
            Route::ok(empty_feed),
        ],
    );
    let server = FixtureServer::start_scripted(routes);
    let run = |today: &str| -> Value {
        let out = succeed(
            papersift(data.path())
                .args(["--json", "sync", "--today", today])
                .env("PAPERSIFT_MODEL_CACHE", model_cache())
                .envs(server.source_env()),
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    // First sync: the listing, then the 3-day back-fill, paged until an empty page.
    let r = run("2026-08-12");
    assert_eq!(r["sources"].as_array().unwrap().len(), 1, "{r}");
    let ax = source(&r, "arxiv");
    assert_eq!(
        (ax["new"].as_u64(), ax["requests"].as_u64()),
        (Some(4), Some(3)),
        "{r}"
    );
    let reqs = server.requests();
    assert_eq!(reqs[0], FEED);
    assert_eq!(
        search_query(&reqs[1]),
        "(cat:cs.LG OR cat:cs.CL) AND submittedDate:[202608100000 TO 202608122359]"
    );
    assert!(reqs[2].contains("start=3"), "{}", reqs[2]);
    assert_eq!(stats(data.path())["papers"], 4);

    // Three days later: the feed only shows the latest day, so the API fills the gap
    // (with two days' overlap); nothing is stored twice.
    let before = server.requests().len();
    let r = run("2026-08-15");
    let reqs = server.requests()[before..].to_vec();
    assert_eq!(reqs.len(), 2, "{reqs:?}");
    assert_eq!(
        search_query(&reqs[1]),
        "(cat:cs.LG OR cat:cs.CL) AND submittedDate:[202608110000 TO 202608152359]"
    );
    assert_eq!(source(&r, "arxiv")["new"], 0);
    assert_eq!(stats(data.path())["papers"], 4);
}

#[test]
fn a_second_sync_waits_its_turn() {
    let data = tempfile::tempdir().unwrap();
    succeed(papersift(data.path()).args(["stats"]));
    // Another process (the app) holds the library's sync lock.
    let lock = std::fs::File::create(data.path().join("sync.lock")).unwrap();
    lock.try_lock().unwrap();
    let out = papersift(data.path())
        .args(["sync", "--source", "hf"])
        .env("PAPERSIFT_HF_URL", "http://127.0.0.1:9")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("a sync is already running"), "{err}");
    drop(lock);
}

/// A paper already in the library with only some fields (as a starter paper or a corpus
/// import may be) is completed by the first sync that sees it: same paper, no duplicate.
#[test]
fn a_sync_fills_in_what_a_stored_paper_lacks() {
    let data = tempfile::tempdir().unwrap();
    let recorded_page: Value =
        serde_json::from_slice(&recorded("hf_api_daily_papers_sample.json")).unwrap();
    let paper = &recorded_page[0]["paper"];
    assert_eq!(paper["id"], "2608.09888");
    let corpus = data.path().join("partial.jsonl");
    std::fs::write(
        &corpus,
        format!(
            "{}\n",
            serde_json::json!({ "id": "2608.09888", "title": paper["title"], "abstract": paper["summary"] })
        ),
    )
    .unwrap();
    succeed(
        papersift(data.path())
            .args(["import-corpus", "--no-embed", &corpus.display().to_string()])
            .env("PAPERSIFT_MODEL_CACHE", model_cache()),
    );
    let find = || -> Value {
        let out = succeed(
            papersift(data.path())
                .args([
                    "--json", "search", "BDH-CQ", "--mode", "keyword", "--k", "5",
                ])
                .env("PAPERSIFT_MODEL_CACHE", model_cache()),
        );
        let hits: Value = serde_json::from_slice(&out.stdout).unwrap();
        let same: Vec<&Value> = hits["results"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|h| h["id"] == "2608.09888")
            .collect();
        assert_eq!(same.len(), 1, "{hits}");
        same[0].clone()
    };
    let before = find();
    assert_eq!(
        (before["authors"].as_u64(), before["upvotes"].as_i64()),
        (Some(0), None)
    );

    let report = sync(
        data.path(),
        &FixtureServer::start_scripted(normal_routes()),
        "3",
    );
    // The recorded page has two papers; one was already stored.
    assert_eq!(source(&report, "hf")["new"], 1, "{report}");
    assert_eq!(stats(data.path())["papers"], 3);
    let after = find();
    let names = paper["authors"].as_array().unwrap().len() as u64;
    assert_eq!(after["authors"].as_u64(), Some(names));
    assert_eq!(after["upvotes"], paper["upvotes"]);
    // The date the corpus line lacked comes from the sync too.
    assert!(before["published"].is_null(), "{before}");
    assert!(
        after["published"]
            .as_str()
            .is_some_and(|d| d.starts_with("2026-08-")),
        "{after}"
    );
}

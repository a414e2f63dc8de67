//! Zotero end to end: lists linked to collections of a Zotero database built from
//! Zotero's own schema (and of real Zotero 6 and 4 databases) follow additions,
//! removals and the trash without writing Zotero's file, while a lock like a running
//! Zotero's is held; a linked Better BibTeX file follows its changes; Save to Zotero
//! speaks the connector protocol to a loopback server, and says so when nothing
//! listens.

use crate::common::zotero::ZoteroDb;
use crate::common::{fixture, model_cache, FixtureServer, Route};
use crate::{papersift, succeed};
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

/// A file's bytes, to compare before and after.
fn digest(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

fn run(data: &Path, server: &FixtureServer, args: &[&str]) -> Command {
    let mut c = papersift(data);
    c.args(args)
        .env("PAPERSIFT_MODEL_CACHE", model_cache())
        .env("PAPERSIFT_HTTP_TIMEOUT_MS", "2000")
        .env("PAPERSIFT_HTTP_BACKOFF_MS", "20");
    for (k, v) in server.source_env() {
        c.env(k, v);
    }
    c
}

fn json(cmd: &mut Command) -> Value {
    serde_json::from_slice(&succeed(cmd).stdout).unwrap()
}

/// The item keys of a list, sorted.
fn keys(data: &Path, server: &FixtureServer, list: &str) -> Vec<String> {
    let items = json(&mut run(data, server, &["--json", "lists", "--show", list]));
    let mut k: Vec<String> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["key"].as_str().unwrap().to_string())
        .collect();
    k.sort();
    k
}

/// `zotero collections --json` of the Zotero data folder `dir`.
fn collections(data: &Path, server: &FixtureServer, dir: &str) -> Value {
    json(&mut run(
        data,
        server,
        &["--json", "zotero", "collections", "--zotero-dir", dir],
    ))
}

fn crossref() -> FixtureServer {
    FixtureServer::start_scripted(HashMap::from([(
        "/works/10.1371/journal.pone.0033693".to_string(),
        vec![Route::ok(
            std::fs::read(fixture("sources/works_10.1371_journal.pone.0033693.json")).unwrap(),
        )],
    )]))
}

#[test]
fn a_linked_collection_follows_zotero_without_writing_or_waiting_for_its_lock() {
    let data = tempfile::tempdir().unwrap();
    let zdir = tempfile::tempdir().unwrap();
    let server = crossref();
    // The library: 40 real arXiv listings (their ids and titles resolve entries).
    succeed(&mut run(
        data.path(),
        &server,
        &[
            "import-corpus",
            &fixture("arxiv_sample_40.jsonl").display().to_string(),
        ],
    ));
    let mut z = ZoteroDb::create(&zdir.path().join("Zotero"));
    let (thesis, _) = z.collection("Thesis", None);
    let (chapter, _) = z.collection("Chapter 2", Some(thesis));
    let (other, _) = z.collection("Other", None);
    let by_url = z.item(
        "preprint",
        &[
            (
                "title",
                "SPRINT: Script-agnostic Structure Recognition in Tables",
            ),
            ("url", "https://arxiv.org/abs/2503.11932v1"),
        ],
    );
    let by_doi = z.item(
        "journalArticle",
        &[
            ("title", "A published paper"),
            ("DOI", "10.1371/journal.pone.0033693"),
        ],
    );
    let by_title = z.item(
        "conferencePaper",
        &[(
            "title",
            "Your Text Encoder Can Be An Object-Level Watermarking Controller",
        )],
    );
    let by_attachment = z.item("journalArticle", &[("title", "Snapmoji (journal version)")]);
    z.attachment(by_attachment, "https://arxiv.org/pdf/2503.11978");
    let note = z.note("Reading notes, not a paper");
    let elsewhere = z.item("preprint", &[("url", "https://arxiv.org/abs/2503.12035")]);
    let trashed = z.item("preprint", &[("url", "https://arxiv.org/abs/2503.12052")]);
    for it in [by_url, by_doi, by_attachment, note, trashed] {
        z.add(thesis, it);
    }
    z.add(chapter, by_title);
    z.add(other, elsewhere);
    z.trash(trashed);
    let db = z.dir.join("zotero.sqlite");
    let zotero_dir = z.dir.display().to_string();

    // The collections, read while a lock like a running Zotero's is held.
    let held = z.lock_like_zotero();
    let before = digest(&db);
    let c = collections(data.path(), &server, &zotero_dir);
    let paths: Vec<(&str, u64)> = c["collections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["path"].as_str().unwrap(), c["items"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        paths,
        [("Other", 1), ("Thesis", 4), ("Thesis › Chapter 2", 1)],
        "{c}"
    );
    assert_eq!(c["libraries"][0]["name"], "My Library");
    assert_eq!(c["libraries"][0]["items"], 5, "{c}");

    // Link the collection: its items and its subcollection's, not the note, the
    // trash or another collection's.
    let r = json(&mut run(
        data.path(),
        &server,
        &[
            "--json",
            "link",
            "zotero",
            "--collection",
            "thesis",
            "--zotero-dir",
            &zotero_dir,
        ],
    ));
    let f = &r["followed"][0];
    assert_eq!(f["listName"], "Thesis", "{r}");
    assert_eq!(f["label"], "Zotero: My Library › Thesis");
    assert_eq!(
        (f["added"].as_u64(), f["removed"].as_u64()),
        (Some(4), Some(0)),
        "{r}"
    );
    assert_eq!(f["tally"]["resolved"], 4, "{r}");
    assert_eq!(f["tally"]["fromCrossref"], 1, "{r}");
    assert_eq!(f["tally"]["byTitle"], 1, "{r}");
    assert_eq!(
        keys(data.path(), &server, "Thesis"),
        [
            "arxiv:2503.11932",
            "arxiv:2503.11978",
            "doi:10.1371/journal.pone.0033693",
            "title:your text encoder can be an object level watermarking controller"
        ]
    );
    assert_eq!(digest(&db), before, "Papersift wrote Zotero's database");
    drop(held);

    // A linked list is edited in Zotero, not here.
    let refused = run(
        data.path(),
        &server,
        &[
            "import",
            "--list",
            "Thesis",
            &fixture("import_samples/reading_list.bib")
                .display()
                .to_string(),
            "--offline",
        ],
    )
    .output()
    .unwrap();
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(
        !refused.status.success() && err.contains("follows Zotero: My Library › Thesis"),
        "{err}"
    );

    // Zotero changes: one item added (its arXiv id in Extra), one trashed, one taken
    // out of the collection.
    let added = z.item(
        "journalArticle",
        &[
            ("title", "Tailor"),
            ("extra", "arXiv: 2503.12052\ntype: article"),
        ],
    );
    z.add(chapter, added);
    z.trash(by_url);
    z.remove(thesis, by_attachment);
    let held = z.lock_like_zotero();
    let before = digest(&db);
    // The next sync follows it (its one source, answered 404 here, changes nothing).
    let r = json(&mut run(
        data.path(),
        &server,
        &["--json", "sync", "--source", "hf"],
    ));
    let f = &r["followed"][0];
    assert_eq!(
        (
            f["changed"].as_bool(),
            f["added"].as_u64(),
            f["removed"].as_u64()
        ),
        (Some(true), Some(1), Some(2)),
        "{r}"
    );
    assert_eq!(
        keys(data.path(), &server, "Thesis"),
        [
            "arxiv:2503.12052",
            "doi:10.1371/journal.pone.0033693",
            "title:your text encoder can be an object level watermarking controller"
        ]
    );
    // Nothing changed since: the database is not even copied.
    let r = json(&mut run(data.path(), &server, &["--json", "follow"]));
    assert_eq!(r["followed"][0]["changed"], false, "{r}");
    assert_eq!(digest(&db), before);
    drop(held);

    // Crossref was asked once, for the one DOI.
    let works: Vec<String> = server
        .requests()
        .into_iter()
        .filter(|p| p.starts_with("/works/"))
        .collect();
    assert_eq!(works, ["/works/10.1371/journal.pone.0033693"]);

    // Unlinked, the list keeps its papers and takes edits.
    succeed(&mut run(data.path(), &server, &["unlink", "Thesis"]));
    let lists = json(&mut run(data.path(), &server, &["--json", "lists"]));
    assert_eq!(lists[0]["link"], Value::Null, "{lists}");
    assert_eq!(lists[0]["items"], 3, "{lists}");
}

#[test]
fn real_zotero_6_and_4_databases_are_read() {
    let data = tempfile::tempdir().unwrap();
    let server = FixtureServer::start(HashMap::new()); // 404 to every look-up
    let z6 = tempfile::tempdir().unwrap();
    std::fs::copy(
        fixture("zotero/papis-zotero_test_zotero6.sqlite"),
        z6.path().join("zotero.sqlite"),
    )
    .unwrap();
    let r = json(&mut run(
        data.path(),
        &server,
        &[
            "--json",
            "link",
            "zotero",
            "--zotero-dir",
            &z6.path().display().to_string(),
        ],
    ));
    let f = &r["followed"][0];
    assert_eq!(
        (f["listName"].as_str(), f["added"].as_u64()),
        (Some("Zotero My Library"), Some(5)),
        "{r}"
    );
    let k = keys(data.path(), &server, "Zotero My Library");
    // Two items name their arXiv preprint only through a "Submitted Version" PDF.
    assert!(k.contains(&"arxiv:math/0702079".to_string()), "{k:?}");
    assert!(k.contains(&"arxiv:1311.4984".to_string()), "{k:?}");
    assert!(k.contains(&"doi:10.1002/ggge.20071".to_string()), "{k:?}");
    assert_eq!(k.len(), 5);

    // Zotero 4 left libraryID NULL for My Library, and had no collection trash.
    let z4 = tempfile::tempdir().unwrap();
    let out = Command::new("unzip")
        .arg("-q")
        .arg(fixture("zotero/zotero-4.0.sqlite.zip"))
        .arg("-d")
        .arg(z4.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let c = collections(data.path(), &server, &z4.path().display().to_string());
    assert_eq!(c["libraries"][0]["name"], "My Library", "{c}");
    assert_eq!(c["libraries"][0]["items"], 1, "{c}");

    // Not Zotero's: one clear message.
    let bad = run(
        data.path(),
        &server,
        &[
            "zotero",
            "collections",
            "--zotero-dir",
            &data.path().display().to_string(),
        ],
    )
    .output()
    .unwrap();
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("holds no Zotero database"), "{err}");
}

#[test]
fn a_linked_bibtex_file_follows_its_changes() {
    let data = tempfile::tempdir().unwrap();
    let server = FixtureServer::start(HashMap::new());
    let dir = tempfile::tempdir().unwrap();
    let bib = dir.path().join("My Library.bib");
    std::fs::copy(fixture("zotero/bbt_test_autoexport_2573.before.bib"), &bib).unwrap();
    let r = json(&mut run(
        data.path(),
        &server,
        &["--json", "link", "file", &bib.display().to_string()],
    ));
    assert_eq!(r["followed"][0]["listName"], "My Library", "{r}");
    assert_eq!(
        keys(data.path(), &server, "My Library"),
        ["doi:10.1109/indin51773.2022.9976107"]
    );
    // Better BibTeX exports it again, with a URL instead of the DOI.
    std::fs::copy(fixture("zotero/bbt_test_autoexport_2573.after.bib"), &bib).unwrap();
    let r = json(&mut run(data.path(), &server, &["--json", "follow"]));
    let f = &r["followed"][0];
    assert_eq!(
        (f["added"].as_u64(), f["removed"].as_u64()),
        (Some(1), Some(1)),
        "{r}"
    );
    assert_eq!(
        keys(data.path(), &server, "My Library"),
        ["title:integration of machine learning task definition in model based systems engineering using sysml"]
    );
    // A file caught mid-write (malformed) leaves the list as it was, with the reason.
    std::fs::write(
        &bib,
        "@inproceedings{radler_integration_2022,\n  title = {Integ",
    )
    .unwrap();
    let r = json(&mut run(data.path(), &server, &["--json", "follow"]));
    let err = r["followed"][0]["error"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(err.contains("My Library.bib"), "{r}");
    assert_eq!(keys(data.path(), &server, "My Library").len(), 1);
    let lists = json(&mut run(data.path(), &server, &["--json", "lists"]));
    assert_eq!(
        lists[0]["link"]["error"].as_str(),
        Some(err.as_str()),
        "{lists}"
    );
    // Linking a file that is not a reading list makes no list.
    let junk = dir.path().join("notes.bib");
    std::fs::write(&junk, "   \n").unwrap();
    let out = run(
        data.path(),
        &server,
        &["link", "file", &junk.display().to_string()],
    )
    .output()
    .unwrap();
    assert!(!out.status.success());
    let lists = json(&mut run(data.path(), &server, &["--json", "lists"]));
    assert_eq!(lists.as_array().unwrap().len(), 1, "{lists}");
}

#[test]
fn save_to_zotero_speaks_the_connector_protocol() {
    let data = tempfile::tempdir().unwrap();
    let none = FixtureServer::start(HashMap::new());
    succeed(&mut run(
        data.path(),
        &none,
        &[
            "import-corpus",
            &fixture("arxiv_sample_40.jsonl").display().to_string(),
        ],
    ));
    let created = Route {
        status: 201,
        ..Route::ok("")
    };
    let zotero = FixtureServer::start(HashMap::from([
        (
            "/connector/ping".to_string(),
            Route::ok("<!DOCTYPE html><html><body>Zotero is running</body></html>"),
        ),
        ("/connector/saveItems".to_string(), created),
    ]));
    let out = json(
        run(
            data.path(),
            &none,
            &["--json", "zotero", "save", "2503.11932"],
        )
        .env("PAPERSIFT_ZOTERO_URL", zotero.url()),
    );
    assert_eq!(out["saved"]["withPdf"], true, "{out}");
    let ex = zotero.exchanges();
    assert_eq!(
        ex.iter()
            .map(|r| (r.method.as_str(), r.path.as_str()))
            .collect::<Vec<_>>(),
        [("GET", "/connector/ping"), ("POST", "/connector/saveItems")]
    );
    let save = &ex[1];
    assert_eq!(save.header("content-type"), Some("application/json"));
    assert_eq!(save.header("x-zotero-connector-api-version"), Some("3"));
    assert!(save.header("x-zotero-version").is_some());
    let body: Value = serde_json::from_slice(&save.body).unwrap();
    assert!(
        body["sessionID"].as_str().is_some_and(|s| !s.is_empty()),
        "{body}"
    );
    assert_eq!(body["uri"], "https://arxiv.org/abs/2503.11932");
    let item = &body["items"][0];
    assert_eq!(item["itemType"], "preprint");
    assert_eq!(
        item["title"],
        "SPRINT: Script-agnostic Structure Recognition in Tables"
    );
    assert_eq!(item["archiveID"], "arXiv:2503.11932");
    assert_eq!(item["creators"][0]["creatorType"], "author");
    assert!(item["abstractNote"]
        .as_str()
        .unwrap()
        .starts_with("Table Structure Recognition"));
    assert_eq!(
        item["attachments"][0],
        serde_json::json!({ "title": "Full Text PDF", "url": "https://arxiv.org/pdf/2503.11932", "mimeType": "application/pdf", "snapshot": false })
    );
    // The same shape as Zotero's own connector test sends.
    let sample: Value = serde_json::from_slice(
        &std::fs::read(fixture("zotero/saveItems_request_example.json")).unwrap(),
    )
    .unwrap();
    for k in sample.as_object().unwrap().keys() {
        assert!(body.get(k).is_some(), "{k} missing from {body}");
    }

    // Nothing listens: one clear message, and the library is as it was.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let out = run(data.path(), &none, &["zotero", "save", "2503.11932"])
        .env("PAPERSIFT_ZOTERO_URL", url)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(err.contains("Zotero is not running"), "{err}");
}

/// The time to follow a 10,000-item Zotero library after one item changes: a library of
/// the papers in `PAPERSIFT_BENCH_CORPUS` (arXiv listings, JSON lines; 10,000 of them),
/// a Zotero library of all but one as items with their arXiv links, linked whole; then
/// five rounds of one item added, and of one item moved to the trash, each followed by
/// `papersift follow` (the binary `PAPERSIFT_BENCH_BIN` names, e.g. a release build).
/// With `PAPERSIFT_BENCH_NO_MODEL=1` the model is not found, so no run loads it or
/// embeds (what the app pays, its model being loaded already, plus a process start).
/// Prints the medians. A measurement: run by hand.
#[test]
#[ignore = "a measurement: run by hand with PAPERSIFT_BENCH_CORPUS"]
fn measure_following_a_10k_zotero_library() {
    let corpus = std::env::var("PAPERSIFT_BENCH_CORPUS").expect("PAPERSIFT_BENCH_CORPUS");
    let bin = std::env::var("PAPERSIFT_BENCH_BIN")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_papersift").to_string());
    let data = tempfile::tempdir().unwrap();
    let no_model = std::env::var("PAPERSIFT_BENCH_NO_MODEL").is_ok_and(|v| v == "1");
    let empty = tempfile::tempdir().unwrap();
    let cache = if no_model {
        empty.path().to_path_buf()
    } else {
        model_cache()
    };
    let cmd = |args: &[&str]| {
        let mut c = Command::new(&bin);
        c.arg("--data-dir")
            .arg(data.path())
            .args(args)
            .env("PAPERSIFT_EXECUTION_PROVIDER", "cpu")
            .env("PAPERSIFT_MODEL_CACHE", &cache)
            .env("HF_ENDPOINT", "http://127.0.0.1:9")
            // Nothing is looked up: every item is a library paper.
            .env("PAPERSIFT_CROSSREF_URL", "http://127.0.0.1:9")
            .env("PAPERSIFT_ARXIV_API_URL", "http://127.0.0.1:9/api/query");
        c
    };
    succeed(&mut cmd(&["import-corpus", "--no-embed", &corpus]));
    let ids: Vec<String> = std::fs::read_to_string(&corpus)
        .unwrap()
        .lines()
        .take(10_000)
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(ids.len(), 10_000);
    let zdir = tempfile::tempdir().unwrap();
    let mut z = ZoteroDb::create(&zdir.path().join("Zotero"));
    let spare: Vec<String> = ids[9_990..].to_vec();
    z.batch(|z| {
        for id in &ids[..9_990] {
            z.item(
                "preprint",
                &[("url", &format!("https://arxiv.org/abs/{id}"))],
            );
        }
    });
    let zotero_dir = z.dir.display().to_string();
    let timed = |args: &[&str]| {
        let t = std::time::Instant::now();
        let out = succeed(&mut cmd(args));
        (
            t.elapsed().as_secs_f64(),
            serde_json::from_slice::<Value>(&out.stdout).unwrap(),
        )
    };
    let (first, r) = timed(&["--json", "link", "zotero", "--zotero-dir", &zotero_dir]);
    assert_eq!(r["followed"][0]["added"], 9_990, "{r}");
    let (mut added, mut trashed, mut unchanged) = (Vec::new(), Vec::new(), Vec::new());
    for id in spare.iter().take(5) {
        let item = z.item(
            "preprint",
            &[("url", &format!("https://arxiv.org/abs/{id}"))],
        );
        let (s, r) = timed(&["--json", "follow"]);
        assert_eq!(r["followed"][0]["added"], 1, "{r}");
        added.push(s);
        z.trash(item);
        let (s, r) = timed(&["--json", "follow"]);
        assert_eq!(r["followed"][0]["removed"], 1, "{r}");
        trashed.push(s);
        let (s, r) = timed(&["--json", "follow"]);
        assert_eq!(r["followed"][0]["changed"], false, "{r}");
        unchanged.push(s);
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    println!(
        "zotero 10k follow ({bin}, model {}): first link of 9,990 items {first:.2} s; one item added {:.3} s, one trashed {:.3} s, unchanged {:.3} s (medians of 5, whole `papersift follow` runs)",
        if no_model { "not loaded" } else { "loaded" },
        median(&mut added),
        median(&mut trashed),
        median(&mut unchanged)
    );
}

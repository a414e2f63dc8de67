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

/// `papersift --json sync ARGS` against `server`, quick to give up; its report.
fn sync_with(data: &Path, server: &FixtureServer, args: &[&str]) -> Value {
    let out = succeed(
        papersift(data)
            .args(["--json", "sync"])
            .args(args)
            .env("PAPERSIFT_MODEL_CACHE", model_cache())
            .envs(server.source_env())
            .env("PAPERSIFT_HTTP_TIMEOUT_MS", "1500")
            .env("PAPERSIFT_HTTP_BACKOFF_MS", "20"),
    );
    serde_json::from_slice(&out.stdout).unwrap()
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

const DOI_LIST: &str = r#"@article{lieber1997,
  title = {Growth hormone secretagogue increases muscle strength},
  doi = {10.1002/JOR.1100150407},
}
@article{sadasivan2012,
  title = {Methylphenidate Exposure Induces Dopamine Neuron Loss},
  doi = {10.1371/journal.pone.0033693},
}
@article{nothing,
  title = {A paper nobody wrote},
  doi = {10.1371/notarealdoi},
}
"#;

fn crossref_routes() -> HashMap<String, Vec<Route>> {
    HashMap::from([
        (
            "/works/10.1002/jor.1100150407?mailto=lab@example.org".to_string(),
            vec![Route::ok(recorded(
                "works_10.1002_jor.1100150407_jats_abstract.json",
            ))],
        ),
        (
            "/works/10.1371/journal.pone.0033693?mailto=lab@example.org".to_string(),
            vec![Route::ok(recorded(
                "works_10.1371_journal.pone.0033693.json",
            ))],
        ),
        (
            "/works/10.1371/notarealdoi?mailto=lab@example.org".to_string(),
            vec![Route {
                status: 404,
                body: std::sync::Arc::new(recorded("works_notarealdoi_404.txt")),
                ..Default::default()
            }],
        ),
    ])
}

fn import(data: &Path, file: &Path, crossref: &str) -> Value {
    let out = succeed(
        papersift(data)
            .args(["--json", "import", &file.display().to_string()])
            .env("PAPERSIFT_MODEL_CACHE", model_cache())
            .env("PAPERSIFT_CROSSREF_URL", crossref)
            .env("PAPERSIFT_HTTP_TIMEOUT_MS", "1500")
            .env("PAPERSIFT_HTTP_BACKOFF_MS", "20"),
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn published_dois_resolve_through_crossref_and_offline_ones_wait_for_the_sync() {
    let data = tempfile::tempdir().unwrap();
    let server = FixtureServer::start_scripted(crossref_routes());
    succeed(papersift(data.path()).args(["settings", "--contact-email", "lab@example.org"]));
    let file = data.path().join("published.bib");
    std::fs::write(&file, DOI_LIST).unwrap();

    // Crossref unreachable: the two real DOIs wait, with the reason.
    let r = import(data.path(), &file, "http://127.0.0.1:9");
    let imp = &r["imports"][0];
    assert_eq!(
        (
            imp["resolved"].as_u64(),
            imp["unresolved"].as_array().unwrap().len()
        ),
        (Some(0), 3),
        "{r}"
    );
    assert!(
        imp["unresolved"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("resolves at the next sync"),
        "{r}"
    );

    // The next sync asks Crossref again (no source traffic: only the waiting DOIs).
    let report = sync_with(
        data.path(),
        &server,
        &["--source", "hf", "--days", "1", "--today", "2026-08-12"],
    );
    assert_eq!(report["listEntriesResolved"], 2, "{report}");
    assert!(
        server
            .requests()
            .iter()
            .any(|p| p.starts_with("/works/10.1002/jor.1100150407?mailto=")),
        "the contact address goes with every request: {:?}",
        server.requests()
    );
    let show: Value = serde_json::from_slice(
        &succeed(
            papersift(data.path())
                .args(["--json", "lists", "--show", "published"])
                .env("PAPERSIFT_MODEL_CACHE", model_cache()),
        )
        .stdout,
    )
    .unwrap();
    let items = show.as_array().unwrap_or_else(|| panic!("{show}"));
    let paper = items[0]["paper"].clone();
    assert_eq!(paper["title"], "Growth hormone secretagogue increases muscle strength during remobilization after canine hindlimb immobilization", "{show}");
    assert_eq!(paper["authors"][0], "Richard L. Lieber");
    assert_eq!(paper["journal"], "Journal of Orthopaedic Research");
    assert_eq!(paper["doi"], "10.1002/jor.1100150407");
    assert!(paper["abstract"]
        .as_str()
        .unwrap()
        .starts_with("Twenty‐two beagles"));
    assert_eq!(items[1]["paper"]["journal"], "PLoS ONE");
    assert!(items[2]["paper"].is_null());
    assert_eq!(
        items[2]["unresolvedReason"],
        "Crossref has no record of DOI 10.1371/notarealdoi, and no library paper has its title"
    );

    // Imported again online: in the library now, asked of nobody.
    let before = server.requests().len();
    let r = import(data.path(), &file, &server.url());
    assert_eq!(r["imports"][0]["fromLibrary"], 2, "{r}");
    let asked: Vec<String> = server.requests()[before..].to_vec();
    assert_eq!(asked, ["/works/10.1371/notarealdoi?mailto=lab@example.org"]);

    // Copy BibTeX gives the published shape.
    let bib = succeed(
        papersift(data.path())
            .args(["export", "--list", "published"])
            .env("PAPERSIFT_MODEL_CACHE", model_cache()),
    );
    let bib = String::from_utf8(bib.stdout).unwrap();
    assert!(bib.contains("@article{lieber1997growth,"), "{bib}");
    assert!(
        bib.contains("  journal = {Journal of Orthopaedic Research},"),
        "{bib}"
    );
    assert!(bib.contains("  doi = {10.1002/jor.1100150407},"), "{bib}");
    // … and RIS and CSL-JSON, for reference managers that prefer them.
    let export = |format: &str| {
        let out = succeed(
            papersift(data.path())
                .args(["export", "--list", "published", "--format", format])
                .env("PAPERSIFT_MODEL_CACHE", model_cache()),
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let ris = export("ris");
    assert!(
        ris.starts_with("TY  - JOUR\nTI  - Growth hormone secretagogue"),
        "{ris}"
    );
    assert!(ris.contains("AU  - Lieber, Richard L.\n"), "{ris}");
    assert!(
        ris.contains("T2  - Journal of Orthopaedic Research\nDO  - 10.1002/jor.1100150407\n"),
        "{ris}"
    );
    assert_eq!(ris.matches("ER  - ").count(), 3);
    let csl: Value = serde_json::from_str(&export("csl-json")).unwrap();
    assert_eq!(csl[0]["type"], "article-journal");
    assert_eq!(csl[0]["DOI"], "10.1002/jor.1100150407");
    assert_eq!(
        csl[0]["issued"]["date-parts"][0],
        serde_json::json!([1997, 7, 1])
    );
    assert_eq!(csl.as_array().unwrap().len(), 3);
}

/// An arXiv listing with one paper whose journal version (Nature Medicine) the authors
/// gave arXiv as its DOI.
fn listing_with_journal_doi() -> String {
    r#"<?xml version='1.0' encoding='UTF-8'?><feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/"><title>cs.LG updates on arXiv.org</title>
    <entry><id>oai:arXiv.org:2608.01234v1</id><title>From algorithms to patient outcomes: lessons from one of the first randomized trials of AI in medicine</title>
    <summary>arXiv:2608.01234v1 Announce Type: new
Abstract: The first generation of medical artificial intelligence was judged on whether algorithms could match clinicians; the next should be judged on patient outcomes.</summary>
    <category term="cs.LG"/><published>2026-08-12T00:00:00-04:00</published><arxiv:announce_type>new</arxiv:announce_type>
    <arxiv:doi>10.1038/s41591-026-04633-x</arxiv:doi><dc:creator>Kristina Lång</dc:creator></entry></feed>"#
        .to_string()
}

/// A journal's RSS 2.0 feed naming one bioRxiv preprint's published version (eLife).
const ELIFE_FEED: &str = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>eLife</title>
<item><title>The journal version of a bioRxiv preprint</title><link>https://doi.org/10.7554/eLife.83973</link>
<description>An abstract long enough to be taken for one: it says what the published version of this neuroscience preprint found, in more than eighty characters.</description>
<pubDate>Wed, 12 Aug 2026 08:00:00 GMT</pubDate></item></channel></rss>"#;

#[test]
fn arxiv_journal_feeds_and_biorxiv_together_store_each_paper_once() {
    let data = tempfile::tempdir().unwrap();
    let mut routes = preprint_routes(false);
    routes.insert(
        "/atom/cs.LG".into(),
        vec![Route::ok(listing_with_journal_doi())],
    );
    routes.insert(
        "/nm.rss".into(),
        vec![Route::ok(recorded("nature_medicine_rss1.rdf"))],
    );
    routes.insert("/elife.rss".into(), vec![Route::ok(ELIFE_FEED)]);
    routes.insert("/gone.rss".into(), vec![Route::status(404)]);
    let server = FixtureServer::start_scripted(routes);
    for feed in ["nm.rss", "elife.rss", "gone.rss"] {
        let out = succeed(papersift(data.path()).args([
            "--json",
            "feeds",
            "add",
            &format!("{}/{feed}", server.url()),
        ]));
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert!(v["feeds"].as_array().unwrap().len() <= 3);
    }
    succeed(papersift(data.path()).args(["feeds", "remove", "3"]));
    let out = succeed(papersift(data.path()).args(["--json", "feeds", "list"]));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["feeds"].as_array().unwrap().len(), 2, "{v}");
    succeed(papersift(data.path()).args([
        "settings",
        "--sources",
        "arxiv,biorxiv,feeds",
        "--categories",
        "cs.LG",
    ]));

    let report = sync_with(
        data.path(),
        &server,
        &[
            "--days",
            "3",
            "--biorxiv-subjects",
            "neuroscience",
            "--today",
            "2026-08-12",
        ],
    );
    for s in report["sources"].as_array().unwrap() {
        assert!(s["error"].is_null(), "{report}");
        println!(
            "[measure] {}: {} papers from {} items in {:.3} s",
            s["source"],
            s["new"],
            s["items"],
            s["seconds"].as_f64().unwrap()
        );
    }
    // 1 arXiv paper; 20 bioRxiv preprints; 8 Nature items, one the arXiv paper's
    // journal version; 1 eLife item, one preprint's journal version.
    assert_eq!(report_of(&report, "arxiv")["new"], 1, "{report}");
    assert_eq!(report_of(&report, "biorxiv")["new"], 20, "{report}");
    assert_eq!(report_of(&report, "feeds")["new"], 7, "{report}");
    assert_eq!(report_of(&report, "feeds")["updated"], 2, "{report}");
    assert_eq!(count(data.path(), "SELECT count(*) FROM papers"), 28);
    assert_eq!(
        count(data.path(), "SELECT count(*) FROM embeddings"),
        28,
        "all embedded"
    );
    // No paper twice: no two rows share a title.
    assert_eq!(
        count(
            data.path(),
            "SELECT count(*) - count(DISTINCT lower(title)) FROM papers"
        ),
        0
    );
    let db = rusqlite::Connection::open(data.path().join(papersift_core::config::DB_FILE)).unwrap();
    let (key, doi, journal, sources): (String, String, String, String) = db
        .query_row(
            "SELECT key, doi, journal, sources FROM papers WHERE arxiv_id = '2608.01234'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!(
        (
            key.as_str(),
            doi.as_str(),
            journal.as_str(),
            sources.as_str()
        ),
        (
            "2608.01234",
            "10.1038/s41591-026-04633-x",
            "Nature Medicine",
            r#"["arxiv","feed"]"#
        )
    );
    let (doi, journal, sources): (String, String, String) = db
        .query_row(
            "SELECT p.doi, p.journal, p.sources FROM papers p JOIN paper_ids i ON i.paper_id = p.id \
             WHERE i.value = '10.7554/elife.83973'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(
        (doi.as_str(), journal.as_str(), sources.as_str()),
        ("10.7554/elife.83973", "eLife", r#"["biorxiv","feed"]"#),
        "the preprint is cited by its journal version now"
    );
    // The feeds' titles are remembered for the list.
    let out = succeed(papersift(data.path()).args(["feeds", "list"]));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("(Nature Medicine)") && text.contains("(eLife)"),
        "{text}"
    );
}

#[test]
fn openreview_venues_bring_their_accepted_papers_once() {
    let data = tempfile::tempdir().unwrap();
    let notes = "/notes?content.venueid=ICLR.cc/2025/Conference&limit=1000&offset=0";
    let challenged = "/notes?content.venueid=NeurIPS.cc/2025/Conference&limit=1000&offset=0";
    let server = FixtureServer::start_scripted(HashMap::from([
        (
            notes.to_string(),
            vec![Route::ok(recorded(
                "fastpaper_openreview_notes_search.json",
            ))],
        ),
        (challenged.to_string(), vec![Route::status(403)]),
    ]));
    let run = |venues: &str| -> Value {
        sync_with(
            data.path(),
            &server,
            &["--source", "openreview", "--venues", venues],
        )
    };
    let report = run("ICLR.cc/2025/Conference");
    let o = report_of(&report, "openreview");
    assert_eq!(
        (o["new"].as_u64(), o["error"].is_null()),
        (Some(4), true),
        "{report}"
    );
    let db = rusqlite::Connection::open(data.path().join(papersift_core::config::DB_FILE)).unwrap();
    let (journal, forum): (String, String) = db
        .query_row(
            "SELECT journal, openreview_id FROM papers WHERE key = 'openreview:Gj5JTAwdoy'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        (journal.as_str(), forum.as_str()),
        ("ICLR 2025 Spotlight", "Gj5JTAwdoy")
    );
    // A venue read completely is not asked again; a 403 challenge says what it is.
    let before = server.requests().len();
    let report = run("ICLR.cc/2025/Conference,NeurIPS.cc/2025/Conference");
    assert_eq!(server.requests()[before..], [challenged.to_string()]);
    let err = report_of(&report, "openreview")["error"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(err.contains("browser check (HTTP 403)"), "{err}");
    assert_eq!(
        count(
            data.path(),
            "SELECT count(*) FROM papers WHERE sources LIKE '%openreview%'"
        ),
        4
    );
}

#[test]
fn categories_are_found_by_name() {
    let data = tempfile::tempdir().unwrap();
    let out =
        succeed(papersift(data.path()).args(["--json", "categories", "high", "energy", "theory"]));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["categories"][0]["code"], "hep-th", "{v}");
    assert_eq!(v["categories"].as_array().unwrap().len(), 1, "{v}");
    let out = succeed(papersift(data.path()).args(["categories", "robotics"]));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "cs.RO                Robotics (Computer Science)\n"
    );
}

//! Reading lists end to end: `papersift import` of realistic files, resolved against
//! the library and a loopback arXiv API; `lists`, `recommend` and `export`; bad files
//! change nothing; an offline import resolves later.

use crate::common::{arxiv_api_feed as api_feed, fixture, model_cache, FixtureServer, Route};
use crate::{papersift, succeed};
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

fn run(data: &Path, api: &str, args: &[&str]) -> Command {
    let mut c = papersift(data);
    c.args(args)
        .env("PAPERSIFT_MODEL_CACHE", model_cache())
        .env("PAPERSIFT_ARXIV_API_URL", api)
        // The same server answers Crossref: 404 ("no record") for every DOI.
        .env("PAPERSIFT_CROSSREF_URL", api.trim_end_matches("/api/query"))
        .env("PAPERSIFT_ARXIV_DELAY_MS", "10")
        .env("PAPERSIFT_HTTP_TIMEOUT_MS", "2000")
        .env("PAPERSIFT_HTTP_BACKOFF_MS", "20");
    c
}

fn json(cmd: &mut Command) -> Value {
    serde_json::from_slice(&succeed(cmd).stdout).unwrap()
}

fn id_list(request: &str) -> String {
    request
        .split(['?', '&'])
        .find_map(|kv| kv.strip_prefix("id_list="))
        .unwrap_or_default()
        .replace("%2C", ",")
        .replace("%2F", "/")
}

fn sample(name: &str) -> String {
    fixture(&format!("import_samples/{name}"))
        .display()
        .to_string()
}

#[test]
fn import_resolve_list_recommend_export() {
    let data = tempfile::tempdir().unwrap();
    let server = FixtureServer::start_scripted(HashMap::from([(
        "/api/query".to_string(),
        vec![
            Route::ok(api_feed(&[
                "1706.03762",
                "1810.04805",
                "2006.11239",
                "hep-th/9711200",
            ])),
            Route::ok(api_feed(&["2112.10752", "2202.00512"])),
        ],
    )]));
    let api = format!("{}/api/query", server.url());
    // Candidates to recommend: 40 real arXiv listings.
    succeed(&mut run(
        data.path(),
        &api,
        &[
            "import-corpus",
            &fixture("arxiv_sample_40.jsonl").display().to_string(),
        ],
    ));

    // BibTeX: four arXiv papers fetched in one id_list request; the DOI-only entry is
    // kept with its reason.
    let r = json(&mut run(
        data.path(),
        &api,
        &["--json", "import", &sample("reading_list.bib")],
    ));
    let imp = &r["imports"][0];
    assert_eq!(
        (
            imp["entries"].as_u64(),
            imp["resolved"].as_u64(),
            imp["fromArxiv"].as_u64(),
            imp["created"].as_bool()
        ),
        (Some(5), Some(4), Some(4), Some(true)),
        "{r}"
    );
    assert_eq!(imp["listName"], "reading list");
    assert_eq!(imp["unresolved"][0]["label"], "rombach2022high");
    assert!(imp["unresolved"][0]["reason"]
        .as_str()
        .unwrap()
        .starts_with("Crossref has no record of DOI 10.1109/cvpr52688.2022.01042"));
    let reqs: Vec<String> = server
        .requests()
        .into_iter()
        .filter(|r| r.starts_with("/api/query"))
        .collect();
    assert_eq!(reqs.len(), 1);
    assert_eq!(
        id_list(&reqs[0]),
        "1706.03762,1810.04805,2006.11239,hep-th/9711200"
    );

    // Markdown: four ids already in the library, two fetched, a DOI without a title.
    let r = json(&mut run(
        data.path(),
        &api,
        &["--json", "import", &sample("reading_list.md")],
    ));
    let imp = &r["imports"][0];
    assert_eq!(
        (
            imp["entries"].as_u64(),
            imp["fromLibrary"].as_u64(),
            imp["fromArxiv"].as_u64()
        ),
        (Some(7), Some(4), Some(2)),
        "{r}"
    );
    assert_eq!(imp["listName"], "reading list (2)");
    let arxiv: Vec<String> = server
        .requests()
        .into_iter()
        .filter(|r| r.starts_with("/api/query"))
        .collect();
    assert_eq!(id_list(&arxiv[1]), "2112.10752,2202.00512");
    let asked = server.requests().len();

    // The same .bib again: its list is updated, not duplicated, and the DOI entry now
    // resolves by title (its arXiv version came with the Markdown list). No request.
    let r = json(&mut run(
        data.path(),
        &api,
        &["--json", "import", &sample("reading_list.bib")],
    ));
    let imp = &r["imports"][0];
    assert_eq!(
        (
            imp["created"].as_bool(),
            imp["resolved"].as_u64(),
            imp["byTitle"].as_u64()
        ),
        (Some(false), Some(5), Some(1)),
        "{r}"
    );
    assert_eq!(server.requests().len(), asked);
    let lists = json(&mut run(data.path(), &api, &["--json", "lists"]));
    let summary: Vec<(String, u64, u64)> = lists
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["name"].as_str().unwrap().to_string(),
                l["items"].as_u64().unwrap(),
                l["resolved"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("reading list".into(), 5, 5),
            ("reading list (2)".into(), 7, 6)
        ]
    );

    // A PDF with arXiv's margin stamp: resolved from the library into a named list.
    let r = json(&mut run(
        data.path(),
        &api,
        &[
            "--json",
            "import",
            &sample("arxiv_stamped.pdf"),
            "--list",
            "diffusion",
        ],
    ));
    assert_eq!(r["imports"][0]["fromLibrary"], 1, "{r}");

    // Recommendations: library papers outside the list, each with the list paper it
    // resembles most.
    let recs = json(&mut run(
        data.path(),
        &api,
        &["--json", "recommend", "--list", "reading list", "--k", "5"],
    ));
    let recs = recs.as_array().unwrap();
    assert_eq!(recs.len(), 5);
    let in_list = [
        "1706.03762",
        "1810.04805",
        "2006.11239",
        "hep-th/9711200",
        "2112.10752",
    ];
    for r in recs {
        assert!(
            !in_list.contains(&r["paper"]["arxivId"].as_str().unwrap_or("")),
            "{r}"
        );
        assert!(r["because"][0]["similarity"].as_f64().unwrap() > 0.0);
    }
    // "For you" leaves out every listed paper.
    let all = json(&mut run(
        data.path(),
        &api,
        &["--json", "recommend", "--k", "50"],
    ));
    assert!(all
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["paper"]["arxivId"] != "2202.00512"));

    // Export → BibTeX that imports back to the same papers.
    let out = succeed(&mut run(
        data.path(),
        &api,
        &["export", "--list", "reading list", "--bibtex"],
    ));
    let bib = String::from_utf8(out.stdout).unwrap();
    assert_eq!(bib.matches("@misc{").count(), 5);
    assert!(
        bib.contains(
            "eprint = {1706.03762},\n  archivePrefix = {arXiv},\n  primaryClass = {cs.CL}"
        ),
        "{bib}"
    );
    let exported = data.path().join("exported.bib");
    std::fs::write(&exported, &bib).unwrap();
    let r = json(&mut run(
        data.path(),
        &api,
        &["--json", "import", &exported.display().to_string()],
    ));
    assert_eq!(
        (
            r["imports"][0]["resolved"].as_u64(),
            r["imports"][0]["fromLibrary"].as_u64()
        ),
        (Some(5), Some(5)),
        "{r}"
    );
}

#[test]
fn bad_files_change_nothing_and_offline_imports_resolve_later() {
    let data = tempfile::tempdir().unwrap();
    let dead = "http://127.0.0.1:9/api/query";
    let lists = |data: &Path| {
        json(&mut run(data, dead, &["--json", "lists"]))
            .as_array()
            .unwrap()
            .len()
    };
    succeed(&mut run(data.path(), dead, &["stats"]));
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, bytes: &[u8]| {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p.display().to_string()
    };
    let cases = [
        (
            write("broken.bib", b"@article{a, title={never closed\n"),
            "not valid BibTeX",
        ),
        (write("empty.ris", b""), "the file is empty"),
        (
            write("photo.bib", b"\x89PNG\r\n\x1a\n\0\0\0"),
            "binary data",
        ),
        (write("notes.txt", b"nothing to see"), "no papers found"),
        (
            dir.path().join("missing.bib").display().to_string(),
            "cannot read",
        ),
    ];
    for (file, want) in &cases {
        let out = run(data.path(), dead, &["import", file]).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{file}: {err}");
        assert!(
            err.contains(want) && err.contains("cannot import"),
            "{file}: {err}"
        );
        assert!(!err.contains("panicked"));
    }
    assert_eq!(lists(data.path()), 0);

    // Offline: the list is kept, with the reason, and the same file later resolves.
    let r = json(&mut run(
        data.path(),
        dead,
        &["--json", "import", &sample("reading_list.bib")],
    ));
    let imp = &r["imports"][0];
    assert_eq!(imp["resolved"], 0, "{r}");
    assert!(
        imp["unresolved"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("arXiv could not be reached"),
        "{r}"
    );
    let server = FixtureServer::start(HashMap::from([(
        "/api/query".to_string(),
        Route::ok(api_feed(&[
            "1706.03762",
            "1810.04805",
            "2006.11239",
            "hep-th/9711200",
        ])),
    )]));
    let api = format!("{}/api/query", server.url());
    let r = json(&mut run(
        data.path(),
        &api,
        &["--json", "import", &sample("reading_list.bib")],
    ));
    assert_eq!(
        (
            r["imports"][0]["created"].as_bool(),
            r["imports"][0]["resolved"].as_u64()
        ),
        (Some(false), Some(4)),
        "{r}"
    );
    assert_eq!(lists(data.path()), 1);
}

#[test]
fn when_arxiv_fails_hugging_face_resolves_what_it_knows() {
    let data = tempfile::tempdir().unwrap();
    let server = FixtureServer::start(HashMap::from([
        ("/api/query".to_string(), Route::status(503)),
        (
            "/api/papers/2608.09888".to_string(),
            Route::ok(std::fs::read(fixture("sources/hf_api_papers_2608.09888.json")).unwrap()),
        ),
    ]));
    let list = data.path().join("two.md");
    std::fs::write(
        &list,
        "- arXiv:2608.09888\n- https://arxiv.org/abs/1706.03762\n",
    )
    .unwrap();
    let r = json(
        run(
            data.path(),
            &format!("{}/api/query", server.url()),
            &["--json", "import", &list.display().to_string()],
        )
        .env("PAPERSIFT_HF_URL", server.url()),
    );
    let imp = &r["imports"][0];
    assert_eq!(
        (imp["resolved"].as_u64(), imp["fromHuggingFace"].as_u64()),
        (Some(1), Some(1)),
        "{r}"
    );
    // The other keeps arXiv's failure as its reason, to be resolved by a later import.
    assert_eq!(imp["unresolved"][0]["label"], "arxiv.org/abs/1706.03762");
    assert!(
        imp["unresolved"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("arXiv lookup failed"),
        "{r}"
    );
    let shown = json(&mut run(
        data.path(),
        "http://127.0.0.1:9",
        &["--json", "lists", "--show", "two"],
    ));
    assert_eq!(
        shown[0]["paper"]["title"],
        "BDH-CQ: In-Context Learning with Recurrent Latent Reasoning"
    );
}

/// `eval-lists` on two real reading lists over 110 real papers
/// (`tests/fixtures/recommend/`): every figure it prints is what its own ranking gives by
/// hand; the lists' later papers rank high; a second run reuses the library's vectors.
#[test]
fn eval_lists_figures_match_a_hand_computation() {
    let data = tempfile::tempdir().unwrap();
    let args = [
        "--json",
        "eval-lists",
        "--lists",
        &fixture("recommend/lists.jsonl").display().to_string(),
        "--corpus",
        &fixture("recommend/papers.jsonl").display().to_string(),
        "--split",
        "2026-01-01",
    ];
    let report = json(&mut run(data.path(), "http://127.0.0.1:9", &args));
    let lists = report["lists"].as_array().unwrap();
    assert_eq!(lists.len(), 2);
    assert_eq!(lists[0]["name"], "industrial-anomaly-detection");
    assert_eq!(
        (lists[0]["train"].as_u64(), lists[0]["missing"].as_u64()),
        (Some(10), Some(0))
    );
    // 5 later papers per list, 90 papers in the pool (the 100 published since the split).
    assert_eq!(report["pool"], 90);
    let methods: Vec<&str> = report["methods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap())
        .collect();
    assert_eq!(
        methods,
        [
            "hybrid",
            "nearest",
            "centroid",
            "linear",
            "tfidf-plain",
            "tfidf-tuned",
            "tfidf-svm"
        ]
    );
    let results = report["results"].as_array().unwrap();
    assert_eq!(results.len(), 14);
    for r in results {
        let list = lists.iter().find(|l| l["name"] == r["list"]).unwrap();
        let test: Vec<i64> = list["test"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_i64().unwrap())
            .collect();
        assert_eq!(test.len(), 5);
        let ranked: Vec<i64> = r["ranked"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_i64().unwrap())
            .collect();
        // Every pool paper but none of the list's own.
        assert_eq!(ranked.len(), 90, "{r}");
        let places: Vec<usize> = test
            .iter()
            .map(|t| ranked.iter().position(|x| x == t).unwrap())
            .collect();
        let within = |k: usize| places.iter().filter(|p| **p < k).count() as f64 / 5.0;
        let dcg: f64 = places
            .iter()
            .filter(|p| **p < 50)
            .map(|p| 1.0 / (*p as f64 + 2.0).log2())
            .sum();
        let ideal: f64 = (0..5).map(|i| 1.0 / (i as f64 + 2.0).log2()).sum();
        let close = |key: &str, want: f64| {
            let got = r[key].as_f64().unwrap();
            assert!(
                (got - want).abs() < 1e-9,
                "{} {}: {key} {got} vs {want}",
                r["list"],
                r["method"]
            );
        };
        close("recall50", within(50));
        close("recall200", within(200));
        close("ndcg50", dcg / ideal);
    }
    // The default ranks each list's later papers near the top of 90.
    for l in lists {
        let r = results
            .iter()
            .find(|r| r["list"] == l["name"] && r["method"] == "hybrid")
            .unwrap();
        assert!(r["ndcg50"].as_f64().unwrap() > 0.6, "{r}");
    }
    // A second run embeds nothing new and gives the same figures.
    let again = json(&mut run(data.path(), "http://127.0.0.1:9", &args));
    assert_eq!(
        again["results"][0]["ranked"],
        report["results"][0]["ranked"]
    );
}

/// `rate`: three 👍 give For you its first recommendations without any list, a 👎 paper
/// is never among them, and ratings carry to another library through
/// `export-ratings` / `import-ratings`.
#[test]
fn ratings_teach_for_you_and_travel_as_json() {
    let data = tempfile::tempdir().unwrap();
    let api = "http://127.0.0.1:9";
    let corpus = fixture("arxiv_sample_40.jsonl").display().to_string();
    succeed(&mut run(data.path(), api, &["import-corpus", &corpus]));
    for (paper, rating) in [
        ("2503.11932", "up"),
        ("2503.11945", "up"),
        ("2503.12035", "up"),
        ("2503.11935", "down"),
    ] {
        succeed(&mut run(data.path(), api, &["rate", paper, rating]));
    }
    let recs = json(&mut run(
        data.path(),
        api,
        &["--json", "recommend", "--for-you", "--k", "40"],
    ));
    let ids: Vec<&str> = recs
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["paper"]["arxivId"].as_str().unwrap())
        .collect();
    // Every paper but the three liked and the one disliked.
    assert_eq!(ids.len(), 36, "{ids:?}");
    assert!(!ids.contains(&"2503.11935"));
    assert!(!ids.contains(&"2503.11932"));
    // The day's feed in For you's order: the liked papers lead, the disliked one is
    // gone, and the rest follow in the ranker's order (as For you ranks them).
    let feed = json(&mut run(
        data.path(),
        api,
        &[
            "--json",
            "feed",
            "--day",
            "2025-03-18",
            "--order",
            "for-you",
            "--k",
            "40",
        ],
    ));
    let feed: Vec<&str> = feed
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["paper"]["arxivId"].as_str().unwrap())
        .collect();
    assert_eq!(feed.len(), 39, "{feed:?}");
    let mut lead = feed[..3].to_vec();
    lead.sort();
    assert_eq!(lead, ["2503.11932", "2503.11945", "2503.12035"]);
    assert!(!feed.contains(&"2503.11935"));
    assert_eq!(feed[3..], ids[..]);
    let newest = json(&mut run(
        data.path(),
        api,
        &["--json", "feed", "--day", "2025-03-18", "--k", "40"],
    ));
    assert_eq!(newest.as_array().unwrap().len(), 40);
    // An unknown rating or paper is a clear error that changes nothing.
    let bad = run(data.path(), api, &["rate", "2503.11932", "sideways"])
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("use up or down"));
    let bad = run(data.path(), api, &["rate", "2699.00001", "up"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&bad.stderr).contains("no paper 2699.00001"));

    let exported = succeed(&mut run(data.path(), api, &["export-ratings"])).stdout;
    let rows: Value = serde_json::from_slice(&exported).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 4);
    let file = data.path().join("ratings.json");
    std::fs::write(&file, &exported).unwrap();

    // Another library with the same papers takes them in, times included.
    let other = tempfile::tempdir().unwrap();
    succeed(&mut run(
        other.path(),
        api,
        &["import-corpus", "--no-embed", &corpus],
    ));
    let restored = json(&mut run(
        other.path(),
        api,
        &["--json", "import-ratings", &file.display().to_string()],
    ));
    assert_eq!(restored["restored"], 4);
    let again: Value =
        serde_json::from_slice(&succeed(&mut run(other.path(), api, &["export-ratings"])).stdout)
            .unwrap();
    let key = |v: &Value| {
        let mut rows: Vec<String> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|r| format!("{} {} {}", r["key"], r["rating"], r["ratedAt"]))
            .collect();
        rows.sort();
        rows
    };
    assert_eq!(key(&again), key(&rows));

    // Taken back: three ratings left.
    succeed(&mut run(data.path(), api, &["rate", "2503.11935", "clear"]));
    let left: Value =
        serde_json::from_slice(&succeed(&mut run(data.path(), api, &["export-ratings"])).stdout)
            .unwrap();
    assert_eq!(left.as_array().unwrap().len(), 3);
    assert!(left.as_array().unwrap().iter().all(|r| r["rating"] == "up"));
}

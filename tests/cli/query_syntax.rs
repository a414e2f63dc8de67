//! The query syntax over 200 real arXiv records (tests/fixtures/arxiv_query_200.jsonl):
//! for a phrase, `author:`, `cat:`, an exclusion and a prefix, every result obeys the
//! constraint in all three modes, and the paper the free words describe comes first.
//! The constraints are checked here against the records themselves, not the index.

use crate::common::{fixture, model_cache};
use crate::{papersift, result_ids, succeed};
use serde_json::Value;
use std::collections::HashMap;

struct Record {
    text: Vec<String>,
    authors: Vec<String>,
    categories: Vec<String>,
}

fn words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

fn records() -> HashMap<String, Record> {
    std::fs::read_to_string(fixture("arxiv_query_200.jsonl"))
        .unwrap()
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            let s = |k: &str| v[k].as_str().unwrap().to_string();
            let list = |k: &str| -> Vec<String> {
                v[k].as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x.as_str().unwrap().to_string())
                    .collect()
            };
            let authors = list("authors");
            let text = words(&format!(
                "{} {} {}",
                s("title"),
                s("abstract"),
                authors.join(" ")
            ));
            (
                s("id"),
                Record {
                    text,
                    authors,
                    categories: list("categories"),
                },
            )
        })
        .collect()
}

fn has_phrase(text: &[String], phrase: &[&str]) -> bool {
    // The index stems ("point clouds" holds "point cloud"): the last word may go on.
    text.windows(phrase.len()).any(|w| {
        w.iter().zip(phrase).enumerate().all(|(i, (a, b))| {
            if i + 1 == phrase.len() {
                a.starts_with(b)
            } else {
                a == b
            }
        })
    })
}

struct Lib(tempfile::TempDir);

impl Lib {
    fn new() -> Lib {
        let lib = Lib(tempfile::tempdir().unwrap());
        let corpus = fixture("arxiv_query_200.jsonl");
        let out = lib.run(&["import-corpus", corpus.to_str().unwrap()]);
        assert_eq!(out["embedded"], 200, "{out}");
        lib
    }

    fn run(&self, args: &[&str]) -> Value {
        let out = succeed(
            papersift(self.0.path())
                .env("PAPERSIFT_MODEL_CACHE", model_cache())
                .arg("--json")
                .args(args),
        );
        serde_json::from_slice(&out.stdout).unwrap()
    }

    fn search(&self, query: &str, mode: &str) -> Value {
        self.run(&["search", query, "--mode", mode, "--k", "200"])
    }
}

#[test]
fn every_result_obeys_the_constraint_in_every_mode() {
    let lib = Lib::new();
    let recs = records();
    type Check = fn(&Record) -> bool;
    let cases: &[(&str, &str, Check)] = &[
        (
            "\"point cloud\" completion source-free domain adaptation",
            "2503.15144",
            |r| has_phrase(&r.text, &["point", "cloud"]),
        ),
        (
            "author:\"Yang Liu\" document compression for retrieval",
            "2504.03165",
            |r| r.authors.iter().any(|a| a == "Yang Liu"),
        ),
        (
            "cat:cs.GR rain synthesis with gaussian splatting",
            "2503.21442",
            |r| r.categories.iter().any(|c| c == "cs.GR"),
        ),
        (
            "concept erasure in text-to-image diffusion -video",
            "2503.14232",
            |r| !r.text.iter().any(|w| w == "video" || w == "videos"),
        ),
        (
            "segment* lidar instance clustering without training",
            "2503.13203",
            |r| r.text.iter().any(|w| w.starts_with("segment")),
        ),
    ];
    for (query, first, obeys) in cases {
        let allowed = recs.values().filter(|r| obeys(r)).count();
        assert!(
            allowed > 2 && allowed < 200,
            "{query}: the constraint should split the library, allows {allowed}"
        );
        for mode in ["hybrid", "dense", "keyword"] {
            let found = result_ids(&lib.search(query, mode));
            assert!(!found.is_empty(), "{query} ({mode}): nothing");
            assert_eq!(found[0], *first, "{query} ({mode}): {found:?}");
            for id in &found {
                assert!(obeys(&recs[id]), "{query} ({mode}): {id} breaks it");
            }
            if mode == "dense" {
                // Meaning ranks every paper that obeys (all are embedded).
                assert_eq!(found.len(), allowed, "{query} ({mode})");
            }
        }
    }
    // Without the exclusion, papers about video do come back: it excluded something.
    let plain =
        result_ids(&lib.search("concept erasure in text-to-image diffusion video", "dense"));
    assert!(plain
        .iter()
        .any(|id| recs[id].text.iter().any(|w| w == "video")));
}

#[test]
fn constraints_alone_list_matches_newest_first_and_malformed_queries_say_why() {
    let lib = Lib::new();
    let recs = records();
    let yang: Vec<&String> = recs
        .iter()
        .filter(|(_, r)| r.authors.iter().any(|a| a == "Yang Liu"))
        .map(|(id, _)| id)
        .collect();
    for mode in ["hybrid", "dense", "keyword"] {
        let out = lib.search("author:\"Yang Liu\"", mode);
        let found = result_ids(&out);
        assert_eq!(found.len(), yang.len(), "{mode}: {found:?}");
        assert!(found.iter().all(|id| yang.contains(&id)), "{mode}");
        let dates: Vec<&str> = out["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["published"].as_str().unwrap())
            .collect();
        assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
        assert_eq!(out["hint"], Value::Null);
    }
    // Surname alone, and an archive: `cat:cs` holds every cs.* paper and no eess one.
    let liu = result_ids(&lib.search("author:liu", "keyword"));
    assert!(liu.len() >= yang.len(), "{liu:?}");
    for id in &liu {
        assert!(recs[id]
            .authors
            .iter()
            .any(|a| words(a).contains(&"liu".into())));
    }
    let cs = result_ids(&lib.search("cat:cs -cat:cs.CV", "keyword"));
    let want = recs
        .values()
        .filter(|r| {
            r.categories.iter().any(|c| c.starts_with("cs."))
                && !r.categories.iter().any(|c| c == "cs.CV")
        })
        .count();
    assert_eq!(cs.len(), want);
    for id in &cs {
        assert!(recs[id].categories.iter().all(|c| c != "cs.CV"), "{id}");
    }

    // An unclosed quote: the plain words, and one quiet hint.
    let broken = lib.search("\"point cloud completion", "keyword");
    let words_only = lib.search("point cloud completion", "keyword");
    assert_eq!(result_ids(&broken), result_ids(&words_only));
    let (broken_h, words_h) = (
        lib.search("\"point cloud completion", "hybrid"),
        lib.search("point cloud completion", "hybrid"),
    );
    assert_eq!(result_ids(&broken_h)[0], result_ids(&words_h)[0]);
    assert_eq!(broken_h["hint"], broken["hint"]);
    assert_eq!(
        broken["hint"],
        "searched for the words; the quote was not closed"
    );
    let unknown = lib.search("venue:CVPR point cloud", "keyword");
    assert!(unknown["hint"]
        .as_str()
        .unwrap()
        .contains("'venue:' is not a field"));
    assert!(!result_ids(&unknown).is_empty());
}

#[test]
fn suggestions_match_titles_authors_and_categories_as_typed() {
    let lib = Lib::new();
    let suggest = |text: &str| -> Vec<(String, String, String)> {
        lib.run(&["suggest", text])["suggestions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                let f = |k: &str| s[k].as_str().unwrap().to_string();
                (f("kind"), f("text"), f("insert"))
            })
            .collect()
    };
    // Titles with every word, the last one a prefix; picking one opens the paper.
    let titles = suggest("point clo");
    let t: Vec<_> = titles.iter().filter(|s| s.0 == "title").collect();
    assert!(t.len() >= 3, "{titles:?}");
    for (_, title, key) in &t {
        let w = words(title);
        assert!(
            has_phrase(&w, &["point", "clo"])
                || (w.contains(&"point".into()) && w.iter().any(|x| x.starts_with("clo"))),
            "{title}"
        );
        assert!(!key.is_empty());
    }
    // An author by a prefix of the surname; picking it searches `author:"…"`.
    let yang = suggest("graphs by yang li");
    assert!(
        yang.iter()
            .any(|s| s.0 == "author" && s.1 == "Yang Liu" && s.2 == "author:\"Yang Liu\""),
        "{yang:?}"
    );
    assert!(yang
        .iter()
        .filter(|s| s.0 == "author")
        .all(|s| words(&s.1).iter().any(|w| w.starts_with("li"))));
    // Categories by code; `cat:` asks for categories only.
    let cats = suggest("cat:cs.g");
    assert_eq!(cats.len(), 1, "{cats:?}");
    assert_eq!(
        (cats[0].1.as_str(), cats[0].2.as_str()),
        ("cs.GR", "cat:cs.GR")
    );
    // Under two characters: nothing.
    assert!(suggest("p").is_empty());
}

#[test]
fn search_help_shows_the_syntax() {
    let out = succeed(papersift(tempfile::tempdir().unwrap().path()).args(["search", "--help"]));
    let help = String::from_utf8(out.stdout).unwrap();
    for part in [
        "Query syntax:",
        "\"exact phrase\"",
        "author:",
        "cat:cs.CL",
        "-word",
        "word*",
        "OR",
    ] {
        assert!(help.contains(part), "{part} missing from:\n{help}");
    }
}

//! Reading lists end to end: `papersift import` of realistic files, resolved against
//! the library and a loopback arXiv API; `lists`, `recommend` and `export`; bad files
//! change nothing; an offline import resolves later.

use crate::common::{fixture, model_cache, FixtureServer, Route};
use crate::{papersift, succeed};
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

/// Real papers (title, authors, category, date, opening of the abstract), served in the
/// arXiv API's Atom shape.
const PAPERS: &[(&str, &str, &str, &str, &str, &str)] = &[
    ("1706.03762v7", "Attention Is All You Need", "Ashish Vaswani|Noam Shazeer|Niki Parmar", "cs.CL", "2017-06-12", "The dominant sequence transduction models are based on complex recurrent or convolutional neural networks in an encoder-decoder configuration. We propose a new simple network architecture, the Transformer, based solely on attention mechanisms."),
    ("1810.04805v2", "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding", "Jacob Devlin|Ming-Wei Chang|Kenton Lee|Kristina Toutanova", "cs.CL", "2018-10-11", "We introduce a new language representation model called BERT, which stands for Bidirectional Encoder Representations from Transformers."),
    ("2006.11239v2", "Denoising Diffusion Probabilistic Models", "Jonathan Ho|Ajay Jain|Pieter Abbeel", "cs.LG", "2020-06-19", "We present high quality image synthesis results using diffusion probabilistic models, a class of latent variable models inspired by considerations from nonequilibrium thermodynamics."),
    ("hep-th/9711200v3", "The Large N Limit of Superconformal Field Theories and Supergravity", "Juan M. Maldacena", "hep-th", "1997-11-27", "We show that the large N limit of certain conformal field theories in various dimensions include in their Hilbert space a sector describing supergravity on the product of Anti-deSitter spacetimes, spheres and other compact manifolds."),
    ("2112.10752v2", "High-Resolution Image Synthesis with Latent Diffusion Models", "Robin Rombach|Andreas Blattmann|Dominik Lorenz|Patrick Esser|Björn Ommer", "cs.CV", "2021-12-20", "By decomposing the image formation process into a sequential application of denoising autoencoders, diffusion models achieve state-of-the-art synthesis results on image data and beyond."),
    ("2202.00512v2", "Progressive Distillation for Fast Sampling of Diffusion Models", "Tim Salimans|Jonathan Ho", "cs.LG", "2022-02-01", "Diffusion models have recently shown great promise for generative modeling, outperforming GANs on perceptual quality and autoregressive models at density estimation."),
];

fn api_feed(ids: &[&str]) -> String {
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom">"#,
    );
    xml.push_str(&format!(
        "<opensearch:totalResults>{}</opensearch:totalResults>",
        ids.len()
    ));
    for (id, title, authors, cat, date, abs) in PAPERS.iter().filter(|p| {
        ids.contains(&p.0.split('v').next().unwrap_or(""))
            || ids.iter().any(|i| p.0.starts_with(&format!("{i}v")))
    }) {
        xml.push_str(&format!("<entry><id>http://arxiv.org/abs/{id}</id><updated>{date}T00:00:00Z</updated><published>{date}T00:00:00Z</published><title>{title}</title><summary>{abs}</summary>"));
        for a in authors.split('|') {
            xml.push_str(&format!("<author><name>{a}</name></author>"));
        }
        xml.push_str(&format!(
            r#"<arxiv:primary_category term="{cat}"/><category term="{cat}"/></entry>"#
        ));
    }
    xml.push_str("</feed>");
    xml
}

fn run(data: &Path, api: &str, args: &[&str]) -> Command {
    let mut c = papersift(data);
    c.args(args)
        .env("PAPERSIFT_MODEL_CACHE", model_cache())
        .env("PAPERSIFT_ARXIV_API_URL", api)
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
        .contains("not an arXiv paper"));
    let reqs = server.requests();
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
    assert_eq!(id_list(&server.requests()[1]), "2112.10752,2202.00512");

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
    assert_eq!(server.requests().len(), 2);
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
            !in_list.contains(&r["paper"]["arxiv_id"].as_str().unwrap_or("")),
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
        .all(|r| r["paper"]["arxiv_id"] != "2202.00512"));

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

//! Store tests: migrations, upserts, merging, full-text sync, embeddings, settings.

use super::*;
use crate::model::{ArxivId, Link, PaperInput, Source};
use crate::query::Filter;
use rusqlite::params;

fn paper(key: &str, title: &str, abs: &str) -> PaperInput {
    PaperInput {
        key: key.into(),
        arxiv: ArxivId::parse(key),
        title: title.into(),
        abstract_text: abs.into(),
        authors: vec!["Ada Lovelace".into(), "Alan Turing".into()],
        published: Some("2024-01-02".into()),
        categories: vec!["cs.LG".into()],
        sources: vec![Source::Arxiv],
        ..Default::default()
    }
}

#[test]
fn fresh_database_is_at_latest_version_with_all_tables() {
    let store = Store::open_in_memory().unwrap();
    assert_eq!(store.schema_version().unwrap(), latest_version());
    for table in [
        "papers",
        "papers_fts",
        "embeddings",
        "reading_lists",
        "reading_list_items",
        "sync_state",
        "alert_rules",
        "alert_matches",
        "settings",
        "map_points",
    ] {
        let n: i64 = store
            .conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name = ?",
                [table],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 1, "table {table}");
    }
}

#[test]
fn every_older_version_upgrades_keeping_data() {
    let dir = tempfile::tempdir().unwrap();
    for from in 1..latest_version() {
        let path = dir.path().join(format!("v{from}.sqlite3"));
        {
            let old = Store::open_at_version(&path, from).unwrap();
            assert_eq!(old.schema_version().unwrap(), from);
            // Written as that version's code would: only the columns it had.
            old.conn
                .execute(
                    "INSERT INTO papers (key, arxiv_id, title, abstract, authors, content_hash) \
                     VALUES ('2401.00001', '2401.00001', 'Kept across upgrades', 'Abstract.', '[\"A B\"]', 'h')",
                    [],
                )
                .unwrap();
        }
        let store = Store::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), latest_version());
        let (_, p) = store.paper("2401.00001").unwrap().unwrap();
        assert_eq!(p.title, "Kept across upgrades");
        // The database as it was before the upgrade is kept beside it.
        let backup = dir
            .path()
            .join(format!("v{from}.sqlite3.schema-{from}.bak"));
        let old = rusqlite::Connection::open(&backup).unwrap();
        let v: i64 = old
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        let n: i64 = old
            .query_row("SELECT count(*) FROM papers", [], |r| r.get(0))
            .unwrap();
        assert_eq!((v, n), (from, 1));
        assert_eq!(
            store
                .keyword_search("\"upgrades\"", 5, &Filter::default())
                .unwrap()
                .len(),
            1
        );
        assert!(store.integrity_ok().unwrap());
    }
}

#[test]
fn a_damaged_file_is_reported_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    // Not a database at all, and a database whose pages were overwritten.
    let junk = dir.path().join("junk.sqlite3");
    std::fs::write(
        &junk,
        b"this is not an SQLite database, just some text\n".repeat(200),
    )
    .unwrap();
    let damaged = dir.path().join("damaged.sqlite3");
    {
        let store = Store::open(&damaged).unwrap();
        store
            .conn
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
            .unwrap();
    }
    let mut bytes = std::fs::read(&damaged).unwrap();
    for b in &mut bytes[100..4096] {
        *b = 0xA5;
    }
    std::fs::write(&damaged, &bytes).unwrap();
    for path in [&junk, &damaged] {
        let before = std::fs::read(path).unwrap();
        let err = Store::open(path).err().expect("refused");
        assert_eq!(err.kind(), "damaged", "{err}");
        assert!(err.to_string().contains("has not changed it"), "{err}");
        assert_eq!(std::fs::read(path).unwrap(), before, "the file was changed");
    }
}

#[test]
fn newer_schema_is_refused_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lib.sqlite3");
    {
        let store = Store::open(&path).unwrap();
        store
            .conn
            .pragma_update(None, "user_version", latest_version() + 1)
            .unwrap();
    }
    let err = Store::open(&path).err().unwrap();
    assert!(
        matches!(err, crate::Error::NewerSchema { found, .. } if found == latest_version() + 1)
    );
    assert!(err.to_string().contains("newer Papersift"));
}

#[test]
fn wal_mode_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("x/lib.sqlite3")).unwrap();
    let mode: String = store
        .conn
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn upsert_round_trip_and_idempotence() {
    let mut store = Store::open_in_memory().unwrap();
    let mut input = paper(
        "arXiv:2401.12345v2",
        "Sparse attention",
        "We study sparse attention.",
    );
    input.key = "2401.12345".into();
    input.upvotes = Some(7);
    input.links = vec![Link {
        kind: "abs".into(),
        url: "https://arxiv.org/abs/2401.12345".into(),
    }];
    let r1 = store.upsert_papers(std::slice::from_ref(&input)).unwrap();
    assert_eq!(r1.inserted.len(), 1);
    let r2 = store.upsert_papers(std::slice::from_ref(&input)).unwrap();
    assert_eq!(
        r2,
        UpsertReport {
            unchanged: 1,
            ..Default::default()
        }
    );
    assert_eq!(store.paper_count().unwrap(), 1);

    let (id, p) = store.paper("2401.12345").unwrap().unwrap();
    assert_eq!(id, r1.inserted[0]);
    assert_eq!(p.arxiv_id.as_deref(), Some("2401.12345"));
    assert_eq!(p.arxiv_version, Some(2));
    assert_eq!(p.authors, vec!["Ada Lovelace", "Alan Turing"]);
    assert_eq!(p.author_count, 2);
    assert_eq!(p.categories, vec!["cs.LG"]);
    assert_eq!(p.sources, vec![Source::Arxiv]);
    assert_eq!(p.upvotes, Some(7));
    assert_eq!(p.links[0].url, "https://arxiv.org/abs/2401.12345");
    assert_eq!(p.published.as_deref(), Some("2024-01-02"));
}

#[test]
fn second_source_merges_into_one_row() {
    let mut store = Store::open_in_memory().unwrap();
    store
        .upsert_papers(&[paper("2401.12345", "Sparse attention", "Old abstract.")])
        .unwrap();
    let from_hf = PaperInput {
        key: "2401.12345".into(),
        arxiv: ArxivId::parse("2401.12345v3"),
        title: "Sparse attention".into(),
        abstract_text: "New abstract.".into(),
        sources: vec![Source::Hf],
        upvotes: Some(42),
        published: Some("2024-05-05".into()),
        ..Default::default()
    };
    let r = store.upsert_papers(&[from_hf]).unwrap();
    assert_eq!(r.updated.len(), 1);
    assert_eq!(r.text_changed, r.updated);
    let (_, p) = store.paper("2401.12345").unwrap().unwrap();
    assert_eq!(p.sources, vec![Source::Hf, Source::Arxiv]);
    assert_eq!(p.upvotes, Some(42));
    assert_eq!(p.arxiv_version, Some(3));
    assert_eq!(p.abstract_text, "New abstract.");
    assert_eq!(
        p.authors.len(),
        2,
        "authors kept when the new source has none"
    );
    assert_eq!(
        p.published.as_deref(),
        Some("2024-01-02"),
        "first publication date stays"
    );
    assert_eq!(store.paper_count().unwrap(), 1);
    // The full-text index follows the update.
    assert!(store
        .keyword_search("\"old\"", 5, &Filter::default())
        .unwrap()
        .is_empty());
    assert_eq!(
        store
            .keyword_search("\"new\"", 5, &Filter::default())
            .unwrap()
            .len(),
        1
    );
}

/// A paper from a source that knows it only by DOI.
fn by_doi(doi: &str, title: &str, source: Source) -> PaperInput {
    let d = crate::model::Doi::parse(doi).unwrap();
    PaperInput {
        key: crate::model::paper_key(None, Some(&d), None).unwrap(),
        doi: Some(d),
        title: title.into(),
        abstract_text: format!("{title} abstract."),
        sources: vec![source],
        ..Default::default()
    }
}

#[test]
fn a_paper_named_by_any_known_id_merges_into_one_row() {
    let mut store = Store::open_in_memory().unwrap();
    // A bioRxiv preprint whose journal version is known.
    let mut preprint = by_doi("10.1101/2024.01.02.573880", "Cell atlas", Source::Biorxiv);
    preprint.other_dois = vec![crate::model::Doi::parse("10.1038/S41586-024-00001-X").unwrap()];
    let r = store.upsert_papers(&[preprint]).unwrap();
    let row = r.inserted[0];
    // The journal's feed names it by the published DOI, in another case.
    let mut journal = by_doi(
        "https://doi.org/10.1038/s41586-024-00001-x",
        "Cell atlas",
        Source::Feed,
    );
    journal.journal = Some("Nature".into());
    let r = store.upsert_papers(&[journal]).unwrap();
    assert_eq!((r.inserted.len(), r.updated.clone()), (0, vec![row]));
    let (id, p) = store.paper("10.1101/2024.01.02.573880").unwrap().unwrap();
    assert_eq!(id, row);
    assert_eq!(p.key, "doi:10.1101/2024.01.02.573880");
    assert_eq!(
        p.doi.as_deref(),
        Some("10.1038/s41586-024-00001-x"),
        "the journal version is cited"
    );
    assert_eq!(p.journal.as_deref(), Some("Nature"));
    assert_eq!(p.sources, vec![Source::Biorxiv, Source::Feed]);
    assert_eq!(
        store.paper_id("doi:10.1038/S41586-024-00001-X").unwrap(),
        Some(row)
    );
    assert_eq!(
        store.paper_id("10.1038/S41586-024-00001-X").unwrap(),
        Some(row)
    );

    // arXiv's own DOI is the arXiv id.
    let r = store
        .upsert_papers(&[by_doi(
            "10.48550/arXiv.2401.12345",
            "Sparse attention",
            Source::Crossref,
        )])
        .unwrap();
    let arxiv_row = r.inserted[0];
    let r = store
        .upsert_papers(&[paper("2401.12345", "Sparse attention", "From arXiv.")])
        .unwrap();
    assert_eq!(r.updated, vec![arxiv_row]);
    let (_, p) = store.paper("2401.12345").unwrap().unwrap();
    assert_eq!(
        (p.arxiv_id.as_deref(), p.doi.as_deref()),
        (Some("2401.12345"), None)
    );

    // Two rows that each held the paper under one id, until an input names both: one
    // row stays, with the other's list entries, ratings and seen mark.
    let r = store
        .upsert_papers(&[by_doi(
            "10.1109/cvpr52688.2022.01042",
            "Latent diffusion",
            Source::Feed,
        )])
        .unwrap();
    let doi_row = r.inserted[0];
    let r = store
        .upsert_papers(&[paper(
            "2112.10752",
            "Latent diffusion",
            "High-resolution images.",
        )])
        .unwrap();
    let arxiv_row = r.inserted[0];
    store
        .conn
        .execute_batch(&format!(
            "INSERT INTO reading_lists (id, name) VALUES (7, 'gen');
             INSERT INTO reading_list_items (list_id, paper_id, entry) VALUES (7, {arxiv_row}, 'x');
             INSERT INTO ratings (paper_id, list_id, value) VALUES ({arxiv_row}, 0, 1);
             INSERT INTO seen (paper_id) VALUES ({arxiv_row});"
        ))
        .unwrap();
    let before = store.paper_count().unwrap();
    let mut both = paper("2112.10752", "Latent diffusion", "High-resolution images.");
    both.doi = crate::model::Doi::parse("10.1109/CVPR52688.2022.01042");
    both.journal = Some("CVPR".into());
    let r = store.upsert_papers(&[both.clone()]).unwrap();
    assert_eq!(r.merged_away, vec![arxiv_row]);
    assert_eq!(r.updated, vec![doi_row]);
    assert_eq!(store.paper_count().unwrap(), before - 1);
    let (id, p) = store.paper("2112.10752").unwrap().unwrap();
    assert_eq!(id, doi_row);
    assert_eq!(p.doi.as_deref(), Some("10.1109/cvpr52688.2022.01042"));
    assert_eq!(p.sources, vec![Source::Arxiv, Source::Feed]);
    for table in ["reading_list_items", "ratings", "seen"] {
        let on: i64 = store
            .conn
            .query_row(&format!("SELECT paper_id FROM {table}"), [], |r| r.get(0))
            .unwrap();
        assert_eq!(on, doi_row, "{table}");
    }
    // Once merged, the same input changes nothing.
    let r = store.upsert_papers(&[both]).unwrap();
    assert_eq!((r.unchanged, r.merged_away.len()), (1, 0));
}

#[test]
fn keyword_search_ranks_and_filters() {
    let mut store = Store::open_in_memory().unwrap();
    let mut a = paper(
        "2401.00001",
        "Diffusion models for images",
        "Diffusion diffusion everywhere.",
    );
    a.categories = vec!["cs.CV".into()];
    a.published = Some("2023-06-01".into());
    let b = paper(
        "2401.00002",
        "Language models",
        "A note that mentions diffusion once.",
    );
    let c = paper("2401.00003", "Graph networks", "Nothing relevant.");
    store.upsert_papers(&[a, b, c]).unwrap();
    let id_of = |s: &Store, k: &str| s.paper(k).unwrap().unwrap().0;
    let hits = store
        .keyword_search("\"diffusion\"", 10, &Filter::default())
        .unwrap();
    assert_eq!(
        hits.iter().map(|h| h.0).collect::<Vec<_>>(),
        vec![id_of(&store, "2401.00001"), id_of(&store, "2401.00002")]
    );
    assert!(hits[0].1 > hits[1].1);
    let by_author = store
        .keyword_search("\"lovelace\"", 10, &Filter::default())
        .unwrap();
    assert_eq!(by_author.len(), 3, "authors are indexed");

    let cat = Filter {
        category: Some("cs.LG".into()),
        ..Default::default()
    };
    let hits = store.keyword_search("\"diffusion\"", 10, &cat).unwrap();
    assert_eq!(
        hits.iter().map(|h| h.0).collect::<Vec<_>>(),
        vec![id_of(&store, "2401.00002")]
    );
    let dates = Filter {
        from: Some("2024-01-01".into()),
        to: Some("2024-12-31".into()),
        ..Default::default()
    };
    assert_eq!(store.filtered_ids(&dates).unwrap().len(), 2);
    let src = Filter {
        source: Some("hf".into()),
        ..Default::default()
    };
    assert!(store.filtered_ids(&src).unwrap().is_empty());
    // In a reading list.
    let mut store = store;
    let (list, _) = store
        .save_import(
            "mine",
            None,
            None,
            None,
            &[crate::store::NewItem {
                key: "arxiv:2401.00002".into(),
                label: None,
                title: None,
                paper_id: Some(id_of(&store, "2401.00002")),
                unresolved_reason: None,
                waiting: false,
            }],
        )
        .unwrap();
    let in_list = Filter {
        list: Some(list),
        ..Default::default()
    };
    assert_eq!(
        store.filtered_ids(&in_list).unwrap(),
        vec![id_of(&store, "2401.00002")]
    );
}

#[test]
fn embeddings_round_trip_and_go_stale_with_text() {
    let mut store = Store::open_in_memory().unwrap();
    let r = store
        .upsert_papers(&[paper("2401.00001", "A", "x"), paper("2401.00002", "B", "y")])
        .unwrap();
    let pending = store.pending_embeddings("m1", 10).unwrap();
    assert_eq!(pending.len(), 2);
    // Newest first: the latest sync's papers become searchable first.
    assert_eq!(pending[0].text, "B. y");
    assert_eq!(pending[1].text, "A. x");
    let items: Vec<(i64, String, Vec<f32>)> = pending
        .iter()
        .enumerate()
        .map(|(i, p)| {
            (
                p.paper_id,
                p.content_hash.clone(),
                vec![i as f32, 0.5, -1.25],
            )
        })
        .collect();
    store.put_embeddings("m1", &items).unwrap();
    assert_eq!(store.pending_embedding_count("m1").unwrap(), 0);
    assert_eq!(
        store.pending_embedding_count("m2").unwrap(),
        2,
        "another model needs its own"
    );
    let v = store.load_embeddings("m1").unwrap();
    assert_eq!(v.dim, 3);
    assert_eq!(v.ids, r.inserted);
    // Stored in paper order: paper 2 got vector 0 (embedded first), paper 1 vector 1.
    assert_eq!(v.data, vec![1.0, 0.5, -1.25, 0.0, 0.5, -1.25]);

    // A changed abstract makes that vector stale.
    store
        .upsert_papers(&[paper("2401.00002", "B", "changed")])
        .unwrap();
    assert_eq!(store.pending_embedding_count("m1").unwrap(), 1);
    assert_eq!(store.embedding_count("m1").unwrap(), 1);
    // Its old vector still serves until the paper is embedded again.
    assert_eq!(store.load_embeddings("m1").unwrap().ids, r.inserted);
}

#[test]
fn deleting_a_paper_cleans_index_and_vectors() {
    let mut store = Store::open_in_memory().unwrap();
    let r = store
        .upsert_papers(&[paper("2401.00001", "Unique words", "zebra")])
        .unwrap();
    store
        .put_embeddings("m", &[(r.inserted[0], "h".into(), vec![1.0])])
        .unwrap();
    store
        .conn
        .execute("DELETE FROM papers WHERE id = ?", params![r.inserted[0]])
        .unwrap();
    assert!(store
        .keyword_search("\"zebra\"", 5, &Filter::default())
        .unwrap()
        .is_empty());
    let n: i64 = store
        .conn
        .query_row("SELECT count(*) FROM embeddings", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 0);
}

#[test]
fn settings_round_trip() {
    let store = Store::open_in_memory().unwrap();
    assert_eq!(store.setting("theme").unwrap(), None);
    store.set_setting("theme", "\"dark\"").unwrap();
    store.set_setting("theme", "\"light\"").unwrap();
    assert_eq!(
        store.setting("theme").unwrap().as_deref(),
        Some("\"light\"")
    );
}

#[test]
fn content_hash_is_stable() {
    assert_eq!(content_hash(""), "cbf29ce484222325");
    assert_ne!(content_hash("a"), content_hash("b"));
}

#[test]
fn tex_is_cleaned_when_stored_and_the_original_kept() {
    let mut store = Store::open_in_memory().unwrap();
    let mut p = paper(
        "2401.00007",
        r#"Schr{\"o}dinger Bridges at \$15"#,
        r"We sort in $O(n \log n)$ and gain 99\% with \emph{less}.",
    );
    p.authors = vec![r#"Kurt G\"{o}del"#.into(), "Ada Lovelace".into()];
    store.upsert_papers(&[p.clone()]).unwrap();
    let (_, got) = store.paper("2401.00007").unwrap().unwrap();
    assert_eq!(got.title, "Schrödinger Bridges at $15");
    assert_eq!(
        got.abstract_text,
        r"We sort in $O(n \log n)$ and gain 99% with less."
    );
    assert_eq!(got.authors, vec!["Kurt Gödel", "Ada Lovelace"]);
    assert!(got.math.title.is_empty(), "a price is not math");
    assert_eq!(got.math.abstract_text.len(), 1);
    assert_eq!(got.math.abstract_text[0].start, 11);
    assert_eq!(got.original.title.as_deref(), Some(p.title.as_str()));
    assert_eq!(
        got.original.abstract_text.as_deref(),
        Some(p.abstract_text.as_str())
    );
    assert_eq!(got.original.authors.as_ref(), Some(&p.authors));
    assert!(got.first_seen.as_deref().is_some_and(|d| d.len() == 10));
    // The same input again changes nothing; the accents match unaccented keywords.
    let again = store.upsert_papers(&[p]).unwrap();
    assert_eq!(again.unchanged, 1);
    for q in ["\"schrodinger\"", "\"godel\"", "\"schrödinger\""] {
        assert_eq!(
            store
                .keyword_search(q, 5, &Filter::default())
                .unwrap()
                .len(),
            1,
            "{q}"
        );
    }
    // Text without TeX keeps no second copy.
    store
        .upsert_papers(&[paper("2401.00008", "Plain title", "Plain abstract.")])
        .unwrap();
    let (_, plain) = store.paper("2401.00008").unwrap().unwrap();
    assert_eq!(plain.original, crate::model::Original::default());
    assert!(plain.math.is_empty());
}

#[test]
fn an_upgraded_library_is_cleaned_from_its_originals_keeping_old_vectors() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v8.sqlite3");
    {
        let mut old = Store::open_at_version(&path, 8).unwrap();
        for (key, title) in [
            ("2401.00001", r"Fr\'echet Distance for \textbf{All}"),
            ("2401.00002", "No TeX here"),
        ] {
            old.conn
                .execute(
                    "INSERT INTO papers (key, arxiv_id, title, abstract, authors, content_hash) \
                     VALUES (?1, ?1, ?2, 'Abstract.', '[\"A B\"]', ?3)",
                    params![key, title, content_hash(&format!("{title}. Abstract."))],
                )
                .unwrap();
        }
        let pending = old.pending_embeddings("m", 10).unwrap();
        let items: Vec<_> = pending
            .iter()
            .map(|p| (p.paper_id, p.content_hash.clone(), vec![1.0, 0.0]))
            .collect();
        old.put_embeddings("m", &items).unwrap();
    }
    let store = Store::open(&path).unwrap();
    let (_, p) = store.paper("2401.00001").unwrap().unwrap();
    assert_eq!(p.title, "Fréchet Distance for All");
    assert_eq!(
        p.original.title.as_deref(),
        Some(r"Fr\'echet Distance for \textbf{All}")
    );
    // Only the changed paper is embedded again; its old vector serves meanwhile.
    assert_eq!(store.pending_embedding_count("m").unwrap(), 1);
    assert_eq!(store.load_embeddings("m").unwrap().ids.len(), 2);
    assert_eq!(
        store
            .keyword_search("\"frechet\"", 5, &Filter::default())
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        store.setting("tex.cleaner_version").unwrap().as_deref(),
        Some("1")
    );
    drop(store);
    // Opening again finds nothing left to clean.
    let mut store = Store::open(&path).unwrap();
    assert_eq!(store.reclean().unwrap(), 0);
}

#[test]
fn not_interested_marks_become_dislikes_and_ratings_follow_their_lists() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v10.sqlite3");
    {
        let old = Store::open_at_version(&path, 10).unwrap();
        old.conn
            .execute_batch(
                "INSERT INTO papers (id, key, title, content_hash) VALUES \
                   (1, 'a', 'A', 'h'), (2, 'b', 'B', 'h'), (3, 'c', 'C', 'h');
                 INSERT INTO not_interested (paper_id, at) VALUES (2, '2026-01-02T03:04:05Z');",
            )
            .unwrap();
    }
    let mut store = Store::open(&path).unwrap();
    let rows = store.ratings().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (
            rows[0].paper_id,
            rows[0].list_id,
            rows[0].rating,
            rows[0].rated_at.as_str()
        ),
        (2, None, Rating::Down, "2026-01-02T03:04:05Z")
    );
    // 👍 inside a list counts for it and for For you; 👎 everywhere.
    let (list, _) = store.save_import("l", None, None, None, &[]).unwrap();
    let (other, _) = store.save_import("m", None, None, None, &[]).unwrap();
    store.set_rating(1, Some(list), Some(Rating::Up)).unwrap();
    store.set_rating(3, None, Some(Rating::Up)).unwrap();
    assert_eq!(store.rated_ids(Some(list)).unwrap(), (vec![1], vec![2]));
    assert_eq!(store.rated_ids(Some(other)).unwrap(), (vec![], vec![2]));
    assert_eq!(store.rated_ids(None).unwrap(), (vec![1, 3], vec![2]));
    // A new rating replaces the old; clearing removes it.
    store.set_rating(3, None, Some(Rating::Down)).unwrap();
    assert_eq!(store.rated_ids(None).unwrap(), (vec![1], vec![2, 3]));
    store.set_rating(3, None, None).unwrap();
    // Merging a list moves its ratings; deleting one removes them; reset clears a place.
    store.merge_lists(list, other).unwrap();
    assert_eq!(store.rated_ids(Some(other)).unwrap(), (vec![1], vec![2]));
    store.delete_list(other).unwrap();
    assert_eq!(store.rated_ids(None).unwrap(), (vec![], vec![2]));
    assert_eq!(store.reset_ratings(None).unwrap(), 1);
    assert!(store.ratings().unwrap().is_empty());
}

//! Library tests with a small deterministic embedder (hashed bag of words). The real
//! model is exercised in papersift-embed and the end-to-end tests.

use super::*;
use crate::model::{ArxivId, Source};
use crate::query::Filter;

/// Hashes words into 64 buckets: texts sharing words get similar vectors.
struct BagOfWords;

impl Embedder for BagOfWords {
    fn model_id(&self) -> &str {
        "test-bag-of-words"
    }
    fn dim(&self) -> usize {
        64
    }
    fn embed_documents(&self, texts: &[String]) -> Result<Vec<Vec<f32>>> {
        Ok(texts.iter().map(|t| self.embed_query(t).unwrap()).collect())
    }
    fn embed_query(&self, text: &str) -> Result<Vec<f32>> {
        let mut v = vec![0.0f32; 64];
        for w in text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.len() > 2)
        {
            let h = crate::store::content_hash(&w.to_lowercase());
            v[usize::from_str_radix(&h[..2], 16).unwrap() % 64] += 1.0;
        }
        crate::rank::vector::normalize(&mut v);
        Ok(v)
    }
}

fn input(key: &str, title: &str, abs: &str, cat: &str) -> PaperInput {
    PaperInput {
        key: key.into(),
        arxiv: ArxivId::parse(key),
        title: title.into(),
        abstract_text: abs.into(),
        categories: vec![cat.into()],
        sources: vec![Source::Arxiv],
        published: Some("2025-01-01".into()),
        ..Default::default()
    }
}

fn library() -> Library {
    let lib = Library::open_in_memory(Some(Arc::new(BagOfWords))).unwrap();
    lib.upsert_papers(&[
        input(
            "2501.00001",
            "Protein folding",
            "protein structure prediction with attention",
            "q-bio.BM",
        ),
        input(
            "2501.00002",
            "Image diffusion",
            "denoising diffusion for image synthesis",
            "cs.CV",
        ),
        input(
            "2501.00003",
            "Language models",
            "large language models reasoning benchmarks",
            "cs.CL",
        ),
    ])
    .unwrap();
    lib
}

#[test]
fn embedding_pass_reports_progress_and_fills_index() {
    let lib = library();
    assert_eq!(lib.pending_embeddings().unwrap(), 3);
    let mut seen = Vec::new();
    let n = lib
        .embed_pending(2, &mut |done, total| seen.push((done, total)))
        .unwrap();
    assert_eq!(n, 3);
    assert_eq!(seen, vec![(0, 3), (2, 3), (3, 3)]);
    let stats = lib.stats().unwrap();
    assert_eq!((stats.papers, stats.embedded, stats.pending), (3, 3, 0));
    assert_eq!(stats.model.as_deref(), Some("test-bag-of-words"));
    // A second pass has nothing to do.
    assert_eq!(lib.embed_pending(2, &mut |_, _| {}).unwrap(), 0);
}

/// The same bag of words under another id, accepting [`BagOfWords`]' vectors as stand-ins
/// (as int8 MiniLM accepts fp32's).
struct Requantized;

impl Embedder for Requantized {
    fn model_id(&self) -> &str {
        "test-bag-of-words-int8"
    }
    fn dim(&self) -> usize {
        64
    }
    fn embed_documents(&self, texts: &[String]) -> Result<Vec<Vec<f32>>> {
        BagOfWords.embed_documents(texts)
    }
    fn embed_query(&self, text: &str) -> Result<Vec<f32>> {
        BagOfWords.embed_query(text)
    }
    fn stand_in_models(&self) -> Vec<String> {
        vec!["test-bag-of-words".into()]
    }
}

#[test]
fn a_new_default_model_reindexes_newest_first_while_search_answers_throughout() {
    let lib = library();
    lib.embed_pending(8, &mut |_, _| {}).unwrap();
    lib.set_embedder(Arc::new(Requantized)).unwrap();
    let dense = SearchOptions {
        mode: SearchMode::Dense,
        k: 10,
        ..Default::default()
    };
    // Before the pass: every paper answers through its stand-in vector.
    assert_eq!(lib.pending_embeddings().unwrap(), 3);
    assert_eq!(
        lib.search("protein diffusion language", &dense)
            .unwrap()
            .len(),
        3
    );
    let mut answered = Vec::new();
    let mut first_done = Vec::new();
    lib.embed_pending(1, &mut |done, _| {
        answered.push(
            lib.search("protein diffusion language", &dense)
                .unwrap()
                .len(),
        );
        if done == 1 {
            first_done = lib
                .store()
                .load_embeddings("test-bag-of-words-int8")
                .unwrap()
                .ids;
        }
    })
    .unwrap();
    assert_eq!(answered, vec![3, 3, 3, 3]);
    // The newest paper (the last stored) is embedded first.
    let newest = lib
        .store()
        .paper_id_by_arxiv("2501.00003")
        .unwrap()
        .unwrap();
    assert_eq!(first_done, vec![newest]);
    assert_eq!(lib.pending_embeddings().unwrap(), 0);
    let stats = lib.stats().unwrap();
    assert_eq!((stats.embedded, stats.pending), (3, 0));
}

#[test]
fn pace_is_papers_per_second_and_the_time_left() {
    use std::time::Duration;
    assert_eq!(Library::pace(0, 100, Duration::from_secs(3)), (None, None));
    assert_eq!(
        Library::pace(64, 320, Duration::from_secs(2)),
        (Some(32.0), Some(8.0))
    );
    assert_eq!(
        Library::pace(320, 320, Duration::from_secs(10)),
        (Some(32.0), Some(0.0))
    );
}

#[test]
fn dense_keyword_and_hybrid_modes() {
    let lib = library();
    lib.embed_pending(8, &mut |_, _| {}).unwrap();
    for mode in [SearchMode::Dense, SearchMode::Keyword, SearchMode::Hybrid] {
        let opts = SearchOptions {
            mode,
            k: 3,
            ..Default::default()
        };
        let hits = lib
            .search("denoising diffusion image synthesis", &opts)
            .unwrap();
        assert_eq!(hits[0].paper.key, "2501.00002", "mode {mode:?}");
        match mode {
            SearchMode::Dense => {
                assert!(hits[0].parts.dense.unwrap() > 0.9);
                assert!(hits[0].parts.keyword.is_none());
            }
            SearchMode::Keyword => {
                assert_eq!(hits.len(), 1, "only one paper has these words");
                assert!(hits[0].parts.dense.is_none());
            }
            SearchMode::Hybrid => {
                assert_eq!(hits[0].parts.dense_rank, Some(1));
                assert_eq!(hits[0].parts.keyword_rank, Some(1));
                // First in both lists: the top of both normalized scales.
                assert!((hits[0].score - 1.0).abs() < 1e-12, "{}", hits[0].score);
            }
        }
    }
}

#[test]
fn filters_apply_to_dense_results() {
    let lib = library();
    lib.embed_pending(8, &mut |_, _| {}).unwrap();
    let opts = SearchOptions {
        mode: SearchMode::Dense,
        k: 3,
        filter: Filter {
            category: Some("cs.CL".into()),
            ..Default::default()
        },
        ..Default::default()
    };
    let hits = lib
        .search("denoising diffusion image synthesis", &opts)
        .unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].paper.key, "2501.00003");
}

#[test]
fn index_follows_changed_text() {
    let lib = library();
    lib.embed_pending(8, &mut |_, _| {}).unwrap();
    let mut changed = input(
        "2501.00001",
        "Protein folding",
        "galaxy cluster cosmology survey",
        "q-bio.BM",
    );
    changed.sources = vec![Source::Hf];
    let r = lib.upsert_papers(&[changed]).unwrap();
    assert_eq!(r.text_changed.len(), 1);
    assert_eq!(lib.pending_embeddings().unwrap(), 1);
    lib.embed_pending(8, &mut |_, _| {}).unwrap();
    let opts = SearchOptions {
        mode: SearchMode::Dense,
        k: 1,
        ..Default::default()
    };
    assert_eq!(
        lib.search("galaxy cluster cosmology survey", &opts)
            .unwrap()[0]
            .paper
            .key,
        "2501.00001"
    );
}

#[test]
fn without_a_model_hybrid_falls_back_to_keywords_and_dense_explains() {
    let lib = Library::open_in_memory(None).unwrap();
    assert!(lib.seed_if_empty().unwrap());
    assert!(!lib.seed_if_empty().unwrap(), "seeding happens once");
    let hits = lib
        .search("arabic speech emotion", &SearchOptions::default())
        .unwrap();
    assert_eq!(
        hits[0].paper.title,
        "Hybrid CNN-Transformer Architecture for Arabic Speech Emotion Recognition"
    );
    let dense = SearchOptions {
        mode: SearchMode::Dense,
        ..Default::default()
    };
    let err = lib.search("anything", &dense).unwrap_err();
    assert_eq!(err.kind(), "embedding");
    assert!(lib
        .search("   ", &SearchOptions::default())
        .unwrap()
        .is_empty());
}

#[test]
fn stored_vectors_reload_on_open() {
    let dir = tempfile::tempdir().unwrap();
    {
        let lib = Library::open(dir.path(), Some(Arc::new(BagOfWords))).unwrap();
        lib.upsert_papers(&[input(
            "2501.00009",
            "Quantum error correction",
            "surface codes",
            "quant-ph",
        )])
        .unwrap();
        lib.embed_pending(8, &mut |_, _| {}).unwrap();
    }
    let lib = Library::open(dir.path(), Some(Arc::new(BagOfWords))).unwrap();
    assert_eq!(lib.pending_embeddings().unwrap(), 0);
    let opts = SearchOptions {
        mode: SearchMode::Dense,
        k: 1,
        ..Default::default()
    };
    assert_eq!(
        lib.search("surface codes quantum", &opts).unwrap()[0]
            .paper
            .key,
        "2501.00009"
    );
}

#[test]
fn one_sync_at_a_time_across_handles() {
    let dir = tempfile::tempdir().unwrap();
    let a = Library::open(dir.path(), None).unwrap();
    let b = Library::open(dir.path(), None).unwrap();
    let guard = a.begin_sync().unwrap();
    assert_eq!(a.begin_sync().err().unwrap().kind(), "busy");
    assert_eq!(
        b.begin_sync().err().unwrap().kind(),
        "busy",
        "another handle (process) waits too"
    );
    drop(guard);
    drop(b.begin_sync().unwrap());
    drop(a.begin_sync().unwrap());
}

#[test]
fn the_map_is_cached_until_the_embedded_papers_change() {
    let lib = library();
    lib.embed_pending(8, &mut |_, _| {}).unwrap();
    let (list, _) = lib.save_import("Proteins", None, None, None, &[]).unwrap();
    lib.add_to_list(list, "2501.00001").unwrap();
    let mut laid_out = 0;
    let first = lib.map(&mut |_, _| laid_out += 1).unwrap();
    assert!(laid_out > 0, "the first map is computed");
    assert_eq!(first.keys.len(), 3);
    assert_eq!(first.unplaced, 0);
    let i = first.keys.iter().position(|k| k == "2501.00003").unwrap();
    assert_eq!(first.titles[i], "Language models");
    assert_eq!(first.categories[first.groups[i] as usize], "cs.CL");
    assert!(first
        .xs
        .iter()
        .chain(&first.ys)
        .all(|v| (0.0..=1.0).contains(v)));
    let protein = first.keys.iter().position(|k| k == "2501.00001").unwrap() as u32;
    assert_eq!(first.lists.len(), 1);
    assert_eq!(first.lists[0].id, list);
    assert_eq!(first.lists[0].members, vec![protein]);

    // Unchanged library: the cache answers, with the same positions.
    let mut again = 0;
    let second = lib.map(&mut |_, _| again += 1).unwrap();
    assert_eq!(again, 0, "no layout when nothing changed");
    assert_eq!((second.xs.clone(), second.ys.clone()), (first.xs, first.ys));

    // A new paper waits off the map until it has a vector, then the map is redone.
    lib.upsert_papers(&[input(
        "2501.00004",
        "Graph networks",
        "message passing",
        "cs.LG",
    )])
    .unwrap();
    let waiting = lib.map(&mut |_, _| {}).unwrap();
    assert_eq!((waiting.keys.len(), waiting.unplaced), (3, 1));
    lib.embed_pending(8, &mut |_, _| {}).unwrap();
    let mut redone = 0;
    let third = lib.map(&mut |_, _| redone += 1).unwrap();
    assert!(redone > 0);
    assert_eq!((third.keys.len(), third.unplaced), (4, 0));
}

#[test]
fn a_copy_of_the_library_opens_elsewhere_with_everything() {
    let dir = tempfile::tempdir().unwrap();
    let lib = Library::open(&dir.path().join("a"), Some(Arc::new(BagOfWords))).unwrap();
    lib.upsert_papers(&[input(
        "2501.00009",
        "Quantum codes",
        "surface codes",
        "quant-ph",
    )])
    .unwrap();
    lib.embed_pending(8, &mut |_, _| {}).unwrap();
    let target = dir.path().join("b/nested");
    let file = lib.copy_to(&target).unwrap();
    assert_eq!(file, target.join(DB_FILE));
    let copy = Library::open(&target, Some(Arc::new(BagOfWords))).unwrap();
    assert_eq!(
        copy.paper("2501.00009").unwrap().unwrap().title,
        "Quantum codes"
    );
    assert_eq!(copy.pending_embeddings().unwrap(), 0, "vectors come along");
    let again = lib.copy_to(&target).unwrap_err().to_string();
    assert!(again.contains("already holds a library"), "{again}");
}

#[test]
fn a_few_new_papers_join_the_map_beside_their_neighbours() {
    let lib = Library::open_in_memory(Some(Arc::new(BagOfWords))).unwrap();
    let topics = [
        "protein folding structure prediction",
        "image diffusion denoising synthesis",
        "language models reasoning benchmarks",
    ];
    let papers: Vec<PaperInput> = (0..30)
        .map(|i| {
            let t = topics[i % 3];
            input(
                &format!("2501.{:05}", i + 1),
                t,
                &format!("{t} variant {i}"),
                "cs.LG",
            )
        })
        .collect();
    lib.upsert_papers(&papers).unwrap();
    lib.embed_pending(64, &mut |_, _| {}).unwrap();
    let first = lib.map(&mut |_, _| {}).unwrap();
    assert_eq!(first.layout, MapLayout::Computed);
    lib.upsert_papers(&[input(
        "2502.00001",
        "Protein folding structure prediction",
        "protein folding structure prediction revisited",
        "q-bio.BM",
    )])
    .unwrap();
    lib.embed_pending(64, &mut |_, _| {}).unwrap();
    let second = lib
        .map(&mut |_, _| panic!("no full layout for one new paper"))
        .unwrap();
    assert_eq!(second.layout, MapLayout::Extended);
    assert_eq!(second.keys.len(), 31);
    // Old papers keep their places; the new one sits by a protein paper.
    let at = |m: &LibraryMap, k: &str| {
        let i = m.keys.iter().position(|x| x == k).unwrap();
        (m.xs[i], m.ys[i])
    };
    assert_eq!(at(&first, "2501.00002"), at(&second, "2501.00002"));
    let (nx, ny) = at(&second, "2502.00001");
    let nearest = (0..30)
        .map(|i| format!("2501.{:05}", i + 1))
        .min_by(|a, b| {
            let d = |k: &str| {
                let (x, y) = at(&second, k);
                (x - nx).powi(2) + (y - ny).powi(2)
            };
            d(a).total_cmp(&d(b))
        })
        .unwrap();
    let n: usize = nearest[5..].parse().unwrap();
    assert_eq!(
        (n - 1) % 3,
        0,
        "nearest on the map is {nearest}, not a protein paper"
    );
    assert_eq!(lib.map(&mut |_, _| {}).unwrap().layout, MapLayout::Cached);
}

/// Keyword search through FTS5 alone, as while the keyword index is being built.
fn fts5_only(lib: &Library) {
    *lib.keywords.write().unwrap() = Keywords::Off;
}

#[test]
fn the_keyword_index_ranks_as_fts5_does_and_follows_changes() {
    let lib = Library::open_in_memory(None).unwrap();
    assert!(lib.seed_if_empty().unwrap());
    let opts = SearchOptions {
        mode: SearchMode::Keyword,
        k: 5,
        ..Default::default()
    };
    let queries = [
        "video generation with diffusion models",
        "reinforcement learning for reasoning in language models",
        "benchmark for multimodal agents",
    ];
    let ranked = |lib: &Library, q: &str| -> Vec<(String, f64)> {
        let hits = lib.search(q, &opts).unwrap();
        hits.into_iter().map(|h| (h.paper.key, h.score)).collect()
    };
    fts5_only(&lib);
    let by_fts5: Vec<_> = queries.iter().map(|q| ranked(&lib, q)).collect();
    assert!(lib.load_keyword_index().unwrap());
    for (q, fts5) in queries.iter().zip(&by_fts5) {
        let index = ranked(&lib, q);
        assert_eq!(index.len(), 5, "{q}");
        // Both are BM25 with the title weighed double; the best paper agrees.
        assert_eq!(index[0].0, fts5[0].0, "{q}: {index:?} vs {fts5:?}");
    }
    // Papers stored after the build are searchable at once; changed text replaces old.
    lib.upsert_papers(&[input(
        "2501.00009",
        "Zygomorphic quasicrystals",
        "aperiodic tilings",
        "cond-mat",
    )])
    .unwrap();
    assert_eq!(ranked(&lib, "zygomorphic")[0].0, "2501.00009");
    lib.upsert_papers(&[input(
        "2501.00009",
        "Ferroelectric nematics",
        "polar liquid crystals",
        "cond-mat",
    )])
    .unwrap();
    assert!(ranked(&lib, "zygomorphic").is_empty());
    assert_eq!(ranked(&lib, "ferroelectric")[0].0, "2501.00009");
    // A filtered search narrows in the index, as FTS5 narrows.
    let filtered = SearchOptions {
        filter: Filter {
            category: Some("cond-mat".into()),
            ..Default::default()
        },
        ..opts.clone()
    };
    let hits = lib.search("ferroelectric nematics", &filtered).unwrap();
    assert_eq!(hits[0].paper.key, "2501.00009");
    assert!(lib
        .search("video generation", &filtered)
        .unwrap()
        .is_empty());
    // Many changes in a row: every search sees only the current text.
    let key = |i: usize| format!("2502.{i:05}");
    let new: Vec<_> = (0..25)
        .map(|i| input(&key(i), &format!("Lattice {i}"), "spin glasses", "cond-mat"))
        .collect();
    lib.upsert_papers(&new).unwrap();
    let all = SearchOptions {
        k: 200,
        ..opts.clone()
    };
    let live = lib.search("spin glasses", &all).unwrap().len();
    for i in 0..25 {
        let text = format!("Chiral {i}");
        lib.upsert_papers(&[input(&key(i), &text, "magnons", "cond-mat")])
            .unwrap();
    }
    assert_eq!(lib.search("spin glasses", &all).unwrap().len(), live - 25);
    assert_eq!(ranked(&lib, "chiral magnons").len(), 5);
    assert_eq!(ranked(&lib, "lattice").len(), 0);
    // A paper removed from the database leaves no hit, and the index agrees with it.
    let id = lib.paper_row(&key(3)).unwrap().unwrap();
    lib.store()
        .conn()
        .execute("DELETE FROM papers WHERE id = ?", [id])
        .unwrap();
    assert!(lib
        .search("chiral 3", &all)
        .unwrap()
        .iter()
        .all(|h| h.paper.key != key(3)));
    let check = lib.keyword_index_check().unwrap();
    assert!(check.agrees(), "{check:?}");
    assert_eq!(check.applied, check.log_head);
}

#[test]
fn keywords_find_accented_and_hyphenated_names_either_way_in_both_indexes() {
    let lib = Library::open_in_memory(Some(Arc::new(BagOfWords))).unwrap();
    lib.upsert_papers(&[
        input(
            "2501.00011",
            r#"Schr{\"o}dinger Bridges for Generative Modeling"#,
            "entropic optimal transport between distributions",
            "cs.LG",
        ),
        input(
            "2501.00012",
            "Evaluating GPT-4 as a Grader",
            "a study of automatic grading",
            "cs.CL",
        ),
        input(
            "2501.00013",
            "GPT4 Writes Proofs",
            "a study of theorem proving",
            "cs.AI",
        ),
        input(
            "2501.00014",
            "Protein folding",
            "structure prediction",
            "q-bio.BM",
        ),
    ])
    .unwrap();
    let keys = |q: &str| -> Vec<String> {
        let opts = SearchOptions {
            mode: SearchMode::Keyword,
            k: 5,
            ..Default::default()
        };
        let mut k: Vec<String> = lib
            .search(q, &opts)
            .unwrap()
            .into_iter()
            .map(|h| h.paper.key)
            .collect();
        k.sort();
        k
    };
    // First through FTS5, then through the keyword index: the same answers.
    fts5_only(&lib);
    for round in ["fts5", "index"] {
        if round == "index" {
            assert!(lib.load_keyword_index().unwrap());
        }
        assert_eq!(keys("Schrodinger"), ["2501.00011"], "{round}");
        assert_eq!(keys("schrödinger bridges"), ["2501.00011"], "{round}");
        assert_eq!(keys("GPT4"), ["2501.00012", "2501.00013"], "{round}");
        assert_eq!(keys("GPT-4"), ["2501.00012", "2501.00013"], "{round}");
    }
    let hit = &lib
        .search("Schrodinger", &SearchOptions::default())
        .unwrap()[0];
    assert_eq!(
        hit.paper.title,
        "Schrödinger Bridges for Generative Modeling"
    );
}

#[test]
fn stop_words_alone_match_nothing_in_any_mode() {
    let lib = library();
    lib.embed_pending(16, &mut |_, _| {}).unwrap();
    lib.upsert_papers(&[input(
        "2501.00021",
        "Why networks do not forget",
        "no catastrophic forgetting, or not much",
        "cs.LG",
    )])
    .unwrap();
    lib.embed_pending(16, &mut |_, _| {}).unwrap();
    for mode in [SearchMode::Keyword, SearchMode::Dense, SearchMode::Hybrid] {
        let opts = SearchOptions {
            mode,
            k: 5,
            ..Default::default()
        };
        assert!(
            lib.search("not or the", &opts).unwrap().is_empty(),
            "{mode:?}"
        );
        // A paper that shares only "not" with the query is no keyword match.
        let hits = lib.search("not zygomorphic", &opts).unwrap();
        assert!(
            hits.iter().all(|h| h.parts.keyword.is_none()),
            "{mode:?}: {hits:?}"
        );
    }
}

#[test]
fn a_saved_search_alert_keeps_the_constraints_of_its_query() {
    let lib = Library::open_in_memory(Some(Arc::new(BagOfWords))).unwrap();
    lib.upsert_papers(&[
        input(
            "2501.00031",
            "Diffusion models for video",
            "video diffusion generation",
            "cs.CV",
        ),
        input(
            "2501.00032",
            "Diffusion models for images",
            "image diffusion generation",
            "cs.CV",
        ),
        input(
            "2501.00033",
            "Diffusion of innovations",
            "diffusion generation in markets",
            "econ.GN",
        ),
    ])
    .unwrap();
    lib.embed_pending(16, &mut |_, _| {}).unwrap();
    let keys = |q: &str| -> Vec<String> {
        let mut k: Vec<String> = lib
            .preview_alert(None, Some(q), 0.0, 7)
            .unwrap()
            .into_iter()
            .map(|(p, _)| p.key)
            .collect();
        k.sort();
        k
    };
    assert_eq!(
        keys("diffusion generation"),
        ["2501.00031", "2501.00032", "2501.00033"]
    );
    assert_eq!(keys("diffusion generation -video cat:cs"), ["2501.00032"]);
    // Constraints alone have no meaning to match: such a rule matches nothing.
    assert!(keys("cat:cs -video").is_empty());
}

#[test]
fn a_damaged_or_missing_keyword_index_is_rebuilt_from_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let keywords_dir = dir.path().join(crate::keywords::DIR);
    let opts = SearchOptions {
        mode: SearchMode::Keyword,
        k: 5,
        ..Default::default()
    };
    {
        let lib = Library::open(dir.path(), None).unwrap();
        assert!(lib.seed_if_empty().unwrap());
        // A rebuild reports its progress, page by page, up to every paper.
        let mut seen = Vec::new();
        assert!(lib
            .rebuild_keyword_index_with(&mut |done, total| seen.push((done, total)))
            .unwrap());
        let papers = lib.stats().unwrap().papers;
        assert_eq!(seen.first(), Some(&(0, papers)));
        assert_eq!(seen.last(), Some(&(papers, papers)));
        assert!(keywords_dir.join("meta.json").exists());
    }
    let found = |lib: &Library| lib.search("diffusion video", &opts).unwrap().len();
    let before = found(&Library::open(dir.path(), None).unwrap());
    assert!(before > 0);
    // Damaged: its commit record unreadable. Missing: the folder gone.
    std::fs::write(keywords_dir.join("meta.json"), b"\0garbage").unwrap();
    let lib = Library::open(dir.path(), None).unwrap();
    assert_eq!(found(&lib), before);
    assert!(lib.keyword_index_check().unwrap().agrees());
    drop(lib);
    std::fs::remove_dir_all(&keywords_dir).unwrap();
    let lib = Library::open(dir.path(), None).unwrap();
    assert_eq!(found(&lib), before);
    assert!(lib.keyword_index_check().unwrap().agrees());
}

/// A library of three topics, 20 papers each, with words drawn from each topic's own
/// vocabulary; keys `2502.TNNNN` (topic `T`, paper `N`).
fn topics_library() -> Library {
    const WORDS: [[&str; 8]; 3] = [
        [
            "protein",
            "folding",
            "residue",
            "enzyme",
            "binding",
            "molecular",
            "peptide",
            "ligand",
        ],
        [
            "galaxy",
            "stellar",
            "cosmic",
            "redshift",
            "telescope",
            "quasar",
            "nebula",
            "orbit",
        ],
        [
            "parser", "compiler", "syntax", "grammar", "token", "lexer", "bytecode", "runtime",
        ],
    ];
    let lib = Library::open_in_memory(Some(Arc::new(BagOfWords))).unwrap();
    let papers: Vec<PaperInput> = (0..3)
        .flat_map(|t| (0..20).map(move |i| (t, i)))
        .map(|(t, i)| {
            let w = |j: usize| WORDS[t][(i + j * 3) % 8];
            input(
                &format!("2502.{t}{i:04}"),
                &format!("{} {} study", w(0), w(1)),
                &format!("{} {} {} {} analysis", w(2), w(3), w(4), w(5)),
                "cs.LG",
            )
        })
        .collect();
    lib.upsert_papers(&papers).unwrap();
    lib.embed_pending(64, &mut |_, _| {}).unwrap();
    lib
}

#[test]
fn a_list_alert_comes_from_its_ranker_and_a_down_rating_teaches_it() {
    let lib = topics_library();
    let keys: Vec<String> = (0..5).map(|i| format!("2502.0{i:04}")).collect();
    let list = lib
        .save_import("proteins", None, None, None, &[])
        .unwrap()
        .0;
    for k in &keys {
        lib.add_to_list(list, k).unwrap();
    }
    // The top 10% of the 55 papers outside the list: 6 papers, all from its topic.
    let preview = lib.preview_alert(Some(list), None, 0.9, 7).unwrap();
    assert_eq!(preview.len(), 6, "{preview:?}");
    assert!(
        preview.iter().all(|(p, _)| p.key.starts_with("2502.0")),
        "{preview:?}"
    );
    let standings: Vec<f32> = preview.iter().map(|(_, s)| *s).collect();
    assert!((standings[0] - 1.0).abs() < 1e-6, "{standings:?}");
    assert!(standings.windows(2).all(|w| w[0] > w[1]) && standings[5] >= 0.9);
    // 👎 on an alerted paper: it never alerts again.
    let down = preview[0].0.key.clone();
    lib.rate(&down, None, Some(crate::store::Rating::Down))
        .unwrap();
    let after = lib.preview_alert(Some(list), None, 0.9, 7).unwrap();
    assert!(after.iter().all(|(p, _)| p.key != down), "{after:?}");
    // At sync: only new papers alert, once. (Among 56 papers, the top 25% are 14 of the
    // 16 protein papers outside the list.)
    lib.set_list_alert(list, 0.75, true).unwrap();
    lib.upsert_papers(&[
        input(
            "2502.09001",
            "enzyme binding study",
            "ligand peptide residue folding analysis",
            "q-bio",
        ),
        input(
            "2502.09002",
            "quasar nebula study",
            "stellar orbit cosmic redshift analysis",
            "astro-ph",
        ),
    ])
    .unwrap();
    lib.embed_pending(64, &mut |_, _| {}).unwrap();
    let alerts = lib.evaluate_alerts().unwrap();
    let alerted: Vec<i64> = alerts.iter().flat_map(|a| a.papers.clone()).collect();
    let protein = lib.paper_row("2502.09001").unwrap().unwrap();
    assert_eq!(alerted, vec![protein], "{alerts:?}");
    assert!(lib.evaluate_alerts().unwrap().is_empty());
}

#[test]
fn marks_say_each_cards_rating_where_it_is_shown_and_whether_it_was_seen() {
    use crate::store::Rating;
    let lib = topics_library();
    let list = lib.save_import("stars", None, None, None, &[]).unwrap().0;
    let (a, b, c) = ("2502.10001", "2502.10002", "2502.20003");
    lib.rate(a, None, Some(Rating::Down)).unwrap();
    lib.rate(b, Some(list), Some(Rating::Up)).unwrap();
    assert_eq!(
        lib.mark_papers_seen(&[a.into(), c.into(), "nope".into()])
            .unwrap(),
        2
    );
    assert_eq!(lib.mark_papers_seen(&[a.into()]).unwrap(), 0, "seen once");
    let keys: Vec<String> = [a, b, c, "nope"].iter().map(|k| k.to_string()).collect();
    let anywhere = lib.marks(&keys, None).unwrap();
    let inside = lib.marks(&keys, Some(list)).unwrap();
    let view = |m: &[PaperMarks]| -> Vec<(String, Option<Rating>, bool)> {
        m.iter()
            .map(|m| (m.key.clone(), m.rating, m.seen))
            .collect()
    };
    assert_eq!(
        view(&anywhere),
        vec![
            (a.into(), Some(Rating::Down), true),
            (b.into(), None, false),
            (c.into(), None, true)
        ]
    );
    assert_eq!(view(&inside)[1], (b.into(), Some(Rating::Up), false));
    assert_eq!(
        view(&inside)[0].1,
        Some(Rating::Down),
        "a 👎 shows everywhere"
    );
}

#[test]
fn cold_start_offers_one_paper_per_region_and_never_a_dismissed_one() {
    let lib = topics_library();
    let picks = lib.cold_start(3).unwrap();
    let mut topics: Vec<char> = picks
        .iter()
        .map(|p| p.key.chars().nth(5).unwrap())
        .collect();
    topics.sort_unstable();
    assert_eq!(topics, vec!['0', '1', '2'], "{picks:?}");
    for p in &picks {
        lib.rate(&p.key, None, Some(crate::store::Rating::Down))
            .unwrap();
    }
    let again = lib.cold_start(3).unwrap();
    assert_eq!(again.len(), 3);
    assert!(again.iter().all(|p| picks.iter().all(|q| q.key != p.key)));
}

#[test]
fn ratings_files_read_in_either_casing() {
    let want = RatedPaper {
        key: "2501.00001".into(),
        arxiv_id: Some("2501.00001".into()),
        title: "A paper".into(),
        list: None,
        rating: crate::store::Rating::Down,
        rated_at: "2026-12-01T00:00:00Z".into(),
    };
    // As `export-ratings` writes it now (the IPC casing), and as it did before.
    let camel = serde_json::to_string(&want).unwrap();
    assert!(
        camel.contains("\"arxivId\"") && camel.contains("\"ratedAt\""),
        "{camel}"
    );
    let snake = r#"{"key": "2501.00001", "arxiv_id": "2501.00001", "title": "A paper",
        "list": null, "rating": "down", "rated_at": "2026-12-01T00:00:00Z"}"#;
    for text in [camel.as_str(), snake] {
        assert_eq!(serde_json::from_str::<RatedPaper>(text).unwrap(), want);
    }
}

use super::*;
use crate::query::parse;

fn doc(id: i64, title: &str, abstract_text: &str) -> KeywordDoc {
    KeywordDoc {
        id,
        title: title.into(),
        abstract_text: abstract_text.into(),
        ..KeywordDoc::default()
    }
}

fn built(docs: &[KeywordDoc]) -> KeywordEngine {
    let e = KeywordEngine::create(None).unwrap();
    e.add_for_build(docs).unwrap();
    e.finish_build(0).unwrap();
    e
}

fn ids(hits: Vec<(i64, f64)>) -> Vec<i64> {
    let mut v: Vec<i64> = hits.into_iter().map(|h| h.0).collect();
    v.sort();
    v
}

fn search(e: &KeywordEngine, q: &str) -> Vec<i64> {
    ids(e.search(q, 10, &Filter::default(), None).unwrap())
}

/// Papers matching a typed query's constraint, as the library narrows by it.
fn constrained(e: &KeywordEngine, q: &str) -> Vec<i64> {
    let filter = Filter {
        query: parse(q).constraint,
        ..Filter::default()
    };
    let mut v = e.matching(&filter, None).unwrap();
    v.sort();
    v
}

#[test]
fn accents_and_hyphenated_model_names_match_either_way() {
    let e = built(&[
        doc(1, "Schrödinger bridges", "Entropic transport."),
        doc(2, "Evaluating GPT-4 on proofs", "A study."),
        doc(3, "GPT4 as a judge", "Another study."),
        doc(4, "Self-supervised learning", "Pretext tasks."),
    ]);
    assert_eq!(search(&e, "Schrodinger"), vec![1]);
    assert_eq!(search(&e, "SCHRÖDINGER"), vec![1]);
    assert_eq!(search(&e, "GPT4"), vec![2, 3]);
    assert_eq!(search(&e, "gpt-4"), vec![2, 3]);
    // Words joined without a digit stay apart.
    assert!(search(&e, "selfsupervised").is_empty());
}

#[test]
fn stems_weights_and_rarity_decide_the_order() {
    let e = built(&[
        doc(
            1,
            "Sparse attention",
            "We study transformers for long documents.",
        ),
        doc(
            2,
            "Graph networks",
            "Sparse graphs and attention over molecules.",
        ),
        doc(3, "Diffusion models", "Image generation with diffusion."),
        doc(4, "Protein folding", "Structures predicted from sequences."),
    ]);
    // "attentions" stems to "attent"; the title match (weight 2) outranks the abstract.
    let hits = e
        .search("the sparse attentions", 10, &Filter::default(), None)
        .unwrap();
    assert_eq!(hits.iter().map(|h| h.0).collect::<Vec<_>>(), vec![1, 2]);
    assert!(hits[0].1 > hits[1].1 && hits[1].1 > 0.0);
    assert!(search(&e, "the of and").is_empty());
    assert!(search(&e, "unknownword").is_empty());
    let only = Arc::new(HashSet::from([2]));
    let hits = e
        .search("sparse", 10, &Filter::default(), Some(only))
        .unwrap();
    assert_eq!(ids(hits), vec![2]);
    assert_eq!(
        e.search("sparse attention", 1, &Filter::default(), None)
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn phrases_prefixes_fields_and_exclusions_narrow_exactly() {
    let mut docs = vec![
        doc(1, "Diffusion transformer for video", "We scale it."),
        doc(2, "A transformer for diffusion", "Words apart."),
        doc(3, "Chain of thought prompting", "Reasoning in steps."),
        doc(4, "Chain in thought", "Not the phrase's stop word."),
        doc(5, "Transformers everywhere", "Transformation."),
    ];
    docs[0].authors = vec!["Ada Lovelace".into(), "Alan Turing".into()];
    docs[1].authors = vec!["Lovelace Alan".into()];
    docs[0].categories = vec!["cs.CV".into(), "cs.LG".into()];
    docs[1].categories = vec!["stat.ML".into()];
    docs[2].categories = vec!["cs.CL".into()];
    let e = built(&docs);
    assert_eq!(constrained(&e, "\"diffusion transformer\""), vec![1]);
    assert_eq!(constrained(&e, "\"diffusion transformers\""), vec![1]);
    // A stop word inside a phrase holds its place (any word may stand there).
    assert_eq!(constrained(&e, "\"chain of thought\""), vec![3, 4]);
    // Authors are separate values: "Lovelace Alan" does not run across two names.
    assert_eq!(constrained(&e, "author:\"Lovelace Alan\""), vec![2]);
    assert_eq!(constrained(&e, "author:turing"), vec![1]);
    assert_eq!(constrained(&e, "title:transformer"), vec![1, 2, 5]);
    assert_eq!(constrained(&e, "abstract:transformation"), vec![5]);
    assert_eq!(constrained(&e, "transform*"), vec![1, 2, 5]);
    assert_eq!(constrained(&e, "transformers*"), vec![1, 2, 5]);
    assert_eq!(constrained(&e, "cat:cs"), vec![1, 3]);
    assert_eq!(constrained(&e, "cat:cs.cv"), vec![1]);
    assert_eq!(constrained(&e, "cat:stat.ML"), vec![2]);
    assert_eq!(constrained(&e, "chain -thought"), vec![1, 2, 5]);
    assert_eq!(
        constrained(&e, "transformer -\"diffusion transformer\""),
        vec![2, 3, 4, 5]
    );
    // Exclusions of phrases found before, between and after the other papers.
    assert_eq!(constrained(&e, "-\"chain of thought\""), vec![1, 2, 5]);
    assert_eq!(
        constrained(&e, "-\"transformers everywhere\""),
        vec![1, 2, 3, 4]
    );
    assert_eq!(
        constrained(&e, "(cat:cs.CL OR author:lovelace) -video"),
        vec![2, 3]
    );
    // Constraints narrow; only the free words score.
    let filter = Filter {
        query: parse("transformer cat:cs").constraint,
        ..Filter::default()
    };
    let hits = e.search("transformer", 10, &filter, None).unwrap();
    assert_eq!(ids(hits), vec![1]);
}

#[test]
fn dates_sources_and_the_newest_first_order_come_from_fast_fields() {
    let mut docs: Vec<KeywordDoc> = (1..=4)
        .map(|i| doc(i, &format!("Graph paper {i}"), "Graphs."))
        .collect();
    docs[0].published = Some("2026-01-05".into());
    docs[1].published = Some("2026-02-01".into());
    docs[2].published = Some("2026-02-01".into());
    docs[0].sources = vec!["hf".into()];
    docs[1].sources = vec!["arxiv".into(), "hf".into()];
    let e = built(&docs);
    let f = Filter {
        from: Some("2026-01-10".into()),
        ..Filter::default()
    };
    assert_eq!(ids(e.search("graph", 10, &f, None).unwrap()), vec![2, 3]);
    let f = Filter {
        to: Some("2026-01-31".into()),
        source: Some("hf".into()),
        ..Filter::default()
    };
    assert_eq!(ids(e.search("graph", 10, &f, None).unwrap()), vec![1]);
    // Newest day first, the later stored first within a day, undated last.
    assert_eq!(
        e.newest(&Filter::default(), 10, None).unwrap(),
        vec![3, 2, 1, 4]
    );
    assert_eq!(e.newest(&Filter::default(), 2, None).unwrap(), vec![3, 2]);
}

#[test]
fn applying_a_change_replaces_the_old_text_and_a_removal_leaves_nothing() {
    let e = built(&[
        doc(1, "Zebra stripes", "Old text."),
        doc(2, "Giraffe necks", "Tall."),
    ]);
    assert_eq!(e.applied(), 0);
    e.apply(&[1, 2], &[doc(1, "Okapi stripes", "New text.")], 7)
        .unwrap();
    assert_eq!(e.applied(), 7);
    assert!(search(&e, "zebra").is_empty());
    assert!(search(&e, "giraffe").is_empty());
    assert_eq!(search(&e, "okapi"), vec![1]);
    let entries = e.entries().unwrap();
    assert_eq!(
        entries,
        vec![(1, doc(1, "Okapi stripes", "New text.").digest())]
    );
}

#[test]
fn a_stored_index_reopens_with_its_commit_and_an_unfinished_one_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DIR);
    {
        let e = KeywordEngine::create(Some(&path)).unwrap();
        e.add_for_build(&[doc(1, "Zebra", "")]).unwrap();
        // Not finished: no commit records it.
    }
    assert!(KeywordEngine::open(&path).unwrap().is_none());
    {
        let e = KeywordEngine::create(Some(&path)).unwrap();
        e.add_for_build(&[doc(1, "Zebra", "")]).unwrap();
        e.finish_build(41).unwrap();
        assert!(e.disk_bytes() > 0);
    }
    let e = KeywordEngine::open(&path).unwrap().unwrap();
    assert_eq!(e.applied(), 41);
    assert_eq!(search(&e, "zebra"), vec![1]);
    // A damaged index is not opened (it is rebuilt instead).
    drop(e);
    std::fs::write(path.join("meta.json"), b"{ not json").unwrap();
    assert!(KeywordEngine::open(&path).unwrap().is_none());
    assert!(KeywordEngine::open(&dir.path().join("absent"))
        .unwrap()
        .is_none());
}

#[test]
fn two_openers_of_one_index_take_turns_writing_and_see_each_others_commits() {
    // The app and a CLI sync beside it: each holds the writer only while it writes.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DIR);
    let a = KeywordEngine::create(Some(&path)).unwrap();
    a.add_for_build(&[doc(1, "Zebra", "")]).unwrap();
    a.finish_build(1).unwrap();
    let b = KeywordEngine::open(&path).unwrap().unwrap();
    a.apply(&[2], &[doc(2, "Okapi", "")], 2).unwrap();
    b.apply(&[3], &[doc(3, "Giraffe", "")], 3).unwrap();
    a.apply(&[1], &[doc(1, "Quagga", "")], 4).unwrap();
    assert_eq!(b.refresh().unwrap(), 4);
    for e in [&a, &b] {
        e.refresh().unwrap();
        assert_eq!(search(e, "okapi giraffe quagga"), vec![1, 2, 3]);
        assert!(search(e, "zebra").is_empty());
    }
}

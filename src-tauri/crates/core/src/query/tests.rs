use super::*;

/// A constraint in a compact form: `any:"a b"`, `title:x*`, `-(…)`, `and(…)`, `or(…)`.
fn show(e: &Expr) -> String {
    match e {
        Expr::Leaf(f, t) => {
            let f = match f {
                Field::Any => "any",
                Field::Title => "title",
                Field::Abstract => "abstract",
                Field::Author => "author",
                Field::Category => "cat",
            };
            match t {
                Term::Phrase(w) => format!("{f}:\"{}\"", w.join(" ")),
                Term::Prefix(p) => format!("{f}:{p}*"),
            }
        }
        Expr::Not(e) => format!("-({})", show(e)),
        Expr::And(es) => format!(
            "and({})",
            es.iter().map(show).collect::<Vec<_>>().join(", ")
        ),
        Expr::Or(es) => format!("or({})", es.iter().map(show).collect::<Vec<_>>().join(", ")),
    }
}

/// (input, ranking text, constraint or "" for none, hint fragment or "" for none)
const CASES: &[(&str, &str, &str, &str)] = &[
    // Plain words: rank, constrain nothing (today's behaviour).
    ("diffusion models", "diffusion models", "", ""),
    ("", "", "", ""),
    ("   ", "", "", ""),
    ("state-of-the-art GPT-4", "state-of-the-art GPT-4", "", ""),
    ("and or not", "and or not", "", ""),
    // Phrases.
    (
        "\"diffusion transformer\"",
        "diffusion transformer",
        "any:\"diffusion transformer\"",
        "",
    ),
    (
        "video \"diffusion transformer\"",
        "video diffusion transformer",
        "any:\"diffusion transformer\"",
        "",
    ),
    (
        "\u{201c}smart quotes\u{201d}",
        "smart quotes",
        "any:\"smart quotes\"",
        "",
    ),
    ("\"GPT-4 Turbo\"", "gpt 4 turbo", "any:\"gpt 4 turbo\"", ""),
    ("\"!!!\" retrieval", "retrieval", "", ""),
    // Fields.
    ("author:Hinton", "", "author:\"hinton\"", ""),
    (
        "author:\"Geoffrey Hinton\" capsules",
        "capsules",
        "author:\"geoffrey hinton\"",
        "",
    ),
    ("AUTHOR:Müller", "", "author:\"muller\"", ""),
    ("title:attention", "attention", "title:\"attention\"", ""),
    (
        "title:\"all you need\"",
        "all you need",
        "title:\"all you need\"",
        "",
    ),
    (
        "abstract:benchmark agents",
        "benchmark agents",
        "abstract:\"benchmark\"",
        "",
    ),
    ("cat:cs.CL", "", "cat:\"cs.cl\"", ""),
    ("category:cs", "", "cat:\"cs\"", ""),
    ("cat:cs.* llm", "llm", "cat:\"cs\"", ""),
    ("ti:x au:y", "x", "and(title:\"x\", author:\"y\")", ""),
    // Exclusions.
    ("diffusion -survey", "diffusion", "-(any:\"survey\")", ""),
    (
        "llm -\"position paper\"",
        "llm",
        "-(any:\"position paper\")",
        "",
    ),
    ("llm NOT survey", "llm", "-(any:\"survey\")", ""),
    ("-cat:cs.CV vision", "vision", "-(cat:\"cs.cv\")", ""),
    ("-author:Smith", "", "-(author:\"smith\")", ""),
    // Prefixes.
    ("diffus*", "", "any:diffus*", ""),
    ("title:transform* video", "video", "title:transform*", ""),
    ("self-superv*", "", "any:superv*", ""),
    // Boolean operators and nesting.
    (
        "diffusion OR flow",
        "diffusion flow",
        "or(any:\"diffusion\", any:\"flow\")",
        "",
    ),
    (
        "video AND audio",
        "video audio",
        "and(any:\"video\", any:\"audio\")",
        "",
    ),
    (
        "(diffusion OR flow) AND video",
        "diffusion flow video",
        "and(or(any:\"diffusion\", any:\"flow\"), any:\"video\")",
        "",
    ),
    (
        "agents (cat:cs.AI OR cat:cs.MA) -survey",
        "agents",
        "and(or(cat:\"cs.ai\", cat:\"cs.ma\"), -(any:\"survey\"))",
        "",
    ),
    (
        "(a b) AND c",
        "a b c",
        "and(and(any:\"a\", any:\"b\"), any:\"c\")",
        "",
    ),
    ("((x) OR y)", "x y", "or(any:\"x\", any:\"y\")", ""),
    // A parenthetical of plain words is not a constraint.
    (
        "retrieval augmented generation (RAG)",
        "retrieval augmented generation RAG",
        "",
        "",
    ),
    ("((x))", "x", "", ""),
    ("-(a OR b) c", "c", "-(or(any:\"a\", any:\"b\"))", ""),
    ("NOT NOT x", "", "-(-(any:\"x\"))", ""),
    // Unicode.
    (
        "\"naïve Bayes\" Ünïcode",
        "naive bayes Ünïcode",
        "any:\"naive bayes\"",
        "",
    ),
    ("author:\"José García\"", "", "author:\"jose garcia\"", ""),
    ("模型 \"大 模型\"", "模型 大 模型", "any:\"大 模型\"", ""),
    // Words with a colon that are no attempt at a field.
    ("10:30 meeting", "10:30 meeting", "", ""),
    (
        "https://arxiv.org/abs/2401.00001",
        "https://arxiv.org/abs/2401.00001",
        "",
        "",
    ),
    // Malformed: plain words, and one hint.
    (
        "\"unbalanced quote",
        "\"unbalanced quote",
        "",
        "the quote was not closed",
    ),
    ("diffusion -", "diffusion -", "", "'-' needs a word"),
    ("foo:bar baz", "foo:bar baz", "", "'foo:' is not a field"),
    (
        "author: Hinton",
        "author: Hinton",
        "",
        "'author:' needs a value",
    ),
    (
        "author:\"Hinton",
        "author:\"Hinton",
        "",
        "the quote was not closed",
    ),
    (
        "(diffusion OR flow",
        "(diffusion OR flow",
        "",
        "'(' was not closed",
    ),
    ("diffusion)", "diffusion)", "", "')' has no '('"),
    (
        "OR diffusion",
        "OR diffusion",
        "",
        "'OR' needs something on each side",
    ),
    (
        "diffusion AND",
        "diffusion AND",
        "",
        "ends after an operator",
    ),
    (
        "a OR OR b",
        "a OR OR b",
        "",
        "'OR' needs something on each side",
    ),
    ("NOT", "NOT", "", "'NOT' needs something after it"),
    (
        "cat:\"cs CL\"",
        "cat:\"cs CL\"",
        "",
        "not an arXiv category",
    ),
    // What today's FTS5 neutralizing guards stays harmless: FTS5 syntax is not ours.
    (
        "NEAR(\"sparse\" attention*",
        "NEAR(\"sparse\" attention*",
        "",
        "'(' was not closed",
    ),
    ("col:title x*", "col:title x*", "", "'col:' is not a field"),
    (
        "a AND b OR NOT c",
        "a b",
        "or(and(any:\"a\", any:\"b\"), -(any:\"c\"))",
        "",
    ),
    ("^ * + {x}", "^ * + {x}", "", ""),
];

#[test]
fn the_query_table() {
    assert!(CASES.len() >= 30);
    for &(input, text, constraint, hint) in CASES {
        let q = parse(input);
        let got = q.constraint.as_ref().map(show).unwrap_or_default();
        assert_eq!(
            (q.text.as_str(), got.as_str()),
            (text, constraint),
            "input {input:?}"
        );
        match (&q.hint, hint) {
            (None, "") => {}
            (Some(h), want) if !want.is_empty() => {
                assert!(h.starts_with("searched for the words; "), "{input:?}: {h}");
                assert!(
                    h.contains(want),
                    "input {input:?}: hint {h:?} lacks {want:?}"
                );
            }
            (got, want) => panic!("input {input:?}: hint {got:?}, wanted {want:?}"),
        }
    }
}

#[test]
fn a_malformed_query_searches_every_word_it_typed() {
    let q = parse("\"quantum error correction");
    assert_eq!(q.constraint, None);
    assert_eq!(q.text, "\"quantum error correction");
}

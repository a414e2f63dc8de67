use super::*;

fn sample(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../tests/fixtures/import_samples")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn summary(p: &ParsedFile) -> Vec<String> {
    p.entries
        .iter()
        .map(|e| match (&e.arxiv, &e.doi) {
            (Some(id), _) => format!("arxiv:{id}"),
            (None, Some(d)) => format!("doi:{d}"),
            (None, None) => format!("title:{}", e.title.as_deref().unwrap_or("")),
        })
        .collect()
}

#[test]
fn bibtex_in_the_shapes_exporters_write() {
    let p = parse_bytes("reading_list.bib", &sample("reading_list.bib")).unwrap();
    assert_eq!(p.format, Format::Bibtex);
    assert_eq!(
        summary(&p),
        [
            "arxiv:1706.03762",
            "arxiv:1810.04805",
            "arxiv:2006.11239",
            "doi:10.1109/cvpr52688.2022.01042",
            "arxiv:hep-th/9711200"
        ]
    );
    assert_eq!(p.entries[0].label, "vaswani2017attention");
    assert_eq!(
        p.entries[2].title.as_deref(),
        Some("Denoising Diffusion Probabilistic Models")
    );
    assert_eq!(
        p.entries[3].title.as_deref(),
        Some("High-Resolution Image Synthesis with Latent Diffusion Models")
    );
}

#[test]
fn bibtex_that_real_files_contain() {
    // Duplicate keys, @string macros, @comment, a howpublished \url, a title-only entry.
    let src = r#"
@string{arxiv = "arXiv preprint arXiv:2106.09685"}
@comment{exported by hand}
@article{hu2021lora, title={{LoRA}: Low-Rank Adaptation of Large Language Models}, journal=arxiv, year=2021}
@misc{hu2021lora, title={LoRA again}, howpublished={\url{https://arxiv.org/abs/2106.09685v2}}}
@misc{radford, title={Learning Transferable Visual Models From Natural Language Supervision}, note={arXiv:2103.00020}}
@book{knuth, title={The {\TeX}book}, publisher={Addison-Wesley}, year=1984}
@misc{other, title={Some paper}, eprint={astro-ph/0001001}, archivePrefix={arXiv}}
@misc{notarxiv, title={A SSRN paper}, eprint={3312874}, eprinttype={ssrn}}
"#;
    let p = parse_bytes("refs.bib", src.as_bytes()).unwrap();
    assert_eq!(
        summary(&p),
        [
            "arxiv:2106.09685",
            "arxiv:2103.00020",
            "title:The TeXbook",
            "arxiv:astro-ph/0001001",
            "title:A SSRN paper"
        ]
    );
}

#[test]
fn malformed_bibtex_is_one_clear_error_with_a_line() {
    let src = "@misc{a, title={ok}, eprint={1706.03762}}\n\n@article{b, title={unclosed\n";
    let err = parse_bytes("broken.bib", src.as_bytes())
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("not valid BibTeX:"), "{err}");
    assert!(err.contains("line 3"), "{err}");
}

#[test]
fn ris_and_csl_json() {
    let p = parse_bytes("reading_list.ris", &sample("reading_list.ris")).unwrap();
    assert_eq!(p.format, Format::Ris);
    assert_eq!(
        summary(&p),
        ["arxiv:1706.03762", "doi:10.1109/cvpr52688.2022.01042"]
    );
    assert_eq!(
        p.entries[1].title.as_deref(),
        Some("High-Resolution Image Synthesis with Latent Diffusion Models")
    );
    let p = parse_bytes("reading_list.csl.json", &sample("reading_list.csl.json")).unwrap();
    assert_eq!(p.format, Format::CslJson);
    assert_eq!(
        summary(&p),
        ["arxiv:1706.03762", "doi:10.1109/cvpr52688.2022.01042"]
    );
    assert_eq!(p.entries[1].label, "rombach2022");
    // The number field alone names the arXiv paper.
    let one = r#"{"id":"x","title":"T","number":"arXiv:2401.00001"}"#;
    assert_eq!(
        summary(&parse_bytes("a.json", one.as_bytes()).unwrap()),
        ["arxiv:2401.00001"]
    );
    let err = parse_bytes("a.json", b"[{\"title\": }]")
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("not valid CSL-JSON"), "{err}");
}

#[test]
fn markdown_and_text_lists() {
    let p = parse_bytes("reading_list.md", &sample("reading_list.md")).unwrap();
    assert_eq!(p.format, Format::Text);
    assert_eq!(
        summary(&p),
        [
            "arxiv:1706.03762",
            "arxiv:1810.04805v2",
            "arxiv:2006.11239v2",
            "arxiv:2112.10752",
            "arxiv:2202.00512",
            "arxiv:hep-th/9711200",
            "doi:10.1109/cvpr52688.2022.01042"
        ]
    );
    // CSV: ids in any column; repeated ids once.
    let csv = "title,id\nAttention,1706.03762\nBERT,arXiv:1810.04805\nAgain,https://arxiv.org/abs/1706.03762v5\n";
    assert_eq!(
        summary(&parse_bytes("list.csv", csv.as_bytes()).unwrap()),
        ["arxiv:1706.03762", "arxiv:1810.04805"]
    );
}

#[test]
fn pdfs_by_metadata_stamp_doi_or_file_name() {
    let p = parse_bytes("paper.pdf", &sample("arxiv_stamped.pdf")).unwrap();
    assert_eq!(p.format, Format::Pdf);
    assert_eq!(summary(&p), ["arxiv:2006.11239v2"]);
    assert_eq!(
        p.entries[0].title.as_deref(),
        Some("Denoising Diffusion Probabilistic Models")
    );
    let p = parse_bytes("doi_only.pdf", &sample("doi_only.pdf")).unwrap();
    assert_eq!(summary(&p), ["doi:10.1109/cvpr52688.2022.01042"]);
    let p = parse_bytes("1706.03762v7.pdf", &sample("1706.03762v7.pdf")).unwrap();
    assert_eq!(summary(&p), ["arxiv:1706.03762v7"]);
    let err = parse_bytes("broken.pdf", b"%PDF-1.4\n garbage")
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("not a readable PDF"), "{err}");
}

#[test]
fn bad_input_gets_a_clear_message() {
    let err = |name: &str, bytes: &[u8]| parse_bytes(name, bytes).unwrap_err().to_string();
    assert_eq!(err("empty.bib", b"  \n\n"), "the file is empty");
    assert!(err("image.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").contains("binary data"));
    assert!(err("notes.txt", b"just some notes, no papers").starts_with("no papers found"));
    let dir = tempfile::tempdir().unwrap();
    let e = parse_path(&dir.path().join("missing.bib"))
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with("cannot read") && e.contains("missing.bib"),
        "{e}"
    );
    let e = parse_path(dir.path()).unwrap_err().to_string();
    assert!(e.contains("is a folder"), "{e}");
}

#[test]
fn mixed_encodings_and_big_lists() {
    // A Latin-1 line among UTF-8 lines: both read.
    let mut bytes = "Über: arXiv:1706.03762\n".as_bytes().to_vec();
    bytes.extend_from_slice(b"Gr\xfc\xdfe: arXiv:1810.04805\n");
    let p = parse_bytes("mixed.md", &bytes).unwrap();
    assert_eq!(summary(&p), ["arxiv:1706.03762", "arxiv:1810.04805"]);
    // 10,000 entries parse; every one kept.
    let big: String = (0..10_000)
        .map(|i| format!("arXiv:2401.{:05}\n", i + 1))
        .collect();
    assert_eq!(
        parse_bytes("big.txt", big.as_bytes())
            .unwrap()
            .entries
            .len(),
        10_000
    );
    let bib: String = (0..10_000)
        .map(|i| format!("@misc{{k{i}, title={{Paper {i}}}, eprint={{2401.{:05}}}, archivePrefix={{arXiv}}}}\n", i + 1))
        .collect();
    assert_eq!(
        parse_bytes("big.bib", bib.as_bytes())
            .unwrap()
            .entries
            .len(),
        10_000
    );
}

#[test]
fn titles_normalize() {
    assert_eq!(
        normalize_title("{LoRA}: Low-Rank  Adaptation of Large Language Models."),
        "lora low rank adaptation of large language models"
    );
    assert_eq!(normalize_title("Über Café"), "über café");
}

/// Inputs the fuzzers found crashing a parser (`tests/fixtures/fuzz/<target>/`): each
/// now gives entries or a clear error.
#[test]
fn fuzz_crashers_stay_fixed() {
    let root =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../tests/fixtures/fuzz");
    let names = [
        ("bibtex", "refs.bib"),
        ("ris", "refs.ris"),
        ("csl_json", "refs.json"),
        ("text_ids", "list.md"),
        ("pdf", "paper.pdf"),
    ];
    let mut n = 0;
    for (target, name) in names {
        let Ok(dir) = std::fs::read_dir(root.join(target)) else {
            continue;
        };
        for f in dir {
            let bytes = std::fs::read(f.unwrap().path()).unwrap();
            match parse_bytes(name, &bytes) {
                Ok(p) => assert!(!p.entries.is_empty()),
                Err(e) => assert!(!e.to_string().is_empty()),
            }
            n += 1;
        }
    }
    assert!(n >= 1, "no fuzz fixtures found");
}

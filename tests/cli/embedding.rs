//! The embedder against reference vectors computed independently (numpy BERT).

use crate::common::{cosine, fixture, model_cache};
use papersift_core::embedder::Embedder;
use papersift_embed::{EmbedConfig, FastEmbedder};
use serde::Deserialize;

#[derive(Deserialize)]
struct Reference {
    items: Vec<Item>,
}
#[derive(Deserialize)]
struct Item {
    text: String,
    vector: Vec<f32>,
}

/// The fp32 all-MiniLM-L6-v2 (the reference vectors are fp32's).
fn embedder() -> FastEmbedder {
    let mut cfg = EmbedConfig {
        cache_dir: model_cache(),
        provider: papersift_embed::ExecutionProvider::Cpu,
        batch_size: 2,
        ..EmbedConfig::default()
    };
    cfg.set_model("all-MiniLM-L6-v2");
    FastEmbedder::load(&cfg).expect("model loads from the provisioned cache")
}

#[test]
fn vectors_match_the_reference_implementation() {
    let reference: Reference =
        serde_json::from_slice(&std::fs::read(fixture("minilm_reference_vectors.json")).unwrap())
            .unwrap();
    let e = embedder();
    assert_eq!(e.dim(), 384);
    assert_eq!(e.model_id(), "Qdrant/all-MiniLM-L6-v2-onnx@256");
    let texts: Vec<String> = reference.items.iter().map(|i| i.text.clone()).collect();
    // Batched with padding (the long texts truncate at 256 tokens, the query is short).
    let docs = e.embed_documents(&texts).unwrap();
    for (item, got) in reference.items.iter().zip(&docs) {
        let c = cosine(got, &item.vector);
        assert!(c >= 0.999, "cosine {c} for {:.40}", item.text);
        let norm: f32 = got.iter().map(|x| x * x).sum::<f32>().sqrt();
        assert!((norm - 1.0).abs() < 1e-4, "normalized, got {norm}");
    }
    // A query alone gives the same vector as inside a padded batch.
    let q = e.embed_query(&texts[3]).unwrap();
    assert!(cosine(&q, &reference.items[3].vector) >= 0.999);
    // Different texts are not trivially similar.
    assert!(cosine(&docs[0], &docs[3]) < 0.5);
}

/// The int8 model (scripts/build_minilm_int8.py) loads through fastembed's own path for
/// its quantized MiniLM (the hub layout of Xenova/all-MiniLM-L6-v2) and stays within the
/// quality guard of the fp32 reference vectors.
#[test]
fn the_int8_model_loads_from_the_hub_layout_and_agrees_with_fp32() {
    let reference: Reference =
        serde_json::from_slice(&std::fs::read(fixture("minilm_reference_vectors.json")).unwrap())
            .unwrap();
    let mut cfg = EmbedConfig {
        cache_dir: model_cache(),
        provider: papersift_embed::ExecutionProvider::Cpu,
        batch_size: 2,
        ..EmbedConfig::default()
    };
    // The default, named here so that the test says what it checks.
    assert_eq!(cfg.model, "all-MiniLM-L6-v2-int8");
    cfg.set_model("all-MiniLM-L6-v2-int8");
    let e = FastEmbedder::load(&cfg).expect("the int8 model loads from the provisioned cache");
    assert_eq!(e.dim(), 384);
    assert_eq!(e.model_id(), "Xenova/all-MiniLM-L6-v2@256");
    let texts: Vec<String> = reference.items.iter().map(|i| i.text.clone()).collect();
    let docs = e.embed_documents(&texts).unwrap();
    let mut cosines: Vec<f32> = reference
        .items
        .iter()
        .zip(&docs)
        .map(|(item, got)| cosine(got, &item.vector))
        .collect();
    cosines.sort_by(f32::total_cmp);
    // The quality guard: every text close, the median at least 0.99.
    assert!(cosines[0] >= 0.98, "{cosines:?}");
    assert!(cosines[cosines.len() / 2] >= 0.99, "{cosines:?}");
    // Not the fp32 file under another name.
    assert!(cosines[cosines.len() - 1] < 0.9999, "{cosines:?}");
}

#[test]
fn auto_falls_back_to_the_cpu_and_cuda_says_why_it_cannot_start() {
    // The test set-up's ONNX Runtime is the CPU build: it offers no CUDA.
    let cfg = |provider| EmbedConfig {
        cache_dir: model_cache(),
        provider,
        batch_size: 2,
        ..EmbedConfig::default()
    };
    let auto = FastEmbedder::load(&cfg(papersift_embed::ExecutionProvider::Auto)).unwrap();
    assert_eq!(auto.provider(), "cpu");
    assert!(!papersift_embed::cuda_available());
    assert_eq!(auto.embed_query("sparse attention").unwrap().len(), 384);
    let err = FastEmbedder::load(&cfg(papersift_embed::ExecutionProvider::Cuda))
        .err()
        .expect("CUDA cannot start here")
        .to_string();
    assert!(err.contains("no CUDA support"), "{err}");
    assert!(err.contains("use provider 'cpu'"), "{err}");
}

/// A library indexed with fp32 MiniLM (the default before the int8 model), opened with
/// the new default: every paper answers meaning search at once through its fp32 vector,
/// and `embed` (the app's background pass) re-indexes it all.
#[test]
fn an_fp32_library_opened_with_the_int8_default_answers_at_once_and_reindexes() {
    use crate::{papersift, succeed};
    let data = tempfile::tempdir().unwrap();
    let run = |model: Option<&str>, args: &[&str]| -> serde_json::Value {
        let mut cmd = papersift(data.path());
        cmd.arg("--json")
            .env_remove("PAPERSIFT_MODEL")
            .env("PAPERSIFT_MODEL_CACHE", model_cache());
        if let Some(m) = model {
            cmd.args(["--model", m]);
        }
        let out = succeed(cmd.args(args));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let corpus = fixture("arxiv_sample_40.jsonl");
    let imported = run(
        Some("all-MiniLM-L6-v2"),
        &["import-corpus", corpus.to_str().unwrap()],
    );
    assert_eq!(imported["embedded"], 40, "{imported}");
    // No model named: the default, int8.
    let int8 = None;
    let stats = run(int8, &["stats"]);
    assert_eq!(
        (stats["embedded"].as_u64(), stats["pending"].as_u64()),
        (Some(0), Some(40)),
        "{stats}"
    );
    let query =
        "recognizing the layout of tables in documents written in many scripts and languages";
    let search = || run(int8, &["search", query, "--mode", "dense", "--k", "40"]);
    let before = search();
    assert_eq!(before["results"].as_array().unwrap().len(), 40, "{before}");
    assert_eq!(before["results"][0]["id"], "2503.11932");
    let embedded = run(int8, &["embed"]);
    assert_eq!(embedded["embedded"], 40, "{embedded}");
    let stats = run(int8, &["stats"]);
    assert_eq!(
        (stats["embedded"].as_u64(), stats["pending"].as_u64()),
        (Some(40), Some(0)),
        "{stats}"
    );
    let after = search();
    assert_eq!(after["results"][0]["id"], "2503.11932");
    // The scores moved (int8 vectors now), but little.
    let (b, a) = (
        before["results"][0]["dense"].as_f64().unwrap(),
        after["results"][0]["dense"].as_f64().unwrap(),
    );
    assert!(b != a && (b - a).abs() < 0.05, "{b} -> {a}");
}

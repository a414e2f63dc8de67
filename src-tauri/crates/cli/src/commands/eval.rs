//! `eval`: retrieval quality on a BEIR data set, per search mode.

use super::library::embed_pending;
use super::Ctx;
use anyhow::Result;
use papersift_core::eval::{self, Metrics};
use papersift_core::query::Filter;
use papersift_core::rank::{Fusion, SearchMode, SearchOptions};
use serde_json::json;
use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

/// Evaluate retrieval on a BEIR data set (nDCG@10, Recall@100, MRR@10).
#[derive(Debug, clap::Args)]
pub(crate) struct EvalArgs {
    /// BEIR folder with corpus.jsonl, queries and qrels/.
    #[arg(long, value_name = "DIR")]
    beir: PathBuf,
    /// Judgment split.
    #[arg(long, default_value = "test")]
    split: String,
    /// hybrid, dense, keyword, or all (default: all three).
    #[arg(long)]
    mode: Option<SearchMode>,
}

pub(crate) fn eval_beir(ctx: &Ctx, a: EvalArgs, out: &mut dyn Write) -> Result<()> {
    let EvalArgs { beir, split, mode } = a;
    let (dir, split) = (beir.as_path(), split.as_str());
    let set = eval::load_beir(dir, split)?;
    // Each data set gets its own library so evaluation never mixes with the user's papers.
    let name = dir
        .canonicalize()
        .ok()
        .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "beir".into());
    let lib_dir = ctx.data_dir.join("eval").join(&name);
    let lib = ctx.open(&lib_dir, true)?;
    let corpus = papersift_core::corpus::read_jsonl(&set.corpus)?;
    lib.upsert_papers(&corpus)?;
    embed_pending(&lib, ctx.cli_json)?;
    // Keywords ranked as the app ranks them once it has started.
    lib.load_keyword_index()?;

    let embedder = lib.embedder().expect("opened with a model");
    // Queries as the app embeds them (with the model's query prefix, if it has one).
    let t = Instant::now();
    let qvecs = set
        .queries
        .iter()
        .map(|q| embedder.embed_query(&q.text))
        .collect::<papersift_core::Result<Vec<_>>>()?;
    let embed_ms = t.elapsed().as_secs_f64() * 1e3 / set.queries.len().max(1) as f64;

    // Hybrid is reported with the default fusion and with rank fusion, for comparison.
    let modes: Vec<(SearchMode, Fusion, &str)> = [
        (SearchMode::Keyword, Fusion::Convex, "keyword"),
        (SearchMode::Dense, Fusion::Convex, "dense"),
        (SearchMode::Hybrid, Fusion::Convex, "hybrid"),
        (SearchMode::Hybrid, Fusion::Rrf, "hybrid-rrf"),
    ]
    .into_iter()
    .filter(|(m, _, _)| mode.is_none_or(|want| want == *m))
    .collect();
    let mut rows = Vec::new();
    for (m, fusion, label) in modes {
        let opts = SearchOptions {
            mode: m,
            k: 100,
            filter: Filter::default(),
            fusion,
        };
        let mut runs: HashMap<String, Vec<String>> = HashMap::new();
        let mut times = Vec::with_capacity(set.queries.len());
        for (q, v) in set.queries.iter().zip(&qvecs) {
            let t = Instant::now();
            let hits = lib.search_with_vector(&q.text, Some(v), &opts)?;
            times.push(t.elapsed().as_secs_f64() * 1e3);
            runs.insert(
                q.id.clone(),
                hits.into_iter().map(|h| h.paper.key).collect(),
            );
        }
        times.sort_by(f64::total_cmp);
        let median = times.get(times.len() / 2).copied().unwrap_or(0.0);
        rows.push((label, eval::evaluate(&runs, &set.qrels), median));
    }
    if ctx.cli_json {
        let rows: Vec<_> = rows
            .iter()
            .map(|(m, metrics, ms)| json!({ "mode": m, "metrics": metrics, "rank_ms_median": ms }))
            .collect();
        writeln!(
            out,
            "{}",
            json!({ "dataset": name, "split": split, "documents": corpus.len(), "query_embed_ms_mean": embed_ms, "results": rows })
        )?;
        return Ok(());
    }
    writeln!(
        out,
        "{name} ({split}): {} documents, {} judged queries, model {}",
        corpus.len(),
        set.queries.len(),
        embedder.model_id()
    )?;
    writeln!(
        out,
        "{:<10} {:>8} {:>10} {:>7} {:>12}",
        "mode", "nDCG@10", "Recall@100", "MRR@10", "rank ms p50"
    )?;
    for (
        name,
        Metrics {
            ndcg_at_10,
            recall_at_100,
            mrr_at_10,
            ..
        },
        ms,
    ) in rows
    {
        writeln!(
            out,
            "{name:<10} {ndcg_at_10:>8.4} {recall_at_100:>10.4} {mrr_at_10:>7.4} {ms:>12.2}"
        )?;
    }
    writeln!(out, "query embedding: {embed_ms:.1} ms per query")?;
    Ok(())
}

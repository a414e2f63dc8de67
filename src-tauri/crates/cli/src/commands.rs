//! The CLI commands: each parses nothing (clap did), calls the core and prints.

use crate::progress::bar;
use crate::{Cli, Command, FilterArgs};
use anyhow::{Context, Result};
use papersift_core::eval::{self, Metrics};
use papersift_core::library::Library;
use papersift_core::rank::{Filter, SearchHit, SearchMode, SearchOptions};
use papersift_embed::{EmbedConfig, FastEmbedder};
use serde_json::json;
use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

/// Papers embedded per committed chunk: a killed run loses at most this much work,
/// and memory stays bounded (fastembed keeps a whole call's outputs).
const EMBED_CHUNK: usize = 256;

struct Ctx {
    cli_json: bool,
    embed: EmbedConfig,
    data_dir: std::path::PathBuf,
}

impl Ctx {
    fn embedder(&self) -> Result<Arc<FastEmbedder>> {
        Ok(Arc::new(FastEmbedder::load(&self.embed)?))
    }

    fn open(&self, dir: &Path, with_model: bool) -> Result<Library> {
        let embedder = if with_model {
            Some(self.embedder()? as Arc<dyn papersift_core::embedder::Embedder>)
        } else {
            None
        };
        Library::open(dir, embedder)
            .with_context(|| format!("cannot open the library in {}", dir.display()))
    }
}

pub(crate) fn dispatch(cli: Cli, out: &mut dyn Write) -> Result<()> {
    let mut embed = EmbedConfig::from_env();
    if let Some(c) = cli.model_cache {
        embed.cache_dir = c;
    }
    if let Some(l) = cli.ort_lib {
        embed.runtime_library = Some(l);
    }
    if let Some(p) = cli.provider {
        embed.provider = p.parse().map_err(anyhow::Error::msg)?;
    }
    let ctx = Ctx {
        cli_json: cli.json,
        embed,
        data_dir: papersift_core::config::data_dir(cli.data_dir.as_deref()),
    };
    match cli.command {
        Command::ImportCorpus { file, no_embed } => import_corpus(&ctx, &file, no_embed, out),
        Command::Embed => {
            let lib = ctx.open(&ctx.data_dir, true)?;
            let n = embed_pending(&lib, ctx.cli_json)?;
            print(
                out,
                ctx.cli_json,
                json!({ "embedded": n }),
                &format!("embedded {n} papers"),
            )
        }
        Command::Search {
            query,
            queries,
            k,
            mode,
            filter,
        } => {
            let opts = SearchOptions {
                mode,
                k,
                filter: to_filter(filter),
            };
            let lib = ctx.open(&ctx.data_dir, mode != SearchMode::Keyword)?;
            match (query, queries) {
                (_, Some(file)) => search_file(&lib, &file, &opts, out),
                (Some(q), None) => search_one(&lib, &q, &opts, ctx.cli_json, out),
                (None, None) => unreachable!("clap requires one"),
            }
        }
        Command::Eval { beir, split, mode } => eval_beir(&ctx, &beir, &split, mode, out),
        Command::BenchSearch {
            queries,
            k,
            mode,
            warmup,
        } => {
            let lib = ctx.open(&ctx.data_dir, mode != SearchMode::Keyword)?;
            bench_search(&lib, &queries, k, mode, warmup, ctx.cli_json, out)
        }
        Command::Stats => {
            let lib = ctx.open(&ctx.data_dir, false)?;
            // Count vectors of the configured model without loading ONNX Runtime.
            let stats = lib.stats_for_model(Some(ctx.embed.model_id()?))?;
            if ctx.cli_json {
                writeln!(out, "{}", serde_json::to_string(&stats)?)?;
            } else {
                writeln!(out, "library   {}", stats.data_dir.display())?;
                writeln!(out, "papers    {}", stats.papers)?;
                writeln!(
                    out,
                    "embedded  {} ({} pending) with {}",
                    stats.embedded,
                    stats.pending,
                    stats.model.as_deref().unwrap_or("-")
                )?;
                writeln!(out, "schema    v{}", stats.schema_version)?;
            }
            Ok(())
        }
    }
}

fn to_filter(f: FilterArgs) -> Filter {
    Filter {
        from: f.from,
        to: f.to,
        category: f.category,
        source: f.source,
    }
}

fn print(out: &mut dyn Write, json: bool, value: serde_json::Value, text: &str) -> Result<()> {
    if json {
        writeln!(out, "{value}")?;
    } else {
        writeln!(out, "{text}")?;
    }
    Ok(())
}

fn embed_pending(lib: &Library, quiet: bool) -> Result<usize> {
    let pb = bar(0, "embedding", quiet);
    let n = lib.embed_pending(EMBED_CHUNK, &mut |done, total| {
        pb.set_length(total as u64);
        pb.set_position(done as u64);
    })?;
    pb.finish_and_clear();
    Ok(n)
}

fn import_corpus(ctx: &Ctx, file: &Path, no_embed: bool, out: &mut dyn Write) -> Result<()> {
    let started = Instant::now();
    let papers = papersift_core::corpus::read_jsonl(file)?;
    let lib = ctx.open(&ctx.data_dir, !no_embed)?;
    let report = lib.upsert_papers(&papers)?;
    let embedded = if no_embed {
        0
    } else {
        embed_pending(&lib, ctx.cli_json)?
    };
    let stats = lib.stats()?;
    print(
        out,
        ctx.cli_json,
        json!({
            "file": file,
            "read": papers.len(),
            "inserted": report.inserted.len(),
            "updated": report.updated.len(),
            "unchanged": report.unchanged,
            "embedded": embedded,
            "papers": stats.papers,
            "seconds": started.elapsed().as_secs_f64(),
        }),
        &format!(
            "read {} papers from {}: {} new, {} updated, {} unchanged; embedded {}; library now holds {} papers",
            papers.len(),
            file.display(),
            report.inserted.len(),
            report.updated.len(),
            report.unchanged,
            embedded,
            stats.papers
        ),
    )
}

fn hit_json(h: &SearchHit) -> serde_json::Value {
    json!({
        "id": h.paper.key,
        "title": h.paper.title,
        "score": h.score,
        "dense": h.parts.dense,
        "dense_rank": h.parts.dense_rank,
        "keyword": h.parts.keyword,
        "keyword_rank": h.parts.keyword_rank,
        "published": h.paper.published,
        "authors": h.paper.author_count,
        "upvotes": h.paper.upvotes,
    })
}

fn search_one(
    lib: &Library,
    query: &str,
    opts: &SearchOptions,
    json: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let started = Instant::now();
    let hits = lib.search(query, opts)?;
    if json {
        let results: Vec<_> = hits.iter().map(hit_json).collect();
        writeln!(
            out,
            "{}",
            json!({ "query": query, "mode": opts.mode, "ms": started.elapsed().as_secs_f64() * 1e3, "results": results })
        )?;
        return Ok(());
    }
    if hits.is_empty() {
        writeln!(out, "no papers match \"{query}\"")?;
    }
    for (i, h) in hits.iter().enumerate() {
        let why = match (h.parts.dense, h.parts.keyword_rank) {
            (Some(d), Some(r)) => format!("meaning {d:.2}, keywords #{r}"),
            (Some(d), None) => format!("meaning {d:.2}"),
            (None, Some(r)) => format!("keywords #{r}"),
            (None, None) => String::new(),
        };
        writeln!(
            out,
            "{:>2}. {}  [{}]\n    {} · {} · {}",
            i + 1,
            h.paper.title,
            h.paper.key,
            h.paper.published.as_deref().unwrap_or("undated"),
            why,
            format_args!("{:.4}", h.score)
        )?;
    }
    Ok(())
}

fn search_file(
    lib: &Library,
    file: &Path,
    opts: &SearchOptions,
    out: &mut dyn Write,
) -> Result<()> {
    let queries = eval::read_queries(file)?;
    for q in queries {
        let hits = lib.search(&q.text, opts)?;
        let results: Vec<_> = hits.iter().map(hit_json).collect();
        writeln!(
            out,
            "{}",
            json!({ "query_id": q.id, "query": q.text, "results": results })
        )?;
    }
    Ok(())
}

fn eval_beir(
    ctx: &Ctx,
    dir: &Path,
    split: &str,
    mode: Option<SearchMode>,
    out: &mut dyn Write,
) -> Result<()> {
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

    let embedder = lib.embedder().expect("opened with a model");
    let texts: Vec<String> = set.queries.iter().map(|q| q.text.clone()).collect();
    let t = Instant::now();
    let qvecs = embedder.embed_documents(&texts)?;
    let embed_ms = t.elapsed().as_secs_f64() * 1e3 / texts.len().max(1) as f64;

    let modes = match mode {
        Some(m) => vec![m],
        None => vec![SearchMode::Keyword, SearchMode::Dense, SearchMode::Hybrid],
    };
    let mut rows = Vec::new();
    for m in modes {
        let opts = SearchOptions {
            mode: m,
            k: 100,
            filter: Filter::default(),
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
        rows.push((m, eval::evaluate(&runs, &set.qrels), median));
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
        "{:<8} {:>8} {:>10} {:>7} {:>12}",
        "mode", "nDCG@10", "Recall@100", "MRR@10", "rank ms p50"
    )?;
    for (
        m,
        Metrics {
            ndcg_at_10,
            recall_at_100,
            mrr_at_10,
            ..
        },
        ms,
    ) in rows
    {
        let name = serde_json::to_value(m)?
            .as_str()
            .unwrap_or_default()
            .to_string();
        writeln!(
            out,
            "{name:<8} {ndcg_at_10:>8.4} {recall_at_100:>10.4} {mrr_at_10:>7.4} {ms:>12.2}"
        )?;
    }
    writeln!(out, "query embedding: {embed_ms:.1} ms per query (batched)")?;
    Ok(())
}

/// Median and 95th percentile of a sample (nearest-rank), in the sample's unit.
fn percentiles(mut v: Vec<f64>) -> (f64, f64) {
    if v.is_empty() {
        return (0.0, 0.0);
    }
    v.sort_by(f64::total_cmp);
    let at = |p: f64| v[((p * v.len() as f64).ceil() as usize).clamp(1, v.len()) - 1];
    (at(0.5), at(0.95))
}

fn bench_search(
    lib: &Library,
    file: &Path,
    k: usize,
    mode: SearchMode,
    warmup: usize,
    json_out: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let queries = eval::read_queries(file)?;
    anyhow::ensure!(!queries.is_empty(), "{} holds no queries", file.display());
    let opts = SearchOptions {
        mode,
        k,
        filter: Filter::default(),
    };
    let embedder = lib.embedder();
    let (mut embed_ms, mut rank_ms, mut total_ms) = (Vec::new(), Vec::new(), Vec::new());
    for (i, q) in queries
        .iter()
        .cycle()
        .take(warmup + queries.len())
        .enumerate()
    {
        let t0 = Instant::now();
        let qvec = match (&embedder, mode) {
            (Some(e), SearchMode::Dense | SearchMode::Hybrid) => Some(e.embed_query(&q.text)?),
            _ => None,
        };
        let t1 = Instant::now();
        let hits = lib.search_with_vector(&q.text, qvec.as_deref(), &opts)?;
        let t2 = Instant::now();
        std::hint::black_box(hits);
        if i >= warmup {
            embed_ms.push((t1 - t0).as_secs_f64() * 1e3);
            rank_ms.push((t2 - t1).as_secs_f64() * 1e3);
            total_ms.push((t2 - t0).as_secs_f64() * 1e3);
        }
    }
    let stats = lib.stats()?;
    let (e50, e95) = percentiles(embed_ms);
    let (r50, r95) = percentiles(rank_ms);
    let (t50, t95) = percentiles(total_ms);
    if json_out {
        writeln!(
            out,
            "{}",
            json!({
                "papers": stats.papers, "embedded": stats.embedded, "queries": queries.len(), "mode": mode, "k": k,
                "embed_ms": { "p50": e50, "p95": e95 },
                "rank_ms": { "p50": r50, "p95": r95 },
                "total_ms": { "p50": t50, "p95": t95 },
            })
        )?;
    } else {
        writeln!(
            out,
            "{} queries over {} papers ({} embedded), k={k}",
            queries.len(),
            stats.papers,
            stats.embedded
        )?;
        writeln!(out, "{:<16} {:>9} {:>9}", "ms", "median", "p95")?;
        writeln!(out, "{:<16} {e50:>9.2} {e95:>9.2}", "query embedding")?;
        writeln!(out, "{:<16} {r50:>9.2} {r95:>9.2}", "ranking")?;
        writeln!(out, "{:<16} {t50:>9.2} {t95:>9.2}", "end to end")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn percentiles_nearest_rank() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(super::percentiles(v), (50.0, 95.0));
        assert_eq!(super::percentiles(vec![3.0]), (3.0, 3.0));
        assert_eq!(super::percentiles(Vec::new()), (0.0, 0.0));
    }
}

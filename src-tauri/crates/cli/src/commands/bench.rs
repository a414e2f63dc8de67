//! `bench-search`: search latency over the library; `bench-recommend`: the ranker's.

use super::Ctx;
use anyhow::{Context, Result};
use papersift_core::eval;
use papersift_core::library::Library;
use papersift_core::query::Filter;
use papersift_core::rank::{SearchMode, SearchOptions};
use serde_json::json;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Measure search latency over the library: median and p95 of query embedding and
/// ranking (run one after the other), and of the search end to end as the app runs
/// it (hybrid's keyword half beside the embedding and the dense scan).
#[derive(Debug, clap::Args)]
pub(crate) struct BenchSearchArgs {
    /// A BEIR queries.jsonl or a text file with one query per line.
    #[arg(long, value_name = "FILE")]
    queries: PathBuf,
    /// Number of results.
    #[arg(long, default_value_t = 10)]
    k: usize,
    /// hybrid, dense or keyword.
    #[arg(long, default_value = "hybrid")]
    mode: SearchMode,
    /// Unmeasured warm-up queries run first.
    #[arg(long, default_value_t = 5)]
    warmup: usize,
    /// Rank keywords with SQLite's FTS5 index only, as before the in-memory keyword
    /// index is built (the baseline).
    #[arg(long)]
    fts5: bool,
}

/// Measure dense ranking over SIZE vectors made from the library's own (each a real
/// vector plus Gaussian noise, renormalized), with real queries: median and p95, and
/// recall against scoring every f32 vector.
#[derive(Debug, clap::Args)]
pub(crate) struct BenchIndexArgs {
    /// Vectors in the index.
    #[arg(long, default_value_t = 1_000_000)]
    size: usize,
    /// A BEIR queries.jsonl or a text file with one query per line.
    #[arg(long, value_name = "FILE")]
    queries: PathBuf,
    /// Number of results.
    #[arg(long, default_value_t = 10)]
    k: usize,
    /// Standard deviation of the noise added to each component.
    #[arg(long, default_value_t = 0.02)]
    noise: f32,
}

/// Measure recommendation latency over the library: for each list of a lists file
/// (JSON Lines: `name` and `train` arXiv ids, as `eval-lists` reads), train the
/// default ranker on the list's papers and rank every other paper, `rounds` times;
/// prints the median and p95 per list, and the word index's build time and size.
#[derive(Debug, clap::Args)]
pub(crate) struct BenchRecommendArgs {
    /// The lists, e.g. ../shared/data/reclists-dev/lists.jsonl.
    #[arg(long)]
    lists: PathBuf,
    /// Timed runs per list (after one untimed run).
    #[arg(long, default_value_t = 5)]
    rounds: usize,
}

/// Measure embedding throughput on the first N papers of a corpus (arXiv JSON Lines
/// or BEIR corpus.jsonl): documents per second, median of the runs. Batch size and
/// threads come from PAPERSIFT_EMBED_BATCH / PAPERSIFT_EMBED_THREADS.
#[derive(Debug, clap::Args)]
pub(crate) struct BenchEmbedArgs {
    /// The corpus.
    #[arg(long, value_name = "FILE")]
    texts: PathBuf,
    /// Papers to embed.
    #[arg(long, default_value_t = 1000)]
    n: usize,
    /// sorted (Papersift), given (fastembed's embed, texts as they come), fastembed-sorted
    /// (fastembed's embed, sorted by length) or raw (the ONNX Runtime ceiling).
    #[arg(long, value_enum, default_value = "sorted")]
    order: EmbedOrder,
    /// Timed runs (the median is reported).
    #[arg(long, default_value_t = 1)]
    repeat: usize,
    /// Write the vectors of the first run here, in the corpus order: little-endian
    /// f32 rows (for comparing providers or models; `sorted` order only).
    #[arg(long, value_name = "FILE")]
    vectors: Option<PathBuf>,
}

/// Clean the TeX of every title and abstract of a corpus (arXiv JSON Lines), as the
/// library does when it stores a paper: how many carry TeX, the formulas found, and
/// the time per paper. `--formulas` writes each formula as a JSON line (for
/// bench/katex_share.ts, which measures how many KaTeX renders).
#[derive(Debug, clap::Args)]
pub(crate) struct BenchTexArgs {
    /// The corpus.
    #[arg(long, value_name = "FILE")]
    texts: PathBuf,
    /// Where to write `{"id", "tex", "display"}` lines.
    #[arg(long, value_name = "FILE")]
    formulas: Option<PathBuf>,
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

/// `bench-recommend`: the default ranker trained and run for each list, timed.
pub(crate) fn bench_recommend(ctx: &Ctx, a: BenchRecommendArgs, out: &mut dyn Write) -> Result<()> {
    let BenchRecommendArgs {
        lists: file,
        rounds,
    } = a;
    let (file, json_out) = (file.as_path(), ctx.cli_json);
    // The model's stored vectors load with it.
    let lib = &ctx.open(&ctx.data_dir, true)?;
    use papersift_core::rank::recommend::{recommend, Method};
    let lists = eval::lists::read_lists(file)?;
    let index = lib.vector_index();
    anyhow::ensure!(
        !index.is_empty(),
        "the library has no vectors; import and embed papers first"
    );
    let rss_before = rss_mb();
    let built = Instant::now();
    let (papers, bytes) = lib.with_terms(|t| (t.len(), t.memory_bytes()))?;
    let build_ms = built.elapsed().as_secs_f64() * 1e3;
    let rss_terms = rss_mb() - rss_before;
    let mut rows = Vec::new();
    for l in &lists {
        let mut positives = Vec::new();
        for a in &l.train {
            positives.extend(lib.paper_id_by_arxiv(a)?);
        }
        if positives.is_empty() {
            continue;
        }
        let mut times = Vec::new();
        for round in 0..=rounds {
            let t = Instant::now();
            let top = lib.with_terms(|terms| {
                recommend(
                    &index,
                    terms,
                    &positives,
                    &Default::default(),
                    &[],
                    Method::Hybrid,
                    50,
                )
            })?;
            anyhow::ensure!(!top.is_empty(), "no recommendation for {}", l.name);
            if round > 0 {
                times.push(t.elapsed().as_secs_f64() * 1e3);
            }
        }
        let (median, p95) = percentiles(times);
        rows.push((l.name.clone(), positives.len(), median, p95));
    }
    let (median_all, _) = percentiles(rows.iter().map(|r| r.2).collect());
    if json_out {
        writeln!(
            out,
            "{}",
            json!({
                "papers": papers,
                "vectors": index.len(),
                "terms_build_ms": build_ms,
                "terms_bytes": bytes,
                "terms_rss_mb": rss_terms,
                "median_ms": median_all,
                "lists": rows.iter().map(|r| json!({"list": r.0, "papers": r.1, "median_ms": r.2, "p95_ms": r.3})).collect::<Vec<_>>(),
            })
        )?;
        return Ok(());
    }
    writeln!(
        out,
        "{papers} papers, {} vectors; word index built in {build_ms:.0} ms, {:.1} MB ({rss_terms:+.0} MB resident)",
        index.len(),
        bytes as f64 / 1e6
    )?;
    writeln!(
        out,
        "{:<30} {:>6} {:>10} {:>8}",
        "list", "papers", "median ms", "p95 ms"
    )?;
    for r in &rows {
        writeln!(out, "{:<30} {:>6} {:>10.1} {:>8.1}", r.0, r.1, r.2, r.3)?;
    }
    writeln!(
        out,
        "{:<30} {:>6} {median_all:>10.1}",
        "median of lists", ""
    )?;
    Ok(())
}

/// `bench-search`: search latency over the library.
pub(crate) fn bench_search(ctx: &Ctx, a: BenchSearchArgs, out: &mut dyn Write) -> Result<()> {
    let BenchSearchArgs {
        queries: file,
        k,
        mode,
        warmup,
        fts5,
    } = a;
    let (file, json_out) = (file.as_path(), ctx.cli_json);
    let lib = &ctx.open(&ctx.data_dir, mode != SearchMode::Keyword)?;
    let queries = eval::read_queries(file)?;
    anyhow::ensure!(!queries.is_empty(), "{} holds no queries", file.display());
    let opts = SearchOptions {
        mode,
        k,
        filter: Filter::default(),
        fusion: Default::default(),
    };
    // The keyword index was opened (or built) with the library.
    let (t, rss) = (Instant::now(), rss_mb());
    if fts5 {
        lib.fts5_only();
    }
    let in_memory = !fts5 && lib.load_keyword_index()?;
    let keyword_index_s = t.elapsed().as_secs_f64();
    let keyword_index_mb = rss_mb() - rss;
    let keywords = if in_memory { "tantivy" } else { "fts5" };
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
        // End to end as the app searches (hybrid runs its keyword half in parallel).
        let t3 = Instant::now();
        std::hint::black_box(lib.search(&q.text, &opts)?);
        let t4 = Instant::now();
        if i >= warmup {
            embed_ms.push((t1 - t0).as_secs_f64() * 1e3);
            rank_ms.push((t2 - t1).as_secs_f64() * 1e3);
            total_ms.push((t4 - t3).as_secs_f64() * 1e3);
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
                "keywords": keywords, "keyword_index_s": keyword_index_s, "keyword_index_mb": keyword_index_mb,
                "embed_ms": { "p50": e50, "p95": e95 },
                "rank_ms": { "p50": r50, "p95": r95 },
                "total_ms": { "p50": t50, "p95": t95 },
            })
        )?;
    } else {
        writeln!(
            out,
            "{} queries over {} papers ({} embedded), k={k}, keywords by {keywords}",
            queries.len(),
            stats.papers,
            stats.embedded
        )?;
        if in_memory {
            writeln!(
                out,
                "keyword index current after {keyword_index_s:.2} s more, {keyword_index_mb:.0} MB resident growth"
            )?;
        }
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

/// How `bench-embed` feeds the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EmbedOrder {
    /// Papersift's embedder: batches of similar length, run by its own pipeline.
    Sorted,
    /// fastembed's own `embed`, texts in the order given.
    Given,
    /// fastembed's own `embed` on texts sorted by length (the effect of sorting alone).
    FastembedSorted,
    /// The ceiling: the bare ONNX Runtime session on batches tokenized beforehand
    /// (sorted like `sorted`), without tokenizing or pooling.
    Raw,
}

/// `bench-embed`: documents per second for the first `n` texts of a corpus.
pub(crate) fn bench_embed(ctx: &Ctx, a: BenchEmbedArgs, out: &mut dyn Write) -> Result<()> {
    let BenchEmbedArgs {
        texts: file,
        n,
        order,
        repeat,
        vectors,
    } = a;
    let (file, vectors_out) = (file.as_path(), vectors.as_deref());
    anyhow::ensure!(
        vectors_out.is_none() || order == EmbedOrder::Sorted,
        "--vectors needs --order sorted"
    );
    let texts: Vec<String> = papersift_core::corpus::read_jsonl(file)?
        .into_iter()
        .take(n)
        .map(|p| papersift_core::model::embedding_text(&p.title, &p.abstract_text))
        .collect();
    anyhow::ensure!(!texts.is_empty(), "{} holds no papers", file.display());
    let started = Instant::now();
    let embedder = papersift_embed::FastEmbedder::load(&ctx.embed)?;
    let load_s = started.elapsed().as_secs_f64();
    let batches = embedder.tokenize(&texts, order != EmbedOrder::Given)?;
    let cells: usize = batches.iter().map(|b| b.cells()).sum();
    let real: usize = batches.iter().map(|b| b.real_tokens()).sum();
    let mut raw = match order {
        EmbedOrder::Raw => Some(papersift_embed::bench::RawSession::open(&ctx.embed)?),
        _ => None,
    };
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let mut runs = Vec::new();
    let mut first: Option<Vec<Vec<f32>>> = None;
    for _ in 0..repeat.max(1) {
        let t = Instant::now();
        match (order, raw.as_mut()) {
            (EmbedOrder::Raw, Some(session)) => {
                for b in &batches {
                    session.run(b)?;
                }
            }
            (EmbedOrder::Given, _) => {
                embedder.embed_in_order(&refs)?;
            }
            (EmbedOrder::FastembedSorted, _) => {
                let mut sorted = refs.clone();
                sorted.sort_by_key(|t| t.len());
                embedder.embed_in_order(&sorted)?;
            }
            _ => {
                let vectors = embedder.embed_by_length(&texts)?;
                if first.is_none() && vectors_out.is_some() {
                    first = Some(vectors);
                }
            }
        }
        runs.push(t.elapsed().as_secs_f64());
    }
    if let (Some(path), Some(vectors)) = (vectors_out, first) {
        let bytes: Vec<u8> = vectors
            .iter()
            .flatten()
            .flat_map(|x| x.to_le_bytes())
            .collect();
        std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
    }
    let (median, _) = percentiles(runs.clone());
    let docs_per_s = texts.len() as f64 / median;
    let threads = ctx.embed.thread_count();
    super::print(
        out,
        ctx.cli_json,
        json!({
            "model": ctx.embed.display_name(),
            "order": order,
            "texts": texts.len(),
            "batch": ctx.embed.batch_size,
            "threads": threads,
            "max_length": ctx.embed.max_length,
            "load_s": load_s,
            "runs_s": runs,
            "median_s": median,
            "docs_per_s": docs_per_s,
            "padding": 1.0 - real as f64 / cells.max(1) as f64,
        }),
        &format!(
            "{:?}: {} texts in {median:.2} s = {docs_per_s:.1} docs/s (batch {}, {threads} threads, {:.0}% padding)",
            order,
            texts.len(),
            ctx.embed.batch_size,
            100.0 * (1.0 - real as f64 / cells.max(1) as f64)
        ),
    )
}

/// `bench-tex`: the TeX cleaner over a corpus, timed over three passes (median).
pub(crate) fn bench_tex(ctx: &Ctx, a: BenchTexArgs, out: &mut dyn Write) -> Result<()> {
    let (file, formulas) = (a.texts.as_path(), a.formulas.as_deref());
    use papersift_core::tex;
    let papers = papersift_core::corpus::read_jsonl(file)?;
    anyhow::ensure!(!papers.is_empty(), "{} holds no papers", file.display());
    let mut runs = Vec::new();
    for _ in 0..3 {
        let started = Instant::now();
        for p in &papers {
            std::hint::black_box(tex::clean(&p.title));
            std::hint::black_box(tex::clean(&p.abstract_text));
        }
        runs.push(started.elapsed().as_secs_f64());
    }
    runs.sort_by(f64::total_cmp);
    let mut sink = formulas
        .map(|f| std::fs::File::create(f).map(std::io::BufWriter::new))
        .transpose()?;
    let (mut with_tex, mut abstracts_with_tex, mut with_math, mut count) = (0, 0, 0, 0);
    for p in &papers {
        let (t, a) = (tex::clean(&p.title), tex::clean(&p.abstract_text));
        let changed_abstract = a.text != p.abstract_text || !a.math.is_empty();
        abstracts_with_tex += usize::from(changed_abstract);
        with_tex += usize::from(changed_abstract || t.text != p.title || !t.math.is_empty());
        with_math += usize::from(!t.math.is_empty() || !a.math.is_empty());
        for c in [&t, &a] {
            let units: Vec<u16> = c.text.encode_utf16().collect();
            for m in &c.math {
                count += 1;
                if let Some(w) = sink.as_mut() {
                    let tex =
                        String::from_utf16_lossy(&units[m.tex_start as usize..m.tex_end as usize]);
                    writeln!(
                        w,
                        "{}",
                        json!({ "id": p.key, "tex": tex, "display": m.display })
                    )?;
                }
            }
        }
    }
    if let Some(mut w) = sink {
        w.flush()?;
    }
    let median = runs[1];
    let per_paper_us = 1e6 * median / papers.len() as f64;
    super::print(
        out,
        ctx.cli_json,
        json!({
            "papers": papers.len(),
            "with_tex": with_tex,
            "abstracts_with_tex": abstracts_with_tex,
            "with_math": with_math,
            "formulas": count,
            "median_s": median,
            "us_per_paper": per_paper_us,
        }),
        &format!(
            "{} papers: {with_tex} with TeX ({abstracts_with_tex} abstracts), {with_math} with formulas ({count} formulas); cleaned in {median:.3} s ({per_paper_us:.1} µs a paper, median of 3)",
            papers.len()
        ),
    )
}

/// Resident memory of this process, in MB (Linux), for the benchmarks' reports.
fn rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// `bench-index`: exact dense ranking at a scale the library does not have yet. The
/// index is made of `size` vectors, each a real library vector (cycled) plus Gaussian
/// noise of standard deviation `noise` per component, renormalized; the queries are
/// real queries embedded by the real model.
pub(crate) fn bench_index(ctx: &Ctx, a: BenchIndexArgs, out: &mut dyn Write) -> Result<()> {
    let BenchIndexArgs {
        size,
        queries: file,
        k,
        noise,
    } = a;
    let (file, json_out) = (file.as_path(), ctx.cli_json);
    let lib = &ctx.open(&ctx.data_dir, true)?;
    let base = lib.vector_index();
    anyhow::ensure!(
        !base.is_empty(),
        "the library has no vectors to build from; import and embed papers first"
    );
    let embedder = lib
        .embedder()
        .ok_or_else(|| anyhow::anyhow!("no embedding model is loaded"))?;
    let queries = eval::read_queries(file)?;
    anyhow::ensure!(!queries.is_empty(), "{} holds no queries", file.display());
    let rss_before = rss_mb();
    let built = Instant::now();
    let dim = base.dim();
    let rows: Vec<&[f32]> = base.rows().map(|(_, v)| v).collect();
    let mut data = Vec::with_capacity(size * dim);
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut gauss = || {
        // Box–Muller on xorshift64*: repeatable noise without a dependency.
        let mut next = || {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            ((state.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 + 0.5) / (1u64 << 53) as f64
        };
        let (u, v) = (next(), next());
        ((-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()) as f32
    };
    for i in 0..size {
        let start = data.len();
        data.extend(rows[i % rows.len()].iter().map(|x| x + noise * gauss()));
        papersift_core::rank::vector::normalize(&mut data[start..]);
    }
    let index =
        papersift_core::rank::VectorIndex::from_parts((0..size as i64).collect(), data, dim);
    let build_s = built.elapsed().as_secs_f64();
    let rss_index = rss_mb() - rss_before;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let (mut embed_ms, mut one_ms, mut all_ms, mut total_ms) = (vec![], vec![], vec![], vec![]);
    // Agreement with scoring every f32 vector (the int8 path re-scores candidates).
    let (mut exact_ms, mut agree, mut wanted) = (vec![], 0usize, 0usize);
    for (i, q) in queries.iter().cycle().take(queries.len() + 3).enumerate() {
        let t0 = Instant::now();
        let v = embedder.embed_query(&q.text)?;
        let t1 = Instant::now();
        let all = index.top_k_with(&v, k, None, threads);
        let t2 = Instant::now();
        let one = index.top_k_with(&v, k, None, 1);
        let t3 = Instant::now();
        let exact = index.top_k_exact_with(&v, k, None, threads);
        let t4 = Instant::now();
        anyhow::ensure!(all == one, "threaded and single-threaded rankings differ");
        agree += exact
            .iter()
            .filter(|e| all.iter().any(|a| a.0 == e.0))
            .count();
        wanted += exact.len();
        if i >= 3 {
            exact_ms.push((t4 - t3).as_secs_f64() * 1e3);
            embed_ms.push((t1 - t0).as_secs_f64() * 1e3);
            all_ms.push((t2 - t1).as_secs_f64() * 1e3);
            one_ms.push((t3 - t2).as_secs_f64() * 1e3);
            total_ms.push((t2 - t0).as_secs_f64() * 1e3);
        }
    }
    let p = |v: Vec<f64>| {
        let (a, b) = percentiles(v);
        json!({ "p50": a, "p95": b })
    };
    let report = json!({
        "vectors": size, "dim": dim, "k": k, "noise": noise, "queries": queries.len(),
        "matrix_mb": (size * dim * 4) as f64 / 1048576.0, "rss_index_mb": rss_index, "build_s": build_s,
        "threads": threads,
        "embed_ms": p(embed_ms), "rank_1_thread_ms": p(one_ms), "rank_ms": p(all_ms.clone()),
        "total_ms": p(total_ms), "exact_rank_ms": p(exact_ms),
        "recall_vs_exact": agree as f64 / wanted.max(1) as f64,
    });
    if json_out {
        writeln!(out, "{report}")?;
    } else {
        writeln!(
            out,
            "{size} vectors ({:.0} MB), {} queries, k={k}: ranking median {:.1} ms on {threads} threads ({:.1} ms on one; {:.1} ms scoring every f32 vector, recall@{k} {:.4} against it), end to end {:.1} ms",
            report["matrix_mb"].as_f64().unwrap_or(0.0),
            queries.len(),
            report["rank_ms"]["p50"].as_f64().unwrap_or(0.0),
            report["rank_1_thread_ms"]["p50"].as_f64().unwrap_or(0.0),
            report["exact_rank_ms"]["p50"].as_f64().unwrap_or(0.0),
            report["recall_vs_exact"].as_f64().unwrap_or(0.0),
            report["total_ms"]["p50"].as_f64().unwrap_or(0.0),
        )?;
    }
    Ok(())
}

/// `suggest --bench FILE`: the latency of as-you-type suggestions, each line of the file
/// typed text (the first 20 also run once before, unmeasured, to warm SQLite's cache).
pub(crate) fn bench_suggest(
    lib: &Library,
    file: &Path,
    k: usize,
    out: &mut dyn Write,
) -> Result<()> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    anyhow::ensure!(!lines.is_empty(), "{} holds no lines", file.display());
    for l in lines.iter().take(20) {
        lib.suggest(l, k)?;
    }
    let mut ms = Vec::new();
    let mut shown = 0usize;
    for l in &lines {
        let t = Instant::now();
        let found = lib.suggest(l, k)?;
        ms.push(t.elapsed().as_secs_f64() * 1e3);
        shown += found.len();
    }
    let n = ms.len();
    let (median, p95) = percentiles(ms.clone());
    let max = ms.iter().copied().fold(0.0, f64::max);
    writeln!(
        out,
        "{}",
        json!({ "texts": n, "median_ms": median, "p95_ms": p95, "max_ms": max,
                "suggestions_per_text": shown as f64 / n as f64 })
    )?;
    Ok(())
}

//! `search`: one query, or a file of queries as JSON lines.

use super::Ctx;
use anyhow::Result;
use papersift_core::eval;
use papersift_core::library::Library;
use papersift_core::query::Filter;
use papersift_core::rank::{SearchHit, SearchMode, SearchOptions};
use serde_json::json;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Rank the library for a query, or for every query in a file (JSON lines out).
#[derive(Debug, clap::Args)]
#[command(after_help = papersift_core::query::SYNTAX_HELP)]
pub(crate) struct SearchArgs {
    /// The query: free words rank by meaning and keywords; phrases, fields,
    /// exclusions and prefixes must hold for every result (syntax below).
    #[arg(required_unless_present = "queries")]
    query: Option<String>,
    /// A BEIR queries.jsonl or a text file with one query per line.
    #[arg(long, value_name = "FILE", conflicts_with = "query")]
    queries: Option<PathBuf>,
    /// Number of results.
    #[arg(long, default_value_t = 10)]
    k: usize,
    /// hybrid, dense or keyword.
    #[arg(long, default_value = "hybrid")]
    mode: SearchMode,
    #[command(flatten)]
    filter: FilterArgs,
}

/// As-you-type suggestions for a partly typed query (titles, authors, categories),
/// or, with `--bench FILE` (one typed text per line), their latency: median and p95.
#[derive(Debug, clap::Args)]
pub(crate) struct SuggestArgs {
    /// What has been typed so far.
    #[arg(required_unless_present = "bench")]
    text: Option<String>,
    /// At most this many of each kind.
    #[arg(long, default_value_t = 5)]
    k: usize,
    /// Time the suggestions for every line of this file instead.
    #[arg(long, value_name = "FILE", conflicts_with = "text")]
    bench: Option<PathBuf>,
}

/// The filters `search` takes.
#[derive(Debug, clap::Args, Default)]
pub(crate) struct FilterArgs {
    /// Only papers published on or after this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    from: Option<String>,
    /// Only papers published on or before this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    to: Option<String>,
    /// Only papers in this arXiv category.
    #[arg(long)]
    category: Option<String>,
    /// Only papers from this source (hf, arxiv, biorxiv, medrxiv, openreview, feed,
    /// crossref, seed, corpus).
    #[arg(long)]
    source: Option<String>,
}

impl FilterArgs {
    pub(crate) fn into_filter(self) -> Filter {
        Filter {
            from: self.from,
            to: self.to,
            category: self.category,
            source: self.source,
            list: None,
            query: None,
        }
    }
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

pub(crate) fn search_one(
    lib: &Library,
    query: &str,
    opts: &SearchOptions,
    json: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let started = Instant::now();
    let parsed = papersift_core::query::parse(query);
    let hits = lib.search_parsed(&parsed, opts)?;
    let hint = parsed.hint;
    if json {
        let results: Vec<_> = hits.iter().map(hit_json).collect();
        writeln!(
            out,
            "{}",
            json!({ "query": query, "mode": opts.mode, "ms": started.elapsed().as_secs_f64() * 1e3, "hint": hint, "results": results })
        )?;
        return Ok(());
    }
    if let Some(h) = &hint {
        eprintln!("note: {h}");
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

pub(crate) fn search_file(
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

pub(crate) fn suggest(
    lib: &Library,
    text: &str,
    k: usize,
    json: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let started = Instant::now();
    let found = lib.suggest(text, k)?;
    let ms = started.elapsed().as_secs_f64() * 1e3;
    if json {
        writeln!(
            out,
            "{}",
            json!({ "text": text, "ms": ms, "suggestions": found })
        )?;
        return Ok(());
    }
    for s in &found {
        writeln!(
            out,
            "{:<9} {}",
            format!("{:?}", s.kind).to_lowercase(),
            s.text
        )?;
    }
    Ok(())
}

/// `search`: one query, or every query of a file.
pub(crate) fn search(ctx: &Ctx, a: SearchArgs, out: &mut dyn Write) -> Result<()> {
    let opts = SearchOptions {
        mode: a.mode,
        k: a.k,
        filter: a.filter.into_filter(),
        fusion: Default::default(),
    };
    let lib = ctx.open(&ctx.data_dir, a.mode != SearchMode::Keyword)?;
    match (a.query, a.queries) {
        (_, Some(file)) => search_file(&lib, &file, &opts, out),
        (Some(q), None) => search_one(&lib, &q, &opts, ctx.cli_json, out),
        (None, None) => unreachable!("clap requires one"),
    }
}

/// `suggest`: suggestions for a typed text, or their latency over a file of texts.
pub(crate) fn suggest_cmd(ctx: &Ctx, a: SuggestArgs, out: &mut dyn Write) -> Result<()> {
    let lib = ctx.open(&ctx.data_dir, false)?;
    match (a.text, a.bench) {
        (_, Some(file)) => super::bench::bench_suggest(&lib, &file, a.k, out),
        (Some(t), None) => suggest(&lib, &t, a.k, ctx.cli_json, out),
        (None, None) => unreachable!("clap requires one"),
    }
}

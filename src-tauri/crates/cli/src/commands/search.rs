//! `search`: one query, or a file of queries as JSON lines.

use anyhow::Result;
use papersift_core::eval;
use papersift_core::library::Library;
use papersift_core::rank::{SearchHit, SearchOptions};
use serde_json::json;
use std::io::Write;
use std::path::Path;
use std::time::Instant;

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

//! `import-corpus`, `embed`: filling the library from files.

use super::{print, Ctx};
use crate::progress::{bar, with_bar};
use anyhow::Result;
use papersift_core::library::Library;
use serde_json::json;
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

/// Import papers from a JSON Lines corpus (arXiv listings or BEIR corpus.jsonl, optionally .gz) and embed them.
#[derive(Debug, clap::Args)]
pub(crate) struct ImportCorpusArgs {
    /// The corpus file.
    file: PathBuf,
    /// Store the papers without embedding them now.
    #[arg(long)]
    no_embed: bool,
}

/// Embed every paper that lacks a vector of the current model.
#[derive(Debug, clap::Args)]
pub(crate) struct EmbedArgs {
    /// Papers per committed chunk (a killed run keeps every finished chunk).
    #[arg(long, default_value_t = 256)]
    chunk: usize,
}

/// Lay out the library map (or read the cached layout, when no paper changed) and
/// report how long it took; `--out` writes the points as JSON Lines.
#[derive(Debug, clap::Args)]
pub(crate) struct MapArgs {
    /// Where to write `{"key", "x", "y", "category"}` lines.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

/// Check the keyword index against the library: every paper once, with its current
/// text, and nothing else (exit status 1 when they disagree).
#[derive(Debug, clap::Args)]
pub(crate) struct KeywordsArgs {
    /// Build it anew from the library first.
    #[arg(long)]
    rebuild: bool,
}

/// Library counts.
#[derive(Debug, clap::Args)]
pub(crate) struct StatsArgs {}

/// Papers embedded per committed chunk: a killed run loses at most this much work,
/// and memory stays bounded (fastembed keeps a whole call's outputs).
const EMBED_CHUNK: usize = 256;

pub(crate) fn embed_pending(lib: &Library, quiet: bool) -> Result<usize> {
    embed_pending_in(lib, EMBED_CHUNK, quiet)
}

/// [`embed_pending`] committing every `chunk` papers.
pub(crate) fn embed_pending_in(lib: &Library, chunk: usize, quiet: bool) -> Result<usize> {
    Ok(with_bar("embedding", quiet, |p| {
        lib.embed_pending(chunk, p)
    })?)
}

pub(crate) fn import_corpus(ctx: &Ctx, a: ImportCorpusArgs, out: &mut dyn Write) -> Result<()> {
    let ImportCorpusArgs { file, no_embed } = a;
    let file = file.as_path();
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

/// `papersift map`: lays the library out (or reads the cached layout) and reports it.
pub(crate) fn map(ctx: &Ctx, a: MapArgs, out: &mut dyn Write) -> Result<()> {
    let file = a.out.as_deref();
    let lib = ctx.open(&ctx.data_dir, true)?;
    let pb = bar(100, "layout", ctx.cli_json);
    let started = Instant::now();
    let map = lib.map(&mut |done, _| pb.set_position(done as u64))?;
    let seconds = started.elapsed().as_secs_f64();
    pb.finish_and_clear();
    if let Some(path) = file {
        let mut w = std::io::BufWriter::new(
            std::fs::File::create(path)
                .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?,
        );
        for i in 0..map.keys.len() {
            let g = usize::from(map.groups[i]);
            let line = json!({
                "key": map.keys[i],
                "x": map.xs[i],
                "y": map.ys[i],
                "category": map.categories.get(g),
            });
            writeln!(w, "{line}")?;
        }
        w.flush()?;
    }
    print(
        out,
        ctx.cli_json,
        json!({
            "points": map.keys.len(),
            "unplaced": map.unplaced,
            "layout": map.layout,
            "seconds": seconds,
            "categories": map.categories,
        }),
        &format!(
            "{} papers on the map ({}{:.2} s){}",
            map.keys.len(),
            match map.layout {
                papersift_core::library::MapLayout::Cached => "cached, read in ",
                papersift_core::library::MapLayout::Extended => "new papers placed in ",
                papersift_core::library::MapLayout::Computed => "laid out in ",
            },
            seconds,
            if map.unplaced > 0 {
                format!("; {} waiting for a vector", map.unplaced)
            } else {
                String::new()
            }
        ),
    )
}

/// `keywords`: the keyword index against the database (and `--rebuild` first).
pub(crate) fn keywords(ctx: &Ctx, a: KeywordsArgs, out: &mut dyn Write) -> Result<()> {
    let KeywordsArgs { rebuild } = a;
    let lib = ctx.open(&ctx.data_dir, false)?;
    if rebuild {
        let started = Instant::now();
        with_bar("rebuilding", ctx.cli_json, |p| {
            lib.rebuild_keyword_index_with(p)
        })?;
        if !ctx.cli_json {
            writeln!(out, "rebuilt in {:.1} s", started.elapsed().as_secs_f64())?;
        }
    }
    let c = lib.keyword_index_check()?;
    let agrees = c.agrees();
    print(
        out,
        ctx.cli_json,
        json!({ "agrees": agrees, "check": c }),
        &format!(
            "keyword index {}: {} entries for {} papers ({} missing, {} stale, {} removed, \
             {} duplicated); log {} of {}; {:.1} MB on disk",
            if agrees {
                "agrees with the library"
            } else {
                "DISAGREES with the library"
            },
            c.entries,
            c.papers,
            c.missing,
            c.stale,
            c.removed,
            c.duplicates,
            c.applied,
            c.log_head,
            c.disk_bytes as f64 / 1e6
        ),
    )?;
    anyhow::ensure!(
        agrees,
        "the keyword index disagrees with the library; run with --rebuild"
    );
    Ok(())
}

/// `embed`: every paper without a vector of the current model.
pub(crate) fn embed(ctx: &Ctx, a: EmbedArgs, out: &mut dyn Write) -> Result<()> {
    let again = |e: anyhow::Error| ctx.again(e, "run papersift embed again");
    let lib = ctx.open(&ctx.data_dir, true).map_err(again)?;
    let n = embed_pending_in(&lib, a.chunk.max(1), ctx.cli_json).map_err(again)?;
    print(
        out,
        ctx.cli_json,
        json!({ "embedded": n }),
        &format!("embedded {n} papers"),
    )
}

/// `stats`: library counts.
pub(crate) fn stats(ctx: &Ctx, _: StatsArgs, out: &mut dyn Write) -> Result<()> {
    let lib = ctx.open(&ctx.data_dir, false)?;
    // Count vectors of the configured model without loading ONNX Runtime.
    let stats = lib.stats_for_model(Some(ctx.embed_for(&lib)?.model_id()?))?;
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

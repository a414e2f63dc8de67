//! `sync`: fetch new papers from the sources, store and embed them.

use super::Ctx;
use crate::progress::bar;
use anyhow::Result;
use papersift_core::sync::{run_sync, SyncConfig, SyncProgress};
use std::io::Write;
use std::sync::Arc;

pub(crate) fn sync(ctx: &Ctx, cfg: &SyncConfig, out: &mut dyn Write) -> Result<()> {
    // Sync stores papers even when the model cannot load; they are embedded later.
    let lib = match ctx.open(&ctx.data_dir, true) {
        Ok(lib) => lib,
        Err(e) => {
            log::warn!("{e:#}; papers will be stored without embeddings");
            ctx.open(&ctx.data_dir, false)?
        }
    };
    let lib = Arc::new(lib);
    let pb = bar(0, "syncing", ctx.cli_json);
    let progress = |p: SyncProgress| match p {
        SyncProgress::Fetching { source, what } => pb.set_message(format!("{source} {what}")),
        SyncProgress::Stored { .. } => {}
        SyncProgress::Embedding { done, total } => {
            pb.set_message("embedding");
            pb.set_length(total as u64);
            pb.set_position(done as u64);
        }
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let report = runtime.block_on(run_sync(lib.clone(), cfg, &progress))?;
    pb.finish_and_clear();
    if ctx.cli_json {
        writeln!(out, "{}", serde_json::to_string(&report)?)?;
        return Ok(());
    }
    for s in &report.sources {
        match (&s.error, s.offline) {
            (Some(_), true) => writeln!(out, "{:<6} offline, skipped", s.source)?,
            _ => writeln!(
                out,
                "{:<6} {} new, {} updated ({} requests, {} items{})",
                s.source,
                s.new,
                s.updated,
                s.requests,
                s.items,
                if s.skipped.is_empty() {
                    String::new()
                } else {
                    format!(", {} skipped", s.skipped.len())
                }
            )?,
        }
        if let (Some(e), false) = (&s.error, s.offline) {
            writeln!(out, "       error: {e}")?;
        }
    }
    match &report.embed_error {
        Some(e) => writeln!(out, "embedding postponed: {e}")?,
        None => writeln!(
            out,
            "embedded {} papers in {:.1} s",
            report.embedded, report.seconds
        )?,
    }
    Ok(())
}

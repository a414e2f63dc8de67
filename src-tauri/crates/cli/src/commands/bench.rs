//! `bench-search`: search latency over the library.

use anyhow::Result;
use papersift_core::eval;
use papersift_core::library::Library;
use papersift_core::rank::{Filter, SearchMode, SearchOptions};
use serde_json::json;
use std::io::Write;
use std::path::Path;
use std::time::Instant;

/// Median and 95th percentile of a sample (nearest-rank), in the sample's unit.
fn percentiles(mut v: Vec<f64>) -> (f64, f64) {
    if v.is_empty() {
        return (0.0, 0.0);
    }
    v.sort_by(f64::total_cmp);
    let at = |p: f64| v[((p * v.len() as f64).ceil() as usize).clamp(1, v.len()) - 1];
    (at(0.5), at(0.95))
}

pub(crate) fn bench_search(
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

//! Reading lists: `import`, `lists`, `recommend`, `export`, and their measure on real
//! lists split by date, `eval-lists`.

use super::library::embed_pending;
use super::Ctx;
use crate::progress::bar;
use anyhow::{anyhow, Result};
use papersift_core::import::resolve::{import_file, ImportOptions, ImportProgress};
use papersift_core::library::Library;
use papersift_core::rank::recommend::Method;
use papersift_core::store::Rating;
use papersift_core::sync::{SyncConfig, SyncSettings};
use serde_json::json;
use std::collections::HashSet;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

/// Import reading lists (BibTeX, RIS, CSL-JSON, text/Markdown/CSV with arXiv ids or
/// DOIs, PDFs); each file becomes a list named after it.
#[derive(Debug, clap::Args)]
pub(crate) struct ImportArgs {
    /// The files.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Put every entry in this list (created if missing) instead.
    #[arg(long)]
    list: Option<String>,
    /// Do not ask arXiv for papers missing from the library.
    #[arg(long)]
    offline: bool,
}

/// The reading lists, or one list's entries.
#[derive(Debug, clap::Args)]
pub(crate) struct ListsArgs {
    /// Show this list's entries.
    #[arg(long)]
    show: Option<String>,
}

/// Recommend library papers for a list (default: for all lists together).
#[derive(Debug, clap::Args)]
pub(crate) struct RecommendArgs {
    /// The list (name or number).
    #[arg(long)]
    list: Option<String>,
    /// Number of recommendations.
    #[arg(long, default_value_t = 20)]
    k: usize,
    /// hybrid (words and meaning), nearest, centroid or linear.
    #[arg(long, default_value = "hybrid")]
    method: papersift_core::rank::recommend::Method,
    /// For all lists and 👍 together (the default without --list).
    #[arg(long, conflicts_with = "list")]
    for_you: bool,
}

/// Rate a paper. `up` (👍): recommendations find more like it, for you and, with
/// --list, for that list. `down` (👎): it is never recommended and papers like it move
/// down. `clear`: the rating is taken back. Committed before the command returns.
#[derive(Debug, clap::Args)]
pub(crate) struct RateArgs {
    /// The paper (key or arXiv id).
    paper: String,
    /// up, down or clear.
    rating: String,
    /// The list the rating is given inside (name or number).
    #[arg(long)]
    list: Option<String>,
}

/// The papers of a day (or of the days up to it) in an order: `newest`, `trending`
/// (Hugging Face upvotes) or `for-you` (papers in a list or 👍 first, then the rest by
/// the ranker trained on them; 👎 left out), as the app's feed orders them.
#[derive(Debug, clap::Args)]
pub(crate) struct FeedArgs {
    /// The last day (YYYY-MM-DD).
    #[arg(long)]
    day: String,
    /// Days back from --day, that day included.
    #[arg(long, default_value_t = 1)]
    days: u32,
    /// newest, trending or for-you.
    #[arg(long, default_value = "newest")]
    order: String,
    /// Papers at most.
    #[arg(long, default_value_t = 50)]
    k: usize,
}

/// Write every rating as JSON (paper key, arXiv id, title, list, rating, time).
#[derive(Debug, clap::Args)]
pub(crate) struct ExportRatingsArgs {}

/// Restore ratings from an `export-ratings` file (papers found by key or arXiv id,
/// lists by name); prints what could not be restored.
#[derive(Debug, clap::Args)]
pub(crate) struct ImportRatingsArgs {
    /// The file.
    file: PathBuf,
}

/// Write a list as BibTeX, RIS or CSL-JSON to standard output.
#[derive(Debug, clap::Args)]
pub(crate) struct ExportArgs {
    /// The list (name or number).
    #[arg(long)]
    list: String,
    /// The format.
    #[arg(long, value_parser = ["bibtex", "ris", "csl-json"], default_value = "bibtex")]
    format: String,
    /// BibTeX (the default; kept for scripts written before --format).
    #[arg(long, hide = true)]
    bibtex: bool,
}

/// Measure recommendations on real reading lists split by date: each list's papers
/// before the split are the list, its later ones should rank high among every corpus
/// paper since the split. Prints recall@50, recall@200 and nDCG@50 per list and the
/// mean, for every method and three keyword baselines (TF-IDF centroids, plain and
/// tuned, and arxiv-sanity-lite's tf-idf SVM). The library lives under
/// `<data-dir>/eval/`, so a second run reuses its vectors.
#[derive(Debug, clap::Args)]
pub(crate) struct EvalListsArgs {
    /// The lists (JSON Lines: `name`, `train` and `test` arXiv ids), e.g.
    /// ../shared/data/reclists-dev/lists.jsonl.
    #[arg(long)]
    lists: PathBuf,
    /// The corpus (arXiv JSON Lines, optionally .gz), e.g.
    /// ../shared/data/arxiv/arxiv_daily_dedup.jsonl.gz.
    #[arg(long)]
    corpus: PathBuf,
    /// The split day: the pool is every paper published on or after it.
    #[arg(long, default_value = "2026-01-01")]
    split: String,
    /// Methods to run, comma-separated (default: all).
    #[arg(long, value_delimiter = ',')]
    methods: Vec<papersift_core::rank::recommend::Method>,
}

pub(crate) fn import(ctx: &Ctx, a: ImportArgs, out: &mut dyn Write) -> Result<()> {
    let ImportArgs {
        files,
        list,
        offline,
    } = a;
    // Imports embed what they fetch when the model loads; else it is embedded later.
    let lib = Arc::new(ctx.open_to_store(
        "imported papers will be embedded later",
        "import the file again",
    )?);
    let cfg = SyncConfig::from_settings(&SyncSettings::load(&lib)?);
    let rt = super::runtime()?;
    let mut reports = Vec::new();
    let mut failed = Vec::new();
    for file in &files {
        let pb = bar(0, "arXiv", ctx.cli_json);
        let progress = |p: ImportProgress| {
            if let ImportProgress::Fetching { done, total } = p {
                pb.set_length(total as u64);
                pb.set_position(done as u64);
            }
        };
        let opts = ImportOptions {
            list: list.clone(),
            offline,
        };
        match rt.block_on(import_file(lib.clone(), file, &opts, &cfg, &progress)) {
            Ok(r) => reports.push(r),
            // The next files would meet the same disk: stop with the one message.
            Err(e) if e.is_disk_full() => return Err(e.into()),
            Err(e) => failed.push((file.clone(), e.to_string())),
        }
        pb.finish_and_clear();
    }
    let embedded = if lib.embedder().is_some() {
        // Importing again embeds what is left.
        embed_pending(&lib, ctx.cli_json).map_err(|e| ctx.again(e, "import the file again"))?
    } else {
        0
    };
    if ctx.cli_json {
        let errors: Vec<_> = failed
            .iter()
            .map(|(f, e)| json!({ "file": f, "error": e }))
            .collect();
        writeln!(
            out,
            "{}",
            json!({ "imports": reports, "errors": errors, "embedded": embedded })
        )?;
    } else {
        for r in &reports {
            writeln!(
                out,
                "{}: {} entries → list “{}”{}: {} resolved ({} in the library, {} from arXiv, {} from Crossref, {} by title), {} unresolved",
                r.file,
                r.entries,
                r.list_name,
                if r.created { "" } else { " (updated)" },
                r.tally.resolved,
                r.tally.from_library,
                r.tally.from_arxiv + r.tally.from_hugging_face,
                r.tally.from_crossref,
                r.tally.by_title,
                r.tally.unresolved.len()
            )?;
            for u in &r.tally.unresolved {
                writeln!(out, "  unresolved: {} — {}", u.label, u.reason)?;
            }
        }
    }
    match failed.as_slice() {
        [] => Ok(()),
        [(f, e)] if files.len() == 1 => Err(anyhow!("cannot import {}: {e}", f.display())),
        _ => {
            for (f, e) in &failed {
                eprintln!("error: cannot import {}: {e}", f.display());
            }
            Err(anyhow!(
                "{} of {} files could not be imported",
                failed.len(),
                files.len()
            ))
        }
    }
}

pub(crate) fn find_list(lib: &Library, name: &str) -> Result<i64> {
    lib.find_list(name)?.ok_or_else(|| {
        let names: Vec<String> = lib
            .lists()
            .unwrap_or_default()
            .into_iter()
            .map(|l| l.name)
            .collect();
        if names.is_empty() {
            anyhow!("there is no list “{name}”; import one with `papersift import FILE`")
        } else {
            anyhow!(
                "there is no list “{name}”; the lists are: {}",
                names.join(", ")
            )
        }
    })
}

pub(crate) fn lists(ctx: &Ctx, a: ListsArgs, out: &mut dyn Write) -> Result<()> {
    let ListsArgs { show } = a;
    let lib = ctx.open(&ctx.data_dir, false)?;
    if let Some(name) = show {
        let id = find_list(&lib, &name)?;
        let items = lib.list_items(id)?;
        if ctx.cli_json {
            writeln!(out, "{}", serde_json::to_string(&items)?)?;
            return Ok(());
        }
        for it in items {
            match (&it.paper, &it.unresolved_reason) {
                (Some(p), _) => writeln!(
                    out,
                    "{:<16} {}",
                    p.arxiv_id.as_deref().unwrap_or(&p.key),
                    p.title
                )?,
                (None, reason) => writeln!(
                    out,
                    "{:<16} {} (unresolved: {})",
                    it.label.as_deref().unwrap_or(&it.key),
                    it.title.as_deref().unwrap_or(""),
                    reason.as_deref().unwrap_or("")
                )?,
            }
        }
        return Ok(());
    }
    let all = lib.lists()?;
    if ctx.cli_json {
        writeln!(out, "{}", serde_json::to_string(&all)?)?;
        return Ok(());
    }
    if all.is_empty() {
        writeln!(
            out,
            "no reading lists yet; import one with `papersift import FILE`"
        )?;
    }
    for l in all {
        writeln!(
            out,
            "{:>4}  {}  ({} papers, {} unresolved)",
            l.id,
            l.name,
            l.resolved,
            l.items - l.resolved
        )?;
    }
    Ok(())
}

pub(crate) fn recommend(ctx: &Ctx, a: RecommendArgs, out: &mut dyn Write) -> Result<()> {
    // --for-you is the default without --list; it names what it does.
    let RecommendArgs {
        list, k, method, ..
    } = a;
    let lib = ctx.open(&ctx.data_dir, true)?;
    let id = list.as_deref().map(|n| find_list(&lib, n)).transpose()?;
    embed_pending(&lib, ctx.cli_json)?;
    let recs = lib.recommend(id, k, method)?;
    if ctx.cli_json {
        writeln!(out, "{}", serde_json::to_string(&recs)?)?;
        return Ok(());
    }
    if recs.is_empty() {
        writeln!(
            out,
            "nothing to recommend yet: the list has no library papers"
        )?;
    }
    for (i, r) in recs.iter().enumerate() {
        writeln!(
            out,
            "{:>3}. {}  [{}]",
            i + 1,
            r.paper.title,
            r.paper.arxiv_id.as_deref().unwrap_or(&r.paper.key)
        )?;
        if let Some(b) = r.because.first() {
            writeln!(out, "     like: {} ({:.2})", b.title, b.similarity)?;
        }
    }
    Ok(())
}

pub(crate) fn rate(ctx: &Ctx, a: RateArgs, out: &mut dyn Write) -> Result<()> {
    let (paper, rating, list) = (a.paper.as_str(), a.rating.as_str(), a.list.as_deref());
    let rating = match rating {
        "clear" | "none" => None,
        other => Some(other.parse::<Rating>().map_err(|e| anyhow!(e))?),
    };
    let lib = ctx.open(&ctx.data_dir, false)?;
    let list_id = list.map(|n| find_list(&lib, n)).transpose()?;
    lib.rate(paper, list_id, rating)?;
    let said = match rating {
        Some(Rating::Up) => "👍",
        Some(Rating::Down) => "👎",
        None => "no rating",
    };
    if ctx.cli_json {
        writeln!(
            out,
            "{}",
            json!({ "paper": paper, "rating": rating, "list": list })
        )?;
    } else {
        writeln!(out, "{paper}: {said}")?;
    }
    Ok(())
}

pub(crate) fn feed(ctx: &Ctx, a: FeedArgs, out: &mut dyn Write) -> Result<()> {
    let FeedArgs {
        day,
        days,
        order,
        k,
    } = a;
    let (day, order) = (day.as_str(), order.as_str());
    let last = papersift_core::day::parse_day(day)
        .ok_or_else(|| anyhow!("--day {day}: expected a day as YYYY-MM-DD"))?;
    let from = papersift_core::day::format_day(last - i64::from(days.max(1)) + 1);
    let lib = ctx.open(&ctx.data_dir, order == "for-you")?;
    let rows: Vec<(papersift_core::model::Paper, Option<f32>)> = match order {
        "newest" | "trending" => lib
            .feed(&from, day, order == "trending", k)?
            .into_iter()
            .map(|p| (p, None))
            .collect(),
        "for-you" => {
            embed_pending(&lib, ctx.cli_json)?;
            let recs = lib.feed_for_you(&from, day, k)?;
            if recs.is_empty() {
                return Err(anyhow!(
                    "For you learns from your lists and 👍: import a list or rate a paper up first"
                ));
            }
            recs.into_iter().map(|r| (r.paper, Some(r.score))).collect()
        }
        other => {
            return Err(anyhow!(
                "unknown order '{other}' (use newest, trending or for-you)"
            ))
        }
    };
    if ctx.cli_json {
        let items: Vec<_> = rows
            .iter()
            .map(|(p, s)| json!({ "paper": p, "score": s.filter(|s| s.is_finite()) }))
            .collect();
        writeln!(out, "{}", serde_json::to_string(&items)?)?;
        return Ok(());
    }
    for (i, (p, _)) in rows.iter().enumerate() {
        writeln!(
            out,
            "{:>3}. {}  [{}]",
            i + 1,
            p.title,
            p.arxiv_id.as_deref().unwrap_or(&p.key)
        )?;
    }
    Ok(())
}

pub(crate) fn export_ratings(ctx: &Ctx, _: ExportRatingsArgs, out: &mut dyn Write) -> Result<()> {
    let lib = ctx.open(&ctx.data_dir, false)?;
    writeln!(out, "{}", serde_json::to_string_pretty(&lib.ratings()?)?)?;
    Ok(())
}

pub(crate) fn import_ratings(ctx: &Ctx, a: ImportRatingsArgs, out: &mut dyn Write) -> Result<()> {
    let file = a.file.as_path();
    let text = std::fs::read_to_string(file)
        .map_err(|e| anyhow!("cannot read {}: {e}", file.display()))?;
    let ratings: Vec<papersift_core::library::RatedPaper> = serde_json::from_str(&text)
        .map_err(|e| anyhow!("{} is not an export-ratings file: {e}", file.display()))?;
    let lib = ctx.open(&ctx.data_dir, false)?;
    let (done, skipped) = lib.import_ratings(&ratings)?;
    if ctx.cli_json {
        writeln!(out, "{}", json!({ "restored": done, "skipped": skipped }))?;
        return Ok(());
    }
    writeln!(out, "restored {done} ratings")?;
    for s in skipped {
        writeln!(out, "  skipped {s}")?;
    }
    Ok(())
}

pub(crate) fn export(ctx: &Ctx, a: ExportArgs, out: &mut dyn Write) -> Result<()> {
    let list = a.list.as_str();
    let lib = ctx.open(&ctx.data_dir, false)?;
    let id = find_list(&lib, list)?;
    let format: papersift_core::export::Format =
        serde_json::from_value(serde_json::Value::String(a.format.clone()))?;
    out.write_all(papersift_core::export::export(&lib.list_items(id)?, format).as_bytes())?;
    Ok(())
}

pub(crate) fn eval_lists(ctx: &Ctx, a: EvalListsArgs, out: &mut dyn Write) -> Result<()> {
    let (file, corpus_file) = (a.lists.as_path(), a.corpus.as_path());
    let (split, methods) = (a.split.as_str(), a.methods.as_slice());
    use papersift_core::eval::lists as eval;
    if papersift_core::day::parse_day(split).is_none() {
        return Err(anyhow!("--split {split}: expected a day as YYYY-MM-DD"));
    }
    let lists = eval::read_lists(file)?;
    let methods = if methods.is_empty() {
        Method::ALL.to_vec()
    } else {
        methods.to_vec()
    };
    // The library holds the pool and the lists' own papers: earlier papers that no list
    // names are never ranked, and leaving them out keeps the first run's embedding to
    // what the measure reads.
    let named: HashSet<&str> = lists
        .iter()
        .flat_map(|l| l.train.iter().chain(&l.test))
        .map(String::as_str)
        .collect();
    let corpus: Vec<_> = papersift_core::corpus::read_jsonl(corpus_file)?
        .into_iter()
        .filter(|p| {
            p.published.as_deref().is_some_and(|d| d >= split)
                || p.arxiv.as_ref().is_some_and(|a| named.contains(a.id()))
        })
        .collect();
    let name = corpus_file
        .file_name()
        .map(|n| {
            n.to_string_lossy()
                .trim_end_matches(".gz")
                .trim_end_matches(".jsonl")
                .to_string()
        })
        .unwrap_or_else(|| "corpus".into());
    let lib = ctx.open(&ctx.data_dir.join("eval").join(&name), true)?;
    lib.upsert_papers(&corpus)?;
    embed_pending(&lib, ctx.cli_json)?;
    let report = crate::progress::with_bar("lists", ctx.cli_json, |p| {
        eval::evaluate(&lib, &lists, split, &methods, p)
    })?;
    if ctx.cli_json {
        writeln!(out, "{}", serde_json::to_string(&report)?)?;
        return Ok(());
    }
    writeln!(
        out,
        "{} lists, pool of {} papers published on or after {split}",
        report.lists.len(),
        report.pool
    )?;
    for l in &report.lists {
        let note = if l.missing > 0 {
            format!(" ({} ids not in the library or the pool)", l.missing)
        } else {
            String::new()
        };
        writeln!(
            out,
            "  {}: {} listed, {} to find{note}",
            l.name,
            l.train,
            l.test.len()
        )?;
    }
    let lists: Vec<&str> = report.lists.iter().map(|l| l.name.as_str()).collect();
    for (title, pick) in [("recall@50", 0usize), ("recall@200", 1), ("nDCG@50", 2)] {
        writeln!(out, "\n{title}")?;
        write!(out, "{:<30}", "list")?;
        for m in &report.methods {
            write!(out, " {m:>11}")?;
        }
        writeln!(out)?;
        let value = |f: &eval::Figures| [f.recall50, f.recall200, f.ndcg50][pick];
        for list in &lists {
            write!(out, "{list:<30}")?;
            for m in &report.methods {
                let v = report.get(list, m).map_or(f64::NAN, |r| value(&r.figures));
                write!(out, " {v:>11.3}")?;
            }
            writeln!(out)?;
        }
        write!(out, "{:<30}", "mean")?;
        for m in &report.methods {
            write!(out, " {:>11.4}", value(&report.mean(m).0))?;
        }
        writeln!(out)?;
    }
    write!(out, "\n{:<30}", "median ms per list")?;
    for m in &report.methods {
        write!(out, " {:>11.1}", report.mean(m).1)?;
    }
    writeln!(out)?;
    if let Some(first) = report.alerts.first() {
        writeln!(
            out,
            "\nalerts over the pool ({} days): later papers alerted / to find, other papers alerted",
            report.pool_days
        )?;
        writeln!(
            out,
            "{:<30} {:>22} {:>22}",
            "list",
            format!("ranker, top {:.1}%", 100.0 * (1.0 - first.threshold)),
            format!("cosine ≥ {:.2}", eval::OLD_ALERT_COSINE)
        )?;
        for a in &report.alerts {
            writeln!(
                out,
                "{:<30} {:>9} {:>12} {:>9} {:>12}",
                a.list,
                format!("{}/{}", a.ranker_test, a.test),
                a.ranker_other,
                format!("{}/{}", a.cosine_test, a.test),
                a.cosine_other
            )?;
        }
    }
    Ok(())
}

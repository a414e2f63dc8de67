//! papersift-cli: Papersift's engine without a window, for scripts, evaluation and
//! benchmarks. Every command prints for people by default and JSON with `--json`.
//!
//! The binary is a thin `main` over [`run`], so tests can also drive the commands
//! in-process.

mod commands;
mod progress;

use anyhow::Result;
use clap::{Parser, Subcommand};
use papersift_core::rank::SearchMode;
use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;

/// Papersift: a private library of new papers, ranked by meaning.
#[derive(Debug, Parser)]
#[command(name = "papersift", version, about, long_about = None)]
pub struct Cli {
    /// Library folder (default: the platform data folder, e.g. ~/.local/share/papersift).
    #[arg(long, global = true, env = "PAPERSIFT_DATA_DIR", value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Print JSON instead of text.
    #[arg(long, global = true)]
    json: bool,
    /// Model cache folder (Hugging Face hub layout).
    #[arg(long, global = true, env = "PAPERSIFT_MODEL_CACHE", value_name = "DIR")]
    model_cache: Option<PathBuf>,
    /// Path of libonnxruntime.so.
    #[arg(long, global = true, value_name = "FILE")]
    ort_lib: Option<PathBuf>,
    /// Execution provider: cpu, cuda or auto.
    #[arg(long, global = true, value_name = "EP")]
    provider: Option<String>,
    /// Embedding model (a name from the Settings list, e.g. all-MiniLM-L6-v2 for fp32
    /// MiniLM); wins over the library's stored choice and PAPERSIFT_MODEL.
    #[arg(long, global = true, value_name = "NAME")]
    model: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Import papers from a JSON Lines corpus (arXiv listings or BEIR corpus.jsonl, optionally .gz) and embed them.
    ImportCorpus {
        /// The corpus file.
        file: PathBuf,
        /// Store the papers without embedding them now.
        #[arg(long)]
        no_embed: bool,
    },
    /// Fetch new papers from Hugging Face Daily Papers and arXiv, store and embed them.
    Sync {
        /// hf, arxiv or all (default: the sources enabled in settings).
        #[arg(long, value_parser = ["hf", "arxiv", "all"])]
        source: Option<String>,
        /// Daily Papers: days back, today included (default: settings, 7).
        #[arg(long)]
        days: Option<u32>,
        /// arXiv categories, comma-separated (default: settings, cs.LG,cs.CL,cs.AI,cs.CV).
        #[arg(long, value_delimiter = ',')]
        categories: Option<Vec<String>>,
        /// Back-fill this many days through the arXiv API (default: settings, 0).
        #[arg(long)]
        backfill_days: Option<u32>,
        /// Take this date (YYYY-MM-DD, UTC) as today.
        #[arg(long, hide = true)]
        today: Option<String>,
    },
    /// Show the sync settings, or change them (the app uses the same ones).
    Settings {
        /// Enabled sources, comma-separated: hf, arxiv.
        #[arg(long, value_delimiter = ',', value_parser = ["hf", "arxiv"])]
        sources: Option<Vec<String>>,
        /// Daily Papers: days back, today included.
        #[arg(long)]
        days: Option<u32>,
        /// arXiv categories, comma-separated.
        #[arg(long, value_delimiter = ',')]
        categories: Option<Vec<String>>,
        /// arXiv API back-fill depth in days (0: daily listings only).
        #[arg(long)]
        backfill_days: Option<u32>,
    },
    /// Embed every paper that lacks a vector of the current model.
    Embed {
        /// Papers per committed chunk (a killed run keeps every finished chunk).
        #[arg(long, default_value_t = 256)]
        chunk: usize,
    },
    /// Rank the library for a query, or for every query in a file (JSON lines out).
    #[command(after_help = papersift_core::query::SYNTAX_HELP)]
    Search {
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
    },
    /// As-you-type suggestions for a partly typed query (titles, authors, categories),
    /// or, with `--bench FILE` (one typed text per line), their latency: median and p95.
    Suggest {
        /// What has been typed so far.
        #[arg(required_unless_present = "bench")]
        text: Option<String>,
        /// At most this many of each kind.
        #[arg(long, default_value_t = 5)]
        k: usize,
        /// Time the suggestions for every line of this file instead.
        #[arg(long, value_name = "FILE", conflicts_with = "text")]
        bench: Option<PathBuf>,
    },
    /// Evaluate retrieval on a BEIR data set (nDCG@10, Recall@100, MRR@10).
    Eval {
        /// BEIR folder with corpus.jsonl, queries and qrels/.
        #[arg(long, value_name = "DIR")]
        beir: PathBuf,
        /// Judgment split.
        #[arg(long, default_value = "test")]
        split: String,
        /// hybrid, dense, keyword, or all (default: all three).
        #[arg(long)]
        mode: Option<SearchMode>,
    },
    /// Measure search latency over the library: median and p95 of query embedding and
    /// ranking (run one after the other), and of the search end to end as the app runs
    /// it (hybrid's keyword half beside the embedding and the dense scan).
    BenchSearch {
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
    },
    /// Lay out the library map (or read the cached layout, when no paper changed) and
    /// report how long it took; `--out` writes the points as JSON Lines.
    Map {
        /// Where to write `{"key", "x", "y", "category"}` lines.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Measure dense ranking over SIZE vectors made from the library's own (each a real
    /// vector plus Gaussian noise, renormalized), with real queries: median and p95, and
    /// recall against scoring every f32 vector.
    BenchIndex {
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
    },
    /// Measure recommendation latency over the library: for each list of a lists file
    /// (JSON Lines: `name` and `train` arXiv ids, as `eval-lists` reads), train the
    /// default ranker on the list's papers and rank every other paper, `rounds` times;
    /// prints the median and p95 per list, and the word index's build time and size.
    BenchRecommend {
        /// The lists, e.g. ../shared/data/reclists-dev/lists.jsonl.
        #[arg(long)]
        lists: PathBuf,
        /// Timed runs per list (after one untimed run).
        #[arg(long, default_value_t = 5)]
        rounds: usize,
    },
    /// Measure embedding throughput on the first N papers of a corpus (arXiv JSON Lines
    /// or BEIR corpus.jsonl): documents per second, median of the runs. Batch size and
    /// threads come from PAPERSIFT_EMBED_BATCH / PAPERSIFT_EMBED_THREADS.
    BenchEmbed {
        /// The corpus.
        #[arg(long, value_name = "FILE")]
        texts: PathBuf,
        /// Papers to embed.
        #[arg(long, default_value_t = 1000)]
        n: usize,
        /// sorted (Papersift), given (fastembed's embed, texts as they come), fastembed-sorted
        /// (fastembed's embed, sorted by length) or raw (the ONNX Runtime ceiling).
        #[arg(long, value_enum, default_value = "sorted")]
        order: crate::commands::EmbedOrder,
        /// Timed runs (the median is reported).
        #[arg(long, default_value_t = 1)]
        repeat: usize,
        /// Write the vectors of the first run here, in the corpus order: little-endian
        /// f32 rows (for comparing providers or models; `sorted` order only).
        #[arg(long, value_name = "FILE")]
        vectors: Option<PathBuf>,
    },
    /// Clean the TeX of every title and abstract of a corpus (arXiv JSON Lines), as the
    /// library does when it stores a paper: how many carry TeX, the formulas found, and
    /// the time per paper. `--formulas` writes each formula as a JSON line (for
    /// bench/katex_share.ts, which measures how many KaTeX renders).
    BenchTex {
        /// The corpus.
        #[arg(long, value_name = "FILE")]
        texts: PathBuf,
        /// Where to write `{"id", "tex", "display"}` lines.
        #[arg(long, value_name = "FILE")]
        formulas: Option<PathBuf>,
    },
    /// Library counts.
    Stats,
    /// Check the keyword index against the library: every paper once, with its current
    /// text, and nothing else (exit status 1 when they disagree).
    Keywords {
        /// Build it anew from the library first.
        #[arg(long)]
        rebuild: bool,
    },
    /// Import reading lists (BibTeX, RIS, CSL-JSON, text/Markdown/CSV with arXiv ids or
    /// DOIs, PDFs); each file becomes a list named after it.
    Import {
        /// The files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Put every entry in this list (created if missing) instead.
        #[arg(long)]
        list: Option<String>,
        /// Do not ask arXiv for papers missing from the library.
        #[arg(long)]
        offline: bool,
    },
    /// The reading lists, or one list's entries.
    Lists {
        /// Show this list's entries.
        #[arg(long)]
        show: Option<String>,
    },
    /// Recommend library papers for a list (default: for all lists together).
    Recommend {
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
    },
    /// Rate a paper. `up` (👍): recommendations find more like it, for you and, with
    /// --list, for that list. `down` (👎): it is never recommended and papers like it move
    /// down. `clear`: the rating is taken back. Committed before the command returns.
    Rate {
        /// The paper (key or arXiv id).
        paper: String,
        /// up, down or clear.
        rating: String,
        /// The list the rating is given inside (name or number).
        #[arg(long)]
        list: Option<String>,
    },
    /// The papers of a day (or of the days up to it) in an order: `newest`, `trending`
    /// (Hugging Face upvotes) or `for-you` (papers in a list or 👍 first, then the rest by
    /// the ranker trained on them; 👎 left out), as the app's feed orders them.
    Feed {
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
    },
    /// Write every rating as JSON (paper key, arXiv id, title, list, rating, time).
    ExportRatings,
    /// Restore ratings from an `export-ratings` file (papers found by key or arXiv id,
    /// lists by name); prints what could not be restored.
    ImportRatings {
        /// The file.
        file: PathBuf,
    },
    /// Write a list as BibTeX to standard output.
    Export {
        /// The list (name or number).
        #[arg(long)]
        list: String,
        /// BibTeX (the only format, and the default).
        #[arg(long, default_value_t = true)]
        bibtex: bool,
    },
    /// Papers that matched your alerts (unseen first), or the alert rules.
    Alerts {
        /// List the rules instead.
        #[arg(long)]
        rules: bool,
        /// Mark every match as seen.
        #[arg(long)]
        seen: bool,
    },
    /// Turn on alerts for a reading list or a saved search (`--preview` shows what
    /// would have matched in the last 7 days, without saving).
    AlertAdd {
        /// The list (name or number).
        #[arg(long, conflicts_with = "search", required_unless_present = "search")]
        list: Option<String>,
        /// The saved search's query.
        #[arg(long)]
        search: Option<String>,
        /// The saved search's name (default: the query).
        #[arg(long)]
        name: Option<String>,
        /// The standing a new paper needs: the share of the library's papers it must
        /// rank above for the rule, from 0.9 (its top 10%) to 0.9999 (default: the alert
        /// settings', 0.99 unless changed).
        #[arg(long)]
        threshold: Option<f32>,
        /// Only show what would have matched.
        #[arg(long)]
        preview: bool,
    },
    /// Delete an alert rule.
    AlertRemove {
        /// The rule's number (see `alerts --rules`).
        id: i64,
    },
    /// Measure recommendations on real reading lists split by date: each list's papers
    /// before the split are the list, its later ones should rank high among every corpus
    /// paper since the split. Prints recall@50, recall@200 and nDCG@50 per list and the
    /// mean, for every method and three keyword baselines (TF-IDF centroids, plain and
    /// tuned, and arxiv-sanity-lite's tf-idf SVM). The library lives under
    /// `<data-dir>/eval/`, so a second run reuses its vectors.
    EvalLists {
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
    },
}

#[derive(Debug, clap::Args, Default)]
struct FilterArgs {
    /// Only papers published on or after this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    from: Option<String>,
    /// Only papers published on or before this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    to: Option<String>,
    /// Only papers in this arXiv category.
    #[arg(long)]
    category: Option<String>,
    /// Only papers from this source (hf, arxiv, seed, corpus).
    #[arg(long)]
    source: Option<String>,
}

/// Parses `args` (including the program name) and runs the command, printing to `out`.
pub fn run<I, T>(args: I, out: &mut dyn Write) -> Result<()>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => {
            write!(out, "{e}")?;
            return Ok(());
        }
        Err(e) => return Err(anyhow::anyhow!("{}", e.to_string().trim_end())),
    };
    commands::dispatch(cli, out)
}

//! papersift-cli: Papersift's engine without a window, for scripts, evaluation and
//! benchmarks. Every command prints for people by default and JSON with `--json`.
//!
//! The binary is a thin `main` over [`run`], so tests can also drive the commands
//! in-process.

mod commands;
mod progress;

use anyhow::Result;
use clap::{Parser, Subcommand};
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

/// The subcommands; each one's arguments and help live beside it in `commands/`.
#[derive(Debug, Subcommand)]
enum Command {
    ImportCorpus(commands::library::ImportCorpusArgs),
    Sync(commands::sync::SyncArgs),
    Settings(commands::sync::SettingsArgs),
    Feeds(commands::sync::FeedsArgs),
    Categories(commands::sync::CategoriesArgs),
    Embed(commands::library::EmbedArgs),
    Search(commands::search::SearchArgs),
    Suggest(commands::search::SuggestArgs),
    Eval(commands::eval::EvalArgs),
    BenchSearch(commands::bench::BenchSearchArgs),
    Map(commands::library::MapArgs),
    BenchIndex(commands::bench::BenchIndexArgs),
    BenchRecommend(commands::bench::BenchRecommendArgs),
    BenchEmbed(commands::bench::BenchEmbedArgs),
    BenchTex(commands::bench::BenchTexArgs),
    Stats(commands::library::StatsArgs),
    Keywords(commands::library::KeywordsArgs),
    Import(commands::lists::ImportArgs),
    Lists(commands::lists::ListsArgs),
    Recommend(commands::lists::RecommendArgs),
    Rate(commands::lists::RateArgs),
    Feed(commands::lists::FeedArgs),
    ExportRatings(commands::lists::ExportRatingsArgs),
    ImportRatings(commands::lists::ImportRatingsArgs),
    Export(commands::lists::ExportArgs),
    Alerts(commands::alerts::AlertsArgs),
    AlertAdd(commands::alerts::AlertAddArgs),
    AlertRemove(commands::alerts::AlertRemoveArgs),
    EvalLists(commands::lists::EvalListsArgs),
    Zotero(commands::zotero::ZoteroArgs),
    Link(commands::zotero::LinkArgs),
    Follow(commands::zotero::FollowArgs),
    Unlink(commands::zotero::UnlinkArgs),
    Mcp(commands::mcp::McpArgs),
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

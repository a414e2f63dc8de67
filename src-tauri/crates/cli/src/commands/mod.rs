//! The CLI commands, one file per domain: each calls the core and prints, for people
//! by default and as JSON with `--json`.

pub(crate) mod alerts;
pub(crate) mod bench;
pub(crate) mod eval;
pub(crate) mod library;
pub(crate) mod lists;
pub(crate) mod mcp;
pub(crate) mod search;
pub(crate) mod sync;
pub(crate) mod zotero;

use crate::{Cli, Command};
use anyhow::Result;
use papersift_core::embedder::EmbeddingSettings;
use papersift_core::library::Library;
use papersift_embed::{EmbedConfig, FastEmbedder};
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

pub(crate) struct Ctx {
    pub(crate) cli_json: bool,
    /// The environment's and flags' configuration (used as is for scratch libraries).
    pub(crate) embed: EmbedConfig,
    /// `--provider`, which wins over the library's stored choice.
    pub(crate) provider_flag: Option<papersift_embed::ExecutionProvider>,
    /// `--model`, which wins over the library's stored choice.
    pub(crate) model_flag: Option<String>,
    pub(crate) data_dir: std::path::PathBuf,
}

impl Ctx {
    /// The configuration for a library: the model chosen in its settings (as the app
    /// uses it), then the environment, then the flags.
    pub(crate) fn embed_for(&self, lib: &Library) -> Result<EmbedConfig> {
        let stored: EmbeddingSettings = lib.setting(EmbeddingSettings::KEY)?.unwrap_or_default();
        let mut cfg = EmbedConfig::from_settings(&stored);
        cfg.cache_dir = self.embed.cache_dir.clone();
        cfg.runtime_library = self.embed.runtime_library.clone();
        if let Some(p) = self.provider_flag {
            cfg.provider = p;
        }
        if let Some(m) = &self.model_flag {
            cfg.set_model(m);
        }
        Ok(cfg)
    }

    /// `e`, saying what to do once space is freed (`then`) when it is a full disk.
    pub(crate) fn again(&self, e: anyhow::Error, then: &'static str) -> anyhow::Error {
        match e.downcast::<papersift_core::Error>() {
            Ok(e) => anyhow::Error::new(e.disk_full(&self.data_dir, then)),
            Err(e) => e,
        }
    }

    /// The library for a command that stores papers: with the model when it loads,
    /// else without (saying `later`: what then happens to the papers). A full disk says
    /// what to do once space is freed (`then`).
    pub(crate) fn open_to_store(&self, later: &str, then: &'static str) -> Result<Library> {
        match self.open(&self.data_dir, true) {
            Ok(lib) => Ok(lib),
            Err(e) => {
                log::warn!("{e:#}; {later}");
                self.open(&self.data_dir, false)
                    .map_err(|e| self.again(e, then))
            }
        }
    }

    pub(crate) fn open(&self, dir: &Path, with_model: bool) -> Result<Library> {
        let lib = Library::open(dir, None).map_err(|e| match e {
            // It names the folder, and what to do.
            e @ papersift_core::Error::DiskFull { .. } => anyhow::Error::new(e),
            e => anyhow::Error::new(e)
                .context(format!("cannot open the library in {}", dir.display())),
        })?;
        // The keyword index: built here once if it is missing or of an older layout
        // (with progress), else brought up to what other processes stored.
        let loaded = crate::progress::with_bar("keyword index", self.cli_json, |p| {
            lib.load_keyword_index_with(p)
        });
        if let Err(e) = loaded {
            // FTS5 serves keyword search meanwhile; nothing else depends on the index.
            log::warn!("keyword index unavailable, FTS5 ranks keywords: {e}");
        }
        if with_model {
            let embedder = FastEmbedder::load(&self.embed_for(&lib)?)?;
            lib.set_embedder(Arc::new(embedder))?;
        }
        Ok(lib)
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
    let provider_flag = match cli.provider {
        Some(p) => Some(p.parse().map_err(anyhow::Error::msg)?),
        None => None,
    };
    if let Some(p) = provider_flag {
        embed.provider = p;
    }
    if let Some(m) = &cli.model {
        embed.set_model(m);
    }
    let ctx = Ctx {
        cli_json: cli.json,
        embed,
        provider_flag,
        model_flag: cli.model,
        data_dir: papersift_core::config::data_dir(cli.data_dir.as_deref()),
    };
    match cli.command {
        Command::ImportCorpus(a) => library::import_corpus(&ctx, a, out),
        Command::Sync(a) => sync::sync(&ctx, a, out),
        Command::Settings(a) => sync::settings(&ctx, a, out),
        Command::Feeds(a) => sync::feeds(&ctx, a, out),
        Command::Categories(a) => sync::categories(&ctx, a, out),
        Command::Embed(a) => library::embed(&ctx, a, out),
        Command::Search(a) => search::search(&ctx, a, out),
        Command::Suggest(a) => search::suggest_cmd(&ctx, a, out),
        Command::Eval(a) => eval::eval_beir(&ctx, a, out),
        Command::BenchSearch(a) => bench::bench_search(&ctx, a, out),
        Command::Map(a) => library::map(&ctx, a, out),
        Command::BenchIndex(a) => bench::bench_index(&ctx, a, out),
        Command::BenchRecommend(a) => bench::bench_recommend(&ctx, a, out),
        Command::BenchEmbed(a) => bench::bench_embed(&ctx, a, out),
        Command::BenchTex(a) => bench::bench_tex(&ctx, a, out),
        Command::Stats(a) => library::stats(&ctx, a, out),
        Command::Keywords(a) => library::keywords(&ctx, a, out),
        Command::Import(a) => lists::import(&ctx, a, out),
        Command::Lists(a) => lists::lists(&ctx, a, out),
        Command::Recommend(a) => lists::recommend(&ctx, a, out),
        Command::Rate(a) => lists::rate(&ctx, a, out),
        Command::Feed(a) => lists::feed(&ctx, a, out),
        Command::ExportRatings(a) => lists::export_ratings(&ctx, a, out),
        Command::ImportRatings(a) => lists::import_ratings(&ctx, a, out),
        Command::Export(a) => lists::export(&ctx, a, out),
        Command::Alerts(a) => alerts::alerts(&ctx, a, out),
        Command::AlertAdd(a) => alerts::alert_add(&ctx, a, out),
        Command::AlertRemove(a) => alerts::alert_remove(&ctx, a, out),
        Command::EvalLists(a) => lists::eval_lists(&ctx, a, out),
        Command::Zotero(a) => zotero::zotero(&ctx, a, out),
        Command::Link(a) => zotero::link(&ctx, a, out),
        Command::Follow(a) => zotero::follow(&ctx, a, out),
        Command::Unlink(a) => zotero::unlink(&ctx, a, out),
        Command::Mcp(a) => mcp::mcp(&ctx, a, out),
    }
}

/// The async runtime a command's network work runs on (sync, import).
pub(crate) fn runtime() -> Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?)
}

pub(crate) fn print(
    out: &mut dyn Write,
    json: bool,
    value: serde_json::Value,
    text: &str,
) -> Result<()> {
    if json {
        writeln!(out, "{value}")?;
    } else {
        writeln!(out, "{text}")?;
    }
    Ok(())
}

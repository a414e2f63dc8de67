//! The CLI commands, one file per domain: each calls the core and prints, for people
//! by default and as JSON with `--json`.

mod alerts;
mod bench;
pub(crate) use bench::EmbedOrder;
mod eval;
mod library;
mod lists;
mod search;
mod sync;

use crate::{Cli, Command, FilterArgs};
use anyhow::{Context, Result};
use papersift_core::embedder::EmbeddingSettings;
use papersift_core::library::Library;
use papersift_core::query::Filter;
use papersift_core::rank::{SearchMode, SearchOptions};
use papersift_embed::{EmbedConfig, FastEmbedder};
use serde_json::json;
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

    pub(crate) fn open(&self, dir: &Path, with_model: bool) -> Result<Library> {
        let lib = Library::open(dir, None)
            .with_context(|| format!("cannot open the library in {}", dir.display()))?;
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
        Command::ImportCorpus { file, no_embed } => {
            library::import_corpus(&ctx, &file, no_embed, out)
        }
        Command::Sync {
            source,
            days,
            categories,
            backfill_days,
            today,
        } => {
            let overrides = sync::SyncOverrides {
                source,
                days,
                categories,
                backfill_days,
                today,
            };
            sync::sync(&ctx, overrides, out)
        }
        Command::Settings {
            sources,
            days,
            categories,
            backfill_days,
        } => sync::settings(&ctx, sources, days, categories, backfill_days, out),
        Command::Import {
            files,
            list,
            offline,
        } => lists::import(&ctx, &files, list, offline, out),
        Command::Lists { show } => lists::lists(&ctx, show, out),
        Command::Recommend {
            list,
            k,
            method,
            for_you: _,
        } => lists::recommend(&ctx, list, k, method, out),
        Command::Rate {
            paper,
            rating,
            list,
        } => lists::rate(&ctx, &paper, &rating, list.as_deref(), out),
        Command::ExportRatings => lists::export_ratings(&ctx, out),
        Command::Feed {
            day,
            days,
            order,
            k,
        } => lists::feed(&ctx, &day, days, &order, k, out),
        Command::ImportRatings { file } => lists::import_ratings(&ctx, &file, out),
        Command::Export { list, bibtex: _ } => lists::export(&ctx, &list, out),
        Command::EvalLists {
            lists: file,
            corpus,
            split,
            methods,
        } => lists::eval_lists(&ctx, &file, &corpus, &split, &methods, out),
        Command::Alerts { rules, seen } => alerts::alerts(&ctx, rules, seen, out),
        Command::AlertAdd {
            list,
            search,
            name,
            threshold,
            preview,
        } => alerts::alert_add(&ctx, list, search, name, threshold, preview, out),
        Command::AlertRemove { id } => alerts::alert_remove(&ctx, id, out),
        Command::Embed { chunk } => {
            let lib = ctx.open(&ctx.data_dir, true)?;
            let n = library::embed_pending_in(&lib, chunk.max(1), ctx.cli_json)?;
            print(
                out,
                ctx.cli_json,
                json!({ "embedded": n }),
                &format!("embedded {n} papers"),
            )
        }
        Command::Search {
            query,
            queries,
            k,
            mode,
            filter,
        } => {
            let opts = SearchOptions {
                mode,
                k,
                filter: to_filter(filter),
                fusion: Default::default(),
            };
            let lib = ctx.open(&ctx.data_dir, mode != SearchMode::Keyword)?;
            match (query, queries) {
                (_, Some(file)) => search::search_file(&lib, &file, &opts, out),
                (Some(q), None) => search::search_one(&lib, &q, &opts, ctx.cli_json, out),
                (None, None) => unreachable!("clap requires one"),
            }
        }
        Command::Suggest { text, k, bench } => {
            let lib = ctx.open(&ctx.data_dir, false)?;
            match (text, bench) {
                (_, Some(file)) => bench::bench_suggest(&lib, &file, k, out),
                (Some(t), None) => search::suggest(&lib, &t, k, ctx.cli_json, out),
                (None, None) => unreachable!("clap requires one"),
            }
        }
        Command::Eval { beir, split, mode } => eval::eval_beir(&ctx, &beir, &split, mode, out),
        Command::BenchSearch {
            queries,
            k,
            mode,
            warmup,
            fts5,
        } => {
            let lib = ctx.open(&ctx.data_dir, mode != SearchMode::Keyword)?;
            let opts = bench::SearchBench {
                k,
                mode,
                warmup,
                fts5,
            };
            bench::bench_search(&lib, &queries, &opts, ctx.cli_json, out)
        }
        Command::BenchIndex {
            size,
            queries,
            k,
            noise,
        } => {
            let lib = ctx.open(&ctx.data_dir, true)?;
            bench::bench_index(&lib, size, &queries, k, noise, ctx.cli_json, out)
        }
        Command::BenchRecommend { lists, rounds } => {
            // The model's stored vectors load with it.
            let lib = ctx.open(&ctx.data_dir, true)?;
            bench::bench_recommend(&lib, &lists, rounds, ctx.cli_json, out)
        }
        Command::BenchEmbed {
            texts,
            n,
            order,
            repeat,
            vectors,
        } => bench::bench_embed(&ctx, &texts, n, order, repeat, vectors.as_deref(), out),
        Command::BenchTex { texts, formulas } => {
            bench::bench_tex(&ctx, &texts, formulas.as_deref(), out)
        }
        Command::Map { out: file } => library::map(&ctx, file.as_deref(), out),
        Command::Keywords { rebuild } => library::keywords(&ctx, rebuild, out),
        Command::Stats => {
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
    }
}

pub(crate) fn to_filter(f: FilterArgs) -> Filter {
    Filter {
        from: f.from,
        to: f.to,
        category: f.category,
        source: f.source,
        list: None,
        query: None,
    }
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

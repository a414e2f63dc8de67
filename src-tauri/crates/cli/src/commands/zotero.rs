//! `zotero`, `link`, `follow`, `unlink`: lists that follow a Zotero collection or a
//! reading-list file, and Save to Zotero.

use super::library::embed_pending;
use super::Ctx;
use anyhow::{anyhow, Result};
use papersift_core::import::links::{self, FollowReport};
use papersift_core::import::resolve::ImportProgress;
use papersift_core::library::Library;
use papersift_core::sync::{SyncConfig, SyncSettings};
use serde_json::json;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

/// Zotero: its collections, and Save to Zotero.
#[derive(Debug, clap::Args)]
pub(crate) struct ZoteroArgs {
    #[command(subcommand)]
    action: ZoteroAction,
}

#[derive(Debug, clap::Subcommand)]
enum ZoteroAction {
    /// The libraries and collections of the Zotero data folder (read from a copy;
    /// Zotero may be running).
    Collections {
        /// Zotero's data folder (default: Settings, else Zotero's own choice, else ~/Zotero).
        #[arg(long, value_name = "DIR")]
        zotero_dir: Option<PathBuf>,
    },
    /// Send a library paper, with its PDF link, to the running Zotero (into the
    /// collection selected there).
    Save {
        /// The paper (key, arXiv id or DOI).
        paper: String,
    },
}

/// Make a list that follows a Zotero collection or a reading-list file.
#[derive(Debug, clap::Args)]
pub(crate) struct LinkArgs {
    #[command(subcommand)]
    what: LinkWhat,
}

#[derive(Debug, clap::Subcommand)]
enum LinkWhat {
    /// A Zotero collection with its subcollections (by name, path "A › B" or key), or
    /// a whole library without --collection.
    Zotero {
        /// The collection.
        #[arg(long)]
        collection: Option<String>,
        /// The library ("My Library" or a group's name; default: My Library).
        #[arg(long)]
        library: Option<String>,
        /// Zotero's data folder (default: Settings, else Zotero's own choice, else ~/Zotero).
        #[arg(long, value_name = "DIR")]
        zotero_dir: Option<PathBuf>,
        /// The list's name (default: the collection's).
        #[arg(long)]
        name: Option<String>,
    },
    /// A BibTeX, RIS or CSL-JSON file (a Better BibTeX auto-export), read again when
    /// it changes.
    File {
        /// The file.
        path: PathBuf,
        /// The list's name (default: the file's).
        #[arg(long)]
        name: Option<String>,
    },
}

/// Bring linked lists in step with their Zotero collections and files now (sync does
/// it too).
#[derive(Debug, clap::Args)]
pub(crate) struct FollowArgs {
    /// Only this list (name or number).
    #[arg(long)]
    list: Option<String>,
    /// Read the sources even when they look unchanged.
    #[arg(long)]
    force: bool,
}

/// Stop following: the list keeps its papers and becomes editable here.
#[derive(Debug, clap::Args)]
pub(crate) struct UnlinkArgs {
    /// The list (name or number).
    list: String,
}

pub(crate) fn zotero(ctx: &Ctx, a: ZoteroArgs, out: &mut dyn Write) -> Result<()> {
    match a.action {
        ZoteroAction::Collections { zotero_dir: dir } => {
            let lib = ctx.open(&ctx.data_dir, false)?;
            let o = links::zotero_overview(&lib, dir.as_deref())?;
            if ctx.cli_json {
                writeln!(out, "{}", serde_json::to_string(&o)?)?;
                return Ok(());
            }
            writeln!(out, "Zotero data folder: {}", o.data_dir)?;
            for l in &o.libraries {
                writeln!(out, "{} ({} items)", l.name, l.items)?;
                for c in o.collections.iter().filter(|c| c.library_id == l.id) {
                    writeln!(out, "  {:<8}  {} ({} items)", c.key, c.path, c.items)?;
                }
            }
            Ok(())
        }
        ZoteroAction::Save { paper } => {
            let lib = ctx.open(&ctx.data_dir, false)?;
            let p = lib
                .paper(&paper)?
                .ok_or_else(|| anyhow!("there is no paper {paper} in the library"))?;
            let base = papersift_core::zotero_connector::base_url();
            let saved =
                super::runtime()?.block_on(papersift_core::zotero_connector::save(&base, &p))?;
            super::print(
                out,
                ctx.cli_json,
                json!({ "saved": saved }),
                &format!(
                    "saved to Zotero: {}{}",
                    saved.title,
                    if saved.with_pdf {
                        " (with its PDF link)"
                    } else {
                        ""
                    }
                ),
            )
        }
    }
}

pub(crate) fn link(ctx: &Ctx, a: LinkArgs, out: &mut dyn Write) -> Result<()> {
    let lib =
        Arc::new(ctx.open_to_store("the list's papers will be embedded later", "link it again")?);
    let settings = SyncSettings::load(&lib)?;
    let cfg = SyncConfig::from_settings(&settings);
    let progress = |_: ImportProgress| {};
    let rt = super::runtime()?;
    let report = match a.what {
        LinkWhat::Zotero {
            collection,
            library,
            zotero_dir: dir,
            name,
        } => rt.block_on(links::link_zotero(
            lib.clone(),
            dir.as_deref(),
            library.as_deref(),
            collection.as_deref(),
            name.as_deref(),
            &cfg,
            &progress,
        )),
        LinkWhat::File { path, name } => rt.block_on(links::link_file(
            lib.clone(),
            &path,
            name.as_deref(),
            &cfg,
            &progress,
        )),
    }
    .map_err(|e| ctx.again(e.into(), "link it again"))?;
    let embedded = embed_if_loaded(ctx, &lib)?;
    print_reports(ctx, out, &[report], embedded)
}

pub(crate) fn follow(ctx: &Ctx, a: FollowArgs, out: &mut dyn Write) -> Result<()> {
    let lib = Arc::new(ctx.open_to_store(
        "the lists' new papers will be embedded later",
        "follow again",
    )?);
    let only = match &a.list {
        Some(name) => Some(super::lists::find_list(&lib, name)?),
        None => None,
    };
    let reports = follow_links(ctx, &lib, only, a.force)?;
    let embedded = embed_if_loaded(ctx, &lib)?;
    print_reports(ctx, out, &reports, embedded)
}

/// Follows the linked lists (see [`links::follow`]); what sync calls before its sources.
pub(crate) fn follow_links(
    ctx: &Ctx,
    lib: &Arc<Library>,
    only: Option<i64>,
    force: bool,
) -> Result<Vec<FollowReport>> {
    let cfg = SyncConfig::from_settings(&SyncSettings::load(lib)?);
    let progress = |_: ImportProgress| {};
    super::runtime()?
        .block_on(links::follow(lib.clone(), only, force, &cfg, &progress))
        .map_err(|e| ctx.again(e.into(), "follow again"))
}

fn embed_if_loaded(ctx: &Ctx, lib: &Library) -> Result<usize> {
    if lib.embedder().is_some() {
        embed_pending(lib, ctx.cli_json).map_err(|e| ctx.again(e, "follow again"))
    } else {
        Ok(0)
    }
}

/// One line per followed list.
pub(crate) fn describe(r: &FollowReport) -> String {
    match (&r.error, r.changed) {
        (Some(e), _) => format!("“{}” ({}): not followed: {e}", r.list_name, r.label),
        (None, false) => format!("“{}” ({}): unchanged", r.list_name, r.label),
        (None, true) => format!(
            "“{}” ({}): {} added ({} resolved, {} unresolved), {} removed",
            r.list_name,
            r.label,
            r.added,
            r.tally.resolved,
            r.tally.unresolved.len(),
            r.removed
        ),
    }
}

fn print_reports(
    ctx: &Ctx,
    out: &mut dyn Write,
    reports: &[FollowReport],
    embedded: usize,
) -> Result<()> {
    if ctx.cli_json {
        writeln!(
            out,
            "{}",
            json!({ "followed": reports, "embedded": embedded })
        )?;
        return Ok(());
    }
    if reports.is_empty() {
        writeln!(
            out,
            "no linked lists; link one with `papersift link zotero` or `papersift link file`"
        )?;
    }
    for r in reports {
        writeln!(out, "{}", describe(r))?;
    }
    Ok(())
}

pub(crate) fn unlink(ctx: &Ctx, a: UnlinkArgs, out: &mut dyn Write) -> Result<()> {
    let lib = ctx.open(&ctx.data_dir, false)?;
    let id = super::lists::find_list(&lib, &a.list)?;
    if !lib.unlink_list(id)? {
        return Err(anyhow!("“{}” is not linked", a.list));
    }
    super::print(
        out,
        ctx.cli_json,
        json!({ "unlinked": id }),
        &format!(
            "“{}” no longer follows its source; it keeps its papers",
            a.list
        ),
    )
}

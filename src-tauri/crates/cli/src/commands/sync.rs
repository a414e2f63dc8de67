//! `sync`: fetch new papers from the sources, store and embed them.

use super::Ctx;
use crate::progress::bar;
use anyhow::Result;
use papersift_core::sync::{
    add_feed, feed_list, remove_feed, run_sync, FeedInfo, SourceKind, SyncConfig, SyncProgress,
    SyncSettings,
};
use serde_json::json;
use std::io::Write;
use std::sync::Arc;

/// Fetch new papers from the sources turned on (Hugging Face Daily Papers, arXiv,
/// bioRxiv, medRxiv, OpenReview venues, journal feeds), store and embed them.
#[derive(Debug, clap::Args)]
pub(crate) struct SyncArgs {
    /// One source, or all (default: the sources turned on in settings).
    #[arg(long, value_parser = source_names(true))]
    source: Option<String>,
    #[command(flatten)]
    reach: Reach,
    /// Take this date (YYYY-MM-DD, UTC) as today.
    #[arg(long, hide = true)]
    today: Option<String>,
}

/// The names `--source` and `--sources` take: every [`SourceKind`], and `all` where a
/// run may ask for every source.
fn source_names(all: bool) -> clap::builder::PossibleValuesParser {
    let names = SourceKind::ALL.map(SourceKind::name);
    clap::builder::PossibleValuesParser::new(names.into_iter().chain(all.then_some("all")))
}

/// Show the sync settings, or change them (the app uses the same ones).
#[derive(Debug, clap::Args)]
pub(crate) struct SettingsArgs {
    /// Sources to turn on, comma-separated (the others are turned off).
    #[arg(long, value_delimiter = ',', value_parser = source_names(false))]
    sources: Option<Vec<String>>,
    /// The address Crossref may contact about Papersift's requests for DOIs (its
    /// faster polite pool); "" removes it.
    #[arg(long)]
    contact_email: Option<String>,
    #[command(flatten)]
    reach: Reach,
}

/// arXiv's categories whose code, name or group holds every word of the query (all
/// of them without one): what `--categories` takes.
#[derive(Debug, clap::Args)]
pub(crate) struct CategoriesArgs {
    /// Words to look for ("machine learning", "hep").
    query: Vec<String>,
}

/// The journal (or any site's) RSS and Atom feeds to sync: add, list, remove.
#[derive(Debug, clap::Args)]
pub(crate) struct FeedsArgs {
    #[command(subcommand)]
    action: Option<FeedsAction>,
}

#[derive(Debug, clap::Subcommand)]
enum FeedsAction {
    /// Follow a feed (and turn feeds on): its papers arrive at each sync.
    Add {
        /// The feed's address (RSS 1.0, RSS 2.0 or Atom).
        url: String,
    },
    /// The feeds followed (the default).
    List,
    /// Stop following a feed (its papers stay in the library).
    Remove {
        /// The feed's address, or its number in `feeds list`.
        feed: String,
    },
}

/// How far a sync reaches: `sync` takes these for one run, `settings` stores them.
#[derive(Debug, clap::Args)]
struct Reach {
    /// Daily Papers: days back, today included (default: settings, 7).
    #[arg(long)]
    days: Option<u32>,
    /// arXiv categories, comma-separated (default: settings, cs.LG,cs.CL,cs.AI,cs.CV).
    #[arg(long, value_delimiter = ',')]
    categories: Option<Vec<String>>,
    /// Back-fill this many days through the arXiv API (default: settings, 0: the
    /// daily listings only).
    #[arg(long)]
    backfill_days: Option<u32>,
    /// bioRxiv subjects, comma-separated (default: settings, all): neuroscience,
    /// "cell biology", …
    #[arg(long, value_delimiter = ',')]
    biorxiv_subjects: Option<Vec<String>>,
    /// medRxiv subjects, comma-separated (default: settings, all): epidemiology, …
    #[arg(long, value_delimiter = ',')]
    medrxiv_subjects: Option<Vec<String>>,
    /// OpenReview venues whose accepted papers to read, comma-separated (default:
    /// settings, none): ICLR.cc/2026/Conference, …
    #[arg(long, value_delimiter = ',')]
    venues: Option<Vec<String>>,
}

impl Reach {
    /// Puts the given flags into `s`; true when there was one.
    fn apply(self, s: &mut SyncSettings) -> bool {
        let given = self.days.is_some()
            || self.categories.is_some()
            || self.backfill_days.is_some()
            || self.biorxiv_subjects.is_some()
            || self.medrxiv_subjects.is_some()
            || self.venues.is_some();
        s.days = self.days.unwrap_or(s.days);
        s.categories = self.categories.unwrap_or(std::mem::take(&mut s.categories));
        s.backfill_days = self.backfill_days.unwrap_or(s.backfill_days);
        if let Some(v) = self.biorxiv_subjects {
            s.biorxiv_subjects = v;
        }
        if let Some(v) = self.medrxiv_subjects {
            s.medrxiv_subjects = v;
        }
        if let Some(v) = self.venues {
            s.openreview_venues = v;
        }
        given
    }
}

pub(crate) fn sync(ctx: &Ctx, o: SyncArgs, out: &mut dyn Write) -> Result<()> {
    // Sync stores papers even when the model cannot load; they are embedded later.
    let lib = ctx.open_to_store("papers will be stored without embeddings", "sync again")?;
    let mut settings = SyncSettings::load(&lib)?;
    o.reach.apply(&mut settings);
    match o.source.as_deref() {
        Some("all") => settings.enable_all(),
        Some(name) => {
            for kind in SourceKind::ALL {
                settings.set_enabled(kind, SourceKind::parse(name) == Some(kind));
            }
        }
        None => {}
    }
    let settings = settings.validated()?;
    let cfg = SyncConfig {
        today: o.today,
        ..SyncConfig::from_settings(&settings)
    };
    let cfg = &cfg;
    let lib = Arc::new(lib);
    let pb = bar(0, "syncing", ctx.cli_json);
    let progress = |p: SyncProgress| match p {
        SyncProgress::Fetching { source, what } => pb.set_message(format!("{source} {what}")),
        SyncProgress::Stored { .. } => {}
        SyncProgress::Embedding { done, total, .. } => {
            pb.set_message("embedding");
            pb.set_length(total as u64);
            pb.set_position(done as u64);
        }
    };
    // Linked lists first: the papers they bring are embedded with the sync's.
    let followed = super::zotero::follow_links(ctx, &lib, None, false)?;
    let report = super::runtime()?
        .block_on(run_sync(lib.clone(), cfg, &progress))
        .map_err(|e| ctx.again(e.into(), "sync again"))?;
    pb.finish_and_clear();
    if ctx.cli_json {
        let mut v = serde_json::to_value(&report)?;
        v["followed"] = serde_json::to_value(&followed)?;
        writeln!(out, "{v}")?;
        return Ok(());
    }
    for r in &followed {
        writeln!(out, "list     {}", super::zotero::describe(r))?;
    }
    for s in &report.sources {
        match (&s.error, s.offline) {
            (Some(_), true) => writeln!(out, "{:<8} offline, skipped", s.source)?,
            _ => writeln!(
                out,
                "{:<8} {} new, {} updated ({} requests, {} items{})",
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
            writeln!(out, "         error: {e}")?;
        }
    }
    if let Some(n) = papersift_core::alerts::coalesce(&report.alerts) {
        writeln!(out, "alerts: {}", n.body)?;
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

pub(crate) fn settings(ctx: &Ctx, a: SettingsArgs, out: &mut dyn Write) -> Result<()> {
    let lib = ctx.open(&ctx.data_dir, false)?;
    let mut s = SyncSettings::load(&lib)?;
    let mut changing = a.sources.is_some() || a.contact_email.is_some();
    if let Some(e) = a.contact_email {
        s.contact_email = Some(e);
    }
    if let Some(src) = a.sources {
        for kind in SourceKind::ALL {
            s.set_enabled(kind, src.iter().any(|x| SourceKind::parse(x) == Some(kind)));
        }
    }
    changing |= a.reach.apply(&mut s);
    let s = if changing { s.save(&lib)? } else { s };
    if ctx.cli_json {
        writeln!(out, "{}", json!({ "sync": s }))?;
        return Ok(());
    }
    let names: Vec<&str> = s.sources().into_iter().map(SourceKind::name).collect();
    let all_if_empty = |v: &[String]| {
        if v.is_empty() {
            "all".to_string()
        } else {
            v.join(", ")
        }
    };
    writeln!(out, "sources           {}", names.join(", "))?;
    writeln!(out, "days              {}", s.days)?;
    writeln!(out, "categories        {}", s.categories.join(", "))?;
    writeln!(out, "backfill-days     {}", s.backfill_days)?;
    writeln!(
        out,
        "biorxiv-subjects  {}",
        all_if_empty(&s.biorxiv_subjects)
    )?;
    writeln!(
        out,
        "medrxiv-subjects  {}",
        all_if_empty(&s.medrxiv_subjects)
    )?;
    writeln!(out, "venues            {}", s.openreview_venues.join(", "))?;
    writeln!(
        out,
        "feeds             {} (papersift feeds)",
        s.feed_urls.len()
    )?;
    writeln!(
        out,
        "contact-email     {}",
        s.contact_email.as_deref().unwrap_or("(none)")
    )?;
    Ok(())
}

pub(crate) fn feeds(ctx: &Ctx, a: FeedsArgs, out: &mut dyn Write) -> Result<()> {
    let lib = ctx.open(&ctx.data_dir, false)?;
    let list: Vec<FeedInfo> = match a.action.unwrap_or(FeedsAction::List) {
        FeedsAction::Add { url } => add_feed(&lib, &url)?,
        FeedsAction::List => feed_list(&lib)?,
        FeedsAction::Remove { feed } => remove_feed(&lib, &feed)?,
    };
    if ctx.cli_json {
        writeln!(out, "{}", json!({ "feeds": list }))?;
        return Ok(());
    }
    if list.is_empty() {
        writeln!(out, "no feeds; follow one with `papersift feeds add URL`")?;
    }
    for (i, f) in list.iter().enumerate() {
        match &f.title {
            Some(t) => writeln!(out, "{:>3}  {}  ({t})", i + 1, f.url)?,
            None => writeln!(out, "{:>3}  {}  (not synced yet)", i + 1, f.url)?,
        }
    }
    Ok(())
}

pub(crate) fn categories(ctx: &Ctx, a: CategoriesArgs, out: &mut dyn Write) -> Result<()> {
    let found = papersift_core::sources::arxiv_taxonomy::search(&a.query.join(" "));
    if ctx.cli_json {
        writeln!(out, "{}", json!({ "categories": found }))?;
        return Ok(());
    }
    if found.is_empty() {
        writeln!(out, "no arXiv category matches “{}”", a.query.join(" "))?;
    }
    for c in found {
        writeln!(out, "{:<20} {} ({})", c.code, c.name, c.group)?;
    }
    Ok(())
}

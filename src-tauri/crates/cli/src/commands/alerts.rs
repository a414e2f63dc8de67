//! Alerts: `alerts` (matches or rules), `alert-add` (with a preview), `alert-remove`.

use super::Ctx;
use anyhow::{anyhow, Result};
use papersift_core::alerts::AlertSettings;
use serde_json::json;
use std::io::Write;

/// Papers that matched your alerts (unseen first), or the alert rules.
#[derive(Debug, clap::Args)]
pub(crate) struct AlertsArgs {
    /// List the rules instead.
    #[arg(long)]
    rules: bool,
    /// Mark every match as seen.
    #[arg(long)]
    seen: bool,
}

/// Turn on alerts for a reading list or a saved search (`--preview` shows what
/// would have matched in the last 7 days, without saving).
#[derive(Debug, clap::Args)]
pub(crate) struct AlertAddArgs {
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
}

/// Delete an alert rule.
#[derive(Debug, clap::Args)]
pub(crate) struct AlertRemoveArgs {
    /// The rule's number (see `alerts --rules`).
    id: i64,
}

pub(crate) fn alerts(ctx: &Ctx, a: AlertsArgs, out: &mut dyn Write) -> Result<()> {
    let AlertsArgs { rules, seen } = a;
    let lib = ctx.open(&ctx.data_dir, false)?;
    if seen {
        let n = lib.mark_seen(None)?;
        return super::print(
            out,
            ctx.cli_json,
            json!({ "marked_seen": n }),
            &format!("marked {n} matches as seen"),
        );
    }
    if rules {
        let rules = lib.alert_rules()?;
        if ctx.cli_json {
            writeln!(out, "{}", serde_json::to_string(&rules)?)?;
            return Ok(());
        }
        if rules.is_empty() {
            writeln!(
                out,
                "no alerts yet; add one with `papersift alert-add --list NAME` or `--search QUERY`"
            )?;
        }
        for r in rules {
            writeln!(
                out,
                "{:>4}  {:<6} {}  (threshold {}{})",
                r.id,
                r.kind,
                r.name,
                r.threshold,
                if r.enabled { "" } else { ", off" }
            )?;
        }
        return Ok(());
    }
    let matches = lib.alert_matches(200)?;
    if ctx.cli_json {
        writeln!(out, "{}", serde_json::to_string(&matches)?)?;
        return Ok(());
    }
    if matches.is_empty() {
        writeln!(out, "no matches yet")?;
    }
    for m in matches {
        writeln!(
            out,
            "{} {:<20} top {:>5}%  {}  [{}]",
            if m.seen { " " } else { "•" },
            m.rule_name,
            top_percent(m.score),
            m.paper.title,
            m.paper.arxiv_id.as_deref().unwrap_or(&m.paper.key)
        )?;
    }
    Ok(())
}

/// A standing as the share of the library above it, in percent ("0.4").
fn top_percent(standing: f32) -> String {
    let p = 100.0 * f64::from(1.0 - standing).max(0.0);
    let s = format!("{p:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

pub(crate) fn alert_add(ctx: &Ctx, a: AlertAddArgs, out: &mut dyn Write) -> Result<()> {
    let AlertAddArgs {
        list,
        search,
        name,
        threshold,
        preview,
    } = a;
    let lib = ctx.open(&ctx.data_dir, true)?;
    let list_id = match &list {
        Some(n) => Some(
            lib.find_list(n)?
                .ok_or_else(|| anyhow!("there is no list “{n}”"))?,
        ),
        None => None,
    };
    let defaults: AlertSettings = lib.setting(AlertSettings::KEY)?.unwrap_or_default();
    let threshold = threshold.unwrap_or(if list_id.is_some() {
        defaults.list_threshold
    } else {
        defaults.search_threshold
    });
    if !papersift_core::alerts::THRESHOLD_RANGE.contains(&threshold) {
        return Err(anyhow!(papersift_core::alerts::threshold_message()));
    }
    if preview {
        let hits = lib.preview_alert(list_id, search.as_deref(), threshold, 7)?;
        if ctx.cli_json {
            let rows: Vec<_> = hits
                .iter()
                .map(|(p, s)| json!({ "paper": p, "score": s }))
                .collect();
            writeln!(
                out,
                "{}",
                json!({ "threshold": threshold, "matches": rows })
            )?;
            return Ok(());
        }
        writeln!(
            out,
            "{} papers added in the last 7 days would have alerted at {threshold} (the top {}% of the library):",
            hits.len(),
            top_percent(threshold)
        )?;
        for (p, s) in hits.iter().take(20) {
            writeln!(out, "  top {:>5}%  {}", top_percent(*s), p.title)?;
        }
        return Ok(());
    }
    let id = match (list_id, &search) {
        (Some(l), _) => lib.set_list_alert(l, threshold, true)?,
        (None, Some(q)) => lib.add_search_alert(name.as_deref().unwrap_or(""), q, threshold)?,
        (None, None) => return Err(anyhow!("give --list NAME or --search QUERY")),
    };
    super::print(
        out,
        ctx.cli_json,
        json!({ "id": id, "threshold": threshold }),
        &format!("alert {id} on (threshold {threshold:.2})"),
    )
}

pub(crate) fn alert_remove(ctx: &Ctx, a: AlertRemoveArgs, out: &mut dyn Write) -> Result<()> {
    let AlertRemoveArgs { id } = a;
    let lib = ctx.open(&ctx.data_dir, false)?;
    if !lib.delete_alert_rule(id)? {
        return Err(anyhow!("there is no alert {id}"));
    }
    super::print(
        out,
        ctx.cli_json,
        json!({ "removed": id }),
        &format!("alert {id} removed"),
    )
}

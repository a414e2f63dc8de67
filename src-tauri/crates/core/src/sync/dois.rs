//! DOIs that reading lists name and the library lacks, looked up on Crossref: for an
//! import ([`look_up`]), and again at each sync for the entries whose look-up could not
//! be made ([`resolve_waiting`]).

use super::{blocking, SyncConfig};
use crate::library::Library;
use crate::model::{Doi, PaperInput};
use crate::sources::crossref;
use crate::Result;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// DOIs asked between two commits and progress reports.
const BATCH: usize = 20;
/// Most waiting DOIs one sync asks again.
const WAITING_PER_SYNC: usize = 200;

/// What Crossref said about some DOIs.
#[derive(Debug, Default)]
pub struct Lookup {
    /// DOIs now library papers, with their rows.
    pub found: HashMap<String, i64>,
    /// DOIs Crossref has no record of.
    pub not_found: HashSet<String>,
    /// Why the asking stopped early (offline, Crossref failing): the DOIs not asked
    /// are in neither set.
    pub error: Option<String>,
}

/// The reason a list entry gives for a DOI Crossref does not know.
pub fn not_found(doi: &str) -> String {
    format!("Crossref has no record of DOI {doi}, and no library paper has its title")
}

/// Asks Crossref for `dois`, one at a time at its pace, storing every [`BATCH`] and
/// calling `progress(done, total)`. The first failure other than "not found" stops.
pub async fn look_up(
    lib: &Arc<Library>,
    client: &crossref::Client,
    dois: &[String],
    progress: &(dyn Fn(usize, usize) + Send + Sync),
) -> Result<Lookup> {
    let mut out = Lookup::default();
    let total = dois.len();
    for (n, batch) in dois.chunks(BATCH).enumerate() {
        progress(n * BATCH, total);
        let mut papers = Vec::new();
        for doi in batch {
            let Some(d) = Doi::parse(doi) else {
                out.not_found.insert(doi.clone());
                continue;
            };
            match client.work(&d).await {
                Ok(Some(p)) => papers.push((doi.clone(), p)),
                Ok(None) => {
                    out.not_found.insert(doi.clone());
                }
                Err(e) => {
                    out.error = Some(if e.is_offline() {
                        "Crossref could not be reached: this entry resolves at the next sync or import".into()
                    } else {
                        format!("Crossref lookup failed ({e}): this entry resolves at the next sync or import")
                    });
                    break;
                }
            }
        }
        out.found.extend(store(lib, papers).await?);
        if out.error.is_some() {
            break;
        }
    }
    progress(total, total);
    Ok(out)
}

/// Stores papers fetched for DOIs; the rows they went to, by DOI.
async fn store(
    lib: &Arc<Library>,
    papers: Vec<(String, PaperInput)>,
) -> Result<HashMap<String, i64>> {
    if papers.is_empty() {
        return Ok(HashMap::new());
    }
    let l = lib.clone();
    blocking(move || {
        let (dois, inputs): (Vec<String>, Vec<PaperInput>) = papers.into_iter().unzip();
        l.upsert_papers(&inputs)?;
        let mut rows = HashMap::new();
        for d in dois {
            if let Some(row) = l.paper_row(&d)? {
                rows.insert(d, row);
            }
        }
        Ok(rows)
    })
    .await
}

/// Asks Crossref again for the DOIs of list entries that wait, and settles those
/// entries; how many became library papers. A failure leaves them waiting.
pub async fn resolve_waiting(lib: &Arc<Library>, cfg: &SyncConfig) -> Result<usize> {
    let l = lib.clone();
    let waiting = blocking(move || l.waiting_dois(WAITING_PER_SYNC)).await?;
    if waiting.is_empty() {
        return Ok(0);
    }
    let got = look_up(lib, &cfg.crossref_client(), &waiting, &|_, _| {}).await?;
    if let Some(e) = &got.error {
        log::info!("waiting list entries: {e}");
    }
    let l = lib.clone();
    blocking(move || {
        for (doi, row) in &got.found {
            l.settle_doi(doi, Some(*row), "")?;
        }
        for doi in &got.not_found {
            l.settle_doi(doi, None, &not_found(doi))?;
        }
        Ok(got.found.len())
    })
    .await
}

//! Importing a reading list: parse the file, resolve every entry to a library paper
//! (the library first, then the arXiv API by `id_list`, politely, then titles), store
//! the list in one transaction and report what happened to each entry.

use super::{normalize_title, parse_path, Entry, Format};
use crate::library::Library;
use crate::model::Paper;
use crate::sources::arxiv;
use crate::sources::fetch::{FetchPolicy, Fetcher};
use crate::store::NewItem;
use crate::sync::SyncConfig;
use crate::{Error, Result};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// arXiv ids per `id_list` request.
const ID_BATCH: usize = 100;
/// Most ids looked up one by one on Hugging Face when arXiv did not give them.
const HF_LOOKUPS: usize = 50;

/// How an import should be stored.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Put the entries in this list (by name; created if missing) instead of a list
    /// named after the file.
    pub list: Option<String>,
    /// Do not ask arXiv for papers missing from the library.
    pub offline: bool,
}

/// Progress of an import.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "stage", rename_all = "lowercase")]
pub enum ImportProgress {
    /// The file was parsed.
    Parsed {
        /// Entries found.
        entries: usize,
    },
    /// Looking papers up on arXiv.
    Fetching {
        /// Ids asked so far.
        done: usize,
        /// Ids to ask.
        total: usize,
    },
}

/// An entry that did not become a library paper, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unresolved {
    /// What the file said.
    pub label: String,
    /// Why.
    pub reason: String,
}

/// What an import did, for the report the user reads.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportReport {
    /// The file.
    pub file: String,
    /// Its format.
    pub format: Format,
    /// The list it went into.
    pub list_id: i64,
    /// That list's name.
    pub list_name: String,
    /// False when the entries went into an existing list (the same file imported
    /// again, or `--list`).
    pub created: bool,
    /// Entries in the file.
    pub entries: usize,
    /// Entries that are library papers now.
    pub resolved: usize,
    /// … of which were already in the library.
    pub from_library: usize,
    /// … fetched from arXiv.
    pub from_arxiv: usize,
    /// … matched by title.
    pub by_title: usize,
    /// … fetched from Hugging Face's paper API (when arXiv did not answer).
    pub from_hugging_face: usize,
    /// The others, with reasons.
    pub unresolved: Vec<Unresolved>,
}

/// SHA-256 of the file, hex: the same file imported again updates its list.
fn file_hash(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| Error::io("cannot read", path, e))?;
    Ok(Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| Error::Internal(format!("import task failed: {e}")))?
}

/// Token overlap of two normalized titles (Jaccard).
fn title_similarity(a: &str, b: &str) -> f64 {
    let ta: std::collections::HashSet<&str> = a.split(' ').collect();
    let tb: std::collections::HashSet<&str> = b.split(' ').collect();
    let inter = ta.intersection(&tb).count() as f64;
    let union = ta.union(&tb).count() as f64;
    if union == 0.0 {
        0.0
    } else {
        inter / union
    }
}

/// The library paper with this title: an exact normalized match, else a near-identical
/// one (≥ 90% of words shared) among the full-text candidates.
fn match_title(lib: &Library, title: &str) -> Result<Option<(i64, Paper)>> {
    let want = normalize_title(title);
    if want.split(' ').count() < 2 {
        return Ok(None); // one word is not a title to match on
    }
    let Some(q) = crate::rank::keyword::fts_query(title) else {
        return Ok(None);
    };
    let candidates = lib.papers_titled(&q, 10)?;
    let best = candidates
        .into_iter()
        .map(|(id, p)| {
            let s = title_similarity(&want, &normalize_title(&p.title));
            (s, id, p)
        })
        .max_by(|a, b| a.0.total_cmp(&b.0));
    Ok(best.filter(|(s, _, _)| *s >= 0.9).map(|(_, id, p)| (id, p)))
}

/// Imports one file as a reading list (see the module docs). Bad files fail before
/// anything is stored; arXiv being unreachable leaves those entries unresolved, with
/// the reason, and a later re-import of the same file resolves them.
pub async fn import_file(
    lib: Arc<Library>,
    path: &Path,
    opts: &ImportOptions,
    cfg: &SyncConfig,
    progress: &(dyn Fn(ImportProgress) + Send + Sync),
) -> Result<ImportReport> {
    let p = path.to_path_buf();
    let (parsed, hash) = blocking(move || Ok((parse_path(&p)?, file_hash(&p)?))).await?;
    let entries = parsed.entries;
    progress(ImportProgress::Parsed {
        entries: entries.len(),
    });

    // 1. The library.
    let l = lib.clone();
    let ids: Vec<String> = entries
        .iter()
        .filter_map(|e| e.arxiv.as_ref().map(|a| a.id().to_string()))
        .collect();
    let mut known: HashMap<String, i64> = blocking(move || {
        let mut m = HashMap::new();
        for id in ids {
            if let Some(row) = l.paper_id_by_arxiv(&id)? {
                m.insert(id, row);
            }
        }
        Ok(m)
    })
    .await?;
    let in_library: std::collections::HashSet<String> = known.keys().cloned().collect();

    // 2. arXiv, for ids the library lacks.
    let mut missing: Vec<String> = entries
        .iter()
        .filter_map(|e| e.arxiv.as_ref().map(|a| a.id().to_string()))
        .filter(|id| !known.contains_key(id))
        .collect();
    missing.dedup();
    let mut fetch_error: Option<String> = None;
    if !missing.is_empty() && !opts.offline {
        let fetcher = Fetcher::new(FetchPolicy {
            min_interval: cfg.arxiv_delay,
            ..cfg.policy.clone()
        });
        let total = missing.len();
        for (n, batch) in missing.chunks(ID_BATCH).enumerate() {
            progress(ImportProgress::Fetching {
                done: n * ID_BATCH,
                total,
            });
            let mut url = reqwest::Url::parse(&cfg.arxiv_api_url).map_err(|e| {
                Error::Invalid(format!("bad arXiv API URL {}: {e}", cfg.arxiv_api_url))
            })?;
            url.query_pairs_mut()
                .append_pair("id_list", &batch.join(","))
                .append_pair("max_results", &batch.len().to_string());
            let page = match fetcher.get(url.as_str()).await {
                Ok(body) => arxiv::parse_atom(&body),
                Err(e) => Err(e),
            };
            let page = match page {
                Ok(p) => p.page,
                Err(e) => {
                    fetch_error = Some(if e.is_offline() {
                        "arXiv could not be reached; import the file again when online".into()
                    } else {
                        format!("arXiv lookup failed ({e}); import the file again later")
                    });
                    break;
                }
            };
            let l = lib.clone();
            let batch_ids: Vec<String> = batch.to_vec();
            let found = blocking(move || {
                l.upsert_papers(&page.papers)?;
                let mut m = HashMap::new();
                for id in batch_ids {
                    if let Some(row) = l.paper_id_by_arxiv(&id)? {
                        m.insert(id, row);
                    }
                }
                Ok(m)
            })
            .await?;
            known.extend(found);
        }
        progress(ImportProgress::Fetching { done: total, total });
    }

    // 2b. Hugging Face's paper API, for the few ids arXiv did not give (it was
    // unreachable or rate-limited): one quick request per paper.
    let mut from_hf: std::collections::HashSet<String> = std::collections::HashSet::new();
    let still: Vec<String> = missing
        .iter()
        .filter(|id| !known.contains_key(*id))
        .cloned()
        .collect();
    if !opts.offline && !still.is_empty() && still.len() <= HF_LOOKUPS {
        let fetcher = Fetcher::new(cfg.policy.clone());
        for id in &still {
            let url = format!("{}/api/papers/{id}", cfg.hf_url);
            let paper = match fetcher.get(&url).await {
                Ok(body) => match crate::sources::hf::parse_paper(&body) {
                    Ok(p) => p,
                    Err(e) => {
                        log::info!("Hugging Face paper {id}: {e}");
                        continue;
                    }
                },
                Err(e) if e.is_offline() => break,
                Err(_) => continue, // 404: not a paper Hugging Face knows
            };
            let l = lib.clone();
            let wanted = id.clone();
            let row = blocking(move || {
                l.upsert_papers(&[paper])?;
                l.paper_id_by_arxiv(&wanted)
            })
            .await?;
            if let Some(row) = row {
                known.insert(id.clone(), row);
                from_hf.insert(id.clone());
            }
        }
    }

    // 3. Titles, and the items to store.
    let l = lib.clone();
    let offline = opts.offline;
    let resolved_entries: Vec<(Entry, Option<i64>, Option<String>, &'static str)> = {
        let known = known.clone();
        let in_library = in_library.clone();
        let from_hf = from_hf.clone();
        let fetch_error = fetch_error.clone();
        blocking(move || {
            let mut out = Vec::with_capacity(entries.len());
            for e in entries {
                if let Some(a) = &e.arxiv {
                    if let Some(row) = known.get(a.id()) {
                        let how = if in_library.contains(a.id()) {
                            "library"
                        } else if from_hf.contains(a.id()) {
                            "hf"
                        } else {
                            "arxiv"
                        };
                        out.push((e.clone(), Some(*row), None, how));
                        continue;
                    }
                }
                if let Some(t) = &e.title {
                    if let Some((row, _)) = match_title(&l, t)? {
                        out.push((e.clone(), Some(row), None, "title"));
                        continue;
                    }
                }
                let reason = match (&e.arxiv, &e.doi, &e.title) {
                    (Some(a), _, _) => match (&fetch_error, offline) {
                        (Some(err), _) => err.clone(),
                        (None, true) => {
                            format!("arXiv {} is not in the library (offline import)", a.id())
                        }
                        (None, false) => format!("arXiv has no paper {}", a.id()),
                    },
                    (None, Some(doi), Some(_)) => format!(
                        "DOI {doi} is not an arXiv paper and no library paper has this title"
                    ),
                    (None, Some(doi), None) => {
                        format!(
                            "DOI {doi} is not an arXiv paper, and the file gives no title to match"
                        )
                    }
                    (None, None, _) => {
                        "no arXiv id or DOI, and no library paper has this title".into()
                    }
                };
                out.push((e, None, Some(reason), ""));
            }
            Ok(out)
        })
        .await?
    };

    let mut report_counts = (0, 0, 0, 0);
    let mut unresolved = Vec::new();
    let items: Vec<NewItem> = resolved_entries
        .iter()
        .map(|(e, row, reason, how)| {
            match *how {
                "library" => report_counts.0 += 1,
                "arxiv" => report_counts.1 += 1,
                "title" => report_counts.2 += 1,
                "hf" => report_counts.3 += 1,
                _ => unresolved.push(Unresolved {
                    label: e.label.clone(),
                    reason: reason.clone().unwrap_or_default(),
                }),
            }
            NewItem {
                key: e.item_key(),
                label: Some(e.label.clone()),
                title: e.title.clone(),
                paper_id: *row,
                unresolved_reason: reason.clone(),
            }
        })
        .collect();

    // 4. One transaction for the list.
    let name = opts.list.clone().unwrap_or_else(|| {
        path.file_stem()
            .map(|s| s.to_string_lossy().replace(['_', '-'], " "))
            .map(|s| s.trim_end_matches(".csl").to_string())
            .unwrap_or_else(|| "Reading list".into())
    });
    let source = path.display().to_string();
    let l = lib.clone();
    let wanted = opts.list.clone();
    let (list_id, created, list_name) = blocking(move || {
        let target = match &wanted {
            Some(n) => l.find_list(n)?,
            None => None,
        };
        let hash = if wanted.is_some() {
            None
        } else {
            Some(hash.as_str())
        };
        let (id, created) = l.save_import(&name, Some(&source), hash, target, &items)?;
        let name = l.list(id)?.map(|s| s.name).unwrap_or(name);
        Ok((id, created, name))
    })
    .await?;
    let entries_n = resolved_entries.len();
    Ok(ImportReport {
        file: path.display().to_string(),
        format: parsed.format,
        list_id,
        list_name,
        created,
        entries: entries_n,
        resolved: report_counts.0 + report_counts.1 + report_counts.2 + report_counts.3,
        from_library: report_counts.0,
        from_arxiv: report_counts.1,
        by_title: report_counts.2,
        from_hugging_face: report_counts.3,
        unresolved,
    })
}

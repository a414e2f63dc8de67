//! Importing a reading list: parse the file, resolve every entry to a library paper
//! (the library first, then the arXiv API by `id_list`, politely, Crossref for other
//! DOIs, then titles), store the list in one transaction and report what happened to
//! each entry. An entry whose look-up could not be made waits: the next import or
//! sync ([`dois::resolve_waiting`]) asks again.

use super::{normalize_title, parse_path, Entry, Format};
use crate::library::Library;
use crate::model::Paper;
use crate::sources::{arxiv, hf};
use crate::store::NewItem;
use crate::sync::{blocking, dois, SyncConfig};
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
    /// Do not ask arXiv or Crossref for papers missing from the library.
    pub offline: bool,
}

/// Progress of an import.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(
    tag = "stage",
    rename_all = "lowercase",
    rename_all_fields = "camelCase"
)]
pub enum ImportProgress {
    /// The file was parsed.
    Parsed {
        /// Entries found.
        entries: usize,
    },
    /// Looking papers up on arXiv, then Crossref.
    Fetching {
        /// Ids asked so far.
        done: usize,
        /// Ids to ask.
        total: usize,
    },
}

/// An entry that did not become a library paper, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Unresolved {
    /// What the file said.
    pub label: String,
    /// Why.
    pub reason: String,
}

/// What an import did, for the report the user reads.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
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
    /// What became of them.
    #[serde(flatten)]
    pub tally: Tally,
}

/// SHA-256 of the file, hex: the same file imported again updates its list.
pub(crate) fn file_hash(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| Error::io("cannot read", path, e))?;
    Ok(Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
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

/// Where each arXiv id of the file was found.
#[derive(Debug, Default)]
struct Found {
    /// Already in the library.
    library: HashMap<String, i64>,
    /// Fetched from arXiv now.
    arxiv: HashMap<String, i64>,
    /// Fetched from Hugging Face now.
    hugging_face: HashMap<String, i64>,
    /// Why arXiv could not be asked, if it could not.
    arxiv_error: Option<String>,
    /// DOIs fetched from Crossref now.
    crossref: HashMap<String, i64>,
    /// DOIs Crossref has no record of.
    not_found: std::collections::HashSet<String>,
    /// Why Crossref could not be asked, if it could not.
    crossref_error: Option<String>,
}

impl Found {
    fn row(&self, id: &str) -> Option<i64> {
        [
            &self.library,
            &self.arxiv,
            &self.hugging_face,
            &self.crossref,
        ]
        .iter()
        .find_map(|m| m.get(id).copied())
    }
}

/// How one entry became a library paper, or why it did not.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Resolution {
    Library(i64),
    Arxiv(i64),
    HuggingFace(i64),
    Crossref(i64),
    Title(i64),
    /// Not a library paper, and why; `true` when a look-up could not be made (it waits
    /// for the next sync).
    Unresolved(String, bool),
}

impl Resolution {
    fn paper_id(&self) -> Option<i64> {
        match self {
            Resolution::Library(r)
            | Resolution::Arxiv(r)
            | Resolution::HuggingFace(r)
            | Resolution::Crossref(r)
            | Resolution::Title(r) => Some(*r),
            Resolution::Unresolved(..) => None,
        }
    }
}

/// The library rows of these arXiv ids, where they exist.
fn rows_of(lib: &Library, ids: impl IntoIterator<Item = String>) -> Result<HashMap<String, i64>> {
    let mut m = HashMap::new();
    for id in ids {
        if let Some(row) = lib.paper_id_by_arxiv(&id)? {
            m.insert(id, row);
        }
    }
    Ok(m)
}

/// Asks arXiv for the ids the library lacks, [`ID_BATCH`] per request, storing each
/// batch as it comes. The first failure stops the asking and says why in
/// `found.arxiv_error`.
async fn fetch_from_arxiv(
    lib: &Arc<Library>,
    client: &arxiv::Client,
    missing: &[String],
    found: &mut Found,
    progress: &(dyn Fn(ImportProgress) + Send + Sync),
) -> Result<()> {
    let total = missing.len();
    for (n, batch) in missing.chunks(ID_BATCH).enumerate() {
        progress(ImportProgress::Fetching {
            done: n * ID_BATCH,
            total,
        });
        let page = match client.by_ids(batch).await {
            Ok(p) => p.page,
            Err(e) => {
                found.arxiv_error = Some(if e.is_offline() {
                    "arXiv could not be reached; import the file again when online".into()
                } else {
                    format!("arXiv lookup failed ({e}); import the file again later")
                });
                break;
            }
        };
        let (l, ids) = (lib.clone(), batch.to_vec());
        found.arxiv.extend(
            blocking(move || {
                l.upsert_papers(&page.papers)?;
                rows_of(&l, ids)
            })
            .await?,
        );
    }
    progress(ImportProgress::Fetching { done: total, total });
    Ok(())
}

/// Asks Crossref for the DOIs the library lacks ([`crate::sync::dois`]), reporting
/// progress.
async fn fetch_from_crossref(
    lib: &Arc<Library>,
    cfg: &SyncConfig,
    missing: &[String],
    found: &mut Found,
    progress: &(dyn Fn(ImportProgress) + Send + Sync),
) -> Result<()> {
    let step = |done, total| progress(ImportProgress::Fetching { done, total });
    let got = dois::look_up(lib, &cfg.crossref_client(), missing, &step).await?;
    found.crossref = got.found;
    found.not_found = got.not_found;
    found.crossref_error = got.error;
    Ok(())
}

/// Hugging Face's paper API, for the few ids arXiv did not give (it was unreachable or
/// rate-limited): one quick request per paper, at most [`HF_LOOKUPS`].
async fn fetch_from_hugging_face(
    lib: &Arc<Library>,
    client: &hf::Client,
    still: &[String],
    found: &mut Found,
) -> Result<()> {
    if still.is_empty() || still.len() > HF_LOOKUPS {
        return Ok(());
    }
    for id in still {
        let paper = match client.paper(id).await {
            Ok(p) => p,
            Err(e) if e.is_offline() => break,
            Err(e) => {
                log::info!("Hugging Face paper {id}: {e}"); // 404: not a paper it knows
                continue;
            }
        };
        let (l, wanted) = (lib.clone(), id.clone());
        let row = blocking(move || {
            l.upsert_papers(&[paper])?;
            l.paper_id_by_arxiv(&wanted)
        })
        .await?;
        if let Some(row) = row {
            found.hugging_face.insert(id.clone(), row);
        }
    }
    Ok(())
}

/// One entry's resolution: its arXiv id where found, else its title in the library,
/// else the reason it stays unresolved.
fn resolve(lib: &Library, e: &Entry, found: &Found, offline: bool) -> Result<Resolution> {
    if let (None, Some(doi)) = (&e.arxiv, &e.doi) {
        if let Some(r) = found.library.get(doi) {
            return Ok(Resolution::Library(*r));
        }
        if let Some(r) = found.crossref.get(doi) {
            return Ok(Resolution::Crossref(*r));
        }
    }
    if let Some(a) = &e.arxiv {
        let id = a.id();
        if let Some(r) = found.library.get(id) {
            return Ok(Resolution::Library(*r));
        }
        if let Some(r) = found.hugging_face.get(id) {
            return Ok(Resolution::HuggingFace(*r));
        }
        if let Some(r) = found.arxiv.get(id) {
            return Ok(Resolution::Arxiv(*r));
        }
    }
    if let Some(t) = &e.title {
        if let Some((row, _)) = match_title(lib, t)? {
            return Ok(Resolution::Title(row));
        }
    }
    let (reason, waits) = match (&e.arxiv, &e.doi) {
        (Some(a), _) => match (&found.arxiv_error, offline) {
            (Some(err), _) => (err.clone(), false),
            (None, true) => (
                format!("arXiv {} is not in the library (offline import)", a.id()),
                false,
            ),
            (None, false) => (format!("arXiv has no paper {}", a.id()), false),
        },
        (None, Some(doi)) if found.not_found.contains(doi) => (dois::not_found(doi), false),
        (None, Some(doi)) => match (&found.crossref_error, offline) {
            (Some(err), _) => (err.clone(), true),
            (None, true) => (
                format!("DOI {doi} is not in the library (offline import)"),
                false,
            ),
            (None, false) => (format!("Crossref gave no paper for DOI {doi}"), false),
        },
        (None, None) => (
            "no arXiv id or DOI, and no library paper has this title".into(),
            false,
        ),
    };
    Ok(Resolution::Unresolved(reason, waits))
}

/// The list's name when the user gave none: the file's name, words spaced.
pub(crate) fn list_name_of(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().replace(['_', '-'], " "))
        .map(|s| s.trim_end_matches(".csl").to_string())
        .unwrap_or_else(|| "Reading list".into())
}

/// Imports one file as a reading list (see the module docs). Bad files fail before
/// anything is stored; arXiv being unreachable leaves those entries unresolved, with
/// the reason, and a later re-import of the same file resolves them. A full disk stops
/// it with [`Error::DiskFull`] before the list is stored (one transaction).
pub async fn import_file(
    lib: Arc<Library>,
    path: &Path,
    opts: &ImportOptions,
    cfg: &SyncConfig,
    progress: &(dyn Fn(ImportProgress) + Send + Sync),
) -> Result<ImportReport> {
    let dir = lib.data_dir().to_path_buf();
    import_steps(lib, path, opts, cfg, progress)
        .await
        .map_err(|e| e.disk_full(&dir, "import the file again"))
}

async fn import_steps(
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
    let (items, tally) = resolve_entries(&lib, entries, opts.offline, cfg, progress).await?;
    let mut report = ImportReport {
        file: path.display().to_string(),
        format: parsed.format,
        list_id: 0,
        list_name: String::new(),
        created: false,
        entries: items.len(),
        tally,
    };

    // 5. One transaction for the list.
    let name = opts.list.clone().unwrap_or_else(|| list_name_of(path));
    let source = path.display().to_string();
    let l = lib.clone();
    let wanted = opts.list.clone();
    let (list_id, created, list_name) = blocking(move || {
        let target = match &wanted {
            Some(n) => l.find_list(n)?,
            None => None,
        };
        // A file imported into a named list is not that list's file.
        let hash = wanted.is_none().then_some(hash.as_str());
        let (id, created) = l.save_import(&name, Some(&source), hash, target, &items)?;
        let name = l.list(id)?.map(|s| s.name).unwrap_or(name);
        Ok((id, created, name))
    })
    .await?;
    report.list_id = list_id;
    report.list_name = list_name;
    report.created = created;
    Ok(report)
}

/// What became of a batch of entries.
#[derive(Debug, Clone, Default, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Tally {
    /// Entries that are library papers now.
    pub resolved: usize,
    /// … of which were already in the library.
    pub from_library: usize,
    /// … fetched from arXiv.
    pub from_arxiv: usize,
    /// … matched by title.
    pub by_title: usize,
    /// … fetched from Hugging Face's paper API.
    pub from_hugging_face: usize,
    /// … fetched from Crossref by DOI.
    pub from_crossref: usize,
    /// The others, with reasons.
    pub unresolved: Vec<Unresolved>,
}

/// Resolves entries to library papers: the library first, then arXiv and Hugging Face
/// for arXiv ids it lacks, Crossref for other DOIs, then titles (unless `offline`).
/// Returns the items a list stores, in entry order, and the tally.
pub(crate) async fn resolve_entries(
    lib: &Arc<Library>,
    entries: Vec<Entry>,
    offline: bool,
    cfg: &SyncConfig,
    progress: &(dyn Fn(ImportProgress) + Send + Sync),
) -> Result<(Vec<NewItem>, Tally)> {
    // 1. The library, then arXiv and Hugging Face for the ids it lacks.
    let mut ids: Vec<String> = entries
        .iter()
        .filter_map(|e| e.arxiv.as_ref().map(|a| a.id().to_string()))
        .collect();
    ids.dedup();
    let l = lib.clone();
    let asked = ids.clone();
    let mut found = Found {
        library: blocking(move || rows_of(&l, asked)).await?,
        ..Found::default()
    };
    let missing: Vec<String> = ids
        .into_iter()
        .filter(|id| found.row(id).is_none())
        .collect();
    if !offline && !missing.is_empty() {
        fetch_from_arxiv(lib, &cfg.arxiv_client()?, &missing, &mut found, progress).await?;
        let still: Vec<String> = missing
            .into_iter()
            .filter(|id| found.row(id).is_none())
            .collect();
        fetch_from_hugging_face(lib, &cfg.hf_client(), &still, &mut found).await?;
    }

    // 2. Other DOIs: the library (a journal feed, bioRxiv), then Crossref for those
    // whose title does not match a library paper either.
    let dois: HashMap<String, Option<String>> = entries
        .iter()
        .filter(|e| e.arxiv.is_none())
        .filter_map(|e| Some((e.doi.clone()?, e.title.clone())))
        .collect();
    let l = lib.clone();
    let (in_library, mut missing) = blocking(move || {
        let mut rows = HashMap::new();
        let mut missing = Vec::new();
        for (d, title) in dois {
            if let Some(row) = l.paper_row(&d)? {
                rows.insert(d, row);
            } else if match title {
                Some(t) => match_title(&l, &t)?.is_none(),
                None => true,
            } {
                missing.push(d);
            }
        }
        Ok((rows, missing))
    })
    .await?;
    found.library.extend(in_library);
    missing.sort();
    if !offline && !missing.is_empty() {
        fetch_from_crossref(lib, cfg, &missing, &mut found, progress).await?;
    }

    // 3. Each entry's resolution (titles need the library: a blocking thread).
    let l = lib.clone();
    let resolved: Vec<(Entry, Resolution)> = blocking(move || {
        entries
            .into_iter()
            .map(|e| {
                let r = resolve(&l, &e, &found, offline)?;
                Ok((e, r))
            })
            .collect()
    })
    .await?;

    // 4. The list's items, and the tally.
    let mut tally = Tally::default();
    let mut items = Vec::with_capacity(resolved.len());
    for (e, r) in resolved {
        match &r {
            Resolution::Library(_) => tally.from_library += 1,
            Resolution::Arxiv(_) => tally.from_arxiv += 1,
            Resolution::HuggingFace(_) => tally.from_hugging_face += 1,
            Resolution::Crossref(_) => tally.from_crossref += 1,
            Resolution::Title(_) => tally.by_title += 1,
            Resolution::Unresolved(reason, _) => tally.unresolved.push(Unresolved {
                label: e.label.clone(),
                reason: reason.clone(),
            }),
        }
        tally.resolved += usize::from(r.paper_id().is_some());
        items.push(NewItem {
            key: e.item_key(),
            label: Some(e.label.clone()),
            title: e.title.clone(),
            paper_id: r.paper_id(),
            waiting: matches!(r, Resolution::Unresolved(_, true)),
            unresolved_reason: match r {
                Resolution::Unresolved(reason, _) => Some(reason),
                _ => None,
            },
        });
    }
    Ok((items, tally))
}

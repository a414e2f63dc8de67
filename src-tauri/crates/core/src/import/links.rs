//! Linked lists: a reading list that follows a Zotero collection (or a whole Zotero
//! library) or a reading-list file (a Better BibTeX auto-export) instead of holding
//! what the user put in it. Following reads the source, and when it changed since the
//! last follow, entries that left the source leave the list and new ones are resolved
//! as imports resolve them and join it, in one transaction. Entries that stay keep
//! their paper, their ratings and the list's alerts.
//!
//! A source that cannot be read (Zotero's folder gone, a file mid-write and malformed)
//! leaves the list as it was and records why on the list. Not here: watching files
//! for changes (the app does it) and reading Zotero's database (`import::zotero`).

use super::resolve::{file_hash, list_name_of, resolve_entries, ImportProgress, Tally};
use super::zotero::{self, Snapshot, ZoteroCollection, ZoteroLibrary};
use super::{parse_path, Entry};
use crate::library::Library;
use crate::store::{LinkSource, Linked};
use crate::sync::{blocking, SyncConfig, SyncSettings};
use crate::{Error, Result};
use serde::Serialize;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What one follow did to one linked list.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct FollowReport {
    /// The list.
    pub list_id: i64,
    /// Its name.
    pub list_name: String,
    /// What it follows, as the user knows it.
    pub label: String,
    /// False when the source had not changed since the last follow (nothing was read).
    pub changed: bool,
    /// Entries that joined the list.
    pub added: usize,
    /// Entries that left it.
    pub removed: usize,
    /// What became of the entries that joined.
    pub tally: Tally,
    /// Why the source could not be read (the list kept what it had).
    pub error: Option<String>,
}

/// A Zotero data folder's libraries and collections, for picking what to link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ZoteroOverview {
    /// The data folder read.
    pub data_dir: String,
    /// Its libraries ("My Library", groups).
    pub libraries: Vec<ZoteroLibrary>,
    /// Its collections, in tree order.
    pub collections: Vec<ZoteroCollection>,
}

/// Where copies of Zotero's database are made while they are read.
fn scratch(lib: &Library) -> PathBuf {
    lib.data_dir().join("scratch")
}

/// The home folder Zotero's data folder is looked for in.
fn home() -> PathBuf {
    dirs::home_dir().unwrap_or_else(|| PathBuf::from("."))
}

/// The Zotero data folder to read: `explicit` (a command's flag, or the folder typed in
/// Settings before it is saved), else the one saved in Settings, else Zotero's own
/// (see [`zotero::data_dir`]). An empty `explicit` counts as none.
fn zotero_dir(lib: &Library, explicit: Option<&Path>) -> Result<PathBuf> {
    let explicit = explicit.filter(|p| !p.as_os_str().is_empty());
    let saved = match explicit {
        Some(_) => None,
        None => SyncSettings::load(lib)?.zotero_dir.map(PathBuf::from),
    };
    zotero::data_dir(explicit.or(saved.as_deref()), &home())
}

/// The libraries and collections of the Zotero data folder to read (see
/// [`zotero_dir`]).
pub fn zotero_overview(lib: &Library, explicit: Option<&Path>) -> Result<ZoteroOverview> {
    let dir = zotero_dir(lib, explicit)?;
    let snap = Snapshot::take(&dir, &scratch(lib))?;
    Ok(ZoteroOverview {
        data_dir: dir.display().to_string(),
        libraries: snap.libraries()?,
        collections: snap.collections()?,
    })
}

/// Links a new list to a Zotero collection of the data folder to read (see
/// [`zotero_dir`]), named by key, name or path ("Thesis › Chapter 2", also with `/` or
/// `>`), or to a whole library (`collection` `None`: "My Library", or the group
/// `library` names), and follows it once. The list is named `name`, else after the
/// collection.
pub async fn link_zotero(
    lib: Arc<Library>,
    explicit_dir: Option<&Path>,
    library: Option<&str>,
    collection: Option<&str>,
    name: Option<&str>,
    cfg: &SyncConfig,
    progress: &(dyn Fn(ImportProgress) + Send + Sync),
) -> Result<FollowReport> {
    let (l, explicit) = (lib.clone(), explicit_dir.map(Path::to_path_buf));
    let (dir, overview) = blocking(move || {
        let dir = zotero_dir(&l, explicit.as_deref())?;
        let overview = zotero_overview(&l, Some(&dir))?;
        Ok((dir, overview))
    })
    .await?;
    let (source, label, default_name) = pick(&overview, &dir, library, collection)?;
    let name = name.map(str::to_string).unwrap_or(default_name);
    let l = lib.clone();
    let list_id = blocking(move || l.create_linked_list(&name, &source, &label)).await?;
    first_follow(lib, list_id, cfg, progress).await
}

/// The source, label and default list name for a pick in `overview`.
fn pick(
    overview: &ZoteroOverview,
    dir: &Path,
    library: Option<&str>,
    collection: Option<&str>,
) -> Result<(LinkSource, String, String)> {
    let lib = match library {
        None => overview.libraries.first(),
        Some(want) => overview
            .libraries
            .iter()
            .find(|l| l.name.eq_ignore_ascii_case(want.trim()) || l.id.to_string() == want.trim()),
    };
    let Some(lib) = lib.cloned().or_else(|| {
        // An empty "My Library" has no items yet, and still can be followed.
        library.is_none().then(|| ZoteroLibrary {
            id: 1,
            name: "My Library".into(),
            items: 0,
        })
    }) else {
        let names: Vec<&str> = overview.libraries.iter().map(|l| l.name.as_str()).collect();
        return Err(Error::Invalid(format!(
            "Zotero has no library “{}” (it has {})",
            library.unwrap_or_default(),
            names.join(", ")
        )));
    };
    let data_dir = dir.display().to_string();
    let Some(want) = collection else {
        return Ok((
            LinkSource::Zotero {
                data_dir,
                library_id: lib.id,
                collection: None,
            },
            format!("Zotero: {}", lib.name),
            format!("Zotero {}", lib.name),
        ));
    };
    let norm = |s: &str| {
        s.split(['›', '/', '>'])
            .map(|p| p.trim().to_lowercase())
            .collect::<Vec<_>>()
            .join("/")
    };
    let wanted = norm(want);
    let in_lib = overview
        .collections
        .iter()
        .filter(|c| c.library_id == lib.id || library.is_none());
    let hits: Vec<&ZoteroCollection> = in_lib
        .clone()
        .filter(|c| c.key == want.trim() || norm(&c.path) == wanted)
        .collect();
    let hits = if hits.is_empty() {
        in_lib.filter(|c| c.name.to_lowercase() == wanted).collect()
    } else {
        hits
    };
    match hits.as_slice() {
        [c] => {
            let lib_name = overview
                .libraries
                .iter()
                .find(|l| l.id == c.library_id)
                .map(|l| l.name.clone())
                .unwrap_or_else(|| lib.name.clone());
            Ok((
                LinkSource::Zotero {
                    data_dir,
                    library_id: c.library_id,
                    collection: Some(c.key.clone()),
                },
                format!("Zotero: {lib_name} › {}", c.path),
                c.name.clone(),
            ))
        }
        [] => Err(Error::Invalid(format!(
            "Zotero has no collection “{want}” (see `papersift zotero collections`)"
        ))),
        many => Err(Error::Invalid(format!(
            "“{want}” names {} collections ({}); give its path or key",
            many.len(),
            many.iter()
                .map(|c| format!("{} [{}]", c.path, c.key))
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

/// Links a new list to a reading-list file and follows it once. The list is named
/// `name`, else after the file.
pub async fn link_file(
    lib: Arc<Library>,
    path: &Path,
    name: Option<&str>,
    cfg: &SyncConfig,
    progress: &(dyn Fn(ImportProgress) + Send + Sync),
) -> Result<FollowReport> {
    let path = std::path::absolute(path).map_err(|e| Error::io("cannot find", path, e))?;
    // Fails before any list is made when the file cannot be read as a reading list.
    let p = path.clone();
    blocking(move || parse_path(&p).map(|_| ())).await?;
    let name = name
        .map(str::to_string)
        .unwrap_or_else(|| list_name_of(&path));
    let source = LinkSource::File {
        path: path.display().to_string(),
    };
    let label = path.display().to_string();
    let l = lib.clone();
    let list_id = blocking(move || l.create_linked_list(&name, &source, &label)).await?;
    first_follow(lib, list_id, cfg, progress).await
}

/// The first follow of a list just made: a source that fails now removes the list
/// again, so a failed link leaves nothing behind.
async fn first_follow(
    lib: Arc<Library>,
    list_id: i64,
    cfg: &SyncConfig,
    progress: &(dyn Fn(ImportProgress) + Send + Sync),
) -> Result<FollowReport> {
    let mut reports = follow(lib.clone(), Some(list_id), true, cfg, progress).await?;
    let report = reports
        .pop()
        .ok_or_else(|| Error::Internal(format!("list {list_id} vanished while linked")))?;
    if let Some(e) = &report.error {
        let l = lib.clone();
        blocking(move || l.delete_list(list_id)).await?;
        return Err(Error::Invalid(e.clone()));
    }
    Ok(report)
}

/// Follows every linked list (or the one `only` names): each whose source changed
/// since its last follow (any, with `force`) is brought in step. A source that cannot
/// be read is reported on its list and in the report; a full disk stops it all.
pub async fn follow(
    lib: Arc<Library>,
    only: Option<i64>,
    force: bool,
    cfg: &SyncConfig,
    progress: &(dyn Fn(ImportProgress) + Send + Sync),
) -> Result<Vec<FollowReport>> {
    let l = lib.clone();
    let linked = blocking(move || l.linked_lists(only)).await?;
    if let (Some(id), true) = (only, linked.is_empty()) {
        return Err(Error::Invalid(format!("list {id} is not linked")));
    }
    let mut out = Vec::with_capacity(linked.len());
    for link in linked {
        let id = link.list_id;
        let mut report = FollowReport {
            list_id: id,
            list_name: link.name.clone(),
            label: link.label.clone(),
            changed: false,
            added: 0,
            removed: 0,
            tally: Tally::default(),
            error: None,
        };
        match follow_one(&lib, &link, force, cfg, progress, &mut report).await {
            Ok(()) => {}
            Err(e) if e.is_disk_full() => return Err(e),
            Err(e) => {
                let msg = e.to_string();
                let l = lib.clone();
                let m = msg.clone();
                blocking(move || l.set_link_status(id, Some(&m))).await?;
                report.error = Some(msg);
            }
        }
        out.push(report);
    }
    Ok(out)
}

/// Reads a source when it changed: its fingerprint now and its entries.
fn read_source(
    lib: &Library,
    source: &LinkSource,
    seen: Option<&str>,
) -> Result<(String, Option<Vec<Entry>>)> {
    match source {
        LinkSource::Zotero {
            data_dir,
            library_id,
            collection,
        } => {
            let dir = Path::new(data_dir);
            let now = zotero::fingerprint(dir).map_err(|_| {
                Error::Invalid(format!(
                    "Zotero's database is no longer in {data_dir}; name its folder in Settings"
                ))
            })?;
            if seen == Some(now.as_str()) {
                return Ok((now, None));
            }
            let snap = Snapshot::take(dir, &scratch(lib))?;
            Ok((now, Some(snap.entries(*library_id, collection.as_deref())?)))
        }
        LinkSource::File { path } => {
            let p = Path::new(path);
            if !p.is_file() {
                return Err(Error::Invalid(format!("{path} is gone")));
            }
            let now = file_hash(p)?;
            if seen == Some(now.as_str()) {
                return Ok((now, None));
            }
            Ok((now, Some(parse_path(p)?.entries)))
        }
    }
}

async fn follow_one(
    lib: &Arc<Library>,
    link: &Linked,
    force: bool,
    cfg: &SyncConfig,
    progress: &(dyn Fn(ImportProgress) + Send + Sync),
    report: &mut FollowReport,
) -> Result<()> {
    let (l, source, seen) = (lib.clone(), link.source.clone(), link.seen.clone());
    let id = link.list_id;
    let (now, entries) = blocking(move || {
        let seen = if force { None } else { seen };
        read_source(&l, &source, seen.as_deref())
    })
    .await?;
    let Some(entries) = entries else {
        let l = lib.clone();
        return blocking(move || l.set_link_status(id, None)).await;
    };
    report.changed = true;
    let l = lib.clone();
    let held: HashSet<String> = blocking(move || l.list_keys(id))
        .await?
        .into_iter()
        .collect();
    let keep: HashSet<String> = entries.iter().map(Entry::item_key).collect();
    let fresh: Vec<Entry> = entries
        .into_iter()
        .filter(|e| !held.contains(&e.item_key()))
        .collect();
    progress(ImportProgress::Parsed {
        entries: fresh.len(),
    });
    let (items, tally) = resolve_entries(lib, fresh, false, cfg, progress).await?;
    report.added = items.len();
    report.tally = tally;
    let l = lib.clone();
    report.removed = blocking(move || l.follow_list(id, &keep, &items, &now)).await?;
    Ok(())
}

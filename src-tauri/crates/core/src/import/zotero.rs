//! Reading a Zotero library: where its data folder is, a consistent private copy of
//! `zotero.sqlite`, its libraries and collections, and the items of a collection (with
//! its subcollections) or of a whole library as reading-list [`Entry`]s. It never
//! writes Zotero's files and never takes their lock.
//!
//! Why a copy: a running Zotero opens its database with an exclusive lock, so no other
//! process can read it through SQLite, and opening it `immutable` would read pages
//! Zotero is rewriting. Copying the file (with its `-journal` or `-wal`) takes no lock;
//! the copy is then opened, a hot journal rolled back on the copy, and checked. A copy
//! taken while Zotero wrote (the files changed during the copy, or the check fails) is
//! taken again.
//!
//! Not here: resolving entries to papers and keeping lists in step (`import::links`).

use super::ids::{first_arxiv, first_doi};
use super::Entry;
use crate::model::Doi;
use crate::{Error, Result};
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Zotero's database file in its data folder.
pub const DB_FILE: &str = "zotero.sqlite";
/// Copies tried before giving up on a database that keeps changing.
const COPY_TRIES: usize = 5;

/// Where Zotero keeps its data: `explicit` when given (Settings), else the data folder
/// named in the default Zotero profile's preferences (`extensions.zotero.dataDir`),
/// else `~/Zotero`. The folder must hold `zotero.sqlite`.
pub fn data_dir(explicit: Option<&Path>, home: &Path) -> Result<PathBuf> {
    if let Some(dir) = explicit {
        let dir = if dir.file_name().is_some_and(|n| n == DB_FILE) {
            dir.parent().unwrap_or(dir)
        } else {
            dir
        };
        return if dir.join(DB_FILE).is_file() {
            Ok(dir.to_path_buf())
        } else {
            Err(Error::Invalid(format!(
                "{} holds no Zotero database ({DB_FILE})",
                dir.display()
            )))
        };
    }
    let mut tried = Vec::new();
    for candidate in profile_data_dirs(home)
        .into_iter()
        .chain([home.join("Zotero")])
    {
        if candidate.join(DB_FILE).is_file() {
            return Ok(candidate);
        }
        tried.push(candidate.display().to_string());
    }
    Err(Error::Invalid(format!(
        "Zotero's data folder was not found (looked in {}); name it in Settings",
        tried.join(", ")
    )))
}

/// The folders that hold Zotero profiles on Linux, macOS and Windows.
fn profile_roots(home: &Path) -> Vec<PathBuf> {
    let mut roots = vec![
        home.join(".zotero/zotero"),
        home.join("Library/Application Support/Zotero"),
    ];
    if let Some(appdata) = std::env::var_os("APPDATA") {
        roots.push(PathBuf::from(appdata).join("Zotero/Zotero"));
    }
    roots
}

/// Data folders set in Zotero profiles' `prefs.js`, the default profile first.
fn profile_data_dirs(home: &Path) -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    for root in profile_roots(home) {
        let Ok(ini) = std::fs::read_to_string(root.join("profiles.ini")) else {
            continue;
        };
        for profile in profiles(&ini) {
            let path = if profile.relative {
                root.join(&profile.path)
            } else {
                PathBuf::from(&profile.path)
            };
            if let Ok(prefs) = std::fs::read_to_string(path.join("prefs.js")) {
                if let Some(dir) = data_dir_pref(&prefs) {
                    dirs.push(PathBuf::from(dir));
                }
            }
        }
    }
    dirs
}

struct Profile {
    path: String,
    relative: bool,
    default: bool,
}

/// The profile folders a `profiles.ini` names (relative ones as written), the default
/// first.
pub fn profile_paths(ini: &str) -> Vec<String> {
    profiles(ini).into_iter().map(|p| p.path).collect()
}

/// The profiles of a `profiles.ini`, the default first.
fn profiles(ini: &str) -> Vec<Profile> {
    let mut out: Vec<Profile> = Vec::new();
    let mut current: Option<Profile> = None;
    for line in ini.lines().map(str::trim) {
        if line.starts_with('[') {
            out.extend(current.take());
            if line.to_ascii_lowercase().starts_with("[profile") {
                current = Some(Profile {
                    path: String::new(),
                    relative: true,
                    default: false,
                });
            }
        } else if let (Some(p), Some((k, v))) = (current.as_mut(), line.split_once('=')) {
            match k.trim() {
                "Path" => p.path = v.trim().to_string(),
                "IsRelative" => p.relative = v.trim() != "0",
                "Default" => p.default = v.trim() == "1",
                _ => {}
            }
        }
    }
    out.extend(current);
    out.retain(|p| !p.path.is_empty());
    out.sort_by_key(|p| !p.default);
    out
}

/// `extensions.zotero.dataDir` from a `prefs.js`, when `useDataDir` is not off.
pub fn data_dir_pref(prefs: &str) -> Option<String> {
    let value = |name: &str| {
        prefs.lines().find_map(|l| {
            let rest = l.trim().strip_prefix("user_pref(")?;
            let rest = rest.trim_start().strip_prefix(&format!("\"{name}\""))?;
            let rest = rest.trim_start().strip_prefix(',')?.trim();
            let rest = rest.strip_suffix(';')?.trim_end().strip_suffix(')')?.trim();
            Some(rest.to_string())
        })
    };
    if value("extensions.zotero.useDataDir").as_deref() == Some("false") {
        return None;
    }
    let raw = value("extensions.zotero.dataDir")?;
    let inner = raw.strip_prefix('"')?.strip_suffix('"')?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            out.extend(chars.next());
        } else {
            out.push(c);
        }
    }
    (!out.is_empty()).then_some(out)
}

/// The state of Zotero's database files (size and modification time of the database
/// and its journal): equal fingerprints mean nothing changed.
pub fn fingerprint(data_dir: &Path) -> Result<String> {
    let db = data_dir.join(DB_FILE);
    let mut parts = Vec::new();
    for (i, path) in companion_files(&db).iter().enumerate() {
        match std::fs::metadata(path) {
            Ok(m) => {
                let modified = m
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .map(|d| d.as_nanos())
                    .unwrap_or(0);
                parts.push(format!("{}:{modified}", m.len()));
            }
            Err(e) if i == 0 => return Err(Error::io("cannot read", path, e)),
            Err(_) => parts.push("-".into()),
        }
    }
    Ok(parts.join(","))
}

/// The database and the journal files SQLite keeps beside it: where a write to
/// Zotero's library shows up.
pub fn companion_files(db: &Path) -> [PathBuf; 3] {
    let with = |suffix: &str| {
        let mut s = db.as_os_str().to_os_string();
        s.push(suffix);
        PathBuf::from(s)
    };
    [db.to_path_buf(), with("-journal"), with("-wal")]
}

/// A Zotero library: "My Library" or a group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ZoteroLibrary {
    /// Zotero's `libraryID`.
    pub id: i64,
    /// "My Library" or the group's name.
    pub name: String,
    /// Items in it (not notes, attachments or the trash).
    pub items: usize,
}

/// A collection, with its place in the tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ZoteroCollection {
    /// Zotero's key (stable across syncs).
    pub key: String,
    /// The library it is in.
    pub library_id: i64,
    /// Its name.
    pub name: String,
    /// Its path from the library's top: "Thesis › Chapter 2".
    pub path: String,
    /// Items in it and its subcollections.
    pub items: usize,
}

/// A private, consistent copy of a Zotero database, deleted when dropped.
pub struct Snapshot {
    conn: Connection,
    copy: PathBuf,
    /// Zotero 4 databases leave `libraryID` NULL for "My Library".
    user_library: i64,
}

impl Drop for Snapshot {
    fn drop(&mut self) {
        for f in companion_files(&self.copy) {
            let _ = std::fs::remove_file(f);
        }
    }
}

impl Snapshot {
    /// Copies the database in `data_dir` into `scratch` and opens the copy (see the
    /// module docs). Fails with the reason when there is no database, it is not
    /// Zotero's, or it kept changing through every copy.
    pub fn take(data_dir: &Path, scratch: &Path) -> Result<Snapshot> {
        let db = data_dir.join(DB_FILE);
        if !db.is_file() {
            return Err(Error::Invalid(format!(
                "{} holds no Zotero database ({DB_FILE})",
                data_dir.display()
            )));
        }
        std::fs::create_dir_all(scratch).map_err(|e| Error::io("cannot create", scratch, e))?;
        remove_stale_copies(scratch);
        // One name per snapshot: the app may read collections while a follow runs, and
        // the CLI beside it.
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let copy = scratch.join(format!("zotero-{}-{n}.sqlite", std::process::id()));
        let mut last = String::new();
        for attempt in 0..COPY_TRIES {
            if attempt > 0 {
                std::thread::sleep(Duration::from_millis(200 * attempt as u64));
            }
            let before = fingerprint(data_dir)?;
            for (from, to) in companion_files(&db).iter().zip(companion_files(&copy)) {
                let _ = std::fs::remove_file(&to);
                match std::fs::copy(from, &to) {
                    Ok(_) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound && from != &db => {}
                    Err(e) => return Err(Error::io("cannot copy", from, e)),
                }
            }
            if fingerprint(data_dir)? != before {
                last = "it changed while it was copied".into();
                continue;
            }
            match Self::open_copy(&copy) {
                Ok(s) => return Ok(s),
                Err(Error::Invalid(m)) => {
                    for f in companion_files(&copy) {
                        let _ = std::fs::remove_file(f);
                    }
                    return Err(Error::Invalid(m));
                }
                // A copy of files that did not change while copied is the file itself:
                // trying again would read the same bytes.
                Err(e) if fingerprint(data_dir)? == before => {
                    last = e.to_string();
                    break;
                }
                Err(e) => last = e.to_string(),
            }
        }
        for f in companion_files(&copy) {
            let _ = std::fs::remove_file(f);
        }
        Err(Error::Invalid(format!(
            "Zotero's database in {} could not be read ({last}); Papersift tries again at the next sync",
            data_dir.display()
        )))
    }

    fn open_copy(copy: &Path) -> Result<Snapshot> {
        // Read-write, on our copy only: a hot journal copied with it rolls back here.
        let conn = Connection::open_with_flags(
            copy,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        let check: String = conn.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
        if check != "ok" {
            return Err(Error::Busy(format!("the copy is damaged: {check}")));
        }
        for table in [
            "items",
            "itemData",
            "itemDataValues",
            "fields",
            "itemTypes",
            "collections",
            "collectionItems",
            "itemAttachments",
            "deletedItems",
        ] {
            if !has_table(&conn, table)? {
                return Err(Error::Invalid(format!(
                    "this is not a Zotero database: it has no {table} table"
                )));
            }
        }
        let mut s = Snapshot {
            conn,
            copy: copy.to_path_buf(),
            user_library: 1,
        };
        if let Some(id) = s
            .conn
            .query_row(
                "SELECT libraryID FROM libraries WHERE type = 'user'",
                [],
                |r| r.get(0),
            )
            .optional()
            .ok()
            .flatten()
        {
            s.user_library = id;
        }
        if !has_table(&s.conn, "deletedCollections")? {
            // Zotero 4 had no collection trash.
            s.conn
                .execute_batch("CREATE TEMP TABLE deletedCollections (collectionID INTEGER)")?;
        }
        Ok(s)
    }

    /// "My Library", then the groups that hold items, by name.
    pub fn libraries(&self) -> Result<Vec<ZoteroLibrary>> {
        // My Library is there even while it is empty.
        let mut counts: HashMap<i64, usize> = HashMap::from([(self.user_library, 0)]);
        for id in self.item_libraries()? {
            *counts.entry(id).or_default() += 1;
        }
        let mut names: HashMap<i64, String> = HashMap::new();
        if let Ok(mut stmt) = self.conn.prepare("SELECT libraryID, name FROM groups") {
            let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
            for row in rows {
                let (id, name) = row?;
                names.insert(id, name);
            }
        }
        let mut out: Vec<ZoteroLibrary> = counts
            .into_iter()
            .map(|(id, items)| ZoteroLibrary {
                id,
                name: if id == self.user_library {
                    "My Library".into()
                } else {
                    names
                        .get(&id)
                        .cloned()
                        .unwrap_or_else(|| format!("Library {id}"))
                },
                items,
            })
            .collect();
        out.sort_by(|a, b| {
            (a.id != self.user_library, &a.name).cmp(&(b.id != self.user_library, &b.name))
        });
        Ok(out)
    }

    /// The library of every regular item outside the trash.
    fn item_libraries(&self) -> Result<Vec<i64>> {
        let sql = format!(
            "SELECT coalesce(i.libraryID, {}) FROM items i {REGULAR}",
            self.user_library
        );
        Ok(self
            .conn
            .prepare(&sql)?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?)
    }

    /// Every collection outside the trash, in tree order within each library.
    pub fn collections(&self) -> Result<Vec<ZoteroCollection>> {
        let sql = format!(
            "SELECT collectionID, key, collectionName, parentCollectionID, \
                    coalesce(libraryID, {}) FROM collections \
             WHERE collectionID NOT IN (SELECT collectionID FROM deletedCollections)",
            self.user_library
        );
        let rows: Vec<(i64, String, String, Option<i64>, i64)> = self
            .conn
            .prepare(&sql)?
            .query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let by_id: HashMap<i64, &(i64, String, String, Option<i64>, i64)> =
            rows.iter().map(|r| (r.0, r)).collect();
        let path_of = |mut id: i64| {
            let mut parts = Vec::new();
            let mut guard = 0;
            while let Some(c) = by_id.get(&id) {
                parts.push(c.2.clone());
                guard += 1;
                match c.3 {
                    Some(parent) if guard < 100 => id = parent,
                    _ => break,
                }
            }
            parts.reverse();
            parts.join(" › ")
        };
        let mut out = Vec::with_capacity(rows.len());
        for (id, key, name, _, library) in &rows {
            out.push(ZoteroCollection {
                key: key.clone(),
                library_id: *library,
                name: name.clone(),
                path: path_of(*id),
                items: self.item_ids(*library, Some(key))?.len(),
            });
        }
        out.sort_by(|a, b| {
            (a.library_id, a.path.to_lowercase()).cmp(&(b.library_id, b.path.to_lowercase()))
        });
        Ok(out)
    }

    /// The regular items of a collection and its subcollections, or of the whole
    /// library when `collection` is `None`, oldest first. Fails when the collection is
    /// not there (deleted in Zotero, or in the trash).
    fn item_ids(&self, library: i64, collection: Option<&str>) -> Result<Vec<i64>> {
        let lib = format!("coalesce(i.libraryID, {}) = ?1", self.user_library);
        let (sql, key) = match collection {
            None => (
                format!("SELECT i.itemID FROM items i {REGULAR} AND {lib} ORDER BY i.dateAdded, i.itemID"),
                String::new(),
            ),
            Some(key) => {
                let found: Option<i64> = self
                    .conn
                    .query_row(
                        &format!(
                            "SELECT collectionID FROM collections WHERE key = ?1 \
                             AND coalesce(libraryID, {}) = ?2 \
                             AND collectionID NOT IN (SELECT collectionID FROM deletedCollections)",
                            self.user_library
                        ),
                        rusqlite::params![key, library],
                        |r| r.get(0),
                    )
                    .optional()?;
                if found.is_none() {
                    return Err(Error::Invalid(format!(
                        "the Zotero collection {key} is gone (deleted, or in Zotero's trash)"
                    )));
                }
                (
                    format!(
                        "WITH RECURSIVE tree(id) AS ( \
                           SELECT collectionID FROM collections WHERE key = ?2 \
                           UNION SELECT c.collectionID FROM collections c JOIN tree ON c.parentCollectionID = tree.id \
                           WHERE c.collectionID NOT IN (SELECT collectionID FROM deletedCollections)) \
                         SELECT DISTINCT i.itemID FROM items i JOIN collectionItems ci ON ci.itemID = i.itemID \
                         {REGULAR} AND {lib} AND ci.collectionID IN (SELECT id FROM tree) \
                         ORDER BY i.dateAdded, i.itemID"
                    ),
                    key.to_string(),
                )
            }
        };
        let mut stmt = self.conn.prepare(&sql)?;
        let ids = if collection.is_some() {
            stmt.query_map(rusqlite::params![library, key], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?
        } else {
            stmt.query_map([library], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?
        };
        Ok(ids)
    }

    /// The entries of a collection (with its subcollections) or of a whole library:
    /// regular items outside the trash, each with the arXiv id its URL, Extra, DOI,
    /// archive id or an attachment's link names, its DOI (the DOI field, else one in
    /// Extra or the URL) and its title.
    pub fn entries(&self, library: i64, collection: Option<&str>) -> Result<Vec<Entry>> {
        let ids = self.item_ids(library, collection)?;
        let wanted: HashSet<i64> = ids.iter().copied().collect();
        let mut fields: HashMap<i64, HashMap<String, String>> = HashMap::new();
        let mut keys: HashMap<i64, String> = HashMap::new();
        let sql = format!(
            "SELECT i.itemID, i.key, f.fieldName, v.value FROM items i \
             JOIN itemData d ON d.itemID = i.itemID \
             JOIN fields f ON f.fieldID = d.fieldID \
             JOIN itemDataValues v ON v.valueID = d.valueID \
             {REGULAR} AND coalesce(i.libraryID, {}) = ?1 \
             AND f.fieldName IN ('title', 'DOI', 'url', 'extra', 'archiveID')",
            self.user_library
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map([library], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, rusqlite::types::Value>(3)?,
            ))
        })?;
        for row in rows {
            let (id, key, field, value) = row?;
            if !wanted.contains(&id) {
                continue;
            }
            let value = match value {
                rusqlite::types::Value::Text(t) => t,
                rusqlite::types::Value::Integer(n) => n.to_string(),
                rusqlite::types::Value::Real(x) => x.to_string(),
                _ => continue,
            };
            keys.insert(id, key);
            fields.entry(id).or_default().insert(field, value);
        }
        // Links of attachments (an Unpaywall "Submitted Version" is often arXiv's PDF).
        let mut attachment_urls: HashMap<i64, Vec<String>> = HashMap::new();
        let mut stmt = self.conn.prepare(
            "SELECT a.parentItemID, v.value FROM itemAttachments a \
             JOIN itemData d ON d.itemID = a.itemID \
             JOIN fields f ON f.fieldID = d.fieldID AND f.fieldName = 'url' \
             JOIN itemDataValues v ON v.valueID = d.valueID \
             WHERE a.parentItemID IS NOT NULL \
               AND a.itemID NOT IN (SELECT itemID FROM deletedItems)",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
        for row in rows {
            let (parent, url) = row?;
            if wanted.contains(&parent) {
                attachment_urls.entry(parent).or_default().push(url);
            }
        }
        let mut out = Vec::with_capacity(ids.len());
        let mut seen = HashSet::new();
        for id in ids {
            let f = fields.remove(&id).unwrap_or_default();
            let key = keys.remove(&id).unwrap_or_else(|| format!("item {id}"));
            let entry = entry_of(&key, &f, attachment_urls.get(&id).map(Vec::as_slice));
            if seen.insert(entry.item_key()) {
                out.push(entry);
            }
        }
        Ok(out)
    }
}

/// Copies an earlier process left behind (it was killed while reading): an hour old.
fn remove_stale_copies(scratch: &Path) {
    let Ok(entries) = std::fs::read_dir(scratch) else {
        return;
    };
    for e in entries.flatten() {
        let stale = e
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > Duration::from_secs(3600));
        if stale && e.file_name().to_string_lossy().starts_with("zotero-") {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

fn has_table(conn: &Connection, table: &str) -> Result<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
            [table],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// Regular items outside the trash (not notes, attachments or annotations).
const REGULAR: &str = "JOIN itemTypes t ON t.itemTypeID = i.itemTypeID \
     WHERE t.typeName NOT IN ('note', 'attachment', 'annotation') \
       AND i.itemID NOT IN (SELECT itemID FROM deletedItems)";

/// One item's entry from its fields (see [`Snapshot::entries`]).
fn entry_of(key: &str, f: &HashMap<String, String>, attachments: Option<&[String]>) -> Entry {
    let get = |name: &str| f.get(name).map(String::as_str).unwrap_or("");
    let doi_field = Doi::parse(get("DOI")).map(|d| d.as_str().to_string());
    let arxiv = [get("archiveID"), get("url"), get("DOI"), get("extra")]
        .into_iter()
        .find_map(first_arxiv)
        .or_else(|| attachments?.iter().find_map(|u| first_arxiv(u)));
    let doi = doi_field
        .filter(|d| !d.starts_with("10.48550/"))
        .or_else(|| first_doi(get("extra")))
        .or_else(|| first_doi(get("url")));
    let title = Some(get("title").trim().to_string()).filter(|t| !t.is_empty());
    Entry {
        label: title
            .clone()
            .unwrap_or_else(|| format!("Zotero item {key}")),
        arxiv,
        doi,
        title,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profiles_ini_lists_the_default_profile_first() {
        let ini = "[General]\nStartWithLastProfile=1\n\n[Profile1]\nName=old\nIsRelative=1\nPath=Profiles/aaa.old\n\n[Profile0]\nName=default\nIsRelative=0\nPath=/home/r/zp\nDefault=1\n";
        let p = profiles(ini);
        assert_eq!(p.len(), 2);
        assert_eq!((p[0].path.as_str(), p[0].relative), ("/home/r/zp", false));
        assert_eq!(
            (p[1].path.as_str(), p[1].relative),
            ("Profiles/aaa.old", true)
        );
    }

    #[test]
    fn the_data_dir_preference_is_read_with_its_escapes() {
        let prefs = "// Mozilla User Preferences\nuser_pref(\"extensions.zotero.dataDir\", \"D:\\\\Research\\\\Zotero\");\nuser_pref(\"extensions.zotero.useDataDir\", true);\n";
        assert_eq!(
            data_dir_pref(prefs).as_deref(),
            Some("D:\\Research\\Zotero")
        );
        let off = "user_pref(\"extensions.zotero.dataDir\", \"/x\");\nuser_pref(\"extensions.zotero.useDataDir\", false);\n";
        assert_eq!(data_dir_pref(off), None);
        assert_eq!(data_dir_pref("user_pref(\"other\", 1);"), None);
    }

    #[test]
    fn an_item_names_its_paper_by_any_field_or_attachment() {
        let f = |pairs: &[(&str, &str)]| {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<HashMap<_, _>>()
        };
        let e = entry_of(
            "AAAA1111",
            &f(&[
                ("title", "Attention"),
                ("url", "https://arxiv.org/abs/1706.03762v5"),
            ]),
            None,
        );
        assert_eq!(e.arxiv.unwrap().id(), "1706.03762");
        let e = entry_of(
            "BBBB2222",
            &f(&[("title", "Euler"), ("DOI", "10.4007/ANNALS.2009.170.1417")]),
            Some(&["https://arxiv.org/pdf/math/0702079".to_string()]),
        );
        assert_eq!(e.arxiv.unwrap().id(), "math/0702079");
        assert_eq!(e.doi.as_deref(), Some("10.4007/annals.2009.170.1417"));
        let e = entry_of(
            "CCCC3333",
            &f(&[
                ("title", "A report"),
                ("extra", "DOI: 10.1000/XYZ.1\ntype: report"),
            ]),
            None,
        );
        assert_eq!((e.arxiv, e.doi.as_deref()), (None, Some("10.1000/xyz.1")));
        let e = entry_of(
            "DDDD4444",
            &f(&[("DOI", "10.48550/arXiv.2401.00001")]),
            None,
        );
        assert_eq!((e.arxiv.unwrap().id(), e.doi), ("2401.00001", None));
        assert_eq!(e.label, "Zotero item DDDD4444");
    }
}

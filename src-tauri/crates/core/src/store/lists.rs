//! Reading lists and their items.

use super::papers::{paper_from_row, PAPER_COLUMNS};
use super::Store;
use crate::model::Paper;
use crate::{Error, Result};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

/// A list as the sidebar shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ListSummary {
    /// Row id.
    pub id: i64,
    /// Unique name.
    pub name: String,
    /// The file it was imported from.
    pub source_file: Option<String>,
    /// When it was created (UTC).
    pub created_at: String,
    /// Entries.
    pub items: usize,
    /// Entries that are library papers.
    pub resolved: usize,
    /// What the list follows, when it is linked (then it is read-only here).
    pub link: Option<ListLink>,
}

/// What a linked list follows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(
    tag = "kind",
    rename_all = "lowercase",
    rename_all_fields = "camelCase"
)]
pub enum LinkSource {
    /// A Zotero collection with its subcollections, or a whole Zotero library when
    /// `collection` is `None`.
    Zotero {
        /// The Zotero data folder (holding `zotero.sqlite`).
        data_dir: String,
        /// Zotero's `libraryID` (1 is "My Library").
        library_id: i64,
        /// The collection's Zotero key.
        collection: Option<String>,
    },
    /// A reading-list file (a Better BibTeX auto-export), read again when it changes.
    File {
        /// Its absolute path.
        path: String,
    },
}

/// A linked list's source and how its last follow went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ListLink {
    /// What it follows.
    pub source: LinkSource,
    /// The source as the user knows it ("Zotero: My Library › Thesis", the file).
    pub label: String,
    /// When it was last followed (UTC).
    pub checked_at: Option<String>,
    /// Why the last follow failed (the list keeps what it had).
    pub error: Option<String>,
}

/// A linked list as the follower reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Linked {
    /// The list.
    pub list_id: i64,
    /// Its name.
    pub name: String,
    /// What it follows, as the user knows it.
    pub label: String,
    /// What it follows.
    pub source: LinkSource,
    /// The source's fingerprint at the last follow.
    pub seen: Option<String>,
}

/// One entry of a list: the paper, or what the file said and why it is not a paper.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ListItem {
    /// Stable key within the list (`arxiv:…`, `doi:…`, `title:…`).
    pub key: String,
    /// What the file said.
    pub label: Option<String>,
    /// The title the file gave.
    pub title: Option<String>,
    /// The paper, when resolved.
    pub paper: Option<Paper>,
    /// Why it is not resolved.
    pub unresolved_reason: Option<String>,
}

/// An entry to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewItem {
    /// Stable key within the list.
    pub key: String,
    /// What the file said.
    pub label: Option<String>,
    /// Title from the file.
    pub title: Option<String>,
    /// Resolved paper row id.
    pub paper_id: Option<i64>,
    /// Why it is not resolved.
    pub unresolved_reason: Option<String>,
    /// Unresolved because a look-up could not be made: the next sync tries again.
    pub waiting: bool,
}

impl Store {
    /// All lists, by name.
    pub fn lists(&self) -> Result<Vec<ListSummary>> {
        let mut stmt = self.conn.prepare(
            "SELECT l.id, l.name, l.source_file, l.created_at, \
                    count(i.id), count(i.paper_id), \
                    l.link_target, l.link_label, l.link_checked_at, l.link_error \
             FROM reading_lists l LEFT JOIN reading_list_items i ON i.list_id = l.id \
             GROUP BY l.id ORDER BY l.name COLLATE NOCASE",
        )?;
        let rows = stmt.query_map([], |r| {
            let link = match r.get::<_, Option<String>>(6)? {
                Some(target) => Some(ListLink {
                    source: source_from(&target)?,
                    label: r.get::<_, Option<String>>(7)?.unwrap_or_default(),
                    checked_at: r.get(8)?,
                    error: r.get(9)?,
                }),
                None => None,
            };
            Ok(ListSummary {
                id: r.get(0)?,
                name: r.get(1)?,
                source_file: r.get(2)?,
                created_at: r.get(3)?,
                items: r.get::<_, i64>(4)? as usize,
                resolved: r.get::<_, i64>(5)? as usize,
                link,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A list by id.
    pub fn list(&self, id: i64) -> Result<Option<ListSummary>> {
        Ok(self.lists()?.into_iter().find(|l| l.id == id))
    }

    /// A list's id by name (case-insensitive) or by number.
    pub fn find_list(&self, name_or_id: &str) -> Result<Option<i64>> {
        let by_name: Option<i64> = self
            .conn
            .query_row(
                "SELECT id FROM reading_lists WHERE name = ?1 COLLATE NOCASE",
                [name_or_id.trim()],
                |r| r.get(0),
            )
            .optional()?;
        if by_name.is_some() {
            return Ok(by_name);
        }
        match name_or_id.trim().parse::<i64>() {
            Ok(id) => Ok(self.list(id)?.map(|l| l.id)),
            Err(_) => Ok(None),
        }
    }

    /// The list imported from a file with this content hash.
    pub fn list_by_file_hash(&self, hash: &str) -> Result<Option<i64>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id FROM reading_lists WHERE file_hash = ?",
                [hash],
                |r| r.get(0),
            )
            .optional()?)
    }

    fn free_name(&self, wanted: &str) -> Result<String> {
        let base = wanted.trim();
        let base = if base.is_empty() {
            "Reading list"
        } else {
            base
        };
        for n in 1.. {
            let name = if n == 1 {
                base.to_string()
            } else {
                format!("{base} ({n})")
            };
            let taken: bool = self.conn.query_row(
                "SELECT EXISTS(SELECT 1 FROM reading_lists WHERE name = ? COLLATE NOCASE)",
                [&name],
                |r| r.get(0),
            )?;
            if !taken {
                return Ok(name);
            }
        }
        unreachable!("some name is free")
    }

    /// Stores an import in one transaction: into `target` when given, else into the
    /// list made earlier from the same file (`file_hash`), else into a new list named
    /// `name` (made unique). Items already in the list are updated, never duplicated.
    /// Returns the list id and whether it was created.
    pub fn save_import(
        &mut self,
        name: &str,
        source_file: Option<&str>,
        file_hash: Option<&str>,
        target: Option<i64>,
        items: &[NewItem],
    ) -> Result<(i64, bool)> {
        let existing = match target {
            Some(id) => {
                self.editable(id)?;
                Some(id)
            }
            None => match file_hash {
                Some(h) => self.list_by_file_hash(h)?,
                None => None,
            },
        };
        let name = match existing {
            Some(_) => String::new(),
            None => self.free_name(name)?,
        };
        let tx = self.conn.transaction()?;
        let (list_id, created) = match existing {
            Some(id) => (id, false),
            None => {
                tx.execute(
                    "INSERT INTO reading_lists (name, source_file, file_hash) VALUES (?1, ?2, ?3)",
                    params![name, source_file, file_hash],
                )?;
                (tx.last_insert_rowid(), true)
            }
        };
        upsert_items(&tx, list_id, items)?;
        tx.commit()?;
        Ok((list_id, created))
    }

    /// The DOIs of list entries waiting for a look-up (see [`NewItem::waiting`]), at
    /// most `limit`.
    pub fn waiting_dois(&self, limit: usize) -> Result<Vec<String>> {
        Ok(self
            .conn
            .prepare(
                "SELECT DISTINCT substr(entry, 5) FROM reading_list_items \
                 WHERE waiting = 1 AND paper_id IS NULL AND entry LIKE 'doi:%' LIMIT ?",
            )?
            .query_map([limit as i64], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?)
    }

    /// Settles the entries of every list that name `doi`: resolved to `paper_id`, or
    /// unresolved for `reason`; they wait no longer.
    pub fn settle_doi(&mut self, doi: &str, paper_id: Option<i64>, reason: &str) -> Result<()> {
        self.conn.execute(
            "UPDATE reading_list_items SET waiting = 0, paper_id = ?2, \
               unresolved_reason = CASE WHEN ?2 IS NULL THEN ?3 END \
             WHERE entry = 'doi:' || ?1 AND paper_id IS NULL",
            params![doi, paper_id, reason],
        )?;
        Ok(())
    }

    /// A list's entries in order, resolved ones with their paper.
    pub fn list_items(&self, list_id: i64) -> Result<Vec<ListItem>> {
        let mut stmt = self.conn.prepare(
            "SELECT entry, label, title, paper_id, unresolved_reason FROM reading_list_items \
             WHERE list_id = ? ORDER BY position, id",
        )?;
        let rows = stmt
            .query_map([list_id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, Option<i64>>(3)?,
                    r.get::<_, Option<String>>(4)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let ids: Vec<i64> = rows.iter().filter_map(|r| r.3).collect();
        let mut papers: std::collections::HashMap<i64, Paper> =
            self.papers_by_ids(&ids)?.into_iter().collect();
        Ok(rows
            .into_iter()
            .map(|(key, label, title, pid, reason)| ListItem {
                key,
                label,
                title,
                paper: pid.and_then(|id| papers.remove(&id)),
                unresolved_reason: reason,
            })
            .collect())
    }

    /// Row ids of a list's resolved papers.
    pub fn list_paper_ids(&self, list_id: i64) -> Result<Vec<i64>> {
        let mut stmt = self.conn.prepare(
            "SELECT paper_id FROM reading_list_items WHERE list_id = ? AND paper_id IS NOT NULL \
             ORDER BY position, id",
        )?;
        let ids = stmt
            .query_map([list_id], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<i64>>>()?;
        Ok(ids)
    }

    /// Renames a list; the new name must be free.
    pub fn rename_list(&self, list_id: i64, name: &str) -> Result<()> {
        let name = name.trim();
        if name.is_empty() {
            return Err(Error::Invalid("a list needs a name".into()));
        }
        if let Some(other) = self.find_list(name)? {
            if other != list_id {
                return Err(Error::Invalid(format!(
                    "there is already a list named “{name}”"
                )));
            }
        }
        let n = self.conn.execute(
            "UPDATE reading_lists SET name = ?2 WHERE id = ?1",
            params![list_id, name],
        )?;
        if n == 0 {
            return Err(Error::Invalid(format!("there is no list {list_id}")));
        }
        Ok(())
    }

    /// Deletes a list, its entries and the ratings given inside it (the papers stay in
    /// the library).
    pub fn delete_list(&mut self, list_id: i64) -> Result<bool> {
        let tx = self.conn.transaction()?;
        tx.execute("DELETE FROM ratings WHERE list_id = ?", [list_id])?;
        let deleted = tx.execute("DELETE FROM reading_lists WHERE id = ?", [list_id])? > 0;
        tx.commit()?;
        Ok(deleted)
    }

    /// Moves every entry of `from` into `into` (entries both have are kept once), then
    /// deletes `from`.
    pub fn merge_lists(&mut self, from: i64, into: i64) -> Result<()> {
        if from == into {
            return Err(Error::Invalid("a list cannot be merged into itself".into()));
        }
        if self.list(from)?.is_none() || self.list(into)?.is_none() {
            return Err(Error::Invalid("both lists must exist to merge them".into()));
        }
        self.editable(into)?;
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO reading_list_items (list_id, entry, label, title, paper_id, unresolved_reason, position) \
             SELECT ?2, entry, label, title, paper_id, unresolved_reason, \
                    position + (SELECT coalesce(max(position), 0) + 1 FROM reading_list_items WHERE list_id = ?2) \
             FROM reading_list_items WHERE list_id = ?1 \
             ON CONFLICT(list_id, entry) DO UPDATE SET paper_id = coalesce(paper_id, excluded.paper_id)",
            params![from, into],
        )?;
        // Ratings given inside `from` now belong to `into` (its own win a tie).
        tx.execute(
            "UPDATE OR IGNORE ratings SET list_id = ?2 WHERE list_id = ?1",
            params![from, into],
        )?;
        tx.execute("DELETE FROM ratings WHERE list_id = ?", [from])?;
        tx.execute("DELETE FROM reading_lists WHERE id = ?", [from])?;
        tx.commit()?;
        Ok(())
    }

    /// Adds a library paper to a list (no-op when it is there).
    pub fn add_to_list(&self, list_id: i64, paper_id: i64, key: &str) -> Result<()> {
        self.editable(list_id)?;
        self.conn.execute(
            "INSERT INTO reading_list_items (list_id, entry, paper_id, position) \
             VALUES (?1, ?2, ?3, (SELECT coalesce(max(position), -1) + 1 FROM reading_list_items WHERE list_id = ?1)) \
             ON CONFLICT(list_id, entry) DO UPDATE SET paper_id = excluded.paper_id, unresolved_reason = NULL",
            params![list_id, key, paper_id],
        )?;
        Ok(())
    }

    /// Removes an entry (by item key) from a list.
    pub fn remove_from_list(&self, list_id: i64, key: &str) -> Result<bool> {
        self.editable(list_id)?;
        Ok(self.conn.execute(
            "DELETE FROM reading_list_items WHERE list_id = ?1 AND entry = ?2",
            params![list_id, key],
        )? > 0)
    }

    /// Papers with an exactly matching normalized title among FTS candidates.
    pub fn papers_titled(&self, fts_query: &str, limit: usize) -> Result<Vec<(i64, Paper)>> {
        let sql = format!(
            "SELECT {PAPER_COLUMNS} FROM papers_fts f JOIN papers p ON p.id = f.rowid \
             WHERE papers_fts MATCH ?1 ORDER BY bm25(papers_fts, 10.0, 1.0, 1.0) LIMIT ?2"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(params![fts_query, limit as i64], paper_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Row id of a paper by arXiv id (without version).
    pub fn paper_id_by_arxiv(&self, arxiv_id: &str) -> Result<Option<i64>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id FROM papers WHERE arxiv_id = ?",
                [arxiv_id],
                |r| r.get(0),
            )
            .optional()?)
    }
}

/// Inserts or updates `items` in a list, new ones after its last entry; an entry
/// already there keeps its paper unless the new one resolves it.
fn upsert_items(tx: &Connection, list_id: i64, items: &[NewItem]) -> Result<()> {
    let start: i64 = tx.query_row(
        "SELECT coalesce(max(position), -1) + 1 FROM reading_list_items WHERE list_id = ?",
        [list_id],
        |r| r.get(0),
    )?;
    let mut stmt = tx.prepare(
        "INSERT INTO reading_list_items \
           (list_id, entry, label, title, paper_id, unresolved_reason, position, waiting) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) \
         ON CONFLICT(list_id, entry) DO UPDATE SET \
           paper_id = coalesce(excluded.paper_id, paper_id), \
           unresolved_reason = CASE WHEN coalesce(excluded.paper_id, paper_id) IS NULL \
                                    THEN excluded.unresolved_reason END, \
           waiting = CASE WHEN coalesce(excluded.paper_id, paper_id) IS NULL \
                          THEN excluded.waiting ELSE 0 END, \
           title = coalesce(title, excluded.title), \
           label = coalesce(label, excluded.label)",
    )?;
    for (i, it) in items.iter().enumerate() {
        stmt.execute(params![
            list_id,
            it.key,
            it.label,
            it.title,
            it.paper_id,
            it.unresolved_reason,
            start + i as i64,
            it.waiting
        ])?;
    }
    Ok(())
}

fn source_from(target: &str) -> rusqlite::Result<LinkSource> {
    serde_json::from_str(target).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// Linked lists: made, read and followed (see [`LinkSource`]).
impl Store {
    /// Makes a list (named `name`, made unique) that follows `source`; returns its id.
    pub fn create_linked_list(&self, name: &str, source: &LinkSource, label: &str) -> Result<i64> {
        let name = self.free_name(name)?;
        let target = serde_json::to_string(source).map_err(|e| Error::Internal(e.to_string()))?;
        self.conn.execute(
            "INSERT INTO reading_lists (name, link_target, link_label) VALUES (?1, ?2, ?3)",
            params![name, target, label],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Every linked list, or the one `only` names.
    pub fn linked_lists(&self, only: Option<i64>) -> Result<Vec<Linked>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, name, link_label, link_target, link_seen FROM reading_lists \
             WHERE link_target IS NOT NULL AND (?1 IS NULL OR id = ?1) ORDER BY id",
        )?;
        let rows = stmt.query_map([only], |r| {
            Ok(Linked {
                list_id: r.get(0)?,
                name: r.get(1)?,
                label: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
                source: source_from(&r.get::<_, String>(3)?)?,
                seen: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The item keys a list holds now.
    pub fn list_keys(&self, list_id: i64) -> Result<Vec<String>> {
        Ok(self
            .conn
            .prepare(
                "SELECT entry FROM reading_list_items WHERE list_id = ? ORDER BY position, id",
            )?
            .query_map([list_id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?)
    }

    /// Brings a linked list in step with its source, in one transaction: entries whose
    /// key is not in `keep` leave, `added` join, and the source's fingerprint `seen` is
    /// recorded. Returns how many entries left.
    pub fn follow_list(
        &mut self,
        list_id: i64,
        keep: &std::collections::HashSet<String>,
        added: &[NewItem],
        seen: &str,
    ) -> Result<usize> {
        let tx = self.conn.transaction()?;
        let held: Vec<(i64, String)> = tx
            .prepare("SELECT id, entry FROM reading_list_items WHERE list_id = ?")?
            .query_map([list_id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut removed = 0;
        {
            let mut del = tx.prepare("DELETE FROM reading_list_items WHERE id = ?")?;
            for (id, entry) in held {
                if !keep.contains(&entry) {
                    removed += del.execute([id])?;
                }
            }
        }
        upsert_items(&tx, list_id, added)?;
        tx.execute(
            "UPDATE reading_lists SET link_seen = ?2, link_error = NULL, \
               link_checked_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?1",
            params![list_id, seen],
        )?;
        tx.commit()?;
        Ok(removed)
    }

    /// Records why a linked list could not be followed (it keeps its entries), or
    /// that it was checked and found unchanged (`error` `None`).
    pub fn set_link_status(&self, list_id: i64, error: Option<&str>) -> Result<()> {
        self.conn.execute(
            "UPDATE reading_lists SET link_error = ?2, \
               link_checked_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?1",
            params![list_id, error],
        )?;
        Ok(())
    }

    /// Stops following: the list keeps its entries and becomes editable. False when it
    /// was not linked.
    pub fn unlink_list(&self, list_id: i64) -> Result<bool> {
        Ok(self.conn.execute(
            "UPDATE reading_lists SET link_target = NULL, link_label = NULL, \
               link_seen = NULL, link_checked_at = NULL, link_error = NULL \
             WHERE id = ? AND link_target IS NOT NULL",
            [list_id],
        )? > 0)
    }

    /// Fails unless the list exists and is not linked (a linked list is edited at its
    /// source).
    pub fn editable(&self, list_id: i64) -> Result<()> {
        let Some(l) = self.list(list_id)? else {
            return Err(Error::Invalid(format!("there is no list {list_id}")));
        };
        match l.link {
            None => Ok(()),
            Some(link) => Err(Error::Invalid(format!(
                "“{}” follows {}: add or remove its papers there, or unlink the list to edit it here",
                l.name, link.label
            ))),
        }
    }
}

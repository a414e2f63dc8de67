//! Reading lists and their items.

use super::papers::{paper_from_row, PAPER_COLUMNS};
use super::Store;
use crate::model::Paper;
use crate::{Error, Result};
use rusqlite::{params, OptionalExtension};
use serde::Serialize;

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
                    count(i.id), count(i.paper_id) \
             FROM reading_lists l LEFT JOIN reading_list_items i ON i.list_id = l.id \
             GROUP BY l.id ORDER BY l.name COLLATE NOCASE",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(ListSummary {
                id: r.get(0)?,
                name: r.get(1)?,
                source_file: r.get(2)?,
                created_at: r.get(3)?,
                items: r.get::<_, i64>(4)? as usize,
                resolved: r.get::<_, i64>(5)? as usize,
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
            Some(id) => Some(
                self.list(id)?
                    .ok_or_else(|| Error::Invalid(format!("there is no list {id}")))?
                    .id,
            ),
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
        let start: i64 = tx.query_row(
            "SELECT coalesce(max(position), -1) + 1 FROM reading_list_items WHERE list_id = ?",
            [list_id],
            |r| r.get(0),
        )?;
        {
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
        }
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
        if self.list(list_id)?.is_none() {
            return Err(Error::Invalid(format!("there is no list {list_id}")));
        }
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

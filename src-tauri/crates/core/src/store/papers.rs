//! The `papers` table and its FTS5 index: idempotent upserts that merge what several
//! sources know, look-ups, filters and BM25 keyword search.

use super::{content_hash, Store};
use crate::model::KeywordDoc;
use crate::model::{embedding_text, Doi, Original, Paper, PaperInput, PaperMath, Source};
use crate::query::Filter;
use crate::tex;
use crate::Result;
use rusqlite::{params, params_from_iter, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// What an upsert did. Ids are the papers' row ids.
#[derive(Debug, Default, Clone, PartialEq, Serialize)]
pub struct UpsertReport {
    /// Papers that were not in the library.
    pub inserted: Vec<i64>,
    /// Papers whose stored fields changed.
    pub updated: Vec<i64>,
    /// Papers whose title or abstract changed (they need a new embedding).
    pub text_changed: Vec<i64>,
    /// Papers that were already stored exactly so.
    pub unchanged: usize,
    /// Rows that held a paper twice (known by different ids until an input named
    /// both), merged into another row and deleted.
    pub merged_away: Vec<i64>,
}

/// Which papers [`Store::keyword_docs`] reads.
#[derive(Debug, Clone, Copy)]
pub enum KeywordDocs<'a> {
    /// Up to `limit` papers with ids above `after`, by id.
    Page {
        /// Papers after this id.
        after: i64,
        /// Papers at most.
        limit: usize,
    },
    /// These papers (missing ones skipped).
    Ids(&'a [i64]),
}

pub(super) const PAPER_COLUMNS: &str =
    "p.id, p.key, p.arxiv_id, p.arxiv_version, p.title, p.abstract, p.authors, \
     p.author_count, p.published, p.updated, p.categories, p.sources, p.upvotes, p.links, \
     p.ai_summary, p.ai_keywords, p.github_stars, p.num_comments, p.hf_date, \
     p.title_tex, p.abstract_tex, p.authors_tex, p.math, substr(p.added_at, 1, 10), \
     p.doi, p.journal, p.openreview_id";

fn json<T: for<'de> Deserialize<'de> + Default>(s: String) -> T {
    serde_json::from_str(&s).unwrap_or_default()
}

pub(super) fn paper_from_row(row: &Row<'_>) -> rusqlite::Result<(i64, Paper)> {
    paper_from_row_offset(row, 0)
}

/// [`paper_from_row`] for a row whose paper columns start at column `o`.
pub(super) fn paper_from_row_offset(row: &Row<'_>, o: usize) -> rusqlite::Result<(i64, Paper)> {
    Ok((
        row.get(o)?,
        Paper {
            key: row.get(o + 1)?,
            arxiv_id: row.get(o + 2)?,
            arxiv_version: row.get(o + 3)?,
            title: row.get(o + 4)?,
            abstract_text: row.get(o + 5)?,
            authors: json(row.get(o + 6)?),
            author_count: row.get(o + 7)?,
            published: row.get(o + 8)?,
            updated: row.get(o + 9)?,
            categories: json(row.get(o + 10)?),
            sources: json(row.get(o + 11)?),
            upvotes: row.get(o + 12)?,
            links: json(row.get(o + 13)?),
            ai_summary: row.get(o + 14)?,
            ai_keywords: json(row.get(o + 15)?),
            github_stars: row.get(o + 16)?,
            num_comments: row.get(o + 17)?,
            hf_date: row.get(o + 18)?,
            original: Original {
                title: row.get(o + 19)?,
                abstract_text: row.get(o + 20)?,
                authors: row.get::<_, Option<String>>(o + 21)?.map(json),
            },
            math: row
                .get::<_, Option<String>>(o + 22)?
                .map(json)
                .unwrap_or_default(),
            first_seen: row.get(o + 23)?,
            doi: row.get(o + 24)?,
            journal: row.get(o + 25)?,
            openreview_id: row.get(o + 26)?,
        },
    ))
}

/// A paper as it goes in: its TeX cleaned ([`tex::clean`]), with where its formulas
/// sit and the text as written where cleaning changed it.
pub(super) struct CleanInput {
    pub(super) paper: PaperInput,
    pub(super) math: PaperMath,
    pub(super) original: Original,
}

pub(super) fn clean_input(new: &PaperInput) -> CleanInput {
    let mut new = new.clone();
    // An arXiv DOI is the arXiv id written another way.
    for doi in new.doi.iter().chain(&new.other_dois) {
        if new.arxiv.is_none() {
            new.arxiv = doi.arxiv();
        }
    }
    new.doi = new.doi.filter(|d| d.arxiv().is_none());
    new.other_dois
        .retain(|d| d.arxiv().is_none() && Some(d) != new.doi.as_ref());
    let new = &new;
    let title = tex::clean(&new.title);
    let abs = tex::clean(&new.abstract_text);
    let authors: Vec<String> = new.authors.iter().map(|a| tex::clean_text(a)).collect();
    let original = Original {
        title: (title.text != new.title).then(|| new.title.clone()),
        abstract_text: (abs.text != new.abstract_text).then(|| new.abstract_text.clone()),
        authors: (authors != new.authors).then(|| new.authors.clone()),
    };
    let paper = PaperInput {
        title: title.text,
        abstract_text: abs.text,
        authors,
        ..new.clone()
    };
    CleanInput {
        paper,
        math: PaperMath {
            title: title.math,
            abstract_text: abs.math,
        },
        original,
    }
}

/// Combines a stored paper with new information: sources and links accumulate, the
/// newest non-empty text wins, the first publication date stays.
fn merge(old: &Paper, clean: &CleanInput) -> Paper {
    let new = &clean.paper;
    let mut m = old.clone();
    if !new.title.is_empty() {
        m.title = new.title.clone();
        m.math.title = clean.math.title.clone();
        m.original.title = clean.original.title.clone();
    }
    if !new.abstract_text.is_empty() {
        m.abstract_text = new.abstract_text.clone();
        m.math.abstract_text = clean.math.abstract_text.clone();
        m.original.abstract_text = clean.original.abstract_text.clone();
    }
    if !new.authors.is_empty() {
        m.authors = new.authors.clone();
        m.original.authors = clean.original.authors.clone();
    }
    m.author_count = m
        .author_count
        .max(new.author_count)
        .max(m.authors.len() as u32);
    if m.arxiv_id.is_none() {
        m.arxiv_id = new.arxiv.as_ref().map(|a| a.id().to_string());
    }
    if let Some(v) = new.arxiv.as_ref().and_then(|a| a.version()) {
        m.arxiv_version = Some(m.arxiv_version.map_or(v, |old| old.max(v)));
    }
    if m.published.is_none() {
        m.published = new.published.clone();
    }
    if new.updated.is_some() && new.updated > m.updated {
        m.updated = new.updated.clone();
    }
    if !new.categories.is_empty() {
        m.categories = new.categories.clone();
    }
    for s in &new.sources {
        if !m.sources.contains(s) {
            m.sources.push(*s);
        }
    }
    m.sources.sort();
    if new.upvotes.is_some() {
        m.upvotes = new.upvotes;
    }
    for link in &new.links {
        match m.links.iter_mut().find(|l| l.kind == link.kind) {
            Some(l) => l.url = link.url.clone(),
            None => m.links.push(link.clone()),
        }
    }
    if new.ai_summary.is_some() {
        m.ai_summary = new.ai_summary.clone();
    }
    if !new.ai_keywords.is_empty() {
        m.ai_keywords = new.ai_keywords.clone();
    }
    if new.github_stars.is_some() {
        m.github_stars = new.github_stars;
    }
    if new.num_comments.is_some() {
        m.num_comments = new.num_comments;
    }
    if m.hf_date.is_none() {
        m.hf_date = new.hf_date.clone();
    }
    // The version with a journal is the one cited.
    if let Some(doi) = &new.doi {
        if m.doi.is_none() || new.journal.is_some() {
            m.doi = Some(doi.to_string());
        }
    }
    if new.journal.is_some() {
        m.journal = new.journal.clone();
    }
    if m.openreview_id.is_none() {
        m.openreview_id = new.openreview_id.clone();
    }
    m
}

/// A stored paper as an input, so a second row holding the same paper merges into the
/// first as any source's input does.
fn as_input(p: &Paper) -> CleanInput {
    CleanInput {
        paper: PaperInput {
            key: p.key.clone(),
            arxiv: p.arxiv_id.as_deref().and_then(|a| {
                let id = crate::model::ArxivId::parse(a)?;
                Some(match p.arxiv_version {
                    Some(v) => crate::model::ArxivId::parse(&format!("{a}v{v}")).unwrap_or(id),
                    None => id,
                })
            }),
            title: p.title.clone(),
            abstract_text: p.abstract_text.clone(),
            authors: p.authors.clone(),
            author_count: p.author_count,
            published: p.published.clone(),
            updated: p.updated.clone(),
            categories: p.categories.clone(),
            sources: p.sources.clone(),
            upvotes: p.upvotes,
            links: p.links.clone(),
            ai_summary: p.ai_summary.clone(),
            ai_keywords: p.ai_keywords.clone(),
            github_stars: p.github_stars,
            num_comments: p.num_comments,
            hf_date: p.hf_date.clone(),
            doi: p.doi.as_deref().and_then(Doi::parse),
            other_dois: Vec::new(),
            journal: p.journal.clone(),
            openreview_id: p.openreview_id.clone(),
        },
        math: p.math.clone(),
        original: p.original.clone(),
    }
}

/// Every id other than the key and arXiv id an input names its paper by, as
/// `(scheme, value)` rows of `paper_ids`.
fn identities(new: &PaperInput) -> Vec<(&'static str, String)> {
    let mut out: Vec<(&'static str, String)> = new
        .doi
        .iter()
        .chain(&new.other_dois)
        .map(|d| ("doi", d.to_string()))
        .collect();
    out.extend(new.openreview_id.iter().map(|o| ("openreview", o.clone())));
    out
}

/// Moves what hangs off row `gone` (list entries, ratings, seen marks, alert matches,
/// its embedding and ids) to row `keep`, where `keep` has none of its own, then deletes
/// `gone`.
fn fold_row(tx: &rusqlite::Transaction<'_>, gone: i64, keep: i64) -> Result<()> {
    for table in [
        "reading_list_items",
        "embeddings",
        "alert_matches",
        "ratings",
        "seen",
        "paper_ids",
    ] {
        tx.prepare_cached(&format!(
            "UPDATE OR IGNORE {table} SET paper_id = ?2 WHERE paper_id = ?1"
        ))?
        .execute(params![gone, keep])?;
    }
    tx.prepare_cached("DELETE FROM papers WHERE id = ?1")?
        .execute([gone])?;
    Ok(())
}

fn fresh(clean: &CleanInput) -> Paper {
    let new = &clean.paper;
    let mut sources: Vec<Source> = new.sources.clone();
    sources.sort();
    sources.dedup();
    Paper {
        key: new.key.clone(),
        arxiv_id: new.arxiv.as_ref().map(|a| a.id().to_string()),
        arxiv_version: new.arxiv.as_ref().and_then(|a| a.version()),
        title: new.title.clone(),
        abstract_text: new.abstract_text.clone(),
        authors: new.authors.clone(),
        author_count: new.author_count.max(new.authors.len() as u32),
        published: new.published.clone(),
        updated: new.updated.clone(),
        categories: new.categories.clone(),
        sources,
        upvotes: new.upvotes,
        links: new.links.clone(),
        ai_summary: new.ai_summary.clone(),
        ai_keywords: new.ai_keywords.clone(),
        github_stars: new.github_stars,
        num_comments: new.num_comments,
        hf_date: new.hf_date.clone(),
        doi: new.doi.as_ref().map(Doi::to_string),
        journal: new.journal.clone(),
        openreview_id: new.openreview_id.clone(),
        math: clean.math.clone(),
        first_seen: None,
        original: clean.original.clone(),
    }
}

/// The rows that hold an input's paper under its key, arXiv id or one of its other
/// ids, oldest first.
fn rows_of(
    tx: &rusqlite::Transaction<'_>,
    new: &PaperInput,
    ids: &[(&'static str, String)],
) -> Result<Vec<i64>> {
    let arxiv = new.arxiv.as_ref().map(|a| a.id().to_string());
    let mut rows: Vec<i64> = tx
        .prepare_cached(
            "SELECT id FROM papers WHERE key = ?1 OR (?2 IS NOT NULL AND arxiv_id = ?2)",
        )?
        .query_map(params![new.key, arxiv], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut by_id =
        tx.prepare_cached("SELECT paper_id FROM paper_ids WHERE scheme = ?1 AND value = ?2")?;
    for (scheme, value) in ids {
        if let Some(id) = by_id
            .query_row(params![scheme, value], |r| r.get::<_, i64>(0))
            .optional()?
        {
            rows.push(id);
        }
    }
    rows.sort_unstable();
    rows.dedup();
    Ok(rows)
}

fn to_json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).expect("plain data serializes")
}

impl Store {
    /// Inserts new papers and merges known ones, all in one transaction. Running the
    /// same input twice changes nothing the second time.
    pub fn upsert_papers(&mut self, papers: &[PaperInput]) -> Result<UpsertReport> {
        let mut report = UpsertReport::default();
        let tx = self.conn.transaction()?;
        {
            let mut read = tx.prepare_cached(&format!(
                "SELECT {PAPER_COLUMNS} FROM papers p WHERE p.id = ?1"
            ))?;
            let mut add_id = tx.prepare_cached(
                "INSERT OR IGNORE INTO paper_ids (scheme, value, paper_id) VALUES (?1, ?2, ?3)",
            )?;
            let mut insert = tx.prepare_cached(
                "INSERT INTO papers (key, arxiv_id, arxiv_version, title, abstract, authors, \
                 author_count, published, updated, categories, sources, upvotes, links, content_hash, \
                 ai_summary, ai_keywords, github_stars, num_comments, hf_date, \
                 title_tex, abstract_tex, authors_tex, math, doi, journal, openreview_id) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, \
                 ?20, ?21, ?22, ?23, ?24, ?25, ?26)",
            )?;
            let mut update = tx.prepare_cached(
                "UPDATE papers SET arxiv_id = ?2, arxiv_version = ?3, title = ?4, abstract = ?5, \
                 authors = ?6, author_count = ?7, published = ?8, updated = ?9, categories = ?10, \
                 sources = ?11, upvotes = ?12, links = ?13, content_hash = ?14, \
                 ai_summary = ?15, ai_keywords = ?16, github_stars = ?17, num_comments = ?18, hf_date = ?19, \
                 title_tex = ?20, abstract_tex = ?21, authors_tex = ?22, math = ?23, \
                 doi = ?24, journal = ?25, openreview_id = ?26, \
                 modified_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?1",
            )?;
            for raw in papers {
                let clean = clean_input(raw);
                let new = &clean.paper;
                let ids = identities(new);
                let rows = rows_of(&tx, new, &ids)?;
                let (row_id, merged, text_changed) = match rows.split_first() {
                    None => (None, fresh(&clean), true),
                    Some((&keep, others)) => {
                        let (_, old) = read.query_row([keep], paper_from_row)?;
                        // Rows that each held this paper under one of its ids become one.
                        let mut held = old.clone();
                        for &gone in others {
                            if let Some((_, other)) =
                                read.query_row([gone], paper_from_row).optional()?
                            {
                                held = merge(&held, &as_input(&other));
                                fold_row(&tx, gone, keep)?;
                                report.merged_away.push(gone);
                            }
                        }
                        let m = merge(&held, &clean);
                        if m == old {
                            report.unchanged += 1;
                            for (scheme, value) in &ids {
                                add_id.execute(params![scheme, value, keep])?;
                            }
                            continue;
                        }
                        let changed = m.title != old.title || m.abstract_text != old.abstract_text;
                        (Some(keep), m, changed)
                    }
                };
                let hash = content_hash(&embedding_text(&merged.title, &merged.abstract_text));
                let original_authors = merged.original.authors.as_ref().map(to_json);
                let math = (!merged.math.is_empty()).then(|| to_json(&merged.math));
                let values = params![
                    merged.arxiv_id,
                    merged.arxiv_version,
                    merged.title,
                    merged.abstract_text,
                    to_json(&merged.authors),
                    merged.author_count,
                    merged.published,
                    merged.updated,
                    to_json(&merged.categories),
                    to_json(&merged.sources),
                    merged.upvotes,
                    to_json(&merged.links),
                    hash,
                    merged.ai_summary,
                    to_json(&merged.ai_keywords),
                    merged.github_stars,
                    merged.num_comments,
                    merged.hf_date,
                    merged.original.title,
                    merged.original.abstract_text,
                    original_authors,
                    math,
                    merged.doi,
                    merged.journal,
                    merged.openreview_id,
                ];
                match row_id {
                    None => {
                        let mut all: Vec<&dyn rusqlite::ToSql> = vec![&merged.key];
                        all.extend_from_slice(values);
                        insert.execute(all.as_slice())?;
                        let id = tx.last_insert_rowid();
                        for (scheme, value) in &ids {
                            add_id.execute(params![scheme, value, id])?;
                        }
                        report.inserted.push(id);
                    }
                    Some(id) => {
                        let mut all: Vec<&dyn rusqlite::ToSql> = vec![&id];
                        all.extend_from_slice(values);
                        update.execute(all.as_slice())?;
                        for (scheme, value) in &ids {
                            add_id.execute(params![scheme, value, id])?;
                        }
                        report.updated.push(id);
                        if text_changed {
                            report.text_changed.push(id);
                        }
                    }
                }
            }
        }
        tx.commit()?;
        Ok(report)
    }

    /// One paper by its key, arXiv id or DOI.
    pub fn paper(&self, key: &str) -> Result<Option<(i64, Paper)>> {
        let Some(id) = self.paper_id(key)? else {
            return Ok(None);
        };
        let sql = format!("SELECT {PAPER_COLUMNS} FROM papers p WHERE p.id = ?1");
        Ok(self.conn.query_row(&sql, [id], paper_from_row).optional()?)
    }

    /// A paper's row id by key, arXiv id or DOI, without reading the paper.
    pub fn paper_id(&self, key: &str) -> Result<Option<i64>> {
        let doi = Doi::parse(key).map(|d| d.to_string());
        Ok(self
            .conn
            .prepare_cached(
                "SELECT id FROM papers WHERE key = ?1 OR arxiv_id = ?1 \
                 UNION ALL SELECT paper_id FROM paper_ids WHERE scheme = 'doi' AND value = ?2 \
                 LIMIT 1",
            )?
            .query_row(params![key, doi], |r| r.get(0))
            .optional()?)
    }

    /// Papers by row id, in the order asked; ids not found are skipped.
    pub fn papers_by_ids(&self, ids: &[i64]) -> Result<Vec<(i64, Paper)>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut found = std::collections::HashMap::with_capacity(ids.len());
        for chunk in ids.chunks(500) {
            let marks = vec!["?"; chunk.len()].join(",");
            let sql = format!("SELECT {PAPER_COLUMNS} FROM papers p WHERE p.id IN ({marks})");
            let mut stmt = self.conn.prepare(&sql)?;
            let rows = stmt.query_map(params_from_iter(chunk), paper_from_row)?;
            for row in rows {
                let (id, p) = row?;
                found.insert(id, p);
            }
        }
        Ok(ids
            .iter()
            .filter_map(|id| found.remove(id).map(|p| (*id, p)))
            .collect())
    }

    /// Papers as the keyword index holds them (title, abstract and authors as the FTS5
    /// triggers index them, and the fields filters read). `Page` reads them all, a page
    /// at a time.
    pub fn keyword_docs(&self, which: KeywordDocs<'_>) -> Result<Vec<KeywordDoc>> {
        const SELECT: &str =
            "SELECT id, title, abstract, authors, categories, sources, published FROM papers";
        let row = |r: &Row| -> rusqlite::Result<KeywordDoc> {
            Ok(KeywordDoc {
                id: r.get(0)?,
                title: r.get(1)?,
                abstract_text: r.get(2)?,
                authors: json(r.get(3)?),
                categories: json(r.get(4)?),
                sources: json(r.get(5)?),
                published: r.get(6)?,
            })
        };
        match which {
            KeywordDocs::Page { after, limit } => Ok(self
                .conn
                .prepare_cached(&format!("{SELECT} WHERE id > ? ORDER BY id LIMIT ?"))?
                .query_map(params![after, limit as i64], row)?
                .collect::<rusqlite::Result<_>>()?),
            KeywordDocs::Ids(ids) => {
                let mut stmt = self
                    .conn
                    .prepare_cached(&format!("{SELECT} WHERE id = ?"))?;
                let mut out = Vec::with_capacity(ids.len());
                for id in ids {
                    if let Some(d) = stmt.query_row([id], row).optional()? {
                        out.push(d);
                    }
                }
                Ok(out)
            }
        }
    }

    /// The keyword log's newest entry (`keyword_log`): the keyword index is current
    /// when it holds everything up to this.
    pub fn keyword_log_head(&self) -> Result<i64> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'keyword_log'), 0)",
            )?
            .query_row([], |r| r.get(0))?)
    }

    /// Papers changed after log entry `after`, at most `limit` entries' worth: their
    /// distinct ids and the last entry read (`after` when there are none).
    pub fn keyword_changes(&self, after: i64, limit: usize) -> Result<(Vec<i64>, i64)> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT seq, paper_id FROM keyword_log WHERE seq > ? ORDER BY seq LIMIT ?",
        )?;
        let rows = stmt
            .query_map(params![after, limit as i64], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let last = rows.last().map_or(after, |r| r.0);
        let mut seen = HashSet::new();
        let ids = rows
            .into_iter()
            .filter_map(|(_, id)| seen.insert(id).then_some(id))
            .collect();
        Ok((ids, last))
    }

    /// Drops the log entries the keyword index holds (up to `upto`).
    pub fn trim_keyword_log(&self, upto: i64) -> Result<()> {
        self.conn
            .prepare_cached("DELETE FROM keyword_log WHERE seq <= ?")?
            .execute([upto])?;
        Ok(())
    }

    /// Number of papers in the library.
    pub fn paper_count(&self) -> Result<usize> {
        let n: i64 = self
            .conn
            .query_row("SELECT count(*) FROM papers", [], |r| r.get(0))?;
        Ok(n as usize)
    }

    /// Papers of a period (`from..=to`, `YYYY-MM-DD`, by their Daily Papers day, else
    /// their publication date): most upvoted first, or newest first.
    pub fn feed(&self, from: &str, to: &str, by_upvotes: bool, limit: usize) -> Result<Vec<Paper>> {
        Ok(self
            .feed_rows(from, to, by_upvotes, limit)?
            .into_iter()
            .map(|(_, p)| p)
            .collect())
    }

    /// [`Store::feed`] with each paper's row id.
    pub fn feed_rows(
        &self,
        from: &str,
        to: &str,
        by_upvotes: bool,
        limit: usize,
    ) -> Result<Vec<(i64, Paper)>> {
        let order = if by_upvotes {
            "coalesce(p.upvotes, -1) DESC, day DESC, p.id DESC"
        } else {
            "day DESC, coalesce(p.upvotes, -1) DESC, p.id DESC"
        };
        let sql = format!(
            "SELECT {PAPER_COLUMNS}, substr(coalesce(p.hf_date, p.published), 1, 10) AS day \
             FROM papers p WHERE day BETWEEN ?1 AND ?2 ORDER BY {order} LIMIT ?3"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(params![from, to, limit as i64], paper_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The newest feed day on or before `day` that has papers.
    pub fn latest_day(&self, day: &str) -> Result<Option<String>> {
        Ok(self.conn.query_row(
            "SELECT max(substr(coalesce(hf_date, published), 1, 10)) FROM papers \
             WHERE substr(coalesce(hf_date, published), 1, 10) <= ?",
            [day],
            |r| r.get(0),
        )?)
    }

    /// Row ids of the papers a filter lets through.
    pub fn filtered_ids(&self, filter: &Filter) -> Result<Vec<i64>> {
        let (cond, args) = filter.to_sql();
        let mut stmt = self
            .conn
            .prepare(&format!("SELECT p.id FROM papers p WHERE {cond}"))?;
        let ids = stmt
            .query_map(params_from_iter(args.iter()), |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<i64>>>()?;
        Ok(ids)
    }

    /// Titles holding these words (the last one as a prefix when `typing`), newest
    /// first: `(key, title)`. For as-you-type suggestions (ranking every match by BM25
    /// costs 5-10× as much at 75k papers, and all of them match what was typed).
    pub fn titles_matching(
        &self,
        words: &[String],
        typing: bool,
        k: usize,
    ) -> Result<Vec<(String, String)>> {
        let Some((last, rest)) = words.split_last() else {
            return Ok(Vec::new());
        };
        // Folded words are letters and digits only: quoting keeps FTS5 syntax out.
        let mut terms: Vec<String> = rest.iter().map(|w| format!("\"{w}\"")).collect();
        terms.push(if typing {
            format!("\"{last}\" *")
        } else {
            format!("\"{last}\"")
        });
        let mut stmt = self.conn.prepare_cached(
            "SELECT p.key, p.title FROM papers p WHERE p.id IN \
             (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ? ORDER BY rowid DESC LIMIT ?) \
             ORDER BY p.id DESC",
        )?;
        let rows = stmt
            .query_map(
                params![format!("{{title}} : {}", terms.join(" AND ")), k as i64],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?
            .collect::<rusqlite::Result<Vec<(String, String)>>>()?;
        Ok(rows)
    }

    /// The author names of up to `limit` papers with an author word starting with
    /// `prefix` (a folded word), newest papers first.
    pub fn authors_matching(&self, prefix: &str, limit: usize) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT p.authors FROM papers p WHERE p.id IN \
             (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ? ORDER BY rowid DESC LIMIT ?)",
        )?;
        let mut names = Vec::new();
        let rows = stmt.query_map(
            params![format!("{{authors}} : \"{prefix}\" *"), limit as i64],
            |r| r.get::<_, String>(0),
        )?;
        for authors in rows {
            names.extend(json::<Vec<String>>(authors?));
        }
        Ok(names)
    }

    /// Every category in the library with its number of papers (cached until the
    /// database changes).
    pub fn category_counts(&mut self) -> Result<Vec<(String, usize)>> {
        let changes: i64 = self
            .conn
            .query_row("SELECT total_changes()", [], |r| r.get(0))?;
        if let Some((at, cats)) = &self.categories {
            if *at == changes {
                return Ok(cats.clone());
            }
        }
        let cats = self
            .conn
            .prepare(
                "SELECT c.value, count(*) FROM papers p, json_each(p.categories) c \
                 GROUP BY c.value",
            )?
            .query_map([], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as usize))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        self.categories = Some((changes, cats.clone()));
        Ok(cats)
    }

    /// The newest `k` papers a filter allows (by publication date, then newest stored).
    pub fn newest_ids(&self, filter: &Filter, k: usize) -> Result<Vec<i64>> {
        let (cond, mut args) = filter.to_sql();
        args.push(k.to_string());
        let mut stmt = self.conn.prepare(&format!(
            "SELECT p.id FROM papers p WHERE {cond} \
             ORDER BY p.published IS NULL, p.published DESC, p.id DESC LIMIT CAST(? AS INTEGER)"
        ))?;
        let ids = stmt
            .query_map(params_from_iter(args.iter()), |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<i64>>>()?;
        Ok(ids)
    }

    /// BM25 top-k for an FTS5 match expression (build it with `rank::keyword`).
    /// Returns `(row id, score)` with higher scores better.
    pub fn keyword_search(
        &self,
        fts_query: &str,
        k: usize,
        filter: &Filter,
    ) -> Result<Vec<(i64, f64)>> {
        let (cond, args) = filter.to_sql();
        // bm25() is lower-is-better; title hits weigh double. Without a filter the papers
        // table is not joined and the order is bm25() itself: at 75k papers that halves
        // the time (docs/benchmarks.md).
        let sql = if args.is_empty() {
            "SELECT rowid, -bm25(papers_fts, 2.0, 1.0, 0.5) FROM papers_fts \
             WHERE papers_fts MATCH ? ORDER BY bm25(papers_fts, 2.0, 1.0, 0.5) LIMIT ?"
                .to_string()
        } else {
            format!(
                "SELECT f.rowid, -bm25(papers_fts, 2.0, 1.0, 0.5) AS s FROM papers_fts f \
                 JOIN papers p ON p.id = f.rowid \
                 WHERE papers_fts MATCH ? AND {cond} ORDER BY s DESC LIMIT ?"
            )
        };
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut all: Vec<Box<dyn rusqlite::ToSql>> = vec![Box::new(fts_query.to_string())];
        for a in args {
            all.push(Box::new(a));
        }
        all.push(Box::new(k as i64));
        let hits = stmt
            .query_map(params_from_iter(all.iter()), |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<Vec<(i64, f64)>>>()?;
        Ok(hits)
    }
}

impl Store {
    /// Cleans the library again from the stored originals when an older cleaner (or
    /// none, before the upgrade that brought cleaning) cleaned it: once per cleaner
    /// version, in one transaction. Changed papers are embedded again in the background;
    /// until then their old vectors serve. Returns the number of papers whose text
    /// changed.
    pub fn reclean(&mut self) -> Result<usize> {
        const PAGE: i64 = 2_000;
        const KEY: &str = "tex.cleaner_version";
        let version = tex::CLEANER_VERSION;
        let done: i64 = self.setting(KEY)?.and_then(|v| v.parse().ok()).unwrap_or(0);
        if done >= version {
            return Ok(0);
        }
        let tx = self.conn.transaction()?;
        let mut changed = 0;
        {
            let mut read = tx.prepare(
                "SELECT id, coalesce(title_tex, title), coalesce(abstract_tex, abstract), \
                 coalesce(authors_tex, authors), title, abstract, authors, math FROM papers \
                 WHERE id > ?1 ORDER BY id LIMIT ?2",
            )?;
            let mut write = tx.prepare(
                "UPDATE papers SET title = ?2, abstract = ?3, authors = ?4, title_tex = ?5, \
                 abstract_tex = ?6, authors_tex = ?7, math = ?8, content_hash = ?9 WHERE id = ?1",
            )?;
            let mut after = 0i64;
            loop {
                type Row = (
                    i64,
                    String,
                    String,
                    String,
                    String,
                    String,
                    String,
                    Option<String>,
                );
                let page: Vec<Row> = read
                    .query_map(params![after, PAGE], |r| {
                        Ok((
                            r.get(0)?,
                            r.get(1)?,
                            r.get(2)?,
                            r.get(3)?,
                            r.get(4)?,
                            r.get(5)?,
                            r.get(6)?,
                            r.get(7)?,
                        ))
                    })?
                    .collect::<rusqlite::Result<_>>()?;
                let Some(last) = page.last() else { break };
                after = last.0;
                for (id, title, abs, authors, cur_title, cur_abs, cur_authors, cur_math) in page {
                    let clean = clean_input(&PaperInput {
                        title,
                        abstract_text: abs,
                        authors: json(authors),
                        ..Default::default()
                    });
                    let p = &clean.paper;
                    let authors = to_json(&p.authors);
                    let math = (!clean.math.is_empty()).then(|| to_json(&clean.math));
                    if p.title == cur_title
                        && p.abstract_text == cur_abs
                        && authors == cur_authors
                        && math == cur_math
                    {
                        continue;
                    }
                    write.execute(params![
                        id,
                        p.title,
                        p.abstract_text,
                        authors,
                        clean.original.title,
                        clean.original.abstract_text,
                        clean.original.authors.as_ref().map(to_json),
                        math,
                        content_hash(&embedding_text(&p.title, &p.abstract_text)),
                    ])?;
                    changed += 1;
                }
            }
        }
        super::settings::put_setting(&tx, KEY, &version.to_string())?;
        tx.commit()?;
        if changed > 0 {
            log::info!("cleaned the TeX of {changed} papers (cleaner version {version})");
        }
        Ok(changed)
    }
}

//! Alert rules (a reading list or a saved search, with a threshold) and their matches.

use super::papers::{paper_from_row_offset, PAPER_COLUMNS};
use super::Store;
use crate::model::Paper;
use crate::{Error, Result};
use rusqlite::{params, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

/// An alert rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct AlertRule {
    /// Row id.
    pub id: i64,
    /// `list` or `search`.
    pub kind: String,
    /// The list, for `list` rules.
    pub list_id: Option<i64>,
    /// The query, for `search` rules.
    pub query: Option<String>,
    /// What the user sees ("Efficient attention").
    pub name: String,
    /// Similarity a new paper needs to match.
    pub threshold: f32,
    /// Alerts on.
    pub enabled: bool,
}

/// A paper that matched a rule.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct AlertMatch {
    /// The rule.
    pub rule_id: i64,
    /// Its name.
    pub rule_name: String,
    /// The paper.
    pub paper: Paper,
    /// Its similarity.
    pub score: f32,
    /// When it matched (UTC).
    pub matched_at: String,
    /// The user has seen it.
    pub seen: bool,
}

fn rule_from_row(r: &Row<'_>) -> rusqlite::Result<AlertRule> {
    Ok(AlertRule {
        id: r.get(0)?,
        kind: r.get(1)?,
        list_id: r.get(2)?,
        query: r.get(3)?,
        name: r.get(4)?,
        threshold: r.get::<_, f64>(5)? as f32,
        enabled: r.get(6)?,
    })
}

const RULE_COLUMNS: &str = "a.id, a.kind, a.list_id, a.query, \
     coalesce(a.name, l.name, a.query, 'alert'), a.threshold, a.enabled";

impl Store {
    /// All rules, lists first, by name.
    pub fn alert_rules(&self) -> Result<Vec<AlertRule>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {RULE_COLUMNS} FROM alert_rules a LEFT JOIN reading_lists l ON l.id = a.list_id \
             ORDER BY a.kind, 5 COLLATE NOCASE"
        ))?;
        let rules = stmt.query_map([], rule_from_row)?;
        Ok(rules.collect::<rusqlite::Result<_>>()?)
    }

    /// One rule.
    pub fn alert_rule(&self, id: i64) -> Result<Option<AlertRule>> {
        Ok(self
            .conn
            .query_row(
                &format!(
                    "SELECT {RULE_COLUMNS} FROM alert_rules a \
                     LEFT JOIN reading_lists l ON l.id = a.list_id WHERE a.id = ?"
                ),
                [id],
                rule_from_row,
            )
            .optional()?)
    }

    /// Turns alerts on for a list (one rule per list; an existing one is updated).
    pub fn set_list_alert(&self, list_id: i64, threshold: f32, enabled: bool) -> Result<i64> {
        if self.list(list_id)?.is_none() {
            return Err(Error::Invalid(format!("there is no list {list_id}")));
        }
        self.conn.execute(
            "INSERT INTO alert_rules (kind, list_id, threshold, enabled, created_at) \
             VALUES ('list', ?1, ?2, ?3, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')) \
             ON CONFLICT(list_id) WHERE kind = 'list' DO UPDATE SET threshold = excluded.threshold, \
               enabled = excluded.enabled",
            params![list_id, f64::from(threshold), enabled],
        )?;
        Ok(self.conn.query_row(
            "SELECT id FROM alert_rules WHERE kind = 'list' AND list_id = ?",
            [list_id],
            |r| r.get(0),
        )?)
    }

    /// Saves a search with alerts.
    pub fn add_search_alert(&self, name: &str, query: &str, threshold: f32) -> Result<i64> {
        let query = query.trim();
        if query.is_empty() {
            return Err(Error::Invalid("a saved search needs a query".into()));
        }
        let name = if name.trim().is_empty() {
            query
        } else {
            name.trim()
        };
        self.conn.execute(
            "INSERT INTO alert_rules (kind, query, name, threshold, enabled, created_at) \
             VALUES ('search', ?1, ?2, ?3, 1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
            params![query, name, f64::from(threshold)],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Changes a rule's threshold and on/off state.
    pub fn update_alert_rule(&self, id: i64, threshold: f32, enabled: bool) -> Result<()> {
        let n = self.conn.execute(
            "UPDATE alert_rules SET threshold = ?2, enabled = ?3 WHERE id = ?1",
            params![id, f64::from(threshold), enabled],
        )?;
        if n == 0 {
            return Err(Error::Invalid(format!("there is no alert {id}")));
        }
        Ok(())
    }

    /// Deletes a rule and its matches.
    pub fn delete_alert_rule(&self, id: i64) -> Result<bool> {
        Ok(self
            .conn
            .execute("DELETE FROM alert_rules WHERE id = ?", [id])?
            > 0)
    }

    /// Stores matches; a paper matches a rule at most once. Returns those that are new.
    pub fn record_matches(&mut self, matches: &[(i64, i64, f32)]) -> Result<Vec<(i64, i64, f32)>> {
        let tx = self.conn.transaction()?;
        let mut fresh = Vec::new();
        {
            let mut stmt = tx.prepare(
                "INSERT OR IGNORE INTO alert_matches (rule_id, paper_id, score) VALUES (?1, ?2, ?3)",
            )?;
            for &(rule, paper, score) in matches {
                if stmt.execute(params![rule, paper, f64::from(score)])? > 0 {
                    fresh.push((rule, paper, score));
                }
            }
        }
        tx.commit()?;
        Ok(fresh)
    }

    /// Matches, unseen first, newest first, at most `limit`.
    pub fn alert_matches(&self, limit: usize) -> Result<Vec<AlertMatch>> {
        let sql = format!(
            "SELECT m.rule_id, coalesce(a.name, l.name, a.query, 'alert'), m.score, m.matched_at, m.seen, \
                    {PAPER_COLUMNS} \
             FROM alert_matches m JOIN alert_rules a ON a.id = m.rule_id \
             LEFT JOIN reading_lists l ON l.id = a.list_id JOIN papers p ON p.id = m.paper_id \
             ORDER BY m.seen, m.matched_at DESC, m.score DESC LIMIT ?"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map([limit as i64], |r| {
            let rule_id: i64 = r.get(0)?;
            let rule_name: String = r.get(1)?;
            let score: f64 = r.get(2)?;
            let matched_at: String = r.get(3)?;
            let seen: bool = r.get(4)?;
            // The paper's columns follow the five above.
            let (_, paper) = paper_from_row_offset(r, 5)?;
            Ok(AlertMatch {
                rule_id,
                rule_name,
                paper,
                score: score as f32,
                matched_at,
                seen,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Marks matches as seen: of one paper, or all.
    pub fn mark_seen(&self, paper_id: Option<i64>) -> Result<usize> {
        Ok(match paper_id {
            Some(id) => self.conn.execute(
                "UPDATE alert_matches SET seen = 1 WHERE paper_id = ? AND seen = 0",
                [id],
            )?,
            None => self
                .conn
                .execute("UPDATE alert_matches SET seen = 1 WHERE seen = 0", [])?,
        })
    }

    /// Papers with unseen matches.
    pub fn unseen_count(&self) -> Result<usize> {
        let n: i64 = self.conn.query_row(
            "SELECT count(DISTINCT paper_id) FROM alert_matches WHERE seen = 0",
            [],
            |r| r.get(0),
        )?;
        Ok(n as usize)
    }

    /// The largest paper row id (0 when empty).
    pub fn max_paper_id(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT coalesce(max(id), 0) FROM papers", [], |r| r.get(0))?)
    }

    /// Row ids above `id`, ascending.
    pub fn paper_ids_after(&self, id: i64) -> Result<Vec<i64>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id FROM papers WHERE id > ? ORDER BY id")?;
        let ids = stmt
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<i64>>>()?;
        Ok(ids)
    }

    /// Row ids of papers added to the library in the last `days` days.
    pub fn papers_added_within_days(&self, days: u32) -> Result<Vec<i64>> {
        let mut stmt = self.conn.prepare(
            "SELECT id FROM papers \
             WHERE added_at >= strftime('%Y-%m-%dT%H:%M:%SZ', 'now', ?)",
        )?;
        let ids = stmt
            .query_map([format!("-{days} days")], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<i64>>>()?;
        Ok(ids)
    }
}

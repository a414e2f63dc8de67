//! The user's marks on papers. `ratings`: 👍 and 👎, each given anywhere (list 0) or
//! inside one reading list; a paper has at most one rating per place, and a new one
//! replaces it. `seen`: papers whose card stayed in view.

use super::Store;
use crate::Result;
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};

/// 👍 or 👎.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum Rating {
    /// More like this.
    Up,
    /// Not for me.
    Down,
}

impl Rating {
    fn value(self) -> i64 {
        match self {
            Rating::Up => 1,
            Rating::Down => -1,
        }
    }
}

impl std::str::FromStr for Rating {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s {
            "up" | "+" | "👍" => Ok(Rating::Up),
            "down" | "-" | "👎" => Ok(Rating::Down),
            other => Err(format!("unknown rating '{other}' (use up or down)")),
        }
    }
}

/// One stored rating.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RatingRow {
    /// Paper row id.
    pub paper_id: i64,
    /// The list it was given inside (`None`: anywhere).
    pub list_id: Option<i64>,
    /// 👍 or 👎.
    pub rating: Rating,
    /// When (`YYYY-MM-DDTHH:MM:SSZ`).
    pub rated_at: String,
}

impl Store {
    /// Rates a paper (inside `list`, or anywhere), or clears that rating with `None`.
    pub fn set_rating(
        &self,
        paper_id: i64,
        list: Option<i64>,
        rating: Option<Rating>,
    ) -> Result<()> {
        let list_id = list.unwrap_or(0);
        match rating {
            Some(r) => self.conn.execute(
                "INSERT INTO ratings (paper_id, list_id, value) VALUES (?1, ?2, ?3) \
                 ON CONFLICT(paper_id, list_id) DO UPDATE SET value = excluded.value, \
                 rated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
                params![paper_id, list_id, r.value()],
            )?,
            None => self.conn.execute(
                "DELETE FROM ratings WHERE paper_id = ?1 AND list_id = ?2",
                params![paper_id, list_id],
            )?,
        };
        Ok(())
    }

    /// Restores a rating as exported, keeping its time.
    pub fn put_rating(&self, row: &RatingRow) -> Result<()> {
        self.conn.execute(
            "INSERT INTO ratings (paper_id, list_id, value, rated_at) VALUES (?1, ?2, ?3, ?4) \
             ON CONFLICT(paper_id, list_id) DO UPDATE SET value = excluded.value, \
             rated_at = excluded.rated_at",
            params![
                row.paper_id,
                row.list_id.unwrap_or(0),
                row.rating.value(),
                row.rated_at
            ],
        )?;
        Ok(())
    }

    /// Every rating, newest first.
    pub fn ratings(&self) -> Result<Vec<RatingRow>> {
        let mut stmt = self.conn.prepare(
            "SELECT paper_id, list_id, value, rated_at FROM ratings \
             ORDER BY rated_at DESC, paper_id",
        )?;
        let rows = stmt.query_map([], |r| {
            let list: i64 = r.get(1)?;
            let value: i64 = r.get(2)?;
            Ok(RatingRow {
                paper_id: r.get(0)?,
                list_id: (list != 0).then_some(list),
                rating: if value > 0 { Rating::Up } else { Rating::Down },
                rated_at: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// What a ranker learns from: the 👍 papers that count for `list` (given inside it;
    /// for `None`, For you, every 👍) and every 👎 paper.
    pub fn rated_ids(&self, list: Option<i64>) -> Result<(Vec<i64>, Vec<i64>)> {
        let mut stmt = self.conn.prepare(
            "SELECT DISTINCT paper_id FROM ratings WHERE value = ?1 \
             AND (?2 IS NULL OR list_id = ?2) ORDER BY paper_id",
        )?;
        let ups = stmt
            .query_map(params![1, list], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<i64>>>()?;
        let mut downs = stmt
            .query_map(params![-1, Option::<i64>::None], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<i64>>>()?;
        downs.retain(|d| !ups.contains(d));
        Ok((ups, downs))
    }

    /// Clears the ratings given inside `list`, or with `None` every rating given anywhere
    /// (For you's "Reset"). Returns how many were removed.
    pub fn reset_ratings(&self, list: Option<i64>) -> Result<usize> {
        Ok(self
            .conn
            .execute("DELETE FROM ratings WHERE list_id = ?", [list.unwrap_or(0)])?)
    }

    /// The rating each of `ids` shows inside `list` (its rating there, else the one given
    /// anywhere), or anywhere with `None`.
    pub fn ratings_of(
        &self,
        ids: &[i64],
        list: Option<i64>,
    ) -> Result<std::collections::HashMap<i64, Rating>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT value FROM ratings WHERE paper_id = ?1 AND list_id IN (0, ?2) \
             ORDER BY list_id DESC LIMIT 1",
        )?;
        let mut out = std::collections::HashMap::new();
        for id in ids {
            let v: Option<i64> = stmt
                .query_row(params![id, list.unwrap_or(0)], |r| r.get(0))
                .optional()?;
            if let Some(v) = v {
                out.insert(*id, if v > 0 { Rating::Up } else { Rating::Down });
            }
        }
        Ok(out)
    }

    /// Marks papers seen (once; the first time is kept). Returns how many were new.
    pub fn mark_papers_seen(&mut self, ids: &[i64]) -> Result<usize> {
        let tx = self.conn.transaction()?;
        let mut n = 0;
        {
            let mut stmt = tx.prepare("INSERT OR IGNORE INTO seen (paper_id) VALUES (?1)")?;
            for id in ids {
                n += stmt.execute([id])?;
            }
        }
        tx.commit()?;
        Ok(n)
    }

    /// Which of `ids` the user has seen.
    pub fn seen_among(&self, ids: &[i64]) -> Result<std::collections::HashSet<i64>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT 1 FROM seen WHERE paper_id = ?1")?;
        let mut out = std::collections::HashSet::new();
        for id in ids {
            if stmt.exists([id])? {
                out.insert(*id);
            }
        }
        Ok(out)
    }
}

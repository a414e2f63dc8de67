//! What a search is restricted to: dates, a category, a source, a reading list, and the
//! constraints a typed query puts on every result. Its SQL is the store's
//! (`store/filter_sql.rs`).

use super::Expr;
use serde::{Deserialize, Serialize};

/// Restricts a search to part of the library. Empty fields do not restrict.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase", default)]
pub struct Filter {
    /// Published on or after this date (`YYYY-MM-DD`).
    #[ts(optional)]
    pub from: Option<String>,
    /// Published on or before this date (`YYYY-MM-DD`).
    #[ts(optional)]
    pub to: Option<String>,
    /// Has this arXiv category (e.g. `cs.CL`).
    #[ts(optional)]
    pub category: Option<String>,
    /// Reported by this source (`hf`, `arxiv`, `biorxiv`, `medrxiv`, `openreview`,
    /// `feed`, `crossref`, `seed`, `corpus`).
    #[ts(optional)]
    pub source: Option<String>,
    /// In this reading list.
    #[ts(optional)]
    pub list: Option<i64>,
    /// What a typed query requires of every result (its phrases, fields, exclusions and
    /// prefixes: `query`). Set by the search from the query, never sent by the UI.
    #[serde(skip)]
    pub query: Option<Expr>,
}

impl Filter {
    /// True when the filter lets everything through.
    pub fn is_empty(&self) -> bool {
        self.from.is_none()
            && self.to.is_none()
            && self.category.is_none()
            && self.source.is_none()
            && self.list.is_none()
            && self.query.is_none()
    }
}

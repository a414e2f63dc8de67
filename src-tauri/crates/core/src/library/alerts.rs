//! Alert rules, their matches, and the live preview of a threshold.

use super::lists::learned_from;
use super::*;
use crate::locks::RwLockAny;

impl Library {
    /// The alert rules.
    pub fn alert_rules(&self) -> Result<Vec<crate::store::AlertRule>> {
        self.store().alert_rules()
    }

    /// Turns alerts on (or off) for a list, with a threshold.
    pub fn set_list_alert(&self, list_id: i64, threshold: f32, enabled: bool) -> Result<i64> {
        let id = self.store().set_list_alert(list_id, threshold, enabled)?;
        self.start_alert_cursor()?;
        Ok(id)
    }

    /// Saves a search with alerts.
    pub fn add_search_alert(&self, name: &str, query: &str, threshold: f32) -> Result<i64> {
        let id = self.store().add_search_alert(name, query, threshold)?;
        self.start_alert_cursor()?;
        Ok(id)
    }

    /// Changes a rule.
    pub fn update_alert_rule(&self, id: i64, threshold: f32, enabled: bool) -> Result<()> {
        self.store().update_alert_rule(id, threshold, enabled)
    }

    /// Deletes a rule.
    pub fn delete_alert_rule(&self, id: i64) -> Result<bool> {
        self.store().delete_alert_rule(id)
    }

    /// Past matches, unseen first.
    pub fn alert_matches(&self, limit: usize) -> Result<Vec<crate::store::AlertMatch>> {
        self.store().alert_matches(limit)
    }

    /// Marks one paper's matches (by key) or all as seen.
    pub fn mark_seen(&self, paper_key: Option<&str>) -> Result<usize> {
        let store = self.store();
        let id =
            match paper_key {
                Some(k) => Some(store.paper_id(k)?.ok_or_else(|| {
                    Error::Invalid(format!("there is no paper {k} in the library"))
                })?),
                None => None,
            };
        store.mark_seen(id)
    }

    /// Papers with unseen matches.
    pub fn unseen_count(&self) -> Result<usize> {
        self.store().unseen_count()
    }

    const ALERT_CURSOR: &'static str = "alerts.evaluated_up_to";

    /// Alerts consider papers added after the first rule exists, not the whole library.
    fn start_alert_cursor(&self) -> Result<()> {
        let store = self.store();
        if store.setting(Self::ALERT_CURSOR)?.is_none() {
            let max: i64 = store.max_paper_id()?;
            store.set_setting(Self::ALERT_CURSOR, &max.to_string())?;
        }
        Ok(())
    }

    /// The papers of `among` that stand at the rule's threshold or above, with their
    /// standing, best first. A paper's standing is the share of the library's papers
    /// (with a vector, outside the list) it ranks above for the rule: a list ranks with
    /// its recommender (its papers and 👍 against the rest and every 👎); a saved search
    /// by similarity to its free words, less near a 👎 paper, among the papers its
    /// constraints (phrases, fields, exclusions) admit.
    fn standings(
        &self,
        rule: &crate::store::AlertRule,
        among: &HashSet<i64>,
    ) -> Result<Vec<(i64, f32)>> {
        let ranked: Vec<(i64, f32)>;
        let n: usize;
        match (rule.kind.as_str(), rule.list_id, &rule.query) {
            ("list", Some(list), _) => {
                let (positives, dismissed) = learned_from(&self.store(), Some(list))?;
                if positives.is_empty() {
                    return Ok(Vec::new());
                }
                (ranked, n) = self.with_terms(|terms| {
                    let index = self.index.read_any();
                    let skip: HashSet<i64> = positives.iter().chain(&dismissed).copied().collect();
                    let n = index.rows().filter(|(id, _)| !skip.contains(id)).count();
                    let k = crate::alerts::cut(n, rule.threshold);
                    let top = crate::rank::recommend::recommend(
                        &index,
                        terms,
                        &positives,
                        &HashSet::new(),
                        &dismissed,
                        crate::rank::recommend::Method::Hybrid,
                        k,
                    );
                    (top, n)
                })?;
            }
            ("search", _, Some(q)) => {
                let Some(e) = self.embedder() else {
                    return Ok(Vec::new());
                };
                let parsed = crate::query::parse(q);
                if !crate::rank::keyword::has_content_word(&parsed.text) {
                    // Only constraints: nothing to be near in meaning.
                    return Ok(Vec::new());
                }
                let admitted = match parsed.constraint {
                    Some(c) => {
                        let filter = crate::query::Filter {
                            query: Some(c),
                            ..Default::default()
                        };
                        Some(self.admitted(&filter, None)?)
                    }
                    None => None,
                };
                let query = e.embed_query(&parsed.text)?;
                let (_, dismissed) = self.store().rated_ids(None)?;
                let index = self.index.read_any();
                let papers: Vec<(i64, &[f32])> = index
                    .rows()
                    .filter(|(id, _)| admitted.as_ref().is_none_or(|a| a.contains(id)))
                    .filter(|(id, _)| dismissed.binary_search(id).is_err())
                    .collect();
                let dis: Vec<&[f32]> = dismissed.iter().filter_map(|d| index.get(*d)).collect();
                n = papers.len();
                let scores = crate::alerts::search_scores(&papers, &query, &dis);
                ranked =
                    crate::rank::recommend::top_k(scores, crate::alerts::cut(n, rule.threshold));
            }
            _ => return Ok(Vec::new()),
        }
        Ok(ranked
            .into_iter()
            .enumerate()
            .filter(|(_, (id, _))| among.contains(id))
            .map(|(r, (id, _))| (id, crate::alerts::standing(r, n)))
            .collect())
    }

    /// Scores the papers added since the last evaluation against every enabled rule,
    /// records the matches (once per rule and paper) and returns the new ones per rule.
    /// Papers still waiting for a vector are left for the next evaluation.
    pub fn evaluate_alerts(&self) -> Result<Vec<crate::alerts::RuleAlert>> {
        let rules: Vec<crate::store::AlertRule> = self
            .store()
            .alert_rules()?
            .into_iter()
            .filter(|r| r.enabled)
            .collect();
        let Some(cursor) = self.store().setting(Self::ALERT_CURSOR)? else {
            return Ok(Vec::new()); // no rule was ever made
        };
        let cursor: i64 = cursor.parse().unwrap_or(0);
        let candidates = self.store().paper_ids_after(cursor)?;
        if candidates.is_empty() {
            return Ok(Vec::new());
        }
        let (with, next_cursor) = {
            let index = self.index.read_any();
            // Stop before the first paper without a vector: it is scored next time.
            let first_missing = candidates.iter().find(|id| index.get(**id).is_none());
            let next = match first_missing {
                Some(m) => m - 1,
                None => *candidates.last().unwrap_or(&cursor),
            };
            let with: HashSet<i64> = candidates
                .iter()
                .copied()
                .filter(|id| *id <= next)
                .collect();
            (with, next)
        };
        let mut matches = Vec::new();
        if !with.is_empty() {
            for rule in &rules {
                matches.extend(
                    self.standings(rule, &with)?
                        .into_iter()
                        .map(|(paper, s)| (rule.id, paper, s)),
                );
            }
        }
        let mut store = self.store();
        let fresh = store.record_matches(&matches)?;
        store.set_setting(Self::ALERT_CURSOR, &next_cursor.max(cursor).to_string())?;
        let mut out: Vec<crate::alerts::RuleAlert> = Vec::new();
        for (rule_id, paper, _) in fresh {
            match out.iter_mut().find(|a| a.rule_id == rule_id) {
                Some(a) => a.papers.push(paper),
                None => out.push(crate::alerts::RuleAlert {
                    rule_id,
                    name: rules
                        .iter()
                        .find(|r| r.id == rule_id)
                        .map(|r| r.name.clone())
                        .unwrap_or_default(),
                    papers: vec![paper],
                }),
            }
        }
        Ok(out)
    }

    /// What a rule would have matched among the papers added in the last `days` days,
    /// with each paper's standing: the live preview while the user sets a threshold.
    /// Best first.
    pub fn preview_alert(
        &self,
        list_id: Option<i64>,
        query: Option<&str>,
        threshold: f32,
        days: u32,
    ) -> Result<Vec<(Paper, f32)>> {
        let rule = crate::store::AlertRule {
            id: 0,
            kind: if list_id.is_some() { "list" } else { "search" }.into(),
            list_id,
            query: query.map(str::to_string),
            name: String::new(),
            threshold,
            enabled: true,
        };
        if list_id.is_none() && query.is_none_or(|q| q.trim().is_empty()) {
            return Err(Error::Invalid("a preview needs a list or a query".into()));
        }
        let candidates: HashSet<i64> = self
            .store()
            .papers_added_within_days(days)?
            .into_iter()
            .collect();
        let matches: Vec<(i64, i64, f32)> = self
            .standings(&rule, &candidates)?
            .into_iter()
            .map(|(paper, s)| (0, paper, s))
            .collect();
        let ids: Vec<i64> = matches.iter().map(|m| m.1).collect();
        let scores: std::collections::HashMap<i64, f32> =
            matches.iter().map(|m| (m.1, m.2)).collect();
        Ok(self
            .store()
            .papers_by_ids(&ids)?
            .into_iter()
            .map(|(id, p)| (p, scores[&id]))
            .collect())
    }
}

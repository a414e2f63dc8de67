//! Alert rules, their matches, and the live preview of a threshold.

use super::*;

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
        let id = match paper_key {
            Some(k) => Some(
                store
                    .paper(k)?
                    .ok_or_else(|| Error::Invalid(format!("there is no paper {k} in the library")))?
                    .0,
            ),
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

    /// What each rule matches new papers against. A saved search's free words are
    /// embedded; its constraints (phrases, fields, exclusions: `rank::query`) rule out
    /// the candidates that break them.
    fn alert_targets(
        &self,
        rules: &[crate::store::AlertRule],
        candidates: &[i64],
    ) -> Result<Vec<crate::alerts::RuleTarget>> {
        let embedder = self.embedder();
        let mut targets = Vec::new();
        for rule in rules {
            let (vectors, exclude) = match (rule.kind.as_str(), rule.list_id, &rule.query) {
                ("list", Some(list), _) => {
                    let ids = self.store().list_paper_ids(list)?;
                    let index = self.index.read().unwrap_or_else(|p| p.into_inner());
                    let v: Vec<Vec<f32>> = ids
                        .iter()
                        .filter_map(|id| index.get(*id).map(<[f32]>::to_vec))
                        .collect();
                    (v, ids.into_iter().collect())
                }
                ("search", _, Some(q)) => match &embedder {
                    Some(e) => {
                        let parsed = crate::rank::query::parse(q);
                        if !crate::rank::keyword::has_content_word(&parsed.text) {
                            // Only constraints: nothing to be near in meaning.
                            continue;
                        }
                        let exclude = match parsed.constraint {
                            Some(c) => {
                                let filter = crate::rank::Filter {
                                    query: Some(c),
                                    ..Default::default()
                                };
                                // Only the new papers are asked about, not the library.
                                let new = Arc::new(candidates.iter().copied().collect());
                                let allowed = self.admitted(&filter, Some(new))?;
                                candidates
                                    .iter()
                                    .filter(|id| !allowed.contains(id))
                                    .copied()
                                    .collect()
                            }
                            None => HashSet::new(),
                        };
                        (vec![e.embed_query(&parsed.text)?], exclude)
                    }
                    None => continue,
                },
                _ => continue,
            };
            if !vectors.is_empty() {
                targets.push(crate::alerts::RuleTarget {
                    rule_id: rule.id,
                    threshold: rule.threshold,
                    vectors,
                    exclude,
                });
            }
        }
        Ok(targets)
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
        let targets = self.alert_targets(&rules, &candidates)?;
        let (matches, next_cursor) = {
            let index = self.index.read().unwrap_or_else(|p| p.into_inner());
            let with: Vec<(i64, &[f32])> = candidates
                .iter()
                .filter_map(|id| index.get(*id).map(|v| (*id, v)))
                .collect();
            // Stop before the first paper without a vector: it is scored next time.
            let first_missing = candidates.iter().find(|id| index.get(**id).is_none());
            let next = match first_missing {
                Some(m) => m - 1,
                None => *candidates.last().unwrap_or(&cursor),
            };
            let with: Vec<(i64, &[f32])> = with.into_iter().filter(|(id, _)| *id <= next).collect();
            (crate::alerts::match_papers(&targets, &with), next)
        };
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

    /// What a rule would have matched among the papers added in the last `days` days:
    /// the live preview while the user sets a threshold. Best first.
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
        let candidates = self.store().papers_added_within_days(days)?;
        let targets = self.alert_targets(&[rule], &candidates)?;
        let matches = {
            let index = self.index.read().unwrap_or_else(|p| p.into_inner());
            let with: Vec<(i64, &[f32])> = candidates
                .iter()
                .filter_map(|id| index.get(*id).map(|v| (*id, v)))
                .collect();
            crate::alerts::match_papers(&targets, &with)
        };
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

//! Alerts: which new papers match the user's reading lists and saved searches, and the
//! one coalesced notification a sync turns into. The matching and the wording are pure
//! functions; [`crate::library::Library::evaluate_alerts`] feeds them.

use crate::rank::vector::dot;
use serde::{Deserialize, Serialize};

/// Default similarity a new paper needs to a list's closest paper.
pub const DEFAULT_LIST_THRESHOLD: f32 = 0.55;
/// Default similarity a new paper needs to a saved search's query.
pub const DEFAULT_SEARCH_THRESHOLD: f32 = 0.45;

/// A rule ready to score: the vectors a paper is compared with (a list's papers, or a
/// saved search's query) and the threshold.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleTarget {
    /// The rule.
    pub rule_id: i64,
    /// Similarity needed.
    pub threshold: f32,
    /// Unit vectors to compare with; a paper scores its best similarity.
    pub vectors: Vec<Vec<f32>>,
    /// Papers that never match this rule (a list's own papers).
    pub exclude: std::collections::HashSet<i64>,
}

/// Scores `papers` against every rule: `(rule, paper, score)` for each score at or
/// above the rule's threshold, best first within a rule.
pub fn match_papers(targets: &[RuleTarget], papers: &[(i64, &[f32])]) -> Vec<(i64, i64, f32)> {
    let mut out = Vec::new();
    for t in targets {
        let mut hits: Vec<(i64, i64, f32)> = papers
            .iter()
            .filter(|(id, _)| !t.exclude.contains(id))
            .filter_map(|(id, v)| {
                let s = t.vectors.iter().map(|q| dot(q, v)).fold(f32::MIN, f32::max);
                (s >= t.threshold).then_some((t.rule_id, *id, s))
            })
            .collect();
        hits.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.1.cmp(&b.1)));
        out.extend(hits);
    }
    out
}

/// New matches of one rule after a sync.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleAlert {
    /// The rule.
    pub rule_id: i64,
    /// Its name.
    pub name: String,
    /// Row ids of the new matching papers, best first.
    pub papers: Vec<i64>,
}

/// One desktop notification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notice {
    /// The title line.
    pub summary: String,
    /// The text.
    pub body: String,
}

fn papers(n: usize) -> String {
    if n == 1 {
        "1 new paper".into()
    } else {
        format!("{n} new papers")
    }
}

/// The one notification for a sync's matches ("4 new papers for ‘Efficient
/// attention’, 2 for ‘RAG’"), or none when nothing matched. Rules with most papers come
/// first; beyond three, the rest are counted.
pub fn coalesce(alerts: &[RuleAlert]) -> Option<Notice> {
    let mut alerts: Vec<&RuleAlert> = alerts.iter().filter(|a| !a.papers.is_empty()).collect();
    if alerts.is_empty() {
        return None;
    }
    alerts.sort_by(|a, b| {
        b.papers
            .len()
            .cmp(&a.papers.len())
            .then(a.name.cmp(&b.name))
    });
    let total: usize = alerts.iter().map(|a| a.papers.len()).sum();
    let mut parts: Vec<String> = alerts
        .iter()
        .take(3)
        .enumerate()
        .map(|(i, a)| {
            let n = a.papers.len();
            if i == 0 {
                format!("{} for ‘{}’", papers(n), a.name)
            } else {
                format!("{n} for ‘{}’", a.name)
            }
        })
        .collect();
    if alerts.len() > 3 {
        let rest: usize = alerts[3..].iter().map(|a| a.papers.len()).sum();
        let others = alerts.len() - 3;
        let what = if others == 1 {
            "1 other alert".to_string()
        } else {
            format!("{others} other alerts")
        };
        parts.push(format!("{rest} for {what}"));
    }
    Some(Notice {
        summary: format!("Papersift: {} matching your alerts", papers(total)),
        body: parts.join(", "),
    })
}

/// True when `now` (minutes since midnight, local time) falls in the quiet hours from
/// `start` to `end` (minutes; the span may cross midnight; equal means none).
pub fn in_quiet_hours(now: u32, start: u32, end: u32) -> bool {
    match start.cmp(&end) {
        std::cmp::Ordering::Equal => false,
        std::cmp::Ordering::Less => (start..end).contains(&now),
        std::cmp::Ordering::Greater => now >= start || now < end,
    }
}

/// How alerts and background sync behave; stored under [`AlertSettings::KEY`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct AlertSettings {
    /// No notifications (matches are still recorded).
    pub paused: bool,
    /// Minutes between background syncs (0: no background sync).
    pub sync_interval_minutes: u32,
    /// Quiet hours, minutes since local midnight: `[start, end)`.
    pub quiet_hours: Option<(u32, u32)>,
    /// Closing the window hides it to the tray.
    pub close_to_tray: bool,
    /// Start with the session (the app starts hidden in the tray).
    pub start_at_login: bool,
    /// Threshold given to a list when its alerts are turned on.
    pub list_threshold: f32,
    /// Threshold given to a newly saved search.
    pub search_threshold: f32,
}

impl Default for AlertSettings {
    fn default() -> Self {
        AlertSettings {
            paused: false,
            sync_interval_minutes: 60,
            quiet_hours: None,
            close_to_tray: true,
            start_at_login: false,
            list_threshold: DEFAULT_LIST_THRESHOLD,
            search_threshold: DEFAULT_SEARCH_THRESHOLD,
        }
    }
}

/// Background syncs are never closer together than this (the sources update daily).
pub const MIN_SYNC_INTERVAL_MINUTES: u32 = 15;

impl AlertSettings {
    /// The settings-table key.
    pub const KEY: &'static str = "alerts";

    /// Checks ranges.
    pub fn validated(self) -> crate::Result<AlertSettings> {
        if self.sync_interval_minutes != 0 && self.sync_interval_minutes < MIN_SYNC_INTERVAL_MINUTES
        {
            return Err(crate::Error::Invalid(format!(
                "background sync runs at most every {MIN_SYNC_INTERVAL_MINUTES} minutes (0 turns it off)"
            )));
        }
        for t in [self.list_threshold, self.search_threshold] {
            if !(0.05..=0.95).contains(&t) {
                return Err(crate::Error::Invalid(
                    "alert thresholds are similarities between 0.05 and 0.95".into(),
                ));
            }
        }
        if let Some((a, b)) = self.quiet_hours {
            if a >= 24 * 60 || b >= 24 * 60 {
                return Err(crate::Error::Invalid(
                    "quiet hours are times of day (00:00–23:59)".into(),
                ));
            }
        }
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(v: &[f32]) -> Vec<f32> {
        let mut v = v.to_vec();
        crate::rank::vector::normalize(&mut v);
        v
    }

    #[test]
    fn papers_match_rules_above_their_threshold_once_per_rule() {
        let list = RuleTarget {
            rule_id: 1,
            threshold: 0.9,
            vectors: vec![unit(&[1.0, 0.0, 0.0]), unit(&[0.0, 1.0, 0.0])],
            exclude: [10].into_iter().collect(),
        };
        let search = RuleTarget {
            rule_id: 2,
            threshold: 0.5,
            vectors: vec![unit(&[0.0, 0.0, 1.0])],
            exclude: Default::default(),
        };
        let (a, b, c, d) = (
            unit(&[1.0, 0.1, 0.0]),
            unit(&[0.1, 1.0, 0.2]),
            unit(&[0.0, 0.6, 1.0]),
            unit(&[1.0, 0.0, 0.0]),
        );
        let papers: Vec<(i64, &[f32])> = vec![(11, &a), (12, &b), (13, &c), (10, &d)];
        let m = match_papers(&[list, search], &papers);
        let pairs: Vec<(i64, i64)> = m.iter().map(|x| (x.0, x.1)).collect();
        // Paper 10 is in the list itself; 13 is not close enough to the list.
        assert_eq!(pairs, vec![(1, 11), (1, 12), (2, 13)]);
        assert!(m.iter().all(|x| x.2 <= 1.0 + 1e-6));
    }

    #[test]
    fn one_coalesced_notification() {
        let a = |id, name: &str, n: usize| RuleAlert {
            rule_id: id,
            name: name.into(),
            papers: (0..n as i64).collect(),
        };
        assert_eq!(coalesce(&[]), None);
        assert_eq!(coalesce(&[a(1, "RAG", 0)]), None);
        let n = coalesce(&[a(1, "RAG", 2), a(2, "Efficient attention", 4)]).unwrap();
        assert_eq!(n.summary, "Papersift: 6 new papers matching your alerts");
        assert_eq!(
            n.body,
            "4 new papers for ‘Efficient attention’, 2 for ‘RAG’"
        );
        let one = coalesce(&[a(1, "RAG", 1)]).unwrap();
        assert_eq!(
            (one.summary.as_str(), one.body.as_str()),
            (
                "Papersift: 1 new paper matching your alerts",
                "1 new paper for ‘RAG’"
            )
        );
        let many = coalesce(&[
            a(1, "A", 5),
            a(2, "B", 4),
            a(3, "C", 3),
            a(4, "D", 2),
            a(5, "E", 1),
        ])
        .unwrap();
        assert_eq!(
            many.body,
            "5 new papers for ‘A’, 4 for ‘B’, 3 for ‘C’, 3 for 2 other alerts"
        );
    }

    #[test]
    fn quiet_hours_cross_midnight() {
        assert!(in_quiet_hours(23 * 60, 22 * 60, 7 * 60));
        assert!(in_quiet_hours(3 * 60, 22 * 60, 7 * 60));
        assert!(!in_quiet_hours(12 * 60, 22 * 60, 7 * 60));
        assert!(in_quiet_hours(13 * 60, 12 * 60, 14 * 60));
        assert!(!in_quiet_hours(14 * 60, 12 * 60, 14 * 60));
        assert!(!in_quiet_hours(5, 0, 0));
        assert!(AlertSettings {
            sync_interval_minutes: 5,
            ..Default::default()
        }
        .validated()
        .is_err());
        assert!(AlertSettings {
            sync_interval_minutes: 0,
            ..Default::default()
        }
        .validated()
        .is_ok());
    }
}

//! Alerts: which new papers match the user's reading lists and saved searches, and the
//! one coalesced notification a sync turns into. The matching and the wording are pure
//! functions; [`crate::library::Library::evaluate_alerts`] feeds them.

use crate::rank::vector::dot;
use serde::{Deserialize, Serialize};

/// Default standing a new paper needs for a list's alert: above 99% of the library's
/// papers for that list (its top 1%).
pub const DEFAULT_LIST_THRESHOLD: f32 = 0.99;
/// Default standing a new paper needs for a saved search's alert.
pub const DEFAULT_SEARCH_THRESHOLD: f32 = 0.99;
/// Thresholds (standings) a rule may have: the top 10% of the library to its top 0.01%.
pub const THRESHOLD_RANGE: std::ops::RangeInclusive<f32> = 0.9..=0.9999;

/// How many of a ranking of `n` papers stand at `threshold` or above, where the paper
/// at rank `r` (0 first) stands at `1 - r / n`: the top `1 - threshold` share, at least
/// one paper.
pub fn cut(n: usize, threshold: f32) -> usize {
    if n == 0 {
        return 0;
    }
    let share = f64::from((1.0 - threshold).clamp(0.0, 1.0));
    ((share * n as f64 - 1e-6).ceil() as usize).clamp(1, n)
}

/// The standing of rank `r` (0 first) in a ranking of `n` papers.
pub fn standing(r: usize, n: usize) -> f32 {
    1.0 - r as f32 / n.max(1) as f32
}

/// A saved search's score for each paper: its similarity to the query, standardized
/// over `papers`, less the standardized similarity to its closest 👎 paper where that
/// is above average (the same shape as the recommender's).
pub fn search_scores(
    papers: &[(i64, &[f32])],
    query: &[f32],
    dismissed: &[&[f32]],
) -> Vec<(i64, f32)> {
    let z = |xs: &[f32]| -> Vec<f32> {
        let (mean, sd) = crate::rank::moments(xs.iter().copied());
        xs.iter().map(|x| (x - mean) / sd).collect()
    };
    let sims: Vec<f32> = papers.iter().map(|(_, v)| dot(v, query)).collect();
    let mut scores = z(&sims);
    if !dismissed.is_empty() {
        let near: Vec<f32> = papers
            .iter()
            .map(|(_, v)| dismissed.iter().map(|d| dot(v, d)).fold(f32::MIN, f32::max))
            .collect();
        for (s, d) in scores.iter_mut().zip(z(&near)) {
            *s -= d.max(0.0);
        }
    }
    papers.iter().map(|p| p.0).zip(scores).collect()
}

/// New matches of one rule after a sync.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
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

/// What a threshold out of [`THRESHOLD_RANGE`] is told.
pub fn threshold_message() -> String {
    "an alert takes new papers in the top share of the library for its rule: from the \
     top 10% to the top 0.01% (a standing from 0.9 to 0.9999)"
        .into()
}

/// How alerts and background sync behave; stored under [`AlertSettings::KEY`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
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
            if !THRESHOLD_RANGE.contains(&t) {
                return Err(crate::Error::Invalid(threshold_message()));
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
    fn a_threshold_is_a_share_of_the_ranking() {
        assert_eq!(cut(1000, 0.99), 10);
        assert_eq!(cut(1000, 0.995), 5);
        assert_eq!(cut(61, 0.99), 1);
        assert_eq!(cut(0, 0.99), 0);
        assert_eq!(cut(10, 0.0), 10);
        assert_eq!(standing(0, 200), 1.0);
        assert!((standing(2, 200) - 0.99).abs() < 1e-6);
        // The papers `cut` keeps all stand at the threshold or above.
        for n in [7, 61, 1000, 75_000] {
            for t in [0.9, 0.99, 0.999] {
                let k = cut(n, t);
                assert!(k == 1 || standing(k - 1, n) >= t - 1e-6, "{n} {t}");
                assert!(k == n || standing(k, n) < t + 1e-6, "{n} {t}");
            }
        }
    }

    #[test]
    fn a_search_score_falls_near_a_dismissed_paper() {
        let q = unit(&[1.0, 0.0, 0.0]);
        let (a, b, c) = (
            unit(&[1.0, 0.2, 0.0]),
            unit(&[1.0, 0.0, 0.2]),
            unit(&[0.0, 1.0, 0.0]),
        );
        let papers: Vec<(i64, &[f32])> = vec![(1, &a), (2, &b), (3, &c)];
        let plain = search_scores(&papers, &q, &[]);
        assert_eq!(plain[0].1, plain[1].1);
        assert!(plain[0].1 > plain[2].1);
        let d = unit(&[0.9, 0.0, 1.0]);
        let taught = search_scores(&papers, &q, &[&d]);
        assert!(taught[0].1 > taught[1].1, "{taught:?}");
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

//! Retrieval evaluation on BEIR-format data sets: loading queries and judgments, and the
//! standard metrics (nDCG@10, Recall@100, MRR@10) computed as pytrec_eval does; and
//! ([`lists`]) recommendations measured on real reading lists split by date.

pub mod lists;
pub mod tfidf;

use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// One query.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Query {
    /// Query id.
    #[serde(rename = "_id")]
    pub id: String,
    /// Query text.
    pub text: String,
}

/// Relevance judgments: query id → (document id → grade).
pub type Qrels = HashMap<String, HashMap<String, u32>>;

/// A BEIR data set folder: `corpus.jsonl`, `queries*.jsonl`, `qrels/<split>.tsv`.
#[derive(Debug, Clone)]
pub struct BeirSet {
    /// The corpus file.
    pub corpus: PathBuf,
    /// Queries that have judgments in the split, in file order.
    pub queries: Vec<Query>,
    /// Judgments of the split.
    pub qrels: Qrels,
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| Error::io("cannot read", path, e))
}

/// Reads queries from a BEIR `queries.jsonl` or, if the file is not JSON Lines, one
/// query per line (ids are then the 1-based line numbers).
pub fn read_queries(path: &Path) -> Result<Vec<Query>> {
    let text = read(path)?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if line.starts_with('{') {
            let q: Query = serde_json::from_str(line).map_err(|e| Error::Parse {
                path: path.into(),
                line: i + 1,
                message: format!("expected {{\"_id\", \"text\"}}: {e}"),
            })?;
            out.push(q);
        } else {
            out.push(Query {
                id: (i + 1).to_string(),
                text: line.to_string(),
            });
        }
    }
    Ok(out)
}

/// Reads a BEIR qrels TSV (`query-id  corpus-id  score`, with a header line).
pub fn read_qrels(path: &Path) -> Result<Qrels> {
    let text = read(path)?;
    let mut qrels: Qrels = HashMap::new();
    for (i, line) in text.lines().enumerate() {
        let cols: Vec<&str> = line.split('\t').map(str::trim).collect();
        if cols.len() < 3 || (i == 0 && cols[2].parse::<i64>().is_err()) {
            continue;
        }
        let grade: i64 = cols[2].parse().map_err(|_| Error::Parse {
            path: path.into(),
            line: i + 1,
            message: format!("relevance '{}' is not an integer", cols[2]),
        })?;
        if grade > 0 {
            qrels
                .entry(cols[0].to_string())
                .or_default()
                .insert(cols[1].to_string(), grade as u32);
        }
    }
    Ok(qrels)
}

/// Loads a BEIR folder for one split (`test`, `train`, `dev`).
pub fn load_beir(dir: &Path, split: &str) -> Result<BeirSet> {
    let corpus = dir.join("corpus.jsonl");
    if !corpus.exists() {
        return Err(Error::Invalid(format!(
            "{} is not a BEIR folder: corpus.jsonl is missing",
            dir.display()
        )));
    }
    let qrels_path = dir.join("qrels").join(format!("{split}.tsv"));
    if !qrels_path.exists() {
        return Err(Error::Invalid(format!(
            "no judgments for split '{split}' ({} is missing)",
            qrels_path.display()
        )));
    }
    let qrels = read_qrels(&qrels_path)?;
    let split_queries = dir.join(format!("queries_{split}.jsonl"));
    let queries_path = if split_queries.exists() {
        split_queries
    } else {
        dir.join("queries.jsonl")
    };
    let queries = read_queries(&queries_path)?
        .into_iter()
        .filter(|q| qrels.contains_key(&q.id))
        .collect();
    Ok(BeirSet {
        corpus,
        queries,
        qrels,
    })
}

/// Mean metrics over the judged queries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Metrics {
    /// nDCG@10.
    pub ndcg_at_10: f64,
    /// Recall@100.
    pub recall_at_100: f64,
    /// MRR@10.
    pub mrr_at_10: f64,
    /// Number of queries averaged.
    pub queries: usize,
}

/// nDCG@k with linear gains (as pytrec_eval's `ndcg_cut`).
pub fn ndcg_at(ranked: &[String], rels: &HashMap<String, u32>, k: usize) -> f64 {
    let dcg: f64 = ranked
        .iter()
        .take(k)
        .enumerate()
        .map(|(i, d)| f64::from(*rels.get(d).unwrap_or(&0)) / (i as f64 + 2.0).log2())
        .sum();
    let mut ideal: Vec<u32> = rels.values().copied().collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let idcg: f64 = ideal
        .iter()
        .take(k)
        .enumerate()
        .map(|(i, g)| f64::from(*g) / (i as f64 + 2.0).log2())
        .sum();
    if idcg == 0.0 {
        0.0
    } else {
        dcg / idcg
    }
}

/// Fraction of relevant documents found in the top k.
pub fn recall_at(ranked: &[String], rels: &HashMap<String, u32>, k: usize) -> f64 {
    if rels.is_empty() {
        return 0.0;
    }
    let found = ranked
        .iter()
        .take(k)
        .filter(|d| rels.contains_key(*d))
        .count();
    found as f64 / rels.len() as f64
}

/// Reciprocal rank of the first relevant document within the top k.
pub fn mrr_at(ranked: &[String], rels: &HashMap<String, u32>, k: usize) -> f64 {
    ranked
        .iter()
        .take(k)
        .position(|d| rels.contains_key(d))
        .map_or(0.0, |i| 1.0 / (i as f64 + 1.0))
}

/// Averages the metrics over `runs` (query id → ranked document ids).
pub fn evaluate(runs: &HashMap<String, Vec<String>>, qrels: &Qrels) -> Metrics {
    let mut m = Metrics::default();
    for (qid, rels) in qrels {
        let Some(ranked) = runs.get(qid) else {
            continue;
        };
        m.ndcg_at_10 += ndcg_at(ranked, rels, 10);
        m.recall_at_100 += recall_at(ranked, rels, 100);
        m.mrr_at_10 += mrr_at(ranked, rels, 10);
        m.queries += 1;
    }
    if m.queries > 0 {
        let n = m.queries as f64;
        m.ndcg_at_10 /= n;
        m.recall_at_100 /= n;
        m.mrr_at_10 /= n;
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn metrics_match_hand_computation() {
        let rels: HashMap<String, u32> = [("a".to_string(), 1), ("b".to_string(), 1)].into();
        let ranked = ids(&["x", "a", "y", "b"]);
        // DCG = 1/log2(3) + 1/log2(5); IDCG = 1 + 1/log2(3).
        let want = (1.0 / 3f64.log2() + 1.0 / 5f64.log2()) / (1.0 + 1.0 / 3f64.log2());
        assert!((ndcg_at(&ranked, &rels, 10) - want).abs() < 1e-12);
        assert_eq!(mrr_at(&ranked, &rels, 10), 0.5);
        assert_eq!(recall_at(&ranked, &rels, 100), 1.0);
        assert_eq!(recall_at(&ranked, &rels, 2), 0.5);
        assert_eq!(ndcg_at(&ids(&["a", "b"]), &rels, 10), 1.0);
        assert_eq!(mrr_at(&ids(&["x"]), &rels, 10), 0.0);
    }

    #[test]
    fn beir_folder_loads_split() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("corpus.jsonl"),
            "{\"_id\":\"d1\",\"title\":\"t\",\"text\":\"x\"}\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("queries_train.jsonl"),
            "{\"_id\":\"1\",\"text\":\"q one\"}\n{\"_id\":\"2\",\"text\":\"q two\"}\n",
        )
        .unwrap();
        std::fs::create_dir(dir.path().join("qrels")).unwrap();
        std::fs::write(
            dir.path().join("qrels/train.tsv"),
            "query-id\tcorpus-id\tscore\n2\td1\t1\n",
        )
        .unwrap();
        let set = load_beir(dir.path(), "train").unwrap();
        assert_eq!(
            set.queries,
            vec![Query {
                id: "2".into(),
                text: "q two".into()
            }]
        );
        assert_eq!(set.qrels["2"]["d1"], 1);
        let err = load_beir(dir.path(), "test").unwrap_err().to_string();
        assert!(err.contains("no judgments for split 'test'"), "{err}");
    }

    #[test]
    fn plain_query_lines_get_line_ids() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("q.txt");
        std::fs::write(&p, "first query\n\nthird line query\n").unwrap();
        let q = read_queries(&p).unwrap();
        assert_eq!(q.len(), 2);
        assert_eq!(
            (q[1].id.as_str(), q[1].text.as_str()),
            ("3", "third line query")
        );
    }
}

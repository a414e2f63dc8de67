//! The `embeddings` table: one vector per paper and model, tagged with the hash of the
//! text it was computed from, so a changed abstract or a new model re-embeds cleanly.

use super::Store;
use crate::Result;
use rusqlite::params;

/// A paper whose embedding for some model is missing or stale.
#[derive(Debug, Clone)]
pub struct PendingEmbedding {
    /// Paper row id.
    pub paper_id: i64,
    /// The text to embed (title + abstract).
    pub text: String,
    /// Hash of `text`, stored with the vector.
    pub content_hash: String,
}

/// All vectors of one model, row-major in one contiguous buffer.
#[derive(Debug, Default, Clone)]
pub struct StoredVectors {
    /// Paper row ids, one per vector.
    pub ids: Vec<i64>,
    /// `ids.len() * dim` floats.
    pub data: Vec<f32>,
    /// Vector dimension (0 when empty).
    pub dim: usize,
}

fn to_blob(v: &[f32]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}

impl Store {
    /// Papers lacking an up-to-date vector for `model`, newest first (the latest sync's
    /// papers become searchable before a back-log of older ones), at most `limit`.
    pub fn pending_embeddings(&self, model: &str, limit: usize) -> Result<Vec<PendingEmbedding>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT p.id, p.title, p.abstract, p.content_hash FROM papers p \
             LEFT JOIN embeddings e ON e.paper_id = p.id AND e.model = ?1 \
             WHERE e.paper_id IS NULL OR e.content_hash != p.content_hash \
             ORDER BY p.id DESC LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![model, limit as i64], |r| {
            let title: String = r.get(1)?;
            let abs: String = r.get(2)?;
            Ok(PendingEmbedding {
                paper_id: r.get(0)?,
                text: crate::model::embedding_text(&title, &abs),
                content_hash: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// How many papers lack an up-to-date vector for `model`.
    pub fn pending_embedding_count(&self, model: &str) -> Result<usize> {
        let n: i64 = self.conn.query_row(
            "SELECT count(*) FROM papers p \
             LEFT JOIN embeddings e ON e.paper_id = p.id AND e.model = ?1 \
             WHERE e.paper_id IS NULL OR e.content_hash != p.content_hash",
            [model],
            |r| r.get(0),
        )?;
        Ok(n as usize)
    }

    /// Stores vectors (one transaction). Each item: paper id, content hash, vector.
    pub fn put_embeddings(&mut self, model: &str, items: &[(i64, String, Vec<f32>)]) -> Result<()> {
        let tx = self.conn.transaction()?;
        {
            let mut stmt = tx.prepare_cached(
                "INSERT INTO embeddings (paper_id, model, content_hash, vector) VALUES (?1, ?2, ?3, ?4) \
                 ON CONFLICT(paper_id, model) DO UPDATE SET content_hash = excluded.content_hash, \
                 vector = excluded.vector",
            )?;
            for (id, hash, v) in items {
                stmt.execute(params![id, model, hash, to_blob(v)])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Every vector of `model` at once (tests; the library reads them a page at a time
    /// with [`Store::load_embeddings_page`], releasing the store between pages).
    #[cfg(test)]
    pub(crate) fn load_embeddings(&self, model: &str) -> Result<StoredVectors> {
        let mut out = StoredVectors::default();
        let mut after = i64::MIN;
        while let Some(last) = self.load_embeddings_page(model, after, 10_000, &mut out)? {
            after = last;
        }
        Ok(out)
    }

    /// Vectors of `model`, also those of papers whose text changed since (such a vector
    /// serves, being near the new one, until the paper is embedded again, so a changed
    /// text or a new cleaner never drops a paper from meaning search): up to `limit`
    /// of papers after row `after`, appended to `out`; the last paper read, `None` when
    /// there were none.
    pub fn load_embeddings_page(
        &self,
        model: &str,
        after: i64,
        limit: usize,
        out: &mut StoredVectors,
    ) -> Result<Option<i64>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT e.paper_id, e.vector FROM embeddings e WHERE e.model = ?1 \
             AND e.paper_id > ?2 ORDER BY e.paper_id LIMIT ?3",
        )?;
        let mut rows = stmt.query(rusqlite::params![model, after, limit as i64])?;
        let mut last = None;
        while let Some(row) = rows.next()? {
            let id: i64 = row.get(0)?;
            last = Some(id);
            let blob: Vec<u8> = row.get(1)?;
            let dim = blob.len() / 4;
            if out.dim == 0 {
                out.dim = dim;
            }
            if dim != out.dim {
                log::warn!(
                    "skipping vector of paper {id}: dimension {dim} != {}",
                    out.dim
                );
                continue;
            }
            out.ids.push(id);
            out.data.extend(
                blob.chunks_exact(4)
                    .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])),
            );
        }
        Ok(last)
    }

    /// Number of current vectors for `model`.
    pub fn embedding_count(&self, model: &str) -> Result<usize> {
        let n: i64 = self.conn.query_row(
            "SELECT count(*) FROM embeddings e JOIN papers p ON p.id = e.paper_id \
             WHERE e.model = ?1 AND e.content_hash = p.content_hash",
            [model],
            |r| r.get(0),
        )?;
        Ok(n as usize)
    }
}

//! The embedding pass: every paper lacking a vector of the active model gets one, a chunk
//! at a time, each chunk committed on its own; and the pace it reports. Loading and
//! switching the model are in `library.rs`.

use super::*;

impl Library {
    /// Number of papers waiting for a vector of the active model (0 without a model).
    pub fn pending_embeddings(&self) -> Result<usize> {
        match self.embedder() {
            Some(e) => self.store().pending_embedding_count(e.model_id()),
            None => Ok(0),
        }
    }

    /// The pace of an embedding pass: papers per second so far and the seconds left at
    /// that pace, from what `embed_pending` reports and the time since it started; none
    /// before the first chunk is done.
    pub fn pace(
        done: usize,
        total: usize,
        elapsed: std::time::Duration,
    ) -> (Option<f64>, Option<f64>) {
        let secs = elapsed.as_secs_f64();
        if done == 0 || secs <= 0.0 {
            return (None, None);
        }
        let rate = done as f64 / secs;
        (Some(rate), Some(total.saturating_sub(done) as f64 / rate))
    }

    /// Embeds every paper lacking a current vector, `chunk` papers at a time, calling
    /// `progress(done, total)` after each chunk. Each chunk is committed on its own, so
    /// an interrupted pass keeps its work. Returns the number embedded.
    pub fn embed_pending(
        &self,
        chunk: usize,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<usize> {
        let embedder = self.embedder().ok_or_else(|| {
            Error::Embedding("no embedding model is loaded; semantic search is unavailable".into())
        })?;
        let model = embedder.model_id().to_string();
        let _one_pass = self.embedding.lock_any();
        let total = self.store().pending_embedding_count(&model)?;
        let mut done = 0;
        progress(0, total);
        loop {
            let pending = self.store().pending_embeddings(&model, chunk.max(1))?;
            if pending.is_empty() {
                break;
            }
            let texts: Vec<String> = pending.iter().map(|p| p.text.clone()).collect();
            let vectors = embedder.embed_documents(&texts)?;
            if vectors.len() != pending.len() {
                return Err(Error::Embedding(format!(
                    "the model returned {} vectors for {} texts",
                    vectors.len(),
                    pending.len()
                )));
            }
            let items: Vec<(i64, String, Vec<f32>)> = pending
                .into_iter()
                .zip(vectors)
                .map(|(p, v)| (p.paper_id, p.content_hash, v))
                .collect();
            self.store().put_embeddings(&model, &items).map_err(|e| {
                e.disk_full(self.data_dir(), "the rest is indexed at the next sync")
            })?;
            {
                let mut index = self.index.write_any();
                if self
                    .embedder()
                    .map(|e| e.model_id() != model)
                    .unwrap_or(true)
                {
                    // The model was switched during this pass: its vectors are stored
                    // (they are valid for their model) but the index now serves the new
                    // model, whose own pass takes over.
                    break;
                }
                for (id, _, v) in &items {
                    index.upsert(*id, v);
                }
            }
            done += items.len();
            progress(done, total.max(done));
        }
        Ok(done)
    }
}

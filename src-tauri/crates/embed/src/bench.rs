//! The throughput ceiling for benchmarks: ONNX Runtime's session for the same model
//! file, run on batches tokenized beforehand (so tokenizing is not counted, and the
//! hidden states are not pooled), with the same threads and graph optimization as the
//! embedder.

pub use crate::pipeline::TokenBatch;
use crate::pipeline::{by_length, tokenize, ModelSession};
use crate::{EmbedConfig, EmbedError, FastEmbedder};
use papersift_core::locks::LockAny;

impl FastEmbedder {
    /// Tokenizes texts into batches exactly as the embedder would (sorted by length
    /// when `by_length`, as `embed_documents` does).
    pub fn tokenize(&self, texts: &[String], sort: bool) -> Result<Vec<TokenBatch>, EmbedError> {
        let order: Vec<&str> = if sort {
            by_length(texts)
                .into_iter()
                .map(|i| texts[i].as_str())
                .collect()
        } else {
            texts.iter().map(String::as_str).collect()
        };
        let model = self.model.lock_any();
        order
            .chunks(self.batch_size)
            .map(|chunk| tokenize(&model.tokenizer, chunk))
            .collect()
    }
}

/// A bare ONNX Runtime session over the embedder's model file.
pub struct RawSession(ModelSession);

impl RawSession {
    /// Opens the cached model file of `cfg` (load the embedder first, which downloads it
    /// if needed) with the embedder's thread count and optimization level.
    pub fn open(cfg: &EmbedConfig) -> Result<RawSession, EmbedError> {
        ModelSession::open(cfg).map(RawSession)
    }

    /// Runs the model on one batch (outputs dropped).
    pub fn run(&mut self, b: &TokenBatch) -> Result<(), EmbedError> {
        self.0.run(b, |_, _| Ok(()))
    }
}

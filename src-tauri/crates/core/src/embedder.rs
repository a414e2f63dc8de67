//! The seam between ranking and a concrete embedding model.
//!
//! `papersift-embed` implements [`Embedder`] with fastembed on ONNX Runtime; tests in
//! this crate use small deterministic embedders. Implementations are blocking: callers
//! run them on a worker thread, never on an async runtime.

use crate::Result;
use serde::{Deserialize, Serialize};

/// Turns texts into L2-normalized vectors of a fixed dimension.
pub trait Embedder: Send + Sync {
    /// A stable id of the model and its settings; stored with every vector so a model
    /// change re-embeds the library.
    fn model_id(&self) -> &str;
    /// Vector dimension.
    fn dim(&self) -> usize;
    /// Embeds documents (title + abstract). Output order matches input order.
    fn embed_documents(&self, texts: &[String]) -> Result<Vec<Vec<f32>>>;
    /// Embeds one search query.
    fn embed_query(&self, text: &str) -> Result<Vec<f32>>;
    /// Models whose stored vectors may stand in for this one's until a paper is embedded
    /// again: the same network at another precision (fp32 for int8), whose vectors agree
    /// with this model's to a cosine of about 0.995. A library moving between them keeps
    /// every paper in meaning search while it re-indexes.
    fn stand_in_models(&self) -> Vec<String> {
        Vec::new()
    }
}

/// The user's choice of model and execution provider, stored in the library under
/// [`EmbeddingSettings::KEY`]. `None` keeps the default; environment variables win.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase", default)]
pub struct EmbeddingSettings {
    /// Model name (`all-MiniLM-L6-v2`, `bge-small-en-v1.5`, …).
    pub model: Option<String>,
    /// `auto`, `cpu` or `cuda`.
    pub provider: Option<String>,
}

impl EmbeddingSettings {
    /// Settings key.
    pub const KEY: &'static str = "embedding";
}

//! The throughput ceiling for benchmarks: ONNX Runtime's session for the same model
//! file, run on batches tokenized beforehand (so neither tokenizing nor pooling is
//! counted), with the same threads and graph optimization as the embedder. Also where
//! sessions over the cached model file are opened.

pub use crate::pipeline::TokenBatch;
use crate::{EmbedConfig, EmbedError, FastEmbedder};
use ort::session::builder::GraphOptimizationLevel;
use ort::session::Session;
use ort::value::Tensor;
use std::path::PathBuf;

impl FastEmbedder {
    /// Tokenizes texts into batches exactly as the embedder would (sorted by length
    /// when `by_length`, as `embed_documents` does).
    pub fn tokenize(
        &self,
        texts: &[String],
        by_length: bool,
    ) -> Result<Vec<TokenBatch>, EmbedError> {
        let mut order: Vec<&str> = texts.iter().map(|t| t.as_str()).collect();
        if by_length {
            order.sort_by_key(|t| t.len());
        }
        let model = self.model.lock().unwrap_or_else(|p| p.into_inner());
        order
            .chunks(self.batch_size)
            .map(|chunk| crate::pipeline::tokenize(&model.tokenizer, chunk))
            .collect()
    }
}

/// A bare ONNX Runtime session over the embedder's model file.
pub struct RawSession {
    session: Session,
    type_ids: bool,
}

impl RawSession {
    /// Opens the cached model file of `cfg` (load the embedder first, which downloads it
    /// if needed) on the CPU with the embedder's thread count and optimization level.
    pub fn open(cfg: &EmbedConfig) -> Result<RawSession, EmbedError> {
        let session = open_session(cfg)?;
        let type_ids = session
            .inputs()
            .iter()
            .any(|i| i.name() == "token_type_ids");
        Ok(RawSession { session, type_ids })
    }

    /// Runs the model on one batch (outputs dropped).
    pub fn run(&mut self, b: &TokenBatch) -> Result<(), EmbedError> {
        let shape = [b.rows, b.cols];
        let err = |e: ort::Error| EmbedError::Inference(e.to_string());
        let ids = Tensor::from_array((shape, b.ids.clone())).map_err(err)?;
        let mask = Tensor::from_array((shape, b.mask.clone())).map_err(err)?;
        if self.type_ids {
            let types = Tensor::from_array((shape, b.types.clone())).map_err(err)?;
            self.session
                .run(ort::inputs!["input_ids" => ids, "attention_mask" => mask, "token_type_ids" => types])
                .map_err(err)?;
        } else {
            self.session
                .run(ort::inputs!["input_ids" => ids, "attention_mask" => mask])
                .map_err(err)?;
        }
        Ok(())
    }
}

/// A session over the cached model file of `cfg`, with the embedder's execution
/// providers, thread count and graph optimization (fastembed's: all optimizations).
pub(crate) fn open_session(cfg: &EmbedConfig) -> Result<Session, EmbedError> {
    let env = crate::runtime::environment(cfg.runtime_library.as_deref())?;
    let file = model_file(cfg)?;
    let (providers, _) = crate::runtime::execution_providers(cfg.provider)?;
    let threads = cfg.threads.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    });
    let err =
        |e: &dyn std::fmt::Display| EmbedError::Runtime(format!("cannot open the model: {e}"));
    Session::builder(&env)
        .map_err(|e| err(&e))?
        .with_execution_providers(providers)
        .map_err(|e| err(&e))?
        .with_optimization_level(GraphOptimizationLevel::Level3)
        .map_err(|e| err(&e))?
        .with_intra_threads(threads)
        .map_err(|e| err(&e))?
        .commit_from_file(&file)
        .map_err(|e| err(&e))
}

/// The model file in the hub cache: `models--OWNER--NAME/snapshots/<refs/main>/FILE`.
fn model_file(cfg: &EmbedConfig) -> Result<PathBuf, EmbedError> {
    let model = crate::model_for(&cfg.model)?;
    let info = fastembed::TextEmbedding::get_model_info(&model)
        .map_err(|e| EmbedError::Config(e.to_string()))?;
    let repo = cfg
        .cache_dir
        .join(format!("models--{}", info.model_code.replace('/', "--")));
    let rev = std::fs::read_to_string(repo.join("refs/main")).map_err(|e| {
        EmbedError::Config(format!(
            "{} is not in the model cache: {e}",
            info.model_code
        ))
    })?;
    Ok(repo
        .join("snapshots")
        .join(rev.trim())
        .join(&info.model_file))
}

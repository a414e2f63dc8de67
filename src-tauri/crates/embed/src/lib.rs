//! papersift-embed: local text embeddings with fastembed on ONNX Runtime.
//!
//! ONNX Runtime is loaded dynamically (`libonnxruntime.so`), so the binaries start even
//! where it is missing and say what to do instead of panicking. The model comes through
//! fastembed's own path — the Hugging Face hub cache, downloading on first use — so what
//! a user with a network gets is what the tests run (against a seeded cache or a
//! loopback hub). This crate implements `papersift_core::embedder::Embedder` and knows
//! nothing of the library or ranking.
//!
//! ```no_run
//! use papersift_core::embedder::Embedder;
//! let embedder = papersift_embed::FastEmbedder::load(&papersift_embed::EmbedConfig::from_env())?;
//! let v = embedder.embed_query("sparse attention for long documents")?;
//! assert_eq!(v.len(), 384);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod bench;
mod catalogue;
mod config;
mod pipeline;
mod runtime;

pub use catalogue::{catalogue, choice, ModelChoice};
pub use config::{EmbedConfig, ExecutionProvider, DEFAULT_MODEL};
pub use runtime::{cuda_available, disable_telemetry, find_runtime, init_runtime};

use fastembed::{EmbeddingModel, TextEmbedding, TextInitOptions};
use papersift_core::embedder::Embedder;
use papersift_core::locks::LockAny;
use std::path::PathBuf;
use std::sync::Mutex;

/// Errors loading or running the embedding model. Messages are one sentence that says
/// what to do.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EmbedError {
    /// The ONNX Runtime library was not found or could not be loaded.
    #[error("{0}")]
    Runtime(String),
    /// The model is not cached and could not be downloaded.
    #[error("the embedding model {model} is not in {cache} and could not be downloaded ({cause}); run scripts/setup.sh to provision it, or connect to the network once")]
    ModelUnavailable {
        /// Model name.
        model: String,
        /// Cache folder searched.
        cache: PathBuf,
        /// The underlying error.
        cause: String,
    },
    /// The configuration names something unknown.
    #[error("{0}")]
    Config(String),
    /// Inference failed.
    #[error("embedding failed: {0}")]
    Inference(String),
}

impl From<EmbedError> for papersift_core::Error {
    fn from(e: EmbedError) -> Self {
        papersift_core::Error::Embedding(e.to_string())
    }
}

/// fastembed's `TextEmbedding` behind the core `Embedder` trait.
pub struct FastEmbedder {
    model: Mutex<TextEmbedding>,
    id: String,
    /// Ids of the same network at another precision (see `Embedder::stand_in_models`).
    stand_ins: Vec<String>,
    dim: usize,
    batch_size: usize,
    /// Intra-op threads it runs with.
    threads: usize,
    provider: String,
    name: String,
    query_prefix: &'static str,
    document_prefix: &'static str,
    /// Documents go through this when the model's pooling is known (see `pipeline`).
    pipeline: Option<pipeline::Pipeline>,
}

/// Resolves the names users write to fastembed's model enum.
/// Catalogue names first, then any model code fastembed knows (without prefixes).
fn model_for(name: &str) -> Result<EmbeddingModel, EmbedError> {
    if let Some(c) = catalogue::choice(name) {
        return Ok(c.model);
    }
    name.parse().map_err(|_| {
        let names: Vec<&str> = catalogue::catalogue().iter().map(|c| c.name).collect();
        EmbedError::Config(format!(
            "unknown embedding model '{name}'; use one of {} or a fastembed model code",
            names.join(", ")
        ))
    })
}

impl FastEmbedder {
    /// Loads ONNX Runtime and the model (from the cache, downloading if needed).
    pub fn load(cfg: &EmbedConfig) -> Result<FastEmbedder, EmbedError> {
        let model = model_for(&cfg.model)?;
        let environment = runtime::environment(cfg.runtime_library.as_deref())?;
        let info =
            TextEmbedding::get_model_info(&model).map_err(|e| EmbedError::Config(e.to_string()))?;
        // An installed Papersift ships its default model: read it in place until the user's
        // own cache has one.
        let cfg = &EmbedConfig {
            cache_dir: config::resolve_cache_dir(
                &cfg.cache_dir,
                &config::bundled_cache_dirs(),
                &info.model_code,
            ),
            ..cfg.clone()
        };
        let (providers, provider) = runtime::execution_providers(cfg.provider)?;
        let mut opts = TextInitOptions::new(model.clone())
            .with_cache_dir(cfg.cache_dir.clone())
            .with_max_length(cfg.max_length)
            .with_show_download_progress(false)
            .with_execution_providers(providers)
            .with_environment(environment);
        if let Some(t) = cfg.threads {
            opts = opts.with_intra_threads(t);
        }
        let started = std::time::Instant::now();
        let embedding = TextEmbedding::try_new(opts).map_err(|e| match e {
            fastembed::Error::ModelRetrieval { .. } => EmbedError::ModelUnavailable {
                model: info.model_code.clone(),
                cache: cfg.cache_dir.clone(),
                cause: error_chain(&e),
            },
            other => EmbedError::Runtime(format!(
                "cannot start the embedding model: {}",
                error_chain(&other)
            )),
        })?;
        log::info!(
            "embedding model {} loaded in {:?} on {provider}",
            info.model_code,
            started.elapsed()
        );
        let pipeline = match TextEmbedding::get_default_pooling_method(&model) {
            Some(pooling) => Some(pipeline::Pipeline {
                tokenize: pipeline::tokenizer_fn(embedding.tokenizer.clone()),
                session: Mutex::new(pipeline::ModelSession::open(cfg)?),
                pooling,
                batch: cfg.batch_size.max(1),
            }),
            None => None,
        };
        let choice = catalogue::choice(&cfg.model);
        Ok(FastEmbedder {
            model: Mutex::new(embedding),
            id: cfg.model_id()?,
            stand_ins: catalogue::same_network(&model)
                .into_iter()
                .filter_map(|m| {
                    TextEmbedding::get_model_info(&m)
                        .ok()
                        .map(|info| format!("{}@{}", info.model_code, cfg.max_length))
                })
                .collect(),
            dim: info.dim,
            batch_size: cfg.batch_size.max(1),
            threads: cfg.thread_count(),
            provider,
            name: cfg.display_name(),
            query_prefix: choice.as_ref().map_or("", |c| c.query_prefix),
            document_prefix: choice.as_ref().map_or("", |c| c.document_prefix),
            pipeline,
        })
    }

    /// The execution provider in use (`cpu`, `cuda`).
    pub fn provider(&self) -> &str {
        &self.provider
    }

    /// The intra-op threads it runs with.
    pub fn threads(&self) -> usize {
        self.threads
    }

    /// The model's name as configured (`all-MiniLM-L6-v2`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Embeds texts in batches of similar length: a batch is padded to its longest text,
    /// so sorting first spends the model's time on words rather than padding. Vectors
    /// come back in the input order.
    pub fn embed_by_length(&self, texts: &[String]) -> Result<Vec<Vec<f32>>, EmbedError> {
        let order = pipeline::by_length(texts);
        let sorted: Vec<&str> = order.iter().map(|&i| texts[i].as_str()).collect();
        let vectors = match &self.pipeline {
            Some(p) => p.embed(&sorted)?,
            None => self.embed(&sorted)?,
        };
        let mut out = vec![Vec::new(); texts.len()];
        for (i, v) in order.into_iter().zip(vectors) {
            out[i] = v;
        }
        Ok(out)
    }

    /// Embeds texts in the order given (fastembed's own batching).
    pub fn embed_in_order(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        self.embed(texts)
    }

    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        let mut model = self.model.lock_any();
        model
            .embed(texts, Some(self.batch_size))
            .map_err(|e| EmbedError::Inference(error_chain(&e)))
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}

impl Embedder for FastEmbedder {
    fn model_id(&self) -> &str {
        &self.id
    }

    fn dim(&self) -> usize {
        self.dim
    }

    fn embed_documents(&self, texts: &[String]) -> papersift_core::Result<Vec<Vec<f32>>> {
        let owned: Vec<String>;
        let texts: &[String] = if self.document_prefix.is_empty() {
            texts
        } else {
            owned = texts
                .iter()
                .map(|t| format!("{}{t}", self.document_prefix))
                .collect();
            &owned
        };
        Ok(self.embed_by_length(texts)?)
    }

    fn stand_in_models(&self) -> Vec<String> {
        self.stand_ins.clone()
    }

    fn embed_query(&self, text: &str) -> papersift_core::Result<Vec<f32>> {
        let prefixed = format!("{}{text}", self.query_prefix);
        let mut v = self.embed(&[prefixed.as_str()])?;
        v.pop()
            .ok_or_else(|| papersift_core::Error::Embedding("the model returned no vector".into()))
    }
}

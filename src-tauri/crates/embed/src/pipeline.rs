//! Document embedding straight on ONNX Runtime: fastembed provides the model files and
//! the tokenizer; this module runs the batches itself. Measured against fastembed's own
//! `embed` (docs/benchmarks.md), it avoids keeping every batch's hidden states until the
//! end (they are pooled as each batch finishes), tokenizes the next batch on a second
//! thread while the model runs, and has its own session, so search queries (served by
//! fastembed's session) never wait behind a batch of documents.

use crate::{EmbedConfig, EmbedError};
use fastembed::Pooling;
use ort::session::builder::GraphOptimizationLevel;
use ort::session::Session;
use ort::value::Tensor;
use papersift_core::locks::LockAny;
use std::path::PathBuf;
use std::sync::Mutex;

/// One batch of token ids, padded to its longest text.
pub struct TokenBatch {
    pub(crate) ids: Vec<i64>,
    pub(crate) mask: Vec<i64>,
    pub(crate) types: Vec<i64>,
    pub(crate) rows: usize,
    pub(crate) cols: usize,
}

impl TokenBatch {
    /// Tokens in the batch, padding included.
    pub fn cells(&self) -> usize {
        self.rows * self.cols
    }

    /// Tokens that are text, not padding.
    pub fn real_tokens(&self) -> usize {
        self.mask.iter().filter(|&&m| m == 1).count()
    }
}

/// Turns texts into one padded batch (the model's tokenizer, as fastembed configured it).
pub(crate) type Tokenize = Box<dyn Fn(&[&str]) -> Result<TokenBatch, EmbedError> + Send + Sync>;

/// A tokenizer, a session and the model's pooling.
pub(crate) struct Pipeline {
    pub(crate) tokenize: Tokenize,
    pub(crate) session: Mutex<ModelSession>,
    pub(crate) pooling: Pooling,
    pub(crate) batch: usize,
}

/// An ONNX Runtime session over the cached model file, and whether the model takes
/// token type ids. The pipeline and the benchmark's ceiling both run batches through it.
pub(crate) struct ModelSession {
    session: Session,
    type_ids: bool,
}

impl ModelSession {
    /// Opens the cached model file of `cfg` (fastembed downloads it when the embedder
    /// loads) with the embedder's execution providers, thread count and graph
    /// optimization (fastembed's: all optimizations).
    pub(crate) fn open(cfg: &EmbedConfig) -> Result<ModelSession, EmbedError> {
        let env = crate::runtime::environment(cfg.runtime_library.as_deref())?;
        let file = model_file(cfg)?;
        let (providers, provider) = crate::runtime::execution_providers(cfg.provider)?;
        let err =
            |e: &dyn std::fmt::Display| EmbedError::Runtime(format!("cannot open the model: {e}"));
        let mut builder = Session::builder(&env)
            .map_err(|e| err(&e))?
            .with_execution_providers(providers)
            .map_err(|e| err(&e))?
            .with_optimization_level(GraphOptimizationLevel::Level3)
            .map_err(|e| err(&e))?
            .with_intra_threads(cfg.thread_count())
            .map_err(|e| err(&e))?;
        if provider == "cpu" {
            // On the CPU, ONNX Runtime's fused SkipLayerNormalization kernel is slower
            // than the residual Add and LayerNormalization it replaces: without the
            // fusion the int8 MiniLM runs about 10 % faster, fp32 the same
            // (docs/benchmarks.md, "int8").
            builder = builder
                .with_config_entry(
                    "optimization.disable_specified_optimizers",
                    "SkipLayerNormFusion",
                )
                .map_err(|e| err(&e))?;
        }
        let session = builder.commit_from_file(&file).map_err(|e| err(&e))?;
        let type_ids = session
            .inputs()
            .iter()
            .any(|i| i.name() == "token_type_ids");
        Ok(ModelSession { session, type_ids })
    }

    /// Runs one batch and hands its hidden states (`[rows, cols, dim]`, row-major) to
    /// `read` while the session still owns them.
    pub(crate) fn run<T>(
        &mut self,
        b: &TokenBatch,
        read: impl FnOnce(&[usize], &[f32]) -> Result<T, EmbedError>,
    ) -> Result<T, EmbedError> {
        let err = |e: ort::Error| EmbedError::Inference(e.to_string());
        let shape = [b.rows, b.cols];
        let ids = Tensor::from_array((shape, b.ids.clone())).map_err(err)?;
        let mask = Tensor::from_array((shape, b.mask.clone())).map_err(err)?;
        let outputs = if self.type_ids {
            let types = Tensor::from_array((shape, b.types.clone())).map_err(err)?;
            self.session
                .run(ort::inputs!["input_ids" => ids, "attention_mask" => mask, "token_type_ids" => types])
                .map_err(err)?
        } else {
            self.session
                .run(ort::inputs!["input_ids" => ids, "attention_mask" => mask])
                .map_err(err)?
        };
        let hidden = outputs.get("last_hidden_state").unwrap_or(&outputs[0]);
        let (dims, data) = hidden.try_extract_tensor::<f32>().map_err(err)?;
        let dims: Vec<usize> = dims.iter().map(|&d| d as usize).collect();
        read(&dims, data)
    }
}

/// The model file in the hub cache: `models--OWNER--NAME/snapshots/<refs/main>/FILE`.
fn model_file(cfg: &EmbedConfig) -> Result<PathBuf, EmbedError> {
    let model = crate::model_for(&cfg.model)?;
    let info = fastembed::TextEmbedding::get_model_info(&model)
        .map_err(|e| EmbedError::Config(e.to_string()))?;
    let repo = crate::config::hub_repo_dir(&cfg.cache_dir, &info.model_code);
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

/// Builds a [`Tokenize`] around (a clone of) fastembed's tokenizer, which carries the
/// model's truncation and batch-longest padding.
pub(crate) fn tokenizer_fn(tokenizer: tokenizers::Tokenizer) -> Tokenize {
    Box::new(move |texts: &[&str]| tokenize(&tokenizer, texts))
}

/// One padded batch of `texts`.
pub(crate) fn tokenize(
    tokenizer: &tokenizers::Tokenizer,
    texts: &[&str],
) -> Result<TokenBatch, EmbedError> {
    let enc = tokenizer
        .encode_batch(texts.to_vec(), true)
        .map_err(|e| EmbedError::Inference(format!("tokenizing: {e}")))?;
    let cols = enc.first().map_or(0, |e| e.len());
    let mut b = TokenBatch {
        ids: Vec::with_capacity(texts.len() * cols),
        mask: Vec::with_capacity(texts.len() * cols),
        types: Vec::with_capacity(texts.len() * cols),
        rows: texts.len(),
        cols,
    };
    for e in &enc {
        b.ids.extend(e.get_ids().iter().map(|&x| i64::from(x)));
        b.mask
            .extend(e.get_attention_mask().iter().map(|&x| i64::from(x)));
        b.types
            .extend(e.get_type_ids().iter().map(|&x| i64::from(x)));
    }
    Ok(b)
}

/// Indices of `texts`, shortest first: batches of similar length carry little padding.
/// Characters are a close enough proxy for tokens to group texts.
pub(crate) fn by_length<S: AsRef<str>>(texts: &[S]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..texts.len()).collect();
    order.sort_by_key(|&i| texts[i].as_ref().len());
    order
}

impl Pipeline {
    /// Embeds texts in the order given, `batch` at a time.
    pub(crate) fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        let mut session = self.session.lock_any();
        let mut out = Vec::with_capacity(texts.len());
        std::thread::scope(|s| {
            // One batch ahead: tokenizing overlaps inference; a bounded channel keeps
            // memory to two batches.
            let (tx, rx) = std::sync::mpsc::sync_channel(1);
            let tokenize = &self.tokenize;
            let batch = self.batch.max(1);
            s.spawn(move || {
                for chunk in texts.chunks(batch) {
                    if tx.send(tokenize(chunk)).is_err() {
                        break;
                    }
                }
            });
            for b in rx {
                let b = b?;
                out.extend(self.run(&mut session, &b)?);
            }
            Ok::<(), EmbedError>(())
        })?;
        Ok(out)
    }

    /// Runs one batch and pools it into unit vectors.
    fn run(&self, session: &mut ModelSession, b: &TokenBatch) -> Result<Vec<Vec<f32>>, EmbedError> {
        session.run(b, |dims, data| {
            if dims.len() != 3 || dims[0] != b.rows || dims[1] != b.cols {
                return Err(EmbedError::Inference(format!(
                    "the model returned hidden states of shape {dims:?} for a batch of {}×{}",
                    b.rows, b.cols
                )));
            }
            Ok(pool(data, &b.mask, b.rows, b.cols, dims[2], &self.pooling))
        })
    }
}

/// Pools hidden states `[rows, cols, dim]` into one L2-normalized vector per row: the
/// mean over real (unmasked) tokens, or the first token's state for CLS models.
pub(crate) fn pool(
    hidden: &[f32],
    mask: &[i64],
    rows: usize,
    cols: usize,
    dim: usize,
    pooling: &Pooling,
) -> Vec<Vec<f32>> {
    (0..rows)
        .map(|r| {
            let mut v = vec![0f32; dim];
            match pooling {
                Pooling::Cls => v.copy_from_slice(&hidden[r * cols * dim..r * cols * dim + dim]),
                Pooling::Mean => {
                    let mut n = 0f32;
                    for t in 0..cols {
                        if mask[r * cols + t] == 0 {
                            continue;
                        }
                        n += 1.0;
                        let h = &hidden[(r * cols + t) * dim..(r * cols + t + 1) * dim];
                        for (a, x) in v.iter_mut().zip(h) {
                            *a += x;
                        }
                    }
                    let n = n.max(1.0);
                    v.iter_mut().for_each(|a| *a /= n);
                }
            }
            let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-12);
            v.iter_mut().for_each(|x| *x /= norm);
            v
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mean_pooling_skips_padding_and_cls_takes_the_first_token() {
        // 2 rows × 3 tokens × 2 dims; row 1 has one padding token.
        let hidden = [1.0, 0.0, 3.0, 0.0, 9.0, 9.0, 0.0, 2.0, 0.0, 4.0, 7.0, 7.0];
        let mask = [1, 1, 0, 1, 1, 0];
        let mean = pool(&hidden, &mask, 2, 3, 2, &Pooling::Mean);
        assert_eq!(mean, vec![vec![1.0, 0.0], vec![0.0, 1.0]]);
        let cls = pool(&hidden, &mask, 2, 3, 2, &Pooling::Cls);
        assert_eq!(cls, vec![vec![1.0, 0.0], vec![0.0, 1.0]]);
        let zero = pool(&[0.0, 0.0], &[1], 1, 1, 2, &Pooling::Mean);
        assert_eq!(zero, vec![vec![0.0, 0.0]]);
    }
}

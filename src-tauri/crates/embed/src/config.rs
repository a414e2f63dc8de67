//! Embedding settings: model, cache folder, runtime library, execution provider, batch.

use papersift_core::embedder::EmbeddingSettings;
use std::path::{Path, PathBuf};

/// The default model: all-MiniLM-L6-v2 with int8 weights and fused attention
/// (`scripts/build_minilm_int8.py`): small, about twice as fast as fp32 on a CPU, within
/// the quality guard (docs/benchmarks.md, "int8"). Trained at 256 tokens.
pub const DEFAULT_MODEL: &str = "all-MiniLM-L6-v2-int8";

/// Where inference runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ExecutionProvider {
    /// The CPU.
    Cpu,
    /// An NVIDIA GPU through CUDA; fails if unavailable.
    Cuda,
    /// CUDA when ONNX Runtime offers it, else the CPU (with a log line).
    #[default]
    Auto,
}

impl std::str::FromStr for ExecutionProvider {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "cpu" => Ok(ExecutionProvider::Cpu),
            "cuda" | "gpu" => Ok(ExecutionProvider::Cuda),
            "auto" | "" => Ok(ExecutionProvider::Auto),
            other => Err(format!(
                "unknown execution provider '{other}' (use cpu, cuda or auto)"
            )),
        }
    }
}

/// How to load and run the embedding model.
#[derive(Debug, Clone, PartialEq)]
pub struct EmbedConfig {
    /// Model name (`all-MiniLM-L6-v2`, or a fastembed model name).
    pub model: String,
    /// Hugging Face hub cache folder the model is read from (and downloaded into).
    pub cache_dir: PathBuf,
    /// Path of `libonnxruntime.so`; `None` searches the usual places (see `find_runtime`).
    pub runtime_library: Option<PathBuf>,
    /// Execution provider.
    pub provider: ExecutionProvider,
    /// Texts per inference batch (texts are sorted by length first). 8 was the fastest
    /// for both MiniLM precisions on 2 cores (docs/benchmarks.md); memory grows with it.
    pub batch_size: usize,
    /// Tokens per text; all-MiniLM-L6-v2 was trained at 256 (see the catalogue).
    pub max_length: usize,
    /// Intra-op threads; `None` uses every core.
    pub threads: Option<usize>,
}

impl Default for EmbedConfig {
    fn default() -> Self {
        EmbedConfig {
            model: DEFAULT_MODEL.into(),
            cache_dir: default_cache_dir(),
            runtime_library: None,
            provider: ExecutionProvider::Auto,
            batch_size: 8,
            max_length: 256,
            threads: None,
        }
    }
}

/// `$XDG_CACHE_HOME/papersift/models` (usually `~/.cache/papersift/models`).
pub fn default_cache_dir() -> PathBuf {
    dirs::cache_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("papersift")
        .join("models")
}

/// Model caches shipped with an installed Papersift (`<prefix>/share/papersift/models`
/// beside `<prefix>/bin/papersift-app`): read-only, in the hub layout.
pub fn bundled_cache_dirs() -> Vec<PathBuf> {
    std::env::current_exe()
        .ok()
        .and_then(|e| e.parent().map(|d| d.join("../share/papersift/models")))
        .into_iter()
        .collect()
}

/// A model's folder in a Hugging Face hub cache: `CACHE/models--OWNER--NAME`.
pub(crate) fn hub_repo_dir(cache: &Path, model_code: &str) -> PathBuf {
    cache.join(format!("models--{}", model_code.replace('/', "--")))
}

/// The cache to read `model_code` from: `user` when it holds the model (or when no
/// bundled cache does, so a download goes there), else the first bundled cache that
/// holds it. Models picked later still download into `user`.
pub fn resolve_cache_dir(user: &Path, bundled: &[PathBuf], model_code: &str) -> PathBuf {
    let holds = |dir: &Path| hub_repo_dir(dir, model_code).join("refs/main").is_file();
    if holds(user) {
        return user.to_path_buf();
    }
    bundled
        .iter()
        .find(|d| holds(d))
        .cloned()
        .unwrap_or_else(|| user.to_path_buf())
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

impl EmbedConfig {
    /// The id vectors of this configuration are stored under (model and token limit),
    /// known without loading ONNX Runtime.
    pub fn model_id(&self) -> Result<String, crate::EmbedError> {
        let model = crate::model_for(&self.model)?;
        let info = fastembed::TextEmbedding::get_model_info(&model)
            .map_err(|e| crate::EmbedError::Config(e.to_string()))?;
        Ok(format!("{}@{}", info.model_code, self.max_length))
    }

    /// Defaults overridden by environment variables: `PAPERSIFT_MODEL`,
    /// `PAPERSIFT_MODEL_CACHE`,
    /// `PAPERSIFT_EXECUTION_PROVIDER`, `PAPERSIFT_EMBED_BATCH`, `PAPERSIFT_EMBED_THREADS`.
    /// Unparseable numbers or providers are ignored with a warning.
    pub fn from_env() -> EmbedConfig {
        EmbedConfig::from_settings(&EmbeddingSettings::default())
    }

    /// Intra-op threads in effect: the configured number, else every core.
    pub fn thread_count(&self) -> usize {
        self.threads.unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1)
        })
    }

    /// The model's name as the catalogue spells it (`bge-small-en-v1.5` for
    /// `BAAI/bge-small-en-v1.5`), else as configured.
    pub fn display_name(&self) -> String {
        crate::catalogue::choice(&self.model)
            .map_or_else(|| self.model.clone(), |c| c.name.to_string())
    }

    /// Switches to a model, with the token limit its card gives.
    pub fn set_model(&mut self, name: &str) {
        self.model = name.to_string();
        if let Some(c) = crate::catalogue::choice(name) {
            self.max_length = c.max_length;
        }
    }

    /// Defaults, then the settings stored in the library, then the environment.
    pub fn from_settings(stored: &EmbeddingSettings) -> EmbedConfig {
        let mut c = EmbedConfig::default();
        if let Some(m) = &stored.model {
            c.set_model(m);
        }
        if let Some(p) = &stored.provider {
            match p.parse() {
                Ok(p) => c.provider = p,
                Err(e) => log::warn!("{e}"),
            }
        }
        if let Some(m) = env("PAPERSIFT_MODEL") {
            c.set_model(&m);
        }
        if let Some(d) = env("PAPERSIFT_MODEL_CACHE") {
            c.cache_dir = PathBuf::from(d);
        }
        if let Some(p) = env("PAPERSIFT_EXECUTION_PROVIDER") {
            match p.parse() {
                Ok(p) => c.provider = p,
                Err(e) => log::warn!("{e}"),
            }
        }
        if let Some(b) = env("PAPERSIFT_EMBED_BATCH") {
            match b.parse::<usize>() {
                Ok(b) if b > 0 => c.batch_size = b,
                _ => log::warn!("ignoring PAPERSIFT_EMBED_BATCH={b}: not a positive number"),
            }
        }
        if let Some(t) = env("PAPERSIFT_EMBED_THREADS") {
            match t.parse::<usize>() {
                Ok(t) if t > 0 => c.threads = Some(t),
                _ => log::warn!("ignoring PAPERSIFT_EMBED_THREADS={t}: not a positive number"),
            }
        }
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_model_is_read_until_the_user_cache_has_one() {
        let (user, bundled) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let code = "Qdrant/all-MiniLM-L6-v2-onnx";
        let put = |dir: &Path| {
            let refs = dir.join("models--Qdrant--all-MiniLM-L6-v2-onnx/refs");
            std::fs::create_dir_all(&refs).unwrap();
            std::fs::write(refs.join("main"), "rev").unwrap();
        };
        let b = vec![bundled.path().to_path_buf()];
        // Neither has it: the user cache, where a download goes.
        assert_eq!(resolve_cache_dir(user.path(), &b, code), user.path());
        put(bundled.path());
        assert_eq!(resolve_cache_dir(user.path(), &b, code), bundled.path());
        // Another model is not in the bundle: downloaded into the user cache.
        assert_eq!(
            resolve_cache_dir(user.path(), &b, "BAAI/bge-small-en-v1.5"),
            user.path()
        );
        put(user.path());
        assert_eq!(resolve_cache_dir(user.path(), &b, code), user.path());
    }

    #[test]
    fn providers_parse() {
        assert_eq!(
            "CPU".parse::<ExecutionProvider>(),
            Ok(ExecutionProvider::Cpu)
        );
        assert_eq!(
            "cuda".parse::<ExecutionProvider>(),
            Ok(ExecutionProvider::Cuda)
        );
        assert_eq!(
            "auto".parse::<ExecutionProvider>(),
            Ok(ExecutionProvider::Auto)
        );
        assert!("tpu"
            .parse::<ExecutionProvider>()
            .unwrap_err()
            .contains("cpu, cuda or auto"));
    }

    #[test]
    fn defaults_follow_the_model_card() {
        let c = EmbedConfig::default();
        assert_eq!(c.model, "all-MiniLM-L6-v2-int8");
        assert_eq!(c.max_length, 256);
        assert_eq!(c.batch_size, 8);
        assert!(c.cache_dir.ends_with("papersift/models"));
    }
}

//! The models offered in Settings, with what each needs to be used as its card says:
//! the query and document prefixes it was trained with and its token limit.
//!
//! all-MiniLM-L6-v2 and its int8 form are provisioned by `scripts/setup.sh` (built from
//! the pinned upstream weights); the others are fetched from the Hugging Face hub into
//! the model cache on first use.

use fastembed::EmbeddingModel;
use serde::Serialize;

/// A model the app offers.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ModelChoice {
    /// The name users and settings use.
    pub name: &'static str,
    /// One line for the settings list.
    pub description: &'static str,
    /// Prepended to a search query.
    pub query_prefix: &'static str,
    /// Prepended to a title + abstract.
    pub document_prefix: &'static str,
    /// Tokens per text.
    pub max_length: usize,
    /// Approximate download size.
    pub download_mb: u32,
    #[serde(skip)]
    pub(crate) model: EmbeddingModel,
}

const RETRIEVAL_INSTRUCTION: &str = "Represent this sentence for searching relevant passages: ";

/// Every offered model, the default first.
pub fn catalogue() -> Vec<ModelChoice> {
    vec![
        ModelChoice {
            name: "all-MiniLM-L6-v2-int8",
            description: "Fast and small; the default (MiniLM with int8 weights).",
            query_prefix: "",
            document_prefix: "",
            max_length: 256,
            download_mb: 23,
            model: EmbeddingModel::AllMiniLML6V2Q,
        },
        ModelChoice {
            name: "all-MiniLM-L6-v2",
            description:
                "The default at full precision: half the indexing speed on a CPU; for a GPU.",
            query_prefix: "",
            document_prefix: "",
            max_length: 256,
            download_mb: 90,
            model: EmbeddingModel::AllMiniLML6V2,
        },
        ModelChoice {
            name: "bge-small-en-v1.5",
            description: "Better English retrieval; about twice as slow to index.",
            query_prefix: RETRIEVAL_INSTRUCTION,
            document_prefix: "",
            max_length: 512,
            download_mb: 130,
            model: EmbeddingModel::BGESmallENV15,
        },
        ModelChoice {
            name: "snowflake-arctic-embed-s",
            description: "Retrieval-tuned, English; about twice as slow to index.",
            query_prefix: RETRIEVAL_INSTRUCTION,
            document_prefix: "",
            max_length: 512,
            download_mb: 130,
            model: EmbeddingModel::SnowflakeArcticEmbedS,
        },
        ModelChoice {
            name: "multilingual-e5-small",
            description: "Many languages; about four times as slow to index.",
            query_prefix: "query: ",
            document_prefix: "passage: ",
            max_length: 512,
            download_mb: 470,
            model: EmbeddingModel::MultilingualE5Small,
        },
    ]
}

/// The same network at other precisions: their vectors agree to a cosine of about 0.995
/// (measured for MiniLM, docs/benchmarks.md), so they stand in for each other while a
/// library re-indexes.
pub(crate) fn same_network(model: &EmbeddingModel) -> Vec<EmbeddingModel> {
    match model {
        EmbeddingModel::AllMiniLML6V2 => vec![EmbeddingModel::AllMiniLML6V2Q],
        EmbeddingModel::AllMiniLML6V2Q => vec![EmbeddingModel::AllMiniLML6V2],
        _ => Vec::new(),
    }
}

/// The catalogue entry for a name (also accepting the hub's `owner/name`).
pub fn choice(name: &str) -> Option<ModelChoice> {
    let short = name.rsplit('/').next().unwrap_or(name);
    let short = short.strip_suffix("-onnx").unwrap_or(short);
    catalogue()
        .into_iter()
        .find(|c| c.name.eq_ignore_ascii_case(short))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::EmbedConfig;
    use papersift_core::embedder::EmbeddingSettings;

    #[test]
    fn names_resolve_with_or_without_the_hub_owner() {
        assert_eq!(
            choice("BAAI/bge-small-en-v1.5").unwrap().name,
            "bge-small-en-v1.5"
        );
        assert_eq!(
            choice("Qdrant/all-MiniLM-L6-v2-onnx").unwrap().name,
            "all-MiniLM-L6-v2"
        );
        assert_eq!(
            choice("all-minilm-l6-v2-INT8").unwrap().name,
            "all-MiniLM-L6-v2-int8"
        );
        assert!(choice("gpt-5").is_none());
        assert_eq!(catalogue()[0].name, crate::DEFAULT_MODEL);
    }

    #[test]
    fn stored_settings_choose_the_model_and_its_token_limit() {
        if std::env::var_os("PAPERSIFT_MODEL").is_some() {
            return; // the environment wins over stored settings by design
        }
        let cfg = EmbedConfig::from_settings(&EmbeddingSettings {
            model: Some("multilingual-e5-small".into()),
            provider: Some("cpu".into()),
        });
        assert_eq!(cfg.max_length, 512);
        assert_eq!(cfg.provider, crate::ExecutionProvider::Cpu);
        assert_eq!(
            cfg.model_id().unwrap(),
            "intfloat/multilingual-e5-small@512"
        );
        let default = EmbedConfig::from_settings(&EmbeddingSettings::default());
        assert_eq!(default.model_id().unwrap(), "Xenova/all-MiniLM-L6-v2@256");
    }
}

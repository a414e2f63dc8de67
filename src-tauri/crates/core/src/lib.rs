//! papersift-core: the engine of Papersift, free of any window or ONNX code.
//!
//! It owns the library (a SQLite store with full-text search), the in-memory vector
//! index and hybrid ranking, corpus import and retrieval evaluation. Embeddings come in
//! through the [`embedder::Embedder`] trait, implemented by `papersift-embed`, so this
//! crate compiles and tests without ONNX Runtime. The desktop shell and the CLI are thin
//! layers over [`library::Library`].
//!
//! ```no_run
//! use papersift_core::{library::Library, rank::{SearchMode, SearchOptions}};
//! let lib = Library::open(std::path::Path::new("/tmp/papersift"), None)?;
//! let hits = lib.search("sparse attention", &SearchOptions { mode: SearchMode::Keyword, ..Default::default() })?;
//! # Ok::<(), papersift_core::Error>(())
//! ```

// Layers, bottom up; a module uses only those in its own layer or below.
// The ground: nouns, errors, locks, calendar days, the query language, TeX text.
pub mod config;
pub mod day;
pub mod embedder;
pub mod error;
pub mod locks;
pub mod model;
pub mod query;
pub mod tex;
// Ranking, the library map's layout, and the remote sources (pure parsers and a polite
// fetcher).
pub mod alerts;
pub mod layout;
pub mod rank;
pub mod sources;
// Storage, then the library over it.
pub mod corpus;
pub mod export;
pub mod keywords;
pub mod library;
pub mod store;
// Orchestrators over the library: reading-list import and sync (fetch, store, embed,
// alert), and retrieval evaluation.
pub mod eval;
pub mod import;
pub mod sync;
// Zotero's connector server, for Save to Zotero.
pub mod zotero_connector;

pub use error::{Error, Result};

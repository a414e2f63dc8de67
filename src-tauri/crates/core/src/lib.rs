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

pub mod alerts;
pub mod config;
pub mod corpus;
pub mod embedder;
pub mod error;
pub mod eval;
pub mod export;
pub mod import;
pub mod library;
pub mod model;
pub mod rank;
pub mod sources;
pub mod store;
pub mod sync;
pub mod tex;

pub use error::{Error, Result};

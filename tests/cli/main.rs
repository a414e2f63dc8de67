//! End-to-end tests of the `papersift` CLI and the embedder, on the real model.
//!
//! The model is read from the cache `scripts/setup.sh` provisions (the same hub-cache
//! path fastembed uses for users); one test empties the cache and lets fastembed
//! download the model from a loopback hub.

#[path = "../common/mod.rs"]
mod common;

mod embedding;
mod search;
mod setup_errors;

//! bioRxiv and medRxiv `details` responses (JSON), every subject.
#![no_main]
use papersift_core::sources::biorxiv::{parse_details, Server};
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = parse_details(Server::Biorxiv, data, &[]);
    let _ = parse_details(Server::Medrxiv, data, &["neuroscience".to_string()]);
});

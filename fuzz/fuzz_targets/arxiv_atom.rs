//! arXiv API responses and listing feeds (Atom).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = papersift_core::sources::arxiv::parse_atom(data);
});

//! Any bytes named `refs.bib`: a clear error or entries, never a panic or a hang.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = papersift_core::import::parse_bytes("refs.bib", data);
});

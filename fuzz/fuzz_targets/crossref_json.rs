//! Crossref `/works/{doi}` bodies (JSON with a JATS abstract), and JATS on its own.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = papersift_core::sources::crossref::parse_work(data);
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = papersift_core::sources::crossref::jats_text(s);
    }
});

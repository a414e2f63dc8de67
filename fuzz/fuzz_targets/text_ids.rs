//! Identifier extraction from any text, and whole text/Markdown files.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = papersift_core::import::parse_bytes("list.md", data);
    if let Ok(s) = std::str::from_utf8(data) {
        for id in papersift_core::import::ids::find_ids(s) {
            if let papersift_core::import::ids::FoundId::Arxiv(a, _) = id {
                // Every id found parses back to itself.
                assert_eq!(papersift_core::model::ArxivId::parse(&a.to_string()), Some(a));
            }
        }
    }
});
